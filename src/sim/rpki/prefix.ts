/**
 * IP prefixes as route-origin validation compares them: IPv4 as an unsigned 32-bit number, IPv6 as a
 * 128-bit bigint, with the prefix length beside. Both a VRP and a route carry one; RFC 6811 §2 only
 * ever compares prefixes of the same family.
 */
import { InputError } from "../net/errors";
import { formatIpv4, parseIpv4 } from "../net/ipv4";
import { formatIpv6, parseIpv6 } from "../netfilter/address";

export type IpPrefix =
  | { readonly family: 4; readonly network: number; readonly length: number }
  | { readonly family: 6; readonly network: bigint; readonly length: number };

/** The longest prefix of each family: a maxLength above it is meaningless. */
export const MAX_LENGTH = { 4: 32, 6: 128 } as const;

const V4_MASKS: readonly number[] = Array.from({ length: 33 }, (_, l) => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0));
const V6_ALL = (1n << 128n) - 1n;
const V6_MASKS: readonly bigint[] = Array.from({ length: 129 }, (_, l) => (l === 0 ? 0n : (V6_ALL >> BigInt(128 - l)) << BigInt(128 - l)));

/** The first `length` bits of an IPv4 address, the rest cleared. */
export function truncate4(address: number, length: number): number {
  return (address & V4_MASKS[length]!) >>> 0;
}

/** The first `length` bits of an IPv6 address, the rest cleared. */
export function truncate6(address: bigint, length: number): bigint {
  return address & V6_MASKS[length]!;
}

/** A prefix as read, and whether the text had bits set beyond its length (and was cleared). */
export interface ReadPrefix {
  readonly prefix: IpPrefix;
  /** The text as written when it had host bits set ("10.10.10.0/20"); null when it was canonical. */
  readonly hostBits: string | null;
}

/**
 * Reads "192.0.2.0/24" or "2001:db8::/32". A prefix written with host bits set ("10.10.10.0/20") is
 * read as its canonical prefix (10.10.0.0/20) and reported in `hostBits`: that is how rtrlib stores
 * such a record (its test table adds 1.0.65.0/18 and matches it as 1.0.64.0/18), and a BGP NLRI
 * cannot carry host bits at all, so the caller decides whether to warn.
 *
 * @example readPrefix("10.10.10.0/20") // { prefix: { family: 4, network: 168427520, length: 20 }, hostBits: "10.10.10.0/20" }
 * @throws InputError for anything that is not an address, a slash and a length in range
 */
export function readPrefix(text: string): ReadPrefix {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  if (trimmed === "") throw new InputError(text, "no prefix given; write it as 192.0.2.0/24 or 2001:db8::/32");
  if (slash < 0) throw new InputError(text, "a prefix needs a length after a slash, e.g. 192.0.2.0/24");
  const addressText = trimmed.slice(0, slash);
  const lengthText = trimmed.slice(slash + 1);
  const family = addressText.includes(":") ? 6 : 4;
  const max = MAX_LENGTH[family];
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) throw new InputError(text, `the prefix length "${lengthText}" is not a whole number from 0 to ${max}`);
  const length = Number(lengthText);
  if (length > max) throw new InputError(text, `an IPv${family} prefix is at most /${max}, this is /${length}`);
  let address: number | bigint;
  try {
    address = family === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(text, `${addressText} is not an IPv${family} address (${error.reason})`);
    throw error;
  }
  const prefix: IpPrefix =
    family === 4 ? { family, network: truncate4(address as number, length), length } : { family, network: truncate6(address as bigint, length), length };
  return { prefix, hostBits: prefix.network === address ? null : trimmed };
}

/** Reads a prefix and drops the host-bits note (for callers that need only the prefix). */
export function parsePrefix(text: string): IpPrefix {
  return readPrefix(text).prefix;
}

/** Canonical text: "192.0.2.0/24", "2001:db8::/32" (RFC 5952). */
export function formatPrefix(prefix: IpPrefix): string {
  return `${prefix.family === 4 ? formatIpv4(prefix.network) : formatIpv6(prefix.network)}/${prefix.length}`;
}

/** Whether `outer` contains `inner`: same family, no longer, and `inner` inside it (RFC 6811's "covers" on prefixes). */
export function prefixContains(outer: IpPrefix, inner: IpPrefix): boolean {
  if (outer.family !== inner.family || outer.length > inner.length) return false;
  return outer.family === 4
    ? truncate4(inner.network as number, outer.length) === outer.network
    : truncate6(inner.network as bigint, outer.length) === outer.network;
}

/** Orders prefixes: IPv4 before IPv6, then by network, then shorter first. */
export function comparePrefixes(a: IpPrefix, b: IpPrefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.network !== b.network) return a.network < b.network ? -1 : 1;
  return a.length - b.length;
}
