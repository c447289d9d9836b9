import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { maglevLabLinkParams, readMaglevLabLink } from "../../src/machines/maglev-lab-link";
import { maglevLabMachine, maglevLabView, type MaglevLabEvent, type MaglevLabLinkState } from "../../src/machines/maglev-lab.machine";
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

describe("Maglev lab: the new GFE's name", () => {
  it("an empty name adds nothing and is not an error; emptying the field takes a message back", () => {
    const s = send(start(), { type: "ADD_GFE" });
    expect(s.context.errors).toEqual({});
    expect(s.context.gfes).toHaveLength(4);
    const refused = send(start(), { type: "SET_NAME", text: "Bad Name" }, { type: "ADD_GFE" });
    expect(refused.context.errors.name).toMatch(/lower-case/);
    expect(send(refused, { type: "SET_NAME", text: "" }).context.errors).toEqual({});
  });
});

describe("Maglev lab permalinks (LOAD_STATE)", () => {
  const linkParams = (c: Snap["context"]) => maglevLabLinkParams(c, maglevLabView(c).story.steps[c.storyStep]!.id);
  const load = (link: MaglevLabLinkState, s = start()) => send(s, { type: "LOAD_STATE", link, read: readMaglevLabLink });

  it("opens on a link's size, GFE set, comparison, flow and story step (by id or number)", () => {
    const s = load({ size: "31", gfes: "gfe-1,gfe-2,gfe-3,gfe-4,gfe-5", removed: "gfe-2", before: "gfe-1,gfe-2,gfe-3,gfe-4", flow: "15", step: "takeover" });
    const v = maglevLabView(s.context);
    expect(s.context.errors).toEqual({});
    expect(v).toMatchObject({ size: 31, live: ["gfe-1", "gfe-3", "gfe-4", "gfe-5"], previous: ["gfe-1", "gfe-2", "gfe-3", "gfe-4"], changed: true });
    expect(s.context.storyFlow).toBe(14);
    expect(v.story.steps[s.context.storyStep]!.id).toBe("takeover");
    expect(s.context.announcement).toMatch(/^Opened from a link/);
    expect(load({ step: "3" }).context.storyStep).toBe(2);
  });

  it("writes the state it shows, and that link reopens it (RESET's start left out)", () => {
    const changed = send(start(), { type: "SET_SIZE", text: "17" }, { type: "SET_NAME", text: "gfe-9" }, { type: "ADD_GFE" }, { type: "TOGGLE_GFE", name: "gfe-3" }, { type: "SELECT_FLOW", index: 20 }, { type: "STORY_NEXT" }, { type: "STORY_NEXT" });
    const { params, defaults, step } = linkParams(changed.context);
    const link = Object.fromEntries(Object.entries(params).filter(([k, v]) => defaults[k] !== v));
    expect(Object.keys(link).sort()).toEqual(["before", "flow", "gfes", "removed", "size"]);
    const reopened = load({ ...link, step: typeof step === "string" ? step : null });
    const a = maglevLabView(changed.context);
    const b = maglevLabView(reopened.context);
    expect(b.slots).toEqual(a.slots);
    expect(b.measured).toEqual(a.measured);
    expect(reopened.context.storyStep).toBe(changed.context.storyStep);
    expect(linkParams(start().context).params).toEqual(linkParams(start().context).defaults);
  });

  it("explains each bad value at its control and still applies the good ones", () => {
    const s = load({ size: "15", gfes: "gfe-1,GFE 2", flow: "99", step: "nowhere", seed: "-3" });
    expect(s.context.errors.size).toMatch(/15 is not prime \(3 × 5\)/);
    expect(s.context.sizeText).toBe("15");
    expect(s.context.size).toBe(13);
    expect(s.context.errors.gfes).toMatch(/"GFE 2" is not a GFE name/);
    expect(maglevLabView(s.context).live).toEqual(["gfe-1", "gfe-2", "gfe-3", "gfe-4"]);
    expect(s.context.errors.flow).toMatch(/"99" is not one of F1 to F40/);
    expect(s.context.errors.step).toMatch(/"nowhere" is not one of steps 1 to \d/);
    expect(s.context.announcement).toMatch(/could not be used/);
    const good = load({ size: "banana", removed: "gfe-4" });
    expect(good.context.errors.size).toMatch(/whole number/);
    expect(maglevLabView(good.context).live).toEqual(["gfe-1", "gfe-2", "gfe-3"]);
    // Each message goes when its control is used.
    const fixed = send(s, { type: "SET_SIZE", text: "17" }, { type: "TOGGLE_GFE", name: "gfe-1" }, { type: "SELECT_FLOW", index: 2 }, { type: "STORY_NEXT" });
    expect(fixed.context.errors).toEqual({});
    // A reader that could not be fetched leaves the lab as it was, and says so.
    const failed = send(start(), { type: "LINK_FAILED" });
    expect(maglevLabView(failed.context).live).toEqual(["gfe-1", "gfe-2", "gfe-3", "gfe-4"]);
    expect(failed.context.announcement).toMatch(/could not be opened/);
  });

  it("refuses GFE sets the lab cannot show: unknown names, all removed, too many, repeats", () => {
    expect(load({ removed: "gfe-9" }).context.errors.gfes).toMatch(/"gfe-9" is not in its list/);
    expect(load({ removed: "gfe-1,gfe-2,gfe-3,gfe-4" }).context.errors.gfes).toMatch(/every GFE is out of service/);
    expect(load({ gfes: Array.from({ length: 9 }, (_, i) => `g${i}`).join(",") }).context.errors.gfes).toMatch(/up to 8/);
    expect(load({ gfes: "a,a" }).context.errors.gfes).toMatch(/listed twice/);
  });

  it("never throws, whatever a link holds", () => {
    fc.assert(
      fc.property(fc.record({ size: fc.option(fc.string()), gfes: fc.option(fc.string()), removed: fc.option(fc.string()), before: fc.option(fc.string()), flow: fc.option(fc.string()), step: fc.option(fc.string()), seed: fc.option(fc.string()) }), (link) => {
        const s = load(link);
        const v = maglevLabView(s.context);
        return v.live.length >= 1 && v.size >= v.live.length;
      }),
      { numRuns: Number(process.env.EDGE_PROPERTY_RUNS ?? 200) },
    );
  });
});
