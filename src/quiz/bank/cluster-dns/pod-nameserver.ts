import { podResolvConf, type DnsPolicy, type Nameserver, type ResolvConfModel } from "../../../sim/kube/dns/resolv-conf";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import { orderRandom, orderedChoices, pick } from "../draw";
import { distinctMisconceptions, LESSON, resolverLink } from "./shared";

/**
 * Which nameserver kubelet writes into a Pod's resolv.conf, for a dnsPolicy, hostNetwork and the cluster's DNS
 * set-up. The key is src/sim/kube/dns/resolv-conf.ts; the wrong models are its ResolvConfModels.
 */
const ID = "pod-nameserver";
const MODELS: readonly ResolvConfModel[] = ["default-policy-is-cluster-dns", "hostnetwork-keeps-cluster-dns"];
const POLICIES: readonly DnsPolicy[] = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
const SETUPS: readonly Nameserver[] = ["kube-dns", "node-local-link-local", "cloud-dns"];
const SETUP_TEXT: Record<Nameserver, string> = {
  "kube-dns": "kube-dns (Service IP 10.96.0.10), no node-local cache",
  "node-local-link-local": "kube-dns with NodeLocal DNSCache, kubelet's --cluster-dns set to 169.254.20.10 (kube-proxy in IPVS mode)",
  "cloud-dns": "Cloud DNS for GKE, cluster scope",
};
const OPTIONS = [
  { id: "kube-dns-ip", text: "10.96.0.10 — the kube-dns Service", ip: "10.96.0.10" },
  { id: "node-local", text: "169.254.20.10 — NodeLocal DNSCache on this node", ip: "169.254.20.10" },
  { id: "metadata", text: "169.254.169.254 — the node's metadata server", ip: "169.254.169.254" },
  { id: "dnsconfig", text: "192.0.2.53 — the address in the Pod's dnsConfig", ip: "192.0.2.53" },
] as const;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { policy: "ClusterFirst", hostNetwork: 1, setup: "kube-dns" };
  const r = seededRandom(seed);
  return { policy: pick(r, POLICIES), hostNetwork: pick(r, [0, 1]), setup: pick(r, SETUPS) };
}

export const podNameserver: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which nameserver does the Pod use?",
  lesson: LESSON,
  concepts: ["cluster-dns"],
  file: "src/quiz/bank/cluster-dns/pod-nameserver.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const policy = p.policy as DnsPolicy;
    const hostNetwork = p.hostNetwork === 1;
    const setup = p.setup as Nameserver;
    const input = {
      namespace: "shop", dnsPolicy: policy, hostNetwork, kubeDnsIp: "10.96.0.10", nameserver: setup,
      ...(policy === "None" ? { dnsConfig: { nameservers: ["192.0.2.53"], searches: ["shop.svc.cluster.local"], options: ["ndots:2"] } } : {}),
    };
    const conf = podResolvConf(input);
    const optionFor = (ip: string) => OPTIONS.find((o) => o.ip === ip)!.id;
    const key = { choice: optionFor(conf.nameservers[0]!) };
    const effective = conf.effectivePolicy;
    const reason = effective === "Default"
      ? `${policy === "Default" ? "dnsPolicy Default means the node's own resolv.conf" : "ClusterFirst on a hostNetwork Pod falls back to Default, the node's own resolv.conf"}, and a GKE node's resolver is the metadata server`
      : effective === "None" ? "dnsPolicy None takes only what spec.dnsConfig gives"
        : `${effective} points the Pod at the cluster DNS address, which with ${SETUP_TEXT[setup]} is ${conf.nameservers[0]}`;
    const whys: Record<string, Why> = Object.fromEntries(OPTIONS.map((o) => [o.id, { why: o.id === key.choice ? `Right: ${reason}.` : `Not here: ${reason}, so the first nameserver is ${conf.nameservers[0]}.`, step: null }]));
    const options = orderedChoices(orderRandom(seed, ID), OPTIONS.map(({ id, text }) => ({ id, text })));
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `On a GKE cluster using ${SETUP_TEXT[setup]}, a Pod in namespace shop has dnsPolicy ${policy}${hostNetwork ? " and hostNetwork: true" : ""}${policy === "None" ? ", with dnsConfig.nameservers [192.0.2.53]" : ""}. Which address is the first nameserver line of its /etc/resolv.conf?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "dnsPolicy", label: "dnsPolicy", value: policy },
        { key: "hostNetwork", label: "hostNetwork", value: String(hostNetwork) },
        { key: "dns", label: "Cluster DNS", value: setup },
      ] }],
      view: { options },
      key,
      rubric: { options: whys },
      misconceptions: distinctMisconceptions<"single-choice">(MODELS, (m) => ({ choice: optionFor(podResolvConf(input, m as ResolvConfModel).nameservers[0]!) }), key),
      hints: [
        "Does the policy point the Pod at the cluster's DNS, at the node's resolvers, or at nothing but dnsConfig?",
        "Watch hostNetwork: one policy changes meaning for a Pod in the node's network namespace.",
      ],
      explanation: `kubelet writes resolv.conf from the dnsPolicy: ClusterFirst and ClusterFirstWithHostNet use the cluster DNS address (the kube-dns Service IP; 169.254.20.10 where kubelet is pointed at NodeLocal DNSCache; the metadata server with Cloud DNS), Default copies the node's resolv.conf, None uses only dnsConfig — and ClusterFirst on a hostNetwork Pod silently becomes Default. Here: ${reason}.`,
      lab: resolverLink({ ns: "shop", name: "web", policy: policy === "None" ? "ClusterFirst" : policy, server: setup, hostnet: hostNetwork }),
    };
  },
};
