import { assign, setup } from "xstate";
import type { Comparison } from "../sim/edge/compare";
import { InputError } from "../sim/net/errors";

/**
 * The with/without-Cloudflare lab: a handful of the flagship's settings, and the comparison of the
 * request proxied and not (`sim/edge/compare.ts`). The comparison of the lab's defaults is computed
 * when the site is built and handed in (`known`); the simulator that computes others is an injected
 * implementation the component loads on demand and sends in (`SIMULATOR_LOADED`). Until it arrives a
 * changed setting waits (`waiting`), with the last comparison left on screen and marked stale.
 *
 * A value a setting does not offer (from a hand-edited link) gets its own message at that setting;
 * the last good comparison stays.
 */

/** Computes the comparison for a set of flagship settings; throws an `InputError` for a bad one. */
export type ComputeComparison = (settings: Readonly<Record<string, string>>) => Comparison;

export interface CompareSettingSpec {
  readonly key: string;
  readonly label: string;
  readonly values: readonly { readonly value: string; readonly label: string }[];
}

export interface CompareLabInput {
  readonly settings: readonly CompareSettingSpec[];
  readonly defaults: Readonly<Record<string, string>>;
  /** Comparisons computed ahead of time, by `settingsKey`. */
  readonly known?: Readonly<Record<string, Comparison>>;
  /** The implementation, when the lab is wired up front (tests); otherwise it comes by `SIMULATOR_LOADED`. */
  readonly compute?: ComputeComparison | null;
}

export interface CompareLabContext {
  readonly specs: readonly CompareSettingSpec[];
  readonly defaults: Readonly<Record<string, string>>;
  /** The settings as chosen (what the controls show). */
  readonly chosen: Readonly<Record<string, string>>;
  /** The comparison on screen, and the settings it was computed for. */
  readonly comparison: Comparison | null;
  readonly shownFor: Readonly<Record<string, string>>;
  readonly known: Readonly<Record<string, Comparison>>;
  readonly compute: ComputeComparison | null;
  readonly waiting: boolean;
  /** A message per setting (a value it does not offer), or under "simulator" when loading failed. */
  readonly errors: Readonly<Record<string, string>>;
  /** Only the rows that differ. */
  readonly differencesOnly: boolean;
  /** One sentence for the live region: what the comparison now says. */
  readonly announcement: string;
}

export type CompareLabEvent =
  | { type: "SET_SETTING"; key: string; value: string }
  | { type: "RESET" }
  | { type: "TOGGLE_DIFFERENCES" }
  | { type: "SIMULATOR_LOADED"; compute: ComputeComparison }
  | { type: "SIMULATOR_FAILED"; error: unknown };

/** A stable key for a set of settings (sorted), to look comparisons up by. */
export function settingsKey(settings: Readonly<Record<string, string>>): string {
  return Object.keys(settings).sort().map((k) => `${k}=${settings[k]}`).join("&");
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** What the live region says when a comparison arrives. */
export function announce(c: Comparison): string {
  const f = c.figures;
  const differing = c.rows.filter((r) => r.differs).length;
  const faster = f.differenceMs < 0 ? `Cloudflare saves ${ms(-f.differenceMs)}` : `Cloudflare costs ${ms(f.differenceMs)}`;
  return `${differing} of ${c.rows.length} rows differ. First byte ${ms(f.firstByteWithMs)} with Cloudflare, ${ms(f.firstByteWithoutMs)} without: ${faster}. ` +
    `${f.tlsWith} TLS terminations with, ${f.tlsWithout} without.` +
    (f.lockdownBreaksWithout ? " The origin lock-down refuses browsers once the proxy is gone." : "");
}

type Patch = Partial<CompareLabContext>;

/** Computes (or finds) the comparison for `chosen`; waits when neither is possible yet. */
function recompute(context: CompareLabContext, chosen: Readonly<Record<string, string>>, compute: ComputeComparison | null): Patch {
  const errors: Record<string, string> = {};
  for (const spec of context.specs) {
    const value = chosen[spec.key];
    if (value !== undefined && !spec.values.some((v) => v.value === value)) {
      errors[spec.key] = `"${value}" is not a value of ${spec.label}; choose one of ${spec.values.map((v) => v.label).join(", ")}.`;
    }
  }
  if (Object.keys(errors).length) return { chosen, errors, waiting: false };
  const key = settingsKey(chosen);
  const known = context.known[key];
  if (known) return { chosen, comparison: known, shownFor: chosen, errors: {}, waiting: false, announcement: announce(known) };
  if (!compute) return { chosen, errors: {}, waiting: true };
  try {
    const comparison = compute(chosen);
    return { chosen, comparison, shownFor: chosen, errors: {}, waiting: false, known: { ...context.known, [key]: comparison }, announcement: announce(comparison) };
  } catch (error) {
    const message = error instanceof InputError ? error.message : String(error);
    const field = context.specs.find((s) => message.includes(s.key))?.key ?? "simulator";
    return { chosen, errors: { [field]: message }, waiting: false };
  }
}

export const compareLabMachine = setup({
  types: {
    context: {} as CompareLabContext,
    events: {} as CompareLabEvent,
    input: {} as CompareLabInput,
  },
  guards: {
    waiting: ({ context }) => context.waiting,
  },
  actions: {
    setSetting: assign(({ context, event }) => {
      if (event.type !== "SET_SETTING") return {};
      return recompute(context, { ...context.chosen, [event.key]: event.value }, context.compute);
    }),
    reset: assign(({ context }) => recompute(context, context.defaults, context.compute)),
    toggleDifferences: assign(({ context }) => ({ differencesOnly: !context.differencesOnly })),
    simulatorLoaded: assign(({ context, event }) => {
      if (event.type !== "SIMULATOR_LOADED") return {};
      return { compute: event.compute, ...recompute(context, context.chosen, event.compute) };
    }),
    simulatorFailed: assign(({ context, event }) => {
      if (event.type !== "SIMULATOR_FAILED" || !context.waiting) return {};
      return { waiting: false, errors: { simulator: `The simulator did not load (${String(event.error)}); change a setting to try again.` } };
    }),
  },
}).createMachine({
  id: "compare-lab",
  context: ({ input }) => {
    const known = input.known ?? {};
    const first = known[settingsKey(input.defaults)] ?? (input.compute ? input.compute(input.defaults) : null);
    return {
      specs: input.settings,
      defaults: input.defaults,
      chosen: input.defaults,
      comparison: first,
      shownFor: input.defaults,
      known,
      compute: input.compute ?? null,
      waiting: first === null,
      errors: {},
      differencesOnly: false,
      announcement: first ? announce(first) : "",
    };
  },
  initial: "ready",
  states: {
    ready: {
      on: {
        SET_SETTING: { actions: "setSetting" },
        RESET: { actions: "reset" },
        TOGGLE_DIFFERENCES: { actions: "toggleDifferences" },
        SIMULATOR_LOADED: { actions: "simulatorLoaded" },
        SIMULATOR_FAILED: { actions: "simulatorFailed" },
      },
    },
  },
});

/** The rows to show: all, or only those that differ. */
export function visibleRows(context: Pick<CompareLabContext, "comparison" | "differencesOnly">): Comparison["rows"] {
  const rows = context.comparison?.rows ?? [];
  return context.differencesOnly ? rows.filter((r) => r.differs) : rows;
}

/** Whether what is on screen is for other settings than the chosen ones (waiting, or a bad value). */
export function isStale(context: Pick<CompareLabContext, "chosen" | "shownFor">): boolean {
  return settingsKey(context.chosen) !== settingsKey(context.shownFor);
}
