import { formatIpv4 } from "../net/ipv4";
import { parseCidr } from "../net/cidr";
import type { Layer, Packet } from "../net/packet";
import { ephemeralPort, seededRandom } from "../random";
import type { Candidate, TraceEvent } from "../trace";
import { isCloudflareAddress } from "./cloudflare";
import { GOOGLE, type GoogleEdgeVisit } from "./google-edge";
import { addHop, nextTlsOrdinal, type EdgeJourney } from "./journey";
import { hash32, httpOf, httpRequest, httpResponse, ipv4, rttMs, tcp, tls } from "./packets";
import { applianceAddress, APPLIANCE_PORT, WEB_NODE_PORT } from "../gcp/believed";
import { parseHttpRequest } from "./gfe-request";
import { decodeUrlMap, matchUrlMap, type UrlMap } from "./url-map";

/**
 * The GFE of the classic Application Load Balancer that GKE Ingress provisions: it finishes the TLS
 * handshake (or fails it), evaluates the URL map, applies the backend service's Cloud Armor policy,
 * and picks an endpoint from the container-native NEGs — RATE balancing mode on zonal NEGs,
 * waterfall by region — opening its own connection to the Pod from a proxy address. Errors it
 * answers itself, as the classic load balancer does (a 502 logged as failed_to_pick_backend).
 */

/** Where GFEs and health checkers connect to backends from: either range, for both kinds of traffic. */
export const GOOGLE_PROXY_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** The Ingress routes one host; anything else falls to the default backend. */
export const GFE_URL_MAP = { host: "www.example.com", pathPrefix: "/", backendService: "k8s1-3f9a7c2e-default-web-80-6a4b1c7d" } as const;

/** On GKE Ingress the URL map's default service is kube-system/default-http-backend, a small 404 server. */
export const GFE_DEFAULT_BACKEND = "kube-system/default-http-backend";

/**
 * The flagship's URL map in the API's shape, as GKE Ingress writes it for the one host: `/*` to the
 * web backend service, the default backend for any other host and as the path matcher's default.
 */
export const GFE_URL_MAP_RESOURCE: UrlMap = decodeUrlMap({
  name: "k8s2-um-4ff6qdzk-default-web-ingress-8s2dwz6c",
  defaultService: "k8s1-3f9a7c2e-kube-system-default-http-backend-80-1c2d3e4f",
  hostRules: [{ hosts: [GFE_URL_MAP.host], pathMatcher: "host2c5e9a7b1d0f3e6a" }],
  pathMatchers: [{
    name: "host2c5e9a7b1d0f3e6a",
    defaultService: "k8s1-3f9a7c2e-kube-system-default-http-backend-80-1c2d3e4f",
    pathRules: [{ paths: [`${GFE_URL_MAP.pathPrefix}*`], service: GFE_URL_MAP.backendService }],
  }],
});

/** Whether the URL map's one rule matches the request (else the default service answers), by the URL-map matcher. */
export function urlMapRoutes(host: string, path: string): boolean {
  const decision = matchUrlMap(GFE_URL_MAP_RESOURCE, parseHttpRequest({ url: path.startsWith("/") ? path : `/${path}`, host }));
  return decision.fellBack === null && decision.target.kind === "service" && decision.target.name === GFE_URL_MAP.backendService;
}

/**
 * The source address a GFE uses towards backends: each GFE has its own, from either proxy range. The
 * model derives it from the GFE's name, so it is stable per GFE and both ranges occur.
 */
export function gfeSourceAddress(gfeName: string): string {
  const h = hash32(`source|${gfeName}`);
  const range = parseCidr(GOOGLE_PROXY_RANGES[h & 1]!);
  const hosts = 2 ** (32 - range.prefix) - 2;
  return formatIpv4((range.network + 1 + ((h >>> 1) % hosts)) >>> 0);
}

/** An endpoint of the backend service's zonal NEGs, with what the health checks last said. */
export interface NegEndpoint {
  readonly ip: string;
  readonly port: number;
  readonly pod: string;
  readonly node: string;
  readonly zone: string;
  readonly healthy: boolean;
  /** The node's VPC address (what a NodePort would be reached on). */
  readonly nodeAddress?: string;
}

export type GfeResult<E extends NegEndpoint> =
  /** The GFE answered (or failed the handshake) itself: the packet towards the edge router. */
  | { readonly kind: "answered"; readonly out: Packet }
  /**
   * The GFE proxies to a Pod: the new request, the endpoint, and the connection it opened. `deferred`:
   * under separate-lb-box, the health check and the choice, which the model's appliance records.
   */
  | { readonly kind: "proxied"; readonly toPod: Packet; readonly endpoint: E; readonly sourceIp: string; readonly sourcePort: number; readonly deferred?: readonly TraceEvent[] };

/** A packet from the VIP back to whoever connected (Cloudflare's egress, or the client): the GFE answers directly. */
function towardsFront(visit: GoogleEdgeVisit, ...rest: Layer[]): Packet {
  return { layers: [ipv4(GOOGLE.vip, visit.fromIp), tcp(443, visit.fromPort), ...rest] };
}

const tlsClient = (j: EdgeJourney) => (j.viaCloudflare ? "cf-edge" : "browser");

/** The request's TLS and HTTP layers as they arrived (inside the GRE tunnel, after the inner TCP header). */
function sessionLayers(packet: Packet): Layer[] {
  const at = packet.layers.findIndex((l) => l.kind === "tcp");
  return packet.layers.slice(at + 1);
}

/**
 * Where the GFE sends the request for an endpoint: the Pod itself (a NEG endpoint), or — under the
 * wrong models — the appliance believed to sit in front of the cluster, or the Pod's node's NodePort.
 */
function backendTarget(j: EdgeJourney, e: NegEndpoint): { ip: string; port: number } {
  if (j.model === "separate-lb-box") return { ip: applianceAddress(j.cluster.subnet), port: APPLIANCE_PORT };
  if (j.model === "kube-proxy-on-neg-path" && e.nodeAddress) return { ip: e.nodeAddress, port: WEB_NODE_PORT };
  return { ip: e.ip, port: e.port };
}
const shownCert = (j: EdgeJourney) => (j.originCert.issued ? j.originCert : null);

/** The GFE's hop on the way back: direct server return, bypassing Maglev. */
function gfeAnswers(j: EdgeJourney, visit: GoogleEdgeVisit, inPkt: Packet | null, out: Packet, events: readonly TraceEvent[]): Packet {
  addHop(j, "response", 5, visit.gfe.device, inPkt, out, [
    ...events,
    j.model === "reply-retraces-all"
      ? { type: "forward", to: "maglev", via: "back to the Maglev that forwarded the request, as this model believes every reply retraces the request" }
      : { type: "forward", to: "google-router", via: "direct server return: the GFE answers from the VIP, bypassing Maglev" },
  ]);
  return out;
}

/** Leg 3 at the GFE: TLS, URL map, security policy, NEG choice. `endpoints` are the NEGs' endpoints in the cluster's region. */
export function gfe<E extends NegEndpoint>(j: EdgeJourney, visit: GoogleEdgeVisit, endpoints: readonly E[]): GfeResult<E> {
  const device = visit.gfe.device;
  const events: TraceEvent[] = [{ type: "decap", protocol: "gre" }];
  const handshake = j.viaCloudflare ? j.segments.b! : j.segments.a;
  if (handshake === "gfe-no-cert" || handshake === "gfe-needs-client-cert") {
    const alert = handshake === "gfe-no-cert" ? "handshake_failure (40)" : "certificate_required (116)";
    events.push({
      type: "tls-alert", alert, sentBy: "gfe",
      why: handshake === "gfe-no-cert"
        ? `The target HTTPS proxy has no issued certificate for ${j.host}: ${j.originCert.how}.`
        : `The target HTTPS proxy's server TLS policy requires a client certificate that chains to its trust config (Cloudflare's origin-pull CA); this client presented none. Only Cloudflare, pulling for this zone, has one.`,
    });
    addHop(j, "request", 3, device, visit.toGfe, null, events);
    return { kind: "answered", out: gfeAnswers(j, visit, null, towardsFront(visit, tls(tlsClient(j), "gfe", j.host, null, alert)), []) };
  }
  if (handshake === "client-rejects" || handshake === "cf-rejects") {
    // The GFE completes its half; the client refuses the certificate (its alert is on its own hop).
    addHop(j, "request", 3, device, visit.toGfe, null, [
      ...events,
      { type: "respond", status: "TLS ServerHello and certificate", by: `the GFE, presenting ${j.originCert.names.join(", ")} (issued by ${j.originCert.issuer})` },
    ]);
    return { kind: "answered", out: gfeAnswers(j, visit, null, towardsFront(visit, tls(tlsClient(j), "gfe", j.host, shownCert(j))), []) };
  }

  // Under tls-at-pod the GFE holds no key for the session: it cannot read Host or path, so it has no
  // URL map to apply and sends every request to the one backend service.
  const blind = j.model === "tls-at-pod";
  if (!blind) {
    events.push({
      type: "tls-terminate", ordinal: nextTlsOrdinal(j), certificate: j.originCert.names.join(", "), issuer: j.originCert.issuer,
      client: tlsClient(j), sni: j.host,
    });
  }
  const routed = blind || urlMapRoutes(j.host, j.path);
  if (!blind) {
    events.push({
      type: "url-map", host: j.host, path: j.path,
      matchedRule: routed ? `host ${GFE_URL_MAP.host}, path ${GFE_URL_MAP.pathPrefix}*` : null,
      backendService: routed ? GFE_URL_MAP.backendService : null,
    });
  }
  const answer = (status: string, by: string): GfeResult<E> => {
    addHop(j, "request", 3, device, visit.toGfe, null, events);
    return { kind: "answered", out: gfeAnswers(j, visit, null, relayed(j, visit, httpResponse(status)), [{ type: "respond", status, by }]) };
  };

  if (!routed) {
    // Simplified: the default service is a Pod in the cluster; the model answers at the GFE and leaves
    // that detour out. A Cloud Armor policy attached to the web Service's backend service (through its
    // BackendConfig) does not cover it.
    return answer("404 Not Found", `the URL map's default service (on GKE Ingress, ${GFE_DEFAULT_BACKEND}; not drawn)`);
  }
  if (j.protection === "cloud-armor") {
    const allowed = isCloudflareAddress(visit.fromIp);
    events.push({
      type: "waf", ruleset: "Cloud Armor security policy on the backend service", verdict: allowed ? "allow" : "block",
      rule: allowed
        ? `priority 1000 allows src-ip-ranges in Cloudflare's published IPv4 ranges, which hold ${visit.fromIp}`
        : `${visit.fromIp} is not in Cloudflare's ranges; the default rule (priority 2147483647) denies with 403`,
    });
    if (!allowed) return answer("403 Forbidden", "Cloud Armor (the security policy's default deny rule)");
  }

  // Under separate-lb-box the health check and the choice belong to the appliance: recorded apart,
  // handed to it. With no healthy endpoint the model has nothing new to say, and the GFE answers as it really does.
  const deferring = j.model === "separate-lb-box";
  const selection: TraceEvent[] = [];
  const chosen = pickEndpoint(j, visit, endpoints, deferring ? selection : events);
  if (!chosen) {
    events.push(...selection);
    return answer("502 Bad Gateway", "the GFE (statusDetails: failed_to_pick_backend)");
  }

  const sourceIp = gfeSourceAddress(visit.gfe.name);
  const sourcePort = ephemeralPort(j.random);
  const dst = backendTarget(j, chosen);
  const target = `${dst.ip}:${dst.port}`;
  if (j.cold) {
    events.push({
      type: "handshake", protocol: "tcp", peer: target, roundTrips: 1, rttMs: rttMs(visit.site, j.cluster.site),
      note: "The GFE speaks plain HTTP to the Pod here, so only TCP's handshake; GFEs normally keep backend connections open and reuse them.",
    });
  }
  // The load balancer appends the address that connected to it and its own forwarding-rule address.
  const forwarded = [httpOf(visit.toGfe)?.forwardedFor, visit.fromIp, GOOGLE.vip].filter((x): x is string => !!x).join(", ");
  const toPod: Packet = {
    layers: [ipv4(sourceIp, dst.ip), tcp(sourcePort, dst.port), ...(blind ? sessionLayers(visit.toGfe) : [httpRequest(j.path, j.host, forwarded)])],
  };
  const towards = j.model === "separate-lb-box"
    ? `the load-balancer appliance at ${target}, which this model believes picks the Pod`
    : j.model === "kube-proxy-on-neg-path" ? `NodePort ${WEB_NODE_PORT} of ${chosen.node} (${target}), as this model believes` : "the Pod";
  addHop(j, "request", 3, device, visit.toGfe, toPod, [
    ...events,
    {
      type: "forward", to: "backbone",
      via: blind
        ? `a ${j.cold ? "new" : "kept-alive"} TCP connection from ${sourceIp} to the Pod, relaying the browser's TLS records unread (this model: no URL map, no X-Forwarded-For)`
        : `${j.cold ? "a new" : "a kept-alive"} HTTP/1.1 connection from ${sourceIp} to ${towards} (plain HTTP; Google encrypts it at the network layer)`,
    },
  ]);
  return { kind: "proxied", toPod, endpoint: chosen, sourceIp, sourcePort, ...(deferring ? { deferred: selection } : {}) };
}

/**
 * The NEG choice: health first, then RATE balancing over the zonal NEGs. Adds the health-check and
 * lb-select events; null when no endpoint is healthy.
 */
function pickEndpoint<E extends NegEndpoint>(j: EdgeJourney, visit: GoogleEdgeVisit, endpoints: readonly E[], events: TraceEvent[]): E | null {
  // Under kube-proxy-on-neg-path the backends are believed to be node ports: the same draw, addressed by node.
  const viaNodePort = j.model === "kube-proxy-on-neg-path";
  const addressOf = (e: E) => {
    const t = backendTarget(j, e);
    return viaNodePort ? `${t.ip}:${t.port}` : `${e.ip}:${e.port}`;
  };
  events.push({
    type: "health-check",
    endpoints: endpoints.map((e) => ({ ip: addressOf(e), healthy: e.healthy })),
    probeSources: GOOGLE_PROXY_RANGES.join(" and "),
  });
  const healthy = endpoints.filter((e) => e.healthy);
  const candidates: Candidate[] = endpoints.map((e) => ({
    id: addressOf(e),
    detail: viaNodePort
      ? `NodePort ${WEB_NODE_PORT} on ${e.node} (this model: kube-proxy there DNATs to ${e.pod}), ${e.healthy ? "healthy" : "failing health checks"}`
      : `${e.pod} on ${e.node}, in the zonal NEG of ${e.zone} (balancing mode RATE), ${e.healthy ? "healthy" : "failing health checks"}`,
  }));
  const algorithm = "RATE balancing mode; waterfall by region, then spread over the region's zonal NEGs";
  if (healthy.length === 0) {
    events.push({
      type: "lb-select", layer: "L7", algorithm, candidates, chosen: null,
      why: "Every endpoint in every zonal NEG is failing its health check, so the GFE cannot pick a backend. The classic Application Load Balancer answers its own errors with 502; its log entry says statusDetails: failed_to_pick_backend.",
    });
    return null;
  }
  // No shared counter: each GFE chooses on its own. The model draws from a generator seeded by this
  // GFE's name and the trace's seed, weighting each zonal NEG by its healthy endpoints (its RATE capacity).
  const gfeRandom = seededRandom(hash32(`${visit.gfe.name}|${j.seed}`));
  const endpoint = healthy[Math.floor(gfeRandom() * healthy.length)]!;
  const chooser = j.model === "separate-lb-box" ? "this model's load-balancer appliance" : visit.gfe.name;
  events.push({
    type: "lb-select", layer: "L7", algorithm, candidates, chosen: addressOf(endpoint),
    why: j.model === "separate-lb-box" || viaNodePort
      ? `In this model ${chooser} picks ${addressOf(endpoint)} from the ${healthy.length} healthy of ${endpoints.length} backends` +
        (viaNodePort ? `, a node port; the node's kube-proxy rules are believed to DNAT it to ${endpoint.ip}:${endpoint.port}.` : ` and DNATs the request to it.`)
      :
      `Waterfall by region: ${j.cluster.name} is the only region with this backend service's NEGs, and it has capacity, so it is the region. ` +
      `GKE Ingress gives each zonal NEG balancing mode RATE; the GFE spreads requests over the NEGs by their healthy capacity ` +
      `(${healthy.length} of ${endpoints.length} endpoints), then within the NEG, and ${visit.gfe.name} picked ${endpoint.ip}. ` +
      "There is no shared round-robin counter: many GFEs choose independently, so consecutive requests are not dealt out in turn." +
      (healthy.length < endpoints.length ? " Endpoints failing health checks are skipped." : ""),
  });
  return endpoint;
}

/**
 * The GFE's answer on the front connection's TLS session (the one it terminated). Under tls-at-pod it
 * holds no session: the model still has it answer, on the browser's session with the Pod.
 */
function relayed(j: EdgeJourney, visit: GoogleEdgeVisit, http: Layer): Packet {
  if (j.model === "tls-at-pod") {
    const session = sessionLayers(visit.toGfe).find((l) => l.kind === "tls");
    return towardsFront(visit, ...(session ? [session] : []), http);
  }
  return towardsFront(visit, tls(tlsClient(j), "gfe", j.host, shownCert(j)), http);
}

/** The way back at the GFE: it relays the Pod's status and Cache-Control on the front connection. Returns the packet towards the edge router. */
export function gfeRelays(j: EdgeJourney, visit: GoogleEdgeVisit, fromPod: Packet): Packet {
  const pod = httpOf(fromPod);
  if (!pod?.status) throw new Error("the Pod's reply carries no HTTP status");
  // Under tls-at-pod the reply is the Pod's ciphertext, relayed as it came.
  if (j.model === "tls-at-pod") return gfeAnswers(j, visit, fromPod, towardsFront(visit, ...sessionLayers(fromPod)), []);
  const out = relayed(j, visit, httpResponse(pod.status, pod.cacheControl ? { cacheControl: pod.cacheControl } : {}));
  return gfeAnswers(j, visit, fromPod, out, []);
}
