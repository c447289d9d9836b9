import { InputError } from "./errors";
import { formatIpv4, parseIpv4 } from "./ipv4";

export type Port = number;
export type Transport = "tcp" | "udp";

/** @throws InputError "70000: a port is a whole number from 0 to 65535" */
export function parsePort(text: string): Port {
  const trimmed = text.trim();
  if (!/^[0-9]{1,5}$/.test(trimmed) || Number(trimmed) > 65535) {
    throw new InputError(text, "a port is a whole number from 0 to 65535");
  }
  return Number(trimmed);
}

/** The flow key every stateful device (conntrack, Maglev, NAT) looks packets up by. */
export interface FiveTuple {
  readonly protocol: Transport;
  readonly srcIp: string;
  readonly srcPort: Port;
  readonly dstIp: string;
  readonly dstPort: Port;
}

/** @example formatFiveTuple(t) // "tcp 198.51.100.23:51514 → 104.18.32.7:443" */
export function formatFiveTuple(t: FiveTuple): string {
  return `${t.protocol} ${t.srcIp}:${t.srcPort} → ${t.dstIp}:${t.dstPort}`;
}

/** The tuple a reply carries: source and destination swapped, which is what conntrack matches on. */
export function reverseFiveTuple(t: FiveTuple): FiveTuple {
  return { protocol: t.protocol, srcIp: t.dstIp, srcPort: t.dstPort, dstIp: t.srcIp, dstPort: t.srcPort };
}

/** Parses "tcp 1.2.3.4:5 -> 6.7.8.9:10" (arrow as "->" or "→"). */
export function parseFiveTuple(text: string): FiveTuple {
  const match = /^\s*(tcp|udp)\s+([^\s:]+):(\S+)\s*(?:->|→)\s*([^\s:]+):(\S+)\s*$/i.exec(text);
  if (!match) throw new InputError(text, 'write a flow as "tcp 198.51.100.23:51514 -> 104.18.32.7:443"');
  const [, protocol, srcIp, srcPort, dstIp, dstPort] = match as unknown as [string, string, string, string, string, string];
  return {
    protocol: protocol.toLowerCase() as Transport,
    srcIp: formatIpv4(parseIpv4(srcIp)),
    srcPort: parsePort(srcPort),
    dstIp: formatIpv4(parseIpv4(dstIp)),
    dstPort: parsePort(dstPort),
  };
}
