import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { clusterDnsMachine, type ClusterDnsEvent } from "../../src/machines/cluster-dns.machine";

const start = () => initialTransition(clusterDnsMachine, {})[0];
type Snap = ReturnType<typeof start>;
const send = (s: Snap, ...events: ClusterDnsEvent[]) => events.reduce((acc, e) => transition(clusterDnsMachine, acc, e)[0], s);

describe("cluster DNS resolver stepper", () => {
  it("starts on www.example.com from shop: first query shown, seven names in all", () => {
    const s = start();
    expect(s.context.shown).toBe(1);
    expect(s.context.lookup.resolution.steps[0]!.name).toBe("www.example.com.shop.svc.cluster.local.");
    expect(s.context.lookup.resolution.steps).toHaveLength(7);
  });
  it("steps forward to the answer and no further; back stops at the first query", () => {
    let s = send(start(), ...Array<ClusterDnsEvent>(10).fill({ type: "STEP_FORWARD" }));
    expect(s.context.shown).toBe(7);
    expect(s.context.lookup.resolution.steps[6]!.result).toBe("answer");
    s = send(s, ...Array<ClusterDnsEvent>(10).fill({ type: "STEP_BACK" }));
    expect(s.context.shown).toBe(1);
  });
  it("a bad name gets its own error and the last good resolution stays", () => {
    const s = send(start(), { type: "CHANGE", field: "name", text: "a..b" });
    expect(s.context.errors.name).toMatch(/Empty label/);
    expect(s.context.lookup.resolution.name).toBe("www.example.com");
    const fixed = send(s, { type: "CHANGE", field: "name", text: "web" });
    expect(fixed.context.errors).toEqual({});
    expect(fixed.context.lookup.resolution.queries).toEqual(["web.shop.svc.cluster.local."]);
  });
  it("ndots override and a bad ndots", () => {
    const s = send(start(), { type: "CHANGE", field: "ndots", text: "2" });
    expect(s.context.lookup.resolution.steps[0]!.name).toBe("www.example.com.");
    expect(send(s, { type: "CHANGE", field: "ndots", text: "99" }).context.errors.ndots).toMatch(/0 to 15/);
  });
  it("namespace, policy, server and hostNetwork change the resolv.conf", () => {
    expect(send(start(), { type: "SET_NAMESPACE", namespace: "default" }).context.lookup.conf.search[0]).toBe("default.svc.cluster.local");
    const def = send(start(), { type: "SET_POLICY", dnsPolicy: "Default" }, { type: "CHANGE", field: "name", text: "web.shop.svc.cluster.local" });
    expect(def.context.lookup.server).toBe("node");
    expect(def.context.lookup.resolution.outcome.found).toBe(false);
    expect(send(start(), { type: "SET_NAMESERVER", nameserver: "node-local-link-local" }).context.lookup.conf.nameservers).toEqual(["169.254.20.10"]);
    expect(send(start(), { type: "SET_HOST_NETWORK", hostNetwork: true }).context.lookup.conf.effectivePolicy).toBe("Default");
    const none = send(start(), { type: "SET_POLICY", dnsPolicy: "None" });
    expect(none.context.lookup.conf.options).toEqual(["ndots:2"]);
  });
  it("ignores unknown values and loads URL state", () => {
    expect(send(start(), { type: "SET_NAMESPACE", namespace: "nope" }).context.namespace).toBe("shop");
    const s = send(start(), { type: "LOAD", state: { namespace: "default", nameText: "kubernetes", dnsPolicy: "Bogus" as never } });
    expect(s.context.namespace).toBe("default");
    expect(s.context.dnsPolicy).toBe("ClusterFirst");
    expect(s.context.lookup.resolution.outcome.addresses).toEqual(["10.96.0.1"]);
  });
  it("says what a link carried that it could not use, and keeps working", () => {
    const s = send(start(), { type: "LOAD", state: { namespace: "<b>x</b>", nameText: "a..b", ndotsText: "99" } });
    expect(s.context.linkProblems).toHaveLength(3);
    expect(s.context.namespace).toBe("shop");
    expect(send(s, { type: "STEP_FORWARD" }).context.shown).toBe(2);
  });
});
