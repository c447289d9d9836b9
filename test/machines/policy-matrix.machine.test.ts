import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { encodeLabInput } from "../../src/sim/core/permalink";
import { policyMatrixMachine, type PolicyMatrixEvent } from "../../src/machines/policy-matrix.machine";
import { parsePolicies } from "../../src/sim/kube/policy/parse";

const run = (...events: PolicyMatrixEvent[]) => {
  let [snapshot] = initialTransition(policyMatrixMachine, { preset: "default-deny" });
  for (const e of events) {
    [snapshot] = transition(policyMatrixMachine, snapshot, e);
    // What the island does while the machine waits: parse the text with the on-demand reader.
    const waiting = snapshot.context.parsing;
    if (waiting !== null) [snapshot] = transition(policyMatrixMachine, snapshot, { type: "PARSED", text: waiting, result: parsePolicies(waiting) });
  }
  return snapshot.context;
};
const cell = (ctx: ReturnType<typeof run>, from: string, to: string) => ctx.matrix.cells[ctx.matrix.pods.indexOf(from)]![ctx.matrix.pods.indexOf(to)]!;

describe("policy matrix machine", () => {
  it("starts on default deny: shop Pods refuse ingress, others accept", () => {
    const ctx = run();
    expect(cell(ctx, "shop/frontend", "shop/backend").allowed).toBe(false);
    expect(cell(ctx, "shop/frontend", "monitoring/grafana").allowed).toBe(true);
    expect(ctx.announcement).toMatch(/pairs allowed on 8080\/TCP/);
  });
  it("opens a cell's trace: dropped at the destination's ingress by the default-deny policy", () => {
    const ctx = run({ type: "SELECT_CELL", from: "shop/frontend", to: "shop/backend" });
    expect(ctx.trace?.outcome).toMatchObject({ status: "DROP", at: "ingress" });
    expect(ctx.trace?.outcome.summary).toContain("shop/default-deny-ingress");
    expect(ctx.announcement).toContain("shop/frontend to shop/backend");
  });
  it("switches presets and keeps a port error at its field while the matrix stays", () => {
    const ctx = run({ type: "PRESET", id: "dns-blocked" }, { type: "CHANGE_PORT", text: "99999" });
    expect(ctx.errors.port).toMatch(/between 1 and 65535/);
    expect(ctx.matrix.port).toBe(53);
    expect(cell(ctx, "shop/frontend", "kube-system/kube-dns").allowed).toBe(false);
    const fixed = run({ type: "PRESET", id: "dns-allowed" });
    expect(cell(fixed, "shop/frontend", "kube-system/kube-dns").allowed).toBe(true);
  });
  it("reports pasted YAML problems at their lines and keeps the last good matrix", () => {
    const ctx = run({ type: "EDIT_POLICIES", text: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: x, namespace: shop }\nspec:\n  podSelector: {}\n  policyTypes: [Sideways]\n" });
    expect(ctx.errors.policies?.[0]).toMatchObject({ line: 6, path: "spec.policyTypes[0]" });
    expect(cell(ctx, "shop/frontend", "shop/backend").allowed).toBe(false);
    const cleared = run({ type: "EDIT_POLICIES", text: "" });
    expect(cleared.errors.policies).toBeUndefined();
    expect(cell(cleared, "shop/frontend", "shop/backend").allowed).toBe(true);
  });
  it("loads a link's preset and cell, and says so when the link is wrong", () => {
    const ctx = run({ type: "LOAD_STATE", preset: "and-or-trap", from: "monitoring/grafana", to: "shop/db" });
    expect(ctx.presetId).toBe("and-or-trap");
    expect(ctx.trace?.outcome.status).toBe("delivered");
    expect(run({ type: "LOAD_STATE", preset: "nope", from: null, to: null }).errors.link).toMatch(/nope/);
  });
  it("drops a parse of text the learner has since changed", () => {
    let [snapshot] = initialTransition(policyMatrixMachine, { preset: "default-deny" });
    [snapshot] = transition(policyMatrixMachine, snapshot, { type: "EDIT_POLICIES", text: "" });
    [snapshot] = transition(policyMatrixMachine, snapshot, { type: "EDIT_POLICIES", text: "kind: [" });
    [snapshot] = transition(policyMatrixMachine, snapshot, { type: "PARSED", text: "", result: parsePolicies("") });
    expect(snapshot.context.parsing).toBe("kind: [");
    expect(snapshot.context.matrix.cells.flat().some((v) => !v.allowed)).toBe(true);
  });
  it("opens pasted policies, a port and a cell from a link", () => {
    const policies = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: only-udp, namespace: shop }\nspec:\n  podSelector: {}\n  ingress: [{ ports: [{ protocol: UDP }] }]\n";
    const ctx = run({ type: "LOAD_STATE", preset: null, input: encodeLabInput({ policies }), port: "9000", protocol: "udp", from: "shop/frontend", to: "shop/db" });
    expect(ctx.presetId).toBe("custom");
    expect(ctx.matrix).toMatchObject({ port: 9000, protocol: "UDP" });
    expect(ctx.trace?.outcome.status).toBe("delivered");
    expect(run({ type: "LOAD_STATE", preset: null, input: "1.garbage", from: null, to: null }).errors.link).toMatch(/could not be read/);
  });
});
