/**
 * The firewall lab's world for given settings, from the precomputed states (no YAML parser): the
 * Cluster or Local world with the Service's loadBalancerSourceRanges replaced, and the office
 * NetworkPolicy or none. The lab's machine and the questions build their traces from it.
 */
import type { ClusterState } from "../model";
import type { PolicyWorld } from "./evaluate";
import { firewallLabWorlds } from "./firewall-lab-worlds";

export interface FirewallLabWorld {
  readonly state: ClusterState;
  readonly policies: PolicyWorld;
}

const cache = new Map<string, FirewallLabWorld>();

export function firewallLabWorld(trafficPolicy: "Cluster" | "Local", ranges: readonly string[], policy: boolean): FirewallLabWorld {
  const key = `${trafficPolicy}|${ranges.join(",")}|${policy}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const base = firewallLabWorlds[trafficPolicy];
  const world = {
    state: { ...base, services: base.services.map((s) => ({ ...s, loadBalancerSourceRanges: [...ranges] })) },
    policies: policy ? firewallLabWorlds.policies : { ...firewallLabWorlds.policies, policies: [] },
  };
  if (cache.size > 64) cache.clear();
  cache.set(key, world);
  return world;
}
