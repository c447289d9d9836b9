import { InputError } from "../net/errors";

/**
 * IPv4 and IPv6 prefixes for the BGP model: parse, canonical text, and containment, enough for
 * longest-prefix match. Addresses are held as bigints so one code path serves both families.
 */
export interface IpPrefix {
  readonly family: 4 | 6;
  readonly bits: bigint;
  readonly length: number;
}

function parseV4(text: string): bigint {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new InputError(text, "not an IPv4 address (four numbers from 0 to 255, dot-separated)");
  }
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint {
  const halves = text.split("::");
  if (halves.length > 2) throw new InputError(text, "an IPv6 address has at most one ::");
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) {
    throw new InputError(text, "an IPv6 address has eight 16-bit groups (or :: for a run of zeros)");
  }
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  return all.reduce((acc, g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new InputError(text, `"${g}" is not a 16-bit hexadecimal group`);
    return (acc << 16n) | BigInt(parseInt(g, 16));
  }, 0n);
}

/** An address in either family. */
export function parseAddress(text: string): { family: 4 | 6; bits: bigint } {
  const t = text.trim();
  return t.includes(":") ? { family: 6, bits: parseV6(t) } : { family: 4, bits: parseV4(t) };
}

const width = (family: 4 | 6) => (family === 4 ? 32 : 128);

/**
 * Parses "a.b.c.d/n" or "2001:db8::/32". Host bits must be zero, as in a BGP announcement.
 *
 * @example parsePrefix("104.16.0.0/13").length // 13
 * @throws InputError naming the block the text probably meant when host bits are set
 */
export function parsePrefix(text: string): IpPrefix {
  const t = text.trim();
  const slash = t.indexOf("/");
  if (slash < 0) throw new InputError(text, "a prefix needs a length after a slash, e.g. 104.16.0.0/13");
  const { family, bits } = parseAddress(t.slice(0, slash));
  const lengthText = t.slice(slash + 1);
  const max = width(family);
  if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > max) {
    throw new InputError(text, `the prefix length must be a whole number from 0 to ${max}`);
  }
  const length = Number(lengthText);
  const masked = bits & mask(family, length);
  if (masked !== bits) throw new InputError(text, `host bits are set; the block is ${formatPrefix({ family, bits: masked, length })}`);
  return { family, bits, length };
}

function mask(family: 4 | 6, length: number): bigint {
  const w = BigInt(width(family));
  return length === 0 ? 0n : ((1n << w) - 1n) ^ ((1n << (w - BigInt(length))) - 1n);
}

function formatAddress(family: 4 | 6, bits: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952 §4.2: the longest run of two or more zero groups becomes "::".
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

export function formatPrefix(p: IpPrefix): string {
  return `${formatAddress(p.family, p.bits)}/${p.length}`;
}

/** The canonical text of a prefix ("2001:DB8:0::/32" → "2001:db8::/32"). */
const canonical = new Map<string, string>();
export function canonicalPrefix(text: string): string {
  let c = canonical.get(text);
  if (c === undefined) {
    c = formatPrefix(parsePrefix(text));
    if (canonical.size > 10_000) canonical.clear();
    canonical.set(text, c);
  }
  return c;
}

/** Whether `inner` (a prefix or a host) lies inside `outer`. */
export function prefixCovers(outer: IpPrefix, inner: { family: 4 | 6; bits: bigint; length?: number }): boolean {
  if (outer.family !== inner.family) return false;
  if ((inner.length ?? width(inner.family)) < outer.length) return false;
  return (inner.bits & mask(outer.family, outer.length)) === outer.bits;
}
