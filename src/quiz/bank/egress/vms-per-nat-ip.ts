import { seededRandom } from "../../../sim/random";
import { vmsPerNatIp, type NatModel } from "../../../sim/kube/egress/nat";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { pick } from "../draw";
import { LESSON, natLab } from "./shared";

/**
 * How many VMs (GKE nodes) can a gateway with K manual NAT IPs serve at P min ports per VM? Each NAT IP
 * offers 64,512 ports (1024–65535) and each VM reserves P of them up front.
 */
const ID = "vms-per-nat-ip";

function params(seed: number): Record<string, number> {
  if (seed === 0) return { minPorts: 64, natIps: 1 };
  const r = seededRandom(seed);
  return { minPorts: pick(r, [32, 64, 128, 256, 512, 1024, 2048, 4096]), natIps: pick(r, [1, 2, 3, 4]) };
}

export const vmsPerNatIpQuestion: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "How many nodes can the gateway serve?",
  lesson: LESSON,
  concepts: ["cloud-nat", "ip-planning"],
  file: "src/quiz/bank/egress/vms-per-nat-ip.ts",
  params,
  variant(seed) {
    const { minPorts, natIps } = params(seed) as { minPorts: number; natIps: number };
    const under = (model: NatModel) => natIps * vmsPerNatIp(minPorts, model);
    const value = under("real");
    const key = { value };
    const perIp = vmsPerNatIp(minPorts);
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A Cloud NAT gateway with static port allocation and ${natIps} manually assigned NAT IP address${natIps === 1 ? "" : "es"} serves a private GKE cluster, with min ports per VM set to ${minPorts}. ` +
        "How many nodes can it give ports to before a new node gets none?",
      exhibits: [{ kind: "settings", chips: [
        { key: "natIps", label: "NAT IPs", value: String(natIps) },
        { key: "minPorts", label: "Min ports per VM", value: String(minPorts) },
        { key: "allocation", label: "Port allocation", value: "static" },
      ] }],
      view: { unit: "count", label: "Nodes" },
      key,
      rubric: {
        value, unit: "count", absolute: 0, relative: 0,
        why: { why: `Each NAT IP offers the ports 1024–65535: 64,512. At ${minPorts} per node that is ⌊64,512 ÷ ${minPorts}⌋ = ${perIp} nodes per address, × ${natIps} = ${value}.`, step: null },
      },
      misconceptions: misconceptionAnswers<"numeric">(["all-65536-ports"], (m) => ({ value: under(m as NatModel) }), key),
      hints: [
        "Ports are reserved per VM, in advance, and a GKE node is one VM.",
        "Cloud NAT does not use the well-known ports 0–1023.",
      ],
      explanation:
        `A NAT IP has 65,536 − 1,024 = 64,512 usable source ports per protocol. Every node reserves ${minPorts} of them, so one address serves ${perIp} nodes and ${natIps} serve ${value}; node ${value + 1} gets no ports and every connection it opens is dropped with OUT_OF_RESOURCES. ` +
        "(With automatic NAT IP allocation the gateway would add an address instead.)",
      lab: natLab({ vms: String(value + 1), natIps: String(natIps), minPorts: String(minPorts), maxPorts: "", connections: "10", to: "8.8.8.8:443/tcp", dynamic: "false", eim: "false" }),
    };
  },
};
