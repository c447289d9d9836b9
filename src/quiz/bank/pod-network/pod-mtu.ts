import { seededRandom } from "../../../sim/random";
import { cniById, podMtu } from "../../../sim/kube/mtu/cni";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { pick } from "../draw";
import { LESSON, mtuLab } from "./shared";

/** The Pod MTU a CNI sets on a node of a given MTU: the node's less the overlay's headers. */
const ID = "pod-mtu";
const CNIS = ["calico-vxlan", "calico-ipip", "flannel-vxlan", "wireguard", "wireguard-ipv6", "geneve", "dataplane-v2"] as const;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { cni: "calico-vxlan", nodeMtu: 1460 };
  const r = seededRandom(seed);
  return { cni: pick(r, CNIS), nodeMtu: pick(r, [1300, 1460, 1500, 8896]) };
}

export const podMtuQuestion: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "The Pod's MTU",
  lesson: LESSON,
  concepts: ["mtu", "vpc-overlay"],
  file: "src/quiz/bank/pod-network/pod-mtu.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const cni = cniById(String(p.cni));
    const nodeMtu = Number(p.nodeMtu);
    const real = podMtu(cni, nodeMtu);
    const key = { value: real.podMtu };
    const layers = real.layers.map((l) => `${l.name} ${l.bytes}`).join(" + ");
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt: `Nodes sit in a VPC whose MTU is ${nodeMtu} bytes, and Pod networking is ${cni.name}. What is the largest IP packet a Pod should send, that is, the MTU its interface should have?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "nodeMtu", label: "VPC / node MTU", value: `${nodeMtu} bytes` },
        { key: "cni", label: "CNI", value: cni.name },
      ] }],
      view: { unit: "bytes", label: "Pod MTU" },
      key,
      rubric: {
        value: real.podMtu, unit: "bytes", absolute: 0, relative: 0,
        why: { why: real.overhead ? `${nodeMtu} − ${real.overhead} (${layers}) = ${real.podMtu}: the encapsulated packet must still fit the node's MTU.` : `No encapsulation: Pod packets cross the VPC as they are, so the Pod takes the node's ${nodeMtu}.`, step: null },
      },
      misconceptions: misconceptionAnswers<"numeric">(["encap-free"], (m) => ({ value: podMtu(cni, nodeMtu, { model: m as "encap-free" }).podMtu }), key),
      hints: [
        "An MTU counts the IP packet, not the Ethernet frame around it.",
        "What does the CNI put in front of the Pod's packet before it crosses the VPC, if anything?",
      ],
      explanation: `${cni.rule} On a ${nodeMtu}-byte VPC that leaves ${real.podMtu} for the Pod, and TCP advertises an MSS of ${real.tcpMss}. A Pod left at the node's MTU behind an overlay sends packets its tunnel cannot carry, and depends on ICMP to learn it.`,
      lab: mtuLab({ cni: cni.id, nodeMtu: String(nodeMtu), podMtu: "" }),
    };
  },
};
