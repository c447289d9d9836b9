import { formatIpv6, parseIpv6 as readIpv6 } from "../../sim/netfilter/address";
import type { FieldType, NumericUnit } from "./types";

/**
 * When two spellings of a fill-in field mean the same thing. A learner who types `FD00:0:0::1`
 * for `fd00::1`, or `10.4.1.9/24` for `10.4.1.0/24`, has the networking right; the grader compares
 * canonical values, never raw text. A value that cannot be read is not "wrong" but malformed, and
 * comes back with what was expected, so the practice page can say so at the field.
 */

export type Normalised = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };
export type ParsedNumber = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });
const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

const EXPECTED: Readonly<Record<FieldType, string>> = {
  ip: "an IPv4 or IPv6 address such as 10.4.1.5",
  "ip-port": "an address and port such as 10.4.1.5:8080 (an IPv6 address in brackets: [fd00::1]:80)",
  cidr: "a CIDR block such as 10.4.0.0/16",
  protocol: "a protocol: tcp, udp, sctp or icmp, or its number (6, 17, 132, 1)",
  port: "a port number from 1 to 65535",
  name: "a name",
  text: "some text",
};

// ─── addresses ───────────────────────────────────────────────────────────────

/** An address as an unsigned integer of its family's width (32 or 128 bits), so masking is one AND. */
type Address = { readonly family: 4 | 6; readonly value: bigint };

/**
 * A strict dotted quad. `ipaddr.js` also reads the old inet_aton forms ("10.1", "0x0a.0.0.1", and
 * "010.0.0.1" as octal), which no tool in this course prints and which would make "010" mean 8; we
 * ask for four decimal numbers instead.
 */
function parseIPv4(text: string): { ok: true; value: Address } | { ok: false; message: string } {
  const parts = text.split(".");
  if (parts.length !== 4) return fail(`${text} is not an IPv4 address: it has ${parts.length} part${parts.length === 1 ? "" : "s"}, and a dotted quad has four numbers, such as 10.4.1.5.`);
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return fail(`${text} is not an IPv4 address: each of its four parts is a number from 0 to 255, and "${part}" is not.`);
    if (part.length > 1 && part.startsWith("0")) return fail(`${text} has a leading zero in "${part}": some tools read that as octal, so write each part plainly (10.4.1.5).`);
    const byte = Number(part);
    if (byte > 255) return fail(`${text} is not an IPv4 address: each of its four parts is 0 to 255, and ${byte} is not.`);
    value = (value << 8n) | BigInt(byte);
  }
  return ok({ family: 4, value });
}

function parseIPv6(text: string): { ok: true; value: Address } | { ok: false; message: string } {
  // A zone ("fe80::1%eth0") picks the interface a link-local address is reached through; it is not part of the address.
  if (text.includes("%")) return fail(`${text} carries a zone (the part after %); give the address alone.`);
  try {
    // The simulator's reader (ipaddr.js underneath: the quiz layer reaches packages only through src/sim).
    return ok({ family: 6, value: readIpv6(text) });
  } catch {
    return fail(`${text} is not an IPv6 address: eight groups of up to four hex digits, with :: standing for one run of zero groups (fd00::1).`);
  }
}

function parseAddress(text: string): { ok: true; value: Address } | { ok: false; message: string } {
  if (text === "") return fail(`Expected ${EXPECTED.ip}.`);
  return text.includes(":") ? parseIPv6(text) : parseIPv4(text);
}

/**
 * The canonical text of an address: a dotted quad, or IPv6 as inet_ntop prints it (RFC 5952: lower
 * case, the longest zero run as ::, an IPv4-mapped address as ::ffff:a.b.c.d). An IPv4-mapped IPv6
 * address stays IPv6: a socket sees ::ffff:10.4.1.5 and 10.4.1.5 as different families.
 */
function addressText(address: Address): string {
  if (address.family === 6) {
    // inet_ntop also dots the deprecated IPv4-compatible form (::10.4.1.5); RFC 5952 keeps it in hex.
    const high = address.value >> 16n;
    if (high > 0n && address.value >> 32n === 0n) return `::${high.toString(16)}:${(address.value & 0xffffn).toString(16)}`;
    return formatIpv6(address.value);
  }
  return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join(".");
}

function normaliseIp(text: string): Normalised {
  const address = parseAddress(text);
  return address.ok ? ok(addressText(address.value)) : address;
}

function parsePort(text: string, what = "The port"): { ok: true; value: number } | { ok: false; message: string } {
  if (!/^\d+$/.test(text)) return fail(`${what} "${text}" is not a number; ports are whole numbers from 1 to 65535.`);
  const port = Number(text);
  // Port 0 is reserved: a socket bound to it is given an ephemeral port, and no packet carries it.
  if (port < 1 || port > 65535) return fail(`${what} ${text.replace(/^0+(?=\d)/, "")} is out of range: ports run from 1 to 65535.`);
  return ok(port);
}

function normaliseIpPort(text: string): Normalised {
  const bracketed = /^\[([^\]]*)\]\s*:\s*(.*)$/.exec(text);
  if (bracketed) {
    const address = parseIPv6(bracketed[1]!.trim());
    if (!address.ok) return address;
    const port = parsePort(bracketed[2]!.trim());
    return port.ok ? ok(`[${addressText(address.value)}]:${port.value}`) : port;
  }
  if (text.startsWith("[")) return fail(`${text} needs a port after the closing bracket, as in [fd00::1]:80.`);
  const colons = text.split(":").length - 1;
  if (colons === 0) return fail(`${text} has no port: write the address, a colon and the port, such as 10.4.1.5:8080.`);
  if (colons > 1) return fail(`${text} looks like an IPv6 address; put it in brackets before the port, as in [fd00::1]:80, so the port cannot be read as part of the address.`);
  const [host, portText] = text.split(":").map((s) => s.trim()) as [string, string];
  if (host === "") return fail(`${text} has no address before the port; write one such as 10.4.1.5:8080.`);
  const address = parseIPv4(host);
  if (!address.ok) return address;
  if (portText === "") return fail(`${text} has no port after the colon; write one such as 10.4.1.5:8080.`);
  const port = parsePort(portText);
  return port.ok ? ok(`${addressText(address.value)}:${port.value}`) : port;
}

/** A block's network address and prefix length; host bits are cleared, as `ip route` and iptables do with "10.4.1.9/24". */
function normaliseCidr(text: string): Normalised {
  const slash = text.split("/");
  if (slash.length !== 2) return fail(`${text} is not a CIDR block: write an address, a slash and a prefix length, such as 10.4.0.0/16.`);
  const address = parseAddress(slash[0]!.trim());
  if (!address.ok) return address;
  const prefixText = slash[1]!.trim();
  const max = address.value.family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return fail(`The prefix length in ${text} must be a whole number from 0 to ${max} for an IPv${address.value.family} address.`);
  }
  const prefix = Number(prefixText);
  const hostBits = BigInt(max - prefix);
  const network = (address.value.value >> hostBits) << hostBits;
  return ok(`${addressText({ family: address.value.family, value: network })}/${prefix}`);
}

/** IANA protocol numbers (the IP header's protocol field, /etc/protocols). */
const PROTOCOLS: Readonly<Record<string, string>> = {
  tcp: "tcp", "6": "tcp",
  udp: "udp", "17": "udp",
  sctp: "sctp", "132": "sctp",
  icmp: "icmp", "1": "icmp",
  // ICMPv6 is a different protocol from ICMP (58, not 1): Linux spells it ipv6-icmp, ip6tables accepts icmpv6.
  icmpv6: "ipv6-icmp", "ipv6-icmp": "ipv6-icmp", "58": "ipv6-icmp",
};

function normaliseProtocol(text: string): Normalised {
  const key = text.toLowerCase().replace(/^0+(?=\d)/, "");
  const found = Object.hasOwn(PROTOCOLS, key) ? PROTOCOLS[key] : undefined;
  return found ? ok(found) : fail(`"${text}" is not a protocol this course uses; expected ${EXPECTED.protocol}.`);
}

/**
 * Chain, device and host names compare without case, and a host name's trailing dot (the DNS root,
 * "api.example.com.") is dropped. iptables itself is case-sensitive about chain names, but no two
 * chains in a kube-proxy ruleset differ only by case, so the looser rule never accepts a wrong chain.
 */
function normaliseName(text: string): Normalised {
  // "Sao Paulo" names the same site as "São Paulo": accents are folded away with the case.
  const name = text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  const bare = name.length > 1 && name.endsWith(".") ? name.slice(0, -1) : name;
  return bare === "" || bare === "." ? fail(`Expected ${EXPECTED.name}.`) : ok(bare);
}

/**
 * The canonical spelling of a field's value, or why it cannot be read (what was expected).
 *
 * @example normalise("ip", " FD00:0:0::1 ") // { ok: true, value: "fd00::1" }
 * @example normalise("cidr", "10.4.1.9/24") // { ok: true, value: "10.4.1.0/24" }
 * @example normalise("ip", "10.4.1.256")    // { ok: false, message: "10.4.1.256 is not an IPv4 address: …" }
 */
export function normalise(type: FieldType, text: string): Normalised {
  const trimmed = text.trim();
  if (trimmed === "") return fail(`Expected ${EXPECTED[type]}.`);
  switch (type) {
    case "ip":
      return normaliseIp(trimmed);
    case "ip-port":
      return normaliseIpPort(trimmed);
    case "cidr":
      return normaliseCidr(trimmed);
    case "protocol":
      return normaliseProtocol(trimmed);
    case "port": {
      const port = parsePort(trimmed, "Port");
      return port.ok ? ok(String(port.value)) : port;
    }
    case "name":
      return normaliseName(trimmed);
    case "text":
      return ok(trimmed);
  }
}

/** What a field of this type expects, as a noun phrase ("an IPv4 or IPv6 address such as 10.4.1.5"). */
export function expectedForm(type: FieldType): string {
  return EXPECTED[type];
}

/**
 * Whether two spellings mean the same value. Two values either of which cannot be read are equal
 * only as identical trimmed text, so a malformed key still accepts itself.
 *
 * @example sameValue("ip-port", "10.4.1.5 : 8080", "10.4.1.5:8080") // true
 * @example sameValue("cidr", "10.4.0.0/16", "10.4.0.0/24")          // false
 */
export function sameValue(type: FieldType, a: string, b: string): boolean {
  const x = normalise(type, a);
  const y = normalise(type, b);
  if (x.ok && y.ok) return x.value === y.value;
  return !x.ok && !y.ok && a.trim() === b.trim();
}

// ─── numbers with units ──────────────────────────────────────────────────────

type Dimension = "time" | "size" | "count" | "share" | "distance";

const DIMENSION: Readonly<Record<NumericUnit, Dimension>> = {
  ms: "time", us: "time", s: "time",
  bytes: "size",
  count: "count", addresses: "count",
  probability: "share", percent: "share",
  km: "distance",
};

/**
 * Each unit's size in its dimension's smallest whole unit (nanoseconds, bytes, one, a hundredth,
 * metres), so a conversion multiplies or divides by a whole number and "36000 µs" is exactly 36 ms.
 */
const BASE: Readonly<Record<NumericUnit, number>> = {
  s: 1e9, ms: 1e6, us: 1e3,
  bytes: 1,
  count: 1, addresses: 1,
  probability: 100, percent: 1,
  km: 1000,
};

const DIMENSION_WORDS: Readonly<Record<Dimension, string>> = {
  time: "a time: give it in ms, s or µs",
  size: "a size: give it in bytes (B, KB = 1000 B, KiB = 1024 B)",
  count: "a count: give a plain number",
  share: "a probability: give it as 0.2, 20% or 1/5",
  distance: "a distance: give it in km (or m)",
};

/** Suffixes a learner may type, with their dimension and size in the base of `BASE`. Matched exactly, then without case. */
const SUFFIXES: Readonly<Record<string, readonly [Dimension, number]>> = {
  s: ["time", 1e9], sec: ["time", 1e9], secs: ["time", 1e9], second: ["time", 1e9], seconds: ["time", 1e9],
  ms: ["time", 1e6], msec: ["time", 1e6], millisecond: ["time", 1e6], milliseconds: ["time", 1e6],
  us: ["time", 1e3], "µs": ["time", 1e3], "μs": ["time", 1e3], usec: ["time", 1e3], microsecond: ["time", 1e3], microseconds: ["time", 1e3],
  ns: ["time", 1], nanosecond: ["time", 1], nanoseconds: ["time", 1],
  min: ["time", 60e9], minute: ["time", 60e9], minutes: ["time", 60e9],
  B: ["size", 1], byte: ["size", 1], bytes: ["size", 1], octet: ["size", 1], octets: ["size", 1],
  KB: ["size", 1e3], kB: ["size", 1e3], MB: ["size", 1e6], GB: ["size", 1e9],
  KiB: ["size", 1024], MiB: ["size", 1024 ** 2], GiB: ["size", 1024 ** 3],
  bit: ["size", 1 / 8], bits: ["size", 1 / 8],
  km: ["distance", 1000], kilometre: ["distance", 1000], kilometres: ["distance", 1000], kilometer: ["distance", 1000], kilometers: ["distance", 1000],
  m: ["distance", 1], metre: ["distance", 1], metres: ["distance", 1], meter: ["distance", 1], meters: ["distance", 1],
  mi: ["distance", 1609.344], mile: ["distance", 1609.344], miles: ["distance", 1609.344],
  "%": ["share", 1], percent: ["share", 1],
};

/** `value` units of `from` in units of `to`, dividing by a whole ratio where one is smaller, so no binary fraction creeps in. */
function convert(value: number, from: number, to: number): number {
  return from >= to ? value * (from / to) : value / (to / from);
}

/** Lower-case spellings that would be misread: "kb" is kilobits to a network engineer, kilobytes to many others. */
const AMBIGUOUS = new Set(["b", "kb", "mb", "gb"]);

function lookupSuffix(suffix: string): readonly [Dimension, number] | undefined {
  if (Object.hasOwn(SUFFIXES, suffix)) return SUFFIXES[suffix];
  const lower = suffix.toLowerCase();
  if (AMBIGUOUS.has(lower)) return undefined;
  const match = Object.keys(SUFFIXES).find((k) => k.toLowerCase() === lower && !AMBIGUOUS.has(k.toLowerCase()));
  return match === undefined ? undefined : SUFFIXES[match];
}

const NUMBER = String.raw`[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:e[+-]?\d+)?`;
const NUMBER_RE = new RegExp(`^(${NUMBER})\\s*(.*)$`, "i");

function readNumber(text: string): number | null {
  if (!/\d/.test(text)) return null;
  const value = Number(text.replace(/,/g, ""));
  return Number.isFinite(value) ? value : null;
}

/**
 * A number in the variant's unit, from what the learner typed: a bare number is taken in that unit;
 * a number with a unit of the same dimension is converted ("0.036 s" for ms is 36); a unit of another
 * dimension is an error that says which kind of quantity is asked for. Probabilities take "0.2",
 * "20%" or "1/5"; a count takes "256", "65,536" or "2^8".
 *
 * @example parseNumeric("36000 µs", "ms") // { ok: true, value: 36 }
 * @example parseNumeric("1.5 KiB", "bytes") // { ok: true, value: 1536 }
 * @example parseNumeric("36 km", "ms")    // { ok: false, message: "km measures a distance, but this answer is a time: …" }
 */
export function parseNumeric(input: string | number, unit: NumericUnit): ParsedNumber {
  const dimension = DIMENSION[unit];
  if (typeof input === "number") {
    return Number.isFinite(input) ? withinRange(input, unit) : fail(`Expected a finite number, ${DIMENSION_WORDS[dimension]}.`);
  }
  const text = input.trim().replace(/\u2212/g, "-");
  if (text === "") return fail(`Expected a number, ${DIMENSION_WORDS[dimension]}.`);

  const fraction = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (fraction) {
    const denominator = Number(fraction[2]);
    if (denominator === 0) return fail(`${text} divides by zero.`);
    if (dimension !== "share") return fail(`${text} is a fraction, but this answer is ${DIMENSION_WORDS[dimension]}.`);
    const share = Number(fraction[1]) / denominator;
    return withinRange(unit === "percent" ? share * 100 : share, unit);
  }

  const power = /^(\d+)\s*(?:\^|\*\*)\s*(\d+)$/.exec(text);
  if (power) {
    if (dimension !== "count") return fail(`${text} is a power, but this answer is ${DIMENSION_WORDS[dimension]}.`);
    return withinRange(Number(power[1]) ** Number(power[2]), unit);
  }

  const match = NUMBER_RE.exec(text);
  const value = match ? readNumber(match[1]!) : null;
  if (!match || value === null) return fail(`"${text}" is not a number; expected ${DIMENSION_WORDS[dimension]}.`);
  const suffix = match[2]!.trim();
  if (suffix === "") return withinRange(value, unit);

  const known = lookupSuffix(suffix);
  if (!known) {
    if (AMBIGUOUS.has(suffix.toLowerCase())) {
      return fail(`"${suffix}" could mean bits or bytes; write B, KB or KiB for bytes, or bits.`);
    }
    // A count may name what it counts ("3 hops", "256 addresses"); any other quantity needs a unit we know.
    if (dimension === "count" && /^[a-z][a-z ]*$/i.test(suffix)) return withinRange(value, unit);
    return fail(`"${suffix}" is not a unit this answer can take; expected ${DIMENSION_WORDS[dimension]}.`);
  }
  const [suffixDimension, size] = known;
  if (suffixDimension !== dimension) {
    const what = { time: "a time", size: "a size", count: "a count", share: "a share", distance: "a distance" }[suffixDimension];
    return fail(`${suffix} measures ${what}, but this answer is ${DIMENSION_WORDS[dimension]}.`);
  }
  return withinRange(convert(value, size, BASE[unit]), unit);
}

/**
 * A value in one unit expressed in another of the same dimension, or null across dimensions.
 *
 * @example convertNumeric(0.036, "s", "ms") // 36
 */
export function convertNumeric(value: number, from: NumericUnit, to: NumericUnit): number | null {
  return DIMENSION[from] === DIMENSION[to] ? convert(value, BASE[from], BASE[to]) : null;
}

function withinRange(value: number, unit: NumericUnit): ParsedNumber {
  if (unit === "probability" && (value < 0 || value > 1)) return fail(`A probability lies between 0 and 1 (0% to 100%); ${round(value)} does not.`);
  if (unit === "percent" && (value < 0 || value > 100)) return fail(`A percentage lies between 0% and 100%; ${round(value)}% does not.`);
  return ok(value);
}

const round = (value: number): string => String(Math.round(value * 1e6) / 1e6);

/** How a number in a unit is printed in feedback: "36 ms", "0.2", "20%", "1500 bytes". */
export function formatNumeric(value: number, unit: NumericUnit): string {
  const text = round(value);
  switch (unit) {
    case "us":
      return `${text} µs`;
    case "percent":
      return `${text}%`;
    case "probability":
    case "count":
      return text;
    default:
      return `${text} ${unit}`;
  }
}
