import type { z } from "zod/mini";
import { InputError } from "../net/errors";
import type { Stage, Trace } from "./trace";

/**
 * A scenario of the reshaped core: a zod schema for its input (enumerations, but also documents —
 * Kubernetes YAML here; PEM chains and VRP lists later), named presets, its stages, named *wrong
 * models* the interview engine uses to recognise misconceptions, and a `run` that may be asynchronous
 * (WebCrypto is). `run` must be deterministic: the same input, seed and model give the same trace.
 */
export interface CoreScenario<I extends z.ZodMiniType = z.ZodMiniType> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly input: I;
  /** Named starting points for labs and questions; "default" is used when none is named. */
  readonly presets: Readonly<Record<string, z.input<I>>>;
  readonly stages: readonly Stage[];
  /** Wrong models by name, each with the belief it encodes ("kube-proxy forwards packets itself"). */
  readonly models?: Readonly<Record<string, string>>;
  run(input: z.output<I>, ctx: RunContext): Trace | Promise<Trace>;
}

export interface RunContext {
  readonly seed: number;
  /** A key of `models`, or undefined for the real behaviour. */
  readonly model?: string;
}

/**
 * Validates raw input against the scenario's schema and turns zod's issues into one `InputError`
 * naming the field, so a CLI flag or a lab control shows a sentence, not a stack trace.
 */
export function parseScenarioInput<I extends z.ZodMiniType>(scenario: CoreScenario<I>, raw: unknown): z.output<I> {
  const result = scenario.input.safeParse(raw);
  if (result.success) return result.data as z.output<I>;
  const issue = result.error.issues[0]!;
  const path = issue.path.join(".") || "input";
  throw new InputError(path, issue.message);
}
