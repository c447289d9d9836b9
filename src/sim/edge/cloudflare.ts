import type { SiteId } from "../geo";
import { cidrContains, parseCidr } from "../net/cidr";
import { parseIpv4 } from "../net/ipv4";

/**
 * Facts about Cloudflare's network the edge journey uses. 104.16.0.0/13 and 162.158.0.0/15 are real
 * Cloudflare ranges; the anycast and egress addresses are picked from them for the model.
 */

/** Cloudflare sites the model knows (a subset of its real footprint). */
export const CLOUDFLARE_SITES: readonly SiteId[] = [
  "paris", "london", "frankfurt", "tokyo", "singapore", "sao-paulo", "miami", "new-york", "los-angeles",
];

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

/** AS13335 announces the prefix from every site; browsers connect to the anycast address, origins see the egress one. */
export const CLOUDFLARE = { asn: 13335, prefix: "104.16.0.0/13", anycastIp: "104.18.32.7", egressIp: "162.158.84.17" } as const;

/** Cloudflare's edge certificate for the zone (Universal SSL): the apex and one level of wildcard. */
export const EDGE_CERT = { names: ["example.com", "*.example.com"], issuer: "Google Trust Services WE1" } as const;

/** Whether an address is in Cloudflare's published ranges (what a Cloud Armor allow-list checks). */
export function isCloudflareAddress(address: string): boolean {
  const a = parseIpv4(address);
  return CLOUDFLARE_BLOCKS.some((block) => cidrContains(block, a));
}
