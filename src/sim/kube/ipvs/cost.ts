import type { ClusterState, KubeProxyConfiguration } from "../model";
import { syntheticCluster as buildSyntheticCluster } from "../synthetic";
import { kubeProxyIpvs } from "./proxier";

/** What one proxy mode writes and looks up as a cluster grows. */
export interface ModeCost {
  mode: "iptables" | "ipvs" | "ebpf";
  services: number;
  endpointsPerService: number;
  /** iptables rules (`-A` lines) the mode writes for these Services. */
  rulesWritten: number;
  /** Other kernel objects written: IPVS services and destinations, ipset members, addresses, BPF map entries. */
  objectsWritten: number;
  /** Table lookups on the first packet of a new connection (see `note` for what is counted). */
  lookupsPerPacket: number;
  note: string;
}


/**
 * The cluster the cost figures describe: `services` ClusterIP Services with one TCP port (80 → 8080),
 * each with `endpointsPerService` ready Pods on other nodes, seen from node "node-a" (10.128.0.2) with
 * kube-proxy's defaults and clusterCIDR 10.4.0.0/14. Small instances of it are also what the tests
 * run the real generators on, to check the closed forms below.
 */
export function syntheticCluster(services: number, endpointsPerService: number, mode: KubeProxyConfiguration["mode"] = "ipvs"): ClusterState {
  // One synthetic address plan for the whole course (../synthetic.ts), seen from an extra node that
  // hosts none of the endpoints, with this mode configured.
  const state = buildSyntheticCluster({ services, endpointsPerService });
  const nodeA = { kind: "Node" as const, metadata: { name: "node-a", namespace: "", labels: {} }, addresses: [{ type: "InternalIP" as const, address: "10.128.0.2" }], podCIDRs: [] };
  return { ...state, nodes: [nodeA, ...state.nodes], nodeName: "node-a", proxyConfig: { ...state.proxyConfig, mode } };
}

function checkCounts(services: number, endpointsPerService: number): void {
  if (!Number.isInteger(services) || services < 0 || !Number.isInteger(endpointsPerService) || endpointsPerService < 0) {
    throw new RangeError("services and endpointsPerService are whole numbers ≥ 0");
  }
}

/**
 * IPVS mode's cost for `syntheticCluster(services, endpointsPerService)`.
 *
 * rulesWritten does not grow with Services: every iptables rule matches a whole ipset, so it is the
 * count of `-A` lines kube-proxy writes for the smallest cluster of the same shape (it is the same
 * for any number ≥ 1 of such Services). objectsWritten is linear in services × (1 + endpoints):
 * per Service one virtual server, one destination per endpoint, one KUBE-CLUSTER-IP member, one
 * KUBE-IPVS-IPS member and one kube-ipvs0 address.
 *
 * lookupsPerPacket, for the first packet of a connection from a Pod to a ClusterIP: nat
 * KUBE-SERVICES tests KUBE-CLUSTER-IP twice (the masquerade rule, then the final ACCEPT); filter INPUT
 * runs before IPVS (priority 0 vs. IPVS's LOCAL_IN hook at NF_IP_PRI_NAT_SRC − 2) and KUBE-IPVS-FILTER
 * tests KUBE-LOAD-BALANCER and KUBE-CLUSTER-IP (RETURN), then filter KUBE-NODE-PORT tests
 * KUBE-HEALTH-CHECK-NODE-PORT; then IPVS looks up its connection table (miss) and its service table —
 * 7 hash or bitmap lookups, none of them dependent on the number of Services or endpoints. The
 * netfilter conntrack lookup every mode pays is not counted.
 *
 * @example ipvsCost(1000, 10).objectsWritten // 14000
 */
export function ipvsCost(services: number, endpointsPerService: number): ModeCost {
  checkCounts(services, endpointsPerService);
  const probe = kubeProxyIpvs(syntheticCluster(Math.min(services, 1), Math.min(endpointsPerService, 1)));
  const rulesWritten = probe.iptablesRules.length;
  const objectsWritten = services * (4 + endpointsPerService);
  return {
    mode: "ipvs",
    services,
    endpointsPerService,
    rulesWritten,
    objectsWritten,
    lookupsPerPacket: services === 0 ? 0 : 7,
    note:
      `${rulesWritten} iptables rules whatever the number of Services (each matches an ipset); ` +
      `${services} virtual servers + ${services * endpointsPerService} real servers + ${2 * services} ipset members + ${services} kube-ipvs0 addresses. ` +
      "A new connection costs a constant number of hash lookups (ipset tests in KUBE-SERVICES and KUBE-IPVS-FILTER, the IPVS connection and service tables); " +
      "later packets of the flow hit the IPVS connection table, and filter INPUT's KUBE-IPVS-FILTER set tests still run on every packet.",
  };
}
