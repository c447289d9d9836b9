import { siteName } from "../../../sim/bgp/anycast";
import { ANYCAST_SITES, CLOUDFLARE_ASN, CLOUDFLARE_PREFIX, DEFAULT_ANNOUNCEMENTS, DEFAULT_TOPOLOGY, GOOGLE_ASN, GOOGLE_PREFIX } from "../../../sim/bgp/default-topology";
import { simulate, type BgpNetwork } from "../../../sim/bgp/engine";
import { compileTopology } from "../../../sim/bgp/topology";
import type { Announcement, Decision, Route, RouterName } from "../../../sim/bgp/types";
import type { SiteId } from "../../../sim/geo";
import type { Exhibit, LabLink } from "../../engine/types";

/** What the BGP templates share: the lesson, its labs, the simulated internet (seeded draws are in `../draw`). */
export const LESSON = "anycast-and-bgp";
export const DECISION_LAB: LabLink = { page: "/lessons/anycast-and-bgp/", lab: "bgp", query: {} };
export const ANYCAST_LAB: LabLink = { page: "/lessons/anycast-and-bgp/", lab: "anycast", query: {} };

export const PREFIXES = {
  cloudflare: { prefix: CLOUDFLARE_PREFIX, asn: CLOUDFLARE_ASN, name: "Cloudflare", address: "104.18.32.7" },
  google: { prefix: GOOGLE_PREFIX, asn: GOOGLE_ASN, name: "Google", address: "34.98.10.5" },
} as const;
export type PrefixKey = keyof typeof PREFIXES;

export const COMPILED = compileTopology(DEFAULT_TOPOLOGY);
const cache = new Map<string, BgpNetwork>();

/** The default internet with `withdrawn` sites of `which` network no longer announcing, plus `extra` announcements. */
export function network(which: PrefixKey, withdrawn: readonly SiteId[], extra: readonly Announcement[] = []): BgpNetwork {
  const key = `${which}|${withdrawn.join(",")}|${JSON.stringify(extra)}`;
  let net = cache.get(key);
  if (!net) {
    const announcements = DEFAULT_ANNOUNCEMENTS.map((a) =>
      a.asn === PREFIXES[which].asn ? { ...a, cities: ANYCAST_SITES.filter((s) => !withdrawn.includes(s)) } : a);
    net = simulate(COMPILED, [...announcements, ...extra]);
    if (cache.size > 200) cache.clear();
    cache.set(key, net);
  }
  return net;
}

export const asName = (asn: number) => DEFAULT_TOPOLOGY.ases.find((a) => a.asn === asn)?.name ?? `AS${asn}`;
export const cityOf = (r: RouterName) => r.slice(r.indexOf("@") + 1) as SiteId;
/** "Lumen's router in Madrid (AS3356)" */
export const routerText = (r: RouterName) => `${asName(Number(r.split("@")[0]))}'s router in ${siteName(cityOf(r))} (AS${r.split("@")[0]})`;

const pathText = (r: Route) => (r.asPath.length ? r.asPath.join(" ") : "i");

/** The router's routes as `show ip bgp PREFIX` would list them, without marking the best one. */
export function ribExhibit(d: Decision): Exhibit {
  const rows = d.candidates.map((r, i) =>
    `  [${i + 1}] path ${pathText(r).padEnd(16)} via ${r.from.router.padEnd(17)} ${r.from.kind === "ibgp" ? "iBGP" : "eBGP"}  locprf ${r.localPref}  med ${r.med ?? "-"}  origin ${r.origin.toUpperCase()}  igp ${r.igpCost.toLocaleString("en-US")} km  router-id ${r.from.routerId}`);
  return { kind: "output", command: `npm run sim -- bgp --from ${d.router} --prefix ${d.prefix}`, text: [`${d.router}: routes to ${d.prefix}`, ...rows].join("\n") };
}

/** "eBGP over iBGP" stays as it is; "shortest AS path" → "Shortest AS path". */
export const sentenceCase = (text: string) => (/^[a-z][A-Z]/.test(text) ? text : text[0]!.toUpperCase() + text.slice(1));
