/**
 * Who can read what, for the journey's settings and models: observers between terminators read addresses
 * and the SNI but, in TLS 1.3, neither the certificate (RFC 8446 §4.4.2) nor any HTTP; terminators read
 * everything that reaches them; the GFE-to-Pod hop is plain HTTP to the node (Google encrypts it below
 * the VM). Properties over the flagship's settings check the invariants the table must keep.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeTrace } from "../../../../src/sim/scenarios/index";
import { readJourneyTls } from "../../../../src/sim/tls/handshake/journey-tls";
import { readsOf, whoCanRead } from "../../../../src/sim/tls/handshake/visibility";

const RUNS = Number(process.env.HANDSHAKE_PROPERTY_RUNS ?? 150);
const journey = (params: Record<string, string> = {}, model: string | null = null) => readJourneyTls(computeTrace("cloudflare-gke", params, 0, model));

describe("who can read what", () => {
  it("proxied: the ISP reads addresses and SNI only; Cloudflare, the GFE and the Pod read the request", () => {
    const rows = whoCanRead(journey());
    expect(readsOf(rows, "user-path")).toEqual(["addresses", "sni"]);
    expect(readsOf(rows, "middle-mile")).toEqual(["addresses", "sni"]);
    for (const p of ["cloudflare", "gfe"] as const) expect(readsOf(rows, p)).toEqual(["addresses", "sni", "certificate", "http", "body"]);
    expect(readsOf(rows, "vpc")).toEqual(["addresses", "http", "body"]);
    expect(rows.find((r) => r.party === "vpc")!.note).toMatch(/network level/);
    expect(readsOf(rows, "pod")).toEqual(["addresses", "http", "body"]);
  });

  it("DNS only: Cloudflare and the middle mile are off the path", () => {
    const rows = whoCanRead(journey({ cloudflare: "off" }));
    for (const p of ["cloudflare", "middle-mile"] as const) {
      expect(Object.values(rows.find((r) => r.party === p)!.cells).every((c) => c.level === "absent")).toBe(true);
    }
    expect(readsOf(rows, "gfe")).toContain("http");
  });

  it("the wrong models change exactly what they believe", () => {
    const j = journey();
    expect(readsOf(whoCanRead(j, "tls12-cert-in-clear"), "user-path")).toEqual(["addresses", "sni", "certificate"]);
    expect(readsOf(whoCanRead(j, "sni-encrypted"), "user-path")).toEqual(["addresses"]);
    const atPod = whoCanRead(journey({}, "tls-at-pod"));
    expect(readsOf(atPod, "cloudflare")).toEqual(["addresses", "sni"]);
    expect(readsOf(atPod, "gfe")).toEqual(["addresses", "sni"]);
    expect(readsOf(atPod, "pod")).toContain("http");
  });

  it("a handshake that fails leaves nothing to read behind it", () => {
    const rows = whoCanRead(journey({ "origin-cert": "managed-proxied" }));
    expect(readsOf(rows, "gfe")).not.toContain("http");
    expect(readsOf(rows, "pod")).toEqual([]);
  });

  it("holds, for any settings: no observer between terminators reads HTTP or the certificate; whoever reads HTTP was reached", () => {
    fc.assert(fc.property(
      fc.record({
        cloudflare: fc.constantFrom("on", "off", "bypassed"),
        host: fc.constantFrom("www.example.com", "api.example.com", "a.b.example.com"),
        "origin-cert": fc.constantFrom("certificate-manager", "origin-ca", "managed-issued-dns-only", "managed-proxied"),
        "origin-protection": fc.constantFrom("none", "cloud-armor", "mtls"),
      }),
      (params) => {
        const j = journey(params);
        const rows = whoCanRead(j);
        for (const p of ["user-path", "middle-mile"] as const) {
          expect(readsOf(rows, p)).not.toContain("http");
          expect(readsOf(rows, p)).not.toContain("certificate");
        }
        if (readsOf(rows, "pod").includes("http")) expect(j.reached).toContain("pod");
        if (readsOf(rows, "cloudflare").length > 0) expect(params.cloudflare).toBe("on");
      },
    ), { numRuns: RUNS });
  });
});
