/**
 * For `npm run bench`: the firewall lab's work per edit — a full five-layer trace (health checks,
 * VPC firewall, kube-proxy's rules generated, parsed and walked, externalTrafficPolicy, NetworkPolicy).
 * Each iteration takes fresh source ranges, so kube-proxy's rules are regenerated as they are after a
 * learner edits the field.
 */
import { parseFirewallRule, type FirewallRule } from "./firewall";
import { firewallLabWorlds } from "./firewall-lab-worlds";
import { firewallTrace } from "./firewall-trace";

/** Runs `rounds` × 2 traces over Cluster/Local × two clients × sometimes an opened firewall; returns the layers decided. */
export function benchFirewall(rounds = 40): number {
  const open = parseFirewallRule("open-web,900,allow,0.0.0.0/0,tcp:443") as FirewallRule;
  let layers = 0;
  for (let i = 0; i < rounds; i++) {
    const tp = i % 2 === 0 ? "Cluster" : "Local";
    const base = firewallLabWorlds[tp];
    // A new state object each round: no cached rules, as after an edit of the source ranges.
    const state = { ...base, services: base.services.map((s) => ({ ...s, loadBalancerSourceRanges: [`198.51.${100 + (i % 50)}.0/24`] })) };
    for (const client of ["198.51.100.7", "192.0.2.50"]) {
      const t = firewallTrace({ state, policies: firewallLabWorlds.policies, service: "shop/web", client, userRules: i % 3 === 0 ? [open] : [], seed: i });
      layers += t.layers.filter((l) => l.verdict !== "not-reached").length;
    }
  }
  return layers;
}
