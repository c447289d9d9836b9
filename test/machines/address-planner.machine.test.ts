import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { addressPlannerMachine, type PlannerField } from "../../src/machines/address-planner.machine";

const start = (preset?: string) => initialTransition(addressPlannerMachine, { preset })[0];
const change = (s: ReturnType<typeof start>, field: PlannerField, text: string) => transition(addressPlannerMachine, s, { type: "CHANGE", field, text })[0];

describe("address planner machine", () => {
  it("starts on GKE's defaults: /24 per node, 1,024 nodes from a /14", () => {
    const s = start();
    expect(s.context.errors).toEqual({});
    expect(s.context.plan).toMatchObject({ perNodeRange: "/24", maxNodes: 1024, limitedBy: "pod-range", refused: false });
  });

  it("max Pods 32 moves the per-node range to /26 and the subnet becomes the limit", () => {
    const s = start("small-subnet");
    expect(s.context.plan).toMatchObject({ perNodeRange: "/26", nodesBySubnet: 252, maxNodes: 252, limitedBy: "node-range" });
  });

  it("puts a refusal at the field to change, and a malformed value at its own field", () => {
    let s = start("overlap");
    expect(s.context.errors.serviceRange).toMatch(/overlaps the Pod range/);
    expect(s.context.plan?.refused).toBe(true);
    s = change(s, "serviceRange", "10.8.0.0/20");
    expect(s.context.errors).toEqual({});
    s = change(s, "nodeRange", "10.128.0/20");
    expect(Object.keys(s.context.errors)).toEqual(["nodeRange"]);
    expect(s.context.plan?.maxNodes).toBe(1024);
    s = change(s, "maxPods", "300");
    expect(s.context.errors.maxPods).toMatch(/8 to 256/);
    expect(s.context.plan).toBeNull();
  });

  it("a Pod range too small for one node is refused at the Pod range", () => {
    expect(start("too-small").context.errors.podRange).toMatch(/too few for even one node/);
  });

  it("LOAD opens a preset or given texts", () => {
    const s = transition(addressPlannerMachine, start(), { type: "LOAD", texts: { maxPods: "8" } })[0];
    expect(s.context.plan?.perNodeRange).toBe("/28");
  });
});

describe("address planner machine: links", () => {
  it("an unknown preset is reported; a later edit clears the message", () => {
    let s = transition(addressPlannerMachine, start(), { type: "LOAD", preset: "constructor" })[0];
    expect(s.context.linkError).toMatch(/preset this lab does not have/);
    expect(s.context.plan?.maxNodes).toBe(1024);
    s = change(s, "maxPods", "64");
    expect(s.context.linkError).toBeNull();
  });
});

describe("address planner machine: keys it does not read", () => {
  it("says a link's step was ignored", () => {
    const s = transition(addressPlannerMachine, start(), { type: "LOAD", ignored: ["step"] })[0];
    expect(s.context.linkError).toBe("This lab has no step setting; the link's value for it was ignored.");
  });
});
