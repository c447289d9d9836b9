import { assign, setup } from "xstate";

/**
 * Building an ordered answer out of offered items, each with two marks (for question 1: "TLS
 * terminates here" and "anycast decides here"), then submitting it for grading. The grader is not
 * known here: the machine keeps whatever result the `grade` action stores, and the widget provides
 * that action with `machine.provide`, so this layer stays free of quiz code.
 */
export interface AnswerHop {
  readonly device: string;
  readonly tls: boolean;
  readonly anycast: boolean;
}

export interface HopAnswerContext {
  readonly hops: readonly AnswerHop[];
  /** Grader output for the last submission; cleared by any edit. */
  readonly result: unknown;
  /** Which list position has keyboard focus, so the widget can restore it after a move. */
  readonly focus: number | null;
}

export type HopAnswerEvent =
  | { type: "ADD_HOP"; device: string }
  | { type: "REMOVE_HOP"; position: number }
  | { type: "MOVE_UP"; position: number }
  | { type: "MOVE_DOWN"; position: number }
  | { type: "TOGGLE_MARK"; position: number; mark: "tls" | "anycast" }
  | { type: "SUBMIT" }
  | { type: "CLEAR" };

function swap(hops: readonly AnswerHop[], a: number, b: number): AnswerHop[] {
  const next = hops.slice();
  if (a < 0 || b < 0 || a >= next.length || b >= next.length) return next;
  [next[a], next[b]] = [next[b]!, next[a]!];
  return next;
}

export const hopAnswerMachine = setup({
  types: {
    context: {} as HopAnswerContext,
    events: {} as HopAnswerEvent,
    input: {} as { hops?: readonly AnswerHop[] },
  },
  actions: {
    /** Replaced by the widget with an action that grades `context.hops` and stores `result`. */
    grade: () => {},
    clearResult: assign({ result: null }),
    addHop: assign(({ context, event }) => {
      if (event.type !== "ADD_HOP" || context.hops.some((h) => h.device === event.device)) return {};
      return { hops: [...context.hops, { device: event.device, tls: false, anycast: false }], focus: context.hops.length };
    }),
    removeHop: assign(({ context, event }) => {
      if (event.type !== "REMOVE_HOP") return {};
      const hops = context.hops.filter((_, i) => i !== event.position);
      return { hops, focus: hops.length ? Math.min(event.position, hops.length - 1) : null };
    }),
    moveUp: assign(({ context, event }) =>
      event.type === "MOVE_UP" && event.position > 0
        ? { hops: swap(context.hops, event.position, event.position - 1), focus: event.position - 1 }
        : {},
    ),
    moveDown: assign(({ context, event }) =>
      event.type === "MOVE_DOWN" && event.position < context.hops.length - 1
        ? { hops: swap(context.hops, event.position, event.position + 1), focus: event.position + 1 }
        : {},
    ),
    toggleMark: assign(({ context, event }) => {
      if (event.type !== "TOGGLE_MARK") return {};
      return {
        hops: context.hops.map((h, i) => (i === event.position ? { ...h, [event.mark]: !h[event.mark] } : h)),
        focus: event.position,
      };
    }),
    clear: assign({ hops: [], result: null, focus: null }),
  },
}).createMachine({
  id: "hopAnswer",
  context: ({ input }) => ({ hops: input.hops ?? [], result: null, focus: null }),
  initial: "editing",
  states: {
    editing: {
      on: {
        ADD_HOP: { actions: ["addHop", "clearResult"] },
        REMOVE_HOP: { actions: ["removeHop", "clearResult"] },
        MOVE_UP: { actions: ["moveUp", "clearResult"] },
        MOVE_DOWN: { actions: ["moveDown", "clearResult"] },
        TOGGLE_MARK: { actions: ["toggleMark", "clearResult"] },
        CLEAR: { actions: "clear" },
        SUBMIT: { target: "submitted", actions: "grade" },
      },
    },
    submitted: {
      tags: ["has-result"],
      on: {
        CLEAR: { target: "editing", actions: "clear" },
        ADD_HOP: { target: "editing", actions: ["addHop", "clearResult"] },
        REMOVE_HOP: { target: "editing", actions: ["removeHop", "clearResult"] },
        MOVE_UP: { target: "editing", actions: ["moveUp", "clearResult"] },
        MOVE_DOWN: { target: "editing", actions: ["moveDown", "clearResult"] },
        TOGGLE_MARK: { target: "editing", actions: ["toggleMark", "clearResult"] },
        SUBMIT: { actions: "grade" },
      },
    },
  },
});
