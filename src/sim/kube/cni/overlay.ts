/**
 * One example overlay packet, built with the real header encoders of src/sim/pcap/headers.ts, and the
 * outer headers cut into labelled fields so a lab can show them byte by byte.
 *
 * VXLAN (RFC 7348 §5) and Geneve (RFC 8926 §3) both carry an Ethernet frame in UDP, so what sits in
 * front of the Pod's IP packet on the wire is: outer Ethernet 14 + outer IPv4 20 + UDP 8 + tunnel
 * header 8 + inner Ethernet 14 = 64 bytes. Only 50 of them count against the node's MTU: the outer
 * Ethernet header is the link's own framing, outside every MTU. IP-in-IP (RFC 2003) puts the Pod's
 * packet straight after an outer IPv4 header (protocol 4): 20 bytes.
 *
 * Choices the example makes, said plainly: MAC addresses come from `macFor` (02:00 plus the IPv4
 * address), not from a real NIC or the tunnel device; the outer UDP source port is a hash of the inner
 * flow in 32768–60999, which is how Linux spreads tunnels over ECMP paths (the kernel's own hash gives
 * other numbers); Geneve carries no options; the inner packet is a 0-byte-payload UDP probe.
 */
import { ETHER_TYPE, IP_PROTOCOL, ethernetFrame, geneveHeader, ipv4Packet, macFor, udpDatagram, vxlanHeader } from "../../pcap/headers";
import { hash32 } from "../../pcap/bytes";

export type OverlayKind = "vxlan" | "geneve" | "ipip";

/** One field of a header: its byte offset inside the header, its bytes, and what it says. */
export interface HeaderField {
  readonly name: string;
  readonly offset: number;
  readonly hex: string;
  readonly meaning: string;
}

export interface EncapLayer {
  readonly name: string;
  readonly bytes: number;
  readonly hex: string;
  /** Whether these bytes count against the node's MTU (the outer Ethernet header does not). */
  readonly countsAgainstMtu: boolean;
  readonly fields: readonly HeaderField[];
}

export interface Encapsulation {
  readonly kind: OverlayKind;
  readonly layers: readonly EncapLayer[];
  /** Bytes in front of the inner IP packet on the wire, outer Ethernet included. */
  readonly frameOverhead: number;
  /** Bytes counted against the MTU (outer IP and everything after it up to the inner IP packet). */
  readonly mtuOverhead: number;
  /** The whole frame: outer Ethernet … inner IP packet. */
  readonly frameHex: string;
  /** The outer IP packet alone (what a raw-IP capture holds). */
  readonly packet: Uint8Array;
  readonly frame: Uint8Array;
}

export interface OverlayEndpoints {
  /** Tunnel endpoints: the two nodes' addresses. */
  readonly outerSrc: string;
  readonly outerDst: string;
  /** The Pod packet inside. */
  readonly innerSrc: string;
  readonly innerDst: string;
  readonly innerTtl: number;
  readonly outerTtl: number;
  readonly vni: number;
  readonly dstPort: number;
  /** Inner Ethernet addresses: the tunnel devices at each end (VXLAN/Geneve only). */
  readonly innerMacSrc: string;
  readonly innerMacDst: string;
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

/** A deterministic outer UDP source port in Linux's default ephemeral range, from the inner flow. */
export function tunnelSourcePort(innerSrc: string, innerDst: string): number {
  return 32768 + (hash32(`${innerSrc}>${innerDst}`) % (60999 - 32768 + 1));
}

const field = (bytes: Uint8Array, name: string, offset: number, length: number, meaning: string): HeaderField => ({
  name, offset, hex: hex(bytes.subarray(offset, offset + length)), meaning,
});

function ethernetFields(b: Uint8Array, what: string): HeaderField[] {
  return [
    field(b, "destination MAC", 0, 6, `${what} receiver`),
    field(b, "source MAC", 6, 6, `${what} sender`),
    field(b, "EtherType", 12, 2, "0x0800: IPv4 follows"),
  ];
}

function ipv4Fields(b: Uint8Array, src: string, dst: string, ttl: number, protocol: string): HeaderField[] {
  const total = (b[2]! << 8) | b[3]!;
  return [
    field(b, "version, IHL", 0, 1, "IPv4, 5 × 4 = 20-byte header"),
    field(b, "DSCP/ECN", 1, 1, "0"),
    field(b, "total length", 2, 2, `${total} bytes`),
    field(b, "identification", 4, 2, "fragment id"),
    field(b, "flags, fragment offset", 6, 2, "0x4000: Don't Fragment (the example encoder sets it; a Linux VXLAN or Geneve device leaves DF clear unless configured `df set` or `df inherit`)"),
    field(b, "TTL", 8, 1, String(ttl)),
    field(b, "protocol", 9, 1, protocol),
    field(b, "header checksum", 10, 2, "RFC 1071 one's-complement sum"),
    field(b, "source address", 12, 4, src),
    field(b, "destination address", 16, 4, dst),
  ];
}

function udpFields(b: Uint8Array, srcPort: number, dstPort: number, tunnel: string): HeaderField[] {
  return [
    field(b, "source port", 0, 2, `${srcPort}: a hash of the inner flow (spreads tunnels over ECMP paths)`),
    field(b, "destination port", 2, 2, `${dstPort}: ${tunnel}`),
    field(b, "length", 4, 2, `${(b[4]! << 8) | b[5]!} bytes (UDP header + everything inside)`),
    field(b, "checksum", 6, 2, "over the pseudo-header and datagram (Linux tunnels over IPv4 send 0, no checksum, unless udpcsum is on; the example fills it in)"),
  ];
}

const macText = (m: Uint8Array) => Array.from(m, (x) => x.toString(16).padStart(2, "0")).join(":");

/**
 * The example packet of one overlay, with each outer header's fields.
 *
 * @example encapsulate("vxlan", { ...ends, dstPort: 4789, vni: 4096 }).mtuOverhead // 50
 */
export function encapsulate(kind: OverlayKind, e: OverlayEndpoints): Encapsulation {
  const innerIp = ipv4Packet({ src: e.innerSrc, dst: e.innerDst, ttl: e.innerTtl, protocol: IP_PROTOCOL.udp, id: 0x1234 },
    udpDatagram({ src: e.innerSrc, dst: e.innerDst, srcPort: 40000, dstPort: 8080 }, new Uint8Array(0)));
  const outerMacSrc = macFor(e.outerSrc);
  const outerMacDst = macFor(e.outerDst);
  const layers: EncapLayer[] = [];
  let packet: Uint8Array;
  if (kind === "ipip") {
    packet = ipv4Packet({ src: e.outerSrc, dst: e.outerDst, ttl: e.outerTtl, protocol: IP_PROTOCOL.ipip, id: 0x0001 }, innerIp);
    layers.push({ name: "outer IPv4 (protocol 4, IP-in-IP)", bytes: 20, hex: hex(packet.subarray(0, 20)), countsAgainstMtu: true,
      fields: ipv4Fields(packet, e.outerSrc, e.outerDst, e.outerTtl, "4: IPv4 inside (RFC 2003)") });
  } else {
    const innerFrame = ethernetFrame(macFromText(e.innerMacDst), macFromText(e.innerMacSrc), ETHER_TYPE.ipv4, innerIp);
    const tunnel = kind === "vxlan" ? vxlanHeader(e.vni) : geneveHeader(e.vni, 0x6558);
    const srcPort = tunnelSourcePort(e.innerSrc, e.innerDst);
    const udp = udpDatagram({ src: e.outerSrc, dst: e.outerDst, srcPort, dstPort: e.dstPort }, new Uint8Array([...tunnel, ...innerFrame]));
    packet = ipv4Packet({ src: e.outerSrc, dst: e.outerDst, ttl: e.outerTtl, protocol: IP_PROTOCOL.udp, id: 0x0001 }, udp);
    layers.push({ name: "outer IPv4", bytes: 20, hex: hex(packet.subarray(0, 20)), countsAgainstMtu: true,
      fields: ipv4Fields(packet, e.outerSrc, e.outerDst, e.outerTtl, "17: UDP") });
    const u = packet.subarray(20, 28);
    layers.push({ name: "UDP", bytes: 8, hex: hex(u), countsAgainstMtu: true,
      fields: udpFields(u, srcPort, e.dstPort, kind === "vxlan" ? (e.dstPort === 4789 ? "VXLAN, IANA (RFC 7348)" : "VXLAN on the Linux kernel's historical default port") : "Geneve, IANA (RFC 8926)") });
    const t = packet.subarray(28, 36);
    layers.push(kind === "vxlan"
      ? { name: "VXLAN", bytes: 8, hex: hex(t), countsAgainstMtu: true, fields: [
          field(t, "flags", 0, 1, "0x08: the I flag, the VNI is valid"),
          field(t, "reserved", 1, 3, "zero"),
          field(t, "VNI", 4, 3, String(e.vni)),
          field(t, "reserved", 7, 1, "zero"),
        ] }
      : { name: "Geneve", bytes: 8, hex: hex(t), countsAgainstMtu: true, fields: [
          field(t, "version, option length", 0, 1, "version 0, no options (0 × 4 bytes)"),
          field(t, "O, C flags, reserved", 1, 1, "0: a data packet, no critical options"),
          field(t, "protocol type", 2, 2, "0x6558: an Ethernet frame follows (Transparent Ethernet Bridging)"),
          field(t, "VNI", 4, 3, String(e.vni)),
          field(t, "reserved", 7, 1, "zero"),
        ] });
    const ie = packet.subarray(36, 50);
    layers.push({ name: "inner Ethernet", bytes: 14, hex: hex(ie), countsAgainstMtu: true, fields: ethernetFields(ie, "the remote tunnel device, as") });
  }
  const frame = ethernetFrame(outerMacDst, outerMacSrc, ETHER_TYPE.ipv4, packet);
  const outerEth: EncapLayer = { name: "outer Ethernet", bytes: 14, hex: hex(frame.subarray(0, 14)), countsAgainstMtu: false,
    fields: [
      field(frame, "destination MAC", 0, 6, `next hop towards ${e.outerDst}`),
      field(frame, "source MAC", 6, 6, `${e.outerSrc}'s NIC`),
      field(frame, "EtherType", 12, 2, "0x0800: IPv4 follows"),
    ] };
  const all = [outerEth, ...layers];
  return {
    kind,
    layers: all,
    frameOverhead: all.reduce((s, l) => s + l.bytes, 0),
    mtuOverhead: layers.reduce((s, l) => s + l.bytes, 0),
    frameHex: hex(frame),
    packet,
    frame,
  };
}

function macFromText(text: string): Uint8Array {
  return Uint8Array.from(text.split(":"), (h) => parseInt(h, 16));
}

/** The inner MAC the example gives a tunnel device (02:00 + the tunnel address). */
export function tunnelMac(address: string): string {
  return macText(macFor(address));
}
