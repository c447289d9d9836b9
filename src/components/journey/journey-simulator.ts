import type { ComputeTrace } from "../../machines/step-lab.machine";
import { onlyStages } from "../../sim/core/trace";
import { computeTrace, toCoreTrace } from "../../sim/index";

/**
 * The flagship simulator as the journey labs use it: the scenario's trace in the core's shape, cut to
 * the stages (legs) a lab shows. Islands never import this module statically — `JourneyLab.astro`
 * calls it when the site is built, and an island loads it (`loadJourneySimulator`) only when the
 * learner asks for settings that were not computed then.
 */
export function journeyTraceFor(stageIds: readonly string[]): ComputeTrace {
  return (scenarioId, input, seed) => {
    const params = (input && typeof input === "object" ? input : {}) as Record<string, string>;
    return onlyStages(toCoreTrace(computeTrace(scenarioId, params, seed)), stageIds);
  };
}
