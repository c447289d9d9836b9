import { assign, createActor, initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { hopAnswerMachine } from "../../src/machines/hop-answer.machine";

const start = () => initialTransition(hopAnswerMachine, {})[0];
const send = (s: ReturnType<typeof start>, ...events: Parameters<typeof transition<typeof hopAnswerMachine>>[2][]) =>
  events.reduce((acc, e) => transition(hopAnswerMachine, acc, e)[0], s);

describe("hop answer machine", () => {
  it("adds each device once, in order", () => {
    const s = send(start(), { type: "ADD_HOP", device: "a" }, { type: "ADD_HOP", device: "b" }, { type: "ADD_HOP", device: "a" });
    expect(s.context.hops.map((h) => h.device)).toEqual(["a", "b"]);
    expect(s.context.focus).toBe(1);
  });

  it("moves, marks and removes, keeping focus on the moved item", () => {
    let s = send(start(), { type: "ADD_HOP", device: "a" }, { type: "ADD_HOP", device: "b" }, { type: "ADD_HOP", device: "c" });
    s = send(s, { type: "MOVE_UP", position: 2 });
    expect(s.context.hops.map((h) => h.device)).toEqual(["a", "c", "b"]);
    expect(s.context.focus).toBe(1);
    s = send(s, { type: "MOVE_UP", position: 0 }, { type: "MOVE_DOWN", position: 2 });
    expect(s.context.hops.map((h) => h.device)).toEqual(["a", "c", "b"]);
    s = send(s, { type: "TOGGLE_MARK", position: 1, mark: "tls" }, { type: "TOGGLE_MARK", position: 0, mark: "anycast" });
    expect(s.context.hops.map((h) => [h.tls, h.anycast])).toEqual([[false, true], [true, false], [false, false]]);
    s = send(s, { type: "REMOVE_HOP", position: 2 });
    expect(s.context.hops).toHaveLength(2);
    expect(s.context.focus).toBe(1);
  });

  it("grades with the provided action and clears the result on any edit", () => {
    const machine = hopAnswerMachine.provide({
      actions: { grade: assign({ result: ({ context }) => ({ count: context.hops.length }) }) },
    });
    const actor = createActor(machine, { input: {} }).start();
    actor.send({ type: "ADD_HOP", device: "a" });
    actor.send({ type: "SUBMIT" });
    expect(actor.getSnapshot().hasTag("has-result")).toBe(true);
    expect(actor.getSnapshot().context.result).toEqual({ count: 1 });
    actor.send({ type: "ADD_HOP", device: "b" });
    expect(actor.getSnapshot().value).toBe("editing");
    expect(actor.getSnapshot().context.result).toBeNull();
    actor.send({ type: "SUBMIT" });
    actor.send({ type: "CLEAR" });
    expect(actor.getSnapshot().context.hops).toEqual([]);
    actor.stop();
  });
});
