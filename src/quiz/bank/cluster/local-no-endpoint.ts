import type { JourneyInput } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { arrange, entryStep, inputLab, journey, LESSONS, rowOf } from "./shared";

function params(seed: number) {
  const random = seededRandom(seed ^ 0x10ca1);
  const nodes = randomInt(random, 2, 3);
  return {
    nodes,
    entry: randomInt(random, 0, nodes - 1),
    endpoints: randomInt(random, 1, 3),
    client: `198.51.100.${randomInt(random, 2, 250)}`,
    layout: randomInt(random, 0, 999_999),
  };
}

/** A LoadBalancer Service with externalTrafficPolicy: Local, and a packet that reaches a node running none of its Pods. */
export const localNoEndpoint: Template<"diagnosis"> = {
  id: "local-no-endpoint",
  kind: "diagnosis",
  title: "externalTrafficPolicy: Local on a node without a Pod",
  lesson: LESSONS.waysIn,
  concepts: ["loadbalancer", "external-traffic-policy", "health-checks"],
  file: "src/quiz/bank/cluster/local-no-endpoint.ts",
  params,
  variant(seed) {
    const p = params(seed);
    // Every Pod on a node other than the one the packet reaches.
    const others = Array.from({ length: p.nodes }, (_, i) => i).filter((i) => i !== p.entry);
    const placement = Array.from({ length: p.endpoints }, (_, i) => others[i % others.length]!);
    const cluster = drawCluster(seededRandom(p.layout), { type: "LoadBalancer", endpoints: p.endpoints, nodes: p.nodes, externalTrafficPolicy: "Local", placement });
    const svc = cluster.service;
    const node = cluster.nodes[p.entry]!;
    const input: JourneyInput = {
      yaml: cluster.yaml,
      from: { kind: "external", ip: p.client, name: "A client on the internet" },
      to: `${svc.loadBalancerIP}:${svc.port}`,
      protocol: "tcp",
      entryNode: node.name,
      loadBalancer: "passthrough-nlb",
      dnsName: null,
    };
    const trace = journey("loadbalancer-local", input, 0);
    const entry = entryStep(trace);
    const decided = [...entry.sub].reverse().find((s) => s.kind === "rule" && s.taken);
    const rule = rowOf(trace, decided?.ref) ?? "";
    const verdict = trace.outcome.status;
    const pod = cluster.backends[0]!;
    const rows = trace.tables.find((t) => t.id === entry.tables[0])!.rows;
    const healthPort = /--dport (\d+)/.exec(rows.find((r) => r.includes("health check node port")) ?? "")?.[1] ?? "?";
    const key = verdict === "DROP" && rule.startsWith("-A KUBE-EXTERNAL-SERVICES") ? "drop-external-services" : verdict === "DROP" ? "drop-other" : "delivered";
    const candidates = [
      { id: "drop-external-services", text: `${node.name} drops it in filter KUBE-EXTERNAL-SERVICES, whose rule for ${svc.loadBalancerIP}:${svc.port} says the Service "has no local endpoints".` },
      { id: "forward", text: `${node.name} DNATs it to ${pod.ip}:${svc.targetPort === "http" ? pod.port!.number : svc.targetPort} on ${pod.node} and forwards it there, keeping the client's address.` },
      { id: "masquerade", text: `${node.name} DNATs it to ${pod.ip} on ${pod.node} and masquerades it to ${node.ip}, as under externalTrafficPolicy: Cluster.` },
      { id: "reject", text: `${node.name} answers with ICMP port unreachable, as for a Service that has no endpoints anywhere.` },
    ];
    const why: Record<string, string> = {
      "drop-external-services": `Under Local, kube-proxy on a node without a ready local endpoint writes a DROP rule for the load balancer address (and the node port) in filter KUBE-EXTERNAL-SERVICES; the walk ends at "${rule}". The Service does have endpoints — just none here.`,
      forward: `Local means "only endpoints on this node" for outside traffic: ${node.name}'s KUBE-EXT chain has no endpoint to jump to, so nothing sends the packet to ${pod.node}.`,
      masquerade: "That is what externalTrafficPolicy: Cluster would do; Local never masquerades outside traffic and never sends it to another node.",
      reject: `REJECT is written for Services with no endpoints at all. This Service has ${p.endpoints} ready endpoint${p.endpoints === 1 ? "" : "s"} elsewhere, so the packet is dropped silently instead.`,
    };
    const { options, rubric } = arrange(candidates.map((c) => ({ ...c, correct: c.id === key, why: why[c.id]!, step: entry.id })), seededRandom(seed ^ 0x3));
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Service ${svc.namespace}/${svc.name} is a LoadBalancer with externalTrafficPolicy: Local; the API server gave it health-check node port ${healthPort}. Its Pods run on ${[...new Set(cluster.backends.map((b) => b.node))].join(" and ")}. A passthrough load balancer delivers a client's first packet for ${svc.loadBalancerIP}:${svc.port} to ${node.name}, which runs none of them — as happens in the seconds before the health checks mark a node down. What does ${node.name} do with it?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "lb", label: "Load balancer address", value: `${svc.loadBalancerIP}:${svc.port}` },
        { key: "node", label: "Node the packet reaches", value: `${node.name} (${node.ip})` },
        { key: "pods", label: "Ready Pods", value: cluster.backends.map((b) => `${b.ip} on ${b.node}`).join(", ") },
      ] }],
      view: { options },
      key: { choice: key },
      rubric: { options: rubric },
      misconceptions: [],
      hints: [
        "Under Local, which endpoints may a node use for traffic from outside?",
        "kube-proxy treats \"no endpoints at all\" and \"no endpoints on this node\" differently.",
      ],
      explanation: `externalTrafficPolicy: Local keeps the client's address by never handing outside traffic to another node. A node with no ready local endpoint therefore has nothing to send to, and kube-proxy writes a DROP for the load balancer's address and node port in filter KUBE-EXTERNAL-SERVICES; here the walk ends at ${verdict} on "${rule}". The Service's health-check node port answers 503 on ${node.name}, so a healthy load balancer stops sending there; until it notices, such packets are lost.`,
      lab: inputLab(LESSONS.waysIn, "local", input),
    };
  },
};
