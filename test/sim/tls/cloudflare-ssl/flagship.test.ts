/**
 * The flagship (src/sim/edge) runs Full (strict) in front of a Google load balancer whose certificate is its
 * `origin-cert` setting. For the certificates both models hold, both must reach the same verdict for every host:
 * the flagship's trace (its tls-alert and respond events) against this model's Full (strict) outcome.
 */
import { describe, expect, it } from "vitest";
import { computeTrace } from "../../../../src/sim/index";
import { EDGE_CERT } from "../../../../src/sim/edge/cloudflare";
import { ORIGIN_CERTIFICATES } from "../../../../src/sim/edge/gfe-certificates";
import { DEFAULT_INPUT, EDGE_CERT_NAMES, type OriginCert } from "../../../../src/sim/tls/cloudflare-ssl/inputs";
import { ORIGIN_CHAINS } from "../../../../src/sim/tls/cloudflare-ssl/certificates";
import { runSslMode } from "../../../../src/sim/tls/cloudflare-ssl/run";

type Verdict = "page" | "525" | "526" | "edge-cert";

function flagshipVerdict(originCert: string, host: string): Verdict {
  const trace = computeTrace("cloudflare-gke", { "origin-cert": originCert, host }, 0, null);
  const events = trace.hops.flatMap((h) => h.events);
  if (events.some((e) => e.type === "tls-alert" && e.sentBy === "cf-edge" && e.alert.startsWith("handshake_failure"))) return "edge-cert";
  const statuses = events.filter((e) => e.type === "respond").map((e) => e.status);
  if (statuses.some((s) => s.startsWith("525"))) return "525";
  if (statuses.some((s) => s.startsWith("526"))) return "526";
  return "page";
}

function ourVerdict(cert: OriginCert, host: string): Verdict {
  const r = runSslMode({ ...DEFAULT_INPUT, mode: "strict", cert, host });
  if (r.outcome.short === "No edge cert") return "edge-cert";
  if (r.outcome.code === 525 || r.outcome.code === 526) return String(r.outcome.code) as "525" | "526";
  expect(r.outcome.code).toBe(200);
  return "page";
}

const HOSTS = ["www.example.com", "api.example.com", "example.com", "shop.example.com", "a.b.example.com"];
const sorted = (names: readonly string[]) => [...names].sort();

describe("agreement with the flagship's Full (strict)", () => {
  it("shares the flagship's certificates' names and issuers, and its edge certificate", () => {
    expect(sorted(EDGE_CERT_NAMES)).toEqual(sorted(EDGE_CERT.names));
    expect(sorted(ORIGIN_CHAINS.valid[0]!.san!.map((n) => n.value))).toEqual(sorted(ORIGIN_CERTIFICATES["certificate-manager"]!.names));
    expect(ORIGIN_CHAINS.valid[0]!.issuer).toContain(`CN=${ORIGIN_CERTIFICATES["certificate-manager"]!.issuer.replace("Google Trust Services ", "")}`);
    expect(sorted(ORIGIN_CHAINS["origin-ca"][0]!.san!.map((n) => n.value))).toEqual(sorted(ORIGIN_CERTIFICATES["origin-ca"]!.names));
    expect(ORIGIN_CHAINS["origin-ca"][0]!.issuer).toContain(ORIGIN_CERTIFICATES["origin-ca"]!.issuer);
  });

  const pairs: [OriginCert, string][] = [["valid", "certificate-manager"], ["origin-ca", "origin-ca"], ["none", "managed-proxied"]];
  for (const [ours, theirs] of pairs) {
    it(`${ours} here behaves as ${theirs} there, for every host`, () => {
      for (const host of HOSTS) expect(ourVerdict(ours, host), host).toBe(flagshipVerdict(theirs, host));
    });
  }

  it("a certificate for other names is refused with 526 in both (wrong-host here, the ManagedCertificate for www and api there)", () => {
    for (const host of ["shop.example.com", "example.com"]) {
      expect(flagshipVerdict("managed-issued-dns-only", host)).toBe("526");
      expect(ourVerdict("wrong-host", host)).toBe("526");
    }
  });
});
