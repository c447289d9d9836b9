import { seededRandom } from "../../../sim/random";
import { cniPath, INITIAL_TTL, type CniModel } from "../../../sim/kube/cni/path";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { pick } from "../draw";
import { CNI_LESSON, CNI_SETUPS, cniLab, setupText } from "./cni-lab";

/** The TTL a Pod's packet arrives with: one less per forwarding step, none for a veth, a bridge or the VPC. */
const ID = "cni-arrival-ttl";
const PATHS = ["same-node", "cross-node", "host-network"] as const;

function params(seed: number): Record<string, string> {
  if (seed === 0) return { cni: "gke-legacy", overlay: "none", path: "cross-node" };
  const r = seededRandom(seed);
  const [cni, overlay] = pick(r, CNI_SETUPS);
  return { cni, overlay, path: pick(r, PATHS) };
}

const PATH_TEXT: Record<string, string> = {
  "same-node": "a Pod on the same node",
  "cross-node": "a Pod on another node",
  "host-network": "a Pod on another node, from a hostNetwork Pod (which sends as the node itself)",
};

export const cniArrivalTtl: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "The TTL a Pod packet arrives with",
  lesson: CNI_LESSON,
  concepts: ["cni", "ebpf"],
  file: "src/quiz/bank/pod-network/cni-arrival-ttl.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input = { cni: p.cni!, path: p.path!, overlay: p.overlay! };
    const real = cniPath(input);
    const arrive = (model: CniModel) => cniPath({ ...input, model }).hops.at(-1)!.ttl;
    const ttl = arrive("real");
    const key = { value: ttl };
    const steps = real.hops.filter((h) => h.decrementsTtl);
    const where = steps.map((h) => `${h.node} (${h.kind === "ebpf" ? "the eBPF program" : h.kind === "route" ? "root-namespace routing" : h.kind})`).join(" and ");
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt: `The cluster runs ${setupText(real.overlay, real.name)}. A packet is sent with TTL ${INITIAL_TTL} to ${PATH_TEXT[real.path]}. What is its TTL when the destination Pod receives it?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "cni", label: "CNI", value: real.name },
        { key: "overlay", label: "Overlay", value: real.overlay },
        { key: "path", label: "Path", value: real.path },
      ] }],
      view: { unit: "count", label: "TTL on arrival" },
      key,
      rubric: {
        value: ttl, unit: "count", absolute: 0, relative: 0,
        why: { why: steps.length ? `${steps.length} forwarding step${steps.length > 1 ? "s" : ""} — ${where} — each take one off; veths, bridges, tunnel devices and the VPC take none: ${INITIAL_TTL} − ${steps.length} = ${ttl}.` : `Nothing forwards the packet: the bridge switches it at layer 2, so it arrives with ${INITIAL_TTL}.`, step: "pod-receive" },
      },
      misconceptions: misconceptionAnswers<"numeric">(["veth-decrements-ttl"], (m) => ({ value: arrive(m as CniModel) }), key),
      hints: [
        "A veth pair is a cable: what enters one end leaves the other unchanged.",
        "Count the places that make a forwarding decision: a node's root namespace, or an eBPF program acting as its router.",
      ],
      explanation: `${real.summary} The TTL drops only where the packet is forwarded (RFC 1812 §5.3.1): ${steps.length ? where : "nowhere on this path"}.`,
      lab: cniLab({ cni: real.cni, path: real.path, overlay: real.overlay, step: "pod-receive" }),
    };
  },
};
