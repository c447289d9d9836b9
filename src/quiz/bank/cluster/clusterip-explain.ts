import type { JourneyInput } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { entryStep, inputLab, journey, LESSONS, plural, stepOf } from "./shared";

function params(seed: number) {
  const random = seededRandom(seed ^ 0xe4);
  const nodes = randomInt(random, 2, 3);
  return { nodes, clientNode: randomInt(random, 0, nodes - 1), endpoints: randomInt(random, 2, 4), layout: randomInt(random, 0, 999_999) };
}

/** Explain a ClusterIP call end to end; the checklist is read off the trace. */
export const clusteripExplain: Template<"open"> = {
  id: "clusterip-explain",
  kind: "open",
  title: "Explain a ClusterIP call",
  lesson: LESSONS.kubeProxy,
  concepts: ["clusterip", "dnat", "conntrack", "kube-proxy-iptables"],
  file: "src/quiz/bank/cluster/clusterip-explain.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const cluster = drawCluster(seededRandom(p.layout), { type: "ClusterIP", endpoints: p.endpoints, nodes: p.nodes, clientNode: p.clientNode });
    const svc = cluster.service;
    const client = cluster.client!;
    const input: JourneyInput = {
      yaml: cluster.yaml,
      from: { kind: "pod", namespace: client.namespace, name: client.name, ip: client.ip, node: client.node },
      to: `${svc.clusterIP}:${svc.port}`,
      protocol: "tcp",
      entryNode: null,
      loadBalancer: "none",
      dnsName: `${svc.name}.${svc.namespace}.svc.cluster.local`,
    };
    const trace = journey("clusterip-from-pod", input, 0);
    const entry = entryStep(trace);
    const out = entry.out!;
    const server = stepOf(trace, "server");
    const crossed = trace.steps.some((s) => s.id === "vpc");
    const back = stepOf(trace, "client-receives").in!;
    const items = [
      { id: "dns", text: `DNS: ${svc.name}.${svc.namespace}.svc.cluster.local resolves to the ClusterIP ${svc.clusterIP}, a virtual address no interface holds.`, step: "dns" },
      { id: "kernel", text: `kube-proxy only writes rules; the kernel of ${client.node}, the client's own node, translates the packet in nat PREROUTING.`, step: entry.id },
      { id: "draw", text: `KUBE-SERVICES jumps to the Service's KUBE-SVC chain, whose statistic rules give each of the ${p.endpoints} ready endpoints 1/${p.endpoints} of new connections; this one gets ${out.dst}:${out.dstPort}.`, step: entry.id },
      { id: "dnat", text: `The KUBE-SEP chain DNATs ${svc.clusterIP}:${svc.port} to ${out.dst}:${out.dstPort}; the source stays the Pod's own ${client.ip}, with no masquerade.`, step: entry.id },
      { id: "network", text: crossed ? `The Pod network carries the packet from ${client.node} to the endpoint's node unchanged (VPC alias ranges, no tunnel), which forwards it to the Pod's veth.` : `The endpoint runs on ${client.node} too, so the packet goes straight to its veth on the same node.`, step: crossed ? "vpc" : "server" },
      { id: "conntrack", text: `On the way back, conntrack on ${client.node} matches the reply to the entry the request made and rewrites its source from ${server.out!.src}:${server.out!.srcPort} to ${back.src}:${back.srcPort}, so the client's socket accepts it.`, step: `reply-${client.node}` },
    ];
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `In an interview: "Pod ${client.name} on ${client.node} runs curl http://${svc.name}.${svc.namespace}${svc.port === 80 ? "" : `:${svc.port}`}/. Service ${svc.name} has ${plural(p.endpoints, "ready Pod")} on ${plural(p.nodes, "node")}, and kube-proxy runs in iptables mode. Walk me through what happens to the first packet and its reply." Write your answer, then tick what it covers.`,
      exhibits: [{ kind: "settings", chips: [
        { key: "service", label: "Service", value: `${svc.clusterIP}:${svc.port} → target port ${out.dstPort}` },
        { key: "pods", label: "Ready Pods", value: cluster.backends.map((b) => `${b.ip} on ${b.node}`).join(", ") },
        { key: "client", label: "Client Pod", value: `${client.ip} on ${client.node}` },
      ] }],
      view: { checklist: items.map((i) => ({ id: i.id, text: i.text })) },
      key: { checked: items.map((i) => i.id) },
      rubric: {
        modelAnswer: `The name resolves through kube-dns to ${svc.clusterIP}. The Pod sends its SYN to ${svc.clusterIP}:${svc.port}; it reaches ${client.node}'s kernel through the veth, and in nat PREROUTING kube-proxy's rules take over: KUBE-SERVICES matches the address and port, the Service's KUBE-SVC chain draws one of ${p.endpoints} endpoints with statistic rules, and the chosen KUBE-SEP chain DNATs to ${out.dst}:${out.dstPort}. The source stays ${client.ip}: Pod-to-Service traffic is not masqueraded. ${crossed ? "The VPC routes the packet to the endpoint's node, which forwards it to the Pod unchanged." : "The endpoint is local, so the packet goes straight to its veth."} conntrack recorded both tuples; the reply from ${server.out!.src}:${server.out!.srcPort} matches the entry's reply tuple on ${client.node} and is rewritten to come from ${back.src}:${back.srcPort}. Later packets of the connection never touch the nat rules.`,
        checklist: Object.fromEntries(items.map((i) => [i.id, { why: i.text, step: i.step }])),
      },
      misconceptions: [],
      hints: ["Start with the name, end with the reply the client's socket accepts.", "Say which node does the translation, and what remembers it."],
      explanation: `A ClusterIP is handled entirely in the client node's kernel: DNS gives the virtual address, kube-proxy's nat rules draw an endpoint and DNAT to it, the Pod network delivers the packet untouched, and conntrack reverses the DNAT on the reply. In this cluster the draw picked ${out.dst}:${out.dstPort}${crossed ? " on another node" : " on the client's own node"}.`,
      lab: inputLab(LESSONS.kubeProxy, "nat", input),
    };
  },
};
