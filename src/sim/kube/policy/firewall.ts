/**
 * The layer under NetworkPolicy on GKE: VPC firewall rules for traffic entering a node VM, and a
 * LoadBalancer Service's `loadBalancerSourceRanges`. A separate, small model.
 *
 * VPC firewall (cloud.google.com/firewall/docs/firewalls): each rule has a priority 0–65535 (lower
 * number wins), a direction, allow or deny, sources (ranges / tags) and protocols+ports. The highest-
 * priority matching rule decides; at equal priority a deny beats an allow. Every VPC ends in an implied
 * deny-ingress and an implied allow-egress rule at priority 65535, which cannot be removed. Rules are
 * stateful: replies of an allowed connection pass. Left out: target tags and service accounts
 * (every rule here applies to the node), egress rules, hierarchical firewall policies.
 */
import type { Protocol } from "../model";
import { cidrContains, parseCidr, parseIp } from "../manifest/ip";

export interface FirewallRule {
  readonly name: string;
  readonly priority: number;
  readonly action: "allow" | "deny";
  readonly sourceRanges: readonly string[];
  /** Protocol → ports ("80", "8000-8100"); an empty list means every port of the protocol. */
  readonly allowed: readonly { readonly protocol: Protocol | "all"; readonly ports: readonly string[] }[];
}

export interface FirewallVerdict {
  readonly allowed: boolean;
  /** The deciding rule's name, or "implied-deny-ingress". */
  readonly rule: string;
  readonly priority: number;
}

function portIn(spec: string, port: number): boolean {
  const [lo, hi] = spec.split("-").map(Number) as [number, number | undefined];
  return port >= lo && port <= (hi ?? lo);
}

function ruleMatches(rule: FirewallRule, source: string, port: number, protocol: Protocol): boolean {
  const ip = parseIp(source);
  if (ip === null) return false;
  const inRange = rule.sourceRanges.some((r) => { const b = parseCidr(r); return b !== null && cidrContains(b, ip); });
  return inRange && rule.allowed.some((a) => (a.protocol === "all" || a.protocol === protocol) && (a.ports.length === 0 || a.ports.some((p) => portIn(p, port))));
}

/** Ingress to a node VM: the highest-priority matching rule, deny first at a tie, else the implied deny. */
export function evaluateFirewall(rules: readonly FirewallRule[], source: string, port: number, protocol: Protocol): FirewallVerdict {
  const matching = rules.filter((r) => ruleMatches(r, source, port, protocol))
    .sort((a, b) => a.priority - b.priority || (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1));
  const best = matching[0];
  if (best === undefined) return { allowed: false, rule: "implied-deny-ingress", priority: 65535 };
  return { allowed: best.action === "allow", rule: best.name, priority: best.priority };
}

/**
 * A LoadBalancer Service's loadBalancerSourceRanges: empty lets every client in; otherwise only the
 * listed ranges. On GKE the ranges become the source ranges of the firewall rule the Service
 * controller creates for the load balancer, and kube-proxy also drops other sources itself.
 */
export function sourceRangesAllow(ranges: readonly string[], client: string): boolean {
  if (ranges.length === 0) return true;
  const ip = parseIp(client);
  return ip !== null && ranges.some((r) => { const b = parseCidr(r); return b !== null && cidrContains(b, ip); });
}
