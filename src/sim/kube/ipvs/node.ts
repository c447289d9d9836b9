import type { ClusterState } from "../model";
import { ipvsadmLn } from "./ipvsadm";
import { kubeProxyIpvs, type KubeProxyIpvsResult } from "./proxier";
import { addressOfFamily, servicePorts } from "./service-ports";

/** What a node in IPVS mode holds once both of kube-proxy's proxiers have synced. */
export interface IpvsNodeTables {
  readonly ipv4: KubeProxyIpvsResult;
  /** The IPv6 proxier's tables; null on a node the model treats as IPv4-only (see `hasIpv6`). */
  readonly ipv6: KubeProxyIpvsResult | null;
  /** `ipvsadm -Ln` of the one IPVS table both proxiers write to: IPv4 services first (af 2 < 10). */
  readonly ipvsadmLn: string;
  /** `ipset save` of both proxiers' sets, the IPv4 proxier's first. */
  readonly ipsetSave: string;
  /** kube-ipvs0's addresses, IPv4 then IPv6. */
  readonly dummyInterfaceAddresses: readonly string[];
}

/**
 * Whether the model runs the IPv6 proxier: the node has an IPv6 address or some Service has an
 * IPv6 cluster IP. (kube-proxy 1.31 starts both proxiers whenever the host has iptables and
 * ip6tables, so a real IPv4-only cluster also gets empty KUBE-6-* sets and a handful of ip6tables
 * rules; the model leaves those out, so an IPv4 cluster's output stays what the IPv4 proxier writes.)
 */
export function hasIpv6(state: ClusterState): boolean {
  const node = state.nodes.find((n) => n.metadata.name === state.nodeName);
  if (node?.addresses.some((a) => addressOfFamily(a.address, "IPv6") !== null)) return true;
  return servicePorts(state, "IPv6").length > 0;
}

/**
 * Both proxiers of a node in IPVS mode (NewDualStackProxier): one IPVS table and one kube-ipvs0
 * shared by the two, a set of ipsets and an iptables / ip6tables ruleset each.
 *
 * @example
 * const node = kubeProxyIpvsNode(state);
 * node.ipvsadmLn.includes("TCP  [fd00:10:96::a]:80 rr") // true for a cluster with that IPv6 Service
 */
export function kubeProxyIpvsNode(state: ClusterState, options: { seed?: number } = {}): IpvsNodeTables {
  const ipv4 = kubeProxyIpvs(state, { ...options, family: "IPv4" });
  const ipv6 = hasIpv6(state) ? kubeProxyIpvs(state, { ...options, family: "IPv6" }) : null;
  if (ipv6 === null) {
    return { ipv4, ipv6, ipvsadmLn: ipv4.ipvsadmLn, ipsetSave: ipv4.ipsetSave, dummyInterfaceAddresses: ipv4.dummyInterfaceAddresses };
  }
  return {
    ipv4,
    ipv6,
    ipvsadmLn: ipvsadmLn([...ipv4.virtualServers, ...ipv6.virtualServers]),
    ipsetSave: ipv4.ipsetSave + ipv6.ipsetSave,
    dummyInterfaceAddresses: [...ipv4.dummyInterfaceAddresses, ...ipv6.dummyInterfaceAddresses],
  };
}
