import { DECISION_ORDER, RULE_LABELS } from "../../../sim/bgp/decision";
import type { DecisionRule } from "../../../sim/bgp/types";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import { DECISION_LAB, LESSON, sentenceCase } from "./shared";
import { orderRandomXor, shuffle } from "../draw";

/**
 * The decision process in order: a seed picks five of its comparisons; the key is the order the
 * engine applies them in (`DECISION_ORDER`, RFC 4271 §9.1.2.2).
 */
const ID = "bgp-decision-order";
const RULES: readonly DecisionRule[] = DECISION_ORDER.filter((r) => r !== "local-origin" && r !== "neighbor-address");

const NOTES: Record<string, string> = {
  "local-pref": "first: the AS's own policy (who pays whom) overrides anything about the path",
  "as-path-length": "after local preference: fewer networks crossed",
  origin: "after the path length: IGP < EGP < INCOMPLETE",
  med: "after origin, and only between routes from the same neighbouring AS",
  "ebgp-over-ibgp": "after MED: this router's own external session beats a route learned from another router of its AS",
  "igp-cost": "after eBGP over iBGP: the nearest exit inside the AS (hot potato)",
  "router-id": "last of these: it only breaks a tie on everything else",
};

function params(seed: number): Record<string, string> {
  const random = seededRandom(seed);
  const dropped = seed === 0 ? ["origin", "router-id"] : shuffle(random, RULES).slice(0, 2);
  return { rules: RULES.filter((r) => !dropped.includes(r)).join(",") };
}

export const bgpDecisionOrder: Template<"ordering"> = {
  id: ID,
  kind: "ordering",
  title: "BGP's decision process, in order",
  lesson: LESSON,
  concepts: ["bgp-best-path"],
  file: "src/quiz/bank/bgp/bgp-decision-order.ts",
  params,
  variant(seed) {
    const rules = params(seed).rules!.split(",") as DecisionRule[];
    const order = DECISION_ORDER.filter((r) => rules.includes(r));
    const items: Choice[] = shuffle(orderRandomXor(seed, ID), order.map((r) => ({ id: r, text: sentenceCase(RULE_LABELS[r]) })));
    const why: Record<string, Why> = Object.fromEntries(order.map((r) => [r, { why: `${sentenceCase(RULE_LABELS[r])} comes ${NOTES[r]}.`, step: null }]));
    return {
      template: ID, kind: "ordering", seed, title: this.title,
      prompt: "A router holds several routes to the same prefix. Put these comparisons of BGP's decision process in the order the router applies them, first to last.",
      exhibits: [],
      view: { items },
      key: { order },
      rubric: { strategy: "lcs", orders: [order], items: why },
      misconceptions: [],
      hints: ["Policy before path; path before anything about the router's own network.", "The two rules about this router's own position (its sessions, its IGP) come late: they only split routes the network as a whole likes equally."],
      explanation: `The router compares ${order.map((r) => RULE_LABELS[r]).join(", then ")}. Each rule sees only what the earlier ones left tied, so a route with higher local preference wins however long its path, and hot potato only chooses among routes the AS's policy already ranks equal (RFC 4271 §9.1.2.2).`,
      lab: DECISION_LAB,
    };
  },
};
