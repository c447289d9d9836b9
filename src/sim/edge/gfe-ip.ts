import { ipv4Value as v4, ipv6Value as v6 } from "../net/ip-value";
import { InputError } from "../net/errors";

/**
 * IPv4 and IPv6 addresses and ranges as Cloud Armor reads them (`srcIpRanges`, `inIpRange`). Written
 * out rather than taken from ipaddr.js: the URL-map tester loads this on a lesson page, where every
 * kilobyte counts, and it needs only parsing and containment.
 */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
  readonly text: string;
}

export interface IpRange {
  readonly text: string;
  contains(address: string): boolean;
}

/**
 * A strict address: a dotted quad, or IPv6 text (RFC 4291 §2.2). IPv4-mapped IPv6 (`::ffff:a.b.c.d`)
 * counts as the IPv4 address, as Google's load balancers report such clients.
 *
 * @throws InputError when the text is neither
 */
export function parseAddress(text: string): IpAddress {
  const t = text.trim();
  const four = v4(t);
  if (four !== null) return { family: 4, value: four, text: t };
  const six = t.includes(":") ? v6(t) : null;
  if (six === null) throw new InputError(text, "not an IPv4 or IPv6 address");
  if (six >> 32n === 0xffffn) return { family: 4, value: six & 0xffffffffn, text: t };
  return { family: 6, value: six, text: t };
}

/**
 * `10.0.0.0/8`, `2001:db8::/32`, a bare address (one host), or `*` (everything).
 *
 * @throws InputError with the reason
 * @example parseIpRange("173.245.48.0/20").contains("173.245.50.1") // true
 */
export function parseIpRange(text: string): IpRange {
  const t = text.trim();
  if (t === "*") return { text: t, contains: () => true };
  const [addr, bits] = t.split("/");
  const base = parseAddress(addr!);
  const width = base.family === 4 ? 32 : 128;
  if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > width)) throw new InputError(text, `the prefix length must be 0 to ${width}`);
  const shift = BigInt(width - (bits === undefined ? width : Number(bits)));
  return {
    text: t,
    contains(address) {
      const a = parseAddress(address);
      return a.family === base.family && a.value >> shift === base.value >> shift;
    },
  };
}
