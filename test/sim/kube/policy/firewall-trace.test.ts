/**
 * The layered trace of an external client's packet to a GKE LoadBalancer Service: where it is
 * dropped and by which rule, checked against documented behaviour, plus properties (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFirewallRule, type FirewallRule } from "../../../../src/sim/kube/policy/firewall";
import { firewallTrace, type FirewallQuery } from "../../../../src/sim/kube/policy/firewall-trace";
import { firewallWorldYaml, loadFirewallWorld, type FirewallWorldOptions } from "../../../../src/sim/kube/policy/firewall-world";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 60);
const worlds = new Map<string, ReturnType<typeof loadFirewallWorld>>();
function world(o: FirewallWorldOptions) {
  const key = JSON.stringify(o);
  if (!worlds.has(key)) worlds.set(key, loadFirewallWorld([{ name: "w.yaml", text: firewallWorldYaml(o) }]));
  return worlds.get(key)!;
}
const rule = (text: string): FirewallRule => {
  const r = parseFirewallRule(text);
  if (typeof r === "string") throw new Error(r);
  return r;
};
function trace(o: FirewallWorldOptions, q: Partial<FirewallQuery> & { client: string }, model: Parameters<typeof firewallTrace>[1] = null) {
  const w = world(o);
  return firewallTrace({ state: w.state, policies: w.policies, service: "shop/web", ...q }, model);
}
const office = { sourceRanges: ["198.51.100.0/24"], trafficPolicy: "Cluster", policy: false } as const;

describe("loadBalancerSourceRanges on GKE", () => {
  it("drops a client outside the ranges at the VPC firewall, before kube-proxy ever sees it", () => {
    const t = trace(office, { client: "192.0.2.50" });
    expect(t.droppedAt).toEqual({ layer: "vpc-firewall", rule: "implied-deny-ingress" });
    expect(t.layers.find((l) => l.layer === "kube-proxy")!.verdict).toBe("not-reached");
  });
  it("drops it in kube-proxy's KUBE-PROXY-FIREWALL when a user rule opens the VPC firewall wider", () => {
    const t = trace(office, { client: "192.0.2.50", userRules: [rule("open-web,900,allow,0.0.0.0/0,tcp:443")] });
    expect(t.droppedAt).toEqual({ layer: "kube-proxy", rule: "KUBE-PROXY-FIREWALL" });
    const kp = t.layers.find((l) => l.layer === "kube-proxy")!;
    expect(kp.ruleText).toMatch(/^-A KUBE-PROXY-FIREWALL -d 203\.0\.113\.10\/32 .*traffic not accepted by KUBE-FW-[A-Z0-9]{16}.*-j DROP$/);
  });
  it("lets everyone in when the ranges are empty (GKE's rule is 0.0.0.0/0, kube-proxy writes no KUBE-FW chain)", () => {
    const t = trace({ ...office, sourceRanges: [] }, { client: "192.0.2.50" });
    expect(t.delivered).toBe(true);
    expect(t.rules[0]!.sourceRanges).toEqual(["0.0.0.0/0"]);
    expect(t.layers.find((l) => l.layer === "kube-proxy")!.detail).not.toContain("KUBE-FW-");
  });
  it("has the wrong model that trusts kube-proxy alone drop the same client one layer later", () => {
    expect(trace(office, { client: "192.0.2.50" }, "source-ranges-kube-proxy-only").droppedAt).toEqual({ layer: "kube-proxy", rule: "KUBE-PROXY-FIREWALL" });
  });
  it("lets a higher-priority user deny beat GKE's allow, and a deny at GKE's own priority 1000 too", () => {
    expect(trace(office, { client: "198.51.100.7", userRules: [rule("block-one,900,deny,198.51.100.7/32,all")] }).droppedAt).toEqual({ layer: "vpc-firewall", rule: "block-one" });
    expect(trace(office, { client: "198.51.100.7", userRules: [rule("block-tie,1000,deny,198.51.100.0/24,tcp:443")] }).droppedAt).toEqual({ layer: "vpc-firewall", rule: "block-tie" });
    expect(trace(office, { client: "198.51.100.7", userRules: [rule("late-block,1001,deny,198.51.100.0/24,all")] }).delivered).toBe(true);
  });
});

describe("externalTrafficPolicy and NetworkPolicy ipBlock", () => {
  const guarded = { ...office, policy: true };
  it("Cluster masquerades the client to the node, so an ipBlock on the client's range stops matching", () => {
    for (const node of ["node-a", "node-b"]) {
      const t = trace(guarded, { client: "198.51.100.7", node });
      expect(t.droppedAt).toEqual({ layer: "network-policy", rule: "shop/web-from-office" });
      expect(t.sourceSeenByPod).toBe(node === "node-a" ? "10.0.1.11" : "10.0.1.12");
    }
    // The wrong model that has the Pod see the client lets it through.
    expect(trace(guarded, { client: "198.51.100.7" }, "ipblock-sees-client").delivered).toBe(true);
  });
  it("Local keeps the client's address, and only the node with the Pod passes the health check", () => {
    const t = trace({ ...guarded, trafficPolicy: "Local" }, { client: "198.51.100.7" });
    expect(t.delivered).toBe(true);
    expect(t.sourceSeenByPod).toBe("198.51.100.7");
    expect(t.health.filter((h) => h.healthy).map((h) => h.node)).toEqual(["node-b"]);
    expect(() => trace({ ...guarded, trafficPolicy: "Local" }, { client: "198.51.100.7", node: "node-a" })).toThrow(/never sends/);
  });
});

describe("health checks", () => {
  const managed = { ...office, trafficPolicy: "Local" } as const;
  it("with GKE's rules turned off and no health-check rule, every node is unhealthy and the LB fails OPEN to all nodes", () => {
    const open = [rule("web-in,1000,allow,198.51.100.0/24,tcp:443")];
    const t = trace(managed, { client: "198.51.100.7", gkeRules: false, userRules: open, node: "node-a" });
    expect(t.health.every((h) => !h.healthy && !h.probesAdmitted)).toBe(true);
    // node-a has no local endpoint: under Local kube-proxy drops it there.
    expect(t.droppedAt?.layer).toBe("kube-proxy");
    expect(trace(managed, { client: "198.51.100.7", gkeRules: false, userRules: open, node: "node-b" }).delivered).toBe(true);
    // The wrong model has the LB drop everything instead.
    expect(trace(managed, { client: "198.51.100.7", gkeRules: false, userRules: open }, "unhealthy-drops-all").droppedAt?.layer).toBe("load-balancer");
  });
  it("a rule from the probe ranges to the healthCheckNodePort makes only the node with a local endpoint healthy again", () => {
    const t = trace(managed, { client: "198.51.100.7", gkeRules: false, userRules: [rule("web-in,1000,allow,198.51.100.0/24,tcp:443"), rule("hc,1000,allow,35.191.0.0/16+209.85.152.0/22+209.85.204.0/22,tcp:31844")] });
    expect(t.health.map((h) => [h.node, h.healthy])).toEqual([["node-a", false], ["node-b", true]]);
    expect(t.delivered).toBe(true);
  });
  it("a health-check rule on the Service's port instead does not help", () => {
    const t = trace(managed, { client: "198.51.100.7", gkeRules: false, userRules: [rule("web-in,1000,allow,198.51.100.0/24,tcp:443"), rule("hc,1000,allow,35.191.0.0/16+209.85.152.0/22+209.85.204.0/22,tcp:443")] });
    expect(t.health.some((h) => h.healthy)).toBe(false);
  });
});

const octet = fc.integer({ min: 0, max: 255 });
const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
const arbRule = fc.record({
  name: fc.constantFrom("r-a", "r-b", "r-c", "r-d"),
  priority: fc.constantFrom(500, 900, 1000, 1001),
  action: fc.constantFrom("allow" as const, "deny" as const),
  prefix: fc.constantFrom(0, 8, 16, 24),
  base: ip,
  port: fc.constantFrom("443", "10256", "31844", "1-65535"),
}).map((r): FirewallRule => rule(`${r.name},${r.priority},${r.action},${r.base}/${r.prefix},tcp:${r.port}`));
const clients = fc.constantFrom("198.51.100.7", "192.0.2.50", "203.0.113.99", "35.191.0.8");
const options = fc.record({ sourceRanges: fc.constantFrom([], ["198.51.100.0/24"]), trafficPolicy: fc.constantFrom("Cluster" as const, "Local" as const), policy: fc.boolean() });

describe("properties", () => {
  it("adding an allow rule never turns a delivered flow into a drop, unless it decides the health checks", () => {
    fc.assert(fc.property(options, clients, fc.array(arbRule, { maxLength: 3 }), arbRule, fc.nat(50), (o, client, rules, extra0, seed) => {
      const extra = { ...extra0, action: "allow" as const, name: "added" };
      const before = trace(o, { client, userRules: rules, seed });
      // With no healthy node the LB fails open to all; an added allow that heals some of them moves traffic (the exception).
      if (!before.delivered || !before.health.some((h) => h.healthy)) return;
      const after = trace(o, { client, userRules: [...rules, extra], seed, node: before.node });
      expect(after.delivered).toBe(true);
    }), { numRuns: RUNS });
  });
  it("a deny rule of strictly higher priority than every allow matching the client drops it at the VPC firewall", () => {
    fc.assert(fc.property(options, clients, fc.array(arbRule, { maxLength: 3 }), (o, client, rules) => {
      const t = trace(o, { client, userRules: [...rules, rule(`wall,0,deny,${client}/32,tcp:443`)] });
      expect(t.droppedAt).toEqual({ layer: "vpc-firewall", rule: "wall" });
    }), { numRuns: RUNS });
  });
  it("the verdict never depends on the order rules are listed in", () => {
    fc.assert(fc.property(options, clients, fc.array(arbRule, { maxLength: 4 }), (o, client, rules) => {
      const a = trace(o, { client, userRules: rules });
      const b = trace(o, { client, userRules: [...rules].reverse() });
      expect(b.droppedAt?.layer).toEqual(a.droppedAt?.layer);
      expect(b.delivered).toBe(a.delivered);
    }), { numRuns: RUNS });
  });
  it("is deterministic: the same query and seed give the same trace", () => {
    fc.assert(fc.property(options, clients, fc.array(arbRule, { maxLength: 3 }), fc.nat(1000), (o, client, rules, seed) => {
      expect(trace(o, { client, userRules: rules, seed })).toEqual(trace(o, { client, userRules: rules, seed }));
    }), { numRuns: Math.min(RUNS, 30) });
  });
});
