import type { Family } from "../iptables/ip";
import type { ClusterState } from "../model";
import { categorizeEndpoints, slicesByService } from "../endpoints";
import { addressOrder, compareAddresses, endpointsFor, nodeAddresses, servicePorts, type EndpointInfo } from "../ipvs/service-ports";

/**
 * The Service maps Cilium's agent writes for the datapath (GKE Dataplane V2 is Cilium-based), one set
 * per IP family: the lb4 maps below, and their IPv6 twins cilium_lb6_services_v2 (struct lb6_key, the
 * same fields with a 16-byte address), cilium_lb6_backends_v3 and cilium_lb6_reverse_nat, which
 * `ebpfServiceMaps(state, "IPv6")` builds from the IPv6 cluster IPs, external IPs, load-balancer IPs,
 * node addresses and endpoints.
 *
 * Follows Cilium's source:
 *   - cilium_lb4_services_v2, keyed by struct lb4_key {address, dport, backend_slot, proto, scope}.
 *     Slot 0 is the "master" entry: its value holds `count` (number of backends) and
 *     `rev_nat_index`; slots 1…count hold one backend_id each (bpf/lib/lb.h lb4_lookup_service,
 *     lb4_lookup_backend_slot).
 *   - cilium_lb4_backends_v3: backend_id → {address, port, proto}; a backend shared by several
 *     frontends is stored once.
 *   - cilium_lb4_reverse_nat: rev_nat_index → {address, port} of the frontend, to rewrite replies.
 *   - two scopes: a frontend whose external and internal traffic policies select different backends
 *     (externalTrafficPolicy: Local on a NodePort / LoadBalancer / external IP) gets an external-scope
 *     entry with the node-local backends and an internal-scope entry with all of them
 *     (SVC_FLAG_TWO_SCOPES).
 *
 * Simplified (said where it matters):
 *   - backend choice among endpoints reuses kube-proxy's rules (ready, else serving+terminating),
 *     where Cilium keeps terminating backends in the maps with a state and excludes them from `count`;
 *   - IDs (backend_id, rev_nat_index/service ID) are allocated in sorted order from 1, where the
 *     agent allocates them in the order it learns about objects;
 *   - NodePort frontends are created on the node's InternalIP/ExternalIP addresses plus the wildcard
 *     0.0.0.0:nodePort ([::]:nodePort for IPv6) "surrogate" entry the datapath falls back to for any
 *     other local address;
 *   - the IPv6 maps number their IDs from 1 too, where the agent's service and backend ID
 *     allocators are shared by both families;
 *   - internalTrafficPolicy: Local on a ClusterIP keeps only node-local backends in the one scope.
 */
export type Lb4Protocol = "TCP" | "UDP" | "SCTP";
export type LbScope = "external" | "internal";

export interface Lb4ServiceEntry {
  readonly address: string;
  readonly dport: number;
  readonly proto: Lb4Protocol;
  readonly scope: LbScope;
  readonly backendSlot: number;
  /** Master (slot 0): number of backends; slot entries: 0. */
  readonly count: number;
  /** Slot entries: the backend this slot points to; master: 0. */
  readonly backendId: number;
  readonly revNatIndex: number;
  /** Master only: the SVC_FLAG_* the agent sets (ClusterIP, NodePort, ExternalIPs, LoadBalancer, two-scopes, affinity, routable). */
  readonly flags: readonly string[];
  readonly frontendType: "ClusterIP" | "NodePort" | "ExternalIP" | "LoadBalancer";
  /** ServicePortName "ns/name:port". */
  readonly service: string;
  /** Master only: sessionAffinity ClientIP timeout (cilium_lb4_affinity), else null. */
  readonly affinityTimeout: number | null;
}

export interface Lb4Backend {
  readonly id: number;
  readonly address: string;
  readonly port: number;
  readonly proto: Lb4Protocol;
  readonly nodeName: string | null;
  readonly local: boolean;
}

export interface Lb4RevNat {
  readonly index: number;
  readonly address: string;
  readonly port: number;
}

export interface EbpfServiceMaps {
  /** lb4 (IPv4) or lb6 (IPv6) maps. Absent means IPv4. */
  readonly family?: Family;
  readonly services: Lb4ServiceEntry[];
  readonly backends: Lb4Backend[];
  readonly revNat: Lb4RevNat[];
  /** The node this agent runs on: its addresses are where NodePort frontends exist. */
  readonly nodeAddresses: string[];
}

interface Frontend {
  address: string;
  dport: number;
  proto: Lb4Protocol;
  type: Lb4ServiceEntry["frontendType"];
  service: string;
  affinityTimeout: number | null;
  scopes: { scope: LbScope; backends: readonly EndpointInfo[] }[];
  twoScopes: boolean;
}

/** The NodePort wildcard ("surrogate") frontend's address in each family's service map. */
export const WILDCARD_ADDRESS: Record<Family, string> = { IPv4: "0.0.0.0", IPv6: "::" };

/**
 * The BPF maps for every Service in the cluster state: the lb4 maps, or with `family` "IPv6" the
 * lb6 maps.
 *
 * @example
 * const maps = ebpfServiceMaps(state);
 * maps.services.filter((e) => e.backendSlot === 0).length; // one master entry per frontend and scope
 */
export function ebpfServiceMaps(state: ClusterState, family: Family = "IPv4"): EbpfServiceMaps {
  const byAddress = (a: string, b: string) => compareAddresses(a, b, family);
  const { all: nodeIPs } = nodeAddresses(state, family);
  const frontends: Frontend[] = [];
  const slices = slicesByService(state.endpointSlices);
  for (const svc of servicePorts(state, family)) {
    const endpoints = endpointsFor(state, svc, slices, family);
    const { clusterEndpoints, localEndpoints } = categorizeEndpoints(endpoints, svc);
    const all = clusterEndpoints.length > 0 ? clusterEndpoints : [...localEndpoints];
    const base = { dport: svc.port, proto: svc.protocol, service: svc.name, affinityTimeout: svc.stickyMaxAgeSeconds };
    const internalBackends = svc.internalPolicyLocal ? localEndpoints.slice() : all;
    frontends.push({ ...base, address: svc.clusterIP, type: "ClusterIP", scopes: [{ scope: "external", backends: internalBackends }], twoScopes: false });
    const external = (address: string, type: Frontend["type"], dport: number) => {
      if (svc.externalPolicyLocal) {
        frontends.push({
          ...base,
          address,
          dport,
          type,
          scopes: [
            { scope: "external", backends: localEndpoints.slice() },
            { scope: "internal", backends: all },
          ],
          twoScopes: true,
        });
      } else {
        frontends.push({ ...base, address, dport, type, scopes: [{ scope: "external", backends: all }], twoScopes: false });
      }
    };
    for (const ip of svc.externalIPs) external(ip, "ExternalIP", svc.port);
    for (const ip of svc.loadBalancerVIPs) external(ip, "LoadBalancer", svc.port);
    if (svc.nodePort !== 0) {
      for (const ip of [WILDCARD_ADDRESS[family], ...nodeIPs]) external(ip, "NodePort", svc.nodePort);
    }
  }
  frontends.sort((a, b) => byAddress(a.address, b.address) || a.dport - b.dport || (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0));

  // Backend IDs in address order. Every (frontend, scope, slot) is one item here, in the order the
  // service entries below are written, so each entry finds its backend without a second key lookup.
  const backendIds = new Map<string, Lb4Backend>();
  const items: { ep: EndpointInfo; proto: Lb4Protocol; address: number | bigint; backend: Lb4Backend | null }[] = [];
  for (const f of frontends) {
    for (const s of f.scopes) for (const ep of s.backends) items.push({ ep, proto: f.proto, address: addressOrder(ep.ip, family), backend: null });
  }
  const allBackends = items.slice();
  allBackends.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) || a.ep.port - b.ep.port || (a.proto < b.proto ? -1 : 1));
  for (const item of allBackends) {
    const { ep, proto } = item;
    const key = `${ep.ip}:${ep.port}/${proto}`;
    let backend = backendIds.get(key);
    if (!backend) {
      backend = { id: backendIds.size + 1, address: ep.ip, port: ep.port, proto, nodeName: ep.nodeName, local: ep.isLocal };
      backendIds.set(key, backend);
    }
    item.backend = backend;
  }

  const services: Lb4ServiceEntry[] = [];
  const revNat: Lb4RevNat[] = [];
  let next = 0;
  frontends.forEach((f, i) => {
    const revNatIndex = i + 1;
    revNat.push({ index: revNatIndex, address: f.address, port: f.dport });
    for (const { scope, backends } of f.scopes) {
      const flags: string[] = [f.type];
      if (f.twoScopes) flags.push("TwoScopes");
      if (f.affinityTimeout !== null) flags.push("SessionAffinity");
      if (f.type === "ClusterIP" || f.type === "LoadBalancer" || f.type === "ExternalIP") flags.push("Routable");
      services.push(serviceEntry(f, scope, revNatIndex, 0, backends.length, 0, flags, f.affinityTimeout));
      for (let slot = 0; slot < backends.length; slot++) {
        const backend = items[next++]!.backend!;
        services.push(serviceEntry(f, scope, revNatIndex, slot + 1, 0, backend.id, [], null));
      }
    }
  });
  const maps = { services, backends: [...backendIds.values()], revNat, nodeAddresses: nodeIPs };
  return family === "IPv6" ? { family, ...maps } : maps;
}

/** One cilium_lb4_services_v2 entry (written out field by field: a large cluster has tens of thousands). */
function serviceEntry(
  f: Frontend,
  scope: LbScope,
  revNatIndex: number,
  backendSlot: number,
  count: number,
  backendId: number,
  flags: readonly string[],
  affinityTimeout: number | null,
): Lb4ServiceEntry {
  return {
    address: f.address,
    dport: f.dport,
    proto: f.proto,
    scope,
    revNatIndex,
    frontendType: f.type,
    service: f.service,
    backendSlot,
    count,
    backendId,
    flags,
    affinityTimeout,
  };
}
