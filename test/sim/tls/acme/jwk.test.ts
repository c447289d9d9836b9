import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64urlDecode, base64urlEncode } from "../../../../src/sim/tls/acme/base64url";
import { parseAccountJwk } from "../../../../src/sim/tls/acme/jwk";
import { InputError } from "../../../../src/sim/net/errors";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const ED = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };

function inputOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.input;
    throw error;
  }
  throw new Error("no InputError");
}

describe("base64url", () => {
  it("agrees with Node's codec both ways, for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = base64urlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect([...base64urlDecode(text)!]).toEqual([...bytes]);
      }),
      { numRuns: RUNS },
    );
  });
  it("rejects padding, foreign characters, impossible lengths and non-zero leftover bits", () => {
    for (const bad of ["AQAB=", "AQ+B", "AQ/B", "A", "AQ B", "AR"]) expect(base64urlDecode(bad), bad).toBeNull();
  });
});

describe("parseAccountJwk", () => {
  it("hashes only the required members: any optional member leaves the thumbprint alone", () => {
    const base = parseAccountJwk(JSON.stringify(ED)).thumbprint;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("alg", "kid", "use", "key_ops", "x5u", "ext"), fc.string({ maxLength: 12 })), (extra) => {
        expect(parseAccountJwk(JSON.stringify({ ...extra, ...ED })).thumbprint).toBe(base);
      }),
      { numRuns: RUNS },
    );
  });
  it("a different key gives a different thumbprint (SHA-256 over the canonical text)", () => {
    const other = { ...ED, x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURk" };
    const t = parseAccountJwk(JSON.stringify(other));
    expect(t.thumbprint).not.toBe(parseAccountJwk(JSON.stringify(ED)).thumbprint);
    expect(t.thumbprint).toBe(createHash("sha256").update(`{"crv":"Ed25519","kty":"OKP","x":"${other.x}"}`).digest("base64url"));
  });
  it("names the member at fault", () => {
    expect(inputOf(() => parseAccountJwk("{not json", "account key"))).toBe("account key");
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ ...ED, d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A" }), "jwk"))).toBe("jwk.d");
    expect(() => parseAccountJwk(JSON.stringify({ ...ED, d: "x" }))).toThrow(/should never be pasted/);
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ crv: "Ed25519", x: ED.x })))).toBe("jwk.kty");
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ kty: "RSA", n: "AQAB" })))).toBe("jwk.e");
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ kty: "oct", k: "abc" })))).toBe("jwk.k"); // a secret is refused before its kty
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ kty: "rsa", n: "AQAB", e: "AQAB" })))).toBe("jwk.kty");
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ ...ED, x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=" })))).toBe("jwk.x");
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ ...ED, x: "AQAB" })))).toBe("jwk.x"); // wrong length
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU" })))).toBe("jwk.y");
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ ...ED, crv: "X25519" })))).toBe("jwk.crv");
    expect(inputOf(() => parseAccountJwk(JSON.stringify({ keys: [ED] })))).toBe("jwk.keys");
    expect(inputOf(() => parseAccountJwk("[1,2]"))).toBe("jwk");
    expect(inputOf(() => parseAccountJwk("x".repeat(70_000)))).toBe("jwk");
  });
  it("never throws anything but an InputError, whatever the text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseAccountJwk(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
