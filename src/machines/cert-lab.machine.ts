import { assign, setup } from "xstate";
// Types only from the engine: the machine never parses or verifies (the island does that on demand).
import type { CheckId, CheckResult, Verdict } from "../sim/tls/x509/types";

/**
 * The certificate-validation lab: one state per check of RFC 5280 §6 path validation and RFC 9525 name
 * matching, walked over a verdict the engine produced — a sample's (computed at build time) or a pasted
 * chain's (verified in the browser on demand). The walk is
 *
 *   choosing → parse → path → signature → validity → basic-constraints → key-usage → extended-key-usage
 *            → name-constraints → self-signed → name → critical-extensions → verdict
 *
 * in the order the engine performed the checks (consecutive results of one check — each certificate's
 * validity — are one position); a check the verdict does not contain is skipped (no host: no name check), and a failing check is the last one before the verdict, because the engine stops there.
 * `choosing` is the chain as received, before any check; `verdict` the one-line outcome.
 */

/** Every state of the walk. The checks are the engine's `CheckId`s; their order here is only the chart's. */
export const CERT_LAB_STATES = [
  "choosing",
  "parse",
  "path",
  "signature",
  "validity",
  "basic-constraints",
  "key-usage",
  "extended-key-usage",
  "name-constraints",
  "self-signed",
  "name",
  "critical-extensions",
  "verdict",
] as const satisfies readonly ("choosing" | "verdict" | CheckId)[];
export type CertLabStep = (typeof CERT_LAB_STATES)[number];

/** The paste box's fields. */
export const CERT_LAB_FIELDS = ["chain", "roots", "host", "at"] as const;
export type CertLabField = (typeof CERT_LAB_FIELDS)[number];
export type CertLabPaste = Readonly<Record<CertLabField, string>>;

/** A one-click case: its id and title, and the verdict the engine gave it at build time. */
export interface CertLabSampleVerdict {
  readonly id: string;
  readonly title: string;
  readonly verdict: Verdict;
}

/** What the walk is over. */
export type CertLabSource = { readonly kind: "sample"; readonly id: string } | { readonly kind: "paste"; readonly host: string; readonly at: string };

export interface CertLabContext {
  readonly samples: readonly CertLabSampleVerdict[];
  readonly source: CertLabSource | null;
  readonly verdict: Verdict | null;
  /** The walk's positions: "choosing", each run of one check in the engine's order, "verdict". */
  readonly steps: readonly CertLabStep[];
  readonly cursor: number;
  /** The current check's results (all certificates); at the verdict, the failing result, if any. */
  readonly results: readonly CheckResult[];
  readonly paste: CertLabPaste;
  /** A message per paste field (the engine's, or the lab's for an empty field); absent when fine. */
  readonly errors: Readonly<Partial<Record<CertLabField, string>>>;
  /** A problem that belongs to no field (the verifier could not load). */
  readonly problem: string | null;
  /** Waiting for the verifier. */
  readonly verifying: boolean;
  /** What a link asked for that the lab could not do, one sentence each. */
  readonly linkProblems: readonly string[];
}

export type CertLabEvent =
  | { type: "PICK_SAMPLE"; id: string }
  /** A pasted chain's verdict, from the on-demand verifier; `host`/`at` are what it was checked with. */
  | { type: "LOAD_VERDICT"; verdict: Verdict; host: string; at: string }
  | { type: "VERIFY_STARTED" }
  /** The verifier rejected the paste: its message, at the field it names (null: no field, e.g. a failed load). */
  | { type: "VERIFY_ERROR"; field: CertLabField | null; message: string }
  | { type: "EDIT"; field: CertLabField; text: string }
  /** Fill the whole paste box at once (a sample's PEMs, host and instant). */
  | { type: "FILL_PASTE"; paste: CertLabPaste }
  | { type: "NEXT" }
  | { type: "PREV" }
  | { type: "FIRST" }
  | { type: "LAST" }
  | { type: "GOTO"; index: number }
  /** A permalink's values, unchecked: `sample` an id, `step` 1-based or a step name. Null when absent. */
  | { type: "LOAD_STATE"; sample?: string | null; step?: string | null };

export interface CertLabInput {
  readonly samples: readonly CertLabSampleVerdict[];
  /** The sample the lab opens on (default: the first). */
  readonly sample?: string;
  /** The paste box's starting text (default: all empty). */
  readonly paste?: Partial<CertLabPaste>;
}

/** One position of the walk over checks: a check and the results the engine gave in a row for it. */
export interface CertLabRun {
  readonly step: CheckId;
  readonly results: readonly CheckResult[];
}

/**
 * The verdict's checks as runs: consecutive results of one check (signature on each certificate, validity on each)
 * make one position. A check that comes back later
 * is a position of its own, so the walk always follows the order the engine performed the checks in.
 */
export function certLabRuns(verdict: Verdict | null): readonly CertLabRun[] {
  const runs: { step: CheckId; results: CheckResult[] }[] = [];
  for (const c of verdict?.checks ?? []) {
    const last = runs.at(-1);
    if (last && last.step === c.check) last.results.push(c);
    else runs.push({ step: c.check, results: [c] });
  }
  return runs;
}

/** The walk's positions: the chain as received, each run of checks, the verdict (only the first without a verdict). */
export function certLabSteps(verdict: Verdict | null): readonly CertLabStep[] {
  return verdict ? ["choosing", ...certLabRuns(verdict).map((r) => r.step), "verdict"] : ["choosing"];
}

/** The results shown at a position: its run's, or at the verdict the failing one. */
export function certLabResults(verdict: Verdict | null, cursor: number): readonly CheckResult[] {
  const runs = certLabRuns(verdict);
  if (!verdict || cursor <= 0) return [];
  if (cursor > runs.length) return verdict.checks.filter((c) => !c.ok);
  return runs[cursor - 1]!.results;
}

/** Path positions (0 = leaf) the current results are about, for highlighting. */
export function certLabHighlighted(results: readonly CheckResult[]): readonly number[] {
  return [...new Set(results.flatMap((r) => (r.certificate === null ? [] : [r.certificate])))];
}

/** How a step is named to the learner. */
export const CERT_LAB_STEP_LABEL: Readonly<Record<CertLabStep, string>> = {
  choosing: "The chain as received",
  parse: "Parse",
  path: "Build the path",
  signature: "Signatures",
  validity: "Validity period",
  "basic-constraints": "Basic constraints",
  "key-usage": "Key usage",
  "extended-key-usage": "Extended key usage",
  "name-constraints": "Name constraints",
  "self-signed": "Self-signed leaf",
  name: "Host name",
  "critical-extensions": "Critical extensions",
  verdict: "Verdict",
};

/** A link's value as a message can quote it: short, control characters shown as `?`. */
const quote = (value: string) => JSON.stringify((value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "?"));

/** The walk over a verdict, at a position. */
function at(verdict: Verdict | null, cursor: number): Pick<CertLabContext, "verdict" | "steps" | "cursor" | "results"> {
  const steps = certLabSteps(verdict);
  const c = Math.max(0, Math.min(steps.length - 1, cursor));
  return { verdict, steps, cursor: c, results: certLabResults(verdict, c) };
}

function sampleWalk(context: CertLabContext, id: string) {
  const sample = context.samples.find((s) => s.id === id);
  return sample ? { source: { kind: "sample", id } as const, ...at(sample.verdict, 0) } : null;
}

/** What an event does to the walk (null: nothing), computed once for the guard and once for the action. */
function landing(context: CertLabContext, event: CertLabEvent): Partial<CertLabContext> | null {
  switch (event.type) {
    case "PICK_SAMPLE":
      return sampleWalk(context, event.id);
    case "LOAD_VERDICT":
      return { source: { kind: "paste", host: event.host, at: event.at }, ...at(event.verdict, 0), verifying: false, errors: {}, problem: null };
    case "NEXT":
      return at(context.verdict, context.cursor + 1);
    case "PREV":
      return at(context.verdict, context.cursor - 1);
    case "FIRST":
      return at(context.verdict, 0);
    case "LAST":
      return at(context.verdict, context.steps.length - 1);
    case "GOTO":
      return at(context.verdict, event.index);
    case "LOAD_STATE": {
      const problems: string[] = [];
      let walk: Partial<CertLabContext> & Pick<CertLabContext, "verdict" | "steps"> = { source: context.source, ...at(context.verdict, 0) };
      if (event.sample !== null && event.sample !== undefined) {
        const picked = sampleWalk(context, event.sample);
        if (picked) walk = picked;
        else problems.push(`The link's sample ${quote(event.sample)} is not one of this lab's samples (${context.samples.map((s) => s.id).join(", ")}); the lab opens on ${context.source?.kind === "sample" ? context.source.id : "its default"}.`);
      }
      let cursor = 0;
      if (event.step !== null && event.step !== undefined && event.step !== "") {
        const byName = walk.steps.indexOf(event.step as CertLabStep);
        const byNumber = /^\d{1,3}$/.test(event.step) ? Number(event.step) - 1 : -1;
        cursor = byName >= 0 ? byName : byNumber >= 0 && byNumber < walk.steps.length ? byNumber : -1;
        if (cursor < 0) {
          problems.push(`The link's step ${quote(event.step)} is not a step of this walk (1 to ${walk.steps.length}, or one of ${walk.steps.join(", ")}); the lab opens at the first.`);
          cursor = 0;
        }
      }
      return { ...walk, ...at(walk.verdict, cursor), linkProblems: problems };
    }
    default:
      return null;
  }
}

/** For each state, the transition that lands there: a guard that computes where the event lands. */
const landOn = CERT_LAB_STATES.map((state) => ({
  target: `.${state}`,
  guard: { type: "landsOn" as const, params: { state } },
  actions: "land" as const,
}));

/** The state a context stands on. */
export function certLabStep(context: Pick<CertLabContext, "steps" | "cursor">): CertLabStep {
  return context.steps[context.cursor] ?? "choosing";
}

export const certLabMachine = setup({
  types: {
    context: {} as CertLabContext,
    events: {} as CertLabEvent,
    input: {} as CertLabInput,
  },
  guards: {
    landsOn: ({ context, event }, params: { state: CertLabStep }) => {
      const next = landing(context, event);
      return next !== null && certLabStep({ steps: next.steps ?? context.steps, cursor: next.cursor ?? context.cursor }) === params.state;
    },
  },
  actions: {
    land: assign(({ context, event }) => landing(context, event) ?? {}),
    edit: assign(({ context, event }) => {
      if (event.type !== "EDIT") return {};
      const { [event.field]: _cleared, ...errors } = context.errors;
      return { paste: { ...context.paste, [event.field]: event.text }, errors };
    }),
    fill: assign(({ event }) => (event.type === "FILL_PASTE" ? { paste: { ...event.paste }, errors: {}, problem: null } : {})),
    startVerify: assign({ verifying: true, problem: null }),
    verifyError: assign(({ context, event }) => {
      if (event.type !== "VERIFY_ERROR") return {};
      // The paste is kept as typed and the walk stays where it was: a bad paste never loses the last good verdict.
      return event.field === null
        ? { verifying: false, problem: event.message }
        : { verifying: false, problem: null, errors: { ...context.errors, [event.field]: event.message } };
    }),
  },
}).createMachine({
  id: "certLab",
  context: ({ input }) => {
    const first = input.samples.find((s) => s.id === input.sample) ?? input.samples[0];
    return {
      samples: input.samples,
      source: first ? { kind: "sample", id: first.id } : null,
      ...at(first?.verdict ?? null, 0),
      paste: { chain: "", roots: "", host: "", at: "", ...input.paste },
      errors: {},
      problem: null,
      verifying: false,
      linkProblems: [],
    };
  },
  initial: "choosing",
  on: {
    PICK_SAMPLE: landOn,
    LOAD_VERDICT: landOn,
    NEXT: landOn,
    PREV: landOn,
    FIRST: landOn,
    LAST: landOn,
    GOTO: landOn,
    LOAD_STATE: landOn,
    EDIT: { actions: "edit" },
    FILL_PASTE: { actions: "fill" },
    VERIFY_STARTED: { actions: "startVerify" },
    VERIFY_ERROR: { actions: "verifyError" },
  },
  states: {
    choosing: { tags: ["before-checks"] },
    parse: { tags: ["check"] },
    path: { tags: ["check"] },
    signature: { tags: ["check"] },
    validity: { tags: ["check"] },
    "basic-constraints": { tags: ["check"] },
    "key-usage": { tags: ["check"] },
    "extended-key-usage": { tags: ["check"] },
    "name-constraints": { tags: ["check"] },
    "self-signed": { tags: ["check"] },
    name: { tags: ["check"] },
    "critical-extensions": { tags: ["check"] },
    verdict: { tags: ["done"] },
  },
});
