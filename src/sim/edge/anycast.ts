import { greatCircleKm, site, type SiteId } from "../geo";
import type { TraceEvent } from "../trace";

/**
 * Anycast: one prefix announced from many sites with the same AS path, so BGP cannot tell them apart
 * by path length and each network's routers send traffic to the exit they prefer — usually the
 * nearest. The model takes the geographically nearest site; real routes follow peering and policy
 * and sometimes land further away.
 */
export function nearestSite(from: SiteId, candidates: readonly SiteId[]) {
  const ranked = candidates
    .map((s) => ({ site: s, distanceKm: Math.round(greatCircleKm(site(from), site(s))) }))
    .sort((a, b) => a.distanceKm - b.distanceKm || a.site.localeCompare(b.site));
  const chosen = ranked[0];
  if (!chosen) throw new Error("an anycast prefix needs at least one site announcing it");
  return { candidates: ranked, chosen: chosen.site };
}

/** The `anycast-route` event for a packet entering the network at `from`. */
export function anycastRoute(
  from: SiteId,
  sites: readonly SiteId[],
  prefix: string,
  originAs: number,
  network: string,
): Extract<TraceEvent, { type: "anycast-route" }> {
  const { candidates, chosen } = nearestSite(from, sites);
  return {
    type: "anycast-route",
    prefix,
    originAs,
    candidates,
    chosen,
    why:
      `Every ${network} site announces ${prefix} from AS${originAs} with the same AS path, so BGP ties and ` +
      `the route is settled by local preference and the nearest exit; the model takes the geographically nearest site.`,
  };
}
