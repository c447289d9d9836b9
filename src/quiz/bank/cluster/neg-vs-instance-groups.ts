import type { Trace } from "../../../sim/core/trace";
import type { JourneyInput } from "../../../sim/kube/index";
import type { PacketUnit } from "../../../sim/net/packet-unit";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { arrange, entryStep, inputLab, journey, LESSONS, misconceptionIf, plural, stepOf } from "./shared";

/**
 * The source material's NEG-vs-NodePort question, asked of one cluster: the same Service behind a GFE
 * with instance-group backends and with a NEG. Each statement is a predicate over the two traces, so
 * the key is what the real traces make true and the misconception's answer what the wrong model's do.
 */
type Pair = { readonly neg: Trace<PacketUnit>; readonly ig: Trace<PacketUnit> };

function params(seed: number) {
  const random = seededRandom(seed);
  return {
    nodes: randomInt(random, 2, 3),
    endpoints: randomInt(random, 1, 4),
    layout: randomInt(random, 0, 1_000_000),
    gfe: seed % 2 === 0 ? `35.191.${randomInt(random, 0, 255)}.${randomInt(random, 1, 254)}` : `130.211.${randomInt(random, 0, 3)}.${randomInt(random, 1, 254)}`,
  };
}

export const negVsInstanceGroups: Template<"multiple-choice"> = {
  id: "neg-vs-instance-groups",
  kind: "multiple-choice",
  title: "NEG or instance groups: who picks the Pod?",
  lesson: LESSONS.waysIn,
  concepts: ["neg", "instance-groups", "nodeport", "dnat", "masquerade"],
  file: "src/quiz/bank/cluster/neg-vs-instance-groups.ts",
  source: "seed 000, question 3",
  params,
  variant(seed) {
    const p = params(seed);
    const cluster = drawCluster(seededRandom(p.layout), { type: "NodePort", endpoints: p.endpoints, nodes: p.nodes });
    const svc = cluster.service;
    const base: Omit<JourneyInput, "loadBalancer"> = {
      yaml: cluster.yaml,
      from: { kind: "external", ip: p.gfe, name: "GFE (proxy address)" },
      to: `${svc.namespace}/${svc.name}:${svc.portName}`,
      protocol: "tcp",
      entryNode: null,
      dnsName: null,
    };
    const negInput: JourneyInput = { ...base, loadBalancer: "gfe-neg" };
    const igInput: JourneyInput = { ...base, loadBalancer: "gfe-instance-group" };
    // Seed 0 of the journey: the ingress lab computes its traces at seed 0, so the link reopens these.
    const run = (model: string | null): Pair => ({ neg: journey("gke-ingress", negInput, 0, model), ig: journey("gke-ingress", igInput, 0, model) });
    const real = run(null);
    const igEntry = entryStep(real.ig);
    const igNode = igEntry.node.id.replace(/^node-/, "");
    const igIn = igEntry.in!;
    const igOut = igEntry.out!;
    const chosen = `${igOut.dst}:${igOut.dstPort}`;
    const endpointNode = cluster.backends.find((b) => b.ip === igOut.dst)!.node;
    const crosses = real.ig.steps.some((s) => s.id === "vpc");
    const otherNode = crosses ? endpointNode : cluster.nodes.find((n) => n.name !== igNode)!.name;
    const negEntry = entryStep(real.neg);
    const negNode = negEntry.node.id.replace(/^node-/, "");
    const negPod = negEntry.in!;
    const nodeIp = igIn.dst;
    const serverSrc = (t: Trace<PacketUnit>) => stepOf(t, "server").in!.src;
    const hasDnat = (t: Trace<PacketUnit>) => entryStep(t).sub.some((x) => x.kind === "dnat");

    const statements: { id: string; text: string; holds: (x: Pair) => boolean; why: (yes: boolean) => string; step: string }[] = [
      {
        id: "ig-dnat",
        text: `With instance groups, ${igNode}'s kube-proxy rules DNAT the GFE's connection from the node port ${nodeIp}:${igIn.dstPort} to ${chosen}.`,
        holds: (x) => hasDnat(x.ig) && `${entryStep(x.ig).out!.dst}:${entryStep(x.ig).out!.dstPort}` === chosen,
        why: () => `The backend service lists node VMs, so the GFE connects to ${nodeIp}:${igIn.dstPort}; KUBE-NODEPORTS sends it through KUBE-EXT and KUBE-SVC, whose statistic draw picks ${chosen} among ${plural(p.endpoints, "ready endpoint")}.`,
        step: igEntry.id,
      },
      {
        id: "ig-hop",
        text: `With instance groups, the request is forwarded from ${igNode} across the VPC to ${otherNode} before it reaches the Pod.`,
        holds: (x) => x.ig.steps.some((s) => s.id === "vpc"),
        why: (yes) =>
          yes
            ? `The Pod kube-proxy chose, ${chosen}, runs on ${endpointNode}, not on ${igNode}: one more trip across the VPC. The GFE chose the node without knowing where Pods run.`
            : `The chosen Pod ${chosen} happens to run on ${igNode} itself, so this time there is no second trip; with ${plural(p.endpoints, "Pod")} on ${plural(p.nodes, "node")} that is luck, not design.`,
        step: crosses ? "vpc" : "server",
      },
      {
        id: "ig-client-source",
        text: `With instance groups, the Pod sees the GFE's proxy address ${p.gfe} as the source.`,
        holds: (x) => serverSrc(x.ig) === p.gfe,
        why: (yes) =>
          yes
            ? `Nothing rewrote the source.`
            : `KUBE-EXT marks node-port traffic for masquerade (externalTrafficPolicy: Cluster), so the packet leaves ${igNode} with ${igNode}'s own address as its source; the Pod never sees ${p.gfe}.`,
        step: "server",
      },
      {
        id: "ig-node-source",
        text: `With instance groups, the Pod sees ${nodeIp}, ${igNode}'s own address, as the source.`,
        holds: (x) => serverSrc(x.ig) === nodeIp,
        why: (yes) =>
          yes
            ? `MASQUERADE in KUBE-POSTROUTING rewrote the source to the node's address, so the reply must come back through ${igNode}, whose conntrack entry holds the DNAT.`
            : `Without the masquerade the Pod would see the GFE's address.`,
        step: "server",
      },
      {
        id: "neg-direct",
        text: `With the NEG, the GFE connects straight to ${negPod.dst}:${negPod.dstPort}, and no kube-proxy rule rewrites the packet.`,
        holds: (x) => !hasDnat(x.neg),
        why: () => `The NEG lists Pod IP:port pairs; the GFE picks ${negPod.dst}:${negPod.dstPort} itself. On ${negNode} the packet's destination is already a Pod address, which no KUBE-SERVICES rule matches.`,
        step: negEntry.id,
      },
      {
        id: "neg-kube-proxy",
        text: `With the NEG, ${negNode}'s kube-proxy rules pick the Pod with their statistic draw.`,
        holds: (x) => hasDnat(x.neg),
        why: () => `The GFE has already picked the Pod: the packet arrives addressed to ${negPod.dst}, and KUBE-SERVICES only matches Service addresses and node ports. One balancing decision, made by the load balancer.`,
        step: negEntry.id,
      },
      {
        id: "neg-source",
        text: `With the NEG, the Pod sees the GFE's proxy address ${p.gfe} as the source.`,
        holds: (x) => serverSrc(x.neg) === p.gfe,
        why: () => `Nothing on the node translates the packet, so the Pod sees the address the GFE connected from — not the browser's, which only the GFE's X-Forwarded-For header carries.`,
        step: "server",
      },
    ];
    const random = seededRandom(seed ^ 0x51f15e);
    const { options, rubric, correct } = arrange(
      statements.map((s) => {
        const yes = s.holds(real);
        return { id: s.id, text: s.text, correct: yes, why: `${yes ? "True" : "False"}: ${s.why(yes)}`, step: s.step };
      }),
      random,
    );
    const key = { choices: correct };
    const model = run("nodeport-keeps-client");
    const modelChoices = options.map((o) => o.id).filter((id) => statements.find((s) => s.id === id)!.holds(model));
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `A GKE Ingress sends traffic for Service ${svc.namespace}/${svc.name} (port ${svc.port}, node port ${svc.nodePort}, ${plural(p.endpoints, "ready Pod")} on ${plural(p.nodes, "node")}) through Google's external Application Load Balancer. Compare the backend types for one new connection from the GFE (proxy address ${p.gfe}): which statements are true for this cluster?`,
      exhibits: [
        { kind: "settings", chips: [
          { key: "nodes", label: "Nodes", value: cluster.nodes.map((n) => `${n.name} ${n.ip}`).join(", ") },
          { key: "pods", label: "Ready Pods", value: cluster.backends.map((b) => `${b.ip} on ${b.node}`).join(", ") },
          { key: "gfe-node", label: "Node the GFE picks (instance groups)", value: `${igNode} (${nodeIp}:${igIn.dstPort})` },
          { key: "neg-pod", label: "Pod the GFE picks (NEG)", value: `${negPod.dst}:${negPod.dstPort}` },
        ] },
      ],
      view: { options },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionIf<"multiple-choice">("nodeport-keeps-client", { choices: modelChoices }, key),
      hints: [
        "With instance groups the load balancer only knows nodes; something on the node still has to pick a Pod.",
        "Look at which packet is addressed to a node port and which to a Pod's own address: kube-proxy's rules only match the first kind.",
      ],
      explanation: `With instance groups the GFE balances over node VMs and connects to ${nodeIp}:${igIn.dstPort}; that node's kube-proxy rules then make a second, independent choice — a uniform statistic draw over every ready endpoint, wherever it runs — DNAT to ${chosen}, and masquerade to the node's address so the reply returns through ${igNode}. The extra hop happens exactly when the chosen Pod is on another node${crosses ? ` (here ${endpointNode})` : " (not this time)"}. With a NEG the GFE picks ${negPod.dst}:${negPod.dstPort} itself and the node only routes the packet to the Pod's veth: no DNAT, no masquerade, one balancing decision that can respect the Pod's own health checks.`,
      lab: inputLab(LESSONS.waysIn, "ingress", igInput),
    };
  },
};
