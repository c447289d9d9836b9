import { InputError } from "../net/errors";
import type { Trace } from "../trace";
import { cloudflareGke } from "./cloudflare-gke";
import { parseSeed, resolveModel, resolveParams, type Scenario } from "./scenario";

export { parseSeed, resolveModel, resolveParams, scenarioDefaults, type ParamSpec, type ParamValue, type Scenario } from "./scenario";
export { flagshipOutcome, toCoreTrace, type LayeredPacketUnit } from "./to-core-trace";

/** Every scenario the course can trace, by id. */
export const SCENARIOS: readonly Scenario[] = [cloudflareGke];

/** @throws InputError listing the scenarios that exist */
export function getScenario(id: string): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new InputError(id, `no such scenario; there is ${SCENARIOS.map((s) => s.id).join(", ")}`);
  return found;
}

/**
 * The one entry point for computing a trace: validates the parameters, fills defaults, runs — under
 * a named wrong model when one is given (the interview engine's misconceptions).
 *
 * @example computeTrace("cloudflare-gke", { city: "tokyo" }).hops.length
 * @example computeTrace("cloudflare-gke", {}, 0, "tls-at-pod").model // "tls-at-pod"
 * @throws InputError for an unknown parameter, value, seed or model
 */
export function computeTrace(scenarioId: string, given: Readonly<Record<string, string>> = {}, seed = 0, model: string | null = null): Trace {
  const scenario = getScenario(scenarioId);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) parseSeed(String(seed));
  const resolvedModel = resolveModel(scenario, model);
  const params = resolveParams(scenario, given);
  return resolvedModel === null ? scenario.run(params, seed) : scenario.run(params, seed, resolvedModel);
}

/** Every combination of a scenario's parameter values, in a stable order. */
export function parameterSpace(scenario: Scenario): Record<string, string>[] {
  return scenario.params.reduce<Record<string, string>[]>(
    (combos, spec) => combos.flatMap((c) => spec.values.map((v) => ({ ...c, [spec.key]: v.value }))),
    [{}],
  );
}

export { FLAGSHIP_MODELS, isFlagshipModel, type FlagshipModel } from "../edge/models";
export { encapsulationBytes, headerBytes, hopWireBytes, payloadBytes, wireBytes, HEADER_BYTES } from "../edge/wire-bytes";
