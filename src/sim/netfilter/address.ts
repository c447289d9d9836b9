import ipaddr from "ipaddr.js";
import { InputError } from "../net/errors";
import { formatIpv4, parseIpv4 } from "../net/ipv4";

/**
 * Addresses as the matches compare them. iptables and ip6tables are two tools over two tables of
 * rules (x_tables registers ip_tables and ip6_tables separately, and a packet only ever meets the
 * one of its own family); the model keeps one ruleset per family the same way, with IPv4 addresses
 * as unsigned 32-bit numbers and IPv6 addresses as 128-bit bigints, so `(a & mask) === network`
 * reads the same for both.
 */
export type Family = "IPv4" | "IPv6";
export type Address = number | bigint;

/** The family an address's text is written in: a colon means IPv6. */
export function familyOfText(text: string): Family {
  return text.includes(":") ? "IPv6" : "IPv4";
}

/** The tool whose rules a family's packets meet, for messages: "iptables" or "ip6tables". */
export function toolOf(family: Family): "iptables" | "ip6tables" {
  return family === "IPv6" ? "ip6tables" : "iptables";
}

export const IPV6_ALL_ONES = (1n << 128n) - 1n;

/**
 * IPv6 text → 128-bit value: every form inet_pton(AF_INET6) accepts ("fd00::a", "::ffff:10.0.0.1").
 * A zone ("fe80::1%eth0") is not part of an address in a rule or a packet header, so it is refused.
 *
 * @example parseIpv6("::1") // 1n
 * @throws InputError "fd00:::1: not an IPv6 address"
 */
export function parseIpv6(text: string): bigint {
  const trimmed = text.trim();
  if (trimmed === "") throw new InputError(text, "no address given");
  if (trimmed.includes("%") || !ipaddr.IPv6.isValid(trimmed)) throw new InputError(text, "not an IPv6 address");
  let value = 0n;
  for (const part of ipaddr.IPv6.parse(trimmed).parts) value = (value << 16n) | BigInt(part);
  return value;
}

/**
 * 128-bit value → text as inet_ntop(AF_INET6) writes it, which is what ip6tables-save, conntrack -L
 * and ip(8) print: RFC 5952 (lower case, the longest run of two or more zero groups as "::", the
 * first such run on a tie), and glibc's dotted tail for IPv4-mapped and IPv4-compatible addresses.
 *
 * @example formatIpv6(0xfd00_0010_0096_0000_0000_0000_0000_000an) // "fd00:10:96::a"
 */
export function formatIpv6(value: bigint): string {
  const words: number[] = [];
  for (let i = 7; i >= 0; i--) words.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  // inet_ntop6: "::a.b.c.d" when the first six words are zero, "::ffff:a.b.c.d" when the first five are.
  const dotted = bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      parts.push(i === 0 ? ":" : "");
      i += bestLen - 1;
      if (i === 7) parts.push("");
      continue;
    }
    if (dotted && i === 6) {
      parts.push(`${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`);
      break;
    }
    parts.push(words[i]!.toString(16));
  }
  return parts.join(":");
}

/** Text → address of the family asked for. @throws InputError naming the text */
export function parseAddress(text: string, family: Family): Address {
  return family === "IPv6" ? parseIpv6(text) : parseIpv4(text);
}

/** Address → text in the family's usual form. */
export function formatAddress(address: Address): string {
  return typeof address === "bigint" ? formatIpv6(address) : formatIpv4(address);
}

/**
 * "10.180.0.1:8080", or "[fd00:10:180::1]:8080": the form `--to-destination` takes, kube-proxy writes
 * and Go's net.JoinHostPort prints.
 */
export function formatHostPort(address: Address | string, port: number): string {
  const text = typeof address === "string" ? address : formatAddress(address);
  return text.includes(":") ? `[${text}]:${port}` : `${text}:${port}`;
}

/** A prefix length's mask in the family's width. */
export function prefixMask(prefix: number, family: Family): Address {
  if (family === "IPv6") return prefix === 0 ? 0n : (IPV6_ALL_ONES << BigInt(128 - prefix)) & IPV6_ALL_ONES;
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Whether `address` lies in network/mask; false when the families differ. */
export function inNetwork(address: Address, network: Address, mask: Address): boolean {
  if (typeof address === "bigint") return typeof network === "bigint" && (address & (mask as bigint)) === network;
  return typeof network === "number" && ((address & (mask as number)) >>> 0) === network;
}

/** The address with `mask` applied (recent --mask, CIDR host bits). */
export function maskAddress(address: Address, mask: Address): Address {
  return typeof address === "bigint" ? address & (mask as bigint) : (address & (mask as number)) >>> 0;
}

/** The number of leading bits two addresses of one family share (RFC 6724 rule 8, CommonPrefixLen). */
export function commonPrefixLength(a: Address, b: Address): number {
  const width = typeof a === "bigint" ? 128 : 32;
  const diff = typeof a === "bigint" ? a ^ (b as bigint) : BigInt((a ^ (b as number)) >>> 0);
  return diff === 0n ? width : width - diff.toString(2).length;
}
