import { InputError } from "../net/errors";
import type { LegStage, Trace } from "../trace";

/** One value a parameter may take, with a person's label. */
export interface ParamValue {
  readonly value: string;
  readonly label: string;
}

export interface ParamSpec {
  readonly key: string;
  readonly label: string;
  readonly description: string;
  /** The allowed values; for a free parameter, suggestions (and the values `parameterSpace` enumerates). */
  readonly values: readonly ParamValue[];
  readonly default: string;
  /**
   * Set for a parameter that takes any text its parser accepts (a host name, say). `parse` returns
   * the normalised value or throws an InputError saying what is wrong.
   */
  readonly free?: { readonly parse: (text: string) => string; readonly hint: string };
}

/**
 * A scenario turns validated parameters and a seed into a trace. `run` must be pure: the same
 * parameters and seed give the same trace, byte for byte.
 */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** The scenario's stages, in order; every hop's leg is one of them. */
  readonly stages: readonly LegStage[];
  /** Named wrong models, each with the belief it encodes in one sentence (`edge/models.ts`). */
  readonly models?: Readonly<Record<string, string>>;
  /** `model` is a key of `models`, or null for the real behaviour. */
  run(params: Readonly<Record<string, string>>, seed: number, model?: string | null): Trace;
}

/**
 * The model's name if the scenario has it, null for none.
 *
 * @throws InputError naming the model and listing the scenario's models
 */
export function resolveModel(scenario: Scenario, model: string | null): string | null {
  if (model === null) return null;
  const known = Object.keys(scenario.models ?? {});
  if (!known.includes(model)) {
    throw new InputError(model, known.length ? `"${scenario.id}" has no model "${model}"; it has ${known.join(", ")}` : `"${scenario.id}" has no wrong models`);
  }
  return model;
}

/** Each parameter's default value, by key. */
export function scenarioDefaults(scenario: Scenario): Record<string, string> {
  return Object.fromEntries(scenario.params.map((p) => [p.key, p.default]));
}

/**
 * Fills defaults and checks every given parameter against the scenario's allowed values.
 *
 * @throws InputError naming the parameter and listing what is allowed
 */
export function resolveParams(scenario: Scenario, given: Readonly<Record<string, string>>): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const key of Object.keys(given)) {
    if (!scenario.params.some((p) => p.key === key)) {
      const known = scenario.params.map((p) => p.key).join(", ");
      throw new InputError(key, `"${scenario.id}" has no parameter "${key}"; it has ${known}`);
    }
  }
  for (const spec of scenario.params) {
    const value = given[spec.key] ?? spec.default;
    if (spec.free) {
      try {
        resolved[spec.key] = spec.free.parse(value);
      } catch (error) {
        if (error instanceof InputError) throw new InputError(`${spec.key}=${value}`, error.reason);
        throw error;
      }
      continue;
    }
    if (!spec.values.some((v) => v.value === value)) {
      const allowed = spec.values.map((v) => v.value).join(", ");
      throw new InputError(`${spec.key}=${value}`, `${spec.key} must be one of ${allowed}`);
    }
    resolved[spec.key] = value;
  }
  return resolved;
}

/** A seed is a whole number from 0 to 2^32 − 1. */
export function parseSeed(text: string): number {
  if (!/^[0-9]{1,10}$/.test(text.trim()) || Number(text) > 0xffffffff) {
    throw new InputError(text, "a seed is a whole number from 0 to 4294967295");
  }
  return Number(text);
}
