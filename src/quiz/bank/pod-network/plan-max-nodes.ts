import { seededRandom } from "../../../sim/random";
import { planCluster, type PlanModel } from "../../../sim/kube/plan/plan";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { pick } from "../draw";
import { LESSON, plannerLab } from "./shared";

/**
 * How many nodes can this cluster grow to? Read off the planner: the Pod range's node blocks (each the
 * smallest block with twice max-Pods addresses) against the node subnet's addresses less four.
 */
const ID = "plan-max-nodes";

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { podPrefix: 18, maxPods: 64, nodePrefix: 22 };
  const r = seededRandom(seed);
  return { podPrefix: pick(r, [14, 16, 17, 18, 19, 20, 21]), maxPods: pick(r, [8, 16, 24, 30, 32, 48, 64, 96, 110, 128, 200, 256]), nodePrefix: pick(r, [20, 21, 22, 23, 24, 25, 26]) };
}

export const planMaxNodes: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "How many nodes fit?",
  lesson: LESSON,
  concepts: ["ip-planning"],
  file: "src/quiz/bank/pod-network/plan-max-nodes.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const input = { podRange: `10.64.0.0/${p.podPrefix}`, maxPods: Number(p.maxPods), nodeRange: `10.128.0.0/${p.nodePrefix}` };
    const plan = planCluster(input);
    const under = (model: PlanModel) => planCluster(input, model).maxNodes;
    const value = plan.maxNodes;
    const key = { value };
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A VPC-native GKE Standard cluster uses the node subnet ${input.nodeRange}, the Pod range ${input.podRange} and a maximum of ${input.maxPods} Pods per node. ` +
        "Ignoring every other quota, how many nodes can the cluster grow to before it runs out of addresses?",
      exhibits: [{ kind: "settings", chips: [
        { key: "nodeRange", label: "Node subnet", value: input.nodeRange },
        { key: "podRange", label: "Pod range", value: input.podRange },
        { key: "maxPods", label: "Max Pods per node", value: String(input.maxPods) },
      ] }],
      view: { unit: "count", label: "Nodes" },
      key,
      rubric: {
        value, unit: "count", absolute: 0, relative: 0,
        why: {
          why: `Each node gets a ${plan.perNodeRange} (${plan.perNodeAddresses} addresses, the smallest block with at least 2 × ${input.maxPods}); ${input.podRange} holds ${plan.nodesByPodRange} of them. The subnet ${input.nodeRange} has ${plan.nodeRange!.addresses} addresses less the 4 Google Cloud keeps: ${plan.nodesBySubnet}. The smaller, ${value}, is the limit (the ${plan.limitedBy === "pod-range" ? "Pod range" : "node subnet"}).`,
          step: null,
        },
      },
      misconceptions: misconceptionAnswers<"numeric">(["per-node-equals-max-pods", "subnet-no-reserved"], (m) => ({ value: under(m as PlanModel) }), key),
      hints: [
        "Two ranges limit the node count: find each limit separately.",
        "A node's Pod block is not max-Pods addresses: it is the smallest power of two holding at least twice that many.",
        "Google Cloud keeps four addresses in every subnet's primary range.",
      ],
      explanation:
        `${input.maxPods} Pods per node need ${2 * input.maxPods} addresses, so each node gets a ${plan.perNodeRange}; the Pod range ${input.podRange} splits into 2^(${plan.perNodeRange.slice(1)} − ${p.podPrefix}) = ${plan.nodesByPodRange} such blocks. ` +
        `Nodes take their own addresses from ${input.nodeRange}: ${plan.nodeRange!.addresses} − 4 = ${plan.nodesBySubnet}. The cluster stops at ${value}, when the ${plan.limitedBy === "pod-range" ? "Pod range runs out of node blocks" : "node subnet runs out of addresses"}.`,
      lab: plannerLab({ podRange: input.podRange, maxPods: String(input.maxPods), nodeRange: input.nodeRange, serviceRange: "10.8.0.0/20" }),
    };
  },
};
