import { iptablesCost, modeCosts } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { LESSONS, lessonPage } from "./shared";
import { pick } from "../draw";

const SIZES = [50, 100, 250, 500, 1000, 2000, 5000, 10000] as const;

function params(seed: number) {
  const random = seededRandom(seed ^ 0x1b7);
  return { services: pick(random, SIZES), endpoints: randomInt(random, 1, 5) };
}

/**
 * Rules the first packet of a connection evaluates in iptables mode, for N Services: measured by the
 * model on one and two Services and extended along the line it follows, against IPVS's constant.
 */
export const iptablesRuleCount: Template<"numeric"> = {
  id: "iptables-rule-count",
  kind: "numeric",
  title: "How many rules does a new connection cost?",
  lesson: LESSONS.kubeProxy,
  concepts: ["kube-proxy-iptables", "ipvs", "ebpf"],
  file: "src/quiz/bank/cluster/iptables-rule-count.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const one = iptablesCost(1, p.endpoints).lookupsPerPacket;
    const two = iptablesCost(2, p.endpoints).lookupsPerPacket;
    const [iptables, ipvs, ebpf] = modeCosts(p.services, p.endpoints);
    const value = iptables!.lookupsPerPacket;
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `A node runs kube-proxy in iptables mode. Every Service in the cluster is a ClusterIP Service with one port and ${p.endpoints} ready endpoint${p.endpoints === 1 ? "" : "s"}. Measured with one such Service, the first packet of a connection from a Pod to it evaluates ${one} rules; with two Services, a connection to the one kube-proxy lists last evaluates ${two}. How many rules does the first packet to the last-listed Service evaluate when the cluster has ${p.services.toLocaleString("en-US")} Services?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "one", label: "1 Service", value: `${one} rules` },
        { key: "two", label: "2 Services", value: `${two} rules` },
        { key: "services", label: "Services now", value: p.services.toLocaleString("en-US") },
      ] }],
      view: { unit: "count", label: "Rules evaluated by the first packet" },
      key: { value },
      rubric: {
        value,
        unit: "count",
        absolute: 0,
        relative: 0,
        why: {
          why: `nat KUBE-SERVICES holds one rule per Service port, scanned in order until the packet's own: each extra Service ahead of it costs ${two - one} more rule${two - one === 1 ? "" : "s"}, and everything else on the path is fixed. ${one} + ${two - one} × (${p.services} − 1) = ${value}.`,
          step: null,
        },
      },
      misconceptions: [],
      hints: [
        "What does one more Service add to the path of a packet bound for the last Service?",
        "The rest of the walk — the hooks, the Service's own chain, the endpoint's DNAT, the forwarding rules — does not depend on how many Services there are.",
      ],
      explanation: `In iptables mode the first packet of each connection scans KUBE-SERVICES rule by rule; the cost grows linearly with the number of Service ports ahead of its own, so the last Service among ${p.services.toLocaleString("en-US")} costs ${value} rule evaluations. Later packets of the connection skip the nat table entirely (conntrack translates them). IPVS replaces the scan with a constant ${ipvs!.lookupsPerPacket} hash and ipset lookups, and eBPF (Dataplane V2) with ${ebpf!.lookupsPerPacket} map lookup${ebpf!.lookupsPerPacket === 1 ? "" : "s"}.`,
      lab: { page: lessonPage(LESSONS.kubeProxy), lab: "chain", query: {} },
    };
  },
};
