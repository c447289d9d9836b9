/**
 * kube-proxy's iptables mode (v1.31 `syncProxyRules`) for one node of a `ClusterState`, printed as
 * `iptables-save` (IPv4) or `ip6tables-save` (IPv6) would list the node's tables after a full sync.
 */
import type { ClusterState } from "../model";
import type { KubeProxyHostOptions } from "./node-facts";
import { restoreText, saveProxyRules, syncProxyRules } from "./proxier";

export interface IptablesDump {
  readonly family: "IPv4" | "IPv6";
  /** The tables in iptables-save form: filter, nat, mangle (kube-proxy's canary only). */
  readonly text: string;
  /** Every `-A` rule in `text`, the built-in chains' jump rules included. */
  readonly ruleCount: number;
  /** Every chain declared in `text`, built-in chains included. */
  readonly chainCount: number;
}

/**
 * The rules kube-proxy v1.31 in iptables mode writes on `state.nodeName`, for one IP family, on a
 * current Linux node (`--random-fully` and nfacct available, tcp_be_liberal off).
 *
 * @example
 * const dump = kubeProxyIptables(state);
 * dump.text.includes("-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\"") // true
 */
export function kubeProxyIptables(state: ClusterState, family: "IPv4" | "IPv6" = "IPv4"): IptablesDump {
  return kubeProxyIptablesOnHost(state, family, {});
}

/**
 * `kubeProxyIptables` with the host facts kube-proxy probes at run time made explicit.
 *
 * @example
 * kubeProxyIptablesOnHost(state, "IPv4", { randomFully: false }).text.includes("--random-fully") // false
 */
export function kubeProxyIptablesOnHost(state: ClusterState, family: "IPv4" | "IPv6", host: KubeProxyHostOptions): IptablesDump {
  const saved = saveProxyRules(state, family, host);
  return { family, text: saved.text, ruleCount: saved.ruleCount, chainCount: saved.chainCount };
}

/**
 * The exact `iptables-restore` input of one full kube-proxy sync (what its unit tests compare).
 *
 * @example
 * kubeProxyRestoreInput(state, "IPv4").split("\n")[0] // "*filter"
 */
export function kubeProxyRestoreInput(state: ClusterState, family: "IPv4" | "IPv6" = "IPv4", host: KubeProxyHostOptions = {}): string {
  return restoreText(syncProxyRules(state, family, host));
}

export type { KubeProxyHostOptions } from "./node-facts";
export { masqueradeMarkFor } from "./node-facts";
export {
  hash16,
  portProtoHash,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortChainName,
  servicePortEndpointChainName,
  servicePortLocalChainName,
} from "./chain-names";
export { computeProbability, formatGoFixed, formatGoFloat10 } from "./go-float";
export { LARGE_CLUSTER_ENDPOINTS_THRESHOLD, restoreText, syncProxyRules, type RestoreData } from "./proxier";
export { iptablesSave, type SavedTables } from "./save";
