import type { Trace } from "../../../sim/core/trace";
import type { PacketUnit } from "../../../sim/net/packet-unit";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { CLUSTER_CIDR, drawCluster, loadCluster } from "./cluster-yaml";
import { nodeIptablesSave } from "../../../sim/kube/index";
import { arrange, entryStep, LESSONS, misconceptionIf, pasteJourney, pasteLab, rowOf, stepOf, type PastePacket } from "./shared";

/**
 * Does kube-proxy masquerade this packet, and which rule asks for it? Five senders of the same
 * NodePort Service: an outside client with externalTrafficPolicy Cluster or Local, a Pod reaching
 * itself through the Service (hairpin), the node itself calling the ClusterIP, another Pod.
 */
const CASES = ["external-cluster", "external-local", "hairpin", "node-to-clusterip", "pod-to-clusterip"] as const;
type Case = (typeof CASES)[number];

function params(seed: number) {
  const random = seededRandom(seed ^ 0x4a5);
  const nodes = randomInt(random, 2, 3);
  return {
    case: CASES[seed % CASES.length]!,
    nodes,
    node: randomInt(random, 0, nodes - 1),
    endpoints: randomInt(random, 2, 4),
    client: `198.51.100.${randomInt(random, 2, 250)}`,
    connection: randomInt(random, 0, 99_999),
    layout: randomInt(random, 0, 999_999),
  };
}

/** Which option a walk's masquerade mark corresponds to: the chain of the rule that jumped to KUBE-MARK-MASQ. */
function markedBy(trace: Trace<PacketUnit>): "mark-ext" | "mark-sep" | "mark-svc" | "none" {
  const entry = entryStep(trace);
  const jump = entry.sub.find((s) => s.kind === "jump" && s.label.endsWith("→ KUBE-MARK-MASQ"));
  const masqueraded = entry.sub.some((s) => s.kind === "masquerade");
  if (!jump || !masqueraded) return "none";
  const from = jump.label.split(" → ")[0]!;
  return from.startsWith("KUBE-EXT-") ? "mark-ext" : from.startsWith("KUBE-SEP-") ? "mark-sep" : "mark-svc";
}

export const masqueradeOrNot: Template<"single-choice"> = {
  id: "masquerade-or-not",
  kind: "single-choice",
  title: "Masquerade or not?",
  lesson: LESSONS.kubeProxy,
  concepts: ["masquerade", "nodeport", "external-traffic-policy", "hairpin"],
  file: "src/quiz/bank/cluster/masquerade-or-not.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const c = p.case as Case;
    const hairpin = c === "hairpin";
    const node = p.node;
    const cluster = drawCluster(seededRandom(p.layout), {
      type: "NodePort",
      // A hairpin needs the sender to be the Service's only endpoint, so the draw cannot pick another.
      endpoints: hairpin ? 1 : p.endpoints,
      nodes: p.nodes,
      externalTrafficPolicy: c === "external-local" ? "Local" : "Cluster",
      // Under Local, the node the client reaches must run an endpoint.
      placement: hairpin || c === "external-local" ? [node] : [],
      clientNode: node,
      proxyNode: node,
    });
    const svc = cluster.service;
    const nodeSpec = cluster.nodes[node]!;
    const src = c.startsWith("external") ? p.client : hairpin ? cluster.backends[0]!.ip : c === "node-to-clusterip" ? nodeSpec.ip : cluster.client!.ip;
    const dst = c.startsWith("external") ? `${nodeSpec.ip}:${svc.nodePort}` : `${svc.clusterIP}:${svc.port}`;
    const packet: PastePacket = { src, dst, protocol: "tcp" };
    const trace = pasteJourney(cluster.yaml, packet, p.connection);
    const entry = entryStep(trace);
    const seen = stepOf(trace, "server").in!.src;
    const rules = nodeIptablesSave(loadCluster(cluster.yaml)).split("\n");
    const ext = rules.find((r) => r.startsWith("-A KUBE-EXT-"))!.split(" ")[1]!;
    const svcChain = rules.find((r) => r.startsWith("-A KUBE-SVC-"))!.split(" ")[1]!;
    const chosen = entry.out!.dst;
    const sepRule = rules.find((r) => r.startsWith("-A KUBE-SEP-") && r.includes(` -s ${chosen}/32 `))!;
    const sep = sepRule.split(" ")[1]!;
    const markRule = rowOf(trace, entry.sub.find((s) => s.kind === "jump" && s.label.endsWith("→ KUBE-MARK-MASQ"))?.ref);
    const key = markedBy(trace);
    const situation: Record<Case, string> = {
      "external-cluster": `A client at ${p.client} outside the cluster connects to ${dst}, node ${nodeSpec.name}'s address and the node port of Service ${svc.name} (externalTrafficPolicy: Cluster).`,
      "external-local": `A client at ${p.client} outside the cluster connects to ${dst}, node ${nodeSpec.name}'s address and the node port of Service ${svc.name} (externalTrafficPolicy: Local; ${nodeSpec.name} runs an endpoint).`,
      hairpin: `Pod ${cluster.backends[0]!.name} (${src}), the only endpoint of Service ${svc.name}, connects to the Service's own ClusterIP ${dst}.`,
      "node-to-clusterip": `A process in ${nodeSpec.name}'s host network namespace (source ${src}) connects to Service ${svc.name}'s ClusterIP ${dst}.`,
      "pod-to-clusterip": `Pod ${cluster.client!.name} (${src}) on ${nodeSpec.name} connects to Service ${svc.name}'s ClusterIP ${dst}.`,
    };
    const candidates = [
      { id: "mark-ext", text: `Masqueraded: ${ext}'s "masquerade traffic for … external destinations" rule marks it with 0x4000, and KUBE-POSTROUTING rewrites the source to ${nodeSpec.ip}.` },
      { id: "mark-sep", text: `Masqueraded: the "-s ${chosen}/32" rule in ${sep} marks it (the endpoint is the sender itself), and KUBE-POSTROUTING rewrites the source to ${nodeSpec.ip}.` },
      { id: "mark-svc", text: `Masqueraded: ${svcChain}'s "! -s ${CLUSTER_CIDR}" rule marks it (the sender is outside the Pod range), and KUBE-POSTROUTING rewrites the source to ${nodeSpec.ip}.` },
      { id: "none", text: `Not masqueraded: no rule sets the 0x4000 mark, KUBE-POSTROUTING returns at once, and the Pod sees ${src} as the source.` },
    ];
    const why: Record<string, string> = {
      "mark-ext": c === "external-cluster" ? "Under externalTrafficPolicy: Cluster the endpoint may be on another node, which would answer the client directly; the mark makes the reply return through this node." : `This rule is only taken by traffic that arrives at a node port or external address under externalTrafficPolicy: Cluster; ${c === "external-local" ? "under Local, KUBE-EXT sends outside traffic to local endpoints without the mark" : "this packet is addressed to the ClusterIP and never enters KUBE-EXT"}.`,
      "mark-sep": hairpin ? "Without the masquerade the Pod would receive a packet from itself and answer itself directly, skipping the conntrack entry that holds the DNAT." : `That rule matches only packets whose source is the endpoint itself (${chosen}); this packet comes from ${src}.`,
      "mark-svc": c === "node-to-clusterip" ? `The node's address is outside ${CLUSTER_CIDR}. kube-proxy cannot tell whether such a sender would receive the Pod's reply through this node (an off-cluster host routed through it would not), so it masquerades every sender outside the Pod range; here the source keeps the node's address but gets a new port.` : `That rule matches only packets to the ClusterIP from outside ${CLUSTER_CIDR}; ${c.startsWith("external") ? "this packet is addressed to a node port, not the ClusterIP" : `${src} is a Pod address inside the range`}.`,
      none: key === "none" ? `No rule on the path marks the packet, so the server sees ${seen}.` : `The walk does take a rule that marks the packet: ${markRule ?? "a KUBE-MARK-MASQ jump"}; the server sees ${seen}.`,
    };
    const random = seededRandom(seed ^ 0x77);
    const { options, rubric } = arrange(candidates.map((o) => ({ ...o, correct: o.id === key, why: `${o.id === key ? "Right" : "Wrong"}: ${why[o.id]}`, step: entry.id })), random);
    const model = pasteJourney(cluster.yaml, packet, p.connection, "nodeport-keeps-client");
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `${situation[c]} kube-proxy runs in iptables mode on ${nodeSpec.name}. Is the first packet masqueraded on ${nodeSpec.name}, and if so, which rule asks for it?`,
      exhibits: [{ kind: "settings", chips: [{ key: "sender", label: "Sender", value: src }, { key: "destination", label: "Destination", value: dst }, { key: "etp", label: "externalTrafficPolicy", value: svc.externalTrafficPolicy ?? "Cluster" }, { key: "cluster-cidr", label: "clusterCIDR", value: CLUSTER_CIDR }] }],
      view: { options },
      key: { choice: key },
      rubric: { options: rubric },
      misconceptions: misconceptionIf<"single-choice">("nodeport-keeps-client", { choice: markedBy(model) }, { choice: key }),
      hints: [
        "kube-proxy masquerades exactly when the reply would otherwise not come back through the node that did the DNAT.",
        "Look at where the sender is: outside the cluster, in the Pod range, on the node itself, or the endpoint itself.",
      ],
      explanation: `${why[key]!} ${key === "none" ? "" : `The mark is set in the nat table by KUBE-MARK-MASQ and acted on in nat POSTROUTING, where KUBE-POSTROUTING clears it and applies MASQUERADE; the Pod sees ${seen}.`}`.trim(),
      lab: pasteLab(cluster.yaml, packet, p.connection),
    };
  },
};
