/**
 * One external packet through kube-proxy's iptables rules on one node: the rules kube-proxy writes
 * (iptables/proxier.ts, as iptables-save prints them after the kernel's normalisation) walked by the
 * netfilter model. The same steps `kubeProxyWalk` (proxy.ts) takes in iptables mode, without pulling
 * the manifest loader, IPVS and eBPF into the firewall lab's bundle.
 */
import type { ClusterState } from "../model";
import { nodeHost } from "../node-host";
import { kubeProxyIptables } from "../iptables/index";
import { asKernelSaves } from "../iptables/kernel-form";
import { compileHost } from "../../netfilter/host";
import { parseIptablesSave } from "../../netfilter/parse";
import type { Ruleset } from "../../netfilter/ruleset";
import { walkPacket, type Walk } from "../../netfilter/walk";

const parsed = new WeakMap<ClusterState, { ruleset: Ruleset; text: string }>();

/** The node's IPv4 rules as iptables-save prints them, parsed once per state. */
export function nodeRules(state: ClusterState): { ruleset: Ruleset; text: string } {
  let hit = parsed.get(state);
  if (!hit) {
    const text = asKernelSaves(kubeProxyIptables(state, "IPv4").text, "IPv4");
    parsed.set(state, (hit = { ruleset: parseIptablesSave(text), text }));
  }
  return hit;
}

/** The walk of `src:srcPort → dst:dstPort` arriving at `state.nodeName` from outside. */
export function externalWalk(state: ClusterState, packet: { protocol: "tcp" | "udp" | "sctp"; src: string; srcPort: number; dst: string; dstPort: number }, seed: number): Walk {
  const host = nodeHost(state, state.nodeName);
  const model = compileHost({
    localAddresses: [...host.localAddresses],
    interfaces: host.interfaces.map((i) => ({ name: i.name, addresses: [...i.addresses] })),
    routes: host.routes.map((r) => ({ ...r })),
  });
  return walkPacket(nodeRules(state).ruleset, packet, model, { seed });
}
