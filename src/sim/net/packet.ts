/**
 * A packet is a stack of layers, outermost first, as it would appear on the wire. Addresses are kept
 * as dotted-quad text so a trace serialises to JSON byte-for-byte the same on every run.
 */
export interface Ipv4Layer {
  readonly kind: "ipv4";
  readonly src: string;
  readonly dst: string;
  /** Decremented by every router; proxies start a fresh packet at 64. */
  readonly ttl: number;
}
export interface TcpLayer {
  readonly kind: "tcp";
  readonly srcPort: number;
  readonly dstPort: number;
}
export interface UdpLayer {
  readonly kind: "udp";
  readonly srcPort: number;
  readonly dstPort: number;
}
/** Generic Routing Encapsulation (RFC 2784): Maglev wraps packets in it to reach a GFE. */
export interface GreLayer {
  readonly kind: "gre";
}
/** Generic UDP Encapsulation (draft-ietf-intarea-gue), which Cloudflare's Unimog uses between servers. */
export interface GueLayer {
  readonly kind: "gue";
}
/** Geneve (RFC 8926) over UDP 6081: the overlay header, with a virtual network identifier. */
export interface GeneveLayer {
  readonly kind: "geneve";
  readonly vni: number;
}
/** VXLAN (RFC 7348) over UDP 4789. */
export interface VxlanLayer {
  readonly kind: "vxlan";
  readonly vni: number;
}
/**
 * The state of a TLS session as a packet on it carries: which two parties hold the keys and which
 * certificate the server presented. Anyone between those two parties sees only ciphertext.
 */
export interface TlsLayer {
  readonly kind: "tls";
  readonly version: "1.3" | "1.2";
  /** The name the client asked for in the ClientHello (Server Name Indication). */
  readonly sni: string;
  /** Subject of the certificate the server presented. */
  readonly certificate: string;
  readonly issuer: string;
  /** Device id of the TLS client and of the TLS server (the terminator). */
  readonly client: string;
  readonly server: string;
  /** Set when this packet carries a TLS alert that ends the handshake instead of application data. */
  readonly alert?: string;
}
export interface HttpLayer {
  readonly kind: "http";
  /** "GET /cart" on a request; absent on a response. */
  readonly requestLine?: string;
  readonly host?: string;
  /**
   * X-Forwarded-For as it leaves this hop. Proxies open new connections, so the next hop sees the
   * proxy's address as the source; the original client survives only in this header.
   */
  readonly forwardedFor?: string;
  /** Status line on a response, e.g. "200 OK". */
  readonly status?: string;
  /** `cf-cache-status`: the response header Cloudflare adds to say what its cache did. */
  readonly cacheStatus?: "HIT" | "MISS" | "EXPIRED" | "DYNAMIC" | "BYPASS";
  /** `Cache-Control` as the origin (or a cache) sent it. */
  readonly cacheControl?: string;
}

export type Layer = Ipv4Layer | TcpLayer | UdpLayer | GreLayer | GueLayer | GeneveLayer | VxlanLayer | TlsLayer | HttpLayer;
export type LayerKind = Layer["kind"];

export interface Packet {
  readonly layers: readonly Layer[];
}

/** Wraps a packet in outer headers (encapsulation): the inner packet travels unchanged. */
export function encapsulate(packet: Packet, outer: readonly Layer[]): Packet {
  return { layers: [...outer, ...packet.layers] };
}

/** Removes `count` outer layers (decapsulation). */
export function decapsulate(packet: Packet, count: number): Packet {
  return { layers: packet.layers.slice(count) };
}
