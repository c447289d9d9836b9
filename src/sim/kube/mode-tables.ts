import type { DecisionTable, StepEvent } from "../core/trace";
import { ebpfLookup, type EbpfServiceMaps } from "./ebpf/index";
import { ipvsAddrPort, ipvsLookup } from "./ipvs/index";
import { ebpfMapsFor, ipvsNodeFor, ipvsTablesFor } from "./proxy";
import type { ClusterState } from "./model";

/**
 * The same first packet on the same node in the two other dataplanes, for the chain walker's
 * "other modes" panel: IPVS mode's virtual servers as `ipvsadm -Ln` prints them, and the eBPF
 * service map in the layout of `cilium bpf lb list` (one line per frontend's master slot, then one
 * per backend slot), with what each lookup chose.
 */
export function otherModes(state: ClusterState, packet: { protocol: "tcp" | "udp" | "sctp"; src: string; srcPort: number; dst: string; dstPort: number }, seed: number): { tables: DecisionTable[]; events: StepEvent[] } {
  const node = state.nodeName;
  const family = packet.dst.includes(":") ? "IPv6" : "IPv4";
  const ipvs = ipvsTablesFor(state, family);
  const ipvsPick = ipvsLookup(ipvs, packet, { seed });
  const maps = ebpfMapsFor(state, family);
  const lb = family === "IPv6" ? "lb6" : "lb4";
  const ebpfPick = ebpfLookup(maps, packet, { seed });
  return {
    tables: [
      { id: `ipvs@${node}`, title: `ipvsadm -Ln on ${node} (IPVS mode)`, format: "ipvsadm -Ln", rows: ipvsNodeFor(state).ipvsadmLn.replace(/\n+$/, "").split("\n") },
      { id: `ebpf@${node}`, title: `${lb} service map on ${node} (eBPF, Dataplane V2)`, format: "cilium bpf lb list", rows: lbList(maps) },
    ],
    events: [
      {
        type: "ipvs",
        text: ipvsPick.virtualServer
          ? `In IPVS mode: one hash lookup finds virtual server ${ipvsPick.virtualServer.protocol} ${ipvsAddrPort(ipvsPick.virtualServer.address, ipvsPick.virtualServer.port)} (${ipvsPick.scheduler}), which picks ${ipvsPick.chosen ?? "nothing"}.`
          : "In IPVS mode: no virtual server has this address and port.",
      },
      {
        type: "ebpf",
        text: ebpfPick.chosen
          ? `In eBPF mode: the service map lookup picks ${ebpfPick.chosen} from ${ebpfPick.candidates.length} backend slot${ebpfPick.candidates.length === 1 ? "" : "s"}; no iptables rule is evaluated.`
          : "In eBPF mode: no service map entry matches; the packet is routed unchanged.",
      },
    ],
  };
}

/** `cilium bpf lb list`: "SERVICE ADDRESS  BACKEND ADDRESS (REVNAT_ID) (SLOT)". */
export function lbList(maps: EbpfServiceMaps): string[] {
  const backends = new Map(maps.backends.map((b) => [b.id, b]));
  const rows = ["SERVICE ADDRESS".padEnd(24) + "BACKEND ADDRESS (REVNAT_ID) (SLOT)"];
  const masters = maps.services.filter((s) => s.backendSlot === 0);
  for (const master of masters) {
    const frontend = ipvsAddrPort(master.address, master.dport);
    // The master slot has no backend: cilium prints the zero address of the map's family.
    const none = maps.family === "IPv6" ? "[::]:0" : "0.0.0.0:0";
    rows.push(`${frontend.padEnd(24)}${none} (${master.revNatIndex}) (0) [${master.flags.join(", ")}]`);
    const slots = maps.services.filter((s) => s.backendSlot > 0 && s.address === master.address && s.dport === master.dport && s.proto === master.proto && s.scope === master.scope);
    for (const slot of slots) {
      const backend = backends.get(slot.backendId);
      rows.push(`${"".padEnd(24)}${backend ? ipvsAddrPort(backend.address, backend.port) : "?"} (${slot.revNatIndex}) (${slot.backendSlot})`);
    }
  }
  return rows;
}
