import { InputError } from "./errors";
import { formatIpv4, parseIpv4, type Ipv4 } from "./ipv4";

/** A block of IPv4 addresses: the network address and the prefix length. */
export interface Cidr {
  readonly network: Ipv4;
  readonly prefix: number;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses "a.b.c.d/n". Host bits must be zero: "10.4.1.5/14" is almost always a typo for a block, so
 * the error names the block the learner probably meant instead of silently masking.
 *
 * @example parseCidr("10.4.0.0/14") // { network: 168034304, prefix: 14 }
 * @throws InputError "10.4.1.0/14: host bits are set; the block is 10.4.0.0/14"
 */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  if (slash < 0) throw new InputError(text, "a CIDR block needs a prefix length after a slash, e.g. 10.4.0.0/14");
  const addressText = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  let address: Ipv4;
  try {
    address = parseIpv4(addressText);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(text, error.reason);
    throw error;
  }
  if (!/^[0-9]{1,2}$/.test(prefixText)) {
    throw new InputError(text, `the prefix length "${prefixText}" is not a whole number from 0 to 32`);
  }
  const prefix = Number(prefixText);
  if (prefix > 32) throw new InputError(text, `the prefix length ${prefix} is above 32`);
  const network = (address & maskOf(prefix)) >>> 0;
  if (network !== address) {
    throw new InputError(text, `host bits are set; the block is ${formatIpv4(network)}/${prefix}`);
  }
  return { network, prefix };
}

/** @example formatCidr(parseCidr("10.4.0.0/14")) // "10.4.0.0/14" */
export function formatCidr(block: Cidr): string {
  return `${formatIpv4(block.network)}/${block.prefix}`;
}

/** How many addresses the block spans, network and broadcast included. */
export function cidrSize(block: Cidr): number {
  return 2 ** (32 - block.prefix);
}

/** The last address in the block. */
export function cidrLast(block: Cidr): Ipv4 {
  return (block.network + cidrSize(block) - 1) >>> 0;
}

/** @example cidrContains(parseCidr("10.4.0.0/14"), parseIpv4("10.4.1.5")) // true */
export function cidrContains(block: Cidr, address: Ipv4): boolean {
  return ((address & maskOf(block.prefix)) >>> 0) === block.network;
}

/**
 * Splits a block into equal sub-blocks of a longer prefix, in address order — how GKE carves a
 * cluster's Pod range into one /24 per node.
 *
 * @example cidrSplit(parseCidr("10.4.0.0/22"), 24).map(formatCidr) // ["10.4.0.0/24", …, "10.4.3.0/24"]
 */
export function cidrSplit(block: Cidr, newPrefix: number): Cidr[] {
  if (!Number.isInteger(newPrefix) || newPrefix < block.prefix || newPrefix > 32) {
    throw new InputError(
      `/${newPrefix}`,
      `a /${block.prefix} splits into prefixes from /${block.prefix} to /32`,
    );
  }
  const count = 2 ** (newPrefix - block.prefix);
  if (count > 65536) throw new InputError(`/${newPrefix}`, `that would make ${count} blocks; at most 65536 are listed`);
  const step = 2 ** (32 - newPrefix);
  return Array.from({ length: count }, (_, i) => ({ network: (block.network + i * step) >>> 0, prefix: newPrefix }));
}
