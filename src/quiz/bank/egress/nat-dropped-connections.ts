import { seededRandom } from "../../../sim/random";
import { runNat, type NatModel } from "../../../sim/kube/egress/nat";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { pick } from "../draw";
import { LESSON, natLab } from "./shared";

/**
 * One node holds P NAT ports and opens A concurrent connections to one API and B to another: how many
 * are dropped? Only the 5-tuple must be unique, so each destination can use all P ports.
 */
const ID = "nat-dropped-connections";
const X = { ip: "8.8.8.8", port: 443, protocol: "TCP" } as const;
const Y = { ip: "1.1.1.1", port: 443, protocol: "TCP" } as const;

function params(seed: number): Record<string, number> {
  if (seed === 0) return { minPorts: 64, a: 70, b: 40 };
  const r = seededRandom(seed);
  const minPorts = pick(r, [32, 64, 128, 256]);
  return { minPorts, a: minPorts + pick(r, [-8, 0, 5, 20, 40]), b: minPorts + pick(r, [-minPorts / 2, -4, 10, 30]) };
}

export const droppedConnections: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "Which connections does Cloud NAT drop?",
  lesson: LESSON,
  concepts: ["cloud-nat", "conntrack"],
  file: "src/quiz/bank/egress/nat-dropped-connections.ts",
  params,
  variant(seed) {
    const { minPorts, a, b } = params(seed) as { minPorts: number; a: number; b: number };
    const flows = [{ vm: 0, destination: X, count: a }, { vm: 0, destination: Y, count: b }];
    const under = (model: NatModel) => runNat({ natIps: 1, minPorts }, 2, flows, seed, model).dropped;
    const value = under("real");
    const key = { value };
    const dx = Math.max(0, a - minPorts);
    const dy = Math.max(0, b - minPorts);
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A GKE node behind Cloud NAT (static allocation, ${minPorts} ports per VM, endpoint-independent mapping off) has Pods that open ${a} concurrent TCP connections to ${X.ip}:443 and ${b} to ${Y.ip}:443, all at once. ` +
        "How many of these connections does Cloud NAT drop?",
      exhibits: [{ kind: "settings", chips: [
        { key: "minPorts", label: "Ports per VM", value: String(minPorts) },
        { key: "a", label: `To ${X.ip}:443`, value: String(a) },
        { key: "b", label: `To ${Y.ip}:443`, value: String(b) },
      ] }],
      view: { unit: "count", label: "Dropped connections" },
      key,
      rubric: {
        value, unit: "count", absolute: 0, relative: 0,
        why: { why: `Only (NAT IP, NAT port, destination IP, port, protocol) must be unique, so each destination can use all ${minPorts} ports: ${dx} dropped to ${X.ip} and ${dy} to ${Y.ip}, ${value} in all.`, step: null },
      },
      misconceptions: misconceptionAnswers<"numeric">(["no-port-reuse", "unlimited-per-destination"], (m) => ({ value: under(m as NatModel) }), key),
      hints: [
        "What has to be unique for two translated connections to be told apart?",
        "Count each destination separately.",
      ],
      explanation:
        `The node's ${minPorts} ports can each carry one connection per destination at a time. To ${X.ip}:443 it needs ${a}: ${dx ? `${dx} over, dropped with OUT_OF_RESOURCES` : "they fit"}. To ${Y.ip}:443 it needs ${b}: ${dy ? `${dy} over, dropped` : "they fit"} — the same ports serve both destinations at once. ${value} connections are dropped.`,
      lab: natLab({ vms: "2", natIps: "1", minPorts: String(minPorts), maxPorts: "", connections: String(a), to: "8.8.8.8:443/tcp", dynamic: "false", eim: "false" }),
    };
  },
};
