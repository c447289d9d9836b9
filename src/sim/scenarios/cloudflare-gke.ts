import { fibreMs, greatCircleKm, site, type SiteId } from "../geo";
import { anycastRoute, routesViaLocalPeering, routesViaPeeringEverywhere } from "../edge/anycast";
import { maglevLookup, maglevTable } from "../edge/maglev";
import { siphashText } from "../edge/siphash";
import { cidrContains, parseCidr } from "../net/cidr";
import { certificateCovers, certificateNameCovers, parseHostName } from "../net/dns-name";
import { formatIpv4, parseIpv4 } from "../net/ipv4";
import { GKE_DEFAULT_NODE_PREFIX, nodeRangeOf } from "../net/node-ranges";
import type { HttpLayer, Layer, Packet, TlsLayer } from "../net/packet";
import { decapsulate, encapsulate } from "../net/packet";
import { formatFiveTuple, type FiveTuple } from "../net/ports";
import { ephemeralPort, seededRandom } from "../random";
import { eventsCostMs } from "../timing";
import { TraceBuilder, type CacheResult, type Device, type Direction, type Leg, type TraceEvent } from "../trace";
import type { Scenario } from "./scenario";

/*
 * The flagship journey: a browser → Cloudflare → Google's edge → a GKE Pod reached through a
 * container-native (NEG) load balancer, and back. GKE Ingress provisions the *classic* Application
 * Load Balancer (GFE-based, global), so the model makes the classic one's choices: RATE balancing
 * mode on zonal NEGs, waterfall by region, a 502 with statusDetails failed_to_pick_backend when no
 * backend can be picked.
 *
 * Addresses in documentation ranges (198.51.100.0/24) stand for users; 104.16.0.0/13 and
 * 162.158.0.0/15 are real Cloudflare ranges; 35.191.0.0/16 and 130.211.0.0/22 are the ranges Google's
 * proxies and health checkers use towards backends. Host addresses inside Cloudflare's and Google's
 * sites (10.x) are illustrative: neither company publishes them.
 */

const USER_CITIES = {
  paris: { site: "paris", ip: "198.51.100.23" },
  tokyo: { site: "tokyo", ip: "198.51.100.81" },
  "sao-paulo": { site: "sao-paulo", ip: "198.51.100.144" },
  "new-york": { site: "new-york", ip: "198.51.100.200" },
} as const satisfies Record<string, { site: SiteId; ip: string }>;

/** Cloudflare sites the model knows (a subset of its real footprint). */
export const CLOUDFLARE_SITES: readonly SiteId[] = [
  "paris", "london", "frankfurt", "tokyo", "singapore", "sao-paulo", "miami", "new-york", "los-angeles",
];
/** Google edge sites (points of presence) the model knows, each peering privately with Cloudflare. */
export const GOOGLE_EDGE_SITES: readonly SiteId[] = [
  "paris", "london", "frankfurt", "tokyo", "singapore", "sao-paulo", "miami", "new-york", "los-angeles",
];

export const REGIONS = {
  "us-central1": { site: "council-bluffs", subnet: "10.128.0", zones: ["us-central1-a", "us-central1-b", "us-central1-c"] },
  "europe-west1": { site: "saint-ghislain", subnet: "10.132.0", zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] },
  "asia-northeast1": { site: "tokyo-dc", subnet: "10.146.0", zones: ["asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"] },
} as const satisfies Record<string, { site: SiteId; subnet: string; zones: readonly string[] }>;

/**
 * Cloudflare's published IPv4 ranges (cloudflare.com/ips-v4): every connection Cloudflare opens to an
 * origin comes from one of them.
 */
export const CLOUDFLARE_IPV4_RANGES = [
  "173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "141.101.64.0/18", "108.162.192.0/18",
  "190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17", "162.158.0.0/15", "104.16.0.0/13",
  "104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
] as const;
const CLOUDFLARE_BLOCKS = CLOUDFLARE_IPV4_RANGES.map(parseCidr);

const CLOUDFLARE = { asn: 13335, prefix: "104.16.0.0/13", anycastIp: "104.18.32.7", egressIp: "162.158.84.17" };
const GOOGLE = { asn: 15169, prefix: "34.98.0.0/16", vip: "34.98.10.5" };
/** Where GFEs and health checkers connect to backends from: either range, for both kinds of traffic. */
export const GOOGLE_PROXY_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;
/**
 * The firewall rule ingress-gce creates for an Ingress's load balancer: `k8s-fw-l7--` and the
 * cluster's UID (illustrative here), allowing the proxy ranges to the node ports and the NEG's
 * target ports.
 */
export const INGRESS_FIREWALL_RULE = { name: "k8s-fw-l7--3f9a7c2e1b4d6a80", ports: "tcp:30000-32767,tcp:8080" };
const SITE_HOST = "www.example.com";
const PATH = "/";
/** Cloudflare's edge certificate for the zone (Universal SSL): the apex and one level of wildcard. */
const EDGE_CERT = { names: ["example.com", "*.example.com"], issuer: "Google Trust Services WE1" };
/** What the application answers with. */
const APP_CACHE_CONTROL = "public, max-age=60";
/** The Ingress routes one host; anything else falls to the default backend. */
const URL_MAP_RULE = { host: SITE_HOST, pathPrefix: "/", backendService: "k8s1-3f9a7c2e-default-web-80-6a4b1c7d" };
const CLUSTER_POD_RANGE = parseCidr("10.4.0.0/14");
const GENEVE_VNI = 4242;
const POD_PORT = 8080;

type CertificateTrust = "public" | "cloudflare-origin-ca";
interface OriginCertificate {
  readonly names: readonly string[];
  readonly issuer: string;
  readonly trust: CertificateTrust;
  /** False while a Google-managed certificate has not been issued (its domain status FAILED_NOT_VISIBLE). */
  readonly issued: boolean;
  readonly how: string;
}

/** The certificate the load balancer presents, by the `origin-cert` setting. */
export const ORIGIN_CERTIFICATES: Readonly<Record<string, OriginCertificate>> = {
  "certificate-manager": {
    names: ["example.com", "*.example.com"],
    issuer: "Google Trust Services WR3",
    trust: "public",
    issued: true,
    how:
      "a Google-managed certificate from Certificate Manager with DNS authorization (a CNAME under _acme-challenge), " +
      "which is issued and renewed whatever the A record points at, wildcards included",
  },
  "origin-ca": {
    names: ["*.example.com", "example.com"],
    issuer: "CloudFlare Origin SSL Certificate Authority",
    trust: "cloudflare-origin-ca",
    issued: true,
    how: "a Cloudflare Origin CA certificate, stored as the Kubernetes TLS Secret the Ingress names; only Cloudflare trusts its issuer",
  },
  "managed-issued-dns-only": {
    names: ["www.example.com", "api.example.com"],
    issuer: "Google Trust Services WR3",
    trust: "public",
    issued: true,
    how:
      "a ManagedCertificate (load-balancer authorization) that became Active while the record was DNS only; its renewal " +
      "needs the same check, so the record must be DNS only again before it expires",
  },
  "managed-proxied": {
    names: ["www.example.com", "api.example.com"],
    issuer: "—",
    trust: "public",
    issued: false,
    how:
      "a ManagedCertificate (load-balancer authorization) created while the record was proxied: Google's check finds the " +
      "name resolving to Cloudflare, not to 34.98.10.5, so its domain status is FAILED_NOT_VISIBLE and nothing is issued",
  },
};

/** Three Pods of the Deployment behind the Service, one per zone, each in its zone's NEG. */
const PODS = [
  { pod: "web-7d4b9-x2kfp", ip: "10.4.1.5", node: "gke-web-pool-1a", nodeHost: ".12", zone: 0 },
  { pod: "web-7d4b9-q8mzn", ip: "10.4.2.7", node: "gke-web-pool-1b", nodeHost: ".13", zone: 1 },
  { pod: "web-7d4b9-w4rtc", ip: "10.4.3.9", node: "gke-web-pool-1c", nodeHost: ".14", zone: 2 },
] as const;

/** Keys for the model's own flow hashes (SipHash-2-4, the reference test key). */
const HASH_K0 = 0x0706050403020100n;
const HASH_K1 = 0x0f0e0d0c0b0a0908n;
const hash32 = (text: string) => Number(siphashText(HASH_K0, HASH_K1, text) & 0xffffffffn);

/**
 * Each Pod's node range (the VPC knows it as an alias range of the node VM) and the host-side veth
 * the node routes it to. Google's CNI names host veths `gke` + 11 hex digits; the digits here are a
 * hash of the Pod's name, standing in for the real ones.
 */
const ENDPOINTS = PODS.map((p) => {
  const node = nodeRangeOf(CLUSTER_POD_RANGE, GKE_DEFAULT_NODE_PREFIX, parseIpv4(p.ip));
  if (!node) throw new Error(`${p.ip} is outside the cluster's Pod range`);
  const veth = `gke${siphashText(HASH_K0, HASH_K1, p.pod).toString(16).padStart(16, "0").slice(0, 11)}`;
  return { ...p, podRange: node.range, veth };
});

type City = keyof typeof USER_CITIES;
type Region = keyof typeof REGIONS;
type Mode = "on" | "off" | "bypassed";

function ip(src: string, dst: string, ttl = 64): Layer {
  return { kind: "ipv4", src, dst, ttl };
}
function tcp(srcPort: number, dstPort: number): Layer {
  return { kind: "tcp", srcPort, dstPort };
}
function tls(client: string, server: string, sni: string, cert: { names: readonly string[]; issuer: string } | null, alert?: string): TlsLayer {
  const base: TlsLayer = {
    kind: "tls", version: "1.3", sni,
    certificate: cert ? cert.names.join(", ") : "(none yet: handshake)",
    issuer: cert ? cert.issuer : "—", client, server,
  };
  return alert ? { ...base, alert } : base;
}
function request(host: string, forwardedFor?: string): HttpLayer {
  return forwardedFor ? { kind: "http", requestLine: `GET ${PATH}`, host, forwardedFor } : { kind: "http", requestLine: `GET ${PATH}`, host };
}
function response(status: string, extra: { cacheStatus?: HttpLayer["cacheStatus"]; cacheControl?: string } = {}): HttpLayer {
  const layer: HttpLayer = { kind: "http", status };
  return {
    ...layer,
    ...(extra.cacheControl ? { cacheControl: extra.cacheControl } : {}),
    ...(extra.cacheStatus ? { cacheStatus: extra.cacheStatus } : {}),
  };
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
const flow = (srcIp: string, srcPort: number, dstIp: string, dstPort: number): FiveTuple => ({ protocol: "tcp", srcIp, srcPort, dstIp, dstPort });
const rttMs = (a: SiteId, b: SiteId) => Math.round(2 * fibreMs(greatCircleKm(site(a), site(b))) * 1000) / 1000;

/** Whether the connecting address is one of Cloudflare's (what a Cloud Armor allow-list checks). */
function fromCloudflare(address: string): boolean {
  const a = parseIpv4(address);
  return CLOUDFLARE_BLOCKS.some((block) => cidrContains(block, a));
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

/** Cloudflare's default edge TTLs when the origin sends no Cache-Control (cache by status code). */
const DEFAULT_TTL_BY_STATUS: Readonly<Record<string, number>> = { "200": 7200, "206": 7200, "301": 7200, "302": 1200, "303": 1200, "404": 180, "410": 180 };

export const cloudflareGke: Scenario = {
  id: "cloudflare-gke",
  title: "A browser to a GKE Pod through Cloudflare and Google's edge",
  description:
    "HTTPS GET for https://www.example.com/ from a user's browser, proxied by Cloudflare (Unimog spreads it over a site's " +
    "servers), load-balanced by the classic Application Load Balancer that GKE Ingress provisions (ECMP over Maglevs, " +
    "Maglev over GFEs, the GFE over a container-native NEG), and answered by a Pod.",
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
      description:
        "On: the DNS record is proxied (orange cloud). Off: DNS points straight at Google's address. Bypassed: the record " +
        "is proxied, but a client that knows the load balancer's address connects to it directly.",
      values: [
        { value: "on", label: "On (proxied)" },
        { value: "off", label: "Off (direct to Google)" },
        { value: "bypassed", label: "On, but bypassed (direct to 34.98.10.5)" },
      ],
      default: "on",
    },
    {
      key: "cache-rule",
      label: "Cloudflare Cache Rule",
      description:
        "None: Cloudflare caches by file extension and / is not eligible, so it is DYNAMIC whatever Cache-Control says. " +
        "Cache Everything: a Cache Rule makes it eligible, and the origin's Cache-Control sets how long it is kept.",
      values: [
        { value: "none", label: "None (default caching)" },
        { value: "cache-everything", label: "Eligible for cache (Cache Everything)" },
      ],
      default: "none",
    },
    {
      key: "cache",
      label: "Cloudflare cache",
      description: "What this Cloudflare site holds for the URL. Only matters when a Cache Rule makes the page eligible.",
      values: [
        { value: "miss", label: "Nothing stored (MISS)" },
        { value: "hit", label: "A fresh copy (HIT)" },
        { value: "expired", label: "An expired copy (EXPIRED)" },
      ],
      default: "miss",
    },
    {
      key: "host",
      label: "Host",
      description:
        "The name in the URL (sent as SNI and as the Host header). Any DNS name; only www.example.com has a rule in the " +
        "URL map, and each certificate covers only the names it lists.",
      values: [
        { value: "www.example.com", label: "www.example.com (routed)" },
        { value: "api.example.com", label: "api.example.com (no URL-map rule)" },
      ],
      default: "www.example.com",
      free: { parse: parseHostName, hint: "any host name, e.g. shop.example.com" },
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
    {
      key: "origin-cert",
      label: "Load balancer's certificate",
      description: "The certificate the load balancer presents. Only the last one fails behind the orange cloud.",
      values: [
        { value: "certificate-manager", label: "Certificate Manager, DNS authorization" },
        { value: "origin-ca", label: "Cloudflare Origin CA certificate" },
        { value: "managed-issued-dns-only", label: "ManagedCertificate issued while DNS only" },
        { value: "managed-proxied", label: "ManagedCertificate created while proxied (FAILED_NOT_VISIBLE)" },
      ],
      default: "certificate-manager",
    },
    {
      key: "origin-protection",
      label: "Origin protection",
      description: "What stops a client reaching the load balancer without going through Cloudflare.",
      values: [
        { value: "none", label: "None" },
        { value: "cloud-armor", label: "Cloud Armor allow-list of Cloudflare's ranges" },
        { value: "mtls", label: "Authenticated origin pulls (mTLS at the load balancer)" },
      ],
      default: "none",
    },
    {
      key: "connections",
      label: "Connections",
      description: "Warm: every connection on the way is already open and reused. Cold: each is opened for this request.",
      values: [
        { value: "warm", label: "Warm (reused)" },
        { value: "cold", label: "Cold start" },
      ],
      default: "warm",
    },
  ],
  run(params, seed) {
    const city = params.city as City;
    const region = params.region as Region;
    const host = params.host ?? SITE_HOST;
    const mode = (params.cloudflare ?? "on") as Mode;
    const viaCloudflare = mode === "on";
    const cacheEligible = params["cache-rule"] === "cache-everything";
    const cacheState = (params.cache ?? "miss") as "miss" | "hit" | "expired";
    const health = params["pod-health"] ?? "all-healthy";
    const cold = params.connections === "cold";
    const protection = (params["origin-protection"] ?? "none") as "none" | "cloud-armor" | "mtls";
    const originCert = ORIGIN_CERTIFICATES[params["origin-cert"] ?? "certificate-manager"]!;
    const random = seededRandom(seed);

    const user = USER_CITIES[city];
    const userSite = user.site;
    const regionInfo = REGIONS[region];
    const b = new TraceBuilder();
    const add = (direction: Direction, leg: Leg, device: Device, inPkt: Packet | null, outPkt: Packet | null, events: TraceEvent[]) =>
      b.add({ direction, leg, device, in: inPkt, out: outPkt, events, processingMs: eventsCostMs(events) });
    const done = () => b.build(this.id, params, seed);

    const routed = host === URL_MAP_RULE.host && PATH.startsWith(URL_MAP_RULE.pathPrefix);
    const edgeCovers = certificateCovers(EDGE_CERT.names, host);
    const originCovers = originCert.issued && certificateCovers(originCert.names, host);
    const originCertShown = originCert.issued ? originCert : null;

    // What happens to each TLS segment, decided up front so that a handshake that will fail carries
    // no request. Segment A: the client to the first terminator. Segment B: Cloudflare to the GFE.
    type Outcome = "ok" | "edge-no-cert" | "gfe-no-cert" | "gfe-needs-client-cert" | "client-rejects" | "cf-rejects";
    const segmentA: Outcome = viaCloudflare
      ? edgeCovers ? "ok" : "edge-no-cert"
      : !originCert.issued ? "gfe-no-cert"
        : protection === "mtls" ? "gfe-needs-client-cert"
          : mode === "off" && (originCert.trust !== "public" || !originCovers) ? "client-rejects"
            : "ok";
    const segmentB: Outcome | null = !viaCloudflare || segmentA !== "ok"
      ? null
      : !originCert.issued ? "gfe-no-cert" : !originCovers ? "cf-rejects" : "ok";

    const cityName = site(userSite).name;
    const browser: Device = {
      id: "browser", kind: "client", location: userSite,
      name: mode === "bypassed" ? `Client script (${cityName})` : `Browser (${cityName})`,
    };
    const isp: Device = { id: "isp-router", kind: "router", location: userSite, name: `ISP and transit routers (${cityName})` };
    const frontIp = viaCloudflare ? CLOUDFLARE.anycastIp : GOOGLE.vip;
    const clientPort = ephemeralPort(random);
    const clientFlow = flow(user.ip, clientPort, frontIp, 443);

    // Leg 1: the browser looks the name up (or, bypassing, already knows an address) and sends.
    const ispAnycast = viaCloudflare
      ? anycastRoute(userSite, routesViaLocalPeering(userSite, CLOUDFLARE_SITES), CLOUDFLARE.prefix, CLOUDFLARE.asn, "Cloudflare")
      : anycastRoute(userSite, routesViaLocalPeering(userSite, GOOGLE_EDGE_SITES), GOOGLE.prefix, GOOGLE.asn, "Google's edge");
    const frontSite = ispAnycast.chosen;
    const firstTls = viaCloudflare
      ? tls("browser", "cf-edge", host, segmentA === "ok" ? EDGE_CERT : null)
      : tls("browser", "gfe", host, segmentA === "ok" ? originCertShown : null);
    const fromBrowser: Packet = {
      layers: segmentA === "ok"
        ? [ip(user.ip, frontIp), tcp(clientPort, 443), firstTls, request(host)]
        : [ip(user.ip, frontIp), tcp(clientPort, 443), firstTls],
    };
    const browserEvents: TraceEvent[] = [];
    if (mode === "on") {
      browserEvents.push({
        type: "dns-resolve", name: host, answer: CLOUDFLARE.anycastIp, authority: "Cloudflare DNS",
        note: `The record points at ${GOOGLE.vip} but is proxied, so Cloudflare's nameservers answer with Cloudflare's own anycast address. That hides the origin's address from DNS, not from the internet: it is still reachable directly.`,
      });
    } else if (mode === "off") {
      browserEvents.push({
        type: "dns-resolve", name: host, answer: GOOGLE.vip, authority: "the zone's nameservers (Cloud DNS, or Cloudflare with the record set to DNS only)",
        note: "The A record points straight at the load balancer's reserved global address, which anyone can now look up.",
      });
    }
    if (cold && segmentA === "ok") {
      browserEvents.push({
        type: "handshake", protocol: "tcp+tls1.3", peer: viaCloudflare ? "Cloudflare's edge" : "the GFE", roundTrips: 2,
        rttMs: rttMs(userSite, frontSite),
        note: "The model has no access network, so a same-city round trip shows as almost nothing; add your own Wi-Fi and ISP round trip (often 5–20 ms) twice.",
      });
    }
    browserEvents.push({
      type: "forward", to: "isp-router",
      via: mode === "bypassed"
        ? `home router and access network, to ${GOOGLE.vip}, an address the script already knows (from scanning, old DNS records or certificate logs); it sends SNI and Host ${host} and does not verify the certificate (like curl --insecure)`
        : "home router and access network",
    });
    add("request", 1, browser, null, fromBrowser, browserEvents);

    const afterIsp = withTtl(fromBrowser, 6);
    add("request", 1, isp, fromBrowser, afterIsp, [
      ispAnycast,
      { type: "forward", to: viaCloudflare ? "cf-unimog" : "google-router", via: "six routers across the ISP and transit", distanceKm: Math.round(greatCircleKm(site(userSite), site(frontSite))) },
    ]);

    const tlsAlertPacket = (src: string, dst: string, srcPort: number, dstPort: number, client: string, server: string, alert: string): Packet => ({
      layers: [ip(src, dst), tcp(srcPort, dstPort), tls(client, server, host, null, alert)],
    });
    /** The browser's last hop on every response path. */
    const deliverToBrowser = (toIsp: Packet, events: TraceEvent[]) => {
      const toBrowser = withTtl(toIsp, 6);
      add("response", 5, isp, toIsp, toBrowser, [{ type: "forward", to: "browser", via: "transit and the ISP's access network" }]);
      add("response", 5, browser, toBrowser, null, events.length ? events : [{ type: "deliver", to: "the page's fetch, via the browser's TLS session" }]);
    };

    const popCode = frontSite.slice(0, 3);
    const cfEdge: Device = { id: "cf-edge", kind: "cdn-edge", location: frontSite, name: `Cloudflare edge (${site(frontSite).name} PoP)` };
    const cfRouter: Device = { id: "cf-router", kind: "router", location: frontSite, name: `Cloudflare border router (${site(frontSite).name})` };
    const cacheKey = `https://${host}${PATH}`;
    let lookup: Extract<CacheResult, "HIT" | "MISS" | "EXPIRED" | "DYNAMIC"> = "DYNAMIC";

    /** Cloudflare's answer to the browser, on the browser's TLS session. */
    const cfToBrowser = (status: string, headers: { cacheStatus?: HttpLayer["cacheStatus"]; cacheControl?: string }): Packet => ({
      layers: [ip(CLOUDFLARE.anycastIp, user.ip), tcp(443, clientPort), tls("browser", "cf-edge", host, EDGE_CERT), response(status, headers)],
    });

    let googleIn: Packet = afterIsp;
    let googleFrom: string = user.ip;
    let googleFromPort = clientPort;
    let googleSite = frontSite;
    let tlsOrdinal = 1;

    if (viaCloudflare) {
      // Inside the Cloudflare site: the routers spread packets over servers by ECMP, and Unimog (an XDP
      // program on every server) forwards each to the server that owns its connection.
      const servers = [1, 2, 3, 4, 5, 6].map((n) => ({ name: `${popCode}-server-${n}`, address: `10.${20 + CLOUDFLARE_SITES.indexOf(frontSite)}.0.${n}` }));
      const flowText = formatFiveTuple(clientFlow);
      const landed = servers[hash32(`ecmp|${flowText}`) % servers.length]!;
      const owner = servers[hash32(`unimog|${flowText}`) % servers.length]!;
      const unimog: Device = { id: "cf-unimog", kind: "xdp-lb", location: frontSite, name: `Unimog on ${landed.name} (${site(frontSite).name})` };
      const candidates = servers.map((s) => ({ id: s.name, detail: `${s.address} (illustrative address)` }));
      const unimogEvents: TraceEvent[] = [
        {
          type: "lb-select", layer: "L3", algorithm: "ECMP (router hash of the 5-tuple)", candidates, chosen: landed.name,
          why: `The site's routers hold equal-cost routes to ${CLOUDFLARE.anycastIp} through every server and hash each flow onto one; this flow lands on ${landed.name}. (The choice is the router's; the model records it where the packet lands.)`,
        },
        {
          type: "lb-select", layer: "L4", algorithm: "Unimog (XDP, forwarding table by 5-tuple hash)", candidates, chosen: owner.name,
          why: `Unimog runs as an XDP program on every server. It hashes the 5-tuple ${flowText} into the forwarding table its control plane built and finds ${owner.name}${owner === landed ? ", this server: the packet goes straight up the stack" : "; the packet is sent on to it"}. Every server computes the same answer, so the connection stays on one server.`,
        },
      ];
      let toEdge = afterIsp;
      const gueOuter = [ip(landed.address, owner.address), { kind: "udp", srcPort: 49152 + (hash32(flowText) % 16384), dstPort: 6080 } as Layer, { kind: "gue" } as Layer];
      if (owner !== landed) {
        toEdge = encapsulate(afterIsp, gueOuter);
        unimogEvents.push({
          type: "encap", protocol: "gue", outerSrc: landed.address, outerDst: owner.address,
          note: "Generic UDP Encapsulation; the inner packet is untouched. The owning server answers the client itself (direct server return), so Unimog is not on the way back. Addresses and UDP port are illustrative.",
        });
      }
      unimogEvents.push({ type: "forward", to: "cf-edge", via: owner === landed ? "this server's own network stack" : "the site's network" });
      add("request", 1, unimog, afterIsp, toEdge, unimogEvents);

      const edgeEvents: TraceEvent[] = owner === landed ? [] : [{ type: "decap", protocol: "gue" }];
      if (segmentA === "edge-no-cert") {
        add("request", 1, cfEdge, toEdge, null, [
          ...edgeEvents,
          {
            type: "tls-alert", alert: "handshake_failure (40)", sentBy: "cf-edge",
            why: `No certificate on Cloudflare's edge covers ${host}: the zone's edge certificate names ${EDGE_CERT.names.join(" and ")}, and a wildcard covers exactly one label. Browsers show ERR_SSL_VERSION_OR_CIPHER_MISMATCH.`,
          },
          { type: "forward", to: "isp-router", via: "the TCP connection the handshake was on" },
        ]);
        deliverToBrowser(tlsAlertPacket(CLOUDFLARE.anycastIp, user.ip, 443, clientPort, "browser", "cf-edge", "handshake_failure (40)"), [
          { type: "deliver", to: "the browser's TLS stack: the connection fails and no HTTP request is ever sent" },
        ]);
        return done();
      }
      edgeEvents.push(
        { type: "tls-terminate", ordinal: tlsOrdinal++, certificate: EDGE_CERT.names.join(", "), issuer: EDGE_CERT.issuer, client: "browser", sni: host },
        { type: "waf", ruleset: "Cloudflare WAF (managed ruleset)", verdict: "allow" },
      );
      lookup = !cacheEligible ? "DYNAMIC" : cacheState === "hit" ? "HIT" : cacheState === "expired" ? "EXPIRED" : "MISS";
      edgeEvents.push({
        type: "cache", key: cacheKey, result: lookup,
        why: {
          DYNAMIC: `No Cache Rule makes ${PATH} eligible. By default Cloudflare caches by file extension (images, scripts, styles and the like), and a path with no extension — HTML — is not on the list, so the request goes to the origin and nothing is stored, whatever Cache-Control the origin sends.`,
          HIT: "A Cache Rule makes the page eligible and this site holds a fresh copy; the origin is not contacted.",
          MISS: "A Cache Rule makes the page eligible, but this site holds no copy: the request goes to the origin and the answer may be stored.",
          EXPIRED: "A Cache Rule makes the page eligible; this site holds a copy whose time to live has run out, so it fetches a fresh one from the origin.",
        }[lookup],
      });
      if (lookup === "HIT") {
        add("request", 1, cfEdge, toEdge, null, edgeEvents);
        // What a fresh copy can be: a 200, or the default backend's 404 (kept 3 minutes). Errors are not stored.
        const status = routed ? "200 OK" : "404 Not Found";
        const toIsp = cfToBrowser(status, { cacheStatus: "HIT", ...(routed ? { cacheControl: APP_CACHE_CONTROL } : {}) });
        add("response", 5, cfEdge, null, toIsp, [
          { type: "respond", status, by: "Cloudflare's cache" },
          { type: "forward", to: "isp-router", via: "the TLS session with the browser" },
        ]);
        deliverToBrowser(toIsp, []);
        return done();
      }

      const cfAnycast = anycastRoute(frontSite, routesViaPeeringEverywhere(GOOGLE_EDGE_SITES), GOOGLE.prefix, GOOGLE.asn, "Google's edge");
      googleSite = cfAnycast.chosen;
      const cfPort = ephemeralPort(random);
      const toGoogle: Packet = {
        layers: segmentB === "ok"
          ? [ip(CLOUDFLARE.egressIp, GOOGLE.vip), tcp(cfPort, 443), tls("cf-edge", "gfe", host, originCertShown), request(host, user.ip)]
          : [ip(CLOUDFLARE.egressIp, GOOGLE.vip), tcp(cfPort, 443), tls("cf-edge", "gfe", host, null)],
      };
      if (cold && segmentB === "ok") {
        edgeEvents.push({
          type: "handshake", protocol: "tcp+tls1.3", peer: `the GFE behind ${GOOGLE.vip}`, roundTrips: 2, rttMs: rttMs(frontSite, googleSite),
          note: "Cloudflare normally keeps connections to the origin open and reuses them; a cold one pays TCP then TLS 1.3.",
        });
      }
      const matching = originCert.names.find((n) => certificateNameCovers(n, host));
      edgeEvents.push({
        type: "tls-originate", server: GOOGLE.vip, sni: host, verified: segmentB === "ok",
        verification:
          segmentB === "ok"
            ? `Full (strict): the certificate is issued by ${originCert.issuer} (${originCert.trust === "public" ? "a publicly trusted CA" : "Cloudflare's Origin CA, which strict mode accepts although browsers do not"}), unexpired, and names ${host} (as ${matching}).` +
              (protection === "mtls" ? " Asked for a client certificate, Cloudflare presents the zone's authenticated-origin-pull certificate." : "")
            : segmentB === "gfe-no-cert"
              ? `The load balancer has no certificate to present: ${originCert.how}. The handshake fails and Cloudflare answers 525.`
              : `Full (strict): the certificate names ${originCert.names.join(", ")}, and none covers ${host}. Cloudflare refuses it and answers 526.`,
      });
      edgeEvents.push({ type: "forward", to: "cf-router", via: "Cloudflare's site network" });
      add("request", 1, cfEdge, toEdge, toGoogle, edgeEvents);

      const afterCfRouter = withTtl(toGoogle, 1);
      add("request", 2, cfRouter, toGoogle, afterCfRouter, [
        cfAnycast,
        { type: "forward", to: "google-router", via: `private network interconnect (PNI) with Google in ${site(googleSite).name}` },
      ]);
      googleIn = afterCfRouter;
      googleFrom = CLOUDFLARE.egressIp;
      googleFromPort = cfPort;
    }

    // Leg 3: Google's edge router spreads flows over the Maglevs by ECMP; Maglev picks a GFE by
    // consistent hashing and tunnels the packet to it in GRE.
    const gPop = googleSite.slice(0, 3);
    const googleFlow = flow(googleFrom, googleFromPort, GOOGLE.vip, 443);
    const flowKey = formatFiveTuple(googleFlow);
    const maglevNames = [1, 2, 3, 4].map((n) => `maglev-${gPop}-${n}`);
    const maglevName = maglevNames[hash32(`google-ecmp|${flowKey}`) % maglevNames.length]!;
    const googleRouter: Device = { id: "google-router", kind: "router", location: googleSite, name: `Google edge router (${site(googleSite).name})` };
    const atMaglev = withTtl(googleIn, 1);
    add("request", 3, googleRouter, googleIn, atMaglev, [
      {
        type: "lb-select", layer: "L3", algorithm: "ECMP (router hash of the 5-tuple)",
        candidates: maglevNames.map((name) => ({ id: name, detail: `announces ${GOOGLE.vip} to the router` })), chosen: maglevName,
        why: `Every Maglev in the site announces the VIP, so the router has ${maglevNames.length} equal-cost next hops and hashes each flow onto one: ${maglevName}. Which Maglev gets a flow does not matter, because they all build the same table.`,
      },
      { type: "forward", to: "maglev", via: "the site's fabric" },
    ]);

    const gfeNames = [1, 2, 3, 4].map((n) => `gfe-${gPop}-${n}`);
    const table = maglevTable(gfeNames);
    const pick = maglevLookup(table, flowKey);
    const gfeIndex = gfeNames.indexOf(pick.backend);
    const gfeHost = `10.255.1.${gfeIndex + 1}`;
    const maglevHost = `10.255.0.${10 + maglevNames.indexOf(maglevName)}`;
    const maglev: Device = { id: "maglev", kind: "l4-lb", location: googleSite, name: `Maglev (${site(googleSite).name})` };
    const gfe: Device = { id: "gfe", kind: "gfe", location: googleSite, name: `GFE ${pick.backend} (${site(googleSite).name})` };
    const toGfe = encapsulate(atMaglev, [ip(maglevHost, gfeHost), { kind: "gre" }]);
    add("request", 3, maglev, atMaglev, toGfe, [
      {
        type: "lb-select", layer: "L4", algorithm: "maglev",
        candidates: gfeNames.map((name, i) => ({ id: name, detail: `owns ${table.slotCounts[i]} of ${table.tableSize} table slots` })),
        chosen: pick.backend,
        why: `${maglevName} hashes the 5-tuple ${flowKey} (SipHash) to slot ${pick.slot} of ${table.tableSize}, which belongs to ${pick.backend}. Every Maglev computes the same table, so the flow stays on one GFE whichever Maglev gets its packets.`,
      },
      { type: "encap", protocol: "gre", outerSrc: maglevHost, outerDst: gfeHost, note: "The inner packet keeps the VIP as its destination; the GFE will answer from the VIP directly." },
      { type: "forward", to: "gfe", via: "the site's fabric" },
    ]);

    // The GFE: decapsulate, finish the TLS handshake (or not), evaluate the URL map, apply the backend
    // service's security policy, choose an endpoint from the NEGs.
    const fromGfeVia = viaCloudflare ? "cf-router" : "isp-router";
    const gfeToFront = (last: Layer): Packet => ({
      layers: [ip(GOOGLE.vip, googleFrom), tcp(443, googleFromPort), ...(last.kind === "tls" ? [last] : [
        viaCloudflare ? tls("cf-edge", "gfe", host, originCertShown) : tls("browser", "gfe", host, originCertShown), last,
      ])],
    });
    /**
     * The response leaves the GFE for the client side through Google's edge router: Maglev is not on
     * the way back. With Cloudflare, `cfFinish` writes Cloudflare's answer; without, `clientEvents`
     * say what the client makes of it.
     */
    const gfeResponse = (inPkt: Packet | null, out: Packet, events: TraceEvent[], cfFinish: (fromGoogle: Packet) => void, clientEvents: TraceEvent[] = []) => {
      add("response", 5, gfe, inPkt, out, [
        ...events,
        { type: "forward", to: "google-router", via: "direct server return: the GFE answers from the VIP, bypassing Maglev" },
      ]);
      const pastRouter = withTtl(out, 1);
      add("response", 5, googleRouter, out, pastRouter, [{ type: "forward", to: fromGfeVia, via: viaCloudflare ? "the private interconnect with Cloudflare" : "Google's peering with the ISP" }]);
      if (viaCloudflare) {
        const fromGoogle = withTtl(pastRouter, 1);
        add("response", 5, cfRouter, pastRouter, fromGoogle, [{ type: "forward", to: "cf-edge", via: "Cloudflare's site network" }]);
        cfFinish(fromGoogle);
      } else {
        deliverToBrowser(pastRouter, clientEvents);
      }
    };
    /** Cloudflare turns the origin's answer into its answer to the browser, storing it if it may. */
    const cfRelay = (status: string, cacheControl: string | undefined) => (fromGoogle: Packet) => {
      const code = status.slice(0, 3);
      const ttl = cacheControl?.match(/max-age=(\d+)/)?.[1];
      let cacheEvent: TraceEvent;
      if (lookup === "DYNAMIC") {
        cacheEvent = { type: "cache", key: cacheKey, result: "DYNAMIC", why: `Passed through and not stored${cacheControl ? `, although the origin sent Cache-Control: ${cacheControl}` : ""}: without a Cache Rule, ${PATH} is not eligible.` };
      } else if (ttl) {
        cacheEvent = { type: "cache", key: cacheKey, result: "STORE", ttlSeconds: Number(ttl), why: `Eligible, and the origin sent Cache-Control: ${cacheControl}, so the edge keeps it ${ttl} s.` };
      } else if (DEFAULT_TTL_BY_STATUS[code] !== undefined) {
        cacheEvent = { type: "cache", key: cacheKey, result: "STORE", ttlSeconds: DEFAULT_TTL_BY_STATUS[code], why: `Eligible, and with no Cache-Control Cloudflare keeps a ${code} for its default ${DEFAULT_TTL_BY_STATUS[code]! / 60} minutes.` };
      } else {
        cacheEvent = { type: "cache", key: cacheKey, result: lookup, why: `Not stored: without Cache-Control Cloudflare stores only 200, 206, 301, 302, 303, 404 and 410 answers, and this is a ${code}.` };
      }
      const toIsp = cfToBrowser(status, { cacheStatus: lookup as HttpLayer["cacheStatus"], ...(cacheControl ? { cacheControl } : {}) });
      add("response", 5, cfEdge, fromGoogle, toIsp, [cacheEvent, { type: "forward", to: "isp-router", via: "the TLS session with the browser" }]);
      deliverToBrowser(toIsp, []);
    };
    /** Cloudflare answers with its own error page: the origin's handshake failed or its certificate was refused. */
    const cfError = (status: string, alert: TraceEvent | null) => (fromGoogle: Packet) => {
      const toIsp = cfToBrowser(status, {});
      add("response", 5, cfEdge, fromGoogle, toIsp, [
        ...(alert ? [alert] : []),
        { type: "respond", status, by: "Cloudflare's edge (its own error page; the origin sent no HTTP response)" },
        { type: "forward", to: "isp-router", via: "the TLS session with the browser" },
      ]);
      deliverToBrowser(toIsp, []);
    };

    const gfeEvents: TraceEvent[] = [{ type: "decap", protocol: "gre" }];
    const handshakeOutcome = viaCloudflare ? segmentB! : segmentA;
    const tlsPeer = viaCloudflare ? "cf-edge" : "browser";
    if (handshakeOutcome === "gfe-no-cert" || handshakeOutcome === "gfe-needs-client-cert") {
      const alert = handshakeOutcome === "gfe-no-cert" ? "handshake_failure (40)" : "certificate_required (116)";
      gfeEvents.push({
        type: "tls-alert", alert, sentBy: "gfe",
        why: handshakeOutcome === "gfe-no-cert"
          ? `The target HTTPS proxy has no issued certificate for ${host}: ${originCert.how}.`
          : `The target HTTPS proxy's server TLS policy requires a client certificate that chains to its trust config (Cloudflare's origin-pull CA); this client presented none. Only Cloudflare, pulling for this zone, has one.`,
      });
      add("request", 3, gfe, toGfe, null, gfeEvents);
      const out = gfeToFront(tls(tlsPeer, "gfe", host, null, alert));
      gfeResponse(null, out, [], viaCloudflare ? cfError("525 SSL Handshake Failed", null) : () => undefined, [
        {
          type: "deliver",
          to: handshakeOutcome === "gfe-no-cert"
            ? "the client's TLS stack: the handshake fails (browsers show ERR_SSL_VERSION_OR_CIPHER_MISMATCH) and no HTTP request is sent"
            : "the client's TLS stack: the load balancer ended the handshake for want of a client certificate, so the request never reaches a backend",
        },
      ]);
      return done();
    }
    if (handshakeOutcome === "client-rejects" || handshakeOutcome === "cf-rejects") {
      add("request", 3, gfe, toGfe, null, [
        ...gfeEvents,
        { type: "respond", status: "TLS ServerHello and certificate", by: `the GFE, presenting ${originCert.names.join(", ")} (issued by ${originCert.issuer})` },
      ]);
      const out = gfeToFront(tls(tlsPeer, "gfe", host, originCertShown));
      if (viaCloudflare) {
        gfeResponse(null, out, [], cfError("526 Invalid SSL Certificate", {
          type: "tls-alert", alert: "bad_certificate (42)", sentBy: "cf-edge",
          why: `Full (strict) checks that the certificate covers the name; ${originCert.names.join(", ")} does not cover ${host}.`,
        }));
      } else {
        const untrusted = originCert.trust !== "public";
        gfeResponse(null, out, [], () => undefined, [
          {
            type: "tls-alert", alert: untrusted ? "unknown_ca (48)" : "bad_certificate (42)", sentBy: "browser",
            why: untrusted
              ? "Cloudflare's Origin CA is not in browsers' trust stores, so a browser that reaches the load balancer directly refuses the certificate (NET::ERR_CERT_AUTHORITY_INVALID). It is meant for the Cloudflare-to-origin segment only."
              : `The certificate names ${originCert.names.join(", ")}, none of which covers ${host} (NET::ERR_CERT_COMMON_NAME_INVALID).`,
          },
          { type: "deliver", to: "the browser's error page; no HTTP request is sent" },
        ]);
      }
      return done();
    }

    gfeEvents.push({
      type: "tls-terminate", ordinal: tlsOrdinal++, certificate: originCert.names.join(", "), issuer: originCert.issuer,
      client: viaCloudflare ? "cf-edge" : "browser", sni: host,
    });
    gfeEvents.push({
      type: "url-map", host, path: PATH,
      matchedRule: routed ? `host ${URL_MAP_RULE.host}, path ${URL_MAP_RULE.pathPrefix}*` : null,
      backendService: routed ? URL_MAP_RULE.backendService : null,
    });
    const answerFromGfe = (status: string, by: string) => {
      add("request", 3, gfe, toGfe, null, gfeEvents);
      gfeResponse(null, gfeToFront(response(status)), [{ type: "respond", status, by }], viaCloudflare ? cfRelay(status, undefined) : () => undefined);
      return done();
    };

    if (!routed) {
      // Simplified: GKE Ingress points the URL map's default at kube-system/default-http-backend, a small
      // 404 server in the cluster; the model answers at the GFE and leaves that detour out. A Cloud Armor
      // policy attached to the web Service's backend service (through its BackendConfig) does not cover it.
      return answerFromGfe("404 Not Found", "the URL map's default service (on GKE Ingress, kube-system/default-http-backend; not drawn)");
    }
    if (protection === "cloud-armor") {
      const allowed = fromCloudflare(googleFrom);
      gfeEvents.push({
        type: "waf", ruleset: "Cloud Armor security policy on the backend service", verdict: allowed ? "allow" : "block",
        rule: allowed
          ? `priority 1000 allows src-ip-ranges in Cloudflare's published IPv4 ranges, which hold ${googleFrom}`
          : `${googleFrom} is not in Cloudflare's ranges; the default rule (priority 2147483647) denies with 403`,
      });
      if (!allowed) return answerFromGfe("403 Forbidden", "Cloud Armor (the security policy's default deny rule)");
    }

    const healthOf = (epIp: string) =>
      health === "all-healthy" ? true : health === "target-unhealthy" ? epIp !== "10.4.1.5" : false;
    gfeEvents.push({
      type: "health-check",
      endpoints: ENDPOINTS.map((e) => ({ ip: `${e.ip}:${POD_PORT}`, healthy: healthOf(e.ip) })),
      probeSources: GOOGLE_PROXY_RANGES.join(" and "),
    });
    const healthy = ENDPOINTS.filter((e) => healthOf(e.ip));
    const candidates = ENDPOINTS.map((e) => ({
      id: `${e.ip}:${POD_PORT}`,
      detail: `${e.pod} on ${e.node}, in the zonal NEG of ${regionInfo.zones[e.zone]} (balancing mode RATE), ${healthOf(e.ip) ? "healthy" : "failing health checks"}`,
    }));
    const algorithm = "RATE balancing mode; waterfall by region, then spread over the region's zonal NEGs";
    if (healthy.length === 0) {
      gfeEvents.push({
        type: "lb-select", layer: "L7", algorithm, candidates, chosen: null,
        why: "Every endpoint in every zonal NEG is failing its health check, so the GFE cannot pick a backend. The classic Application Load Balancer answers its own errors with 502; its log entry says statusDetails: failed_to_pick_backend.",
      });
      return answerFromGfe("502 Bad Gateway", "the GFE (statusDetails: failed_to_pick_backend)");
    }
    // No shared counter: each GFE chooses on its own. The model draws from a generator seeded by this
    // GFE's name and the trace's seed, weighting each zonal NEG by its healthy endpoints (its RATE capacity).
    const gfeRandom = seededRandom(hash32(`${pick.backend}|${seed}`));
    const endpoint = healthy[Math.floor(gfeRandom() * healthy.length)]!;
    gfeEvents.push({
      type: "lb-select", layer: "L7", algorithm, candidates, chosen: `${endpoint.ip}:${POD_PORT}`,
      why:
        `Waterfall by region: ${region} is the only region with this backend service's NEGs, and it has capacity, so it is the region. ` +
        `GKE Ingress gives each zonal NEG balancing mode RATE; the GFE spreads requests over the NEGs by their healthy capacity ` +
        `(${healthy.length} of ${ENDPOINTS.length} endpoints), then within the NEG, and ${pick.backend} picked ${endpoint.ip}. ` +
        "There is no shared round-robin counter: many GFEs choose independently, so consecutive requests are not dealt out in turn." +
        (healthy.length < ENDPOINTS.length ? " Endpoints failing health checks are skipped." : ""),
    });
    const proxySource = gfeSourceAddress(pick.backend);
    const gfePort = ephemeralPort(random);
    if (cold) {
      gfeEvents.push({
        type: "handshake", protocol: "tcp", peer: `${endpoint.ip}:${POD_PORT}`, roundTrips: 1, rttMs: rttMs(googleSite, regionInfo.site),
        note: "The GFE speaks plain HTTP to the Pod here, so only TCP's handshake; GFEs normally keep backend connections open and reuse them.",
      });
    }
    // The load balancer appends the address that connected to it and its own forwarding-rule address.
    const forwarded = [viaCloudflare ? user.ip : null, googleFrom, GOOGLE.vip].filter((x): x is string => x !== null).join(", ");
    const toPod: Packet = { layers: [ip(proxySource, endpoint.ip), tcp(gfePort, POD_PORT), request(host, forwarded)] };
    add("request", 3, gfe, toGfe, toPod, [
      ...gfeEvents,
      {
        type: "forward", to: "backbone",
        via: `${cold ? "a new" : "a kept-alive"} HTTP/1.1 connection from ${proxySource} to the Pod (plain HTTP; Google encrypts it at the network layer)`,
      },
    ]);

    // Leg 4: across the backbone in an overlay header, straight to the Pod IP.
    const nodeIp = `${regionInfo.subnet}${endpoint.nodeHost}`;
    const nodeHostIp = `10.255.8${endpoint.nodeHost}`;
    const backbone: Device = { id: "backbone", kind: "sdn-fabric", location: googleSite, name: "Google backbone and Andromeda (VPC)" };
    const node: Device = { id: "node", kind: "node", location: regionInfo.site, name: `GKE node ${endpoint.node} (${nodeIp}, ${regionInfo.zones[endpoint.zone]})` };
    const pod: Device = { id: "pod", kind: "pod", location: regionInfo.site, name: `Pod ${endpoint.pod} (${endpoint.ip})` };
    const overlayPort = 49152 + (gfePort % 16384);
    const overlay = [ip(gfeHost, nodeHostIp), { kind: "udp", srcPort: overlayPort, dstPort: 6081 } as Layer, { kind: "geneve", vni: GENEVE_VNI } as Layer];
    const onBackbone = encapsulate(toPod, overlay);
    const backboneKm = Math.round(greatCircleKm(site(googleSite), site(regionInfo.site)));
    const sourceRange = GOOGLE_PROXY_RANGES.find((r) => cidrContains(parseCidr(r), parseIpv4(proxySource)))!;
    add("request", 4, backbone, toPod, onBackbone, [
      {
        type: "encap", protocol: "geneve", outerSrc: gfeHost, outerDst: nodeHostIp,
        note: `The VPC knows ${endpoint.podRange} as an alias range of ${endpoint.node} and tunnels to that VM's host. Andromeda's real header is not public; Geneve stands in for it.`,
      },
      {
        type: "firewall", rule: INGRESS_FIREWALL_RULE.name, action: "allow", sources: GOOGLE_PROXY_RANGES.join(", "), ports: INGRESS_FIREWALL_RULE.ports,
        note: `The Ingress controller created this rule for the proxies and the health checkers. ${proxySource} is in ${sourceRange}; either range can carry both kinds of traffic. Because the Pod only ever sees these addresses, no VPC rule can tell Cloudflare's requests from anyone else's.`,
      },
      { type: "forward", to: "node", via: `Google's private backbone, ${site(googleSite).name} to ${site(regionInfo.site).name}`, distanceKm: backboneKm },
    ]);
    const atPod = withTtl(decapsulate(onBackbone, overlay.length), 1);
    const podTuple = formatFiveTuple(flow(proxySource, gfePort, endpoint.ip, POD_PORT));
    add("request", 4, node, onBackbone, atPod, [
      { type: "decap", protocol: "geneve" },
      {
        type: "conntrack", state: "established", tuple: podTuple, nat: "none",
        note: cold
          ? "The SYN one round trip earlier created the entry and the handshake's last ACK made it ESTABLISHED; this request matches it."
          : "The GFE's connection has carried earlier requests; its entry has long been ESTABLISHED.",
      },
      {
        type: "forward", to: "pod",
        via: `route ${endpoint.ip} dev ${endpoint.veth} scope link — a /32 route per Pod to that Pod's veth, as Google's CNI installs them; destination unchanged (no DNAT, no kube-proxy). Under GKE Dataplane V2, an eBPF program delivers it instead and tracks the flow in its own table`,
      },
    ]);
    add("request", 4, pod, atPod, null, [{ type: "deliver", to: `the web container listening on ${POD_PORT}` }]);

    // Leg 5: the reply retraces the proxies' connections; conntrack matches it on the node.
    const podReply: Packet = { layers: [ip(endpoint.ip, proxySource), tcp(POD_PORT, gfePort), response("200 OK", { cacheControl: APP_CACHE_CONTROL })] };
    add("response", 5, pod, null, podReply, [
      { type: "respond", status: "200 OK", by: "application" },
      { type: "forward", to: "node", via: "the Pod's veth" },
    ]);
    const replyOverlay = [ip(nodeHostIp, gfeHost), { kind: "udp", srcPort: overlayPort, dstPort: 6081 } as Layer, { kind: "geneve", vni: GENEVE_VNI } as Layer];
    const replyOnBackbone = encapsulate(withTtl(podReply, 1), replyOverlay);
    add("response", 5, node, podReply, replyOnBackbone, [
      { type: "conntrack", state: "established", tuple: podTuple, nat: "none" },
      { type: "encap", protocol: "geneve", outerSrc: nodeHostIp, outerDst: gfeHost, note: "Back towards the GFE host that owns the connection." },
      { type: "forward", to: "backbone", via: "the VPC" },
    ]);
    const replyAtGfe = decapsulate(replyOnBackbone, replyOverlay.length);
    add("response", 5, backbone, replyOnBackbone, replyAtGfe, [
      { type: "decap", protocol: "geneve" },
      { type: "forward", to: "gfe", via: `Google's private backbone, ${site(regionInfo.site).name} to ${site(googleSite).name}`, distanceKm: backboneKm },
    ]);
    gfeResponse(replyAtGfe, gfeToFront(response("200 OK", { cacheControl: APP_CACHE_CONTROL })), [], viaCloudflare ? cfRelay("200 OK", APP_CACHE_CONTROL) : () => undefined);
    return done();
  },
};

/** Whether an address is in Cloudflare's published ranges (what the Cloud Armor allow-list checks). */
export const isCloudflareAddress = fromCloudflare;
