import type { ComputeComparison } from "../../machines/compare-lab.machine";
import { compareJourneys } from "../../sim/edge/compare";

/**
 * The comparison as the lab computes it in the browser. Islands never import this module statically:
 * `CompareLab.astro` calls `compareJourneys` when the site is built, and the island loads this chunk
 * only when the learner picks settings that were not computed then.
 */
export const computeComparison: ComputeComparison = (settings) => compareJourneys(settings);
