import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { entryStep, LESSONS, pasteJourney, pasteLab, type PastePacket } from "./shared";
import { shuffle } from "../draw";

/** Hooks and kube-proxy chains that a ClusterIP packet's walk passes, in the order it passes them. */
const HOOKS = new Set(["nat PREROUTING", "nat OUTPUT", "filter FORWARD", "filter OUTPUT", "nat POSTROUTING"]);
const CHAINS = /^(KUBE-SERVICES|KUBE-SVC-\w+|KUBE-SEP-\w+|KUBE-MARK-MASQ|KUBE-POSTROUTING)$/;

function params(seed: number) {
  const random = seededRandom(seed ^ 0x0d0e);
  const nodes = randomInt(random, 2, 3);
  return {
    nodes,
    endpoints: randomInt(random, 1, 4),
    node: randomInt(random, 0, nodes - 1),
    sender: random() < 0.65 ? "pod" : "node",
    connection: randomInt(random, 0, 99_999),
    layout: randomInt(random, 0, 999_999),
  };
}

export const clusteripChainOrder: Template<"ordering"> = {
  id: "clusterip-chain-order",
  kind: "ordering",
  title: "The chains a ClusterIP packet walks",
  lesson: LESSONS.kubeProxy,
  concepts: ["kube-proxy-iptables", "clusterip", "dnat"],
  file: "src/quiz/bank/cluster/clusterip-chain-order.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const cluster = drawCluster(seededRandom(p.layout), { type: "ClusterIP", endpoints: p.endpoints, nodes: p.nodes, clientNode: p.node, proxyNode: p.node });
    const svc = cluster.service;
    const node = cluster.nodes[p.node]!;
    const src = p.sender === "pod" ? cluster.client!.ip : node.ip;
    const packet: PastePacket = { src, dst: `${svc.clusterIP}:${svc.port}`, protocol: "tcp" };
    const trace = pasteJourney(cluster.yaml, packet, p.connection);
    const entry = entryStep(trace);
    // The first time the walk enters each hook or chain, in order.
    const seen: string[] = [];
    for (const s of entry.sub) {
      const name = s.kind === "hook" ? s.label : s.kind === "jump" ? s.label.split(" → ")[1]! : null;
      if (name === null || seen.includes(name)) continue;
      if ((s.kind === "hook" && HOOKS.has(name)) || (s.kind === "jump" && CHAINS.test(name))) seen.push(name);
    }
    const describe = (name: string): string => {
      if (HOOKS.has(name)) return `${name} (the hook)`;
      if (name.startsWith("KUBE-SVC-")) return `${name} (the Service port's chain)`;
      if (name.startsWith("KUBE-SEP-")) return `${name} (one endpoint's chain)`;
      return name;
    };
    const ids = seen.map((_, i) => `c${i + 1}`);
    const items = seen.map((name, i) => ({ id: ids[i]!, text: describe(name) }));
    const why = (name: string): string => {
      if (name === "nat PREROUTING") return "A packet arriving from a Pod's veth starts in PREROUTING; nat PREROUTING is where kube-proxy's Service rules are hooked for it.";
      if (name === "nat OUTPUT") return "A packet the node itself sends starts in the OUTPUT hook; kube-proxy hooks KUBE-SERVICES into nat OUTPUT for it.";
      if (name === "KUBE-SERVICES") return `nat ${p.sender === "pod" ? "PREROUTING" : "OUTPUT"} jumps to KUBE-SERVICES, which holds one rule per Service port; the rule for ${svc.clusterIP}:${svc.port} matches.`;
      if (name.startsWith("KUBE-SVC-")) return `KUBE-SERVICES jumps to ${name}, the chain of port ${svc.portName} of ${svc.namespace}/${svc.name}, which picks an endpoint.`;
      if (name === "KUBE-MARK-MASQ") return `The sender ${src} is outside clusterCIDR, so KUBE-SVC's "! -s" rule sends it to KUBE-MARK-MASQ to set the 0x4000 mark before an endpoint is picked.`;
      if (name.startsWith("KUBE-SEP-")) return `The draw picked this endpoint; ${name} performs the DNAT.`;
      if (name === "filter FORWARD") return "After the routing decision the packet, now addressed to a Pod, is forwarded: filter FORWARD runs kube-proxy's forwarding rules.";
      if (name === "filter OUTPUT") return "A locally generated packet passes filter OUTPUT after the nat OUTPUT rules.";
      if (name === "nat POSTROUTING") return "Every packet leaving the node passes nat POSTROUTING last.";
      return "nat POSTROUTING jumps to KUBE-POSTROUTING, which masquerades only packets carrying the 0x4000 mark.";
    };
    const random = seededRandom(seed ^ 0xc0de);
    const shown = shuffle(random, items);
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `${p.sender === "pod" ? `Pod ${cluster.client!.name} (${src})` : `A process on ${node.name} itself (host network, source ${src})`} opens a TCP connection to Service ${svc.namespace}/${svc.name} at ${svc.clusterIP}:${svc.port}. Put the netfilter hooks and kube-proxy chains its first packet passes on ${node.name} in the order it passes them.`,
      exhibits: [{ kind: "settings", chips: [{ key: "sender", label: "Sender", value: p.sender === "pod" ? "a Pod on the node" : "the node itself" }, { key: "service", label: "Service", value: `${svc.clusterIP}:${svc.port}, ${p.endpoints} endpoint${p.endpoints === 1 ? "" : "s"}` }] }],
      view: { items: shown },
      key: { order: ids },
      rubric: {
        strategy: "lcs",
        orders: [ids],
        items: Object.fromEntries(seen.map((name, i) => [ids[i]!, { why: why(name), step: entry.id }])),
      },
      misconceptions: [],
      hints: [
        "Where does a packet start: a packet from a Pod's veth and one the node sends itself enter netfilter at different hooks.",
        "kube-proxy's chains nest: the Service table, then one Service port, then one endpoint.",
      ],
      explanation: `The walk on ${node.name}: ${seen.join(" → ")}. The Service rules sit in the nat table, reached from ${p.sender === "pod" ? "PREROUTING (the packet came in on a veth)" : "OUTPUT (the node sent it)"}; KUBE-SERVICES finds the Service port, its KUBE-SVC chain draws an endpoint, and that endpoint's KUBE-SEP chain DNATs. ${p.sender === "node" ? "Because the source is the node's own address, outside clusterCIDR, the packet is also marked for masquerade. " : ""}The packet then leaves through nat POSTROUTING, where KUBE-POSTROUTING masquerades only marked packets.`,
      lab: pasteLab(cluster.yaml, packet, p.connection),
    };
  },
};
