import type { Unit } from "../core/trace";

/**
 * A packet as the in-cluster scenarios carry it between steps: the 5-tuple the kernel keys on, plus
 * the metadata netfilter reads and writes on the way — the skb mark kube-proxy sets to ask for
 * masquerade, the conntrack state, and the interface it is on. Kept flat and textual so a trace
 * serialises the same on every run and a learner can compare it with `conntrack -L`.
 */
export interface PacketUnit extends Unit {
  readonly kind: "packet";
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  /** The skb mark in hex as iptables prints it ("0x4000"), or null when unmarked. */
  readonly mark: string | null;
  /** conntrack's view of this packet's connection. */
  readonly ctstate: "NEW" | "ESTABLISHED" | null;
  /** The interface it arrives on or leaves by, where that matters ("eth0", "veth3a1f…", "lo"). */
  readonly iface: string | null;
  /** Application payload in a few words ("SYN", "GET /", "DNS A? my-server…"), for people. */
  readonly payload: string;
}

/** "tcp 10.4.1.7:41234 → 10.96.0.15:80", the form the course prints flows in. */
export function formatPacketUnit(p: Pick<PacketUnit, "protocol" | "src" | "srcPort" | "dst" | "dstPort">): string {
  const host = (ip: string) => (ip.includes(":") ? `[${ip}]` : ip);
  return `${p.protocol} ${host(p.src)}:${p.srcPort} → ${host(p.dst)}:${p.dstPort}`;
}
