import type { Decision, DecisionRule, DecisionStep, OriginCode, RejectedRoute, Route, RouterName } from "./types";

/**
 * BGP best-path selection (RFC 4271 §9.1.2.2, in the order routers apply it), as a sequence of
 * eliminations over all the routes a router holds for one prefix:
 *
 * 0. a route this router originates itself wins (vendors do this before the comparison: Cisco's
 *    weight 32768, Junos's route preference for its own aggregate or static route);
 * 1. highest LOCAL_PREF;
 * 2. shortest AS_PATH (an AS_SET would count as one; the model has none);
 * 3. lowest ORIGIN: IGP < EGP < INCOMPLETE;
 * 4. lowest MULTI_EXIT_DISC, compared only between routes from the same neighbouring AS (the
 *    left-most AS of the path). Done over the whole set at once, group by group — what Cisco calls
 *    `bgp deterministic-med` — so the answer does not depend on the order the routes arrived in.
 *    `bgp always-compare-med` (compare across neighbours) exists; the model does not use it. A missing
 *    MED counts as 0, as RFC 4271 says (some vendors offer "missing as worst");
 * 5. eBGP-learned over iBGP-learned;
 * 6. lowest IGP cost to the next hop ("hot potato": leave this network by the nearest exit);
 * 7. lowest BGP Identifier of the advertising router;
 * 8. lowest neighbour address.
 *
 * Skipped on purpose: "prefer the oldest eBGP route" (a real tie-breaker in Cisco IOS and others,
 * RFC 5004, before the router id) — it makes the outcome depend on arrival time, which a
 * deterministic model does not have; cluster-list length (no route reflectors); and any check that
 * the next hop is reachable (every next hop is, in the model).
 */

const ORIGIN_RANK: Record<OriginCode, number> = { igp: 0, egp: 1, incomplete: 2 };

const km = (n: number) => `${Math.round(n).toLocaleString("en-US")} km`;

export const RULE_LABELS: Record<DecisionRule | "only-route", string> = {
  "local-origin": "originated here",
  "local-pref": "highest local preference",
  "as-path-length": "shortest AS path",
  origin: "lowest origin (IGP < EGP < incomplete)",
  med: "lowest MED (same neighbour AS)",
  "ebgp-over-ibgp": "eBGP over iBGP",
  "igp-cost": "lowest IGP cost to the next hop (hot potato)",
  "router-id": "lowest router id",
  "neighbor-address": "lowest neighbour address",
  "only-route": "only route",
};

/** The left-most AS of the path: the neighbouring AS MED is compared within (own AS for a local route). */
export function neighbourAs(r: Route): number {
  return r.asPath[0] ?? r.from.asn;
}

export function originAs(r: Route): number | null {
  return r.asPath.length ? r.asPath[r.asPath.length - 1]! : r.from.kind === "local" ? r.from.asn : null;
}

interface Criterion {
  readonly rule: DecisionRule;
  readonly value: (r: Route) => string;
  /** The survivors among `alive` (indexes into `routes`). */
  readonly keep: (routes: readonly Route[], alive: readonly number[]) => number[];
  readonly note: (routes: readonly Route[], kept: readonly number[], eliminated: readonly number[]) => string;
}

function keepExtreme(routes: readonly Route[], alive: readonly number[], score: (r: Route) => number, best: "min" | "max"): number[] {
  const scores = alive.map((i) => score(routes[i]!));
  const target = best === "min" ? Math.min(...scores) : Math.max(...scores);
  return alive.filter((_, k) => scores[k] === target);
}

const CRITERIA: readonly Criterion[] = [
  {
    rule: "local-origin",
    value: (r) => (r.from.kind === "local" ? "originated here" : "learned"),
    keep: (routes, alive) => (alive.some((i) => routes[i]!.from.kind === "local") ? alive.filter((i) => routes[i]!.from.kind === "local") : [...alive]),
    note: () => "A router prefers the route it originates itself to anything it learns (Cisco weight 32768; Junos route preference).",
  },
  {
    rule: "local-pref",
    value: (r) => String(r.localPref),
    keep: (routes, alive) => keepExtreme(routes, alive, (r) => r.localPref, "max"),
    note: (routes, kept) => `Local preference ${routes[kept[0]!]!.localPref} is the highest; it is this AS's own policy (by default: customer over peer over provider), compared before anything about the path.`,
  },
  {
    rule: "as-path-length",
    value: (r) => `${r.asPath.length} (${r.asPath.join(" ") || "empty"})`,
    keep: (routes, alive) => keepExtreme(routes, alive, (r) => r.asPath.length, "min"),
    note: (routes, kept) => `The shortest AS path has ${routes[kept[0]!]!.asPath.length} AS${routes[kept[0]!]!.asPath.length === 1 ? "" : "es"}; BGP counts networks crossed, not kilometres.`,
  },
  {
    rule: "origin",
    value: (r) => r.origin.toUpperCase(),
    keep: (routes, alive) => keepExtreme(routes, alive, (r) => ORIGIN_RANK[r.origin], "min"),
    note: () => "ORIGIN: IGP beats EGP beats INCOMPLETE.",
  },
  {
    rule: "med",
    value: (r) => `${r.med ?? "none (0)"} from AS${neighbourAs(r)}`,
    keep: (routes, alive) =>
      alive.filter((i) => {
        const r = routes[i]!;
        return !alive.some((j) => neighbourAs(routes[j]!) === neighbourAs(r) && (routes[j]!.med ?? 0) < (r.med ?? 0));
      }),
    note: () => "MED is compared only between routes from the same neighbouring AS; a route with no rival from its own neighbour AS survives this step.",
  },
  {
    rule: "ebgp-over-ibgp",
    value: (r) => (r.from.kind === "ebgp" ? "eBGP" : "iBGP"),
    keep: (routes, alive) => (alive.some((i) => routes[i]!.from.kind === "ebgp") ? alive.filter((i) => routes[i]!.from.kind === "ebgp") : [...alive]),
    note: () => "A route learned over this router's own eBGP session beats one learned over iBGP from another router of the same AS: the packet leaves here.",
  },
  {
    rule: "igp-cost",
    value: (r) => km(r.igpCost),
    keep: (routes, alive) => keepExtreme(routes, alive, (r) => r.igpCost, "min"),
    note: (routes, kept) => `The nearest exit inside this AS is ${routes[kept[0]!]!.nextHop} at IGP cost ${km(routes[kept[0]!]!.igpCost)} (the model's IGP cost is the great-circle distance): hand the packet off as soon as possible.`,
  },
  {
    rule: "router-id",
    value: (r) => r.from.routerId,
    keep: (routes, alive) => keepExtreme(routes, alive, (r) => r.from.routerIdValue, "min"),
    note: () => "The lowest BGP Identifier of the advertising router breaks the tie.",
  },
  {
    rule: "neighbor-address",
    value: (r) => r.from.routerId,
    keep: (routes, alive) => keepExtreme(routes, alive, (r) => r.from.routerIdValue, "min").slice(0, 1),
    note: () => "The lowest neighbour address breaks the last tie.",
  },
];

/** The rules in the order the decision process applies them. */
export const DECISION_ORDER: readonly DecisionRule[] = CRITERIA.map((c) => c.rule);

/** A stable order for candidates: by the session they came over (origin first, then by neighbour). */
export function candidateOrder(a: Route, b: Route): number {
  const rank = (r: Route) => (r.from.kind === "local" ? 0 : r.from.kind === "ebgp" ? 1 : 2);
  return rank(a) - rank(b) || (a.from.router < b.from.router ? -1 : a.from.router > b.from.router ? 1 : 0);
}

/**
 * Runs the decision process over `candidates` (already in `candidateOrder`), recording each
 * comparison that had more than one route left to compare.
 *
 * @example decide("3356@madrid", "104.16.0.0/13", routes, []).decidedBy // "igp-cost"
 */
export function decide(router: RouterName, prefix: string, candidates: readonly Route[], rejected: readonly RejectedRoute[]): Decision {
  const steps: DecisionStep[] = [];
  let alive = candidates.map((_, i) => i);
  let decidedBy: Decision["decidedBy"] = candidates.length === 0 ? null : candidates.length === 1 ? "only-route" : null;
  for (const c of CRITERIA) {
    if (alive.length <= 1) break;
    // Not a comparison of BGP's own: shown only when this router originates the prefix.
    if (c.rule === "local-origin" && !alive.some((i) => candidates[i]!.from.kind === "local")) continue;
    const kept = c.keep(candidates, alive);
    const eliminated = alive.filter((i) => !kept.includes(i));
    steps.push({
      rule: c.rule,
      label: RULE_LABELS[c.rule],
      values: alive.map((i) => ({ candidate: i, value: c.value(candidates[i]!) })),
      kept,
      eliminated,
      decisive: kept.length === 1,
      note: eliminated.length ? c.note(candidates, kept, eliminated) : "All remaining routes tie here; on to the next rule.",
    });
    alive = kept;
    if (kept.length === 1) decidedBy = c.rule;
  }
  const bestIndex = alive.length ? alive[0]! : null;
  return { router, prefix, candidates, rejected, steps, best: bestIndex === null ? null : candidates[bestIndex]!, bestIndex, decidedBy };
}

/** The best route alone, without recording steps (the propagation loop's hot path). */
export function bestOf(candidates: readonly Route[]): Route | null {
  if (candidates.length <= 1) return candidates[0] ?? null;
  let alive = candidates.map((_, i) => i);
  for (const c of CRITERIA) {
    if (alive.length <= 1) break;
    alive = c.keep(candidates, alive);
  }
  return candidates[alive[0]!] ?? null;
}
