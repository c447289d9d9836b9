/**
 * Connection tracking as `conntrack -L` shows it: each entry holds the tuple of the first packet
 * (original) and the tuple a reply must carry (reply). NAT is nothing more than the difference
 * between the two: DNAT when the reply's source is not the original destination, SNAT when the
 * reply's destination is not the original source (nf_nat_core.c keeps the two in step).
 */
export type TrackedProtocol = "tcp" | "udp" | "sctp";

export interface ConntrackTuple {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

export interface ConntrackEntry {
  readonly protocol: TrackedProtocol;
  readonly original: ConntrackTuple;
  readonly reply: ConntrackTuple;
  /** The protocol state conntrack prints: TCP "SYN_SENT" after the first SYN; SCTP "CLOSED"; null for UDP. */
  readonly state: string | null;
  /** UNREPLIED until a packet has been seen in the reply direction; ASSURED once it is (UDP) or established (TCP). */
  readonly flags: readonly ("UNREPLIED" | "ASSURED")[];
  /** Seconds left, as conntrack prints it: the protocol's timeout for that state. */
  readonly timeout: number;
  /** The connection mark (ctmark), not the packet mark. */
  readonly mark: number;
}

const PROTOCOL_NUMBER: Readonly<Record<TrackedProtocol, number>> = { tcp: 6, udp: 17, sctp: 132 };

/**
 * Default timeouts (net.netfilter.nf_conntrack_*_timeout_*): TCP SYN_SENT 120 s and ESTABLISHED
 * 432000 s, UDP 30 s unreplied and 120 s once it has seen both directions (the "stream" timeout),
 * SCTP CLOSED 10 s.
 */
export function conntrackTimeout(protocol: TrackedProtocol, state: string | null, replied: boolean): number {
  if (protocol === "tcp") return state === "ESTABLISHED" ? 432000 : state === "SYN_RECV" ? 60 : 120;
  if (protocol === "udp") return replied ? 120 : 30;
  return 10;
}

/** Whether the connection's destination was translated (the reply comes from somewhere else). */
export function isDnat(entry: ConntrackEntry): boolean {
  return entry.reply.src !== entry.original.dst || entry.reply.srcPort !== entry.original.dstPort;
}

/** Whether the connection's source was translated (the reply goes back to somewhere else). */
export function isSnat(entry: ConntrackEntry): boolean {
  return entry.reply.dst !== entry.original.src || entry.reply.dstPort !== entry.original.srcPort;
}

/**
 * One line of `conntrack -L` (conntrack-tools, libnetfilter_conntrack's default output):
 *
 * @example formatConntrack(entry)
 * // "tcp      6 120 SYN_SENT src=10.0.0.2 dst=172.30.0.41 sport=40000 dport=80 [UNREPLIED] src=10.180.0.1 dst=10.0.0.2 sport=80 dport=40000 mark=0 use=1"
 */
export function formatConntrack(entry: ConntrackEntry): string {
  const tuple = (t: ConntrackTuple) => `src=${t.src} dst=${t.dst} sport=${t.srcPort} dport=${t.dstPort}`;
  const parts = [`${entry.protocol.padEnd(8)} ${PROTOCOL_NUMBER[entry.protocol]} ${entry.timeout}`];
  if (entry.state !== null) parts.push(entry.state);
  parts.push(tuple(entry.original));
  if (entry.flags.includes("UNREPLIED")) parts.push("[UNREPLIED]");
  parts.push(tuple(entry.reply));
  if (entry.flags.includes("ASSURED")) parts.push("[ASSURED]");
  parts.push(`mark=${entry.mark}`, "use=1");
  return parts.join(" ");
}

/**
 * The packet the other end sends back: the reply tuple, which is what conntrack will recognise
 * and un-NAT (walk it with this entry in `options.conntrack`).
 */
export function replyOf(entry: ConntrackEntry): { protocol: TrackedProtocol; src: string; srcPort: number; dst: string; dstPort: number } {
  return { protocol: entry.protocol, src: entry.reply.src, srcPort: entry.reply.srcPort, dst: entry.reply.dst, dstPort: entry.reply.dstPort };
}

const key = (protocol: string, src: string, srcPort: number, dst: string, dstPort: number) => `${protocol} ${src}:${srcPort} ${dst}:${dstPort}`;

/** The conntrack table: entries found by either of their tuples, as the kernel's hash does. */
export class ConntrackTable {
  private readonly byTuple = new Map<string, { entry: ConntrackEntry; direction: "original" | "reply" }>();
  private readonly list: ConntrackEntry[] = [];

  constructor(entries: readonly ConntrackEntry[] = []) {
    for (const entry of entries) this.add(entry);
  }

  add(entry: ConntrackEntry): void {
    const o = entry.original;
    const r = entry.reply;
    this.list.push(entry);
    this.byTuple.set(key(entry.protocol, o.src, o.srcPort, o.dst, o.dstPort), { entry, direction: "original" });
    this.byTuple.set(key(entry.protocol, r.src, r.srcPort, r.dst, r.dstPort), { entry, direction: "reply" });
  }

  /** Replaces an entry (same original tuple) with its updated state. */
  update(entry: ConntrackEntry): void {
    const index = this.list.findIndex((e) => e.protocol === entry.protocol && key(e.protocol, e.original.src, e.original.srcPort, e.original.dst, e.original.dstPort) === key(entry.protocol, entry.original.src, entry.original.srcPort, entry.original.dst, entry.original.dstPort));
    if (index >= 0) this.list.splice(index, 1);
    this.add(entry);
  }

  lookup(protocol: string, src: string, srcPort: number, dst: string, dstPort: number): { entry: ConntrackEntry; direction: "original" | "reply" } | null {
    return this.byTuple.get(key(protocol, src, srcPort, dst, dstPort)) ?? null;
  }

  entries(): readonly ConntrackEntry[] {
    return this.list;
  }
}
