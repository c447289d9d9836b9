import { assign, setup } from "xstate";
import { computeTrace, InputError, type Leg, type Trace } from "../sim/index";

/**
 * The lab: a scenario's parameters, the trace they compute, and a cursor stepping through it.
 * A lab may show the whole journey or only some legs; the cursor moves over the hops it shows.
 */
export interface TraceLabInput {
  readonly scenarioId: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly seed?: number;
  /** Legs this lab shows; empty or absent means all. */
  readonly legs?: readonly Leg[];
  /** Position among the visible hops to open at (from a permalink). */
  readonly step?: number;
  /** Delay between steps while playing, in ms. */
  readonly tickMs?: number;
}

export interface TraceLabContext {
  readonly scenarioId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly seed: number;
  readonly legs: readonly Leg[];
  readonly trace: Trace;
  /** Indices into trace.hops that this lab shows, in order. */
  readonly visible: readonly number[];
  /** Index into `visible`. */
  readonly position: number;
  /** Why the last parameter change was refused, shown beside the control; null when all is well. */
  readonly error: { readonly key: string; readonly message: string } | null;
  readonly tickMs: number;
}

export type TraceLabEvent =
  | { type: "PLAY" }
  | { type: "PAUSE" }
  | { type: "TOGGLE_PLAY" }
  | { type: "STEP_FORWARD" }
  | { type: "STEP_BACK" }
  | { type: "JUMP_TO_HOP"; hop: number }
  | { type: "JUMP_TO_LEG"; leg: Leg }
  | { type: "RESET" }
  | { type: "SET_PARAM"; key: string; value: string }
  /** Apply a saved state (a permalink) in one go: parameters, then the step among visible hops. */
  | { type: "LOAD_STATE"; params: Readonly<Record<string, string>>; step: number | null };

function visibleHops(trace: Trace, legs: readonly Leg[]): number[] {
  const indices: number[] = [];
  trace.hops.forEach((hop, i) => {
    if (legs.length === 0 || legs.includes(hop.leg)) indices.push(i);
  });
  return indices;
}

function clamp(position: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(Math.max(0, Math.trunc(position)), length - 1);
}

/** Compute a trace for new parameters, or say why not. */
function recompute(context: TraceLabContext, params: Readonly<Record<string, string>>, key: string): Partial<TraceLabContext> {
  try {
    const trace = computeTrace(context.scenarioId, params, context.seed);
    const visible = visibleHops(trace, context.legs);
    return { params: trace.params, trace, visible, position: clamp(context.position, visible.length), error: null };
  } catch (error) {
    if (error instanceof InputError) return { error: { key, message: error.message } };
    throw error;
  }
}

function initialContext(input: TraceLabInput): TraceLabContext {
  const legs = input.legs ?? [];
  const seed = input.seed ?? 0;
  let trace: Trace;
  let error: TraceLabContext["error"] = null;
  try {
    trace = computeTrace(input.scenarioId, input.params ?? {}, seed);
  } catch (e) {
    // A bad permalink falls back to the defaults and says which part was ignored.
    if (!(e instanceof InputError)) throw e;
    trace = computeTrace(input.scenarioId, {}, seed);
    error = { key: "link", message: `The link's settings were not usable (${e.message}); showing the defaults.` };
  }
  const visible = visibleHops(trace, legs);
  return {
    scenarioId: input.scenarioId,
    params: trace.params,
    seed,
    legs,
    trace,
    visible,
    position: clamp(input.step ?? 0, visible.length),
    error,
    tickMs: input.tickMs ?? 1200,
  };
}

const atEnd = ({ context }: { context: TraceLabContext }) => context.position >= context.visible.length - 1;

export const traceLabMachine = setup({
  types: {
    input: {} as TraceLabInput,
    context: {} as TraceLabContext,
    events: {} as TraceLabEvent,
  },
  guards: {
    atEnd,
    notAtEnd: (args) => !atEnd(args),
  },
  delays: {
    tick: ({ context }) => context.tickMs,
  },
  actions: {
    stepForward: assign({ position: ({ context }) => clamp(context.position + 1, context.visible.length) }),
    stepBack: assign({ position: ({ context }) => clamp(context.position - 1, context.visible.length) }),
    rewind: assign({ position: 0 }),
    jumpToHop: assign({
      position: ({ context, event }) => {
        if (event.type !== "JUMP_TO_HOP") return context.position;
        const at = context.visible.indexOf(event.hop);
        return at >= 0 ? at : context.position;
      },
    }),
    jumpToLeg: assign({
      position: ({ context, event }) => {
        if (event.type !== "JUMP_TO_LEG") return context.position;
        const at = context.visible.findIndex((i) => context.trace.hops[i]!.leg === event.leg);
        return at >= 0 ? at : context.position;
      },
    }),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return {};
      const next = Object.keys(event.params).length ? recompute(context, { ...context.params, ...event.params }, "link") : {};
      const visible = next.visible ?? context.visible;
      const error = next.error ? { key: "link", message: `This link's settings could not be used (${next.error.message}); the lab kept its previous settings.` } : null;
      return { ...next, error, position: clamp(event.step ?? 0, visible.length) };
    }),
    setParam: assign(({ context, event }) => {
      if (event.type !== "SET_PARAM") return {};
      return recompute(context, { ...context.params, [event.key]: event.value }, event.key);
    }),
  },
}).createMachine({
  id: "traceLab",
  context: ({ input }) => initialContext(input),
  initial: "paused",
  on: {
    STEP_FORWARD: { target: ".paused", actions: "stepForward" },
    STEP_BACK: { target: ".paused", actions: "stepBack" },
    JUMP_TO_HOP: { target: ".paused", actions: "jumpToHop" },
    JUMP_TO_LEG: { target: ".paused", actions: "jumpToLeg" },
    RESET: { target: ".paused", actions: "rewind" },
    SET_PARAM: { actions: "setParam" },
    LOAD_STATE: { target: ".paused", actions: "loadState" },
  },
  states: {
    paused: {
      on: {
        PLAY: [{ guard: "atEnd", target: "playing", actions: "rewind" }, { target: "playing" }],
        TOGGLE_PLAY: [{ guard: "atEnd", target: "playing", actions: "rewind" }, { target: "playing" }],
      },
    },
    playing: {
      tags: ["playing"],
      after: {
        tick: [
          { guard: "notAtEnd", target: "playing", reenter: true, actions: "stepForward" },
          { target: "paused" },
        ],
      },
      on: {
        PAUSE: { target: "paused" },
        TOGGLE_PLAY: { target: "paused" },
      },
    },
  },
});

/** The hop under the cursor, or null when the lab shows no hops (a leg that does not occur). */
export function currentHop(context: TraceLabContext) {
  const index = context.visible[context.position];
  return index === undefined ? null : { index, hop: context.trace.hops[index]! };
}
