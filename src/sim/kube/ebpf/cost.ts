import { syntheticCluster, type ModeCost } from "../ipvs/cost";

export type { ModeCost } from "../ipvs/cost";

/**
 * eBPF (Cilium / GKE Dataplane V2) cost for `syntheticCluster(services, endpointsPerService)`.
 *
 * rulesWritten is 0: with kube-proxy replacement Cilium writes no per-Service iptables rules (the
 * few fixed CILIUM_* chains it installs do not depend on Services and are not counted here).
 *
 * objectsWritten, per ClusterIP frontend: one master entry and one slot entry per backend in
 * cilium_lb4_services_v2, one cilium_lb4_reverse_nat entry, and one cilium_lb4_backends_v3 entry
 * per distinct backend — services × (2 + 2 × endpoints). (With --bpf-lb-algorithm=maglev each
 * Service also gets a 16381-entry lookup table in cilium_lb4_maglev; not counted, the default is
 * random.)
 *
 * lookupsPerPacket, for the first packet of a flow translated at tc: the conntrack lookup (miss),
 * the service map (slot 0), the backend slot and the backend map — 4 hash-map lookups, independent of
 * the number of Services. With socket-LB the same 3 map lookups happen once per connect() and no
 * packet of the flow is looked up or NATed afterwards.
 *
 * @example ebpfCost(1000, 10).objectsWritten // 22000
 */
export function ebpfCost(services: number, endpointsPerService: number): ModeCost {
  if (!Number.isInteger(services) || services < 0 || !Number.isInteger(endpointsPerService) || endpointsPerService < 0) {
    throw new RangeError("services and endpointsPerService are whole numbers ≥ 0");
  }
  return {
    mode: "ebpf",
    services,
    endpointsPerService,
    rulesWritten: 0,
    objectsWritten: services * (2 + 2 * endpointsPerService),
    lookupsPerPacket: services === 0 ? 0 : 4,
    note:
      `No per-Service iptables rules; ${services * (1 + endpointsPerService)} service-map entries (master + slots), ` +
      `${services * endpointsPerService} backend entries, ${services} reverse-NAT entries. ` +
      "A new flow at tc costs a constant 4 hash-map lookups (conntrack, service, slot, backend); with socket-LB, 3 lookups once per connect() and none per packet.",
  };
}

export { syntheticCluster };
