import { anycastOutcomes, siteOfRoute } from "../bgp/anycast";
import { DEFAULT_ANNOUNCEMENTS, DEFAULT_TOPOLOGY } from "../bgp/default-topology";
import { simulate, type BgpNetwork } from "../bgp/engine";
import { LOCAL_PREF as BGP_LOCAL_PREF } from "../bgp/topology";
import type { DecisionRule, Route, RouterName } from "../bgp/types";
import { greatCircleKm, site, type SiteId } from "../geo";
import type { TraceEvent } from "../trace";

/**
 * Anycast in the flagship: which site the user's ISP reaches for Cloudflare's (or Google's) prefix,
 * and which Google edge site Cloudflare's border router hands the origin pull to — both read off the
 * BGP model of the simulated internet (`src/sim/bgp/`, `default-topology.ts`): announcements
 * propagated under Gao–Rexford policies, best-path selection in RFC 4271's order, then the packet
 * followed FIB by FIB to the site that originated the route it took.
 */

/** Local preference by relationship (the BGP model's; `transit` is the provider's side). */
export const LOCAL_PREF = { customer: BGP_LOCAL_PREF.customer, peer: BGP_LOCAL_PREF.peer, transit: BGP_LOCAL_PREF.provider } as const;

let internet: BgpNetwork | null = null;

/** The default simulated internet with Cloudflare's and Google's prefixes announced from every site, converged once. */
export function defaultInternet(): BgpNetwork {
  internet ??= simulate(DEFAULT_TOPOLOGY, DEFAULT_ANNOUNCEMENTS);
  return internet;
}

type AnycastEventBase = Extract<TraceEvent, { type: "anycast-route" }>;

/** One of the router's BGP routes to the prefix, as the `anycast-route` event lists it. */
export interface AnycastCandidate {
  readonly site: SiteId;
  readonly distanceKm: number;
  readonly localPref?: number;
  readonly asPathLength?: number;
  readonly learnedFrom?: "peer" | "transit" | "customer";
  /** Added with the BGP model: the route's AS path, session, next hop and IGP cost. */
  readonly asPath: readonly number[];
  readonly session: "ebgp" | "ibgp" | "local";
  readonly neighbor: RouterName;
  readonly nextHop: RouterName;
  readonly igpCost: number;
  readonly med: number | null;
  readonly origin: Route["origin"];
}

/**
 * The `anycast-route` event: the fields it always had, plus (with the BGP model) the router that
 * decided, the rule that decided there, the forwarding path, the sites announcing the prefix and the
 * geographically nearest of them.
 */
export type AnycastRouteEvent = AnycastEventBase & {
  readonly candidates: readonly AnycastCandidate[];
  /** The router holding these candidates. */
  readonly router: RouterName;
  /** The router on the path whose choice picked the site (often this one), and its deciding rule. */
  readonly decidingRouter: RouterName | null;
  readonly rule: DecisionRule | "only-route" | null;
  /** Routers the packet crosses to the site, this one first. */
  readonly path: readonly RouterName[];
  /** Every site announcing the prefix. */
  readonly sites: readonly SiteId[];
  /** The announcing site nearest this router's city: where "anycast = nearest site" would send it. */
  readonly nearestSite: SiteId;
};

const learnedFrom = (r: Route): AnycastCandidate["learnedFrom"] =>
  r.learnedAs === "provider" ? "transit" : r.learnedAs === "local" ? undefined : r.learnedAs;

/**
 * The `anycast-route` event for a packet to `address` entering `router` (ASN@city of the default
 * topology). `network` names the announcer in the explanation.
 *
 * @example anycastRoute("3215@paris", "104.16.0.0/13", "104.18.32.7", 13335, "Cloudflare").chosen // "paris"
 */
export function anycastRoute(router: RouterName, prefix: string, address: string, originAs: number, network: string, net?: BgpNetwork): AnycastRouteEvent {
  if (net !== undefined) return computeAnycastRoute(router, prefix, address, originAs, network, net);
  // The default internet never changes once converged, so neither does its answer: every flagship trace
  // asks the same few questions, and the decision process with its steps is worth computing once.
  const key = `${router}|${prefix}|${address}|${originAs}|${network}`;
  let event = defaultAnswers.get(key);
  if (!event) defaultAnswers.set(key, (event = deepFreeze(computeAnycastRoute(router, prefix, address, originAs, network, defaultInternet()))));
  return event;
}

const defaultAnswers = new Map<string, AnycastRouteEvent>();

/** Shared by every trace, so nothing may change it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function computeAnycastRoute(router: RouterName, prefix: string, address: string, originAs: number, network: string, net: BgpNetwork): AnycastRouteEvent {
  const city = net.router(router).city;
  const outcome = anycastOutcomes(net, prefix, address, { [city]: router })[0]!;
  if (!outcome.reached || !outcome.path) throw new Error(`${router} has no route to ${address} in the simulated internet`);
  const decision = net.decision(router, net.fibLookup(router, address).match!);
  // Best first, then in the order the decision process eliminated them (the last to fall ranks higher).
  const fell = new Map<number, number>();
  decision.steps.forEach((s, k) => s.eliminated.forEach((i) => fell.set(i, k)));
  const order = decision.candidates.map((_, i) => i).sort((a, b) => (a === decision.bestIndex ? -1 : b === decision.bestIndex ? 1 : (fell.get(b) ?? 0) - (fell.get(a) ?? 0) || a - b));
  const candidates: AnycastCandidate[] = order.map((i) => {
    const r = decision.candidates[i]!;
    const lf = learnedFrom(r);
    return {
      site: siteOfRoute(r), distanceKm: Math.round(greatCircleKm(site(city), site(siteOfRoute(r)))), localPref: r.localPref, asPathLength: r.asPath.length,
      ...(lf ? { learnedFrom: lf } : {}),
      asPath: r.asPath, session: r.from.kind, neighbor: r.from.router, nextHop: r.nextHop, igpCost: r.igpCost, med: r.med, origin: r.origin,
    };
  });
  const sites = net.originsOf(prefix).map((n) => net.router(n).city);
  return {
    type: "anycast-route", prefix, originAs, candidates, chosen: outcome.reached,
    why: `${network} announces ${prefix} (AS${originAs}) from ${sites.length} sites; ${router} holds ${decision.candidates.length} route${decision.candidates.length === 1 ? "" : "s"} to it. ` +
      `BGP compares local preference, then AS-path length, origin, MED, eBGP over iBGP, then the IGP cost to the exit: ${outcome.why}`,
    router, decidingRouter: outcome.decidingRouter, rule: outcome.rule, path: outcome.path.hops.map((h) => h.router), sites,
    nearestSite: outcome.nearest!,
  };
}
