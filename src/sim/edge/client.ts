import { greatCircleKm, site, type SiteId } from "../geo";
import type { Packet } from "../net/packet";
import { ephemeralPort } from "../random";
import type { Device, TraceEvent } from "../trace";
import { USER_ROUTERS } from "../bgp/default-topology";
import { anycastRoute } from "./anycast";
import { CLOUDFLARE, EDGE_CERT } from "./cloudflare";
import { GOOGLE } from "./google-edge";
import { addHop, type EdgeJourney } from "./journey";
import { httpRequest, ipv4, rttMs, tcp, tls, withTtl } from "./packets";

/**
 * The user's side: the browser (or, bypassing Cloudflare, a script), its DNS answer, and the ISP
 * and transit that carry the packet to whichever site's anycast route is best — and, on the way
 * back, what the browser makes of the answer. Addresses in 198.51.100.0/24 (documentation) stand for users.
 */

export const USER_CITIES = {
  paris: { site: "paris", ip: "198.51.100.23" },
  tokyo: { site: "tokyo", ip: "198.51.100.81" },
  "sao-paulo": { site: "sao-paulo", ip: "198.51.100.144" },
  "new-york": { site: "new-york", ip: "198.51.100.200" },
} as const satisfies Record<string, { site: SiteId; ip: string }>;

/** The client's connection to the first network: its own end, and the address and site it reaches. */
export interface UserConnection {
  readonly ip: string;
  readonly port: number;
  /** Cloudflare's anycast address (proxied), or the load balancer's VIP (DNS only, or bypassed). */
  readonly frontIp: string;
  /** Where the ISP's best route to that address leads. */
  readonly frontSite: SiteId;
}

const browser = (j: EdgeJourney): Device => ({
  id: "browser", kind: "client", location: j.user.site,
  name: j.mode === "bypassed" ? `Client script (${site(j.user.site).name})` : `Browser (${site(j.user.site).name})`,
});
const isp = (j: EdgeJourney): Device => ({ id: "isp-router", kind: "router", location: j.user.site, name: `ISP and transit routers (${site(j.user.site).name})` });

/**
 * Leg 1 up to the first network: the browser looks the name up (or, bypassing, already knows an
 * address) and sends; the ISP routes to the address's best anycast site. Returns the packet as it
 * arrives there and the connection it opened.
 */
export function userToFront(j: EdgeJourney): { arrived: Packet; connection: UserConnection } {
  const frontIp = j.viaCloudflare ? CLOUDFLARE.anycastIp : GOOGLE.vip;
  const port = ephemeralPort(j.random);
  // The user's access ISP in the simulated internet (src/sim/bgp/default-topology.ts) decides by BGP.
  const ispRouter = USER_ROUTERS[j.user.site];
  if (!ispRouter) throw new Error(`no access ISP for ${j.user.site} in the simulated internet`);
  const route = j.viaCloudflare
    ? anycastRoute(ispRouter, CLOUDFLARE.prefix, frontIp, CLOUDFLARE.asn, "Cloudflare")
    : anycastRoute(ispRouter, GOOGLE.prefix, frontIp, GOOGLE.asn, "Google's edge");
  const frontSite = route.chosen;
  const ok = j.segments.a === "ok";
  // Under tls-at-pod the browser's session is with the Pod, which presents the Ingress's certificate.
  const firstTls = j.model === "tls-at-pod"
    ? tls("browser", "pod", j.host, j.originCert)
    : j.viaCloudflare
      ? tls("browser", "cf-edge", j.host, ok ? EDGE_CERT : null)
      : tls("browser", "gfe", j.host, ok && j.originCert.issued ? j.originCert : null);
  // A handshake that will fail carries no request.
  const sent: Packet = {
    layers: ok
      ? [ipv4(j.user.ip, frontIp), tcp(port, 443), firstTls, httpRequest(j.path, j.host)]
      : [ipv4(j.user.ip, frontIp), tcp(port, 443), firstTls],
  };

  const events: TraceEvent[] = [];
  if (j.mode === "on") {
    events.push({
      type: "dns-resolve", name: j.host, answer: CLOUDFLARE.anycastIp, authority: "Cloudflare DNS",
      note: `The record points at ${GOOGLE.vip} but is proxied, so Cloudflare's nameservers answer with Cloudflare's own anycast address. That hides the origin's address from DNS, not from the internet: it is still reachable directly.`,
    });
  } else if (j.mode === "off") {
    events.push({
      type: "dns-resolve", name: j.host, answer: GOOGLE.vip, authority: "the zone's nameservers (Cloud DNS, or Cloudflare with the record set to DNS only)",
      note: "The A record points straight at the load balancer's reserved global address, which anyone can now look up.",
    });
  }
  if (j.cold && ok) {
    // TCP's handshake, then a full TLS 1.3 handshake (RFC 8446 §2): two round trips before the request.
    const toPod = j.model === "tls-at-pod";
    events.push({
      type: "handshake", protocol: "tcp+tls1.3", peer: toPod ? "the Pod" : j.viaCloudflare ? "Cloudflare's edge" : "the GFE", roundTrips: 2,
      rttMs: toPod ? rttMs(j.user.site, j.cluster.site) : rttMs(j.user.site, frontSite),
      note: "The model has no access network, so a same-city round trip shows as almost nothing; add your own Wi-Fi and ISP round trip (often 5–20 ms) twice.",
    });
  }
  events.push({
    type: "forward", to: "isp-router",
    via: j.mode === "bypassed"
      ? `home router and access network, to ${GOOGLE.vip}, an address the script already knows (from scanning, old DNS records or certificate logs); it sends SNI and Host ${j.host} and does not verify the certificate (like curl --insecure)`
      : "home router and access network",
  });
  addHop(j, "request", 1, browser(j), null, sent, events);

  // Six routers across the ISP and transit, each decrementing the TTL.
  const arrived = withTtl(sent, 6);
  addHop(j, "request", 1, isp(j), sent, arrived, [
    route,
    { type: "forward", to: j.viaCloudflare ? "cf-unimog" : "google-router", via: "six routers across the ISP and transit", distanceKm: Math.round(greatCircleKm(site(j.user.site), site(frontSite))) },
  ]);
  return { arrived, connection: { ip: j.user.ip, port, frontIp, frontSite } };
}

/** What the client makes of the last packet: the page, or the failed handshake it ends on. */
function clientVerdict(j: EdgeJourney): TraceEvent[] {
  const page: TraceEvent = { type: "deliver", to: "the page's fetch, via the browser's TLS session" };
  if (j.viaCloudflare) {
    // Behind Cloudflare the browser only ever talks to Cloudflare's edge: an error there is Cloudflare's page.
    return j.segments.a === "edge-no-cert" ? [{ type: "deliver", to: "the browser's TLS stack: the connection fails and no HTTP request is ever sent" }] : [page];
  }
  switch (j.segments.a) {
    case "gfe-no-cert":
      return [{ type: "deliver", to: "the client's TLS stack: the handshake fails (browsers show ERR_SSL_VERSION_OR_CIPHER_MISMATCH) and no HTTP request is sent" }];
    case "gfe-needs-client-cert":
      return [{ type: "deliver", to: "the client's TLS stack: the load balancer ended the handshake for want of a client certificate, so the request never reaches a backend" }];
    case "client-rejects": {
      const untrusted = j.originCert.trust !== "public";
      return [
        {
          type: "tls-alert", alert: untrusted ? "unknown_ca (48)" : "bad_certificate (42)", sentBy: "browser",
          why: untrusted
            ? "Cloudflare's Origin CA is not in browsers' trust stores, so a browser that reaches the load balancer directly refuses the certificate (NET::ERR_CERT_AUTHORITY_INVALID). It is meant for the Cloudflare-to-origin segment only."
            : `The certificate names ${j.originCert.names.join(", ")}, none of which covers ${j.host} (NET::ERR_CERT_COMMON_NAME_INVALID).`,
        },
        { type: "deliver", to: "the browser's error page; no HTTP request is sent" },
      ];
    }
    default:
      return [page];
  }
}

/** The browser's last two hops on every response path: back through transit and the ISP, then the client's verdict. */
export function userReceives(j: EdgeJourney, toIsp: Packet): void {
  const toBrowser = withTtl(toIsp, 6);
  addHop(j, "response", 5, isp(j), toIsp, toBrowser, [{ type: "forward", to: "browser", via: "transit and the ISP's access network" }]);
  addHop(j, "response", 5, browser(j), toBrowser, null, clientVerdict(j));
}
