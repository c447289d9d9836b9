import { seededRandom } from "../../../sim/random";
import { cniPath, type CniModel, type CniPath } from "../../../sim/kube/cni/path";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { CNI_LESSON, CNI_SETUPS, cniLab, setupText } from "./cni-lab";

/** What the VPC sees of a cross-node Pod-to-Pod packet: the Pod packet as it is, or which tunnel. */
const ID = "cni-on-the-wire";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { cni: "gke-legacy", overlay: "none" };
  const [cni, overlay] = pick(seededRandom(seed), CNI_SETUPS);
  return { cni, overlay };
}

/** The option a path's wire hop shows. */
function optionOf(p: CniPath): string {
  const wire = p.hops.find((h) => h.kind === "wire")!;
  if (!wire.outer) return "native";
  if (wire.outer.protocol.startsWith("IPv4 protocol 4")) return "ipip";
  if (wire.outer.protocol.includes("Geneve")) return "geneve";
  return wire.outer.protocol.startsWith("UDP 8472") ? "vxlan-8472" : "vxlan-4789";
}

export const cniOnTheWire: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "What the VPC sees between two nodes",
  lesson: CNI_LESSON,
  concepts: ["cni", "vpc-overlay"],
  file: "src/quiz/bank/pod-network/cni-on-the-wire.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input = { cni: p.cni!, path: "cross-node", overlay: p.overlay! };
    const real = cniPath(input);
    const key = { choice: optionOf(real) };
    const options = orderedChoices(orderRandom(seed, ID), [
      { id: "native", text: "The Pod's own packet, Pod addresses unchanged, no extra header" },
      { id: "vxlan-4789", text: "A UDP packet between the node addresses to port 4789, carrying a VXLAN header and the Pod's Ethernet frame" },
      { id: "vxlan-8472", text: "A UDP packet between the node addresses to port 8472, carrying a VXLAN header and the Pod's Ethernet frame" },
      { id: "geneve", text: "A UDP packet between the node addresses to port 6081, carrying a Geneve header and the Pod's Ethernet frame" },
      { id: "ipip", text: "An IPv4 packet between the node addresses, protocol 4, with the Pod's packet right behind its header" },
      { id: "masquerade", text: "The Pod's packet with its source rewritten to node-a's address" },
    ]);
    const enc = real.encapsulation;
    const reason: Record<string, string> = {
      native: "Pod ranges are routed as they are: alias IP ranges (or VPC routes, or BGP-learned routes) tell the network where each Pod block lives.",
      "vxlan-4789": "Calico's VXLAN mode: vxlan.calico sends to the IANA VXLAN port 4789 with VNI 4096.",
      "vxlan-8472": "Cilium's VXLAN tunnel mode keeps the Linux kernel's historical port 8472.",
      geneve: "Cilium's Geneve tunnel mode: UDP 6081, the sender's security identity as the VNI.",
      ipip: "Calico's IP-in-IP mode: tunl0 adds one 20-byte outer IPv4 header, protocol 4 (RFC 2003).",
      masquerade: "The ip-masq-agent returns early for 10.0.0.0/8 and the other non-masquerade ranges, so a Pod-to-Pod packet keeps its Pod source.",
    };
    const why = (id: string) => ({ why: id === key.choice ? `Right: ${reason[id]}` : `Not here. ${reason[id]}`, step: "wire" });
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `The cluster runs ${setupText(real.overlay, real.name)}. A Pod on node-a (${real.from.ip}) sends to a Pod on node-b (${real.to.ip}). What crosses the network between the two nodes?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "cni", label: "CNI", value: real.name },
        { key: "overlay", label: "Overlay", value: real.overlay },
      ] }],
      view: { options },
      key,
      rubric: { options: Object.fromEntries(options.map((o) => [o.id, why(o.id)])) },
      misconceptions: misconceptionAnswers<"single-choice">(["overlay-everywhere"], (m) => ({ choice: optionOf(cniPath({ ...input, model: m as CniModel })) }), key),
      hints: [
        "Does the network between the nodes already know where each Pod range lives?",
        "A tunnel is named by its outer header: IP protocol 4, or UDP to a port.",
      ],
      explanation: `${real.summary} ${enc ? `The ${enc.mtuOverhead} bytes of outer headers count against the node's MTU.` : "Nothing is added, so the Pod can use the node's MTU."}`,
      lab: cniLab({ cni: real.cni, path: "cross-node", overlay: real.overlay, step: "wire" }),
    };
  },
};
