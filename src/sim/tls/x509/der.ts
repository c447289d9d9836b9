/**
 * Just enough DER (ITU-T X.690) to read the two extensions the certificate library leaves raw or refuses on odd
 * input: subjectAltName and nameConstraints, both made of GeneralNames (RFC 5280 §4.2.1.6, §4.2.1.10). Reading
 * them here keeps every name type — including otherName, which the library throws on — and the CIDR form of
 * iPAddress constraints.
 */
import type { GeneralName } from "./types";
import { formatIpv4, formatIpv6 } from "./ip";

export interface Tlv {
  readonly tag: number;
  readonly content: Uint8Array;
  /** Offset just past this element in the buffer it was read from. */
  readonly end: number;
}

/** Reads one tag-length-value at `offset`; throws on a length that runs past the buffer. */
export function readTlv(bytes: Uint8Array, offset: number): Tlv {
  if (offset + 2 > bytes.length) throw new Error("DER element truncated");
  const tag = bytes[offset]!;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) throw new Error("DER length not supported");
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  if (start + length > bytes.length) throw new Error("DER element runs past its container");
  return { tag, content: bytes.subarray(start, start + length), end: start + length };
}

/** The elements inside a constructed value (a SEQUENCE's contents). */
export function readChildren(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < content.length; ) {
    const tlv = readTlv(content, offset);
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

const ascii = (b: Uint8Array) => String.fromCharCode(...b);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function addressText(b: Uint8Array): string {
  const value = b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
  return b.length === 4 ? formatIpv4(value) : formatIpv6(value);
}

function prefixLength(mask: Uint8Array): number | null {
  let bits = 0;
  let ended = false;
  for (const byte of mask) {
    for (let i = 7; i >= 0; i -= 1) {
      const set = (byte >> i) & 1;
      if (set && ended) return null; // not a contiguous mask
      if (set) bits += 1;
      else ended = true;
    }
  }
  return bits;
}

/**
 * One GeneralName, context-tagged as in RFC 5280 §4.2.1.6. `constraint` reads iPAddress as address + mask (8 or 32
 * octets, RFC 5280 §4.2.1.10) and prints it as CIDR. `dn` renders a directoryName's DER (supplied by the caller, who
 * has a Name parser).
 */
export function readGeneralName(tlv: Tlv, constraint: boolean, dn: (der: Uint8Array) => string): GeneralName {
  switch (tlv.tag) {
    case 0x81:
      return { type: "email", value: ascii(tlv.content) };
    case 0x82:
      return { type: "dns", value: ascii(tlv.content) };
    case 0x86:
      return { type: "uri", value: ascii(tlv.content) };
    case 0x87: {
      const b = tlv.content;
      if (!constraint && (b.length === 4 || b.length === 16)) return { type: "ip", value: addressText(b) };
      if (constraint && (b.length === 8 || b.length === 32)) {
        const half = b.length / 2;
        const bits = prefixLength(b.subarray(half));
        if (bits !== null) return { type: "ip", value: `${addressText(b.subarray(0, half))}/${bits}` };
      }
      return { type: "other", value: `iPAddress #${hex(b)}` };
    }
    case 0xa4:
      return { type: "dn", value: dn(tlv.content) };
    case 0xa0:
      return { type: "other", value: `otherName #${hex(tlv.content)}` };
    default:
      return { type: "other", value: `[${tlv.tag & 0x1f}] #${hex(tlv.content)}` };
  }
}

/** subjectAltName's extnValue: GeneralNames ::= SEQUENCE OF GeneralName. */
export function readGeneralNames(extnValue: Uint8Array, dn: (der: Uint8Array) => string): GeneralName[] {
  const seq = readTlv(extnValue, 0);
  if (seq.tag !== 0x30) throw new Error("subjectAltName is not a SEQUENCE");
  return readChildren(seq.content).map((t) => readGeneralName(t, false, dn));
}

/** nameConstraints' extnValue: SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] } of GeneralSubtree { base, … }. */
export function readNameConstraints(extnValue: Uint8Array, dn: (der: Uint8Array) => string): { permitted: GeneralName[]; excluded: GeneralName[] } {
  const seq = readTlv(extnValue, 0);
  if (seq.tag !== 0x30) throw new Error("nameConstraints is not a SEQUENCE");
  const out = { permitted: [] as GeneralName[], excluded: [] as GeneralName[] };
  for (const part of readChildren(seq.content)) {
    const list = part.tag === 0xa0 ? out.permitted : part.tag === 0xa1 ? out.excluded : null;
    if (list === null) continue;
    for (const subtree of readChildren(part.content)) {
      const [base] = readChildren(subtree.content);
      if (base !== undefined) list.push(readGeneralName(base, true, dn));
    }
  }
  return out;
}

function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return [0x80 | bytes.length, ...bytes];
}

export function encodeTlv(tag: number, content: readonly number[] | Uint8Array): Uint8Array {
  return Uint8Array.from([tag, ...encodeLength(content.length), ...content]);
}

/** DER of a nameConstraints value with dNSName and iPAddress (CIDR) subtrees, for generating sample CAs. */
export function encodeNameConstraints(permitted: readonly GeneralName[], excluded: readonly GeneralName[], ipBytes: (cidr: string) => number[]): Uint8Array {
  const subtree = (n: GeneralName) => {
    const base = n.type === "dns" ? encodeTlv(0x82, Array.from(n.value, (c) => c.charCodeAt(0))) : encodeTlv(0x87, ipBytes(n.value));
    return [...encodeTlv(0x30, base)];
  };
  const parts: number[] = [];
  if (permitted.length > 0) parts.push(...encodeTlv(0xa0, permitted.flatMap(subtree)));
  if (excluded.length > 0) parts.push(...encodeTlv(0xa1, excluded.flatMap(subtree)));
  return encodeTlv(0x30, parts);
}
