import { seededRandom } from "../../random";
import type { Family } from "../iptables/ip";

/** The ipset types kube-proxy uses (pkg/proxy/ipvs/ipset/types.go). */
export type IpSetType = "hash:ip" | "hash:ip,port" | "hash:ip,port,ip" | "hash:ip,port,net" | "bitmap:port";

export interface IpSet {
  /** The set's name in the kernel: KUBE-… for the IPv4 proxier, KUBE-6-… for the IPv6 one (`ipv6SetName`). */
  readonly name: string;
  readonly type: IpSetType;
  /** The comment kube-proxy attaches to the iptables rule that matches this set. */
  readonly comment: string;
  /** Entries in Entry.String() form ("10.96.0.10,udp:53", "30080", …), in the order `ipset save` prints them. */
  readonly entries: readonly string[];
  /** The proxier's family: a hash set is created `family inet` or `family inet6`. Absent means IPv4. */
  readonly family?: Family;
}

/** ipset's limit on a set name (IPSET_MAXNAMELEN 32, with the terminating NUL). */
const MAX_SET_NAME = 31;

/**
 * pkg/proxy/ipvs/ipset.go NewIPSet: the IPv6 proxier renames "KUBE-" to "KUBE-6-" so both families'
 * sets can exist side by side, and cuts the name at ipset's 31 characters — so
 * KUBE-LOAD-BALANCER-SOURCE-CIDR becomes KUBE-6-LOAD-BALANCER-SOURCE-CID and
 * KUBE-NODE-PORT-LOCAL-SCTP-HASH becomes KUBE-6-NODE-PORT-LOCAL-SCTP-HAS. Every set is renamed,
 * bitmap:port ones included (they hold ports only, but each proxier keeps its own).
 *
 * @example ipv6SetName("KUBE-CLUSTER-IP") // "KUBE-6-CLUSTER-IP"
 */
export function ipv6SetName(name: string): string {
  return name.startsWith("KUBE-") ? name.replace("KUBE-", "KUBE-6-").slice(0, MAX_SET_NAME) : name;
}

/** The kernel name of the set kube-proxy's `family` proxier creates for `name` (an IPSET_INFO name). */
export function setNameFor(name: string, family: Family): string {
  return family === "IPv6" ? ipv6SetName(name) : name;
}

/**
 * pkg/proxy/ipvs/ipset.go names and comments, in proxier.go's ipsetInfo order. kube-proxy creates
 * them by ranging over a Go map, so on a real node the creation order — which is the order
 * `ipset save` lists sets in — varies between restarts; this model uses the declaration order.
 */
export const IPSET_INFO: readonly { name: string; type: IpSetType; comment: string }[] = [
  { name: "KUBE-LOOP-BACK", type: "hash:ip,port,ip", comment: "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" },
  { name: "KUBE-CLUSTER-IP", type: "hash:ip,port", comment: "Kubernetes service cluster ip + port for masquerade purpose" },
  { name: "KUBE-EXTERNAL-IP", type: "hash:ip,port", comment: "Kubernetes service external ip + port for masquerade and filter purpose" },
  { name: "KUBE-EXTERNAL-IP-LOCAL", type: "hash:ip,port", comment: "Kubernetes service external ip + port with externalTrafficPolicy=local" },
  { name: "KUBE-LOAD-BALANCER", type: "hash:ip,port", comment: "Kubernetes service lb portal" },
  { name: "KUBE-LOAD-BALANCER-FW", type: "hash:ip,port", comment: "Kubernetes service load balancer ip + port for load balancer with sourceRange" },
  { name: "KUBE-LOAD-BALANCER-LOCAL", type: "hash:ip,port", comment: "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" },
  { name: "KUBE-LOAD-BALANCER-SOURCE-IP", type: "hash:ip,port,ip", comment: "Kubernetes service load balancer ip + port + source IP for packet filter purpose" },
  { name: "KUBE-LOAD-BALANCER-SOURCE-CIDR", type: "hash:ip,port,net", comment: "Kubernetes service load balancer ip + port + source cidr for packet filter purpose" },
  { name: "KUBE-NODE-PORT-TCP", type: "bitmap:port", comment: "Kubernetes nodeport TCP port for masquerade purpose" },
  { name: "KUBE-NODE-PORT-LOCAL-TCP", type: "bitmap:port", comment: "Kubernetes nodeport TCP port with externalTrafficPolicy=local" },
  { name: "KUBE-NODE-PORT-UDP", type: "bitmap:port", comment: "Kubernetes nodeport UDP port for masquerade purpose" },
  { name: "KUBE-NODE-PORT-LOCAL-UDP", type: "bitmap:port", comment: "Kubernetes nodeport UDP port with externalTrafficPolicy=local" },
  { name: "KUBE-NODE-PORT-SCTP-HASH", type: "hash:ip,port", comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: "KUBE-NODE-PORT-LOCAL-SCTP-HASH", type: "hash:ip,port", comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: "KUBE-HEALTH-CHECK-NODE-PORT", type: "bitmap:port", comment: "Kubernetes health check node port" },
  { name: "KUBE-IPVS-IPS", type: "hash:ip", comment: "Addresses on the ipvs interface" },
];

/** A set being filled during a sync: kube-proxy's activeEntries, a sets.Set[string]. */
export class IpSetBuilder {
  private readonly entries = new Set<string>();
  constructor(
    readonly name: string,
    readonly type: IpSetType,
    readonly comment: string,
    readonly family: Family = "IPv4",
  ) {}
  add(entry: string): void {
    this.entries.add(entry);
  }
  get isEmpty(): boolean {
    return this.entries.size === 0;
  }
  build(): IpSet {
    const set = { name: this.name, type: this.type, comment: this.comment, entries: orderEntries(this.type, [...this.entries]) };
    return this.family === "IPv6" ? { ...set, family: "IPv6" } : set;
  }
}

/**
 * A bitmap:port set is listed in bit order, lowest port first. Hash sets are listed in the kernel's
 * bucket order, which depends on a random `initval`; kube-proxy adds entries in sorted string order
 * (`activeEntries.Difference(current).List()`), and that is the order this model prints.
 */
function orderEntries(type: IpSetType, entries: string[]): string[] {
  if (type === "bitmap:port") return entries.sort((a, b) => Number(a) - Number(b));
  return entries.sort();
}

/**
 * `ipset save` prints a net that is a single host without its "/32" or "/128" (hash:ip,port,net
 * stores it as a host net and prints the bare address — checked against ipset 7.17).
 */
function saveEntry(set: IpSet, entry: string): string {
  if (set.type !== "hash:ip,port,net") return entry;
  const host = set.family === "IPv6" ? "/128" : "/32";
  return entry.endsWith(host) ? entry.slice(0, -host.length) : entry;
}

/**
 * `ipset save` output. Hash sets are created by kube-proxy with
 * `create NAME TYPE family inet hashsize 1024 maxelem 65536` (ipset.go createSet, defaults from
 * setIPSetDefaults; `family inet6` for the IPv6 proxier's sets); the kernel adds `bucketsize 12` (its default) and an `initval` it draws with
 * get_random_u32() at creation. That random value is drawn here from a seeded generator, so the same
 * seed prints the same text. bitmap:port sets are created with `range 0-65535` (DefaultPortRange).
 *
 * @example
 * ipsetSave([{ name: "KUBE-NODE-PORT-TCP", type: "bitmap:port", comment: "…", entries: ["30080"] }])
 * // "create KUBE-NODE-PORT-TCP bitmap:port range 0-65535\nadd KUBE-NODE-PORT-TCP 30080\n"
 */
export function ipsetSave(sets: readonly IpSet[], seed = 0): string {
  const next = seededRandom(seed ^ 0x1905e7);
  const lines: string[] = [];
  for (const set of sets) {
    if (set.type === "bitmap:port") {
      lines.push(`create ${set.name} bitmap:port range 0-65535`);
    } else {
      const initval = Math.floor(next() * 0x100000000).toString(16).padStart(8, "0");
      const family = set.family === "IPv6" ? "inet6" : "inet";
      lines.push(`create ${set.name} ${set.type} family ${family} hashsize 1024 maxelem 65536 bucketsize 12 initval 0x${initval}`);
    }
    for (const entry of set.entries) lines.push(`add ${set.name} ${saveEntry(set, entry)}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
