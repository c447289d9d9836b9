/**
 * One router's view of a hijack, in the four stages a route and then a packet go through there:
 * origin validation of the attacker's route (the VRPs that covered and matched), the AS's import
 * policy (drop, lower preference, or ignore), the BGP decision for the attacked prefix (the engine's
 * own steps), and the FIB lookup for the victim's address with the hop-by-hop path that follows.
 */
import type { Decision, FibLookup, RouterName, RovMode } from "../bgp/types";
import { siteName } from "../bgp/anycast";
import { RULE_LABELS } from "../bgp/decision";
import type { SiteId } from "../geo";
import { formatAsn } from "./asn";
import type { HijackOutcome, RouterFate } from "./hijacks";
import type { RovResult } from "./rov";

export const LAB_STAGES = ["validation", "import", "best-path", "fib"] as const;
export type LabStage = (typeof LAB_STAGES)[number];
export const STAGE_LABELS: Record<LabStage, string> = {
  validation: "1. Origin validation",
  import: "2. Import policy",
  "best-path": "3. Best path",
  fib: "4. FIB lookup and forwarding",
};

export interface RouterView {
  readonly router: RouterName;
  readonly asn: number;
  readonly asName: string;
  readonly rov: RovMode;
  /** Whether the attacker's route reached this router at all (in its Adj-RIB-In, kept or rejected). */
  readonly received: "kept" | "dropped-rov" | "dropped-own" | "loop" | "not-received" | "no-hijack";
  readonly validation: (RovResult & { readonly prefix: string; readonly origin: number | null }) | null;
  /** The BGP decision for the attacked prefix (the hijacker's prefix; the victim's when there is no hijack). */
  readonly decision: Decision | null;
  readonly lookup: FibLookup;
  readonly fate: RouterFate;
  /** One sentence per stage, for the lab and its live region. */
  readonly sentences: Readonly<Record<LabStage, string>>;
}

const where = (router: string) => {
  const [asn, city] = router.split("@") as [string, SiteId];
  return `${formatAsn(Number(asn))} in ${siteName(city)}`;
};

/**
 * @example routerView(runHijack({ kind: "sub-prefix" }), "3215@paris").sentences.fib
 */
export function routerView(outcome: HijackOutcome, router: RouterName): RouterView {
  const { network, announcement } = outcome;
  const info = network.router(router);
  const asSpec = network.topology.ases.get(info.asn)!;
  const rov: RovMode = outcome.input.rov[info.asn] ?? asSpec.rov ?? "off";
  const fate = outcome.ases.flatMap((a) => a.routers).find((r) => r.router === router) ?? {
    router,
    asn: info.asn,
    path: network.forward(router, outcome.victim.address),
    captured: false,
    matched: null,
  };
  const prefix = announcement ? outcome.hijackValidation!.prefix : outcome.victim.prefix;
  const decision = network.decision(router, prefix);
  const fromAttacker = (r: { originRouter: string }) => r.originRouter === outcome.attacker.router;
  const kept = decision.candidates.some(fromAttacker);
  const rejected = decision.rejected.find((r) => fromAttacker(r.route));
  const own = info.asn === outcome.attacker.asn;
  const received: RouterView["received"] = !announcement ? "no-hijack" : kept || own ? "kept" : rejected ? (rejected.reason === "rov-invalid" ? "dropped-rov" : rejected.reason === "own-prefix" ? "dropped-own" : "loop") : "not-received";
  const v = outcome.hijackValidation;
  const lookup = network.fibLookup(router, outcome.victim.address);
  const last = fate.path.hops[fate.path.hops.length - 1];

  const validation = !announcement
    ? outcome.input.kind === "address-only"
      ? `Nothing to validate: the attacker put ${outcome.victim.address} on a server but announced no route, so no update reaches ${where(router)}.`
      : "No hijack: only the victim's route exists."
    : received === "not-received"
      ? `The attacker's route for ${v!.prefix} never reached ${where(router)}: no neighbour passed it on (dropped upstream, or not exported to it).`
      : `${v!.prefix} with origin ${formatAsn(v!.origin!)}: ${v!.covering.length === 1 ? "1 VRP covers" : `${v!.covering.length} VRPs cover`} it, ${v!.matching.length === 1 ? "1 matches" : `${v!.matching.length} match`} — ${v!.state}.`;
  const policy =
    received === "no-hijack"
      ? `${where(router)} ${rov === "off" ? "does not validate" : `validates (${rov})`}; there is no attacker route to act on.`
      : received === "not-received"
        ? "Nothing to decide: the route did not arrive."
        : own
          ? "This is the attacker's own router: it originates the route."
          : received === "dropped-rov"
            ? `${formatAsn(info.asn)} drops Invalid routes: the attacker's route is rejected at import.`
            : received === "dropped-own"
              ? `${formatAsn(info.asn)} is the victim: its inbound filter refuses routes for its own address space from neighbours, so its routers keep delivering ${outcome.victim.address} themselves.`
            : received === "loop"
              ? "Rejected: the path already contains this AS (loop prevention)."
              : rov === "depref-invalid" && v!.state === "Invalid"
                ? `${formatAsn(info.asn)} keeps Invalid routes at a lower local-pref (50): it still holds the attacker's route.`
                : rov === "off"
                  ? `${formatAsn(info.asn)} does not act on validation: the route is accepted like any other.`
                  : `The route is ${v!.state}, so ${formatAsn(info.asn)}'s ${rov} policy lets it through.`;
  const best = decision.best;
  const bestText = best ? (fromAttacker(best) ? "the attacker's route" : `the route to ${outcome.victim.name} via ${best.asPath.join(" ") || "itself"}`) : "no route";
  const attackerIndex = decision.candidates.findIndex(fromAttacker);
  const lostAt = attackerIndex >= 0 && best && !fromAttacker(best) ? decision.steps.find((st) => st.eliminated.includes(attackerIndex)) : undefined;
  const bestPath =
    decision.candidates.length === 0
      ? `No route for ${prefix} is installed here.`
      : decision.decidedBy === "only-route"
        ? `One route for ${prefix}: ${bestText} is installed.`
        : `${decision.candidates.length} routes for ${prefix}; the decision chose ${bestText} (decided by ${RULE_LABELS[decision.decidedBy!]})${lostAt ? `; the attacker's route lost at ${RULE_LABELS[lostAt.rule]}` : ""}.`;
  const fib = lookup.match
    ? `Longest match for ${outcome.victim.address} is ${lookup.match}; hop by hop the packet ${fate.captured ? "reaches the ATTACKER" : fate.path.outcome === "delivered" ? `reaches ${outcome.victim.name} at ${where(last!.router)}` : `is ${fate.path.outcome === "loop" ? "caught in a loop" : "dropped (no route)"}`}.`
    : `No route covers ${outcome.victim.address}: the packet is dropped.`;
  return {
    router,
    asn: info.asn,
    asName: asSpec.name,
    rov,
    received,
    validation: v,
    decision: decision.candidates.length || decision.rejected.length ? decision : null,
    lookup,
    fate,
    sentences: { validation, import: policy, "best-path": bestPath, fib },
  };
}
