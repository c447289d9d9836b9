import type { Misconception } from "../misconceptions";

/** Wrong models of the gfe system the grader recognises; each id is a mode of its simulator. */
export const GFE_MISCONCEPTIONS: readonly Misconception[] = [
  {
    // matchUrlMap(…, { model: "first-path-rule-wins" }) in src/sim/edge/url-map.ts
    id: "first-path-rule-wins",
    name: "Path rules are tried top to bottom",
    belief: "The URL map tries its path rules in the order they are listed and takes the first one that matches, so a catch-all /* listed first wins everything.",
    whyWrong: "Within a path matcher the order of path rules does not matter: every path is compared and the longest match wins, so /api/v2/* beats /api/* and /* wherever they are listed. Order matters only for route rules, and there it is their priority number, not their place in the list.",
  },
  {
    // new ArmorEvaluator(policy, "armor-first-listed") in src/sim/edge/cloud-armor.ts
    id: "armor-first-listed",
    name: "Cloud Armor rules run in listing order",
    belief: "The security policy's rules are evaluated in the order they appear in the exported YAML, and the first one listed that matches decides.",
    whyWrong: "Cloud Armor evaluates rules by priority, lowest number first, whatever order a listing shows them in; the first match by that order decides and nothing after it runs. The default rule, at 2147483647, is always last.",
  },
];
