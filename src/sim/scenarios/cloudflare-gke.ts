import { greatCircleKm, site, type SiteId } from "../geo";
import { anycastRoute, nearestSite } from "../edge/anycast";
import { maglevLookup, maglevTable } from "../edge/maglev";
import { cidrContains, formatCidr, parseCidr } from "../net/cidr";
import { parseIpv4 } from "../net/ipv4";
import type { HttpLayer, Layer, Packet, TlsLayer } from "../net/packet";
import { decapsulate, encapsulate } from "../net/packet";
import { ephemeralPort, seededRandom } from "../random";
import { eventsCostMs } from "../timing";
import { TraceBuilder, type Device, type Direction, type Leg, type TraceEvent } from "../trace";
import type { Scenario } from "./scenario";

/*
 * The flagship journey: a browser → Cloudflare → Google's edge → a GKE Pod reached through a
 * container-native (NEG) load balancer, and back. Addresses in documentation ranges (198.51.100.0/24)
 * stand for users; 104.16.0.0/13 and 162.158.0.0/15 are real Cloudflare ranges; 35.191.0.0/16 is the
 * range Google's proxies use towards backends; 10.255.x.x host addresses inside Google are
 * illustrative, since Google does not publish them.
 */

const USER_CITIES = {
  paris: { site: "paris", ip: "198.51.100.23" },
  tokyo: { site: "tokyo", ip: "198.51.100.81" },
  "sao-paulo": { site: "sao-paulo", ip: "198.51.100.144" },
  "new-york": { site: "new-york", ip: "198.51.100.200" },
} as const satisfies Record<string, { site: SiteId; ip: string }>;

/** Cities where both networks have a point of presence (a subset of each network's real footprint). */
const EDGE_SITES: readonly SiteId[] = [
  "paris", "london", "frankfurt", "tokyo", "singapore", "sao-paulo", "miami", "new-york", "los-angeles",
];

const REGIONS = {
  "us-central1": { site: "council-bluffs", subnet: "10.128.0", zones: ["us-central1-a", "us-central1-b", "us-central1-c"] },
  "europe-west1": { site: "saint-ghislain", subnet: "10.132.0", zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] },
  "asia-northeast1": { site: "tokyo-dc", subnet: "10.146.0", zones: ["asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"] },
} as const satisfies Record<string, { site: SiteId; subnet: string; zones: readonly string[] }>;

const CLOUDFLARE = { asn: 13335, prefix: "104.16.0.0/13", anycastIp: "104.18.32.7", egressIp: "162.158.84.17" };
const GOOGLE = { asn: 15169, prefix: "34.98.0.0/16", vip: "34.98.10.5", proxySource: "35.191.12.34" };
const SITE_HOST = "www.example.com";
const PATH = "/";
const EDGE_CERT = { subject: "example.com, *.example.com", issuer: "Google Trust Services WE1" };
/** The Google-managed certificate on the load balancer: it lists both names (it may list up to 100). */
const ORIGIN_CERT = { subject: "www.example.com, api.example.com", issuer: "Google Trust Services WR3" };
/** The Ingress routes one host; anything else falls to the default backend. */
const URL_MAP_RULE = { host: SITE_HOST, pathPrefix: "/", backendService: "k8s1-default-web-80" };
const CLUSTER_POD_RANGE = parseCidr("10.4.0.0/14");
const GENEVE_VNI = 4242;
const POD_PORT = 8080;

/** Three Pods of the Deployment behind the Service, one per zone. */
const PODS = [
  { pod: "web-7d4b9-x2kfp", ip: "10.4.1.5", node: "gke-web-pool-1a", nodeHost: ".12", zone: 0 },
  { pod: "web-7d4b9-q8mzn", ip: "10.4.2.7", node: "gke-web-pool-1b", nodeHost: ".13", zone: 1 },
  { pod: "web-7d4b9-w4rtc", ip: "10.4.3.9", node: "gke-web-pool-1c", nodeHost: ".14", zone: 2 },
] as const;

/**
 * Each Pod's node range: the /24 of the cluster range that holds its address (GKE's default of one
 * /24 per node). Derived once, so the route a node uses can never disagree with the address.
 */
const ENDPOINTS = PODS.map((p) => {
  const address = parseIpv4(p.ip);
  if (!cidrContains(CLUSTER_POD_RANGE, address)) throw new Error(`${p.ip} is outside the cluster's Pod range`);
  return { ...p, podRange: formatCidr({ network: (address & 0xffffff00) >>> 0, prefix: 24 }) };
});

type City = keyof typeof USER_CITIES;
type Region = keyof typeof REGIONS;

function ip(src: string, dst: string, ttl = 64): Layer {
  return { kind: "ipv4", src, dst, ttl };
}
function tcp(srcPort: number, dstPort: number): Layer {
  return { kind: "tcp", srcPort, dstPort };
}
function tls(client: string, server: string, sni: string, cert: { subject: string; issuer: string }): TlsLayer {
  return { kind: "tls", version: "1.3", sni, certificate: cert.subject, issuer: cert.issuer, client, server };
}
function request(host: string, forwardedFor?: string): HttpLayer {
  return forwardedFor ? { kind: "http", requestLine: `GET ${PATH}`, host, forwardedFor } : { kind: "http", requestLine: `GET ${PATH}`, host };
}
function response(status: string, cacheStatus?: "HIT" | "MISS"): HttpLayer {
  return cacheStatus ? { kind: "http", status, cacheStatus } : { kind: "http", status };
}
function withTtl(packet: Packet, decrement: number): Packet {
  let done = false;
  return {
    layers: packet.layers.map((l) => {
      if (done || l.kind !== "ipv4") return l;
      done = true;
      return { ...l, ttl: l.ttl - decrement };
    }),
  };
}

export const cloudflareGke: Scenario = {
  id: "cloudflare-gke",
  title: "A browser to a GKE Pod through Cloudflare and Google's edge",
  description:
    "HTTPS GET for https://www.example.com/ from a user's browser, proxied by Cloudflare, load-balanced by a " +
    "global external Application Load Balancer (Maglev, then a GFE) onto a container-native NEG, and answered by a Pod.",
  params: [
    {
      key: "city",
      label: "User's city",
      description: "Where the browser is. Both anycast decisions follow from it.",
      values: [
        { value: "paris", label: "Paris" },
        { value: "tokyo", label: "Tokyo" },
        { value: "sao-paulo", label: "São Paulo" },
        { value: "new-york", label: "New York" },
      ],
      default: "paris",
    },
    {
      key: "cloudflare",
      label: "Cloudflare proxy",
      description: "On: the DNS record is proxied (orange cloud). Off: DNS points straight at Google's address.",
      values: [
        { value: "on", label: "On (proxied)" },
        { value: "off", label: "Off (direct to Google)" },
      ],
      default: "on",
    },
    {
      key: "cache",
      label: "Cloudflare cache",
      description: "Whether Cloudflare's edge holds a fresh copy of the page. Only matters with Cloudflare on.",
      values: [
        { value: "miss", label: "Miss" },
        { value: "hit", label: "Hit" },
      ],
      default: "miss",
    },
    {
      key: "host",
      label: "Host header",
      description: "Both names are on the certificate; only www.example.com has a rule in the URL map.",
      values: [
        { value: "www.example.com", label: "www.example.com (routed)" },
        { value: "api.example.com", label: "api.example.com (no URL-map rule)" },
      ],
      default: "www.example.com",
    },
    {
      key: "pod-health",
      label: "Pod health",
      description: "Health-check results for the NEG's endpoints.",
      values: [
        { value: "all-healthy", label: "All healthy" },
        { value: "target-unhealthy", label: "10.4.1.5 failing" },
        { value: "all-unhealthy", label: "All failing" },
      ],
      default: "all-healthy",
    },
    {
      key: "region",
      label: "Backend region",
      description: "Where the GKE cluster runs.",
      values: [
        { value: "us-central1", label: "us-central1 (Iowa)" },
        { value: "europe-west1", label: "europe-west1 (Belgium)" },
        { value: "asia-northeast1", label: "asia-northeast1 (Tokyo)" },
      ],
      default: "us-central1",
    },
  ],
  run(params, seed) {
    const city = params.city as City;
    const region = params.region as Region;
    const host = params.host ?? SITE_HOST;
    const viaCloudflare = params.cloudflare === "on";
    const cacheHit = viaCloudflare && params.cache === "hit";
    const health = params["pod-health"] ?? "all-healthy";
    const random = seededRandom(seed);

    const user = USER_CITIES[city];
    const userSite = user.site;
    const regionInfo = REGIONS[region];
    const b = new TraceBuilder();
    const add = (direction: Direction, leg: Leg, device: Device, inPkt: Packet | null, outPkt: Packet | null, events: TraceEvent[]) =>
      b.add({ direction, leg, device, in: inPkt, out: outPkt, events, processingMs: eventsCostMs(events) });

    const browser: Device = { id: "browser", kind: "client", location: userSite, name: `Browser (${site(userSite).name})` };
    const isp: Device = { id: "isp-router", kind: "router", location: userSite, name: `ISP and transit routers (${site(userSite).name})` };
    const frontIp = viaCloudflare ? CLOUDFLARE.anycastIp : GOOGLE.vip;
    const clientPort = ephemeralPort(random);

    // Leg 1: the browser looks the name up and sends the request towards the anycast address.
    const firstTls = viaCloudflare
      ? tls("browser", "cf-edge", host, EDGE_CERT)
      : tls("browser", "gfe", host, ORIGIN_CERT);
    const fromBrowser: Packet = { layers: [ip(user.ip, frontIp), tcp(clientPort, 443), firstTls, request(host)] };
    add("request", 1, browser, null, fromBrowser, [
      viaCloudflare
        ? {
            type: "dns-resolve", name: host, answer: CLOUDFLARE.anycastIp, authority: "Cloudflare DNS",
            note: `The record points at ${GOOGLE.vip} but is proxied, so Cloudflare's nameservers answer with Cloudflare's own anycast address and the origin stays hidden.`,
          }
        : {
            type: "dns-resolve", name: host, answer: GOOGLE.vip, authority: "the zone's nameservers (Cloud DNS, or Cloudflare with the record set to DNS only)",
            note: "The A record points straight at the load balancer's reserved global address, which anyone can now look up.",
          },
      { type: "forward", to: "isp-router", via: "home router and access network" },
    ]);

    const frontSite = nearestSite(userSite, EDGE_SITES).chosen;
    const afterIsp = withTtl(fromBrowser, 6);
    add("request", 1, isp, fromBrowser, afterIsp, [
      viaCloudflare
        ? anycastRoute(userSite, EDGE_SITES, CLOUDFLARE.prefix, CLOUDFLARE.asn, "Cloudflare")
        : anycastRoute(userSite, EDGE_SITES, GOOGLE.prefix, GOOGLE.asn, "Google edge"),
      { type: "forward", to: viaCloudflare ? "cf-edge" : "maglev", via: "six routers across the ISP and transit", distanceKm: Math.round(greatCircleKm(site(userSite), site(frontSite))) },
    ]);

    let googleIn: Packet = afterIsp;
    let googleFrom: string = user.ip;
    let googleFromPort = clientPort;
    let googleSite = frontSite;
    let tlsOrdinal = 1;
    const cfEdge: Device = { id: "cf-edge", kind: "cdn-edge", location: frontSite, name: `Cloudflare edge (${site(frontSite).name} PoP)` };
    const cfRouter: Device = { id: "cf-router", kind: "router", location: frontSite, name: `Cloudflare border router (${site(frontSite).name})` };
    const cfToBrowser = (status: string, cacheStatus: "HIT" | "MISS") =>
      ({ layers: [ip(CLOUDFLARE.anycastIp, user.ip), tcp(443, clientPort), tls("browser", "cf-edge", host, EDGE_CERT), response(status, cacheStatus)] }) as Packet;

    /** The user-facing tail of every response: Cloudflare (if on), the ISP, the browser. */
    const finishResponse = (fromGoogle: Packet | null, status: string, cfEvents: TraceEvent[], cacheStatus: "HIT" | "MISS") => {
      let toIsp: Packet;
      if (viaCloudflare) {
        toIsp = cfToBrowser(status, cacheStatus);
        add("response", 5, cfEdge, fromGoogle, toIsp, [...cfEvents, { type: "forward", to: "isp-router", via: "the TLS session with the browser" }]);
      } else {
        toIsp = fromGoogle!;
      }
      const toBrowser = withTtl(toIsp, 6);
      add("response", 5, isp, toIsp, toBrowser, [{ type: "forward", to: "browser", via: "transit and the ISP's access network" }]);
      add("response", 5, browser, toBrowser, null, [{ type: "deliver", to: "the page's fetch, via the browser's TLS session" }]);
    };

    if (viaCloudflare) {
      const cacheKey = `https://${host}${PATH}`;
      const edgeEvents: TraceEvent[] = [
        { type: "tls-terminate", ordinal: tlsOrdinal++, certificate: EDGE_CERT.subject, issuer: EDGE_CERT.issuer, client: "browser", sni: host },
        { type: "waf", ruleset: "Cloudflare managed ruleset", verdict: "allow" },
        cacheHit
          ? { type: "cache", key: cacheKey, result: "HIT", why: "A fresh copy is in this PoP's cache; the origin is not contacted." }
          : { type: "cache", key: cacheKey, result: "MISS", why: "No fresh copy in this PoP's cache; the request goes to the origin." },
      ];
      if (cacheHit) {
        add("request", 1, cfEdge, afterIsp, null, edgeEvents);
        finishResponse(null, "200 OK", [{ type: "respond", status: "200 OK", by: "Cloudflare's cache" }], "HIT");
        return b.build(this.id, params, seed);
      }
      const cfPort = ephemeralPort(random);
      const toGoogle: Packet = {
        layers: [ip(CLOUDFLARE.egressIp, GOOGLE.vip), tcp(cfPort, 443), tls("cf-edge", "gfe", host, ORIGIN_CERT), request(host, user.ip)],
      };
      add("request", 1, cfEdge, afterIsp, toGoogle, [
        ...edgeEvents,
        {
          type: "tls-originate", server: GOOGLE.vip, sni: host, verified: true,
          verification: `Full (strict): the origin's certificate (${ORIGIN_CERT.subject}) chains to a public root and covers ${host}.`,
        },
        { type: "forward", to: "cf-router", via: "Cloudflare's PoP network" },
      ]);
      const { chosen } = nearestSite(frontSite, EDGE_SITES);
      const afterCfRouter = withTtl(toGoogle, 1);
      add("request", 2, cfRouter, toGoogle, afterCfRouter, [
        anycastRoute(frontSite, EDGE_SITES, GOOGLE.prefix, GOOGLE.asn, "Google edge"),
        { type: "forward", to: "maglev", via: `private network interconnect (PNI) with Google in ${site(chosen).name}` },
      ]);
      googleIn = afterCfRouter;
      googleFrom = CLOUDFLARE.egressIp;
      googleFromPort = cfPort;
      googleSite = chosen;
    }

    // Leg 3: Maglev picks a GFE by consistent hashing and tunnels the packet to it in GRE.
    const popCode = googleSite.slice(0, 3);
    const gfeNames = [1, 2, 3, 4].map((n) => `gfe-${popCode}-${n}`);
    const flowKey = `tcp ${googleFrom}:${googleFromPort} → ${GOOGLE.vip}:443`;
    const table = maglevTable(gfeNames);
    const pick = maglevLookup(table, flowKey);
    const gfeIndex = gfeNames.indexOf(pick.backend);
    const gfeHost = `10.255.1.${gfeIndex + 1}`;
    const maglevHost = "10.255.0.10";
    const maglev: Device = { id: "maglev", kind: "l4-lb", location: googleSite, name: `Maglev (${site(googleSite).name})` };
    const gfe: Device = { id: "gfe", kind: "gfe", location: googleSite, name: `GFE ${pick.backend} (${site(googleSite).name})` };
    const toGfe = encapsulate(googleIn, [ip(maglevHost, gfeHost), { kind: "gre" }]);
    add("request", 3, maglev, googleIn, toGfe, [
      {
        type: "lb-select", layer: "L4", algorithm: "maglev",
        candidates: gfeNames.map((name, i) => ({ id: name, detail: `owns ${table.slotCounts[i]} of ${table.tableSize} table slots` })),
        chosen: pick.backend,
        why: `SipHash of the 5-tuple ${flowKey} lands in slot ${pick.slot} of ${table.tableSize}, which belongs to ${pick.backend}. Every Maglev in the PoP computes the same table, so the flow stays on one GFE whichever Maglev gets its packets.`,
      },
      { type: "encap", protocol: "gre", outerSrc: maglevHost, outerDst: gfeHost, note: "The inner packet keeps the VIP as its destination; the GFE will answer from the VIP directly." },
      { type: "forward", to: "gfe", via: "the PoP's fabric" },
    ]);

    // The GFE: decapsulate, terminate TLS, evaluate the URL map, choose an endpoint from the NEG.
    const gfeEvents: TraceEvent[] = [
      { type: "decap", protocol: "gre" },
      { type: "tls-terminate", ordinal: tlsOrdinal++, certificate: ORIGIN_CERT.subject, issuer: ORIGIN_CERT.issuer, client: viaCloudflare ? "cf-edge" : "browser", sni: host },
    ];
    const ruleMatches = host === URL_MAP_RULE.host && PATH.startsWith(URL_MAP_RULE.pathPrefix);
    gfeEvents.push({
      type: "url-map", host, path: PATH,
      matchedRule: ruleMatches ? `host ${URL_MAP_RULE.host}, path ${URL_MAP_RULE.pathPrefix}*` : null,
      backendService: ruleMatches ? URL_MAP_RULE.backendService : null,
    });
    const gfeToFront = (status: string): Packet => ({
      layers: [
        ip(GOOGLE.vip, googleFrom),
        tcp(443, googleFromPort),
        viaCloudflare ? tls("cf-edge", "gfe", host, ORIGIN_CERT) : tls("browser", "gfe", host, ORIGIN_CERT),
        response(status),
      ],
    });
    const fromGfeVia = viaCloudflare ? "cf-router" : "isp-router";
    /** The response leaves the GFE straight for the client side: Maglev is not on the way back. */
    const gfeResponse = (inPkt: Packet | null, status: string, events: TraceEvent[]) => {
      const out = gfeToFront(status);
      add("response", 5, gfe, inPkt, out, [
        ...events,
        { type: "forward", to: fromGfeVia, via: "direct server return: the GFE answers from the VIP, bypassing Maglev" },
      ]);
      let fromGoogle = out;
      if (viaCloudflare) {
        fromGoogle = withTtl(out, 1);
        add("response", 5, cfRouter, out, fromGoogle, [{ type: "forward", to: "cf-edge", via: "private network interconnect" }]);
      }
      const cacheEvent: TraceEvent = status.startsWith("200")
        ? { type: "cache", key: `https://${host}${PATH}`, result: "STORE", ttlSeconds: 60, why: "The origin sent Cache-Control: max-age=60." }
        : status.startsWith("404")
          ? { type: "cache", key: `https://${host}${PATH}`, result: "STORE", ttlSeconds: 180, why: "No Cache-Control on a 404: Cloudflare's default keeps it 3 minutes." }
          : { type: "cache", key: `https://${host}${PATH}`, result: "BYPASS", why: "5xx answers without Cache-Control are not stored." };
      finishResponse(fromGoogle, status, [cacheEvent], "MISS");
    };

    if (!ruleMatches) {
      add("request", 3, gfe, toGfe, null, gfeEvents);
      // Simplified: GKE Ingress points the URL map's default at kube-system/default-http-backend, a small
      // 404 server in the cluster; the model answers at the GFE and leaves that detour out.
      gfeResponse(null, "404 Not Found", [
        { type: "respond", status: "404 Not Found", by: "the URL map's default service (on GKE Ingress, kube-system/default-http-backend; not drawn)" },
      ]);
      return b.build(this.id, params, seed);
    }

    const healthOf = (epIp: string) =>
      health === "all-healthy" ? true : health === "target-unhealthy" ? epIp !== "10.4.1.5" : false;
    gfeEvents.push({
      type: "health-check",
      endpoints: ENDPOINTS.map((e) => ({ ip: `${e.ip}:${POD_PORT}`, healthy: healthOf(e.ip) })),
      probeSources: "35.191.0.0/16 and 130.211.0.0/22",
    });
    const healthy = ENDPOINTS.filter((e) => healthOf(e.ip));
    const candidates = ENDPOINTS.map((e) => ({
      id: `${e.ip}:${POD_PORT}`,
      detail: `${e.pod} on ${e.node} (${regionInfo.zones[e.zone]}), ${healthOf(e.ip) ? "healthy" : "failing health checks"}`,
    }));
    if (healthy.length === 0) {
      gfeEvents.push({
        type: "lb-select", layer: "L7", algorithm: "round-robin over healthy NEG endpoints", candidates, chosen: null,
        why: "Every endpoint is failing its health check, so there is nothing to send to.",
      });
      add("request", 3, gfe, toGfe, null, gfeEvents);
      gfeResponse(null, "502 Bad Gateway", [{ type: "respond", status: "502 Bad Gateway", by: "the GFE (failed_to_pick_backend)" }]);
      return b.build(this.id, params, seed);
    }
    const endpoint = healthy[seed % healthy.length]!;
    gfeEvents.push({
      type: "lb-select", layer: "L7", algorithm: "round-robin over healthy NEG endpoints", candidates, chosen: `${endpoint.ip}:${POD_PORT}`,
      why:
        `The region ${region} is the only one with capacity for this backend service. Of its ${healthy.length} healthy ` +
        `endpoint${healthy.length === 1 ? "" : "s"}, round robin gives this request (number ${seed} on this GFE) to ${endpoint.ip}.` +
        (healthy.length < ENDPOINTS.length ? " Failing endpoints are skipped." : ""),
    });
    const gfePort = ephemeralPort(random);
    // The load balancer appends the address that connected to it and its own forwarding-rule address.
    const forwarded = [viaCloudflare ? user.ip : null, googleFrom, GOOGLE.vip].filter((x): x is string => x !== null).join(", ");
    const toPod: Packet = { layers: [ip(GOOGLE.proxySource, endpoint.ip), tcp(gfePort, POD_PORT), request(host, forwarded)] };
    add("request", 3, gfe, toGfe, toPod, [
      ...gfeEvents,
      { type: "forward", to: "backbone", via: `a new HTTP connection from ${GOOGLE.proxySource} to the Pod; Google encrypts it at the network layer` },
    ]);

    // Leg 4: across the backbone in an overlay header, straight to the Pod IP.
    const nodeIp = `${regionInfo.subnet}${endpoint.nodeHost}`;
    const nodeHostIp = `10.255.8${endpoint.nodeHost}`;
    const backbone: Device = { id: "backbone", kind: "sdn-fabric", location: googleSite, name: "Google backbone and Andromeda (VPC)" };
    const node: Device = { id: "node", kind: "node", location: regionInfo.site, name: `GKE node ${endpoint.node} (${nodeIp}, ${regionInfo.zones[endpoint.zone]})` };
    const pod: Device = { id: "pod", kind: "pod", location: regionInfo.site, name: `Pod ${endpoint.pod} (${endpoint.ip})` };
    const overlay = [ip(gfeHost, nodeHostIp), { kind: "udp", srcPort: 49152 + (gfePort % 16384), dstPort: 6081 } as Layer, { kind: "geneve", vni: GENEVE_VNI } as Layer];
    const onBackbone = encapsulate(toPod, overlay);
    const backboneKm = Math.round(greatCircleKm(site(googleSite), site(regionInfo.site)));
    add("request", 4, backbone, toPod, onBackbone, [
      {
        type: "encap", protocol: "geneve", outerSrc: gfeHost, outerDst: nodeHostIp,
        note: "The VPC knows 10.4.1.0/24-style Pod ranges as alias ranges of node VMs and tunnels to the host of that VM. Andromeda's real header is not public; Geneve stands in for it.",
      },
      { type: "forward", to: "node", via: `Google's private backbone, ${site(googleSite).name} to ${site(regionInfo.site).name}`, distanceKm: backboneKm },
    ]);
    const atPod = withTtl(decapsulate(onBackbone, overlay.length), 1);
    const forwardTuple = `tcp ${GOOGLE.proxySource}:${gfePort} → ${endpoint.ip}:${POD_PORT}`;
    add("request", 4, node, onBackbone, atPod, [
      { type: "decap", protocol: "geneve" },
      { type: "conntrack", state: "new", tuple: forwardTuple, nat: "none" },
      { type: "forward", to: "pod", via: `route ${endpoint.podRange} → the Pod's veth; destination unchanged (no DNAT, no kube-proxy)` },
    ]);
    add("request", 4, pod, atPod, null, [{ type: "deliver", to: `the web container listening on ${POD_PORT}` }]);

    // Leg 5: the reply retraces the proxies' connections; conntrack matches it on the node.
    const podReply: Packet = { layers: [ip(endpoint.ip, GOOGLE.proxySource), tcp(POD_PORT, gfePort), response("200 OK")] };
    add("response", 5, pod, null, podReply, [
      { type: "respond", status: "200 OK", by: "application" },
      { type: "forward", to: "node", via: "the Pod's veth" },
    ]);
    const replyOverlay = [ip(nodeHostIp, gfeHost), { kind: "udp", srcPort: 49152 + (gfePort % 16384), dstPort: 6081 } as Layer, { kind: "geneve", vni: GENEVE_VNI } as Layer];
    const replyOnBackbone = encapsulate(withTtl(podReply, 1), replyOverlay);
    add("response", 5, node, podReply, replyOnBackbone, [
      { type: "conntrack", state: "established", tuple: forwardTuple, nat: "none" },
      { type: "encap", protocol: "geneve", outerSrc: nodeHostIp, outerDst: gfeHost, note: "Back towards the GFE host that owns the connection." },
      { type: "forward", to: "backbone", via: "the VPC" },
    ]);
    const replyAtGfe = decapsulate(replyOnBackbone, replyOverlay.length);
    add("response", 5, backbone, replyOnBackbone, replyAtGfe, [
      { type: "decap", protocol: "geneve" },
      { type: "forward", to: "gfe", via: `Google's private backbone, ${site(regionInfo.site).name} to ${site(googleSite).name}`, distanceKm: backboneKm },
    ]);
    gfeResponse(replyAtGfe, "200 OK", []);
    return b.build(this.id, params, seed);
  },
};
