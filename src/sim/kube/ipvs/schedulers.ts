import { parseIpv4 } from "../../net/ipv4";
import { parseIpv6 } from "../../netfilter/address";
import type { RealServer } from "./ipvsadm";

/** What a scheduler sees: the destination list in kernel order, with the counters the kernel keeps. */
export interface SchedulerDest {
  readonly server: RealServer;
  readonly activeConns: number;
  readonly inactConns: number;
}

export interface SchedulerInput {
  readonly dests: readonly SchedulerDest[];
  readonly sourceAddress: string;
  /**
   * rr only: the destination svc->sched_data points at, as an index into `dests`; -1 is the list head,
   * where a newly created service starts (ip_vs_rr_init_svc).
   */
  readonly rrPosition: number;
}

export interface SchedulerResult {
  readonly chosen: RealServer | null;
  readonly detail: string;
}

/** A scheduler as the kernel registers one: a name and its schedule() (net/netfilter/ipvs/ip_vs_*.c). */
export interface IpvsScheduler {
  readonly name: string;
  schedule(input: SchedulerInput): SchedulerResult;
}

/** IP_VS_DEST_F_OVERLOAD is never set by kube-proxy (no upper threshold), so weight decides availability. */
function available(d: SchedulerDest): boolean {
  return d.server.weight > 0;
}

/**
 * ip_vs_rr.c: start after the destination sched_data points at, walk the circular list and take the
 * first one with weight > 0; sched_data then points at it. A fresh service starts at the list head,
 * so its first connection goes to the first destination in the list — the one added last.
 */
export const roundRobin: IpvsScheduler = {
  name: "rr",
  schedule({ dests, rrPosition }) {
    const n = dests.length;
    for (let step = 1; step <= n; step++) {
      const index = (((rrPosition + step) % n) + n) % n;
      const d = dests[index]!;
      if (available(d)) {
        return { chosen: d.server, detail: `rr: sched_data was at ${rrPosition < 0 ? "the list head" : `destination ${rrPosition}`}; next with weight > 0 is destination ${index}` };
      }
    }
    return { chosen: null, detail: "rr: no destination available" };
  },
};

/**
 * ip_vs_lc.c: the destination with the least ip_vs_dest_conn_overhead() = (activeconns << 8) +
 * inactconns (include/net/ip_vs.h; the "<<5" in ip_vs_lc.c's comment is stale), skipping weight 0.
 * Ties go to the first in list order, because only a strictly smaller overhead replaces the pick.
 */
export const leastConnection: IpvsScheduler = {
  name: "lc",
  schedule({ dests }) {
    let least: SchedulerDest | null = null;
    let loh = 0;
    for (const d of dests) {
      if (!available(d)) continue;
      const doh = d.activeConns * 256 + d.inactConns;
      if (least === null || doh < loh) {
        least = d;
        loh = doh;
      }
    }
    if (!least) return { chosen: null, detail: "lc: no destination available" };
    const at = least.server.address.includes(":") ? `[${least.server.address}]:${least.server.port}` : `${least.server.address}:${least.server.port}`;
    return { chosen: least.server, detail: `lc: least overhead (active << 8) + inactive = ${loh} at ${at}` };
  },
};

/** include/linux/hash.h hash_32 on x86: (val × GOLDEN_RATIO_32) >> (32 − bits), GOLDEN_RATIO_32 = 0x61C88647. */
export function hash32(value: number, bits: number): number {
  return Math.imul(value >>> 0, 0x61c88647) >>> (32 - bits);
}

export const SH_TAB_BITS = 8;
export const SH_TAB_SIZE = 1 << SH_TAB_BITS;

/**
 * ip_vs_sh.c ip_vs_sh_reassign: walk the 256 buckets, giving each the current destination and
 * moving on after `weight` buckets, wrapping around the list. With kube-proxy's weight 1 the table is
 * dests[0], dests[1], …, dests[n−1], dests[0], … Weight-0 destinations still occupy buckets (the
 * kernel fills by list position, checking availability only at lookup).
 */
export function sourceHashTable(dests: readonly RealServer[]): (RealServer | null)[] {
  const table: (RealServer | null)[] = new Array<RealServer | null>(SH_TAB_SIZE).fill(null);
  if (dests.length === 0) return table;
  let p = 0;
  let count = 0;
  for (let i = 0; i < SH_TAB_SIZE; i++) {
    const dest = dests[p]!;
    table[i] = dest;
    if (++count >= dest.weight) {
      p = (p + 1) % dests.length;
      count = 0;
    }
  }
  return table;
}

/**
 * The 32 bits IPVS hashes an address by: the IPv4 address itself, or for IPv6 the XOR of its four
 * 32-bit words (`addr->ip6[0]^addr->ip6[1]^addr->ip6[2]^addr->ip6[3]` in ip_vs_svc_hashkey and
 * ip_vs_sh_hashkey), in host order.
 *
 * @example foldedAddress("10.0.0.1") // 167772161; foldedAddress("fd00::1") // 0xfd000001
 */
export function foldedAddress(address: string): number {
  if (!address.includes(":")) return parseIpv4(address) >>> 0;
  const value = parseIpv6(address);
  let folded = 0;
  for (const shift of [96n, 64n, 32n, 0n]) folded ^= Number((value >> shift) & 0xffffffffn);
  return folded >>> 0;
}

/**
 * ip_vs_sh_hashkey: (offset + hash_32(port + ntohl(addr), 8)) & 255, an IPv6 address folded to 32
 * bits first (`foldedAddress`). kube-proxy sets neither sh-port nor sh-fallback, so port is 0 and an
 * unavailable bucket owner means "no destination".
 */
export function sourceHashBucket(sourceAddress: string, port = 0, offset = 0): number {
  return (offset + hash32((port + foldedAddress(sourceAddress)) >>> 0, SH_TAB_BITS)) & (SH_TAB_SIZE - 1);
}

export const sourceHashing: IpvsScheduler = {
  name: "sh",
  schedule({ dests, sourceAddress }) {
    const table = sourceHashTable(dests.map((d) => d.server));
    const bucket = sourceHashBucket(sourceAddress);
    const owner = table[bucket] ?? null;
    if (owner === null || owner.weight <= 0) return { chosen: null, detail: `sh: bucket ${bucket} has no available destination` };
    const target = owner.address.includes(":") ? `[${owner.address}]:${owner.port}` : `${owner.address}:${owner.port}`;
    return { chosen: owner, detail: `sh: hash_32(${sourceAddress}) → bucket ${bucket} of ${SH_TAB_SIZE} → ${target}` };
  },
};

export const SCHEDULERS: Readonly<Record<string, IpvsScheduler>> = { rr: roundRobin, lc: leastConnection, sh: sourceHashing };
