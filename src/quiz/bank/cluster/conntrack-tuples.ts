import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { entryStep, LESSONS, misconceptionIf, pasteJourney, pasteLab, stepOf, type PastePacket } from "./shared";

function params(seed: number) {
  const random = seededRandom(seed ^ 0xc0);
  const nodes = randomInt(random, 2, 3);
  return {
    sender: seed % 2 === 0 ? "outside" : "pod",
    nodes,
    node: randomInt(random, 0, nodes - 1),
    endpoints: randomInt(random, 1, 4),
    client: `203.0.113.${randomInt(random, 2, 250)}`,
    connection: randomInt(random, 0, 99_999),
    layout: randomInt(random, 0, 999_999),
  };
}

const tuples = (line: string) => [...line.matchAll(/src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)/g)].map((m) => ({ src: `${m[1]}:${m[3]}`, dst: `${m[2]}:${m[4]}` }));

/** The reply tuple of the conntrack entry a first packet leaves on the node that translated it. */
export const conntrackTuples: Template<"fill-in"> = {
  id: "conntrack-tuples",
  kind: "fill-in",
  title: "Fill in the conntrack entry",
  lesson: LESSONS.kubeProxy,
  concepts: ["conntrack", "dnat", "masquerade", "nodeport"],
  file: "src/quiz/bank/cluster/conntrack-tuples.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const outside = p.sender === "outside";
    const cluster = drawCluster(seededRandom(p.layout), { type: "NodePort", endpoints: p.endpoints, nodes: p.nodes, clientNode: p.node, proxyNode: p.node });
    const svc = cluster.service;
    const node = cluster.nodes[p.node]!;
    const packet: PastePacket = outside ? { src: p.client, dst: `${node.ip}:${svc.nodePort}`, protocol: "tcp" } : { src: cluster.client!.ip, dst: `${svc.clusterIP}:${svc.port}`, protocol: "tcp" };
    const read = (model: string | null) => {
      const trace = pasteJourney(cluster.yaml, packet, p.connection, model);
      const entry = entryStep(trace);
      const line = trace.tables.find((t) => t.id === `conntrack@${node.name}`)!.rows[0]!;
      return { trace, entry, line, reply: tuples(line)[1]! };
    };
    const real = read(null);
    const sent = stepOf(real.trace, "client").out!;
    const key = { fields: { "reply-src": real.reply.src, "reply-dst": real.reply.dst } };
    const model = read("nodeport-keeps-client");
    const masked = real.line.replace(/\[UNREPLIED\] src=\S+ dst=\S+ sport=\d+ dport=\d+/, "[UNREPLIED] src=? dst=? sport=? dport=?");
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `${outside ? `A client at ${p.client} outside the cluster connects to ${packet.dst}, node ${node.name}'s address and the node port of Service ${svc.namespace}/${svc.name} (externalTrafficPolicy: Cluster)` : `Pod ${cluster.client!.name} (${cluster.client!.ip}) on ${node.name} connects to Service ${svc.namespace}/${svc.name} at ${packet.dst}`}. kube-proxy's rules send the first packet to ${real.entry.out!.dst}:${real.entry.out!.dstPort}. Fill in the reply tuple of the entry conntrack then holds on ${node.name}: the source and destination a reply must carry to belong to this connection.`,
      exhibits: [{ kind: "output", command: `conntrack -L   # on ${node.name}, the reply tuple hidden`, text: masked }],
      view: {
        fields: [
          { id: "reply-src", label: "Reply tuple: source (IP:port)", type: "ip-port", placeholder: "10.0.0.1:8080" },
          { id: "reply-dst", label: "Reply tuple: destination (IP:port)", type: "ip-port", placeholder: "10.0.0.2:40000" },
        ],
      },
      key,
      rubric: {
        fields: {
          "reply-src": { why: `A reply comes from the endpoint the DNAT chose, ${real.reply.src}, not from ${sent.dst}:${sent.dstPort}; that difference is how conntrack records the DNAT.`, step: real.entry.id },
          "reply-dst": {
            why: outside
              ? `The packet was masqueraded: its source became ${real.reply.dst} (${node.name}'s address with a port MASQUERADE --random-fully chose), so the reply is addressed there and returns through ${node.name}.`
              : `A Pod calling a ClusterIP is not masqueraded, so the reply goes back to the client's own ${real.reply.dst}.`,
            step: real.entry.id,
          },
        },
      },
      misconceptions: misconceptionIf<"fill-in">("nodeport-keeps-client", { fields: { "reply-src": model.reply.src, "reply-dst": model.reply.dst } }, key),
      hints: [
        "The reply tuple is what the other end will send back: start from the original tuple with its ends swapped, then apply each translation.",
        outside ? "Was this packet's source rewritten on its way out of the node?" : "Did anything rewrite this packet's source?",
      ],
      explanation: `conntrack keeps the first packet's tuple (${sent.src}:${sent.srcPort} → ${sent.dst}:${sent.dstPort}) and the tuple a reply will carry. With no NAT the reply tuple would be that one mirrored; here the DNAT makes the reply come from ${real.reply.src}${outside ? `, and the masquerade makes it go to ${real.reply.dst}` : `, and it goes to ${real.reply.dst}, the client itself`}. When the reply arrives, the kernel matches it to this entry and rewrites it back to the original's mirror, so the client sees ${sent.dst}:${sent.dstPort} answer.`,
      lab: pasteLab(cluster.yaml, packet, p.connection),
    };
  },
};
