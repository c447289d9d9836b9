/**
 * The /etc/resolv.conf kubelet writes into a Pod, per dnsPolicy (pkg/kubelet/network/dns/dns.go):
 * - ClusterFirst: nameserver = the cluster DNS address (kubelet --cluster-dns), search =
 *   `<ns>.svc.<zone> svc.<zone> <zone>` then the node's search domains (duplicates dropped, first kept),
 *   options `ndots:5`. A hostNetwork Pod with ClusterFirst falls back to Default.
 * - ClusterFirstWithHostNet: ClusterFirst, also for hostNetwork Pods.
 * - Default: the node's own resolv.conf (kubelet --resolv-conf) — the name is misleading: it is not the default.
 * - None: nothing but spec.dnsConfig.
 * spec.dnsConfig is merged into every policy: nameservers and searches appended (duplicates dropped), options
 * merged by name with the Pod's value winning. kubelet keeps at most 3 nameservers (glibc's MAXNS) and
 * 32 search domains.
 *
 * Which nameserver: kube-dns's Service IP; with NodeLocal DNSCache in its usual (iptables kube-proxy) set-up
 * the cache answers on that same IP and on 169.254.20.10, so Pods keep the Service IP; only where kubelet's
 * --cluster-dns is pointed at the cache (required with IPVS kube-proxy) do Pods get 169.254.20.10. GKE with
 * Cloud DNS points Pods at the node's metadata server, 169.254.169.254.
 */
export type DnsPolicy = "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None";
export const DNS_POLICIES: readonly DnsPolicy[] = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];

export type Nameserver = "kube-dns" | "node-local-link-local" | "cloud-dns";

/**
 * Wrong models of kubelet, run for the question bank's misconception feedback:
 * - "default-policy-is-cluster-dns": reads dnsPolicy Default as "the default", i.e. ClusterFirst;
 * - "hostnetwork-keeps-cluster-dns": forgets that ClusterFirst on a hostNetwork Pod falls back to Default.
 */
export type ResolvConfModel = "kubelet" | "default-policy-is-cluster-dns" | "hostnetwork-keeps-cluster-dns";

export interface NodeResolvConf {
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
  readonly options: readonly string[];
}

/** A GKE node's resolv.conf: the metadata server, and Compute Engine's zonal internal DNS search list. */
export const GKE_NODE_RESOLV_CONF: NodeResolvConf = {
  nameservers: ["169.254.169.254"],
  search: ["us-central1-a.c.my-project.internal", "c.my-project.internal", "google.internal"],
  options: [],
};

export interface PodDnsInput {
  readonly namespace: string;
  readonly dnsPolicy: DnsPolicy;
  readonly hostNetwork?: boolean;
  readonly zone?: string;
  /** The kube-dns Service's cluster IP. */
  readonly kubeDnsIp?: string;
  readonly nameserver?: Nameserver;
  readonly node?: NodeResolvConf;
  readonly dnsConfig?: { readonly nameservers?: readonly string[]; readonly searches?: readonly string[]; readonly options?: readonly string[] };
}

export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
  readonly options: readonly string[];
  /** The effective ndots (glibc default 1 when no option sets it). */
  readonly ndots: number;
  /** The policy kubelet actually applied (ClusterFirst on a hostNetwork Pod becomes Default). */
  readonly effectivePolicy: DnsPolicy;
  readonly notes: readonly string[];
}

function unique(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const item of list) if (item !== "" && !out.includes(item)) out.push(item);
  return out;
}

function mergeOptions(base: readonly string[], extra: readonly string[]): string[] {
  const out = new Map<string, string>();
  for (const option of [...base, ...extra]) out.set(option.split(":")[0]!, option);
  return [...out.values()];
}

export function clusterNameserver(nameserver: Nameserver, kubeDnsIp: string): string {
  return nameserver === "node-local-link-local" ? "169.254.20.10" : nameserver === "cloud-dns" ? "169.254.169.254" : kubeDnsIp;
}

/**
 * @example
 * podResolvConf({ namespace: "shop", dnsPolicy: "ClusterFirst" }).search[0] // "shop.svc.cluster.local"
 */
export function podResolvConf(input: PodDnsInput, model: ResolvConfModel = "kubelet"): ResolvConf {
  const zone = (input.zone ?? "cluster.local").replace(/\.$/, "");
  const node = input.node ?? GKE_NODE_RESOLV_CONF;
  const notes: string[] = [];
  let policy = input.dnsPolicy;
  if (model === "default-policy-is-cluster-dns" && policy === "Default") policy = "ClusterFirst";
  if (policy === "ClusterFirst" && input.hostNetwork && model !== "hostnetwork-keeps-cluster-dns") {
    policy = "Default";
    notes.push("ClusterFirst on a hostNetwork Pod: kubelet applies Default (the node's resolv.conf); use ClusterFirstWithHostNet to get cluster DNS.");
  }
  let nameservers: string[] = [];
  let search: string[] = [];
  let options: string[] = [];
  if (policy === "ClusterFirst" || policy === "ClusterFirstWithHostNet") {
    nameservers = [clusterNameserver(input.nameserver ?? "kube-dns", input.kubeDnsIp ?? "10.96.0.10")];
    search = unique([`${input.namespace}.svc.${zone}`, `svc.${zone}`, zone, ...node.search]);
    options = ["ndots:5"];
  } else if (policy === "Default") {
    nameservers = [...node.nameservers];
    search = [...node.search];
    options = [...node.options];
  }
  if (input.dnsConfig) {
    nameservers = unique([...nameservers, ...(input.dnsConfig.nameservers ?? [])]);
    search = unique([...search, ...(input.dnsConfig.searches ?? [])]);
    options = mergeOptions(options, input.dnsConfig.options ?? []);
  }
  if (policy === "None" && nameservers.length === 0) notes.push("dnsPolicy None needs dnsConfig.nameservers: the API server rejects a None Pod without at least one.");
  if (nameservers.length > 3) {
    notes.push(`kubelet keeps the first 3 nameservers (glibc reads no more): ${nameservers.slice(3).join(", ")} dropped.`);
    nameservers = nameservers.slice(0, 3);
  }
  if (search.length > 32) {
    notes.push("kubelet keeps the first 32 search domains.");
    search = search.slice(0, 32);
  }
  const ndotsOption = [...options].reverse().find((o) => o.startsWith("ndots:"));
  const ndots = ndotsOption ? Math.min(Number(ndotsOption.slice(6)) || 0, 15) : 1;
  return { nameservers, search, options, ndots, effectivePolicy: policy, notes };
}

export function formatResolvConf(conf: ResolvConf): string {
  return [
    ...conf.nameservers.map((n) => `nameserver ${n}`),
    ...(conf.search.length ? [`search ${conf.search.join(" ")}`] : []),
    ...(conf.options.length ? [`options ${conf.options.join(" ")}`] : []),
  ].join("\n");
}
