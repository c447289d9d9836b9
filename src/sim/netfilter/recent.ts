import type { Address } from "./address";
import type { RecentStore } from "./ruleset";

/**
 * xt_recent's lists (what /proc/net/xt_recent/NAME shows): for each address, the times it was
 * seen. kube-proxy's session affinity (`-m recent --set` on the endpoint chain, `--rcheck
 * --seconds 10800 --reap` on the service chain) lives here. ip6tables' lists key IPv6 addresses
 * (bigints) the same way.
 */
export class RecentLists implements RecentStore {
  private readonly lists = new Map<string, Map<Address, number[]>>();

  seen(list: string, address: Address): readonly number[] | undefined {
    return this.lists.get(list)?.get(address);
  }

  record(list: string, address: Address, time: number): void {
    let entries = this.lists.get(list);
    if (!entries) this.lists.set(list, (entries = new Map()));
    const times = entries.get(address) ?? [];
    // ip_pkt_list_tot defaults to 20 remembered packets per address.
    entries.set(address, [...times, time].slice(-20));
  }

  remove(list: string, address: Address): void {
    this.lists.get(list)?.delete(address);
  }

  /** --reap: forget times older than `since` for this address. */
  reap(list: string, address: Address, since: number): void {
    const entries = this.lists.get(list);
    const times = entries?.get(address);
    if (!entries || !times) return;
    const kept = times.filter((t) => t >= since);
    if (kept.length === 0) entries.delete(address);
    else entries.set(address, kept);
  }

  /** Addresses on a list, for showing a learner what the kernel remembers. */
  addresses(list: string): Address[] {
    return [...(this.lists.get(list)?.keys() ?? [])];
  }
}
