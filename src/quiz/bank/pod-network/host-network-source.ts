import { seededRandom } from "../../../sim/random";
import { cniPath, NODE_A, POD_CLIENT, type CniModel, type CniPath } from "../../../sim/kube/cni/path";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { CNI_LESSON, CNI_SETUPS, cniLab, setupText } from "./cni-lab";

/** A hostNetwork Pod's source address: the node's, or the tunnel device's when the route goes through one. */
const ID = "host-network-source";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { cni: "gke-legacy", overlay: "none" };
  const [cni, overlay] = pick(seededRandom(seed), CNI_SETUPS);
  return { cni, overlay };
}

function optionOf(p: CniPath): string {
  const src = p.hops[0]!.src;
  return src === NODE_A.ip ? "node" : src === NODE_A.tunnelIp ? "tunnel" : src === POD_CLIENT.ip ? "pod" : "loopback";
}

export const hostNetworkSource: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "A hostNetwork Pod's source address",
  lesson: CNI_LESSON,
  concepts: ["cni"],
  file: "src/quiz/bank/pod-network/host-network-source.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input = { cni: p.cni!, path: "host-network", overlay: p.overlay! };
    const real = cniPath(input);
    const key = { choice: optionOf(real) };
    const device = real.overlay === "ipip" ? "tunl0" : real.cni === "calico" ? "vxlan.calico" : "cilium_host";
    const options = orderedChoices(orderRandom(seed, ID), [
      { id: "node", text: `${NODE_A.ip}, node-a's own address` },
      { id: "tunnel", text: `${NODE_A.tunnelIp}, the address of node-a's tunnel or router device` },
      { id: "pod", text: `${POD_CLIENT.ip}, an address from node-a's Pod range allocated to the Pod` },
      { id: "loopback", text: "127.0.0.1, because the Pod has no interface of its own" },
    ]);
    const reason: Record<string, string> = {
      node: "The route out of eth0 has the node's address as its preferred source, and a hostNetwork Pod uses the node's routing table.",
      tunnel: `The route to node-b's Pod block goes through ${device}, so the kernel picks that device's address (${NODE_A.tunnelIp}) as source.`,
      pod: "A hostNetwork Pod is given no Pod address at all: it has no namespace and no veth of its own.",
      loopback: "127.0.0.1 never leaves a host; the Pod uses the node's real interfaces.",
    };
    const why = (id: string) => ({ why: id === key.choice ? `Right: ${reason[id]}` : `Not here. ${reason[id]}`, step: "host-send" });
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `The cluster runs ${setupText(real.overlay, real.name)}. A Pod with hostNetwork: true on node-a (${NODE_A.ip}, Pod range ${NODE_A.podCidr}) connects to a Pod on node-b (${real.to.ip}). Which source address does the packet carry?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "cni", label: "CNI", value: real.name },
        { key: "overlay", label: "Overlay", value: real.overlay },
        { key: "hostNetwork", label: "hostNetwork", value: "true" },
      ] }],
      view: { options },
      key,
      rubric: { options: Object.fromEntries(options.map((o) => [o.id, why(o.id)])) },
      misconceptions: misconceptionAnswers<"single-choice">(["host-network-pod-ip"], (m) => ({ choice: optionOf(cniPath({ ...input, model: m as CniModel })) }), key),
      hints: [
        "A hostNetwork Pod shares the node's network namespace: its interfaces, addresses and routes.",
        "Linux picks a source address from the route the packet takes.",
      ],
      explanation: `${real.hops[0]!.what} Sharing the node's namespace also means sharing its ports: a listener on a port the node already uses fails with EADDRINUSE.`,
      lab: cniLab({ cni: real.cni, path: "host-network", overlay: real.overlay, step: "host-send" }),
    };
  },
};
