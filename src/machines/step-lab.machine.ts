import { assign, setup } from "xstate";
import { decodeLabInput } from "../sim/core/permalink";
import type { DecisionTable, Step, SubStep, Trace, Unit } from "../sim/core/trace";
import { InputError } from "../sim/net/errors";
import { parseSeed } from "../sim/scenarios/scenario";

/**
 * The step lab: a cursor over a core `Trace` — its steps and, inside a step, the ordered sub-steps
 * (netfilter hook → chain → rule → jump → draw → DNAT) — for every lab that walks a trace of the
 * reshaped core (in-cluster packets now, BGP updates and certificate chains later).
 *
 * The cursor is a stable step id plus a sub-step index, never a flat number: a recompute that adds
 * or removes a step keeps the learner on the step they were reading. How a trace is computed is an
 * injected implementation (`computeTrace`, swapped with `provide`), so the machine knows no module.
 *
 * A lab can open with traces computed ahead of time (`known`: each preset at seed 0, computed when the
 * site is built) and get its implementation only when an input needs one (`stepLabOnDemand`): such
 * an input waits (`waiting`, the last trace stays on screen) until the component loads the simulator
 * and sends it in (`SIMULATOR_LOADED`); from then on the lab computes as a wired lab does.
 */

/** Computes a scenario's trace; throws (an `InputError`, a `ManifestError` …) when the input is bad. */
export type ComputeTrace = (scenarioId: string, input: unknown, seed: number) => Trace;

/** Where the cursor stands: a step, and a sub-step inside it (null for a step without sub-steps). */
export interface CursorPosition {
  readonly stepId: string;
  readonly sub: number | null;
}

/** What every cursor-bearing context has; the selectors below read only this. */
export interface StepCursor {
  readonly trace: Trace | null;
  readonly stepId: string | null;
  readonly sub: number | null;
}

// ——— Cursor arithmetic (pure; shared with the manifest lab) ———————————————————————————————————

/** Every position in walk order: a step without sub-steps is one position, a step with n is n. */
export function positionsOf(trace: Trace): CursorPosition[] {
  return trace.steps.flatMap((step): CursorPosition[] =>
    step.sub.length === 0 ? [{ stepId: step.id, sub: null }] : step.sub.map((_, i) => ({ stepId: step.id, sub: i })),
  );
}

/** The index of the cursor among `positionsOf(trace)`, or -1. */
export function positionIndex(trace: Trace, cursor: { stepId: string | null; sub: number | null }): number {
  return positionsOf(trace).findIndex((p) => p.stepId === cursor.stepId && p.sub === cursor.sub);
}

/** The first position of a step (its first sub-step), or a given sub-step clamped into range; null for an unknown id. */
export function cursorAtStep(trace: Trace, stepId: string, sub: number | null = 0): CursorPosition | null {
  const step = trace.steps.find((s) => s.id === stepId);
  if (!step) return null;
  if (step.sub.length === 0) return { stepId, sub: null };
  return { stepId, sub: Math.min(Math.max(0, Math.trunc(sub ?? 0)), step.sub.length - 1) };
}

/** The start of the walk (null for a trace without steps). */
export function firstPosition(trace: Trace): CursorPosition | null {
  return positionsOf(trace)[0] ?? null;
}

export function lastPosition(trace: Trace): CursorPosition | null {
  return positionsOf(trace).at(-1) ?? null;
}

/** Moves by `delta` positions across step boundaries, stopping at either end. */
export function moveCursor(trace: Trace, cursor: StepCursor, delta: number): CursorPosition | null {
  const all = positionsOf(trace);
  if (all.length === 0) return null;
  const at = all.findIndex((p) => p.stepId === cursor.stepId && p.sub === cursor.sub);
  const from = at < 0 ? 0 : at;
  return all[Math.min(Math.max(0, from + delta), all.length - 1)]!;
}

/** After a recompute: the same step (sub-step clamped) when it still exists, else the start. */
export function keepCursor(trace: Trace, cursor: { stepId: string | null; sub: number | null }): CursorPosition | null {
  return (cursor.stepId !== null ? cursorAtStep(trace, cursor.stepId, cursor.sub) : null) ?? firstPosition(trace);
}

// ——— Selectors ————————————————————————————————————————————————————————————————————————

export function currentStep(c: StepCursor): Step | null {
  return c.trace?.steps.find((s) => s.id === c.stepId) ?? null;
}

export function currentSub(c: StepCursor): SubStep | null {
  const step = currentStep(c);
  return step && c.sub !== null ? (step.sub[c.sub] ?? null) : null;
}

/** 1-based position and total, for "Step 4 of 23". */
export function cursorProgress(c: StepCursor): { index: number; total: number; atStart: boolean; atEnd: boolean } {
  if (!c.trace) return { index: 0, total: 0, atStart: true, atEnd: true };
  const total = positionsOf(c.trace).length;
  const index = positionIndex(c.trace, c) + 1;
  return { index, total, atStart: index <= 1, atEnd: index >= total };
}

/** The decision-table row the current sub-step was decided against (row null: the chain's policy). */
export function highlightedRow(c: StepCursor): { table: DecisionTable; row: number | null } | null {
  const ref = currentSub(c)?.ref;
  const table = ref && c.trace?.tables.find((t) => t.id === ref.table);
  return ref && table ? { table, row: ref.row } : null;
}

/**
 * The unit before and after the cursor: for a sub-step, as it stood before that sub-step (the last
 * earlier sub-step that changed it, else the step's input) and after it; for a plain step, its in and out.
 */
export function packetAtCursor(c: StepCursor): { before: Unit | null; after: Unit | null } {
  const step = currentStep(c);
  if (!step) return { before: null, after: null };
  if (c.sub === null || step.sub.length === 0) return { before: step.in, after: step.out };
  let before: Unit | null = step.in;
  for (let i = 0; i < c.sub; i++) before = step.sub[i]!.unit ?? before;
  return { before, after: step.sub[c.sub]?.unit ?? before };
}

/** Sub-steps in walk order up to and including the cursor, each with its step. */
export function walkSoFar(c: StepCursor): { step: Step; sub: SubStep; index: number; current: boolean }[] {
  if (!c.trace) return [];
  const out: { step: Step; sub: SubStep; index: number; current: boolean }[] = [];
  for (const step of c.trace.steps) {
    for (let i = 0; i < step.sub.length; i++) {
      const current = step.id === c.stepId && i === c.sub;
      out.push({ step, sub: step.sub[i]!, index: i, current });
      if (current) return out;
    }
    if (step.id === c.stepId) return out;
  }
  return out;
}

/**
 * The walk's verdict on each row of a table so far: the latest sub-step that evaluated it wins.
 * `kinds` keeps only sub-steps of those kinds (a chain walker counts rules, not the jumps that follow
 * them); `stepId` keeps only that step's sub-steps (a second walk of the same table, e.g. the reply's,
 * starts with a clean slate).
 */
export function evaluatedRows(
  c: StepCursor,
  tableId: string,
  options: { readonly kinds?: readonly string[]; readonly stepId?: string } = {},
): Map<number, { taken: boolean; detail: string; kind: string }> {
  const rows = new Map<number, { taken: boolean; detail: string; kind: string }>();
  for (const { step, sub } of walkSoFar(c)) {
    if (options.stepId !== undefined && step.id !== options.stepId) continue;
    if (options.kinds && !options.kinds.includes(sub.kind)) continue;
    if (sub.ref?.table === tableId && sub.ref.row !== null) rows.set(sub.ref.row, { taken: sub.taken, detail: sub.detail, kind: sub.kind });
  }
  return rows;
}

/**
 * The table the cursor is reading, among those `fits` accepts: the current step's; else the one the
 * nearest earlier step consulted (the walk just left it); else the nearest later step's (the walk is
 * about to reach it). With a step id, also which step consulted it (null for a table no step lists).
 */
export function tableAtCursor(c: StepCursor, fits: (table: DecisionTable) => boolean): { table: DecisionTable; stepId: string | null } | null {
  const trace = c.trace;
  if (!trace) return null;
  const at = Math.max(0, trace.steps.findIndex((s) => s.id === c.stepId));
  const tableOf = (step: Step) => step.tables.map((id) => trace.tables.find((t) => t.id === id)).find((t): t is DecisionTable => !!t && fits(t)) ?? null;
  const order = [at, ...Array.from({ length: at }, (_, i) => at - 1 - i), ...Array.from({ length: trace.steps.length - at - 1 }, (_, i) => at + 1 + i)];
  for (const i of order) {
    const table = tableOf(trace.steps[i]!);
    if (table) return { table, stepId: trace.steps[i]!.id };
  }
  const any = trace.tables.find(fits);
  return any ? { table: any, stepId: null } : null;
}

/** The connection a `conntrack -L` line is about: protocol and its first (original) tuple. */
export function conntrackKey(row: string): string {
  const proto = /^\s*(\S+)/.exec(row)?.[1] ?? "";
  const tuple = /src=(\S+)\s+dst=(\S+)(?:\s+sport=(\S+)\s+dport=(\S+))?/.exec(row);
  return tuple ? `${proto} ${tuple.slice(1).join(" ")}` : row;
}

const isConntrack = (t: DecisionTable) => t.format.startsWith("conntrack");

/** The trace's connection-tracking table (format `conntrack -L`), if it has one. */
export function conntrackTableOf(trace: Trace | null): DecisionTable | null {
  return trace?.tables.find(isConntrack) ?? null;
}

/**
 * When a table's rows appear, for a table no sub-step refers to: at the step that first lists it, at
 * its sub-step that confirms the entry (the kernel lists a connection only once it is confirmed, after
 * the first packet passed POSTROUTING), else once that step is over. Null: no step lists it (the rows
 * were there before the walk began).
 */
function appearsAt(trace: Trace, tableId: string): number | null {
  const owner = trace.steps.find((s) => s.tables.includes(tableId));
  if (!owner) return null;
  const all = positionsOf(trace);
  const confirm = owner.sub.findIndex((s) => s.kind === "conntrack" && /\bconfirm/i.test(`${s.label} ${s.detail}`));
  if (confirm >= 0) return all.findIndex((p) => p.stepId === owner.id && p.sub === confirm);
  const lastOfOwner = all.map((p) => p.stepId).lastIndexOf(owner.id);
  return lastOfOwner + 1;
}

/**
 * The conntrack entries as they stand at the cursor, in the table of the node the walk is on (a
 * NodePort journey crosses two nodes, each with its own table). A trace gives one static table, so
 * time is read from the walk: a row no sub-step refers to was there before the walk began; a
 * referenced row appears at the first sub-step that refers to it; and a later row for the same
 * connection (same protocol and original tuple — `conntrack -L` prints one line per connection)
 * replaces the earlier one, the way SYN_SENT [UNREPLIED] becomes SYN_RECV when the reply passes.
 * A table no sub-step refers to at all appears where its step confirms the entry (see `appearsAt`),
 * and is current while that node's conntrack decides.
 */
export function conntrackAtCursor(c: StepCursor): { table: DecisionTable; rows: { row: number; text: string; current: boolean }[] } | null {
  const trace = c.trace;
  const found = tableAtCursor(c, isConntrack);
  if (!trace || !found) return null;
  const { table } = found;
  const referenced = new Set(
    trace.steps.flatMap((s) => s.sub.flatMap((sub) => (sub.ref?.table === table.id && sub.ref.row !== null ? [sub.ref.row] : []))),
  );
  if (referenced.size === 0) {
    const from = appearsAt(trace, table.id);
    const here = positionIndex(trace, c);
    const visible = from === null || here >= from;
    const step = currentStep(c);
    const deciding = visible && !!step?.tables.includes(table.id) && currentSub(c)?.kind === "conntrack";
    return { table, rows: visible ? table.rows.map((text, row) => ({ row, text, current: deciding })) : [] };
  }
  const live = new Map<string, number>();
  table.rows.forEach((text, row) => {
    if (!referenced.has(row)) live.set(conntrackKey(text), row);
  });
  let currentRow: number | null = null;
  for (const { sub, current } of walkSoFar(c)) {
    if (sub.ref?.table !== table.id || sub.ref.row === null) continue;
    const text = table.rows[sub.ref.row];
    if (text === undefined) continue;
    live.set(conntrackKey(text), sub.ref.row);
    if (current) currentRow = sub.ref.row;
  }
  const rows = [...live.values()].sort((a, b) => a - b).map((row) => ({ row, text: table.rows[row]!, current: row === currentRow }));
  return { table, rows };
}

// ——— The machine ——————————————————————————————————————————————————————————————————————————

/** Where a failed input is reported: `preset`, an input field's name, `link`, or `input` when nothing narrower fits. */
export type StepLabErrors = Readonly<Record<string, string>>;

export interface StepLabInput {
  readonly scenarioId: string;
  /** Named inputs the lab offers; `preset` picks one. */
  readonly presets?: Readonly<Record<string, unknown>>;
  /** The preset to open with; "default" (or the first) when absent. */
  readonly preset?: string;
  readonly seed?: number;
  /** Delay between steps while playing, in ms. */
  readonly tickMs?: number;
  /** Cluster size for mode-cost comparisons (Services). */
  readonly services?: number;
  /**
   * Traces computed ahead of time — when the site is built — for presets at seed 0, by preset name.
   * The lab shows them without computing anything; any other input is computed.
   */
  readonly known?: Readonly<Record<string, Trace>>;
}

export interface StepLabContext extends StepCursor {
  readonly scenarioId: string;
  readonly presets: Readonly<Record<string, unknown>>;
  /** The preset the lab opened with (RESET returns here). */
  readonly initialPreset: string | null;
  /** The preset the input came from; null once a field was edited. */
  readonly preset: string | null;
  /** The input as the controls show it — possibly invalid; the trace is of the last valid one. */
  readonly input: unknown;
  readonly seed: number;
  /** The field the pending recompute is for (errors are filed under it). */
  readonly changed: string | null;
  readonly errors: StepLabErrors;
  /** The preset, input and seed the current trace was computed from. */
  readonly applied: { readonly preset: string | null; readonly input: unknown; readonly seed: number } | null;
  readonly tickMs: number;
  readonly services: number;
  readonly known: Readonly<Record<string, Trace>>;
  /** The implementation sent in by `SIMULATOR_LOADED`; null until then. */
  readonly compute: ComputeTrace | null;
  /** True while an input waits for an implementation (`stepLabOnDemand`); the trace shown is the previous one. */
  readonly waiting: boolean;
  /** The step a permalink named, checked once the link's trace is there. */
  readonly linkedStep: string | null;
}

export type StepLabEvent =
  | { type: "STEP_FORWARD" }
  | { type: "STEP_BACK" }
  | { type: "JUMP_TO_STEP"; stepId: string }
  /** A sub-step of the current step, or of `stepId` when given. */
  | { type: "JUMP_TO_SUB"; sub: number; stepId?: string }
  | { type: "FIRST" }
  | { type: "LAST" }
  | { type: "PLAY" }
  | { type: "PAUSE" }
  | { type: "TOGGLE_PLAY" }
  /** Back to the opening preset, at the start of the walk, errors cleared. */
  | { type: "RESET" }
  | { type: "SET_INPUT"; preset: string }
  | { type: "SET_INPUT"; field: string; value: unknown }
  | { type: "SET_SEED"; seed: number }
  | { type: "SET_SERVICES"; services: number }
  /**
   * A saved state (a permalink): a preset or an encoded input (`encodeLabInput`), the seed (as the
   * link wrote it: a whole number from 0 to 4294967295), then the cursor. Anything unusable is
   * reported under `link` and the lab keeps what it had.
   */
  | { type: "LOAD_STATE"; preset?: string | null; input?: string | null; seed?: string | number | null; stepId?: string | null; sub?: number | null; services?: number | null }
  /** The implementation, loaded on demand; an input waiting for it is computed now. */
  | { type: "SIMULATOR_LOADED"; compute: ComputeTrace }
  /** Loading the implementation failed (the network dropped): a waiting input is reported as failed. */
  | { type: "SIMULATOR_FAILED"; error: unknown };

/** Which field an error belongs to: one the error names, else the field being changed. */
function fieldOf(error: unknown, input: unknown, changed: string | null): string {
  if (error instanceof InputError && input && typeof input === "object" && error.input in input) return error.input;
  return changed ?? "input";
}

function messageOf(error: unknown): string {
  if (error && typeof error === "object" && Array.isArray((error as { problems?: unknown }).problems)) {
    const problems = (error as { problems: { line?: number; message?: string }[] }).problems;
    return problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : String(p.message))).join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

/** The trace this input has ahead of time: a known preset at seed 0. */
function knownTrace(context: StepLabContext): Trace | null {
  return context.preset !== null && context.seed === 0 ? (context.known[context.preset] ?? null) : null;
}

/** The context once a trace for the current input is in: the cursor kept on its step, input errors cleared. */
function traceApplied(context: StepLabContext, trace: Trace): Partial<StepLabContext> {
  const cursor = keepCursor(trace, context);
  // A good trace clears every input error (the whole input is valid now); a link's note stays
  // until the learner changes something themselves.
  const keepLink = context.changed === null || context.changed === "link";
  return {
    trace,
    applied: { preset: context.preset, input: context.input, seed: context.seed },
    stepId: cursor?.stepId ?? null,
    sub: cursor?.sub ?? null,
    changed: null,
    waiting: false,
    errors: (keepLink && context.errors.link ? { link: context.errors.link } : {}) as StepLabErrors,
  };
}

/** The context once the current input failed: the error filed under its field, the last good trace kept. */
function failureFiled(context: StepLabContext, error: unknown): Partial<StepLabContext> {
  if (context.changed === "link" && context.applied) {
    // A link whose input does not compute: keep what the lab had, and say why.
    const link = `This link's input could not be used (${messageOf(error)}); the lab kept its settings.`;
    return { ...context.applied, changed: null, waiting: false, errors: { ...context.errors, link } };
  }
  const field = fieldOf(error, context.input, context.changed);
  return { changed: null, waiting: false, errors: { ...context.errors, [field]: messageOf(error) } };
}

/** A known trace, else `compute`'s; never throws. */
function traceFor(context: StepLabContext, compute: ComputeTrace): Partial<StepLabContext> {
  const known = knownTrace(context);
  if (known) return traceApplied(context, known);
  try {
    return traceApplied(context, compute(context.scenarioId, context.input, context.seed));
  } catch (error) {
    return failureFiled(context, error);
  }
}

/**
 * The `computeTrace` action for a given implementation: a known trace, else one computed for the
 * context's input, keeping the cursor on the same step id when it still exists; a failure is filed
 * under its field (never thrown), leaving the last good trace in place. With no implementation (null)
 * and none sent in yet, the input waits for `SIMULATOR_LOADED`.
 *
 * @example stepLabMachine.provide({ actions: { computeTrace: computeTraceWith(runKubeScenario) } })
 */
export function computeTraceWith(compute: ComputeTrace | null) {
  return assign<StepLabContext, StepLabEvent, undefined, StepLabEvent, never>(({ context }) => {
    const implementation = context.compute ?? compute;
    if (!implementation && !knownTrace(context)) return { waiting: true };
    return traceFor(context, implementation ?? noImplementation);
  });
}

const noImplementation: ComputeTrace = (scenarioId) => {
  throw new Error(`No trace implementation is wired to this lab (scenario "${scenarioId}").`);
};

function presetName(input: StepLabInput): string | null {
  const names = Object.keys(input.presets ?? {});
  if (input.preset !== undefined) return input.preset;
  return names.includes("default") ? "default" : (names[0] ?? null);
}

function moveTo(position: CursorPosition | null) {
  return position ? { stepId: position.stepId, sub: position.sub } : {};
}

const atEnd = ({ context }: { context: StepLabContext }) => cursorProgress(context).atEnd;

export const stepLabMachine = setup({
  types: {
    input: {} as StepLabInput,
    context: {} as StepLabContext,
    events: {} as StepLabEvent,
  },
  guards: {
    atEnd,
    notAtEnd: (args) => !atEnd(args),
    waiting: ({ context }) => context.waiting,
  },
  delays: {
    tick: ({ context }) => context.tickMs,
  },
  actions: {
    /** Injected: see `computeTraceWith`. The default reports that nothing was wired. */
    computeTrace: computeTraceWith(noImplementation),
    stepForward: assign(({ context }) => (context.trace ? moveTo(moveCursor(context.trace, context, 1)) : {})),
    stepBack: assign(({ context }) => (context.trace ? moveTo(moveCursor(context.trace, context, -1)) : {})),
    first: assign(({ context }) => (context.trace ? moveTo(firstPosition(context.trace)) : {})),
    last: assign(({ context }) => (context.trace ? moveTo(lastPosition(context.trace)) : {})),
    jumpToStep: assign(({ context, event }) => {
      if (event.type !== "JUMP_TO_STEP" || !context.trace) return {};
      return moveTo(cursorAtStep(context.trace, event.stepId));
    }),
    jumpToSub: assign(({ context, event }) => {
      if (event.type !== "JUMP_TO_SUB" || !context.trace) return {};
      const stepId = event.stepId ?? context.stepId;
      return stepId === null ? {} : moveTo(cursorAtStep(context.trace, stepId, event.sub));
    }),
    setInput: assign(({ context, event }) => {
      if (event.type !== "SET_INPUT") return {};
      if ("preset" in event) {
        if (!(event.preset in context.presets)) {
          return { changed: null, errors: { ...context.errors, preset: `There is no preset "${event.preset}"; there is ${Object.keys(context.presets).join(", ")}.` } };
        }
        return { preset: event.preset, input: context.presets[event.preset], changed: "preset", linkedStep: null };
      }
      const base = context.input && typeof context.input === "object" ? context.input : {};
      return { preset: null, input: { ...base, [event.field]: event.value }, changed: event.field, linkedStep: null };
    }),
    setSeed: assign(({ event }) => (event.type === "SET_SEED" ? { seed: event.seed, changed: "seed", linkedStep: null } : {})),
    setServices: assign(({ event }) => (event.type === "SET_SERVICES" && event.services > 0 ? { services: Math.trunc(event.services) } : {})),
    resetInput: assign(({ context }) => ({
      preset: context.initialPreset,
      input: context.initialPreset !== null ? context.presets[context.initialPreset] : context.input,
      changed: "preset",
      errors: {},
      stepId: null,
      sub: null,
      linkedStep: null,
    })),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return {};
      const problems: string[] = [];
      let next: Partial<StepLabContext> = {};
      if (event.input) {
        try {
          next = { preset: null, input: decodeLabInput(event.input), changed: "link" };
        } catch (error) {
          problems.push(error instanceof InputError ? error.reason : messageOf(error));
        }
      } else if (event.preset) {
        if (event.preset in context.presets) next = { preset: event.preset, input: context.presets[event.preset], changed: "link" };
        else problems.push(`it names a preset "${event.preset}" this lab does not have`);
      }
      if (event.seed !== undefined && event.seed !== null) {
        try {
          const seed = parseSeed(String(event.seed));
          // The same input at another seed is another trace: compute it (a link's failure keeps the lab as it was).
          if (seed !== context.seed) next = { ...next, seed, changed: "link" };
        } catch (error) {
          problems.push(`its seed "${String(event.seed)}" is not usable: ${error instanceof InputError ? error.reason : messageOf(error)}`);
        }
      }
      if (event.services && event.services > 0) next = { ...next, services: Math.trunc(event.services) };
      next = { ...next, linkedStep: event.stepId ?? null };
      if (event.stepId) next = { ...next, stepId: event.stepId, sub: event.sub ?? 0 };
      const errors = problems.length ? { ...context.errors, link: `This link could not be fully used (${problems.join("; ")}); the lab kept its settings.` } : context.errors;
      return { ...next, errors };
    }),
    /** After a link's recompute: say so when the step it named does not exist (the cursor went to the start). */
    checkLinkedStep: assign(({ context }) => {
      const stepId = context.linkedStep;
      if (!stepId || context.waiting || !context.trace) return {};
      if (context.trace.steps.some((s) => s.id === stepId)) return { linkedStep: null };
      const link = `This link points at a step "${stepId}" this lab does not have; showing the start.`;
      return { linkedStep: null, errors: { ...context.errors, link: context.errors.link ? `${context.errors.link} ${link}` : link } };
    }),
    simulatorLoaded: assign(({ event }) => (event.type === "SIMULATOR_LOADED" ? { compute: event.compute } : {})),
    /** The waiting input is filed as failed; its next change asks for the simulator again. */
    simulatorFailed: assign(({ context, event }) => {
      if (event.type !== "SIMULATOR_FAILED" || !context.waiting) return {};
      return failureFiled(context, new Error(`the simulator could not be loaded (${messageOf(event.error)}); try again`));
    }),
  },
}).createMachine({
  id: "stepLab",
  context: ({ input }) => {
    const preset = presetName(input);
    const presets = input.presets ?? {};
    return {
      scenarioId: input.scenarioId,
      presets,
      initialPreset: preset,
      preset,
      input: preset !== null ? (presets[preset] ?? {}) : {},
      seed: input.seed ?? 0,
      changed: preset !== null && !(preset in presets) ? "preset" : null,
      errors: (preset !== null && Object.keys(presets).length > 0 && !(preset in presets) ? { preset: `There is no preset "${preset}".` } : {}) as StepLabErrors,
      tickMs: input.tickMs ?? 1000,
      services: input.services ?? 1000,
      known: input.known ?? {},
      compute: null,
      waiting: false,
      linkedStep: null,
      trace: null,
      applied: null,
      stepId: null,
      sub: null,
    };
  },
  entry: "computeTrace",
  initial: "paused",
  on: {
    STEP_FORWARD: { target: ".paused", actions: "stepForward" },
    STEP_BACK: { target: ".paused", actions: "stepBack" },
    JUMP_TO_STEP: { target: ".paused", actions: "jumpToStep" },
    JUMP_TO_SUB: { target: ".paused", actions: "jumpToSub" },
    FIRST: { target: ".paused", actions: "first" },
    LAST: { target: ".paused", actions: "last" },
    RESET: { target: ".paused", actions: ["resetInput", "computeTrace"] },
    SET_INPUT: { actions: ["setInput", "computeTrace"] },
    SET_SEED: { actions: ["setSeed", "computeTrace"] },
    SET_SERVICES: { actions: "setServices" },
    LOAD_STATE: { target: ".paused", actions: ["loadState", "computeTrace", "checkLinkedStep"] },
    SIMULATOR_LOADED: [
      { guard: "waiting", actions: ["simulatorLoaded", "computeTrace", "checkLinkedStep"] },
      { actions: "simulatorLoaded" },
    ],
    SIMULATOR_FAILED: { actions: "simulatorFailed" },
  },
  states: {
    paused: {
      on: {
        PLAY: [{ guard: "atEnd", target: "playing", actions: "first" }, { target: "playing" }],
        TOGGLE_PLAY: [{ guard: "atEnd", target: "playing", actions: "first" }, { target: "playing" }],
      },
    },
    playing: {
      tags: ["playing"],
      after: {
        tick: [{ guard: "notAtEnd", target: "playing", reenter: true, actions: "stepForward" }, { target: "paused" }],
      },
      on: {
        PAUSE: { target: "paused" },
        TOGGLE_PLAY: { target: "paused" },
      },
    },
  },
});

/** The machine wired to an implementation, for components. */
export function stepLabWith(compute: ComputeTrace) {
  return stepLabMachine.provide({ actions: { computeTrace: computeTraceWith(compute) } });
}

/**
 * The machine for a lab that opens on `known` traces and gets its implementation only when an input
 * needs one: while `waiting`, the component loads it and sends `SIMULATOR_LOADED` (or
 * `SIMULATOR_FAILED`).
 */
export const stepLabOnDemand = stepLabMachine.provide({ actions: { computeTrace: computeTraceWith(null) } });
