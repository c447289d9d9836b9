import type { SiteId } from "../geo";
import type { Announcement, AsSpec, SessionSpec, Topology } from "./types";

/**
 * The course's simulated internet: small enough to step through, shaped like the real one. The AS
 * numbers and names of real networks are real; who buys from whom and where they meet is
 * illustrative, not a map of anyone's contracts (several of these networks are in reality
 * transit-free, and Cloudflare and Google have far more sites and sessions). Invented networks use
 * documentation ASNs (RFC 5398: 64496–64511). Free for other models (attackers, labs): 64496–64499,
 * 64504–64509 and 64511.
 */

/** Cloudflare's and Google's sites in the model: the flagship's (src/sim/edge/cloudflare.ts, google-edge.ts). */
export const ANYCAST_SITES: readonly SiteId[] = ["paris", "london", "frankfurt", "tokyo", "singapore", "sao-paulo", "miami", "new-york", "los-angeles"];

export const CLOUDFLARE_ASN = 13335;
export const GOOGLE_ASN = 15169;
/** Cloudflare's anycast prefix in the flagship (a real Cloudflare range). */
export const CLOUDFLARE_PREFIX = "104.16.0.0/13";
/** The prefix of the load balancer's global address in the flagship (announced by AS15169 in the model). */
export const GOOGLE_PREFIX = "34.98.0.0/16";
/** The IXP route server in Paris (invented; RFC 7947 behaviour). */
export const PARIS_ROUTE_SERVER_ASN = 64510;

const ases: AsSpec[] = [
  { asn: CLOUDFLARE_ASN, name: "Cloudflare", kind: "content", cities: ANYCAST_SITES, note: "Announces its anycast prefix from every site; buys transit from Lumen and NTT in some cities and peers widely." },
  { asn: GOOGLE_ASN, name: "Google", kind: "content", cities: ANYCAST_SITES, note: "Announces the load balancer's prefix from every edge site; peers with the tier-1s and with Cloudflare at every site." },
  { asn: 3356, name: "Lumen", kind: "tier1", cities: ["london", "paris", "frankfurt", "madrid", "new-york", "miami", "los-angeles", "sao-paulo"] },
  { asn: 1299, name: "Arelion", kind: "tier1", cities: ["london", "paris", "frankfurt", "new-york", "miami", "los-angeles", "singapore"] },
  { asn: 174, name: "Cogent", kind: "tier1", cities: ["london", "paris", "frankfurt", "madrid", "new-york", "los-angeles"] },
  { asn: 2914, name: "NTT", kind: "tier1", cities: ["tokyo", "singapore", "los-angeles", "new-york", "london", "frankfurt"] },
  { asn: 3215, name: "Orange", kind: "access", cities: ["paris"], note: "Access ISP in Paris: transit from Arelion, Cloudflare through the Paris IXP's route server, a private interconnect with Google." },
  { asn: 2516, name: "KDDI", kind: "access", cities: ["tokyo"], note: "Access ISP in Tokyo: transit from NTT, private interconnects with Cloudflare and Google." },
  { asn: 7922, name: "Comcast", kind: "access", cities: ["new-york"], note: "Access ISP in New York: transit from Arelion, private interconnects with Cloudflare and Google." },
  { asn: 64501, name: "São Paulo access ISP", kind: "access", cities: ["sao-paulo"], note: "Invented. Transit from Lumen, peers with Cloudflare and Google in São Paulo." },
  { asn: 64500, name: "Madrid access ISP", kind: "access", cities: ["madrid"], note: "Invented. Single-homed to Lumen in Madrid; peers with no one." },
  { asn: 64502, name: "Johannesburg access ISP", kind: "access", cities: ["johannesburg"], note: "Invented. Buys transit from a regional carrier." },
  { asn: 64503, name: "Southern regional transit", kind: "transit", cities: ["johannesburg", "london"], note: "Invented. Carries its customers to London and buys transit there from Cogent." },
  { asn: PARIS_ROUTE_SERVER_ASN, name: "Paris IXP route server", kind: "route-server", cities: ["paris"], note: "Invented. Passes each member's routes to the others without adding its ASN (RFC 7947)." },
];

const TIER1 = [3356, 1299, 174, 2914] as const;

const sessions: SessionSpec[] = [
  // Tier-1s peer with each other in London and New York.
  ...TIER1.flatMap((a, i) => TIER1.slice(i + 1).flatMap((b) => (["london", "new-york"] as const).map((city) => ({ kind: "peer" as const, a, b, city })))),
  // Cloudflare buys transit from Lumen (not in Paris or Madrid) and NTT.
  ...(["london", "frankfurt", "new-york", "los-angeles"] as const).map((city) => ({ kind: "transit" as const, provider: 3356, customer: CLOUDFLARE_ASN, city })),
  ...(["tokyo", "singapore", "los-angeles"] as const).map((city) => ({ kind: "transit" as const, provider: 2914, customer: CLOUDFLARE_ASN, city })),
  // Google peers with every tier-1, in two cities each.
  { kind: "peer", a: GOOGLE_ASN, b: 3356, city: "london" },
  { kind: "peer", a: GOOGLE_ASN, b: 3356, city: "new-york" },
  { kind: "peer", a: GOOGLE_ASN, b: 1299, city: "frankfurt" },
  { kind: "peer", a: GOOGLE_ASN, b: 1299, city: "miami" },
  { kind: "peer", a: GOOGLE_ASN, b: 2914, city: "tokyo" },
  { kind: "peer", a: GOOGLE_ASN, b: 2914, city: "los-angeles" },
  { kind: "peer", a: GOOGLE_ASN, b: 174, city: "frankfurt" },
  { kind: "peer", a: GOOGLE_ASN, b: 174, city: "los-angeles" },
  // Cloudflare and Google: private interconnects at every site.
  ...ANYCAST_SITES.map((city) => ({ kind: "peer" as const, a: CLOUDFLARE_ASN, b: GOOGLE_ASN, city })),
  // Access ISPs.
  { kind: "transit", provider: 1299, customer: 3215, city: "paris" },
  { kind: "route-server", routeServer: PARIS_ROUTE_SERVER_ASN, member: 3215, city: "paris" },
  { kind: "peer", a: 3215, b: GOOGLE_ASN, city: "paris" },
  { kind: "transit", provider: 2914, customer: 2516, city: "tokyo" },
  { kind: "peer", a: 2516, b: CLOUDFLARE_ASN, city: "tokyo" },
  { kind: "peer", a: 2516, b: GOOGLE_ASN, city: "tokyo" },
  { kind: "transit", provider: 1299, customer: 7922, city: "new-york" },
  { kind: "peer", a: 7922, b: CLOUDFLARE_ASN, city: "new-york" },
  { kind: "peer", a: 7922, b: GOOGLE_ASN, city: "new-york" },
  { kind: "transit", provider: 3356, customer: 64501, city: "sao-paulo" },
  { kind: "peer", a: 64501, b: CLOUDFLARE_ASN, city: "sao-paulo" },
  { kind: "peer", a: 64501, b: GOOGLE_ASN, city: "sao-paulo" },
  { kind: "transit", provider: 3356, customer: 64500, city: "madrid" },
  { kind: "transit", provider: 64503, customer: 64502, city: "johannesburg" },
  { kind: "transit", provider: 174, customer: 64503, city: "london" },
  // The Paris IXP's route server: Cloudflare and Cogent are members too.
  { kind: "route-server", routeServer: PARIS_ROUTE_SERVER_ASN, member: CLOUDFLARE_ASN, city: "paris" },
  { kind: "route-server", routeServer: PARIS_ROUTE_SERVER_ASN, member: 174, city: "paris" },
];

export const DEFAULT_TOPOLOGY: Topology = { ases, sessions };

/** Cloudflare's and Google's anycast prefixes, each from every one of their sites. */
export const DEFAULT_ANNOUNCEMENTS: readonly Announcement[] = [
  { prefix: CLOUDFLARE_PREFIX, asn: CLOUDFLARE_ASN },
  { prefix: GOOGLE_PREFIX, asn: GOOGLE_ASN },
];

/** The access ISP router users in each city sit behind. */
export const USER_ROUTERS: Readonly<Partial<Record<SiteId, string>>> = {
  paris: "3215@paris",
  tokyo: "2516@tokyo",
  "sao-paulo": "64501@sao-paulo",
  "new-york": "7922@new-york",
  madrid: "64500@madrid",
  johannesburg: "64502@johannesburg",
};

export const USER_CITY_IDS = Object.keys(USER_ROUTERS) as SiteId[];
