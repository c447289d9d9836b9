import { addressBytes, ByteWriter, concatBytes, crc32c, internetChecksum } from "./bytes";

/**
 * Headers as the wire carries them, each a pure function of its fields and payload. Lengths and
 * checksums are computed here, so a dissector finds every one correct.
 */

/** IANA protocol numbers (the IPv4 protocol / IPv6 next header field). */
export const IP_PROTOCOL = { ipip: 4, tcp: 6, udp: 17, gre: 47, sctp: 132 } as const;

/** EtherTypes, also the protocol field of GRE and Geneve. */
export const ETHER_TYPE = { ipv4: 0x0800, ipv6: 0x86dd } as const;

/** Well-known UDP ports of the overlays: Geneve (RFC 8926 §3.3) and VXLAN (RFC 7348 §5). */
export const GENEVE_PORT = 6081;
export const VXLAN_PORT = 4789;

export interface IpFields {
  readonly src: string;
  readonly dst: string;
  /** TTL (IPv4) or hop limit (IPv6). */
  readonly ttl: number;
  readonly protocol: number;
  /** IPv4 identification; for IPv6, the flow label's low 20 bits. */
  readonly id: number;
}

const isIpv6 = (address: string) => address.includes(":");

/**
 * An IPv4 packet (RFC 791): 20-byte header without options, Don't Fragment set as Linux sets it on
 * TCP and on its tunnels (path MTU discovery), header checksum filled in.
 */
export function ipv4Packet(f: IpFields, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter()
    .u8(0x45)
    .u8(0)
    .u16(20 + payload.length)
    .u16(f.id)
    .u16(0x4000)
    .u8(f.ttl)
    .u8(f.protocol)
    .u16(0)
    .bytes(addressBytes(f.src))
    .bytes(addressBytes(f.dst));
  const header = w.finish();
  const checksum = internetChecksum(header);
  header[10] = checksum >>> 8;
  header[11] = checksum & 0xff;
  return concatBytes(header, payload);
}

/** An IPv6 packet (RFC 8200): the fixed 40-byte header, no extension headers. */
export function ipv6Packet(f: IpFields, payload: Uint8Array): Uint8Array {
  return new ByteWriter()
    .u32((6 << 28) | (f.id & 0xfffff))
    .u16(payload.length)
    .u8(f.protocol)
    .u8(f.ttl)
    .bytes(addressBytes(f.src))
    .bytes(addressBytes(f.dst))
    .bytes(payload)
    .finish();
}

/** IPv4 or IPv6, by how the addresses are written. */
export function ipPacket(f: IpFields, payload: Uint8Array): Uint8Array {
  if (isIpv6(f.src) !== isIpv6(f.dst)) throw new Error(`a packet from ${f.src} to ${f.dst} mixes IPv4 and IPv6`);
  return isIpv6(f.src) ? ipv6Packet(f, payload) : ipv4Packet(f, payload);
}

/** The pseudo-header TCP and UDP checksums cover (RFC 793 §3.1; RFC 8200 §8.1 for IPv6). */
function pseudoHeader(src: string, dst: string, protocol: number, length: number): Uint8Array {
  const w = new ByteWriter().bytes(addressBytes(src)).bytes(addressBytes(dst));
  return isIpv6(src) ? w.u32(length).u24(0).u8(protocol).finish() : w.u8(0).u8(protocol).u16(length).finish();
}

export const TCP_FLAGS = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10 } as const;

export interface TcpFields {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
}

/**
 * A TCP segment (RFC 9293): 20-byte header. A SYN carries the MSS option, as every stack sends it;
 * the window is a plain 64240 (Linux's initial window for a 1460-byte MSS).
 */
export function tcpSegment(f: TcpFields, payload: Uint8Array): Uint8Array {
  const options = f.flags & TCP_FLAGS.syn ? [2, 4, 0x05, 0xb4] : [];
  const headerLength = 20 + options.length;
  const w = new ByteWriter()
    .u16(f.srcPort)
    .u16(f.dstPort)
    .u32(f.seq)
    .u32(f.flags & TCP_FLAGS.ack ? f.ack : 0)
    .u8((headerLength / 4) << 4)
    .u8(f.flags)
    .u16(64240)
    .u16(0)
    .u16(0)
    .bytes(options)
    .bytes(payload);
  const segment = w.finish();
  const checksum = internetChecksum(pseudoHeader(f.src, f.dst, IP_PROTOCOL.tcp, segment.length), segment);
  segment[16] = checksum >>> 8;
  segment[17] = checksum & 0xff;
  return segment;
}

export interface UdpFields {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

/** A UDP datagram (RFC 768) with its checksum (0 is sent as 0xffff: 0 would mean "none"). */
export function udpDatagram(f: UdpFields, payload: Uint8Array): Uint8Array {
  const datagram = new ByteWriter().u16(f.srcPort).u16(f.dstPort).u16(8 + payload.length).u16(0).bytes(payload).finish();
  const checksum = internetChecksum(pseudoHeader(f.src, f.dst, IP_PROTOCOL.udp, datagram.length), datagram) || 0xffff;
  datagram[6] = checksum >>> 8;
  datagram[7] = checksum & 0xff;
  return datagram;
}

export interface SctpFields {
  readonly srcPort: number;
  readonly dstPort: number;
  /** The receiver's verification tag. */
  readonly tag: number;
  readonly tsn: number;
}

/**
 * An SCTP packet (RFC 9260) with one DATA chunk (unfragmented: B and E set, stream 0, payload
 * protocol 0). The CRC-32C goes in as the kernel writes it: the little-endian bytes of the CRC.
 */
export function sctpPacket(f: SctpFields, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter()
    .u16(f.srcPort)
    .u16(f.dstPort)
    .u32(f.tag)
    .u32(0)
    .u8(0)
    .u8(0x03)
    .u16(16 + payload.length)
    .u32(f.tsn)
    .u16(0)
    .u16(0)
    .u32(0)
    .bytes(payload)
    .pad(4);
  const packet = w.finish();
  new DataView(packet.buffer).setUint32(8, crc32c(packet), true);
  return packet;
}

/** GRE (RFC 2784) with no checksum, key or sequence number: 4 bytes, then the inner packet. */
export function greHeader(protocolType: number): Uint8Array {
  return new ByteWriter().u16(0).u16(protocolType).finish();
}

/**
 * GUE variant 0 (draft-ietf-intarea-gue §3.1): version 0, no control message, no optional fields
 * (hlen 0), and the inner packet's IP protocol number in the proto/ctype field.
 */
export function gueHeader(innerProtocol: number): Uint8Array {
  return new ByteWriter().u8(0).u8(innerProtocol).u16(0).finish();
}

/** Geneve (RFC 8926 §3.4): version 0, no options, the inner packet's EtherType and the 24-bit VNI. */
export function geneveHeader(vni: number, protocolType: number): Uint8Array {
  return new ByteWriter().u8(0).u8(0).u16(protocolType).u24(vni).u8(0).finish();
}

/** VXLAN (RFC 7348 §5): the I flag (a valid VNI), reserved bits zero, the 24-bit VNI. */
export function vxlanHeader(vni: number): Uint8Array {
  return new ByteWriter().u8(0x08).u24(0).u24(vni).u8(0).finish();
}

/**
 * A locally administered unicast MAC derived from an IPv4 address (02:00 and the four octets), so a
 * VXLAN frame's inner Ethernet header names the same hosts its IP header does.
 */
export function macFor(address: string): Uint8Array {
  const ip = addressBytes(address);
  return Uint8Array.from([0x02, 0x00, ...ip.slice(-4)]);
}

/** An Ethernet II frame without the FCS, as captures show it. */
export function ethernetFrame(dst: Uint8Array, src: Uint8Array, etherType: number, payload: Uint8Array): Uint8Array {
  return new ByteWriter().bytes(dst).bytes(src).u16(etherType).bytes(payload).finish();
}
