/**
 * Certificate choice on a target HTTPS proxy with several certificates, as Google documents it (GKE
 * "Using multiple SSL certificates in HTTPS load balancing with Ingress"; gcloud's --ssl-certificates):
 * the SNI picks; no SNI or no match gives the first (primary) certificate, and the client then judges
 * it by RFC 9525. Literal addresses are never SNI (RFC 6066 §3).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseCertificate, EXAMPLE_PROXY_CERTIFICATES as CERTS } from "../../../../src/sim/tls/handshake/sni";
import { dnsPatternMatches } from "../../../../src/sim/tls/x509/names";

const RUNS = Number(process.env.HANDSHAKE_PROPERTY_RUNS ?? 150);

describe("choosing a certificate by SNI", () => {
  it("presents the certificate that names the host", () => {
    expect(chooseCertificate(CERTS, "api.example.com")).toMatchObject({ index: 1, why: "sni-match", accepted: true });
    expect(chooseCertificate(CERTS, "a.shop.example.net")).toMatchObject({ index: 2, matched: "*.shop.example.net", accepted: true });
    expect(chooseCertificate(CERTS, "WWW.Example.COM.")).toMatchObject({ index: 0, sni: "www.example.com", accepted: true });
  });

  it("falls back to the primary when nothing matches, and the browser refuses it", () => {
    const c = chooseCertificate(CERTS, "blog.example.com");
    expect(c).toMatchObject({ index: 0, why: "no-match-primary", accepted: false });
    // A wildcard covers exactly one label (RFC 9525 §6.3).
    expect(chooseCertificate(CERTS, "a.b.shop.example.net")).toMatchObject({ index: 0, why: "no-match-primary" });
  });

  it("sends no SNI to an IP address, so the primary is presented and no DNS name can match it", () => {
    expect(chooseCertificate(CERTS, "34.98.10.5")).toMatchObject({ sni: null, index: 0, why: "no-sni", accepted: false });
  });

  it("the no-match-refuses model ends the handshake instead (Google's load balancer does not)", () => {
    expect(chooseCertificate(CERTS, "blog.example.com", "no-match-refuses")).toMatchObject({ index: null, why: "refused" });
    expect(chooseCertificate(CERTS, "api.example.com", "no-match-refuses").index).toBe(1);
  });

  it("for any list and host: a covering certificate is presented when there is one, else the first", () => {
    const label = fc.constantFrom("www", "api", "shop", "a", "b");
    const domain = fc.constantFrom("example.com", "example.net");
    const name = fc.tuple(fc.boolean(), label, domain).map(([wild, l, d]) => (wild ? `*.${d}` : `${l}.${d}`));
    fc.assert(fc.property(
      fc.array(fc.array(name, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
      fc.tuple(label, domain).map(([l, d]) => `${l}.${d}`),
      (lists, host) => {
        const certs = lists.map((names, i) => ({ name: `c${i}`, names }));
        const c = chooseCertificate(certs, host);
        const covering = certs.findIndex((x) => x.names.some((n) => dnsPatternMatches(n, host)));
        expect(c.index).toBe(covering >= 0 ? covering : 0);
        expect(c.accepted).toBe(covering >= 0);
      },
    ), { numRuns: RUNS });
  });
});
