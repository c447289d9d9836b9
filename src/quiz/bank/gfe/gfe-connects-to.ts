import { pickBackend, type EndpointHealth } from "../../../sim/edge/backend-service";
import { exampleBackendService, WEB_PODS } from "../../../sim/edge/gfe-examples";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import { labAt, LESSON } from "./shared";
import { pick } from "../draw";

/**
 * Where the GFE's connection to the backend goes: a Pod's own address with container-native NEGs, or
 * a node's NodePort with instance groups (and then kube-proxy's second choice). Read off the backend
 * model's pick for the variant's Pod health.
 */
const ID = "gfe-connects-to";
const HEALTHS: readonly (readonly EndpointHealth[])[] = [
  ["HEALTHY", "HEALTHY", "HEALTHY"], ["UNHEALTHY", "HEALTHY", "HEALTHY"], ["HEALTHY", "DRAINING", "UNHEALTHY"], ["UNKNOWN", "UNHEALTHY", "HEALTHY"],
];

function draw(seed: number) {
  const random = seededRandom(seed);
  const kind = (seed === 0 ? "neg" : pick(random, ["neg", "instance-group"])) as "neg" | "instance-group";
  const health = seed === 0 ? 0 : Math.floor(random() * HEALTHS.length);
  // The GFE's own draw is part of what the seed picks: the parameters name the address it chose.
  const choice = pickBackend(exampleBackendService(kind, HEALTHS[health]!), "paris", seed);
  return { kind, health, choice };
}

function params(seed: number) {
  const { kind, health, choice } = draw(seed);
  return { kind, health, target: `${choice.target!.ip}:${choice.target!.port}` };
}

export const gfeConnectsTo: Template<"fill-in"> = {
  id: ID,
  kind: "fill-in",
  title: "Where does the GFE connect?",
  lesson: LESSON,
  concepts: ["neg", "instance-groups", "gfe", "health-checks"],
  file: "src/quiz/bank/gfe/gfe-connects-to.ts",
  params,
  variant(seed) {
    const { kind, health: h, choice } = draw(seed);
    const health = HEALTHS[h]!;
    const target = choice.target!;
    const key = `${target.ip}:${target.port}`;
    const unhealthy = WEB_PODS.find((_, i) => health[i] !== "HEALTHY");
    const healthyOther = WEB_PODS.find((q) => `${q.ip}:${q.port}` !== key && health[WEB_PODS.indexOf(q)] === "HEALTHY");
    const node = WEB_PODS.find((q) => q.nodeIp === target.ip) ?? WEB_PODS.find((q) => q.ip === target.ip)!;
    const candidates: { id: string; text: string; why: string }[] = [
      { id: key, text: `${key}${kind === "neg" ? ` (Pod ${target.name})` : ` (node ${target.name}, NodePort)`}`, why: `${choice.steps.filter((s) => s.stage === "endpoint").map((s) => s.why).join(" ")}` },
      kind === "neg"
        ? { id: `${node.nodeIp}:30080`, text: `${node.nodeIp}:30080 (node ${node.node}, NodePort)`, why: "With container-native load balancing the NEG's endpoints are the Pods themselves; no NodePort is involved." }
        : { id: `${choice.pod!.ip}:${choice.pod!.port}`, text: `${choice.pod!.ip}:${choice.pod!.port} (Pod ${choice.pod!.pod})`, why: `That is where kube-proxy on ${target.name} sends it next; the GFE itself only knows the instance group's nodes and their named port.` },
      { id: "10.8.0.20:80", text: "10.8.0.20:80 (the Service's ClusterIP)", why: "A ClusterIP exists only in kube-proxy's rules on the nodes; nothing outside the cluster, the GFE included, routes to it." },
      { id: "34.98.10.5:443", text: "34.98.10.5:443 (the load balancer's address)", why: "That is the address the client connected to; the GFE is what answers there, and it opens a new connection towards a backend." },
    ];
    if (unhealthy && !candidates.some((c) => c.id === `${unhealthy.ip}:${unhealthy.port}`)) {
      candidates.push({ id: `${unhealthy.ip}:${unhealthy.port}`, text: `${unhealthy.ip}:${unhealthy.port} (Pod ${unhealthy.pod}, ${health[WEB_PODS.indexOf(unhealthy)]})`, why: "Only HEALTHY endpoints get new requests; this one is not." });
    } else if (kind === "neg" && healthyOther && !candidates.some((c) => c.id === `${healthyOther.ip}:${healthyOther.port}`)) {
      candidates.push({ id: `${healthyOther.ip}:${healthyOther.port}`, text: `${healthyOther.ip}:${healthyOther.port} (Pod ${healthyOther.pod})`, why: "A healthy endpoint this GFE could have drawn, but its draw for this request picked another." });
    }
    const wrongs = candidates.slice(1).map((c) => `${c.text}: ${c.why}`).join(" ");
    const rubricWhy: Why = { why: `${key}: ${candidates[0]!.why} Not the others: ${wrongs}`, step: null };
    const healthText = WEB_PODS.map((q, i) => `${q.pod} ${q.ip}:${q.port} on ${q.node} (${q.nodeIp}) is ${health[i]}`).join("; ");
    return {
      template: ID, kind: "fill-in", seed, title: this.title,
      prompt: `A GKE Ingress fronts the web Service with ${kind === "neg" ? "container-native load balancing (zonal NEGs)" : "instance groups (no NEGs; the Service is a NodePort on 30080)"}. ${healthText}. A GFE in Paris picked ${target.name} for a request. Which address and port does it open its connection to?`,
      exhibits: [{ kind: "text", text: choice.steps.filter((s) => s.stage === "health").map((s) => `${s.label}: ${s.why}`).join("\n") }],
      view: { fields: [{ id: "address", label: "Address:port the GFE connects to", type: "ip-port", placeholder: "e.g. 10.4.1.5:8080" }] },
      key: { fields: { address: key } },
      rubric: { fields: { address: rubricWhy } },
      misconceptions: [],
      hints: [
        "What does the backend service's backend hold: Pods' addresses, or node VMs with a named port?",
        "Only HEALTHY endpoints (or nodes) get new requests.",
      ],
      explanation: `${kind === "neg" ? "A zonal NEG of GCE_VM_IP_PORT endpoints lists the Pods' own IP:port, so the GFE connects straight to a healthy Pod: one hop, one balancing decision." : "An instance group lists the node VMs; the GFE connects to a node's NodePort, and kube-proxy there makes a second, independent choice of Pod — possibly on another node, with SNAT."} ${choice.hops.map((h) => `${h.from} → ${h.to}`).join(", then ")}.`,
      lab: labAt({ url: "https://www.example.com/", kind, health, seed }),
    };
  },
};
