import { site, type SiteId } from "../geo";
import { certificateNameCovers } from "../net/dns-name";
import type { HttpLayer, Layer, Packet } from "../net/packet";
import { encapsulate } from "../net/packet";
import { formatFiveTuple } from "../net/ports";
import { ephemeralPort } from "../random";
import type { Device, TraceEvent } from "../trace";
import { anycastRoute } from "./anycast";
import type { UserConnection } from "./client";
import { CLOUDFLARE, CLOUDFLARE_SITES, EDGE_CERT } from "./cloudflare";
import { cacheLookup, cacheStore, type CacheLookup } from "./cloudflare-cache";
import { GOOGLE, type GoogleArrival } from "./google-edge";
import { addHop, encapNote, nextTlsOrdinal, type EdgeJourney } from "./journey";
import { hash32, httpOf, httpRequest, httpResponse, ipv4, rttMs, tcp, tls, withTtl } from "./packets";

/**
 * A Cloudflare site with the record proxied: Unimog spreads connections over the site's servers, the
 * edge terminates the browser's TLS, runs the WAF and looks in the cache, and — unless the cache
 * answers — pulls from the origin on a TLS session of its own, which the border router hands to
 * Google over a private interconnect. On the way back the edge stores what it may and answers the
 * browser, or answers with its own error page when the origin's handshake failed.
 */

/** What the request met at Cloudflare's site, kept for the way back. */
export interface CloudflareVisit {
  readonly site: SiteId;
  readonly edge: Device;
  readonly router: Device;
  /** Unimog on the server the flow landed on: on the way back only under the reply-retraces-all model. */
  readonly unimog: Device;
  readonly connection: UserConnection;
  readonly cacheKey: string;
  readonly lookup: CacheLookup;
}

export type CloudflareResult =
  /** The edge answered by itself (a failed handshake, or the cache): the packet towards the ISP. */
  | { readonly kind: "answered"; readonly toUser: Packet }
  /** The edge pulls from the origin: the packet as it arrives at Google's edge. */
  | { readonly kind: "origin-pull"; readonly visit: CloudflareVisit; readonly toGoogle: GoogleArrival };

/** A packet on the browser's connection, from the anycast address it connected to. */
function onBrowserConnection(c: UserConnection, ...rest: Layer[]): Packet {
  return { layers: [ipv4(CLOUDFLARE.anycastIp, c.ip), tcp(443, c.port), ...rest] };
}

/** An answer on the browser's TLS session, under the zone's edge certificate. */
function answerToBrowser(j: EdgeJourney, c: UserConnection, http: HttpLayer): Packet {
  return onBrowserConnection(c, tls("browser", "cf-edge", j.host, EDGE_CERT), http);
}

/**
 * Inside the site: the routers spread packets over servers by ECMP, and Unimog (an XDP program on
 * every server) forwards each to the server that owns its connection, in GUE when that is another one.
 */
function unimog(j: EdgeJourney, c: UserConnection, arrived: Packet): { toEdge: Packet; tunnelled: boolean; device: Device } {
  const where = site(c.frontSite).name;
  // Server names follow the site; their addresses are illustrative (Cloudflare does not publish them).
  const servers = [1, 2, 3, 4, 5, 6].map((n) => ({ name: `${c.frontSite.slice(0, 3)}-server-${n}`, address: `10.${20 + CLOUDFLARE_SITES.indexOf(c.frontSite)}.0.${n}` }));
  const flowText = formatFiveTuple({ protocol: "tcp", srcIp: c.ip, srcPort: c.port, dstIp: c.frontIp, dstPort: 443 });
  const landed = servers[hash32(`ecmp|${flowText}`) % servers.length]!;
  const owner = servers[hash32(`unimog|${flowText}`) % servers.length]!;
  const device: Device = { id: "cf-unimog", kind: "xdp-lb", location: c.frontSite, name: `Unimog on ${landed.name} (${where})` };
  const candidates = servers.map((s) => ({ id: s.name, detail: `${s.address} (illustrative address)` }));
  const events: TraceEvent[] = [
    {
      type: "lb-select", layer: "L3", algorithm: "ECMP (router hash of the 5-tuple)", candidates, chosen: landed.name,
      why: `The site's routers hold equal-cost routes to ${CLOUDFLARE.anycastIp} through every server and hash each flow onto one; this flow lands on ${landed.name}. (The choice is the router's; the model records it where the packet lands.)`,
    },
    {
      type: "lb-select", layer: "L4", algorithm: "Unimog (XDP, forwarding table by 5-tuple hash)", candidates, chosen: owner.name,
      why: `Unimog runs as an XDP program on every server. It hashes the 5-tuple ${flowText} into the forwarding table its control plane built and finds ${owner.name}${owner === landed ? ", this server: the packet goes straight up the stack" : "; the packet is sent on to it"}. Every server computes the same answer, so the connection stays on one server.`,
    },
  ];
  let toEdge = arrived;
  if (owner !== landed) {
    const gueOuter = [ipv4(landed.address, owner.address), { kind: "udp", srcPort: 49152 + (hash32(flowText) % 16384), dstPort: 6080 } as Layer, { kind: "gue" } as Layer];
    toEdge = encapsulate(arrived, gueOuter);
    events.push({
      type: "encap", protocol: "gue", outerSrc: landed.address, outerDst: owner.address,
      note: encapNote(j, "Generic UDP Encapsulation; the inner packet is untouched. The owning server answers the client itself (direct server return), so Unimog is not on the way back. Addresses and UDP port are illustrative."),
    });
  }
  events.push({ type: "forward", to: "cf-edge", via: owner === landed ? "this server's own network stack" : "the site's network" });
  addHop(j, "request", 1, device, arrived, toEdge, events);
  return { toEdge, tunnelled: owner !== landed, device };
}

/** Where the edge sends what it returns to the browser: the ISP (direct server return), or Unimog under reply-retraces-all. */
const edgeReturnsTo = (j: EdgeJourney) => (j.model === "reply-retraces-all" ? "cf-unimog" : "isp-router");

/**
 * Under reply-retraces-all the answer passes Unimog on its way out, as the request did on its way in;
 * in the real site the owning server answers the client itself and Unimog never sees the reply.
 */
function unimogReturns(j: EdgeJourney, unimog: Device, toUser: Packet): void {
  if (j.model !== "reply-retraces-all") return;
  addHop(j, "response", 5, unimog, toUser, toUser, [
    { type: "forward", to: "isp-router", via: "back through Unimog, as this model believes every reply retraces the request" },
  ]);
}

/** The browser's request as it arrived, without the IP and TCP headers (and any tunnel) in front: TLS and HTTP. */
function sessionLayers(packet: Packet): Layer[] {
  const at = packet.layers.findIndex((l) => l.kind === "tcp");
  return packet.layers.slice(at + 1);
}

/**
 * Leg 1 at Cloudflare, then leg 2. `cachedCopy` is what a fresh copy in this site's cache would be:
 * the origin's earlier answer for the URL (errors are never stored, so a 200 or the default backend's 404).
 */
export function cloudflareSite(j: EdgeJourney, c: UserConnection, arrived: Packet, cachedCopy: { status: string; cacheControl?: string }): CloudflareResult {
  const where = site(c.frontSite).name;
  const edge: Device = { id: "cf-edge", kind: "cdn-edge", location: c.frontSite, name: `Cloudflare edge (${where} PoP)` };
  const router: Device = { id: "cf-router", kind: "router", location: c.frontSite, name: `Cloudflare border router (${where})` };
  const { toEdge, tunnelled, device: unimogDevice } = unimog(j, c, arrived);

  const events: TraceEvent[] = tunnelled ? [{ type: "decap", protocol: "gue" }] : [];
  if (j.segments.a === "edge-no-cert") {
    addHop(j, "request", 1, edge, toEdge, null, [
      ...events,
      {
        type: "tls-alert", alert: "handshake_failure (40)", sentBy: "cf-edge",
        why: `No certificate on Cloudflare's edge covers ${j.host}: the zone's edge certificate names ${EDGE_CERT.names.join(" and ")}, and a wildcard covers exactly one label. Browsers show ERR_SSL_VERSION_OR_CIPHER_MISMATCH.`,
      },
      { type: "forward", to: edgeReturnsTo(j), via: "the TCP connection the handshake was on" },
    ]);
    const toUser = onBrowserConnection(c, tls("browser", "cf-edge", j.host, null, "handshake_failure (40)"));
    unimogReturns(j, unimogDevice, toUser);
    return { kind: "answered", toUser };
  }
  // Under tls-at-pod the edge holds no key for the browser's session: no termination, and with the
  // request unreadable no WAF rule and no cache lookup — it relays the ciphertext to the origin.
  const blind = j.model === "tls-at-pod";
  if (!blind) {
    events.push(
      { type: "tls-terminate", ordinal: nextTlsOrdinal(j), certificate: EDGE_CERT.names.join(", "), issuer: EDGE_CERT.issuer, client: "browser", sni: j.host },
      { type: "waf", ruleset: "Cloudflare WAF (managed ruleset)", verdict: "allow" },
    );
  }
  const cacheKey = `https://${j.host}${j.path}`;
  const lookup = cacheLookup(cacheKey, j.path, j.cache.eligible, j.cache.state);
  if (!blind) events.push(lookup.event);
  if (!blind && lookup.result === "HIT") {
    addHop(j, "request", 1, edge, toEdge, null, events);
    const toUser = answerToBrowser(j, c, httpResponse(cachedCopy.status, { cacheStatus: "HIT", ...(cachedCopy.cacheControl ? { cacheControl: cachedCopy.cacheControl } : {}) }));
    addHop(j, "response", 5, edge, null, toUser, [
      { type: "respond", status: cachedCopy.status, by: "Cloudflare's cache" },
      { type: "forward", to: edgeReturnsTo(j), via: "the TLS session with the browser" },
    ]);
    unimogReturns(j, unimogDevice, toUser);
    return { kind: "answered", toUser };
  }

  // Origin pull: Cloudflare's border router at this site decides by BGP; with a private interconnect
  // to Google here, its own eBGP route beats the same route learned over iBGP from the other sites.
  const googleRoute = anycastRoute(`${CLOUDFLARE.asn}@${c.frontSite}`, GOOGLE.prefix, GOOGLE.vip, GOOGLE.asn, "Google's edge");
  const googleSite = googleRoute.chosen;
  const port = ephemeralPort(j.random);
  const pulled = j.segments.b === "ok";
  const originCertShown = j.originCert.issued ? j.originCert : null;
  const toGoogle: Packet = {
    layers: blind
      ? [ipv4(CLOUDFLARE.egressIp, GOOGLE.vip), tcp(port, 443), ...sessionLayers(arrived)]
      : pulled
        ? [ipv4(CLOUDFLARE.egressIp, GOOGLE.vip), tcp(port, 443), tls("cf-edge", "gfe", j.host, originCertShown), httpRequest(j.path, j.host, c.ip)]
        : [ipv4(CLOUDFLARE.egressIp, GOOGLE.vip), tcp(port, 443), tls("cf-edge", "gfe", j.host, null)],
  };
  if (j.cold && pulled) {
    events.push(blind
      ? {
          type: "handshake", protocol: "tcp", peer: `whatever answers ${GOOGLE.vip}`, roundTrips: 1, rttMs: rttMs(c.frontSite, googleSite),
          note: "In this model Cloudflare opens only a TCP connection onwards: the TLS handshake is the browser's, with the Pod.",
        }
      : {
          type: "handshake", protocol: "tcp+tls1.3", peer: `the GFE behind ${GOOGLE.vip}`, roundTrips: 2, rttMs: rttMs(c.frontSite, googleSite),
          note: "Cloudflare normally keeps connections to the origin open and reuses them; a cold one pays TCP then TLS 1.3.",
        });
  }
  if (!blind) events.push({ type: "tls-originate", server: GOOGLE.vip, sni: j.host, verified: pulled, verification: originVerification(j) });
  events.push({
    type: "forward", to: "cf-router",
    via: blind
      ? "Cloudflare's site network, relaying the browser's TLS records unread on a TCP connection of its own (this model: without the session's keys the edge cannot see the Host or the path, so it can neither filter nor cache)"
      : "Cloudflare's site network",
  });
  addHop(j, "request", 1, edge, toEdge, toGoogle, events);

  const afterRouter = withTtl(toGoogle, 1);
  addHop(j, "request", 2, router, toGoogle, afterRouter, [
    googleRoute,
    { type: "forward", to: "google-router", via: `private network interconnect (PNI) with Google in ${site(googleSite).name}` },
  ]);
  return {
    kind: "origin-pull",
    visit: { site: c.frontSite, edge, router, unimog: unimogDevice, connection: c, cacheKey, lookup: lookup.result },
    toGoogle: { packet: afterRouter, fromIp: CLOUDFLARE.egressIp, fromPort: port, site: googleSite },
  };
}

/** SSL/TLS mode Full (strict): the origin's certificate must chain to a CA Cloudflare trusts, be unexpired and cover the name. */
function originVerification(j: EdgeJourney): string {
  const cert = j.originCert;
  if (j.segments.b === "ok") {
    const matching = cert.names.find((n) => certificateNameCovers(n, j.host));
    return `Full (strict): the certificate is issued by ${cert.issuer} (${cert.trust === "public" ? "a publicly trusted CA" : "Cloudflare's Origin CA, which strict mode accepts although browsers do not"}), unexpired, and names ${j.host} (as ${matching}).` +
      (j.protection === "mtls" ? " Asked for a client certificate, Cloudflare presents the zone's authenticated-origin-pull certificate." : "");
  }
  return j.segments.b === "gfe-no-cert"
    ? `The load balancer has no certificate to present: ${cert.how}. The handshake fails and Cloudflare answers 525.`
    : `Full (strict): the certificate names ${cert.names.join(", ")}, and none covers ${j.host}. Cloudflare refuses it and answers 526.`;
}

/**
 * The way back through Cloudflare: the border router, then the edge, which relays the origin's
 * answer (storing it if it may) or — when the origin sent no HTTP response — answers with its own
 * error page: 525 when the handshake failed, 526 when it refused the certificate. Returns the packet
 * towards the ISP.
 */
export function cloudflareReturns(j: EdgeJourney, visit: CloudflareVisit, fromGoogleRouter: Packet): Packet {
  const fromGoogle = withTtl(fromGoogleRouter, 1);
  addHop(j, "response", 5, visit.router, fromGoogleRouter, fromGoogle, [{ type: "forward", to: "cf-edge", via: "Cloudflare's site network" }]);
  const forward: TraceEvent = { type: "forward", to: edgeReturnsTo(j), via: "the TLS session with the browser" };
  if (j.model === "tls-at-pod") {
    // The answer is the Pod's ciphertext: the edge can add no header and store nothing.
    const toUser = onBrowserConnection(visit.connection, ...sessionLayers(fromGoogle));
    addHop(j, "response", 5, visit.edge, fromGoogle, toUser, [
      { type: "forward", to: edgeReturnsTo(j), via: "the browser's TCP connection, relaying the Pod's TLS records unread (this model: nothing is cached and no cf-cache-status is added)" },
    ]);
    unimogReturns(j, visit.unimog, toUser);
    return toUser;
  }
  const origin = httpOf(fromGoogle);
  if (origin?.status) {
    const cacheControl = origin.cacheControl;
    const toUser = answerToBrowser(j, visit.connection, httpResponse(origin.status, { cacheStatus: visit.lookup as HttpLayer["cacheStatus"], ...(cacheControl ? { cacheControl } : {}) }));
    addHop(j, "response", 5, visit.edge, fromGoogle, toUser, [cacheStore(visit.cacheKey, j.path, visit.lookup, origin.status, cacheControl), forward]);
    unimogReturns(j, visit.unimog, toUser);
    return toUser;
  }
  const handshakeFailed = fromGoogle.layers.some((l) => l.kind === "tls" && l.alert !== undefined);
  const status = handshakeFailed ? "525 SSL Handshake Failed" : "526 Invalid SSL Certificate";
  const toUser = answerToBrowser(j, visit.connection, httpResponse(status, {}));
  addHop(j, "response", 5, visit.edge, fromGoogle, toUser, [
    ...(handshakeFailed ? [] : [{
      type: "tls-alert", alert: "bad_certificate (42)", sentBy: "cf-edge",
      why: `Full (strict) checks that the certificate covers the name; ${j.originCert.names.join(", ")} does not cover ${j.host}.`,
    } satisfies TraceEvent]),
    { type: "respond", status, by: "Cloudflare's edge (its own error page; the origin sent no HTTP response)" },
    forward,
  ]);
  unimogReturns(j, visit.unimog, toUser);
  return toUser;
}
