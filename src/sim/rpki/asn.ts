/**
 * Autonomous system numbers as RPKI tools write them: plain ("64496") or with the "AS" prefix
 * Routinator and rpki-client print ("AS64496"). Four-octet ASNs (RFC 6793) run to 4294967295; AS0 is
 * a real value in a ROA (RFC 6483 §4, RFC 7607: "this prefix must not be routed").
 */
import { InputError } from "../net/errors";

export const MAX_ASN = 4294967295;

/**
 * @example parseAsn("AS64496") // 64496
 * @example parseAsn(13335) // 13335
 * @throws InputError for text that is not an ASN, asdot ("1.10"), or a number out of range
 */
export function parseAsn(value: string | number): number {
  const text = String(value).trim();
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value > MAX_ASN) throw new InputError(text, `an ASN is a whole number from 0 to ${MAX_ASN}`);
    return value;
  }
  if (text === "") throw new InputError(value, "no ASN given; write it as 64496 or AS64496");
  const digits = /^as/i.test(text) ? text.slice(2) : text;
  if (/^[0-9]+\.[0-9]+$/.test(digits)) {
    const [high, low] = digits.split(".").map(Number) as [number, number];
    throw new InputError(value, `asdot notation is not read here; write it as plain ${high * 65536 + low} (RFC 5396)`);
  }
  if (!/^(0|[1-9][0-9]*)$/.test(digits)) throw new InputError(value, "not an ASN; write it as 64496 or AS64496");
  const asn = Number(digits);
  if (asn > MAX_ASN) throw new InputError(value, `an ASN is at most ${MAX_ASN} (four octets, RFC 6793)`);
  return asn;
}

/** @example formatAsn(64496) // "AS64496" */
export function formatAsn(asn: number): string {
  return `AS${asn}`;
}
