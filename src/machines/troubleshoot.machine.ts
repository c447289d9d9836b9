import { assign, setup } from "xstate";
// Only the light modules: the page loads this machine up front, and the model (manifests, kube-proxy's
// rules, the netfilter walk) arrives as an `Engine` on the learner's first interaction.
import { LAB_CASES, labCase } from "../sim/kube/troubleshoot/cases";
import { FAULT_CHOICES, type FaultChoice } from "../sim/kube/troubleshoot/choices";

/**
 * The troubleshooting lab: pick a broken cluster, run commands against it (each output computed by
 * the model), then name the fault. The model is injected as an `Engine` (`input.engine`, or the
 * ENGINE_READY event once the island has loaded it): its `run` computes a command's output and its
 * `grade` checks the named fault (the island's grades through the interview engine). A command run
 * or a check asked for before the engine is there waits for it.
 */
export interface TranscriptEntry {
  readonly command: string;
  readonly output: string;
  readonly ok: boolean;
}

export interface TroubleshootVerdict {
  readonly correct: boolean;
  /** Why, read from the model (the rubric's reason for the chosen option). */
  readonly message: string;
  /** The wrong model the answer matches, if any. */
  readonly misconception: string | null;
}

export type Grade = (caseId: string, choice: string) => TroubleshootVerdict;

/** What a shell run leaves for the next command (the last request, for conntrack); opaque to the machine. */
export type ShellMemory = unknown;

export interface Engine {
  readonly run: (caseId: string, line: string, memory: ShellMemory) => { readonly ok: boolean; readonly output: string; readonly memory: ShellMemory };
  readonly grade: Grade;
}

export interface TroubleshootContext {
  readonly caseId: string;
  readonly input: string;
  /** The last command's error, shown at the field; null when it ran. */
  readonly inputError: string | null;
  readonly history: readonly string[];
  /** Position while walking history with the arrow keys (null: at the live line). */
  readonly historyIndex: number | null;
  readonly transcript: readonly TranscriptEntry[];
  readonly memory: ShellMemory;
  readonly choice: string | null;
  readonly verdict: TroubleshootVerdict | null;
  /** One sentence for the live region after each change. */
  readonly announcement: string;
  readonly engine: Engine | null;
  /** What waits for the engine: a command line, or a check. */
  readonly pending: { readonly kind: "run"; readonly line: string } | { readonly kind: "check" } | null;
}

export type TroubleshootEvent =
  | { type: "CHOOSE_CASE"; caseId: string }
  | { type: "TYPE"; text: string }
  | { type: "RUN" }
  | { type: "HISTORY_UP" }
  | { type: "HISTORY_DOWN" }
  | { type: "CLEAR" }
  | { type: "PICK"; choice: string }
  | { type: "CHECK" }
  | { type: "ENGINE_READY"; engine: Engine };

export interface TroubleshootInput {
  readonly caseId?: string;
  readonly engine?: Engine;
}

const MAX_TRANSCRIPT = 40;

function fresh(caseId: string): Pick<TroubleshootContext, "caseId" | "input" | "inputError" | "historyIndex" | "transcript" | "memory" | "choice" | "verdict"> {
  const known = labCase(caseId) ?? LAB_CASES[0]!;
  return { caseId: known.id, input: "", inputError: null, historyIndex: null, transcript: [], memory: null, choice: null, verdict: null };
}

function runLine(context: TroubleshootContext, engine: Engine, line: string): Partial<TroubleshootContext> {
  const r = engine.run(context.caseId, line, context.memory);
  if (!r.ok) return { input: line, inputError: r.output, historyIndex: null, announcement: r.output };
  const transcript = [...context.transcript, { command: line, output: r.output, ok: true }].slice(-MAX_TRANSCRIPT);
  const first = r.output.split("\n")[0] ?? "";
  return { input: "", inputError: null, transcript, historyIndex: null, memory: r.memory, announcement: `Ran ${line}. ${r.output.split("\n").length} lines of output, starting: ${first}` };
}

function checkChoice(context: TroubleshootContext, engine: Engine): Partial<TroubleshootContext> {
  const verdict = engine.grade(context.caseId, context.choice!);
  return { verdict, pending: null, announcement: `${verdict.correct ? "Right" : "Not quite"}. ${verdict.message}` };
}

export const troubleshootMachine = setup({
  types: {
    context: {} as TroubleshootContext,
    events: {} as TroubleshootEvent,
    input: {} as TroubleshootInput,
  },
  guards: {
    hasChoice: ({ context }) => context.choice !== null,
  },
  actions: {
    chooseCase: assign(({ event }) => {
      if (event.type !== "CHOOSE_CASE") return {};
      const next = fresh(event.caseId);
      return { ...next, announcement: `Case: ${labCase(next.caseId)!.title}. ${labCase(next.caseId)!.report}` };
    }),
    type: assign(({ event }) => (event.type === "TYPE" ? { input: event.text, inputError: null, historyIndex: null } : {})),
    run: assign(({ context }) => {
      const line = context.input.trim();
      // An empty line does nothing, as in a shell; it is not an error to show at the field.
      if (line === "") return { inputError: null, announcement: "Type a command first (help lists them)." };
      const history = [...context.history.filter((h) => h !== line), line].slice(-50);
      if (line === "clear") return { input: "", transcript: [], history, historyIndex: null, inputError: null, announcement: "Cleared." };
      if (context.engine === null) return { pending: { kind: "run" as const, line }, history, historyIndex: null, inputError: null, announcement: "Loading the cluster model…" };
      return { ...runLine(context, context.engine, line), history };
    }),
    historyUp: assign(({ context }) => {
      if (context.history.length === 0) return {};
      const i = context.historyIndex === null ? context.history.length - 1 : Math.max(0, context.historyIndex - 1);
      return { historyIndex: i, input: context.history[i]!, inputError: null };
    }),
    historyDown: assign(({ context }) => {
      if (context.historyIndex === null) return {};
      const i = context.historyIndex + 1;
      return i >= context.history.length ? { historyIndex: null, input: "" } : { historyIndex: i, input: context.history[i]! };
    }),
    clear: assign({ transcript: [], announcement: "Cleared." }),
    pick: assign(({ event }) => (event.type === "PICK" && event.choice in FAULT_CHOICES ? { choice: event.choice, verdict: null } : {})),
    check: assign(({ context }) => {
      if (context.engine === null) return { pending: { kind: "check" as const }, announcement: "Loading the cluster model…" };
      return checkChoice(context, context.engine);
    }),
    engineReady: assign(({ context, event }) => {
      if (event.type !== "ENGINE_READY") return {};
      const engine = event.engine;
      const p = context.pending;
      if (p === null) return { engine };
      if (p.kind === "check") return { engine, pending: null, ...(context.choice !== null ? checkChoice(context, engine) : {}) };
      return { engine, pending: null, ...runLine(context, engine, p.line) };
    }),
    needChoice: assign({ announcement: "Pick the fault first." }),
  },
}).createMachine({
  id: "troubleshoot",
  context: ({ input }) => ({
    ...fresh(input.caseId ?? LAB_CASES[0]!.id),
    history: [],
    announcement: "",
    engine: input.engine ?? null,
    pending: null,
  }),
  initial: "investigating",
  states: {
    investigating: {
      on: {
        CHOOSE_CASE: { actions: "chooseCase" },
        TYPE: { actions: "type" },
        RUN: { actions: "run" },
        HISTORY_UP: { actions: "historyUp" },
        HISTORY_DOWN: { actions: "historyDown" },
        CLEAR: { actions: "clear" },
        PICK: { actions: "pick" },
        CHECK: [{ guard: "hasChoice", actions: "check" }, { actions: "needChoice" }],
        ENGINE_READY: { actions: "engineReady" },
      },
    },
  },
});

/** The options the lab offers, in a fixed order. */
export const FAULT_OPTIONS: readonly { readonly id: FaultChoice; readonly text: string }[] = (Object.keys(FAULT_CHOICES) as FaultChoice[]).map((id) => ({ id, text: FAULT_CHOICES[id] }));
