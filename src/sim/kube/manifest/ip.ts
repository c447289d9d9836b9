/**
 * IP addresses and CIDRs as the API server parses them (k8s.io/utils/net ParseIPSloppy /
 * ParseCIDRSloppy, i.e. Go's net.ParseIP that also tolerates leading zeros in IPv4 octets), turned
 * into the canonical text the model stores (dotted quad; RFC 5952 for IPv6, which ipaddr.js prints).
 */
import ipaddr from "ipaddr.js";
import type { IpFamily } from "../model";

export interface ParsedIp {
  readonly family: IpFamily;
  /** Canonical text: what Go's net.IP.String() prints. */
  readonly text: string;
  /** The address as an unsigned integer (32 or 128 bits), for range arithmetic. */
  readonly value: bigint;
}

const ipv4Sloppy = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function fromBytes(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** null when Go's ParseIPSloppy would return nil. IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4, as in Go. */
export function parseIp(text: string): ParsedIp | null {
  const v4 = ipv4Sloppy.exec(text);
  if (v4 !== null) {
    const octets = v4.slice(1, 5).map((octet) => Number(octet));
    if (octets.some((octet) => octet > 255)) return null;
    return { family: "IPv4", text: octets.join("."), value: fromBytes(octets) };
  }
  // Go's ParseIP rejects zones ("fe80::1%eth0"); ipaddr.js would accept them.
  if (!text.includes(":") || text.includes("%") || !ipaddr.IPv6.isValid(text)) return null;
  const v6 = ipaddr.IPv6.parse(text);
  if (v6.isIPv4MappedAddress()) {
    const octets = v6.toIPv4Address().octets;
    return { family: "IPv4", text: octets.join("."), value: fromBytes(octets) };
  }
  return { family: "IPv6", text: v6.toString(), value: fromBytes(v6.toByteArray()) };
}

export function bitsOf(family: IpFamily): number {
  return family === "IPv4" ? 32 : 128;
}

/** The canonical text of an address given as an integer. */
export function formatIp(family: IpFamily, value: bigint): string {
  const bytes: number[] = [];
  for (let i = bitsOf(family) / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return family === "IPv4" ? bytes.join(".") : ipaddr.fromByteArray(bytes).toString();
}

export interface ParsedCidr {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefix: number;
  /** Canonical text of the masked block, as Go's IPNet.String() prints it. */
  readonly text: string;
  /** The address as written, before masking (API warnings name it when host bits are set). */
  readonly address: ParsedIp;
}

/** null when ParseCIDRSloppy fails. Host bits may be set (the API server only warns about them). */
export function parseCidr(text: string): ParsedCidr | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === null || !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  // An IPv4-mapped address carries an IPv6 prefix length in Go; keep it simple and reject it.
  if (text.slice(0, slash).includes(":") && address.family === "IPv4") return null;
  const bits = bitsOf(address.family);
  if (prefix > bits) return null;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const network = address.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
  return { family: address.family, network, prefix, text: `${formatIp(address.family, network)}/${prefix}`, address };
}

export function cidrContains(block: ParsedCidr, ip: ParsedIp): boolean {
  if (block.family !== ip.family) return false;
  const shift = BigInt(bitsOf(block.family) - block.prefix);
  return ip.value >> shift === block.network >> shift;
}

/** net.IP.IsUnspecified / IsLoopback / IsLinkLocalUnicast / IsLinkLocalMulticast. */
export function specialKind(ip: ParsedIp): "unspecified" | "loopback" | "link-local" | "link-local multicast" | null {
  const cidrs: [string, "unspecified" | "loopback" | "link-local" | "link-local multicast"][] = ip.family === "IPv4"
    ? [["0.0.0.0/32", "unspecified"], ["127.0.0.0/8", "loopback"], ["169.254.0.0/16", "link-local"], ["224.0.0.0/24", "link-local multicast"]]
    : [["::/128", "unspecified"], ["::1/128", "loopback"], ["fe80::/10", "link-local"], ["ff02::/16", "link-local multicast"]];
  for (const [cidr, kind] of cidrs) {
    const block = parseCidr(cidr);
    if (block !== null && cidrContains(block, ip)) return kind;
  }
  return null;
}
