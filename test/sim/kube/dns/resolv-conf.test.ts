/** kubelet's resolv.conf per dnsPolicy (pkg/kubelet/network/dns/dns.go) — the facts in k8s-dns-spec.json's kubelet source. */
import { describe, expect, it } from "vitest";
import { formatResolvConf, podResolvConf } from "../../../../src/sim/kube/dns/resolv-conf";

const node = { nameservers: ["169.254.169.254"], search: ["c.p.internal", "google.internal"], options: ["timeout:2"] };

describe("podResolvConf", () => {
  it("ClusterFirst: cluster DNS, the three cluster domains then the node's, ndots:5", () => {
    const conf = podResolvConf({ namespace: "shop", dnsPolicy: "ClusterFirst", kubeDnsIp: "10.96.0.10", node });
    expect(formatResolvConf(conf)).toBe("nameserver 10.96.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local c.p.internal google.internal\noptions ndots:5");
    expect(conf.ndots).toBe(5);
  });
  it("the node's search domains repeating a cluster domain are dropped (first kept)", () => {
    const conf = podResolvConf({ namespace: "a", dnsPolicy: "ClusterFirst", node: { ...node, search: ["cluster.local", "x"] } });
    expect(conf.search).toEqual(["a.svc.cluster.local", "svc.cluster.local", "cluster.local", "x"]);
  });
  it("Default: the node's own resolv.conf, ndots back to glibc's 1", () => {
    const conf = podResolvConf({ namespace: "shop", dnsPolicy: "Default", node });
    expect(conf.nameservers).toEqual(["169.254.169.254"]);
    expect(conf.search).toEqual(node.search);
    expect(conf.ndots).toBe(1);
  });
  it("ClusterFirst on a hostNetwork Pod falls back to Default; ClusterFirstWithHostNet does not", () => {
    expect(podResolvConf({ namespace: "n", dnsPolicy: "ClusterFirst", hostNetwork: true, node }).effectivePolicy).toBe("Default");
    expect(podResolvConf({ namespace: "n", dnsPolicy: "ClusterFirstWithHostNet", hostNetwork: true, node, kubeDnsIp: "10.0.0.10" }).nameservers).toEqual(["10.0.0.10"]);
  });
  it("None: only dnsConfig; options merge by name with the Pod's value winning", () => {
    const conf = podResolvConf({ namespace: "n", dnsPolicy: "None", node, dnsConfig: { nameservers: ["1.1.1.1"], searches: ["corp.example"], options: ["ndots:2", "edns0"] } });
    expect(formatResolvConf(conf)).toBe("nameserver 1.1.1.1\nsearch corp.example\noptions ndots:2 edns0");
    const merged = podResolvConf({ namespace: "n", dnsPolicy: "ClusterFirst", node, dnsConfig: { options: ["ndots:1"] } });
    expect(merged.options).toEqual(["ndots:1"]);
    expect(merged.ndots).toBe(1);
  });
  it("NodeLocal DNSCache on its link-local address, and Cloud DNS on the metadata server", () => {
    expect(podResolvConf({ namespace: "n", dnsPolicy: "ClusterFirst", nameserver: "node-local-link-local" }).nameservers).toEqual(["169.254.20.10"]);
    expect(podResolvConf({ namespace: "n", dnsPolicy: "ClusterFirst", nameserver: "cloud-dns" }).nameservers).toEqual(["169.254.169.254"]);
  });
  it("at most 3 nameservers", () => {
    const conf = podResolvConf({ namespace: "n", dnsPolicy: "ClusterFirst", dnsConfig: { nameservers: ["1.1.1.1", "8.8.8.8", "9.9.9.9"] } });
    expect(conf.nameservers).toHaveLength(3);
    expect(conf.notes.join(" ")).toContain("9.9.9.9");
  });
});
