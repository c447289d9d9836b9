import type { SiteId } from "../geo";
import { certificateCovers } from "../net/dns-name";
import type { Packet } from "../net/packet";
import { seededRandom } from "../random";
import { eventsCostMs } from "../timing";
import { TraceBuilder, type Device, type Direction, type Leg, type Trace, type TraceEvent } from "../trace";
import type { FlagshipModel } from "./models";

/**
 * The context every stage of the edge journey (browser → Cloudflare → Google's edge → a GKE Pod)
 * shares: the settings a scenario resolved from its parameters, the seeded generator, the trace
 * being built, and the few facts decided once for the whole journey. Stage functions live with the
 * system they model (`edge/client.ts`, `edge/cloudflare-edge.ts`, `edge/google-edge.ts`,
 * `edge/gfe.ts`, `gcp/vpc.ts`, `gcp/gke.ts`); a scenario composes them.
 */

export type ProxyMode = "on" | "off" | "bypassed";
export type OriginProtection = "none" | "cloud-armor" | "mtls";
export type PodHealth = "all-healthy" | "target-unhealthy" | "all-unhealthy";
export type CacheState = "miss" | "hit" | "expired";

/** What becomes of one TLS segment's handshake. */
export type TlsSegmentOutcome = "ok" | "edge-no-cert" | "gfe-no-cert" | "gfe-needs-client-cert" | "client-rejects" | "cf-rejects";

export type CertificateTrust = "public" | "cloudflare-origin-ca";

/** A certificate a load balancer may present (see `ORIGIN_CERTIFICATES` in `edge/gfe-certificates.ts`). */
export interface OriginCertificate {
  readonly names: readonly string[];
  readonly issuer: string;
  readonly trust: CertificateTrust;
  /** False while a Google-managed certificate has not been issued (its domain status FAILED_NOT_VISIBLE). */
  readonly issued: boolean;
  readonly how: string;
}

/** Where the cluster runs: a region, the town its data centres are in, the nodes' subnet and its zones. */
export interface ClusterRegion {
  readonly name: string;
  readonly site: SiteId;
  readonly subnet: string;
  readonly zones: readonly string[];
}

export interface EdgeJourneySettings {
  readonly path: string;
  /** The name in the URL: SNI and Host. */
  readonly host: string;
  readonly mode: ProxyMode;
  readonly user: { readonly site: SiteId; readonly ip: string };
  readonly cluster: ClusterRegion;
  readonly cache: { readonly eligible: boolean; readonly state: CacheState };
  readonly podHealth: PodHealth;
  /** Cold: every connection on the way is opened for this request (handshakes cost round trips). */
  readonly cold: boolean;
  readonly protection: OriginProtection;
  readonly originCert: OriginCertificate;
  /** The names on Cloudflare's edge certificate for the zone. */
  readonly edgeCertNames: readonly string[];
}

/** Segment A: the client to the first terminator. Segment B: Cloudflare to the GFE (null without Cloudflare, or when A failed). */
export interface TlsSegments {
  readonly a: TlsSegmentOutcome;
  readonly b: TlsSegmentOutcome | null;
}

export interface EdgeJourney extends EdgeJourneySettings {
  readonly scenario: string;
  readonly params: Readonly<Record<string, string>>;
  readonly seed: number;
  readonly viaCloudflare: boolean;
  /** The trace's one generator: ephemeral ports are drawn from it in the order the connections open. */
  readonly random: () => number;
  readonly segments: TlsSegments;
  readonly trace: TraceBuilder;
  /** TLS terminations so far; each termination is numbered in the order the request meets it. */
  tlsTerminations: number;
  /** The wrong model the journey runs under (`edge/models.ts`), or null for the real behaviour. */
  readonly model: FlagshipModel | null;
}

/**
 * What happens to each TLS segment, decided up front so that a handshake that will fail carries no
 * request: the client meets Cloudflare's edge certificate (proxied) or the load balancer's (not);
 * Cloudflare in Full (strict) checks the load balancer's certificate covers the name.
 */
export function tlsSegments(s: Pick<EdgeJourneySettings, "mode" | "host" | "protection" | "originCert" | "edgeCertNames">): TlsSegments {
  const viaCloudflare = s.mode === "on";
  const originCovers = s.originCert.issued && certificateCovers(s.originCert.names, s.host);
  const a: TlsSegmentOutcome = viaCloudflare
    ? certificateCovers(s.edgeCertNames, s.host) ? "ok" : "edge-no-cert"
    : !s.originCert.issued ? "gfe-no-cert"
      : s.protection === "mtls" ? "gfe-needs-client-cert"
        // A bypassing script does not verify the certificate (like curl --insecure); a browser does.
        : s.mode === "off" && (s.originCert.trust !== "public" || !originCovers) ? "client-rejects"
          : "ok";
  const b: TlsSegmentOutcome | null = !viaCloudflare || a !== "ok"
    ? null
    : !s.originCert.issued ? "gfe-no-cert" : !originCovers ? "cf-rejects" : "ok";
  return { a, b };
}

export function startEdgeJourney(
  scenario: string, params: Readonly<Record<string, string>>, seed: number, settings: EdgeJourneySettings, model: FlagshipModel | null = null,
): EdgeJourney {
  const viaCloudflare = settings.mode === "on";
  return {
    ...settings, scenario, params, seed, viaCloudflare,
    random: seededRandom(seed),
    // With TLS ending at the Pod no proxy presents or checks a certificate: both segments carry the
    // request (B meaning only that Cloudflare's onward connection does), and the model judges no certificate.
    segments: model === "tls-at-pod" ? { a: "ok", b: viaCloudflare ? "ok" : null } : tlsSegments(settings),
    trace: new TraceBuilder(),
    tlsTerminations: 0,
    model,
  };
}

/** An `encap` event's note, with what the `encap-free` model believes about its size added. */
export function encapNote(j: EdgeJourney, note: string): string {
  return j.model === "encap-free" ? `${note} (This model believes the outer headers cost no bytes.)` : note;
}

/** Adds a hop; its processing time is what its events cost (`timing.ts`). */
export function addHop(j: EdgeJourney, direction: Direction, leg: Leg, device: Device, inPkt: Packet | null, outPkt: Packet | null, events: readonly TraceEvent[]): void {
  j.trace.add({ direction, leg, device, in: inPkt, out: outPkt, events, processingMs: eventsCostMs(events) });
}

/** The ordinal of the next TLS termination (1 at the first proxy, 2 at the GFE behind Cloudflare). */
export function nextTlsOrdinal(j: EdgeJourney): number {
  return ++j.tlsTerminations;
}

export function finishJourney(j: EdgeJourney): Trace {
  return j.trace.build(j.scenario, j.params, j.seed, undefined, j.model);
}
