import type { JourneyInput } from "../../../sim/kube/index";
import type { PacketUnit } from "../../../sim/net/packet-unit";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { inputLab, journey, LESSONS, misconceptionIf } from "./shared";
import { shuffle } from "../draw";

const MARKS = [
  { id: "dnat", text: "Rewrites the destination" },
  { id: "snat", text: "Rewrites the source" },
  { id: "un-nat", text: "conntrack turns a reply back" },
] as const;

function params(seed: number) {
  const random = seededRandom(seed ^ 0x7b);
  const nodes = randomInt(random, 2, 3);
  return { nodes, entry: randomInt(random, 0, nodes - 1), endpoints: randomInt(random, 1, 3), client: `198.51.100.${randomInt(random, 2, 250)}`, layout: randomInt(random, 0, 999_999) };
}

type TraceStep = { readonly id: string; readonly stage: string; readonly in: PacketUnit | null; readonly out: PacketUnit | null };

/** The marks a step earns: what it did to the packet, read from its input and output. */
function marksOf(s: TraceStep): string[] {
  if (!s.in || !s.out) return [];
  const dst = s.in.dst !== s.out.dst || s.in.dstPort !== s.out.dstPort;
  const src = s.in.src !== s.out.src || s.in.srcPort !== s.out.srcPort;
  if (s.stage === "reply") return dst || src ? ["un-nat"] : [];
  return [...(dst ? ["dnat"] : []), ...(src ? ["snat"] : [])];
}

/** Build a NodePort connection's path from outside to a Pod on another node and back, marking where addresses change. */
export const nodeportJourneyTrace: Template<"trace-builder"> = {
  id: "nodeport-journey-trace",
  kind: "trace-builder",
  title: "Trace a NodePort connection there and back",
  lesson: LESSONS.waysIn,
  concepts: ["nodeport", "dnat", "masquerade", "conntrack"],
  file: "src/quiz/bank/cluster/nodeport-journey-trace.ts",
  params,
  variant(seed) {
    const p = params(seed);
    // Every Pod on another node than the one the client reaches, so the path always crosses the VPC.
    const others = Array.from({ length: p.nodes }, (_, i) => i).filter((i) => i !== p.entry);
    const cluster = drawCluster(seededRandom(p.layout), { type: "NodePort", endpoints: p.endpoints, nodes: p.nodes, placement: Array.from({ length: p.endpoints }, (_, i) => others[i % others.length]!) });
    const svc = cluster.service;
    const node = cluster.nodes[p.entry]!;
    const input: JourneyInput = { yaml: cluster.yaml, from: { kind: "external", ip: p.client, name: "A client on the internet" }, to: `${node.ip}:${svc.nodePort}`, protocol: "tcp", entryNode: node.name, loadBalancer: "none", dnsName: null };
    const real = journey("nodeport-from-outside", input, 0);
    const wrong = journey("nodeport-from-outside", input, 0, "nodeport-keeps-client");
    const stageTitle = (id: string) => real.stages.find((s) => s.id === id)?.title ?? id;
    const textOf = (s: { node: { name: string }; stage: string }) => `${s.node.name} — ${stageTitle(s.stage)}`;
    const offSteps = wrong.steps.filter((s) => !real.steps.some((r) => r.id === s.id));
    const options = shuffle(seededRandom(seed ^ 0x3e), [...real.steps, ...offSteps].map((s) => ({ id: s.id, text: textOf(s) })));
    const hops = real.steps.map((s) => ({ item: s.id, marks: marksOf(s) }));
    const role = (s: TraceStep & { node: { name: string }; events: readonly { text: string }[] }) => s.events[0]?.text ?? s.node.name;
    const markWhy = (s: TraceStep, mark: string): string => {
      const set = marksOf(s).includes(mark);
      if (mark === "dnat") return set ? `The node-port rules DNAT ${s.in!.dst}:${s.in!.dstPort} to ${s.out!.dst}:${s.out!.dstPort}.` : "The destination leaves this step as it came.";
      if (mark === "snat") return set ? `KUBE-EXT marked the packet and KUBE-POSTROUTING masqueraded it: the source becomes ${s.out!.src}:${s.out!.srcPort}.` : "The source leaves this step as it came.";
      return set ? `The reply matches the conntrack entry made by the request and is rewritten to ${s.out!.src}:${s.out!.srcPort} → ${s.out!.dst}:${s.out!.dstPort}.` : "Nothing to undo here: this node translated nothing on the way in.";
    };
    const key = { hops };
    const modelHops = wrong.steps.map((s) => ({ item: s.id, marks: marksOf(s) }));
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `A client at ${p.client} opens a TCP connection to ${node.ip}:${svc.nodePort}, the node port of Service ${svc.namespace}/${svc.name} (externalTrafficPolicy: Cluster) on ${node.name}. Every ready Pod of the Service runs on another node. Put the places the first packet and its reply pass in order, and mark where addresses change.`,
      exhibits: [{ kind: "settings", chips: [
        { key: "client", label: "Client", value: p.client },
        { key: "node", label: "Node port", value: `${node.name} ${node.ip}:${svc.nodePort}` },
        { key: "pods", label: "Ready Pods", value: cluster.backends.map((b) => `${b.ip} on ${b.node}`).join(", ") },
      ] }],
      view: { options, marks: MARKS.map((m) => ({ id: m.id, text: m.text })) },
      key,
      rubric: {
        hops: real.steps.map((s) => ({ item: s.id, role: role(s), step: s.id, marks: Object.fromEntries(MARKS.map((m) => [m.id, markWhy(s, m.id)])) })),
        offPath: Object.fromEntries(offSteps.map((s) => [s.id, { why: `Only if nothing masqueraded the request: then the reply would be addressed to the client and leave the Pod's node straight for it. Here the Pod answers ${node.name}'s address, so the reply goes back through ${node.name}.`, step: `reply-${node.name}` }])),
        weights: { order: 0.55, dnat: 0.15, snat: 0.15, "un-nat": 0.15 },
      },
      misconceptions: misconceptionIf<"trace-builder">("nodeport-keeps-client", { hops: modelHops }, key),
      hints: [
        "The node the client reached picks a Pod; the Pod runs elsewhere.",
        "Whoever translated the request must see the reply to undo it.",
      ],
      explanation: `${node.name} DNATs the node port to the chosen Pod and, under externalTrafficPolicy: Cluster, masquerades the packet to its own address; the VPC carries it to the Pod's node, which forwards it to the Pod's veth unchanged. The Pod answers ${node.name}'s address, so the reply crosses back; the Pod's node has nothing to undo, and ${node.name}'s conntrack entry turns the reply into ${node.ip}:${svc.nodePort} → the client, which is what the client's socket expects.`,
      lab: inputLab(LESSONS.waysIn, "nodeport", input),
    };
  },
};
