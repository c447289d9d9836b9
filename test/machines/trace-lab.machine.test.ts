import { createActor, initialTransition, SimulatedClock, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { currentHop, traceLabMachine } from "../../src/machines/trace-lab.machine";

const start = (input: Parameters<typeof initialTransition<typeof traceLabMachine>>[1]) =>
  initialTransition(traceLabMachine, input)[0];

describe("trace lab machine", () => {
  it("opens paused on the first hop of the whole journey", () => {
    const s = start({ scenarioId: "cloudflare-gke" });
    expect(s.value).toBe("paused");
    expect(s.context.position).toBe(0);
    expect(s.context.visible).toHaveLength(s.context.trace.hops.length);
    expect(currentHop(s.context)!.hop.device.id).toBe("browser");
  });

  it("steps forward and back within bounds", () => {
    let s = start({ scenarioId: "cloudflare-gke" });
    [s] = transition(traceLabMachine, s, { type: "STEP_BACK" });
    expect(s.context.position).toBe(0);
    for (let i = 0; i < 100; i++) [s] = transition(traceLabMachine, s, { type: "STEP_FORWARD" });
    expect(s.context.position).toBe(s.context.visible.length - 1);
    expect(currentHop(s.context)!.hop.device.id).toBe("browser");
    expect(currentHop(s.context)!.hop.direction).toBe("response");
    [s] = transition(traceLabMachine, s, { type: "STEP_BACK" });
    expect(s.context.position).toBe(s.context.visible.length - 2);
    [s] = transition(traceLabMachine, s, { type: "RESET" });
    expect(s.context.position).toBe(0);
  });

  it("jumps to a leg and to a hop", () => {
    let s = start({ scenarioId: "cloudflare-gke" });
    [s] = transition(traceLabMachine, s, { type: "JUMP_TO_LEG", leg: 3 });
    expect(currentHop(s.context)!.hop.device.id).toBe("google-router");
    [s] = transition(traceLabMachine, s, { type: "JUMP_TO_HOP", hop: 10 });
    expect(currentHop(s.context)!.hop.device.id).toBe("pod");
    [s] = transition(traceLabMachine, s, { type: "JUMP_TO_HOP", hop: 999 });
    expect(currentHop(s.context)!.index).toBe(10);
  });

  it("shows only its legs", () => {
    const s = start({ scenarioId: "cloudflare-gke", legs: [3] });
    expect(s.context.visible.map((i) => s.context.trace.hops[i]!.device.id)).toEqual(["google-router", "maglev", "gfe"]);
  });

  it("recomputes the trace when a parameter changes, keeping the cursor in range", () => {
    let s = start({ scenarioId: "cloudflare-gke", step: 12 });
    // Without a Cache Rule the page is DYNAMIC: a cache "hit" setting (an old permalink's) changes nothing.
    [s] = transition(traceLabMachine, s, { type: "SET_PARAM", key: "cache", value: "hit" });
    expect(s.context.params.cache).toBe("hit");
    expect(s.context.trace.hops).toHaveLength(20);
    [s] = transition(traceLabMachine, s, { type: "SET_PARAM", key: "cache-rule", value: "cache-everything" });
    expect(s.context.trace.hops).toHaveLength(7);
    expect(s.context.position).toBe(6);
    expect(s.context.error).toBeNull();
  });

  it("refuses a bad parameter, says why, and keeps the last good trace", () => {
    let s = start({ scenarioId: "cloudflare-gke" });
    const before = s.context.trace;
    [s] = transition(traceLabMachine, s, { type: "SET_PARAM", key: "city", value: "lyon" });
    expect(s.context.trace).toBe(before);
    expect(s.context.error).toEqual({ key: "city", message: expect.stringContaining("city must be one of") });
    [s] = transition(traceLabMachine, s, { type: "SET_PARAM", key: "city", value: "tokyo" });
    expect(s.context.error).toBeNull();
  });

  it("falls back to defaults for a broken permalink and says so", () => {
    const s = start({ scenarioId: "cloudflare-gke", params: { city: "atlantis" }, step: -4 });
    expect(s.context.params.city).toBe("paris");
    expect(s.context.error?.key).toBe("link");
    expect(s.context.position).toBe(0);
  });

  it("loads a permalink's state in one step, or explains why not", () => {
    let s = start({ scenarioId: "cloudflare-gke" });
    [s] = transition(traceLabMachine, s, { type: "LOAD_STATE", params: { city: "tokyo", cloudflare: "off" }, step: 4 });
    expect(s.context.params).toMatchObject({ city: "tokyo", cloudflare: "off" });
    expect(currentHop(s.context)!.hop.device.id).toBe("gfe");
    [s] = transition(traceLabMachine, s, { type: "LOAD_STATE", params: { city: "mars" }, step: 99 });
    expect(s.context.params.city).toBe("tokyo");
    expect(s.context.error).toEqual({ key: "link", message: expect.stringContaining("city must be one of") });
    expect(s.context.position).toBe(s.context.visible.length - 1);
  });

  it("has nothing to show for a leg the parameters remove", () => {
    const s = start({ scenarioId: "cloudflare-gke", legs: [2], params: { cloudflare: "off" } });
    expect(s.context.visible).toHaveLength(0);
    expect(currentHop(s.context)).toBeNull();
  });

  it("plays one hop per tick and stops at the end", () => {
    const clock = new SimulatedClock();
    const actor = createActor(traceLabMachine, { input: { scenarioId: "cloudflare-gke", legs: [1], tickMs: 500 }, clock }).start();
    actor.send({ type: "PLAY" });
    expect(actor.getSnapshot().hasTag("playing")).toBe(true);
    clock.increment(500);
    expect(actor.getSnapshot().context.position).toBe(1);
    clock.increment(500);
    expect(actor.getSnapshot().context.position).toBe(2);
    clock.increment(500);
    expect(actor.getSnapshot().context.position).toBe(3);
    clock.increment(500);
    expect(actor.getSnapshot().value).toBe("paused");
    actor.send({ type: "PLAY" });
    expect(actor.getSnapshot().context.position).toBe(0);
    actor.send({ type: "TOGGLE_PLAY" });
    expect(actor.getSnapshot().value).toBe("paused");
    actor.stop();
  });

  it("pauses when the learner steps by hand", () => {
    let s = start({ scenarioId: "cloudflare-gke" });
    [s] = transition(traceLabMachine, s, { type: "PLAY" });
    expect(s.value).toBe("playing");
    [s] = transition(traceLabMachine, s, { type: "STEP_FORWARD" });
    expect(s.value).toBe("paused");
    expect(s.context.position).toBe(1);
  });
});
