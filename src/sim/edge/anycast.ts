import { greatCircleKm, site, type SiteId } from "../geo";
import type { TraceEvent } from "../trace";

/**
 * Anycast: one prefix announced from many sites, so a router holds several routes to it, one per
 * exit. BGP's best-path selection compares, in order, the highest local preference (which an operator
 * sets from the commercial relationship: routes from customers over peers over transit providers),
 * then the shortest AS path, then — among what is still tied — the nearest exit by the router's own
 * IGP cost ("hot potato": hand the packet off as soon as possible). The model compares exactly those
 * three, with great-circle distance standing in for IGP cost; real networks add MED, eBGP over iBGP,
 * router ids and traffic engineering, and sometimes land further away than the map suggests.
 */
export interface AnycastRoute {
  /** The site whose announcement this route leads to. */
  readonly site: SiteId;
  readonly localPref: number;
  readonly asPathLength: number;
  readonly learnedFrom: "peer" | "transit" | "customer";
}

/** Local preference by relationship, as many operators set it (the values are conventional, not a standard). */
export const LOCAL_PREF = { customer: 300, peer: 200, transit: 100 } as const;

export interface RankedRoute extends AnycastRoute {
  readonly distanceKm: number;
}

/**
 * Orders a router's routes to an anycast prefix best first: local preference, then AS-path length,
 * then distance from the router to the exit.
 *
 * @example bestAnycastRoutes("paris", routes)[0].site
 */
export function bestAnycastRoutes(from: SiteId, routes: readonly AnycastRoute[]): RankedRoute[] {
  if (routes.length === 0) throw new Error("an anycast prefix needs at least one site announcing it");
  return routes
    .map((r) => ({ ...r, distanceKm: Math.round(greatCircleKm(site(from), site(r.site))) }))
    .sort(
      (a, b) =>
        b.localPref - a.localPref ||
        a.asPathLength - b.asPathLength ||
        a.distanceKm - b.distanceKm ||
        a.site.localeCompare(b.site),
    );
}

/**
 * The routes an access ISP in `from` holds to a network that peers with it in the same metro and is
 * otherwise reached through a transit provider (one AS longer).
 */
export function routesViaLocalPeering(from: SiteId, sites: readonly SiteId[]): AnycastRoute[] {
  return sites.map((s) =>
    s === from
      ? { site: s, localPref: LOCAL_PREF.peer, asPathLength: 1, learnedFrom: "peer" as const }
      : { site: s, localPref: LOCAL_PREF.transit, asPathLength: 2, learnedFrom: "transit" as const },
  );
}

/** Routes learned over private interconnects with the origin network at every one of `sites`. */
export function routesViaPeeringEverywhere(sites: readonly SiteId[]): AnycastRoute[] {
  return sites.map((s) => ({ site: s, localPref: LOCAL_PREF.peer, asPathLength: 1, learnedFrom: "peer" as const }));
}

/** The `anycast-route` event for a packet entering a router at `from` that holds `routes`. */
export function anycastRoute(
  from: SiteId,
  routes: readonly AnycastRoute[],
  prefix: string,
  originAs: number,
  network: string,
): Extract<TraceEvent, { type: "anycast-route" }> {
  const ranked = bestAnycastRoutes(from, routes);
  const best = ranked[0]!;
  const tiedOnPref = ranked.filter((r) => r.localPref === best.localPref);
  const tiedOnPath = tiedOnPref.filter((r) => r.asPathLength === best.asPathLength);
  const decidedBy =
    tiedOnPref.length === 1
      ? `local preference decides: the route learned from a ${best.learnedFrom} at ${site(best.site).name} has ${best.localPref}, the others at most ${ranked[1]?.localPref ?? best.localPref}`
      : tiedOnPath.length === 1
        ? `local preference ties at ${best.localPref}, so the shorter AS path (${best.asPathLength}) decides`
        : `local preference (${best.localPref}) and AS-path length (${best.asPathLength}) tie across ${tiedOnPath.length} exits, so the nearest exit wins (hot-potato routing; the model measures distance where a router uses its IGP cost)`;
  return {
    type: "anycast-route",
    prefix,
    originAs,
    candidates: ranked.map((r) => ({ site: r.site, distanceKm: r.distanceKm, localPref: r.localPref, asPathLength: r.asPathLength, learnedFrom: r.learnedFrom })),
    chosen: best.site,
    why: `${network} announces ${prefix} (AS${originAs}) from ${ranked.length} sites. BGP compares local preference first, then AS-path length, then the exit's cost: here ${decidedBy}.`,
  };
}
