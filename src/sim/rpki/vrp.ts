/**
 * A Validated ROA Payload (RFC 6811 §2): what relying-party software (Routinator, rpki-client, …) hands
 * a router over RPKI-to-Router (RFC 8210) after checking the ROAs' signatures — a prefix, a maximum
 * length and an origin ASN. Routers never see a signature; they compare routes with these triples.
 */
import { InputError } from "../net/errors";
import { formatAsn, parseAsn } from "./asn";
import { MAX_LENGTH, comparePrefixes, formatPrefix, readPrefix, type IpPrefix } from "./prefix";

export interface Vrp {
  readonly prefix: IpPrefix;
  /** The longest route inside `prefix` this VRP can make Valid (≥ the prefix length, ≤ 32 / 128). */
  readonly maxLength: number;
  /** The authorised origin; 0 means no AS may originate it (AS0, RFC 6483 §4, RFC 7607). */
  readonly asn: number;
  /** The trust anchor the ROA chains to ("ripe", "apnic"), when the export names it. */
  readonly ta?: string;
}

/** A bad field of a VRP: which one, so a form can show the message at that field. */
export class VrpFieldError extends InputError {
  readonly field: "prefix" | "maxLength" | "asn";
  constructor(field: "prefix" | "maxLength" | "asn", cause: InputError) {
    super(cause.input, cause.reason);
    this.name = "VrpFieldError";
    this.field = field;
  }
  /** "maxLength 33 is longer than 32 …", "prefix 10.0.0.0/33: an IPv4 prefix is at most /32 …" */
  get description(): string {
    return this.field === "maxLength" ? this.reason : `${this.field} ${this.input}: ${this.reason}`;
  }
}

function field<T>(name: VrpFieldError["field"], read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError) throw new VrpFieldError(name, error);
    throw error;
  }
}

/** What was read, and a note when the prefix had host bits set and was cleared. */
export interface ReadVrp {
  readonly vrp: Vrp;
  readonly hostBits: string | null;
}

/**
 * Builds a VRP from the three fields an export writes, checking each. A missing maxLength is the
 * prefix length, as in a ROA without one (the ROA profile, RFC 9582, formerly RFC 6482: only the prefix itself is authorised).
 *
 * @example readVrp("192.0.2.0/24", 24, "AS64496").vrp.asn // 64496
 * @throws VrpFieldError naming the field: a bad prefix, a maxLength shorter than the prefix or longer than 32 / 128, an ASN out of range
 */
export function readVrp(prefixText: string, maxLength: number | string | undefined, asn: string | number, ta?: string): ReadVrp {
  const { prefix, hostBits } = field("prefix", () => readPrefix(prefixText));
  const max = field("maxLength", () => {
    if (maxLength === undefined || String(maxLength).trim() === "") return prefix.length;
    const text = String(maxLength).trim();
    if (!/^(0|[1-9][0-9]{0,2})$/.test(text)) throw new InputError(text, `maxLength "${text}" is not a whole number of bits`);
    const value = Number(text);
    if (value < prefix.length) throw new InputError(text, `maxLength ${value} is shorter than the prefix length ${prefix.length} of ${formatPrefix(prefix)}`);
    if (value > MAX_LENGTH[prefix.family]) throw new InputError(text, `maxLength ${value} is longer than ${MAX_LENGTH[prefix.family]}, the longest IPv${prefix.family} prefix`);
    return value;
  });
  const vrp: Vrp = { prefix, maxLength: max, asn: field("asn", () => parseAsn(asn)), ...(ta ? { ta } : {}) };
  return { vrp, hostBits };
}

/** The VRP from text fields, without the host-bits note. */
export function makeVrp(prefixText: string, maxLength: number | string | undefined, asn: string | number, ta?: string): Vrp {
  return readVrp(prefixText, maxLength, asn, ta).vrp;
}

/** One line in the notation rtrlib and BIRD use for a ROA entry: "192.0.2.0/24-24 AS64496". */
export function formatVrp(vrp: Vrp): string {
  return `${formatPrefix(vrp.prefix)}-${vrp.maxLength} ${formatAsn(vrp.asn)}`;
}

/** A stable order: prefix, then maxLength, then ASN, then trust anchor. */
export function compareVrps(a: Vrp, b: Vrp): number {
  return comparePrefixes(a.prefix, b.prefix) || a.maxLength - b.maxLength || a.asn - b.asn || (a.ta ?? "").localeCompare(b.ta ?? "");
}

/** A VRP as JSON, in the fields of the exports (`asn` as "AS64496", as Routinator writes it). */
export function vrpJson(vrp: Vrp): { asn: string; prefix: string; maxLength: number; ta?: string } {
  return { asn: formatAsn(vrp.asn), prefix: formatPrefix(vrp.prefix), maxLength: vrp.maxLength, ...(vrp.ta ? { ta: vrp.ta } : {}) };
}

/**
 * The VRPs as a table in Routinator's CSV columns, aligned for reading.
 *
 * @example formatVrpTable([makeVrp("192.0.2.0/24", 24, 64496)])
 */
export function formatVrpTable(vrps: readonly Vrp[], extra?: { readonly header: string; readonly cell: (vrp: Vrp) => string }): string {
  const rows = [
    ["ASN", "IP Prefix", "Max Length", "Trust Anchor", ...(extra ? [extra.header] : [])],
    ...vrps.map((v) => [formatAsn(v.asn), formatPrefix(v.prefix), String(v.maxLength), v.ta ?? "-", ...(extra ? [extra.cell(v)] : [])]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}
