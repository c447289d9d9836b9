import type { JourneyInput } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { entryStep, inputLab, journey, LESSONS, misconceptionIf, plural, stepOf } from "./shared";

function params(seed: number) {
  const random = seededRandom(seed ^ 0x7e7);
  const nodes = randomInt(random, 2, 3);
  return {
    policy: random() < 0.7 ? "Cluster" : "Local",
    nodes,
    entry: randomInt(random, 0, nodes - 1),
    endpoints: randomInt(random, 1, 3),
    client: `${["198.51.100", "203.0.113", "192.0.2"][randomInt(random, 0, 2)]}.${randomInt(random, 2, 250)}`,
    layout: randomInt(random, 0, 999_999),
  };
}

/** The source address a Pod sees for a NodePort connection from outside: the node's own under Cluster, the client's under Local. */
export const nodeportSourceSeen: Template<"fill-in"> = {
  id: "nodeport-source-seen",
  kind: "fill-in",
  title: "What source does the Pod see behind a NodePort?",
  lesson: LESSONS.waysIn,
  concepts: ["nodeport", "masquerade", "external-traffic-policy"],
  file: "src/quiz/bank/cluster/nodeport-source-seen.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const local = p.policy === "Local";
    // Under Local the node the client reaches runs the first endpoint (otherwise it drops the packet).
    const cluster = drawCluster(seededRandom(p.layout), { type: "NodePort", endpoints: p.endpoints, nodes: p.nodes, externalTrafficPolicy: local ? "Local" : "Cluster", placement: local ? [p.entry] : [] });
    const svc = cluster.service;
    const node = cluster.nodes[p.entry]!;
    const input: JourneyInput = {
      yaml: cluster.yaml,
      from: { kind: "external", ip: p.client, name: "A client on the internet" },
      to: `${node.ip}:${svc.nodePort}`,
      protocol: "tcp",
      entryNode: node.name,
      loadBalancer: "none",
      dnsName: null,
    };
    const trace = journey("nodeport-from-outside", input, 0);
    const model = journey("nodeport-from-outside", input, 0, "nodeport-keeps-client");
    const server = stepOf(trace, "server");
    const entry = entryStep(trace);
    const masqueraded = entry.sub.some((s) => s.kind === "masquerade");
    const key = { fields: { src: server.in!.src } };
    const pod = server.node.name.replace(/^Pod /, "");
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Service ${svc.namespace}/${svc.name} is of type NodePort (node port ${svc.nodePort}, externalTrafficPolicy: ${p.policy}) with ${plural(p.endpoints, "ready Pod")} on ${plural(p.nodes, "node")}. A client at ${p.client} connects to ${node.ip}:${svc.nodePort}, ${node.name}'s address, and kube-proxy sends the connection to ${pod}. Which source address does that Pod see on the first packet?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "client", label: "Client", value: p.client },
        { key: "entry", label: "Node the client reaches", value: `${node.name} (${node.ip})` },
        { key: "etp", label: "externalTrafficPolicy", value: p.policy },
        { key: "pods", label: "Ready Pods", value: cluster.backends.map((b) => `${b.ip} on ${b.node}`).join(", ") },
      ] }],
      view: { fields: [{ id: "src", label: "Source address the Pod sees", type: "ip", placeholder: "192.0.2.1" }] },
      key,
      rubric: {
        fields: {
          src: {
            why: masqueraded
              ? `Under externalTrafficPolicy: Cluster, KUBE-EXT marks node-port traffic for masquerade and KUBE-POSTROUTING rewrites the source to ${server.in!.src}, ${node.name}'s address, so the reply must come back through ${node.name}, whose conntrack entry undoes the DNAT.`
              : `Under externalTrafficPolicy: Local kube-proxy sends outside traffic only to endpoints on ${node.name} and does not mark it for masquerade: the reply leaves from the same node that did the DNAT, so the client's address ${server.in!.src} can be kept.`,
            step: masqueraded ? entry.id : "server",
          },
        },
      },
      misconceptions: misconceptionIf<"fill-in">("nodeport-keeps-client", { fields: { src: stepOf(model, "server").in!.src } }, key),
      hints: [
        "Ask where the Pod's reply must go for conntrack to undo the DNAT.",
        "externalTrafficPolicy decides whether the node may hand the connection to a Pod on another node.",
      ],
      explanation: masqueraded
        ? `${node.name} DNATs ${node.ip}:${svc.nodePort} to ${server.in!.dst}:${server.in!.dstPort} and, because the policy is Cluster, masquerades: the Pod sees ${server.in!.src}. Had the client's address been kept, a Pod on another node would answer the client directly from its own address — a reply the client never asked for — so kube-proxy masquerades every such packet, even when the chosen Pod happens to run on ${node.name}.`
        : `With Local, the connection stays on ${node.name}, which runs the endpoint; the reply passes back through the same node's conntrack, so no masquerade is needed and the Pod sees the client's own address ${server.in!.src}. The price: a node without a ready local endpoint drops such traffic.`,
      lab: inputLab(LESSONS.waysIn, "nodeport", input),
    };
  },
};
