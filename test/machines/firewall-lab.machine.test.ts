import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { firewallLabMachine, type FirewallLabEvent } from "../../src/machines/firewall-lab.machine";
import { externalWalk } from "../../src/sim/kube/policy/firewall-walk";

const link = (p: Partial<Extract<FirewallLabEvent, { type: "LOAD_STATE" }>>): FirewallLabEvent =>
  ({ type: "LOAD_STATE", client: null, ranges: null, etp: null, policy: null, gke: null, rules: null, step: null, ...p });
const run = (...events: FirewallLabEvent[]) => {
  let [snapshot] = initialTransition(firewallLabMachine, { walk: externalWalk });
  for (const e of events) [snapshot] = transition(firewallLabMachine, snapshot, e);
  return snapshot.context;
};

describe("firewall lab machine", () => {
  it("starts with a client outside the source ranges, dropped at the VPC firewall", () => {
    const ctx = run();
    expect(ctx.result.droppedAt).toEqual({ layer: "vpc-firewall", rule: "implied-deny-ingress" });
    expect(ctx.step).toBe(2);
    expect(ctx.announcement).toMatch(/Dropped at vpc-firewall/);
  });
  it("moves the drop to kube-proxy when the learner adds a wider allow rule", () => {
    const ctx = run({ type: "ADD_RULE" });
    expect(ctx.rules).toHaveLength(1);
    expect(ctx.result.droppedAt).toEqual({ layer: "kube-proxy", rule: "KUBE-PROXY-FIREWALL" });
  });
  it("shows the ipBlock trap for an office client under Cluster, and delivery under Local", () => {
    const cluster = run({ type: "SET_CLIENT", text: "198.51.100.7" });
    expect(cluster.result.droppedAt?.layer).toBe("network-policy");
    const local = run({ type: "SET_CLIENT", text: "198.51.100.7" }, { type: "SET_TRAFFIC_POLICY", value: "Local" });
    expect(local.result.delivered).toBe(true);
    expect(local.result.sourceSeenByPod).toBe("198.51.100.7");
  });
  it("keeps a bad client, range or rule at its field while the trace stays on the last good values", () => {
    const ctx = run({ type: "SET_CLIENT", text: "198.51.100" }, { type: "SET_RANGES", text: "10.0.0.0/33" }, { type: "ADD_RULE" }, { type: "EDIT_RULE", index: 0, text: "oops" });
    expect(ctx.errors.client).toMatch(/IPv4 address/);
    expect(ctx.errors.ranges).toMatch(/not an IPv4 CIDR/);
    expect(ctx.rules[0]!.error).toMatch(/five fields/);
    expect(ctx.result.droppedAt?.layer).toBe("kube-proxy");
    const fixed = run({ type: "SET_CLIENT", text: "198.51.100" }, { type: "SET_CLIENT", text: "192.0.2.50" });
    expect(fixed.errors.client).toBeUndefined();
  });
  it("empties the source ranges: GKE's rule opens to 0.0.0.0/0", () => {
    const ctx = run({ type: "SET_RANGES", text: "" }, { type: "SET_POLICY", on: false });
    expect(ctx.result.delivered).toBe(true);
  });
  it("steps back and forward within the layers reached", () => {
    const ctx = run({ type: "STEP_BACK" }, { type: "STEP_BACK" });
    expect(ctx.step).toBe(1);
    expect(run({ type: "STEP_FORWARD" }).step).toBe(2);
  });
  it("reads a link, and names every value it could not use", () => {
    const ctx = run(link({ client: "198.51.100.7", etp: "Local", gke: "off", rules: "web,1000,allow,198.51.100.0/24,tcp:443 hc,1000,allow,35.191.0.0/16+209.85.152.0/22+209.85.204.0/22,tcp:31844", step: "3" }));
    expect(ctx.errors.link).toBeUndefined();
    expect(ctx.rules).toHaveLength(2);
    expect(ctx.result.delivered).toBe(true);
    expect(ctx.step).toBe(3);
    const bad = run(link({ etp: "Sideways", policy: "maybe", step: "99", ranges: "nope" }));
    expect(bad.errors.link).toMatch(/etp .*policy .*ranges|ranges .*etp .*policy/);
    expect(bad.errors.link).toContain("step");
  });
  it("without the walker, waits for it once a trace gets past the VPC firewall, then applies the link's step", () => {
    let [s] = initialTransition(firewallLabMachine, {});
    expect(s.context.pending).toBe(false);
    expect(s.context.result.droppedAt?.layer).toBe("vpc-firewall");
    [s] = transition(firewallLabMachine, s, link({ client: "198.51.100.7", etp: "Local", step: "4" }));
    expect(s.context.pending).toBe(true);
    expect(s.context.errors).toEqual({});
    [s] = transition(firewallLabMachine, s, { type: "WALKER_READY", walk: externalWalk });
    expect(s.context.pending).toBe(false);
    expect(s.context.result.delivered).toBe(true);
    expect(s.context.step).toBe(4);
    [s] = transition(firewallLabMachine, s, { type: "WALKER_FAILED", message: "offline" });
    expect(s.context.errors.link).toMatch(/offline/);
  });
});
