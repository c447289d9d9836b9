/**
 * Conformance: ../shared/conformance/acme-certbot.json (certbot's own test vectors, reproduced with
 * node by the file's author) — every vector and every negative check, read against meta.rules —
 * plus the published JWK thumbprint examples of RFC 7638 §3.1 (RSA) and RFC 8037 Appendix A.3 (Ed25519).
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { challengeMaterial, dns01, http01, keyAuthorization, keyAuthorizationMatches, readIdentifier, readToken } from "../../../../src/sim/tls/acme/challenge";
import { parseAccountJwk } from "../../../../src/sim/tls/acme/jwk";

interface Vector {
  id: string;
  account_key_jwk: Record<string, string>;
  token: string;
  expected_thumbprint_b64url: string;
  expected_key_authorization_for_token_foo: string;
  expected_key_authorization: string;
  expected_dns01_txt_value: string;
  expected_dns01_record_name_for_www_example_com: string;
  expected_http01_path: string;
  expected_http01_uris: Record<string, string>;
  negative_checks: string[];
}
const suite = JSON.parse(readFileSync(join(__dirname, "../../../../../shared/conformance/acme-certbot.json"), "utf8")) as { meta: { rules: Record<string, string> }; vectors: Vector[] };

describe("acme-certbot.json", () => {
  it("has the rules this suite checks", () => {
    expect(Object.keys(suite.meta.rules).sort()).toEqual(["dns_01", "http_01", "jwk_thumbprint_rsa", "key_authorization", "token_charset", "wildcard"]);
    expect(suite.vectors.length).toBeGreaterThan(0);
  });

  for (const v of suite.vectors) {
    describe(v.id, () => {
      const jwk = parseAccountJwk(JSON.stringify(v.account_key_jwk));
      it("jwk_thumbprint_rsa: the RFC 7638 thumbprint, and optional members leave it alone", () => {
        expect(jwk.thumbprint).toBe(v.expected_thumbprint_b64url);
        expect(parseAccountJwk(JSON.stringify({ ...v.account_key_jwk, alg: "RS256", kid: "acct-1", use: "sig" })).thumbprint).toBe(v.expected_thumbprint_b64url);
        // Member order in the input does not matter: the canonical form sorts them.
        const reversed = Object.fromEntries(Object.entries(v.account_key_jwk).reverse());
        expect(parseAccountJwk(JSON.stringify(reversed, null, 2)).thumbprint).toBe(v.expected_thumbprint_b64url);
      });
      it("key_authorization: token, dot, thumbprint", () => {
        expect(keyAuthorization("foo", jwk.thumbprint)).toBe(v.expected_key_authorization_for_token_foo);
        expect(keyAuthorization(v.token, jwk.thumbprint)).toBe(v.expected_key_authorization);
      });
      it("dns_01: _acme-challenge name and the 43-character digest", () => {
        const d = dns01(readIdentifier("www.example.com"), v.expected_key_authorization)!;
        expect(d.name).toBe(v.expected_dns01_record_name_for_www_example_com);
        expect(d.value).toBe(v.expected_dns01_txt_value);
        expect(d.value).toHaveLength(43);
      });
      it("http_01: the path and the URI for a name, an IPv4 and an IPv6 identifier; the body is the key authorization", () => {
        for (const [host, uri] of Object.entries(v.expected_http01_uris)) {
          const h = http01(readIdentifier(host), v.token, v.expected_key_authorization)!;
          expect(h.url).toBe(uri);
          expect(h.path).toBe(v.expected_http01_path);
          expect(h.port).toBe(80);
          expect(h.body).toBe(v.expected_key_authorization);
        }
        // "server SHOULD ignore trailing whitespace"
        expect(keyAuthorizationMatches(`${v.expected_key_authorization}\n`, v.token, jwk.thumbprint)).toBe(true);
      });
      it("wildcard: *.example.com is authorised at example.com, so the record has no \"*.\"", () => {
        const m = challengeMaterial(readIdentifier("*.www.example.com"), v.token, jwk.thumbprint);
        expect(m.dns01!.name).toBe(v.expected_dns01_record_name_for_www_example_com);
        expect(m.dns01!.value).toBe(v.expected_dns01_txt_value);
        expect(m.http01).toBeNull();
      });
      it("every negative check holds", () => {
        expect(v.negative_checks).toHaveLength(4);
        // wrong token
        expect(keyAuthorizationMatches(`bar.${jwk.thumbprint}`, "foo", jwk.thumbprint)).toBe(false);
        // truncated thumbprint
        expect(keyAuthorizationMatches("foo.oKGqedy-b-acd5eoybm2f-NVFxv", "foo", jwk.thumbprint)).toBe(false);
        // wrong form
        expect(keyAuthorizationMatches(`.foo.${jwk.thumbprint}`, "foo", jwk.thumbprint)).toBe(false);
        // token ".." is not a good token (token_charset), even with the length rule lowered
        expect(() => readToken("..", "token", 1)).toThrow(/base64url alphabet/);
        expect(() => readToken(v.token)).not.toThrow();
      });
    });
  }
});

describe("published thumbprint examples", () => {
  it("RFC 7638 §3.1: the RSA example key", () => {
    const n =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    const jwk = parseAccountJwk(JSON.stringify({ kty: "RSA", n, e: "AQAB", alg: "RS256", kid: "2011-04-29" }));
    expect(jwk.thumbprint).toBe("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    expect(jwk.description).toBe("RSA 2048-bit");
  });
  it("RFC 8037 Appendix A.3: the Ed25519 example key", () => {
    expect(parseAccountJwk('{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}').thumbprint).toBe("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  });
  it("EC: the RFC 7515 Appendix A.3 P-256 key hashes as the canonical text RFC 7638 §3.2 spells out", () => {
    const x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
    const canonical = `{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`; // written out by hand, not by the code
    const expected = createHash("sha256").update(canonical).digest("base64url");
    const jwk = parseAccountJwk(JSON.stringify({ y, x, kty: "EC", crv: "P-256", kid: "k" }));
    expect(jwk.canonical).toBe(canonical);
    expect(jwk.thumbprint).toBe(expected);
  });
});
