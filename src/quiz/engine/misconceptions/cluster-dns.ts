import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the cluster-dns system the grader recognises; each id is a mode of its simulator:
 * `ndots-counts-labels` and `search-after-failure` are `SearchModel`s of src/sim/kube/dns/search.ts, and
 * `default-policy-is-cluster-dns` and `hostnetwork-keeps-cluster-dns` are `ResolvConfModel`s of
 * src/sim/kube/dns/resolv-conf.ts.
 */
export const CLUSTER_DNS_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "ndots-counts-labels",
    name: "ndots counts labels",
    belief: "ndots:N means a name with N or more labels is treated as fully qualified.",
    whyWrong:
      "glibc counts the dots in the name, not its labels: www.example.com has three labels but two dots, so under ndots:3 it still goes through the search list first. Counting labels puts the name as is one step too early.",
  },
  {
    id: "search-after-failure",
    name: "The search list is tried only when the name fails",
    belief: "The resolver always asks for the name exactly as written first, and appends the search domains only if that fails.",
    whyWrong:
      "That is true only for names with at least ndots dots. A name with fewer dots is tried with every search domain first and as is last — which is why, under Kubernetes' ndots:5, a Pod's lookup of www.example.com sends the search-list names before the real one.",
  },
  {
    id: "default-policy-is-cluster-dns",
    name: "dnsPolicy Default is the default",
    belief: "dnsPolicy: Default gives the Pod the cluster's normal DNS, the same as leaving the field out.",
    whyWrong:
      "The default is ClusterFirst. Default means \"inherit the node's resolv.conf\": the Pod asks the node's resolvers (on GKE, the metadata server) and cannot resolve Service names.",
  },
  {
    id: "hostnetwork-keeps-cluster-dns",
    name: "hostNetwork Pods keep ClusterFirst",
    belief: "A hostNetwork Pod with the default dnsPolicy still resolves Services through the cluster DNS.",
    whyWrong:
      "kubelet applies Default to a hostNetwork Pod whose policy is ClusterFirst, so it gets the node's resolv.conf. Only dnsPolicy: ClusterFirstWithHostNet gives a hostNetwork Pod the cluster DNS.",
  },
];
