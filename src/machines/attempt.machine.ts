import { assign, setup } from "xstate";

/**
 * One attempt at one question: answer, check, ask for hints, reveal the key, try again, move on. The
 * grader is not known here (machines do not import the quiz layer): the input brings a `grade` function
 * and the machine keeps its output as it is. Only a grade's `type` and `score` are read, so "not answered
 * yet" (`incomplete`) and "not well-formed" (`invalid`) leave the learner answering and are not counted
 * as attempts; a `graded` result is. The first graded score is what the spaced-repetition rating uses:
 * retries after seeing feedback are practice, not recall.
 */

/** The part of a grader's result this machine reads; a `QuizResult` is one. */
export interface AttemptGrade {
  readonly type: "incomplete" | "invalid" | "graded";
  readonly score?: number;
}

export interface AttemptInput {
  /** How many hints the variant has. */
  readonly hints: number;
  readonly grade: (answer: unknown) => AttemptGrade;
}

export interface AttemptContext {
  /** The learner's answer as the widget last sent it (null before any edit). */
  readonly answer: unknown;
  /** The grader's output for the last check; null when none is shown (before a check, after an edit). */
  readonly result: unknown;
  /** Graded checks so far (incomplete and invalid ones do not count). */
  readonly attempts: number;
  /** Score of the first graded check, or null before one. */
  readonly firstScore: number | null;
  readonly hintsShown: number;
  readonly revealed: boolean;
  /** From the input. */
  readonly hints: number;
  readonly grade: (answer: unknown) => AttemptGrade;
}

export type AttemptEvent =
  | { type: "ANSWER"; answer: unknown }
  | { type: "CHECK" }
  | { type: "HINT" }
  | { type: "REVEAL" }
  | { type: "RETRY" }
  | { type: "NEXT" };

/** What the practice page records when the learner moves on. */
export interface AttemptOutput {
  /** The first graded score (0 when the learner never had an answer graded). */
  readonly score: number;
  readonly attempts: number;
  readonly hintsShown: number;
  readonly revealed: boolean;
}

/** A graded result's score, clamped to 0–1, or null for anything else. */
function gradedScore(result: unknown): number | null {
  if (typeof result !== "object" || result === null) return null;
  const { type, score } = result as Partial<AttemptGrade>;
  if (type !== "graded") return null;
  return typeof score === "number" && Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
}

export const attemptMachine = setup({
  types: {
    context: {} as AttemptContext,
    events: {} as AttemptEvent,
    input: {} as AttemptInput,
    output: {} as AttemptOutput,
  },
  actions: {
    setAnswer: assign(({ event }) => (event.type === "ANSWER" ? { answer: event.answer, result: null } : {})),
    grade: assign(({ context }) => ({ result: context.grade(context.answer) })),
    countAttempt: assign(({ context }) => {
      const score = gradedScore(context.result) ?? 0;
      return { attempts: context.attempts + 1, firstScore: context.firstScore ?? score };
    }),
    showHint: assign(({ context }) => ({ hintsShown: context.hintsShown + 1 })),
    reveal: assign({ revealed: true }),
    clearResult: assign({ result: null }),
  },
  guards: {
    isGraded: ({ context }) => gradedScore(context.result) !== null,
    hasHintLeft: ({ context }) => context.hintsShown < context.hints,
    /** RETRY only makes sense after an answer that missed full marks. */
    wasWrong: ({ context }) => (gradedScore(context.result) ?? 1) < 1,
  },
}).createMachine({
  id: "attempt",
  context: ({ input }) => ({
    answer: null,
    result: null,
    attempts: 0,
    firstScore: null,
    hintsShown: 0,
    revealed: false,
    hints: Math.max(0, Math.floor(input.hints)),
    grade: input.grade,
  }),
  initial: "answering",
  states: {
    answering: {
      tags: ["can-check"],
      on: {
        ANSWER: { actions: "setAnswer" },
        CHECK: { target: "grading" },
        HINT: { guard: "hasHintLeft", actions: "showHint" },
        REVEAL: { target: "revealed" },
        NEXT: { target: "done" },
      },
    },
    /** Transient: grades, then settles in `checked` (graded) or back in `answering` (incomplete, invalid). */
    grading: {
      entry: "grade",
      always: [{ guard: "isGraded", target: "checked", actions: "countAttempt" }, { target: "answering" }],
    },
    checked: {
      tags: ["has-result"],
      on: {
        ANSWER: { target: "answering", actions: "setAnswer" },
        RETRY: { guard: "wasWrong", target: "answering", actions: "clearResult" },
        HINT: { guard: "hasHintLeft", actions: "showHint" },
        REVEAL: { target: "revealed" },
        NEXT: { target: "done" },
      },
    },
    /** The key is shown; the answer can no longer be checked, only left. */
    revealed: {
      tags: ["key-shown"],
      entry: "reveal",
      on: { NEXT: { target: "done" } },
    },
    done: { type: "final" },
  },
  output: ({ context }) => ({
    score: context.firstScore ?? 0,
    attempts: context.attempts,
    hintsShown: context.hintsShown,
    revealed: context.revealed,
  }),
});
