import type { Hop, Trace } from "../trace";
import type { Layer, Packet, TlsLayer } from "../net/packet";
import { clientHello, httpMessage, serverFlight } from "../pcap/application";

/**
 * How many bytes a packet of the trace takes on the wire (its IP packet, as a capture shows it), and
 * how many of them encapsulation adds. Header sizes are the protocols' own: IPv4 20 (no options),
 * TCP 20 (the trace's segments carry data, so no SYN options), UDP 8, GRE 4 (RFC 2784, no checksum,
 * key or sequence number), GUE 4 (variant 0, no optional fields), Geneve 8 (RFC 8926, no options),
 * VXLAN 8 plus the 14-byte Ethernet header of the frame it carries (RFC 7348). What TCP carries is
 * counted as the pcap export writes it: HTTP/1.1 text in clear, or one TLS record around it.
 *
 * Under the `encap-free` wrong model every encapsulating header counts 0: a tunnelled packet is
 * believed to be as long as the packet inside it.
 */

/** Bytes of the fixed headers, by layer kind; TLS and HTTP are payload (`payloadBytes`). */
export const HEADER_BYTES = { ipv4: 20, tcp: 20, udp: 8, gre: 4, gue: 4, geneve: 8, vxlan: 8 } as const;
/** The Ethernet II header inside a VXLAN packet (no FCS, as captures show it). */
export const VXLAN_INNER_ETHERNET_BYTES = 14;
/** A TLS record's header: type, version, length (RFC 8446 §5.1). */
const TLS_RECORD_HEADER = 5;
/** What TLS 1.3 adds to a record's plaintext: the inner content type and the 16-byte AEAD tag (§5.2); TLS 1.2 with AES-GCM an 8-byte explicit nonce and the tag. */
const tlsRecordExpansion = (tls: TlsLayer) => (tls.version === "1.3" ? 1 + 16 : 8 + 16);
/** A fatal alert record: the header and two bytes. */
const ALERT_RECORD_BYTES = TLS_RECORD_HEADER + 2;

/** Bytes of one layer's header as the wire carries it; 0 for TLS and HTTP, which are payload. */
export function headerBytes(layer: Layer): number {
  switch (layer.kind) {
    case "vxlan":
      return HEADER_BYTES.vxlan + VXLAN_INNER_ETHERNET_BYTES;
    case "tls":
    case "http":
      return 0;
    default:
      return HEADER_BYTES[layer.kind];
  }
}

/** Index of the innermost IPv4 header: everything before it is encapsulation. */
function innermostIp(packet: Packet): number {
  for (let i = packet.layers.length - 1; i >= 0; i--) if (packet.layers[i]!.kind === "ipv4") return i;
  throw new Error("a packet of the flagship starts with an IPv4 header");
}

/**
 * What TCP carries. A TLS layer with no HTTP inside is the handshake: the client's hello, or — sent
 * from port 443, where every TLS server of the flagship listens — the server's first flight.
 */
export function payloadBytes(packet: Packet): number {
  const tls = packet.layers.find((l): l is TlsLayer => l.kind === "tls");
  const http = packet.layers.find((l) => l.kind === "http");
  const httpBytes = http?.kind === "http" ? httpMessage(http).length : 0;
  if (!tls) return httpBytes;
  if (tls.alert !== undefined) return ALERT_RECORD_BYTES;
  if (http) return TLS_RECORD_HEADER + httpBytes + tlsRecordExpansion(tls);
  const tcp = packet.layers[innermostIp(packet) + 1];
  const fromServer = tcp?.kind === "tcp" && tcp.srcPort === 443;
  return (fromServer ? serverFlight(tls, "") : clientHello(tls, "")).length;
}

/** Bytes the encapsulating headers add (0 for a packet that is not tunnelled); 0 for all under `encap-free`. */
export function encapsulationBytes(packet: Packet, model: string | null = null): number {
  if (model === "encap-free") return 0;
  return packet.layers.slice(0, innermostIp(packet)).reduce((sum, l) => sum + headerBytes(l), 0);
}

/**
 * The packet's length on the wire: every header, then the payload.
 *
 * @example wireBytes(hopById(trace, "request:maglev")!.out!) - wireBytes(hopById(trace, "request:maglev")!.in!) // 24: outer IPv4 + GRE
 */
export function wireBytes(packet: Packet, model: string | null = null): number {
  const inner = packet.layers.slice(innermostIp(packet)).reduce((sum, l) => sum + headerBytes(l), 0);
  return encapsulationBytes(packet, model) + inner + payloadBytes(packet);
}

/** A hop's packets in bytes, as the trace's model counts them, and what the hop's encapsulation changed. */
export function hopWireBytes(trace: Pick<Trace, "model">, hop: Pick<Hop, "in" | "out">): { in: number | null; out: number | null; encapsulationAdded: number } {
  const model = trace.model ?? null;
  const encap = (p: Packet | null) => (p ? encapsulationBytes(p, model) : 0);
  return {
    in: hop.in ? wireBytes(hop.in, model) : null,
    out: hop.out ? wireBytes(hop.out, model) : null,
    encapsulationAdded: encap(hop.out) - encap(hop.in),
  };
}
