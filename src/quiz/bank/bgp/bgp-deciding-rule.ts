import { explainDecision, siteName } from "../../../sim/bgp/anycast";
import { ANYCAST_SITES } from "../../../sim/bgp/default-topology";
import { DECISION_ORDER, RULE_LABELS } from "../../../sim/bgp/decision";
import type { DecisionRule } from "../../../sim/bgp/types";
import type { SiteId } from "../../../sim/geo";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import { COMPILED, sentenceCase, DECISION_LAB, LESSON, network, PREFIXES, ribExhibit, routerText, type PrefixKey } from "./shared";
import { orderRandomXor, pick, shuffle } from "../draw";

/**
 * Which rule of the decision process picks a router's best route: the learner reads the router's
 * routes (as `show ip bgp` lists them) and names the rule; the key is the engine's `decidedBy`.
 */
const ID = "bgp-deciding-rule";
const OPTIONS: readonly DecisionRule[] = ["local-pref", "as-path-length", "origin", "med", "ebgp-over-ibgp", "igp-cost", "router-id"];

function params(seed: number): Record<string, string> {
  if (seed === 0) return { prefix: "cloudflare", withdrawn: "", router: "3356@madrid" };
  const random = seededRandom(seed);
  const prefix = pick(random, ["cloudflare", "google"] as const);
  const withdrawn = random() < 0.4 ? pick(random, ANYCAST_SITES) : "";
  const net = network(prefix, withdrawn ? [withdrawn] : []);
  // Routers with a real choice to make (two routes or more, not the prefix's own origin).
  const choosers = COMPILED.routers.filter((r) => {
    if (r.isRouteServer) return false;
    const d = net.decision(r.name, PREFIXES[prefix].prefix);
    return d.candidates.length > 1 && d.decidedBy !== null && OPTIONS.includes(d.decidedBy as DecisionRule);
  });
  return { prefix, withdrawn, router: pick(random, choosers).name };
}

export const bgpDecidingRule: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which rule picks the best route?",
  lesson: LESSON,
  concepts: ["bgp-best-path", "anycast"],
  file: "src/quiz/bank/bgp/bgp-deciding-rule.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const which = p.prefix as PrefixKey;
    const net = network(which, p.withdrawn ? [p.withdrawn as SiteId] : []);
    const d = net.decision(p.router!, PREFIXES[which].prefix);
    const decided = d.decidedBy as DecisionRule;
    const at = DECISION_ORDER.indexOf(decided);
    const why: Record<string, Why> = {};
    for (const rule of OPTIONS) {
      const step = d.steps.find((s) => s.rule === rule);
      const k = DECISION_ORDER.indexOf(rule);
      why[rule] = {
        why: rule === decided
          ? `Right: ${explainDecision(d)}`
          : k > at
            ? `No: the decision is over before ${RULE_LABELS[rule]} is compared — ${RULE_LABELS[decided]} already left one route.`
            : step && step.eliminated.length
              ? `No: ${RULE_LABELS[rule]} removes route${step.eliminated.length === 1 ? "" : "s"} ${step.eliminated.map((i) => i + 1).join(", ")} but leaves ${step.kept.length} still tied.`
              : `No: the remaining routes tie on ${RULE_LABELS[rule]} (${step ? step.values.map((v) => v.value).filter((v, i, all) => all.indexOf(v) === i).join(", ") : "equal"}).`,
        step: null,
      };
    }
    const options: Choice[] = shuffle(orderRandomXor(seed, ID), OPTIONS.map((rule) => ({ id: rule, text: sentenceCase(RULE_LABELS[rule]) })));
    const gone = p.withdrawn ? ` ${PREFIXES[which].name}'s ${siteName(p.withdrawn as SiteId)} site has withdrawn its announcement.` : "";
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `${routerText(p.router!)} holds the routes below to ${PREFIXES[which].name}'s prefix ${d.prefix}, which ${PREFIXES[which].name} announces from its sites.${gone} ` +
        "Which rule of BGP's decision process picks its best route?",
      exhibits: [ribExhibit(d)],
      view: { options },
      key: { choice: decided },
      rubric: { options: why },
      misconceptions: [],
      hints: [
        "The rules are applied in a fixed order, each only to the routes the earlier ones left tied.",
        "Line the routes up column by column in the decision process's order and stop at the first attribute on which the best one alone stays standing.",
      ],
      explanation: `${routerText(p.router!)}: ${explainDecision(d)} The rules before it (${DECISION_ORDER.slice(1, at).map((r) => RULE_LABELS[r]).join(", ") || "none"}) left more than one route standing.`,
      // The lab opens on this variant: the same prefix, the same site withdrawn, the same router.
      lab: { ...DECISION_LAB, query: { "bgp.prefix": which, ...(p.withdrawn ? { "bgp.withdrawn": p.withdrawn } : {}), "bgp.router": p.router! } },
    };
  },
};
