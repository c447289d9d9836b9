import { fibreMs, greatCircleKm, site, type SiteId } from "../geo";
import type { HttpLayer, Layer, Packet, TlsLayer } from "../net/packet";
import type { FiveTuple } from "../net/ports";
import { siphashText } from "./siphash";

/**
 * The layers the edge journey's packets are built from, and the model's own flow hash. Proxies
 * (Cloudflare's edge, the GFE) start fresh packets at TTL 64; routers decrement it (`withTtl`).
 */

export function ipv4(src: string, dst: string, ttl = 64): Layer {
  return { kind: "ipv4", src, dst, ttl };
}

export function tcp(srcPort: number, dstPort: number): Layer {
  return { kind: "tcp", srcPort, dstPort };
}

/** The TLS session a packet travels on; `cert` null while the handshake has not shown one. */
export function tls(client: string, server: string, sni: string, cert: { readonly names: readonly string[]; readonly issuer: string } | null, alert?: string): TlsLayer {
  const base: TlsLayer = {
    kind: "tls", version: "1.3", sni,
    certificate: cert ? cert.names.join(", ") : "(none yet: handshake)",
    issuer: cert ? cert.issuer : "—", client, server,
  };
  return alert ? { ...base, alert } : base;
}

/** A GET; proxies append to X-Forwarded-For the address that connected to them. */
export function httpRequest(path: string, host: string, forwardedFor?: string): HttpLayer {
  return forwardedFor ? { kind: "http", requestLine: `GET ${path}`, host, forwardedFor } : { kind: "http", requestLine: `GET ${path}`, host };
}

export function httpResponse(status: string, extra: { cacheStatus?: HttpLayer["cacheStatus"]; cacheControl?: string } = {}): HttpLayer {
  const layer: HttpLayer = { kind: "http", status };
  return {
    ...layer,
    ...(extra.cacheControl ? { cacheControl: extra.cacheControl } : {}),
    ...(extra.cacheStatus ? { cacheStatus: extra.cacheStatus } : {}),
  };
}

/** The packet after `decrement` routers: only the outermost IPv4 header's TTL changes (a tunnel's inner one is untouched). */
export function withTtl(packet: Packet, decrement: number): Packet {
  let done = false;
  return {
    layers: packet.layers.map((l) => {
      if (done || l.kind !== "ipv4") return l;
      done = true;
      return { ...l, ttl: l.ttl - decrement };
    }),
  };
}

/** The HTTP message a packet carries, if any (a proxy relays its status and headers). */
export function httpOf(packet: Packet): HttpLayer | undefined {
  return packet.layers.find((l): l is HttpLayer => l.kind === "http");
}

export const tcpFlow = (srcIp: string, srcPort: number, dstIp: string, dstPort: number): FiveTuple => ({ protocol: "tcp", srcIp, srcPort, dstIp, dstPort });

/** The modelled round trip between two sites: light in fibre, both ways. */
export const rttMs = (a: SiteId, b: SiteId) => Math.round(2 * fibreMs(greatCircleKm(site(a), site(b))) * 1000) / 1000;

/** Keys for the model's own flow hashes (SipHash-2-4, the reference test key). */
const HASH_K0 = 0x0706050403020100n;
const HASH_K1 = 0x0f0e0d0c0b0a0908n;

/** The model's stand-in for a device's flow hash (ECMP, Unimog) and for names it derives: SipHash-2-4, 64 bits. */
export const modelHash = (text: string) => siphashText(HASH_K0, HASH_K1, text);
export const hash32 = (text: string) => Number(modelHash(text) & 0xffffffffn);
