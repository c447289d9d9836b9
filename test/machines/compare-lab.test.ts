/**
 * The with/without-Cloudflare lab's machine, stepped with the pure `initialTransition` / `transition`:
 * it opens on a comparison computed ahead of time, waits for the simulator when a setting needs one,
 * keeps the last comparison when a value is bad, and says what changed.
 */
import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { compareLabMachine, isStale, settingsKey, visibleRows, type CompareLabInput, type ComputeComparison } from "../../src/machines/compare-lab.machine";
import { compareJourneys, COMPARE_SETTINGS } from "../../src/sim/edge/compare";
import { getScenario, scenarioDefaults } from "../../src/sim/index";

const scenario = getScenario("cloudflare-gke");
const specs = COMPARE_SETTINGS.map((key) => {
  const p = scenario.params.find((s) => s.key === key)!;
  return { key, label: p.label, values: p.values.map((v) => ({ value: v.value, label: v.label })) };
});
const all = scenarioDefaults(scenario);
const defaults = Object.fromEntries(COMPARE_SETTINGS.map((k) => [k, all[k]!]));
const compute: ComputeComparison = (s) => compareJourneys(s);
const onDemand: CompareLabInput = { settings: specs, defaults, known: { [settingsKey(defaults)]: compareJourneys(defaults) } };

describe("compare-lab machine", () => {
  it("opens on the comparison computed ahead of time, without the simulator", () => {
    const [s] = initialTransition(compareLabMachine, onDemand);
    expect(s.context.waiting).toBe(false);
    expect(s.context.comparison?.figures.tlsWith).toBe(2);
    expect(s.context.announcement).toMatch(/rows differ/);
  });

  it("waits for the simulator on a new setting, keeping the last comparison on screen, then computes it", () => {
    let [s] = initialTransition(compareLabMachine, onDemand);
    const before = s.context.comparison;
    [s] = transition(compareLabMachine, s, { type: "SET_SETTING", key: "city", value: "tokyo" });
    expect(s.context.waiting).toBe(true);
    expect(s.context.comparison).toBe(before);
    expect(isStale(s.context)).toBe(true);
    [s] = transition(compareLabMachine, s, { type: "SIMULATOR_LOADED", compute });
    expect(s.context.waiting).toBe(false);
    expect(isStale(s.context)).toBe(false);
    expect(s.context.comparison?.params.city).toBe("tokyo");
    // Back to the defaults: found among the known comparisons.
    [s] = transition(compareLabMachine, s, { type: "RESET" });
    expect(s.context.comparison).toBe(before);
  });

  it("a value a setting does not offer gets a message at that setting; the last comparison stays", () => {
    let [s] = initialTransition(compareLabMachine, { ...onDemand, compute });
    const before = s.context.comparison;
    [s] = transition(compareLabMachine, s, { type: "SET_SETTING", key: "region", value: "mars-north1" });
    expect(s.context.errors.region).toMatch(/mars-north1/);
    expect(s.context.comparison).toBe(before);
    [s] = transition(compareLabMachine, s, { type: "SET_SETTING", key: "region", value: "europe-west1" });
    expect(s.context.errors).toEqual({});
    expect(s.context.comparison?.params.region).toBe("europe-west1");
  });

  it("a failed load is said, and the next change asks again", () => {
    let [s] = initialTransition(compareLabMachine, onDemand);
    [s] = transition(compareLabMachine, s, { type: "SET_SETTING", key: "connections", value: "cold" });
    [s] = transition(compareLabMachine, s, { type: "SIMULATOR_FAILED", error: new Error("offline") });
    expect(s.context.waiting).toBe(false);
    expect(s.context.errors.simulator).toMatch(/offline/);
    [s] = transition(compareLabMachine, s, { type: "SET_SETTING", key: "city", value: "paris" });
    expect(s.context.waiting).toBe(true);
  });

  it("can show only the rows that differ, and announces a lock-down that breaks the DNS-only site", () => {
    let [s] = initialTransition(compareLabMachine, { ...onDemand, compute });
    const every = visibleRows(s.context).length;
    [s] = transition(compareLabMachine, s, { type: "TOGGLE_DIFFERENCES" });
    expect(visibleRows(s.context).length).toBeLessThan(every);
    expect(visibleRows(s.context).every((r) => r.differs)).toBe(true);
    [s] = transition(compareLabMachine, s, { type: "SET_SETTING", key: "origin-protection", value: "mtls" });
    expect(s.context.announcement).toMatch(/lock-down refuses browsers/);
  });
});
