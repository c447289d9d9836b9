/** VPC firewall precedence as Google documents it, and loadBalancerSourceRanges. */
import { describe, expect, it } from "vitest";
import { evaluateFirewall, sourceRangesAllow, type FirewallRule } from "../../../../src/sim/kube/policy/firewall";

const rules: FirewallRule[] = [
  { name: "allow-lb-health-checks", priority: 1000, action: "allow", sourceRanges: ["130.211.0.0/22", "35.191.0.0/16"], allowed: [{ protocol: "TCP", ports: [] }] },
  { name: "allow-web", priority: 1000, action: "allow", sourceRanges: ["0.0.0.0/0"], allowed: [{ protocol: "TCP", ports: ["80", "443"] }] },
  { name: "deny-bad-net", priority: 1000, action: "deny", sourceRanges: ["203.0.113.0/24"], allowed: [{ protocol: "all", ports: [] }] },
  { name: "allow-nodeports", priority: 900, action: "allow", sourceRanges: ["198.51.100.0/24"], allowed: [{ protocol: "TCP", ports: ["30000-32767"] }] },
];

describe("VPC firewall ingress", () => {
  it("ends in the implied deny when nothing matches", () => {
    expect(evaluateFirewall(rules, "192.0.2.1", 22, "TCP")).toEqual({ allowed: false, rule: "implied-deny-ingress", priority: 65535 });
  });
  it("lets a deny win over an allow at the same priority", () => {
    expect(evaluateFirewall(rules, "203.0.113.9", 443, "TCP")).toMatchObject({ allowed: false, rule: "deny-bad-net" });
  });
  it("lets a lower priority number win", () => {
    expect(evaluateFirewall([...rules, { name: "deny-all-nodeports", priority: 950, action: "deny", sourceRanges: ["0.0.0.0/0"], allowed: [{ protocol: "TCP", ports: ["30000-32767"] }] }], "198.51.100.7", 31000, "TCP"))
      .toMatchObject({ allowed: true, rule: "allow-nodeports" });
    expect(evaluateFirewall(rules, "35.191.3.4", 10256, "TCP")).toMatchObject({ allowed: true, rule: "allow-lb-health-checks" });
    expect(evaluateFirewall(rules, "35.191.3.4", 10256, "UDP").allowed).toBe(false);
  });
});

describe("loadBalancerSourceRanges", () => {
  it("allows everyone when empty and only the ranges otherwise", () => {
    expect(sourceRangesAllow([], "192.0.2.1")).toBe(true);
    expect(sourceRangesAllow(["198.51.100.0/24"], "198.51.100.200")).toBe(true);
    expect(sourceRangesAllow(["198.51.100.0/24"], "192.0.2.1")).toBe(false);
  });
});
