import { InputError } from "./errors";

/**
 * An IPv4 address as an unsigned 32-bit integer. Kept as a number so arithmetic (masks, ranges,
 * hashing) is cheap; `formatIpv4` turns it back into dotted-quad text for packets and traces.
 */
export type Ipv4 = number;

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/**
 * Parses dotted-quad text. Leading zeros are rejected, as in current glibc and Go: "010" has been
 * read as octal by some stacks and as decimal by others, so a strict parser refuses to guess.
 *
 * @example parseIpv4("10.4.1.5") // 16700421
 * @throws InputError "10.4.1.300: octet 4 is above 255"
 */
export function parseIpv4(text: string): Ipv4 {
  const trimmed = text.trim();
  if (trimmed === "") throw new InputError(text, "no address given");
  const parts = trimmed.split(".");
  if (parts.length !== 4) {
    throw new InputError(text, `an IPv4 address has 4 octets separated by dots, this has ${parts.length}`);
  }
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? "";
    const ordinal = i + 1;
    if (part === "") throw new InputError(text, `octet ${ordinal} is empty`);
    if (!/^[0-9]+$/.test(part)) throw new InputError(text, `octet ${ordinal} ("${part}") is not a number`);
    if (!OCTET.test(part)) {
      if (part.length > 1 && part.startsWith("0")) {
        throw new InputError(text, `octet ${ordinal} ("${part}") has a leading zero, which some systems read as octal`);
      }
      throw new InputError(text, `octet ${ordinal} is above 255`);
    }
    const octet = Number(part);
    if (octet > 255) throw new InputError(text, `octet ${ordinal} is above 255`);
    value = value * 256 + octet;
  }
  return value;
}

/** @example formatIpv4(167772421) // "10.0.1.5" */
export function formatIpv4(address: Ipv4): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join(".");
}

/** Reserved and special-purpose blocks a learner meets in this course (RFC 1918, RFC 6598, RFC 5737). */
export type AddressScope = "private" | "shared-cgnat" | "loopback" | "link-local" | "documentation" | "public";

const SCOPES: ReadonlyArray<readonly [string, number, AddressScope]> = [
  ["10.0.0.0", 8, "private"],
  ["172.16.0.0", 12, "private"],
  ["192.168.0.0", 16, "private"],
  ["100.64.0.0", 10, "shared-cgnat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["192.0.2.0", 24, "documentation"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
];

/**
 * Which kind of address this is. Private addresses are never routed on the public internet, which is
 * why a Pod IP such as 10.4.1.5 can only be reached from inside Google's network.
 */
export function addressScope(address: Ipv4): AddressScope {
  for (const [base, prefix, scope] of SCOPES) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if (((address & mask) >>> 0) === parseIpv4(base)) return scope;
  }
  return "public";
}
