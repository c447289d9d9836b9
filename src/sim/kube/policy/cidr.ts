/**
 * Address-in-block for ipBlock, on the small integer parsers of src/sim/net/ip-value.ts rather than
 * ipaddr.js, so the matrix lab's first paint stays light. The reader has already checked and
 * canonicalised every CIDR (read.ts); this only compares.
 */
import { ipv4Value, ipv6Value } from "../../net/ip-value";

interface Addr { readonly bits: 32 | 128; readonly value: bigint }

export function addressOf(text: string): Addr | null {
  const v4 = ipv4Value(text);
  if (v4 !== null) return { bits: 32, value: v4 };
  const v6 = ipv6Value(text);
  return v6 === null ? null : { bits: 128, value: v6 };
}

/** Whether `address` is inside `cidr` ("10.0.0.0/16"); false across families or for bad text. */
export function inCidr(cidr: string, address: string): boolean {
  const slash = cidr.indexOf("/");
  const net = addressOf(cidr.slice(0, slash));
  const ip = addressOf(address);
  const prefix = Number(cidr.slice(slash + 1));
  if (slash < 0 || net === null || ip === null || net.bits !== ip.bits || !Number.isInteger(prefix)) return false;
  const shift = BigInt(net.bits - prefix);
  return ip.value >> shift === net.value >> shift;
}
