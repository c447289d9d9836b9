import { compareJourneys, type Comparison } from "../../../sim/edge/compare";
import { getScenario, scenarioDefaults } from "../../../sim/index";
import type { LabLink } from "../../engine/types";
import type { Params } from "../journey/shared";

/**
 * What the with/without-Cloudflare templates share: the lesson, the comparison of a variant's settings
 * (computed once per settings), and a link to the lesson's comparison lab opened on them.
 */

export const LESSON = "removing-cloudflare";
export const LESSON_PAGE = "/lessons/removing-cloudflare/";
/** The comparison lab's id on the lesson page (`<CompareLab labId="compare" />`). */
export const LAB_ID = "compare";

const cache = new Map<string, Comparison>();
/** Comparisons are pure functions of (settings, seed): a variant reading several rows computes one. */
export function cachedComparison(params: Params, seed = 0): Comparison {
  const key = JSON.stringify([params, seed]);
  let c = cache.get(key);
  if (!c) {
    if (cache.size > 500) cache.clear();
    c = compareJourneys(params, seed);
    cache.set(key, c);
  }
  return c;
}

/** The comparison lab opened on the variant's settings (defaults left out, as the lab writes its links). */
export function compareLab(params: Params): LabLink {
  const defaults = scenarioDefaults(getScenario("cloudflare-gke"));
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (defaults[key] !== value) query[`${LAB_ID}.${key}`] = value;
  return { page: LESSON_PAGE, lab: LAB_ID, query };
}
