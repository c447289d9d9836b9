import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { maglevLabMachine, maglevLabView, type MaglevLabEvent } from "../../src/machines/maglev-lab.machine";
import { maglevTable } from "../../src/sim/edge/maglev";

const start = (input = {}) => initialTransition(maglevLabMachine, input)[0];
type Snap = ReturnType<typeof start>;
const send = (s: Snap, ...events: MaglevLabEvent[]) => events.reduce((acc, e) => transition(maglevLabMachine, acc, e)[0], s);

describe("Maglev lab machine", () => {
  it("opens on a 13-slot table over four GFEs, balanced, with nothing moved", () => {
    const s = start();
    const v = maglevLabView(s.context);
    expect(v.size).toBe(13);
    expect(v.live).toEqual(["gfe-1", "gfe-2", "gfe-3", "gfe-4"]);
    expect(v.slots.map((x) => x.owner)).toEqual(maglevTable(v.live, 13).entries.map((i) => v.live[i]));
    expect(v.shares.map((x) => x.slots).sort()).toEqual([3, 3, 3, 4]);
    expect(v.changed).toBe(false);
    expect(v.movedSlots).toBe(0);
    expect(v.flows).toHaveLength(12);
    expect(v.story.survived).toBe(true);
  });

  it("removing a GFE moves its slots (and maybe a few more) and announces the comparison", () => {
    const s = send(start(), { type: "TOGGLE_GFE", name: "gfe-2" });
    const v = maglevLabView(s.context);
    expect(v.live).toEqual(["gfe-1", "gfe-3", "gfe-4"]);
    expect(v.previous).toEqual(["gfe-1", "gfe-2", "gfe-3", "gfe-4"]);
    expect(v.slots.filter((x) => x.was === "gfe-2")).toHaveLength(maglevTable(v.previous, 13).slotCounts[1]!);
    expect(v.slots.every((x) => x.owner !== "gfe-2")).toBe(true);
    expect(s.context.announcement).toMatch(/^gfe-2 removed\. \d+ of 13 slots changed GFE\./);
    const [maglev, modulo, rendezvous] = v.measured;
    expect(rendezvous!.needless).toBe(0);
    expect(modulo!.movedShare).toBeGreaterThan(maglev!.movedShare);
    for (const f of v.flows) if (f.schemes.maglev.before === "gfe-2") expect(f.schemes.maglev.moved).toBe(true);
  });

  it("never removes the last GFE", () => {
    let s = send(start({ gfes: ["a", "b"] }), { type: "TOGGLE_GFE", name: "a" });
    s = send(s, { type: "TOGGLE_GFE", name: "b" });
    expect(maglevLabView(s.context).live).toEqual(["b"]);
  });

  it("restoring a GFE gives back the very same table", () => {
    const s0 = start();
    const s = send(s0, { type: "TOGGLE_GFE", name: "gfe-3" }, { type: "TOGGLE_GFE", name: "gfe-3" });
    expect(maglevLabView(s.context).slots.map((x) => x.owner)).toEqual(maglevLabView(s0.context).slots.map((x) => x.owner));
    expect(s.context.announcement).toMatch(/^gfe-3 restored/);
  });

  it("adds a GFE by name, refusing bad or duplicate names at the field", () => {
    let s = send(start(), { type: "SET_NAME", text: "gfe-1" }, { type: "ADD_GFE" });
    expect(s.context.errors.name).toMatch(/already in the list/);
    s = send(s, { type: "SET_NAME", text: "GFE 5" }, { type: "ADD_GFE" });
    expect(s.context.errors.name).toMatch(/lower-case/);
    s = send(s, { type: "SET_NAME", text: "gfe-5" }, { type: "ADD_GFE" });
    expect(s.context.errors.name).toBeUndefined();
    const v = maglevLabView(s.context);
    expect(v.live).toContain("gfe-5");
    expect(v.shares.find((x) => x.name === "gfe-5")!.before).toBeNull();
    for (const f of v.flows) if (f.schemes.rendezvous.moved) expect(f.schemes.rendezvous.after).toBe("gfe-5");
  });

  it("keeps the last good size while a bad one shows its reason", () => {
    let s = send(start(), { type: "SET_SIZE", text: "15" });
    expect(s.context.errors.size).toBe("15 is not prime (3 × 5): with a composite size some backends' permutations would skip slots.");
    expect(maglevLabView(s.context).size).toBe(13);
    s = send(s, { type: "SET_SIZE", text: "3" });
    expect(s.context.errors.size).toMatch(/cannot hold 4 GFEs/);
    s = send(s, { type: "SET_SIZE", text: "abc" });
    expect(s.context.errors.size).toMatch(/whole number/);
    s = send(s, { type: "SET_SIZE", text: "101" });
    expect(s.context.errors.size).toMatch(/up to 97/);
    s = send(s, { type: "SET_SIZE", text: "31" });
    expect(s.context.errors.size).toBeUndefined();
    expect(maglevLabView(s.context).slots).toHaveLength(31);
    expect(s.context.announcement).toMatch(/^Table of 31 slots/);
  });

  it("steps through the ECMP + conntrack story and follows the chosen flow", () => {
    let s = send(start(), { type: "SELECT_FLOW", index: 4 });
    const steps = maglevLabView(s.context).story.steps;
    expect(steps.map((x) => x.id)).toEqual(["syn-router", "syn-maglev", "data-maglev", "drain", "takeover", "outcome"]);
    s = send(s, { type: "STORY_NEXT" }, { type: "STORY_NEXT" });
    expect(s.context.storyStep).toBe(2);
    expect(s.context.announcement).toMatch(/^Step 3 of 6: A later packet/);
    s = send(s, ...Array.from({ length: 10 }, () => ({ type: "STORY_NEXT" }) as const));
    expect(s.context.storyStep).toBe(5);
    s = send(s, { type: "STORY_PREV" });
    expect(s.context.storyStep).toBe(4);
    s = send(s, { type: "STORY_FIRST" });
    expect(s.context.storyStep).toBe(0);
    s = send(s, { type: "TOGGLE_GFE", name: "gfe-1" });
    expect(maglevLabView(s.context).story.steps.map((x) => x.id)).toContain("gfe-change");
  });

  it("resets to the starting set and size", () => {
    const s = send(start(), { type: "TOGGLE_GFE", name: "gfe-1" }, { type: "SET_SIZE", text: "31" }, { type: "RESET" });
    expect(maglevLabView(s.context)).toMatchObject({ size: 13, live: ["gfe-1", "gfe-2", "gfe-3", "gfe-4"], changed: false });
  });
});
