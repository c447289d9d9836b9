/**
 * VPC firewall precedence as Google documents it (cloud.google.com/firewall/docs/firewalls: lower
 * number = higher priority; deny beats allow at equal priority; implied deny ingress / allow egress
 * at 65535; stateful), GKE's LoadBalancer Service rules (concepts/firewall-rules), and rule parsing.
 */
import { describe, expect, it } from "vitest";
import {
  evaluateFirewall, evaluateReply, formatFirewallRule, gkeServiceFirewallRules, GKE_HEALTH_CHECK_RULE_RANGES, KUBE_PROXY_HEALTHZ_PORT,
  DEFAULT_CLUSTER_ID, l4ResourceName, parseFirewallRule, sourceRangesAllow, type FirewallRule,
} from "../../../../src/sim/kube/policy/firewall";
import { findService } from "../../../../src/sim/kube/policy/firewall-trace";
import { firewallWorldYaml, loadFirewallWorld } from "../../../../src/sim/kube/policy/firewall-world";

const rule = (text: string): FirewallRule => {
  const r = parseFirewallRule(text);
  if (typeof r === "string") throw new Error(r);
  return r;
};
const rules = [
  rule("allow-lb-health-checks,1000,allow,130.211.0.0/22+35.191.0.0/16,tcp"),
  rule("allow-web,1000,allow,0.0.0.0/0,tcp:80+tcp:443"),
  rule("deny-bad-net,1000,deny,203.0.113.0/24,all"),
  rule("allow-nodeports,900,allow,198.51.100.0/24,tcp:30000-32767"),
];
const tcp = (peer: string, port: number) => ({ peer, protocol: "tcp" as const, port });

describe("VPC firewall ingress", () => {
  it("ends in the implied deny at 65535 when nothing matches", () => {
    expect(evaluateFirewall(rules, tcp("192.0.2.1", 22))).toMatchObject({ allowed: false, rule: "implied-deny-ingress", priority: 65535 });
  });
  it("lets a deny win over an allow at the same priority, whatever the order they are listed in", () => {
    expect(evaluateFirewall(rules, tcp("203.0.113.9", 443))).toMatchObject({ allowed: false, rule: "deny-bad-net" });
    expect(evaluateFirewall([...rules].reverse(), tcp("203.0.113.9", 443))).toMatchObject({ allowed: false, rule: "deny-bad-net" });
    // The wrong model that lets allow win a tie says otherwise.
    expect(evaluateFirewall(rules, tcp("203.0.113.9", 443), "allow-wins-tie")).toMatchObject({ allowed: true, rule: "allow-web" });
  });
  it("lets a lower priority number win", () => {
    expect(evaluateFirewall([...rules, rule("deny-all-nodeports,950,deny,0.0.0.0/0,tcp:30000-32767")], tcp("198.51.100.7", 31000)))
      .toMatchObject({ allowed: true, rule: "allow-nodeports" });
    expect(evaluateFirewall(rules, tcp("35.191.3.4", 10256))).toMatchObject({ allowed: true, rule: "allow-lb-health-checks" });
    expect(evaluateFirewall(rules, { peer: "35.191.3.4", protocol: "udp", port: 10256 }).allowed).toBe(false);
  });
  it("allows egress by the implied rule and keeps replies of an allowed connection (stateful)", () => {
    const denyOut = [...rules, { ...rule("deny-out,100,deny,0.0.0.0/0,all"), direction: "EGRESS" as const }];
    expect(evaluateFirewall(rules, { peer: "192.0.2.1", protocol: "tcp", port: 443, direction: "EGRESS" })).toMatchObject({ allowed: true, rule: "implied-allow-egress" });
    expect(evaluateFirewall(denyOut, { peer: "192.0.2.1", protocol: "tcp", port: 443, direction: "EGRESS" })).toMatchObject({ allowed: false, rule: "deny-out" });
    // The reply to 192.0.2.1 of a connection allow-web let in leaves despite deny-out.
    expect(evaluateReply(denyOut, tcp("192.0.2.1", 443))).toMatchObject({ allowed: true, rule: "connection-tracking" });
    expect(evaluateReply(denyOut, tcp("192.0.2.1", 22)).allowed).toBe(false);
  });
});

describe("the rules GKE writes for a LoadBalancer Service", () => {
  const load = (o: Parameters<typeof firewallWorldYaml>[0]) => findService(loadFirewallWorld([{ name: "w.yaml", text: firewallWorldYaml(o) }]).state, "shop/web");
  it("opens the Service's ports to loadBalancerSourceRanges, or 0.0.0.0/0 when it is empty", () => {
    const [fw] = gkeServiceFirewallRules(load({ sourceRanges: ["198.51.100.0/24"], trafficPolicy: "Cluster", policy: false }));
    expect(fw).toMatchObject({ priority: 1000, action: "allow", sourceRanges: ["198.51.100.0/24"], allowed: [{ protocol: "tcp", ports: ["443"] }] });
    // A backend-service NLB's name (ingress-gce L4Namer.L4Firewall): k8s2-{cluster}-{ns}-{name}-{8-char hash}.
    expect(fw!.name).toMatch(new RegExp(`^k8s2-${DEFAULT_CLUSTER_ID}-shop-web-[0-9a-f]{8}$`));
    expect(gkeServiceFirewallRules(load({ sourceRanges: [], trafficPolicy: "Cluster", policy: false }))[0]!.sourceRanges).toEqual(["0.0.0.0/0"]);
  });
  it("lets the health checks reach kube-proxy's 10256 under Cluster and the healthCheckNodePort under Local", () => {
    const cluster = gkeServiceFirewallRules(load({ sourceRanges: [], trafficPolicy: "Cluster", policy: false }))[1]!;
    // Cluster: the one rule every such Service shares (ingress-gce's sharedHcSuffix + firewallHcSuffix).
    expect(cluster.name).toBe(`k8s2-${DEFAULT_CLUSTER_ID}-l4-shared-hc-fw`);
    expect(cluster.allowed).toEqual([{ protocol: "tcp", ports: [String(KUBE_PROXY_HEALTHZ_PORT)] }]);
    expect(cluster.sourceRanges).toEqual([...GKE_HEALTH_CHECK_RULE_RANGES]);
    const [allow, local] = gkeServiceFirewallRules(load({ sourceRanges: [], trafficPolicy: "Local", policy: false }));
    // Local: the Service's own health check, named like its other resources, plus "-fw".
    expect(local!.name).toBe(`${allow!.name}-fw`);
    expect(local!.allowed).toEqual([{ protocol: "tcp", ports: ["31844"] }]);
  });
  it("keeps every name a valid 63-character resource name, trimming long namespaces and names evenly", () => {
    const svc = load({ sourceRanges: [], trafficPolicy: "Local", policy: false });
    const long = { ...svc, metadata: { ...svc.metadata, namespace: "n".repeat(40), name: "s".repeat(60) } };
    const name = l4ResourceName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    // 39 characters shared in proportion to the lengths (ingress-gce TrimFieldsEvenly): 16 + 23.
    expect(name).toMatch(new RegExp(`^k8s2-${DEFAULT_CLUSTER_ID}-n{16}-s{23}-[0-9a-f]{8}$`));
    for (const r of gkeServiceFirewallRules(long)) expect(r.name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});

describe("rule text", () => {
  it("round-trips and refuses bad fields with the reason", () => {
    const r = rule("office,900,allow,198.51.100.0/24+203.0.113.0/24,tcp:443+udp:53");
    expect(parseFirewallRule(formatFirewallRule(r))).toEqual(r);
    expect(rule("one,10,deny,192.0.2.1,all").sourceRanges).toEqual(["192.0.2.1/32"]);
    expect(parseFirewallRule("Bad,1,allow,0.0.0.0/0,tcp")).toMatch(/lowercase/);
    expect(parseFirewallRule("a,70000,allow,0.0.0.0/0,tcp")).toMatch(/0 to 65535/);
    expect(parseFirewallRule("a,1,allow,300.0.0.0/8,tcp")).toMatch(/not a CIDR/);
    expect(parseFirewallRule("a,1,allow,0.0.0.0/0,tcp:0")).toMatch(/port/);
    expect(parseFirewallRule("a,1,allow,0.0.0.0/0,gre")).toMatch(/protocol/);
    expect(parseFirewallRule("a,1,allow")).toMatch(/five fields/);
  });
});

describe("loadBalancerSourceRanges", () => {
  it("allows everyone when empty and only the ranges otherwise", () => {
    expect(sourceRangesAllow([], "192.0.2.1")).toBe(true);
    expect(sourceRangesAllow(["198.51.100.0/24"], "198.51.100.200")).toBe(true);
    expect(sourceRangesAllow(["198.51.100.0/24"], "198.51.101.1")).toBe(false);
  });
});
