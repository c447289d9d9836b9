/**
 * The stepper's sessions agree with the flagship's own trace, for every TLS-relevant setting
 * (fast-check over the parameter space, HANDSHAKE_PROPERTY_RUNS runs): each `tls-terminate` is a
 * session with its ordinal, SNI and certificate; each `tls-alert` ends a session with that alert; a cold
 * journey's `handshake` events count TCP's round trip plus the one the handshake's messages take, a
 * warm one has none; and the sessions follow `cloudflare` and `origin-protection` as the flagship does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeTrace } from "../../../../src/sim/scenarios/index";
import { eventsOfType } from "../../../../src/sim/trace";
import { readJourneyTls } from "../../../../src/sim/tls/handshake/journey-tls";
import { handshakeMessages, tlsRoundTrips } from "../../../../src/sim/tls/handshake/messages";

const RUNS = Number(process.env.HANDSHAKE_PROPERTY_RUNS ?? 150);
const settings = fc.record({
  cloudflare: fc.constantFrom("on", "off", "bypassed"),
  host: fc.constantFrom("www.example.com", "api.example.com", "a.b.example.com", "shop.example.net", "example.com"),
  "origin-cert": fc.constantFrom("certificate-manager", "origin-ca", "managed-issued-dns-only", "managed-proxied"),
  "origin-protection": fc.constantFrom("none", "cloud-armor", "mtls"),
  connections: fc.constantFrom("warm", "cold"),
  "cache-rule": fc.constantFrom("none", "cache-everything"),
  cache: fc.constantFrom("miss", "hit"),
});

describe("the sessions read off the flagship trace", () => {
  it("match its tls-terminate, tls-alert and handshake events for any settings", () => {
    fc.assert(fc.property(settings, fc.nat(1000), (params, seed) => {
      const trace = computeTrace("cloudflare-gke", params, seed);
      const j = readJourneyTls(trace);
      for (const { event } of eventsOfType(trace, "tls-terminate")) {
        const hop = j.hops.find((h) => h.ordinal === event.ordinal)!;
        expect(hop.client.id).toBe(event.client);
        expect(hop.sni).toBe(event.sni);
        expect(hop.certificate?.names.join(", ")).toBe(event.certificate);
        expect(hop.failure).toBeNull();
      }
      const alerts = eventsOfType(trace, "tls-alert").map((a) => a.event.alert).sort();
      expect(j.hops.flatMap((h) => (h.failure ? [h.failure.alert] : [])).sort()).toEqual(alerts);
      for (const hop of j.hops) {
        const messages = handshakeMessages(hop);
        if (hop.failure) expect(messages.at(-1)!.id).toBe("alert");
        else expect(messages.at(-1)!.id).toBe("application-data");
        if (hop.connection.cold && !hop.failure) expect(hop.connection.roundTrips).toBe(1 + tlsRoundTrips(messages)!);
      }
      const tlsHandshakes = eventsOfType(trace, "handshake").filter((e) => e.event.protocol === "tcp+tls1.3");
      if (params.connections === "warm") expect(tlsHandshakes).toEqual([]);
      expect(j.hops.filter((h) => h.connection.cold).length).toBe(tlsHandshakes.length);
    }), { numRuns: RUNS });
  });

  it("follow the proxy setting: two terminations when proxied and pulled, one straight to the GFE otherwise", () => {
    fc.assert(fc.property(settings, (params) => {
      const j = readJourneyTls(computeTrace("cloudflare-gke", params, 0));
      const ids = j.hops.map((h) => h.id);
      if (params.cloudflare === "on") {
        expect(ids[0]).toBe("browser-cloudflare");
        const pulled = j.hops[0]!.failure === null && !(params["cache-rule"] === "cache-everything" && params.cache === "hit");
        expect(ids.includes("cloudflare-gfe")).toBe(pulled);
      } else {
        expect(ids).toEqual(["browser-gfe"]);
      }
    }), { numRuns: RUNS });
  });

  it("with authenticated origin pulls, the GFE asks Cloudflare for a certificate and gets one; a direct client has none", () => {
    const proxied = readJourneyTls(computeTrace("cloudflare-gke", { "origin-protection": "mtls" }));
    const pull = proxied.hops.find((h) => h.id === "cloudflare-gfe")!;
    expect(pull.certificateRequested).toBe(true);
    expect(pull.clientCertificate).toMatch(/origin-pull/);
    expect(handshakeMessages(pull).map((m) => m.id)).toContain("client-certificate-verify");
    expect(proxied.hops[0]!.certificateRequested).toBe(false);

    const direct = readJourneyTls(computeTrace("cloudflare-gke", { "origin-protection": "mtls", cloudflare: "bypassed" }));
    expect(direct.hops[0]!.failure).toMatchObject({ alert: "certificate_required (116)", sentBy: "server", after: "client-finished" });
    expect(direct.hops[0]!.certificate?.names).toEqual(["example.com", "*.example.com"]);
  });

  it("ends each failure at the message where it happens", () => {
    const at = (params: Record<string, string>) => readJourneyTls(computeTrace("cloudflare-gke", params)).hops.map((h) => h.failure && `${h.id}:${h.failure.sentBy}:${h.failure.after}:${h.failure.alert}`).filter(Boolean);
    expect(at({ host: "a.b.example.com" })).toEqual(["browser-cloudflare:server:client-hello:handshake_failure (40)"]);
    expect(at({ "origin-cert": "managed-proxied" })).toEqual(["cloudflare-gfe:server:client-hello:handshake_failure (40)"]);
    expect(at({ "origin-cert": "managed-issued-dns-only", host: "shop.example.com" })).toEqual(["cloudflare-gfe:client:server-finished:bad_certificate (42)"]);
    expect(at({ "origin-cert": "origin-ca", cloudflare: "off" })).toEqual(["browser-gfe:client:server-finished:unknown_ca (48)"]);
  });

  it("under the flagship's tls-at-pod model, one session runs from the browser to the Pod", () => {
    const j = readJourneyTls(computeTrace("cloudflare-gke", {}, 0, "tls-at-pod"));
    expect(j.hops.map((h) => h.id)).toEqual(["browser-pod"]);
    expect(j.segments.every((s) => s.session?.server === "pod")).toBe(true);
  });

  it("is plain JSON (the lab receives it as props)", () => {
    const j = readJourneyTls(computeTrace("cloudflare-gke", { connections: "cold" }));
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
