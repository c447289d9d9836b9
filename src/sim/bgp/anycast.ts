import { greatCircleKm, site, type SiteId } from "../geo";
import { RULE_LABELS } from "./decision";
import type { BgpNetwork } from "./engine";
import type { Decision, DecisionRule, ForwardingPath, Route, RouterName } from "./types";

/**
 * Anycast on the BGP model: one prefix originated at many sites, and for each user city the site
 * its packets actually reach — found by following the FIB from the user's access router, router by
 * router — beside the geographically nearest site. Where they differ, the rule that made the
 * difference is named: BGP's "nearest" is the outcome of policy and path length, never of geography.
 *
 * The wrong model "anycast-nearest-site" is the belief that anycast delivers to the physically closest
 * site; run it and read the site it predicts.
 */

export type AnycastModel = "bgp" | "anycast-nearest-site";

export interface AnycastOutcome {
  readonly city: SiteId;
  readonly router: RouterName;
  readonly prefix: string;
  readonly address: string;
  /** The site whose router delivered the packet, or null (no route). */
  readonly reached: SiteId | null;
  readonly reachedRouter: RouterName | null;
  readonly reachedKm: number | null;
  /** The announcing site nearest the city by great-circle distance. */
  readonly nearest: SiteId | null;
  readonly nearestKm: number | null;
  readonly agrees: boolean;
  readonly path: ForwardingPath | null;
  /** The router on the path whose choice picked the site, and the rule that decided it there. */
  readonly decidingRouter: RouterName | null;
  readonly rule: DecisionRule | "only-route" | null;
  readonly why: string;
}

const cityOf = (router: RouterName) => router.slice(router.indexOf("@") + 1) as SiteId;
const km = (a: SiteId, b: SiteId) => Math.round(greatCircleKm(site(a), site(b)));
const kmText = (n: number) => `${n.toLocaleString("en-US")} km`;
const learnedText = (r: Route) =>
  r.from.kind === "local" ? "originated here"
    : `${r.from.kind === "ibgp" ? `over iBGP from ${r.from.router}, ` : ""}learned from a ${r.learnedAs === "local" ? "router of the origin AS" : r.learnedAs}${r.from.viaRouteServer ? ` via the route server AS${r.from.viaRouteServer}` : ""}`;

/** The site a route leads to (where its announcement was originated). */
export const siteOfRoute = (r: Route): SiteId => cityOf(r.originRouter);

/**
 * One sentence on why the decision went the way it did: the rule, the winner, the best loser.
 *
 * @example explainDecision(net.decision("3356@madrid", "104.16.0.0/13"))
 */
export function explainDecision(d: Decision): string {
  const best = d.best;
  if (!best) return `${d.router} has no route to ${d.prefix}.`;
  if (d.decidedBy === "only-route") return `${d.router} holds a single route to ${d.prefix} (${learnedText(best)}, AS path ${best.asPath.join(" ") || "empty"}), so there is nothing to choose.`;
  const step = d.steps.find((s) => s.decisive);
  const losers = step ? step.eliminated.map((i) => d.candidates[i]!) : [];
  const loser = losers[0];
  const to = (r: Route) => `${siteName(siteOfRoute(r))} (AS path ${r.asPath.join(" ") || "empty"})`;
  switch (d.decidedBy) {
    case "local-origin":
      return `${d.router} originates ${d.prefix} itself and prefers that to anything it learns.`;
    case "local-pref":
      return `local preference decides: the route ${learnedText(best)} has ${best.localPref}${loser ? `, the others at most ${Math.max(...losers.map((r) => r.localPref))} (${learnedText(loser)})` : ""}; it leads to ${to(best)}.`;
    case "as-path-length":
      return `local preference ties at ${best.localPref}, so the shorter AS path decides: ${best.asPath.length} AS${best.asPath.length === 1 ? "" : "es"} to ${to(best)}${loser ? ` against ${loser.asPath.length} to ${to(loser)}` : ""}. BGP counts networks, not kilometres.`;
    case "origin":
      return `the ORIGIN attribute decides: ${best.origin.toUpperCase()} beats ${loser?.origin.toUpperCase() ?? "the rest"}.`;
    case "med":
      return `the MED from AS${best.asPath[0]} decides: ${best.med ?? 0} is lower than ${loser?.med ?? 0}.`;
    case "ebgp-over-ibgp":
      return `the routes left tie on local preference, AS path, origin and MED, so eBGP beats iBGP: the route over ${d.router}'s own session (to ${to(best)}) wins over ${losers.length} learned from other routers of its AS — the packet leaves at the nearest possible exit, right here.`;
    case "igp-cost":
      return `the routes left tie on every attribute and all come over iBGP, so the nearest exit inside the network decides (hot potato): ${best.nextHop} at IGP cost ${kmText(best.igpCost)}${loser ? ` beats ${loser.nextHop} at ${kmText(loser.igpCost)}` : ""}.`;
    case "router-id":
    case "neighbor-address":
      return `everything else ties, so the lowest router id decides: ${best.from.routerId} (${best.from.router}).`;
    default:
      return `${d.router}'s best route leads to ${to(best)}.`;
  }
}

export const siteName = (id: SiteId) => site(id).name;

/**
 * Where each city's packets for `address` (inside an anycast `prefix`) go, and why.
 *
 * @example anycastOutcomes(net, "104.16.0.0/13", "104.18.32.7", { madrid: "64500@madrid" })[0].reached // "london"
 */
export function anycastOutcomes(
  net: BgpNetwork,
  prefix: string,
  address: string,
  userRouters: Readonly<Partial<Record<SiteId, RouterName>>>,
  model: AnycastModel = "bgp",
): AnycastOutcome[] {
  const sites = net.originsOf(prefix).map(cityOf);
  return (Object.entries(userRouters) as [SiteId, RouterName][]).map(([city, router]) => {
    const ranked = [...sites].sort((a, b) => km(city, a) - km(city, b) || (a < b ? -1 : 1));
    const nearest = ranked[0] ?? null;
    const nearestKm = nearest ? km(city, nearest) : null;
    if (model === "anycast-nearest-site") {
      return {
        city, router, prefix, address, reached: nearest, reachedRouter: null, reachedKm: nearestKm, nearest, nearestKm, agrees: true,
        path: null, decidingRouter: null, rule: null,
        why: nearest ? `This model sends every packet to the physically closest site announcing ${prefix}: ${siteName(nearest)}, ${kmText(nearestKm!)} from ${siteName(city)}.` : `No site announces ${prefix}.`,
      };
    }
    const path = net.forward(router, address);
    const reachedRouter = path.deliveredAt;
    const reached = reachedRouter ? cityOf(reachedRouter) : null;
    // The delivering router's own choice (its own announcement) picks nothing: only the routers before it.
    const decisions = path.hops.map((h) => (h.lookup.match && h.lookup.route?.from.kind !== "local" ? net.decision(h.router, h.lookup.match) : null));
    // The router whose choice picked the site: the first whose routes lead to more than one site;
    // failing that, the first with more than one route at all.
    let at = decisions.findIndex((d) => d !== null && new Set(d.candidates.map(siteOfRoute)).size > 1);
    if (at < 0) at = decisions.findIndex((d) => d !== null && d.candidates.length > 1);
    const deciding = at >= 0 ? decisions[at]! : null;
    const agrees = reached === nearest;
    const reachedKm = reached ? km(city, reached) : null;
    let why: string;
    if (!reached) why = path.outcome === "loop" ? `The packets loop between ${path.hops.map((h) => h.router).join(" → ")}.` : `${router} has no route to ${address}.`;
    else {
      const where = deciding ? `At ${deciding.router}, ${explainDecision(deciding)}` : `Every router on the way holds a single route.`;
      why = `Packets from ${siteName(city)} reach ${siteName(reached)} (${kmText(reachedKm!)} away) along ${path.hops.map((h) => h.router).join(" → ")}. ${where}` +
        (agrees ? "" : ` The nearest site, ${siteName(nearest!)} (${kmText(nearestKm!)}), is not where BGP leads: routing follows policy and AS paths, and geography only through each network's own exit costs.`);
    }
    return { city, router, prefix, address, reached, reachedRouter, reachedKm, nearest, nearestKm, agrees, path, decidingRouter: deciding?.router ?? null, rule: deciding?.decidedBy ?? (reached ? "only-route" : null), why };
  });
}

export { RULE_LABELS };
