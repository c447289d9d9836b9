/**
 * The firewall trace with kube-proxy's layer wired in: firewall-layers.ts's layered model plus the
 * walk through kube-proxy's rules (firewall-walk.ts). The CLI, the tests and the questions use this;
 * the lab uses firewall-layers.ts directly and loads the walker on demand.
 */
import { externalWalk } from "./firewall-walk";
import { traceFirewallLayers, type FirewallQuery, type FirewallTraceResult, type FirewallWrongModel } from "./firewall-layers";

export * from "./firewall-layers";

/**
 * An external client's packet to a GKE LoadBalancer Service, layer by layer.
 * @example
 * firewallTrace({ state, policies, service: "shop/web", client: "192.0.2.50" }).droppedAt // { layer: "vpc-firewall", rule: "implied-deny-ingress" }
 */
export function firewallTrace(q: FirewallQuery, model: FirewallWrongModel | null = null): FirewallTraceResult {
  return traceFirewallLayers({ ...q, walk: q.walk ?? externalWalk }, model);
}
