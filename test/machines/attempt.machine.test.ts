import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { attemptMachine, type AttemptEvent, type AttemptGrade } from "../../src/machines/attempt.machine";

/**
 * A stand-in grader with the quiz layer's three outcomes: no answer is incomplete, a non-number is
 * invalid, a number is graded with that score.
 */
const grade = (answer: unknown): AttemptGrade & { message?: string } => {
  if (answer === null || answer === "") return { type: "incomplete", message: "Pick an answer first." };
  if (typeof answer !== "number") return { type: "invalid", message: "That is not a number." };
  return { type: "graded", score: answer };
};

const start = (hints = 2) => initialTransition(attemptMachine, { hints, grade })[0];
type Snapshot = ReturnType<typeof start>;
const send = (s: Snapshot, ...events: AttemptEvent[]): Snapshot => events.reduce((acc, e) => transition(attemptMachine, acc, e)[0], s);

describe("attempt machine", () => {
  it("starts answering with nothing counted", () => {
    const s = start();
    expect(s.value).toBe("answering");
    expect(s.context).toMatchObject({ answer: null, result: null, attempts: 0, firstScore: null, hintsShown: 0, revealed: false, hints: 2 });
    expect(s.hasTag("can-check")).toBe(true);
  });

  it("keeps the learner answering on incomplete and invalid checks, without counting them", () => {
    let s = send(start(), { type: "CHECK" });
    expect(s.value).toBe("answering");
    expect(s.context.result).toEqual({ type: "incomplete", message: "Pick an answer first." });
    expect(s.context.attempts).toBe(0);
    s = send(s, { type: "ANSWER", answer: "ten" });
    expect(s.context.result).toBeNull();
    s = send(s, { type: "CHECK" });
    expect(s.value).toBe("answering");
    expect(s.context.result).toMatchObject({ type: "invalid" });
    expect(s.context.attempts).toBe(0);
    expect(s.context.firstScore).toBeNull();
  });

  it("grades, keeps the first graded score across retries, and counts each graded check", () => {
    let s = send(start(), { type: "ANSWER", answer: 0.4 }, { type: "CHECK" });
    expect(s.value).toBe("checked");
    expect(s.hasTag("has-result")).toBe(true);
    expect(s.context).toMatchObject({ attempts: 1, firstScore: 0.4, result: { type: "graded", score: 0.4 } });
    s = send(s, { type: "RETRY" });
    expect(s.value).toBe("answering");
    expect(s.context.result).toBeNull();
    expect(s.context.answer).toBe(0.4);
    s = send(s, { type: "ANSWER", answer: 1 }, { type: "CHECK" });
    expect(s.context).toMatchObject({ attempts: 2, firstScore: 0.4 });
    // Full marks: nothing to retry.
    expect(transition(attemptMachine, s, { type: "RETRY" })[0].value).toBe("checked");
    const [done] = transition(attemptMachine, s, { type: "NEXT" });
    expect(done.status).toBe("done");
    expect(done.output).toEqual({ score: 0.4, attempts: 2, hintsShown: 0, revealed: false });
  });

  it("an edit after a check clears the shown result and goes back to answering", () => {
    const s = send(start(), { type: "ANSWER", answer: 0.5 }, { type: "CHECK" }, { type: "ANSWER", answer: 0.7 });
    expect(s.value).toBe("answering");
    expect(s.context).toMatchObject({ answer: 0.7, result: null, attempts: 1 });
  });

  it("shows hints one at a time, never more than the variant has", () => {
    let s = send(start(2), { type: "HINT" });
    expect(s.context.hintsShown).toBe(1);
    s = send(s, { type: "HINT" }, { type: "HINT" }, { type: "HINT" });
    expect(s.context.hintsShown).toBe(2);
    expect(send(start(0), { type: "HINT" }).context.hintsShown).toBe(0);
    // A hint after a wrong answer, too.
    s = send(start(3), { type: "ANSWER", answer: 0 }, { type: "CHECK" }, { type: "HINT" });
    expect(s.value).toBe("checked");
    expect(s.context.hintsShown).toBe(1);
  });

  it("after a reveal, refuses to check and ends revealed", () => {
    let s = send(start(), { type: "ANSWER", answer: 0.2 }, { type: "REVEAL" });
    expect(s.value).toBe("revealed");
    expect(s.hasTag("key-shown")).toBe(true);
    expect(s.context.revealed).toBe(true);
    for (const event of [{ type: "CHECK" }, { type: "ANSWER", answer: 1 }, { type: "HINT" }, { type: "RETRY" }] as const) {
      const next = transition(attemptMachine, s, event)[0];
      expect(next.value).toBe("revealed");
      expect(next.context).toEqual(s.context);
    }
    s = send(s, { type: "NEXT" });
    expect(s.output).toEqual({ score: 0, attempts: 0, hintsShown: 0, revealed: true });
  });

  it("reveals after a graded check, keeping that first score for the record", () => {
    const s = send(start(), { type: "ANSWER", answer: 0.6 }, { type: "CHECK" }, { type: "HINT" }, { type: "REVEAL" }, { type: "NEXT" });
    expect(s.output).toEqual({ score: 0.6, attempts: 1, hintsShown: 1, revealed: true });
  });

  it("moves on without an answer as score 0, and ignores everything once done", () => {
    const s = send(start(), { type: "NEXT" });
    expect(s.status).toBe("done");
    expect(s.output).toEqual({ score: 0, attempts: 0, hintsShown: 0, revealed: false });
    expect(transition(attemptMachine, s, { type: "CHECK" })[0]).toBe(s);
  });

  it("clamps a grader's score to 0–1 and reads a missing one as 0", () => {
    const odd = initialTransition(attemptMachine, { hints: 1, grade: (a) => (a === "big" ? { type: "graded", score: 7 } : { type: "graded" }) })[0];
    const big = transition(attemptMachine, transition(attemptMachine, odd, { type: "ANSWER", answer: "big" })[0], { type: "CHECK" })[0];
    expect(big.context.firstScore).toBe(1);
    const none = transition(attemptMachine, transition(attemptMachine, odd, { type: "ANSWER", answer: "x" })[0], { type: "CHECK" })[0];
    expect(none.context.firstScore).toBe(0);
    expect(initialTransition(attemptMachine, { hints: -3, grade })[0].context.hints).toBe(0);
  });
});
