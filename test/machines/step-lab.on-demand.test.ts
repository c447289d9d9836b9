import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { stepLabOnDemand, type ComputeTrace, type StepLabEvent } from "../../src/machines/step-lab.machine";
import { encodeLabInput } from "../../src/sim/core/permalink";
import { fixtureTrace, PRESETS } from "./step-lab.fixture";

/**
 * A lab that opens on traces computed at build time (`known`) and gets its implementation only when
 * an input has no known trace: the input waits, the component loads the simulator and sends it in.
 */
const KNOWN = { default: fixtureTrace(PRESETS.default, 0), hairpin: fixtureTrace(PRESETS.hairpin, 0) };
const compute: ComputeTrace = (_id, input, seed) => fixtureTrace(input, seed);
const start = () => initialTransition(stepLabOnDemand, { scenarioId: "clusterip", presets: PRESETS, known: KNOWN })[0];
const run = (s: ReturnType<typeof start>, ...events: StepLabEvent[]) => {
  for (const event of events) [s] = transition(stepLabOnDemand, s, event);
  return s;
};
const LOADED: StepLabEvent = { type: "SIMULATOR_LOADED", compute };

describe("step lab on demand", () => {
  it("opens on the known trace and switches between known presets without an implementation", () => {
    let s = start();
    expect(s.context).toMatchObject({ trace: KNOWN.default, waiting: false, errors: {}, stepId: "client" });
    s = run(s, { type: "JUMP_TO_STEP", stepId: "netfilter-request" }, { type: "SET_INPUT", preset: "hairpin" });
    expect(s.context).toMatchObject({ trace: KNOWN.hairpin, preset: "hairpin", waiting: false, stepId: "netfilter-request" });
    s = run(s, { type: "RESET" });
    expect(s.context).toMatchObject({ trace: KNOWN.default, preset: "default", waiting: false });
  });

  it("makes an input without a known trace wait, keeping the trace on screen, then computes it", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "server" }, { type: "SET_SEED", seed: 3 });
    expect(s.context).toMatchObject({ waiting: true, trace: KNOWN.default, stepId: "server", errors: {} });
    // The cursor still moves over the trace on screen while it waits.
    s = run(s, { type: "STEP_BACK" });
    expect(s.context.stepId).toBe("route");
    s = run(s, LOADED);
    expect(s.context).toMatchObject({ waiting: false, seed: 3, stepId: "route", errors: {} });
    expect(s.context.trace!.seed).toBe(3);
    // From then on it computes at once.
    s = run(s, { type: "SET_SEED", seed: 4 });
    expect(s.context).toMatchObject({ waiting: false });
    expect(s.context.trace!.seed).toBe(4);
  });

  it("waits for the simulator when a link names a seed other than 0, then shows that seed's trace", () => {
    let s = run(start(), { type: "LOAD_STATE", preset: "hairpin", seed: "31", stepId: "server" });
    expect(s.context).toMatchObject({ waiting: true, trace: KNOWN.default, seed: 31 });
    s = run(s, LOADED);
    expect(s.context).toMatchObject({ waiting: false, preset: "hairpin", stepId: "server", errors: {} });
    expect(s.context.trace!.seed).toBe(31);
    // Seed 0 named explicitly is the known trace: nothing to compute.
    s = run(start(), { type: "LOAD_STATE", preset: "hairpin", seed: "0" });
    expect(s.context).toMatchObject({ waiting: false, trace: KNOWN.hairpin, errors: {} });
  });

  it("applies a known preset chosen while waiting, and only keeps an implementation that arrives late", () => {
    let s = run(start(), { type: "SET_SEED", seed: 2 }, { type: "SET_SEED", seed: 0 }, { type: "SET_INPUT", preset: "hairpin" });
    expect(s.context).toMatchObject({ waiting: false, trace: KNOWN.hairpin });
    s = run(s, LOADED);
    expect(s.context.trace).toBe(KNOWN.hairpin);
    expect(s.context.compute).toBe(compute);
  });

  it("opens a permalink's own input once the simulator is in, and checks its step then", () => {
    let s = run(start(), { type: "LOAD_STATE", input: encodeLabInput({ client: "hairpin" }), stepId: "bridge", sub: 0 });
    expect(s.context).toMatchObject({ waiting: true, preset: null, errors: {} });
    s = run(s, LOADED);
    expect(s.context).toMatchObject({ waiting: false, stepId: "bridge", sub: null, errors: {} });
    expect(s.context.trace!.input).toEqual({ client: "hairpin" });

    s = run(start(), { type: "LOAD_STATE", input: encodeLabInput({ client: "hairpin" }), stepId: "nowhere" });
    expect(s.context.errors).toEqual({});
    s = run(s, LOADED);
    expect(s.context.errors.link).toMatch(/step "nowhere"/);
    expect(s.context.stepId).toBe("client");
  });

  it("checks a permalink's step at once when its preset is known", () => {
    const s = run(start(), { type: "LOAD_STATE", preset: "hairpin", stepId: "nowhere" });
    expect(s.context).toMatchObject({ waiting: false, trace: KNOWN.hairpin });
    expect(s.context.errors.link).toMatch(/step "nowhere"/);
  });

  it("files a failed load under the waiting input, and asks again on the next change", () => {
    let s = run(start(), { type: "SET_SEED", seed: 5 }, { type: "SIMULATOR_FAILED", error: new Error("network down") });
    expect(s.context).toMatchObject({ waiting: false, trace: KNOWN.default });
    expect(s.context.errors.seed).toMatch(/could not be loaded \(network down\)/);
    s = run(s, { type: "SET_SEED", seed: 6 });
    expect(s.context.waiting).toBe(true);
    s = run(s, LOADED);
    expect(s.context.errors).toEqual({});
    expect(s.context.trace!.seed).toBe(6);
    // A link's input that could not be computed keeps the lab's settings and says why.
    s = run(start(), { type: "LOAD_STATE", input: encodeLabInput({ client: "hairpin" }) }, { type: "SIMULATOR_FAILED", error: new Error("offline") });
    expect(s.context).toMatchObject({ waiting: false, preset: "default", input: PRESETS.default });
    expect(s.context.errors.link).toMatch(/could not be used .*offline.*kept its settings/);
  });

  it("ignores a failed head start when nothing waits", () => {
    const s = run(start(), { type: "SIMULATOR_FAILED", error: new Error("offline") });
    expect(s.context).toMatchObject({ waiting: false, errors: {}, trace: KNOWN.default });
  });
});
