import { ipv4Value as v4, ipv6Value as v6 } from "../../net/ip-value";
/**
 * IPv4 and IPv6 literals as certificates carry them: an iPAddress GeneralName is the address's octets in network
 * order (RFC 5280 §4.2.1.6), 4 octets for IPv4 and 16 for IPv6, so the two families never compare equal, and an
 * IPv4-mapped IPv6 address is an IPv6 address here. Written out rather than taken from ipaddr.js so that names.ts
 * stays small enough for a lab page; the canonical text is what ipaddr.js prints (dotted quad, RFC 5952 for IPv6).
 */
export interface IpLiteral {
  readonly family: 4 | 6;
  /** The address as an unsigned integer of 32 or 128 bits. */
  readonly value: bigint;
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as "::"). */
  readonly text: string;
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::", the first on a tie. */
export function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => Number((value >> s) & 0xffn)).join(".");
}

/**
 * A strict IP literal (dotted quad, or IPv6 text, optionally in brackets as in a URL), or null.
 *
 * @example parseIpLiteral("2001:DB8:0:0:0:0:0:1")?.text // "2001:db8::1"
 */
export function parseIpLiteral(text: string): IpLiteral | null {
  let t = text.trim();
  if (t.startsWith("[") && t.endsWith("]")) t = t.slice(1, -1);
  const four = v4(t);
  if (four !== null) return { family: 4, value: four, text: formatIpv4(four) };
  const six = t.includes(":") ? v6(t) : null;
  if (six === null) return null;
  return { family: 6, value: six, text: formatIpv6(six) };
}

/** An IP range "addr/len" (a name constraint's iPAddress, RFC 5280 §4.2.1.10), or null. */
export function parseIpRange(text: string): { readonly family: 4 | 6; readonly base: bigint; readonly bits: number } | null {
  const [addr, len, extra] = text.trim().split("/");
  if (addr === undefined || extra !== undefined) return null;
  const ip = parseIpLiteral(addr);
  if (ip === null) return null;
  const width = ip.family === 4 ? 32 : 128;
  const bits = len === undefined ? width : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(bits >= 0 && bits <= width)) return null;
  const shift = BigInt(width - bits);
  return { family: ip.family, base: (ip.value >> shift) << shift, bits };
}

/** Whether an address falls inside a range of the same family (a range never covers the other family). */
export function ipInRange(ip: IpLiteral, range: { readonly family: 4 | 6; readonly base: bigint; readonly bits: number }): boolean {
  if (ip.family !== range.family) return false;
  const shift = BigInt((ip.family === 4 ? 32 : 128) - range.bits);
  return (ip.value >> shift) << shift === range.base;
}
