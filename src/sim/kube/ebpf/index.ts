/**
 * Cilium's eBPF Service datapath as GKE Dataplane V2 runs it: the Service, backend and reverse-NAT
 * maps the agent writes, the lookup a packet (tc) or a connect() (socket-LB) makes in them, and the
 * cost of the mode as Services grow. Each file says which parts follow Cilium's source and which are
 * simplified.
 */
export {
  ebpfServiceMaps,
  WILDCARD_ADDRESS,
  type EbpfServiceMaps,
  type Lb4Backend,
  type Lb4Protocol,
  type Lb4RevNat,
  type Lb4ServiceEntry,
  type LbScope,
} from "./maps";
export {
  ebpfLookup,
  CILIUM_MAGLEV_TABLE_SIZE,
  type EbpfConntrackEntry,
  type EbpfLookupOptions,
  type EbpfLookupResult,
  type EbpfPacket,
} from "./lookup";
export { ebpfCost, syntheticCluster, type ModeCost } from "./cost";
