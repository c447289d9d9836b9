import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dns01, MIN_TOKEN_LENGTH, readIdentifier, readToken } from "../../../../src/sim/tls/acme/challenge";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);

describe("identifiers", () => {
  it("normalises names and addresses", () => {
    expect(readIdentifier("WWW.Example.COM.").ordered).toBe("www.example.com");
    expect(readIdentifier("[2001:DB8:0:0::1]").value).toBe("2001:db8::1");
    expect(readIdentifier("*.example.com")).toMatchObject({ value: "example.com", wildcard: true });
  });
  it("refuses partial or inner wildcards, bad labels and single labels", () => {
    for (const bad of ["w*.example.com", "a.*.example.com", "*.*.example.com", "exa_mple.com", "-a.example.com", "localhost", "a..b.com", "1.2.3", `${"a".repeat(64)}.com`, ""]) {
      expect(() => readIdentifier(bad), bad).toThrow();
    }
  });
  it("the dns-01 record of a wildcard order is the base name's, whatever the name", () => {
    fc.assert(
      fc.property(fc.domain(), (d) => {
        const name = d.toLowerCase();
        if (name.split(".").length < 2 || /^\d+$/.test(name.split(".").at(-1)!)) return;
        const plain = dns01(readIdentifier(name), "ka")!;
        const wild = dns01(readIdentifier(`*.${name}`), "ka")!;
        expect(wild.name).toBe(plain.name);
        expect(wild.name.includes("*")).toBe(false);
        expect(dns01(readIdentifier(`*.${name}`), "ka", "wildcard-record-name")!.name).toBe(`_acme-challenge.*.${name}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("tokens (RFC 8555 §8.3)", () => {
  it("enforces the base64url alphabet, no padding, and at least 22 characters (128 bits)", () => {
    expect(MIN_TOKEN_LENGTH).toBe(22);
    expect(() => readToken("A".repeat(21))).toThrow(/128 bits/);
    expect(readToken("A".repeat(22))).toBe("A".repeat(22));
    expect(() => readToken(`${"A".repeat(30)}==`)).toThrow(/padding/);
    expect(() => readToken(`${"A".repeat(30)}+/`)).toThrow(/alphabet/);
  });
});
