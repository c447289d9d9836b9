/**
 * A Pod's view of DNS in one call: its resolv.conf (per dnsPolicy), the server its first nameserver reaches,
 * and the resolution of one name query by query. Used by the resolver stepper lab and the question bank.
 *
 * Which server answers: the cluster's DNS when the first nameserver is the cluster DNS address (the kube-dns
 * Service IP, NodeLocal DNSCache's 169.254.20.10, or — with Cloud DNS — the metadata server that fronts it);
 * under Default the node's resolver, which in this model knows no cluster names (kube-dns's cluster.local
 * zone is not on the node's path), so every cluster name is NXDOMAIN there.
 */
import { EXAMPLE_DNS_CLUSTER, EXAMPLE_KUBE_DNS_IP } from "./example";
import { clusterRecords, type ClusterZone, type DnsCluster } from "./records";
import { resolveName, type Resolution } from "./resolve";
import { podResolvConf, type DnsPolicy, type Nameserver, type ResolvConf } from "./resolv-conf";
import type { SearchModel } from "./search";

export interface PodLookupInput {
  readonly namespace: string;
  readonly dnsPolicy: DnsPolicy;
  readonly nameserver: Nameserver;
  readonly hostNetwork: boolean;
  readonly name: string;
  /** Overrides the ndots option of the Pod's resolv.conf. */
  readonly ndots?: number;
  readonly cluster?: DnsCluster;
  readonly model?: SearchModel;
}

export interface PodLookup {
  readonly conf: ResolvConf;
  readonly ndots: number;
  /** "cluster" or "node" (the node's resolver: no cluster names). */
  readonly server: "cluster" | "node";
  readonly resolution: Resolution;
}

/** dnsPolicy None in the lab: a typical tuning — cluster DNS, the Pod's own namespace domain only, ndots:2. */
export function noneDnsConfig(namespace: string, nameserverIp: string) {
  return { nameservers: [nameserverIp], searches: [`${namespace}.svc.cluster.local`], options: ["ndots:2"] };
}

const nodeOnlyZones = new Map<string, ClusterZone>();

export function podLookup(input: PodLookupInput): PodLookup {
  const cluster = input.cluster ?? EXAMPLE_DNS_CLUSTER;
  const provider = input.nameserver === "cloud-dns" ? "cloud-dns" : "kube-dns";
  const clusterIp = input.nameserver === "node-local-link-local" ? "169.254.20.10" : input.nameserver === "cloud-dns" ? "169.254.169.254" : EXAMPLE_KUBE_DNS_IP;
  const conf = podResolvConf({
    namespace: input.namespace,
    dnsPolicy: input.dnsPolicy,
    hostNetwork: input.hostNetwork,
    kubeDnsIp: EXAMPLE_KUBE_DNS_IP,
    nameserver: input.nameserver,
    ...(input.dnsPolicy === "None" ? { dnsConfig: noneDnsConfig(input.namespace, clusterIp) } : {}),
  });
  const server = conf.effectivePolicy === "Default" ? "node" : "cluster";
  let zone: ClusterZone;
  if (server === "cluster") zone = clusterRecords(cluster, { provider });
  else {
    zone = nodeOnlyZones.get(provider) ?? { zone: "cluster.local", provider, records: [], notes: [] };
    nodeOnlyZones.set(provider, zone);
  }
  const ndots = input.ndots ?? conf.ndots;
  return { conf, ndots, server, resolution: resolveName(zone, input.name, ndots, conf.search, input.model ?? "glibc") };
}
