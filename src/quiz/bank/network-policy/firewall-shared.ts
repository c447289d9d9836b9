/**
 * What the firewall questions share: the firewall lab's world (shop/web behind a GKE LoadBalancer
 * Service), the trace under a set of settings, and the link that opens the lab on them.
 */
import { formatFirewallRule, parseFirewallRule, type FirewallRule } from "../../../sim/kube/policy/firewall";
import { firewallLabWorld } from "../../../sim/kube/policy/firewall-lab";
import { firewallTrace, type FirewallTraceResult, type FirewallWrongModel } from "../../../sim/kube/policy/firewall-trace";
import type { Exhibit, LabLink } from "../../engine/types";
import { LESSON } from "./shared";

export interface FirewallSettings {
  readonly client: string;
  readonly ranges: readonly string[];
  readonly trafficPolicy: "Cluster" | "Local";
  readonly policy: boolean;
  readonly gkeRules: boolean;
  readonly userRules: readonly FirewallRule[];
}

export function traceOf(s: FirewallSettings, model: FirewallWrongModel | null = null): FirewallTraceResult {
  const world = firewallLabWorld(s.trafficPolicy, s.ranges, s.policy);
  return firewallTrace({ state: world.state, policies: world.policies, service: "shop/web", client: s.client, userRules: s.userRules, gkeRules: s.gkeRules }, model);
}

export function settingsExhibit(s: FirewallSettings): Exhibit {
  return {
    kind: "settings",
    chips: [
      { key: "service", label: "Service", value: "shop/web, type LoadBalancer, 203.0.113.10:443 → targetPort 8443; one Pod, on node-b" },
      { key: "ranges", label: "loadBalancerSourceRanges", value: s.ranges.length ? s.ranges.join(", ") : "(not set)" },
      { key: "etp", label: "externalTrafficPolicy", value: s.trafficPolicy },
      { key: "policy", label: "NetworkPolicy", value: s.policy ? "web-from-office: ingress from ipBlock 198.51.100.0/24 on TCP 8443" : "none" },
      { key: "gke", label: "GKE's Service firewall rules", value: s.gkeRules ? "created (priority 1000)" : "turned off (user-managed)" },
      { key: "rules", label: "Your VPC firewall rules", value: s.userRules.length ? s.userRules.map(formatFirewallRule).join("  ") : "none" },
    ],
  };
}

export function firewallLab(s: FirewallSettings): LabLink {
  return {
    page: `/lessons/${LESSON}/`,
    lab: "firewall",
    query: {
      "firewall.client": s.client,
      "firewall.ranges": s.ranges.join(","),
      "firewall.etp": s.trafficPolicy,
      "firewall.policy": s.policy ? "on" : "off",
      "firewall.gke": s.gkeRules ? "on" : "off",
      ...(s.userRules.length ? { "firewall.rules": s.userRules.map(formatFirewallRule).join(" ") } : {}),
    },
  };
}

export const rule = (text: string): FirewallRule => {
  const r = parseFirewallRule(text);
  if (typeof r === "string") throw new Error(`${text}: ${r}`);
  return r;
};
