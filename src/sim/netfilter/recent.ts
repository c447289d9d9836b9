import type { RecentStore } from "./ruleset";

/**
 * xt_recent's lists (what /proc/net/xt_recent/NAME shows): for each address, the times it was
 * seen. kube-proxy's session affinity (`-m recent --set` on the endpoint chain, `--rcheck
 * --seconds 10800 --reap` on the service chain) lives here.
 */
export class RecentLists implements RecentStore {
  private readonly lists = new Map<string, Map<number, number[]>>();

  seen(list: string, address: number): readonly number[] | undefined {
    return this.lists.get(list)?.get(address);
  }

  record(list: string, address: number, time: number): void {
    let entries = this.lists.get(list);
    if (!entries) this.lists.set(list, (entries = new Map()));
    const times = entries.get(address) ?? [];
    // ip_pkt_list_tot defaults to 20 remembered packets per address.
    entries.set(address, [...times, time].slice(-20));
  }

  remove(list: string, address: number): void {
    this.lists.get(list)?.delete(address);
  }

  /** --reap: forget times older than `since` for this address. */
  reap(list: string, address: number, since: number): void {
    const entries = this.lists.get(list);
    const times = entries?.get(address);
    if (!entries || !times) return;
    const kept = times.filter((t) => t >= since);
    if (kept.length === 0) entries.delete(address);
    else entries.set(address, kept);
  }

  /** Addresses on a list, for showing a learner what the kernel remembers. */
  addresses(list: string): number[] {
    return [...(this.lists.get(list)?.keys() ?? [])];
  }
}
