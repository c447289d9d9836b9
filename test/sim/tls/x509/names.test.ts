/**
 * RFC 9525 §6 service-identity matching, case by case (the RFC's own examples and x509-limbo's webpki::san cases),
 * then the named wrong models, then properties that follow from the rules whatever the names.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dnsPatternMatches, matchReferenceId, parseReferenceId } from "../../../../src/sim/tls/x509/names";
import type { GeneralName } from "../../../../src/sim/tls/x509/types";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const dns = (...values: string[]): GeneralName[] => values.map((value) => ({ type: "dns", value }));

describe("dnsPatternMatches under RFC 9525 §6.3", () => {
  it.each([
    // [pattern, host, matches] — limbo webpki::san::* and RFC 9525 §6.3's examples
    ["example.com", "example.com", true], // exact-dns-san
    ["example.com", "example2.com", false], // mismatch-domain-san
    ["abc.example.com", "example.com", false], // mismatch-apex-subdomain-san
    ["*.example.com", "foo.example.com", true], // leftmost-wildcard-san
    ["*.example.com", "foo.bar.example.com", false], // wildcard-match-across-labels-san
    ["foo.*.example.com", "foo.bar.example.com", false], // wildcard-not-in-leftmost-san
    ["ba*.example.com", "baz.example.com", false], // wildcard-embedded-leftmost-san
    ["*.example.com", "example.com", false], // the apex is not covered
    ["*a.example.com", "aa.example.com", false],
    ["b*z.example.com", "buzz.example.com", false],
    ["*.*.example.com", "a.b.example.com", false], // one wildcard only
    ["*.com", "example.com", false], // never a wildcard over a single remaining label
    ["*", "localhost", false],
  ])("%s vs %s → %s", (pattern, host, expected) => {
    expect(dnsPatternMatches(pattern, host)).toBe(expected);
  });

  it("compares case-insensitively and ignores one trailing dot on either side", () => {
    expect(dnsPatternMatches("WWW.Example.COM", "www.example.com")).toBe(true);
    expect(dnsPatternMatches("www.example.com.", "www.example.com")).toBe(true);
    expect(dnsPatternMatches("*.example.com", "WWW.EXAMPLE.COM.")).toBe(true);
    expect(dnsPatternMatches("www.example.com", "www.example.com..")).toBe(false);
  });

  it("never treats an IP literal or a wildcard reference as a DNS host", () => {
    expect(dnsPatternMatches("192.0.2.1", "192.0.2.1")).toBe(false);
    expect(dnsPatternMatches("*.0.2.1", "192.0.2.1")).toBe(false);
    expect(dnsPatternMatches("*.example.com", "*.example.com")).toBe(false);
  });
});

describe("the named wrong models", () => {
  it("partial-wildcard (OpenSSL's default) lets * stand for part of the left-most label, but not across labels", () => {
    expect(dnsPatternMatches("ba*.example.com", "baz.example.com", "partial-wildcard")).toBe(true);
    expect(dnsPatternMatches("*z.example.com", "baz.example.com", "partial-wildcard")).toBe(true);
    expect(dnsPatternMatches("b*z.example.com", "buzz.example.com", "partial-wildcard")).toBe(true);
    expect(dnsPatternMatches("ba*.example.com", "foo.example.com", "partial-wildcard")).toBe(false);
    expect(dnsPatternMatches("ba*.example.com", "baz.a.example.com", "partial-wildcard")).toBe(false);
    // OpenSSL refuses a partial wildcard against an IDNA A-label.
    expect(dnsPatternMatches("x*.example.com", "xn--tst-bma.example.com", "partial-wildcard")).toBe(false);
  });

  it("multi-label-wildcard believes *.example.com covers a.b.example.com, still not the apex", () => {
    expect(dnsPatternMatches("*.example.com", "a.b.example.com", "multi-label-wildcard")).toBe(true);
    expect(dnsPatternMatches("*.example.com", "example.com", "multi-label-wildcard")).toBe(false);
    expect(dnsPatternMatches("ba*.example.com", "baz.example.com", "multi-label-wildcard")).toBe(false);
  });

  it("cn-fallback reads the CN only when there is no dNSName SAN", () => {
    const cnOnly = { san: null, commonName: "www.example.com" };
    expect(matchReferenceId(cnOnly, "www.example.com").ok).toBe(false);
    expect(matchReferenceId(cnOnly, "www.example.com").detail).toContain("legacy CN fallback");
    const legacy = matchReferenceId(cnOnly, "www.example.com", "cn-fallback");
    expect(legacy).toMatchObject({ ok: true, matched: "CN=www.example.com" });
    expect(legacy.rule).toContain("not RFC 9525");
    // A certificate with any dNSName SAN never falls back, even when the SAN does not match.
    expect(matchReferenceId({ san: dns("other.example.com"), commonName: "www.example.com" }, "www.example.com", "cn-fallback").ok).toBe(false);
  });
});

describe("matchReferenceId", () => {
  it("matches a DNS reference against dNSName SANs only (RFC 9525 §6.3), naming the entry", () => {
    const cert = { san: [...dns("example.net", "*.example.com"), { type: "ip", value: "192.0.2.1" } as const], commonName: "example.net" };
    expect(matchReferenceId(cert, "www.example.com")).toMatchObject({ ok: true, matched: "DNS:*.example.com" });
    expect(matchReferenceId(cert, "example.com").ok).toBe(false);
    expect(matchReferenceId(cert, "www.example.com").rule).toMatch(/^RFC 9525 §6\.3/);
  });

  it("matches an IP reference only against iPAddress SANs, IPv4 and IPv6, in canonical form (RFC 9525 §6.4)", () => {
    const cert = { san: [{ type: "ip", value: "192.0.2.1" }, { type: "ip", value: "2001:db8::1" }] as GeneralName[], commonName: null };
    expect(matchReferenceId(cert, "192.0.2.1")).toMatchObject({ ok: true, matched: "IP:192.0.2.1" });
    expect(matchReferenceId(cert, "2001:DB8:0:0:0:0:0:1").ok).toBe(true);
    expect(matchReferenceId(cert, "[2001:db8::1]").ok).toBe(true);
    expect(matchReferenceId(cert, "192.0.2.2").ok).toBe(false);
    // 4 octets never equal 16: an IPv4-mapped IPv6 reference is not the IPv4 SAN.
    expect(matchReferenceId(cert, "::ffff:192.0.2.1").ok).toBe(false);
  });

  it("a dNSName spelling an address never matches an IP reference, and a DNS reference never matches an iPAddress", () => {
    const spelled = { san: dns("192.0.2.1"), commonName: null };
    const verdict = matchReferenceId(spelled, "192.0.2.1", "cn-fallback");
    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toContain("spells the address");
    const ipOnly = { san: [{ type: "ip", value: "192.0.2.1" }] as GeneralName[], commonName: "www.example.com" };
    expect(matchReferenceId(ipOnly, "www.example.com").ok).toBe(false);
  });

  it("rejects a reference identity that is neither a DNS name nor an IP address", () => {
    for (const bad of ["", "exa mple.com", "*.example.com", "a..b", "256.1.1.1", "-x.example.com"]) {
      expect(parseReferenceId(bad)).toBeNull();
      expect(matchReferenceId({ san: dns("example.com"), commonName: null }, bad).ok).toBe(false);
    }
    expect(parseReferenceId("WWW.Example.com.")).toEqual({ kind: "dns", value: "www.example.com" });
    expect(parseReferenceId("2001:0db8::0001")).toEqual({ kind: "ip", value: "2001:db8::1" });
  });
});

describe("properties", () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
  const name = fc.array(label, { minLength: 2, maxLength: 5 }).map((ls) => ls.join("."));

  it("a name always matches itself, in any case, and its own one-label wildcard", () => {
    fc.assert(
      fc.property(label, name, (first, rest) => {
        const host = `${first}.${rest}`;
        expect(dnsPatternMatches(host.toUpperCase(), host)).toBe(true);
        expect(dnsPatternMatches(`*.${rest}`, host)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("a wildcard never covers the apex or two labels under RFC 9525, whatever the names", () => {
    fc.assert(
      fc.property(label, label, name, (a, b, rest) => {
        expect(dnsPatternMatches(`*.${rest}`, rest)).toBe(false);
        expect(dnsPatternMatches(`*.${rest}`, `${a}.${b}.${rest}`)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("RFC 9525 accepts nothing a wrong model refuses: each wrong model only adds matches", () => {
    const pattern = fc.tuple(fc.constantFrom("*", "ba*", "*z", "www", "b*z"), name).map(([l, r]) => `${l}.${r}`);
    const host = fc.tuple(fc.array(fc.constantFrom("baz", "www", "buzz", "a"), { minLength: 1, maxLength: 2 }), name).map(([ls, r]) => [...ls, r].join("."));
    fc.assert(
      fc.property(pattern, host, (p, h) => {
        if (dnsPatternMatches(p, h)) {
          expect(dnsPatternMatches(p, h, "partial-wildcard")).toBe(true);
          expect(dnsPatternMatches(p, h, "multi-label-wildcard")).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
