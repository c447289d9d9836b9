import { ebpfServiceMaps } from "../../../sim/kube/ebpf/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster, loadCluster } from "./cluster-yaml";
import { arrange, LESSONS, pasteLab } from "./shared";

function params(seed: number) {
  const random = seededRandom(seed ^ 0xeb9f);
  return { ready: randomInt(random, 1, 5), notReady: randomInt(random, 1, 2), nodes: randomInt(random, 2, 3), layout: randomInt(random, 0, 999_999) };
}

/** What stands in for a Service's KUBE-SVC chain under an eBPF dataplane (Cilium, GKE Dataplane V2): read from the model's service map. */
export const ebpfServiceMap: Template<"single-choice"> = {
  id: "ebpf-service-map",
  kind: "single-choice",
  title: "What replaces KUBE-SVC under Dataplane V2?",
  lesson: LESSONS.kubeProxy,
  concepts: ["ebpf", "kube-proxy-iptables", "ipvs"],
  file: "src/quiz/bank/cluster/ebpf-service-map.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const conditions = [...Array.from({ length: p.ready }, () => ({ ready: true, terminating: false })), ...Array.from({ length: p.notReady }, () => ({ ready: false, terminating: false }))];
    const cluster = drawCluster(seededRandom(p.layout), { type: "ClusterIP", endpoints: conditions.length, nodes: p.nodes, conditions, clientNode: 0 });
    const svc = cluster.service;
    const maps = ebpfServiceMaps(loadCluster(cluster.yaml));
    const slots = maps.services.filter((s) => s.address === svc.clusterIP && s.dport === svc.port && s.backendSlot > 0);
    const master = maps.services.find((s) => s.address === svc.clusterIP && s.dport === svc.port && s.backendSlot === 0)!;
    const frontend = `${svc.clusterIP}:${svc.port}`;
    const selected = cluster.backends.length;
    const candidates = [
      { id: "map", text: `One entry for ${frontend} in the lb4 service map with ${slots.length} backend slot${slots.length === 1 ? "" : "s"}, which a BPF program looks up (for this node's Pods, once, at connect()).` },
      { id: "map-all", text: `One entry for ${frontend} in the lb4 service map with ${selected} backend slots, one for every Pod the selector matches.` },
      { id: "nftables", text: `The same KUBE-SVC chain for ${frontend}, loaded into nftables instead of iptables.` },
      { id: "ipvs", text: `An IPVS virtual server ${frontend} with ${slots.length} real servers, its address bound to kube-ipvs0.` },
    ];
    const why: Record<string, string> = {
      map: `The model's service map holds a master entry for ${frontend} (revNAT id ${master.revNatIndex}) and ${slots.length} backend slots, one per ready endpoint; the datapath hashes the frontend, picks a slot at random, and rewrites the destination — no rule list is scanned.`,
      "map-all": `Only ready endpoints get backend slots: ${p.notReady} of the ${selected} Pods ${p.notReady === 1 ? "is" : "are"} not ready, so the map has ${slots.length}, not ${selected}.`,
      nftables: "That is kube-proxy's nftables mode, still a rule-based kube-proxy. Under Dataplane V2 there is no kube-proxy at all: the Service is a map entry.",
      ipvs: "That is kube-proxy's IPVS mode: kernel virtual servers plus ipsets, still driven by kube-proxy. eBPF replaces both with maps read by its own programs.",
    };
    const { options, rubric } = arrange(candidates.map((c) => ({ ...c, correct: c.id === "map", why: why[c.id]!, step: null })), seededRandom(seed ^ 0x5));
    const packet = { src: cluster.client!.ip, dst: frontend, protocol: "tcp" as const };
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Service ${svc.namespace}/${svc.name} (${frontend}) selects ${selected} Pods, ${p.ready} of them ready. In iptables mode kube-proxy gives it a KUBE-SVC chain with one rule per ready endpoint. On a GKE cluster with Dataplane V2 (eBPF, built on Cilium), what holds the same decision instead?`,
      exhibits: [{ kind: "output", command: `kubectl get endpointslices -n ${svc.namespace} -l kubernetes.io/service-name=${svc.name} -o wide`, text: cluster.backends.map((b) => `${b.ip}  ready=${b.ready}  node=${b.node}`).join("\n") }],
      view: { options },
      key: { choice: "map" },
      rubric: { options: rubric },
      misconceptions: [],
      hints: ["Dataplane V2 runs no kube-proxy.", "Which endpoints does any dataplane send new connections to when some are ready?"],
      explanation: `An eBPF dataplane keeps Services in BPF hash maps: a frontend entry for ${frontend} and one backend slot per ready endpoint (${slots.length} here). A program on the interface — or, for this node's own Pods, at the connect() system call — looks the frontend up and picks a backend, so the cost does not grow with the number of Services, and no KUBE-SVC or KUBE-SEP chain exists.`,
      lab: pasteLab(cluster.yaml, packet, 0),
    };
  },
};
