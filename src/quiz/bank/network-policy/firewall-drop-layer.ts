import { seededRandom } from "../../../sim/random";
import type { FirewallLayerId } from "../../../sim/kube/policy/firewall-trace";
import type { Template } from "../../engine/types";
import { orderRandom, pick, shuffle } from "../draw";
import { misconceptionAnswers } from "../journey/shared";
import { firewallLab, rule, settingsExhibit, traceOf, type FirewallSettings } from "./firewall-shared";
import { LESSON } from "./shared";

/**
 * Where is this client's packet dropped? A client (in the office range or not) connects to a GKE
 * LoadBalancer Service with loadBalancerSourceRanges; drawn: the traffic policy, the office
 * NetworkPolicy, the source ranges and one user firewall rule. The key is the layer the firewall
 * trace drops it at (or delivered); the wrong models are the trace run under
 * `source-ranges-kube-proxy-only`, `ipblock-sees-client` and `allow-wins-tie`.
 */
const ID = "firewall-drop-layer";

type Params = { client: string; ranges: string; etp: "Cluster" | "Local"; policy: "yes" | "no"; extra: string };

const EXTRA_RULES: Readonly<Record<string, string | null>> = {
  none: null,
  "open-wide": "open-web,900,allow,0.0.0.0/0,tcp:443",
  "deny-tie": "block-office,1000,deny,198.51.100.0/24,tcp:443",
  "deny-late": "late-block,1001,deny,0.0.0.0/0,all",
  "deny-early": "block-all,500,deny,0.0.0.0/0,tcp:443",
};

function params(seed: number): Params {
  if (seed === 0) return { client: "192.0.2.50", ranges: "office", etp: "Cluster", policy: "yes", extra: "open-wide" };
  const r = seededRandom(seed);
  return {
    client: pick(r, ["192.0.2.50", "198.51.100.7", "198.51.100.200", "203.0.113.99"]),
    ranges: pick(r, ["office", "office", "empty"]),
    etp: pick(r, ["Cluster", "Local"] as const),
    policy: pick(r, ["yes", "no"] as const),
    extra: pick(r, Object.keys(EXTRA_RULES)),
  };
}

const settingsOf = (p: Params): FirewallSettings => ({
  client: p.client,
  ranges: p.ranges === "office" ? ["198.51.100.0/24"] : [],
  trafficPolicy: p.etp,
  policy: p.policy === "yes",
  gkeRules: true,
  userRules: EXTRA_RULES[p.extra] ? [rule(EXTRA_RULES[p.extra]!)] : [],
});

type OptionId = FirewallLayerId | "delivered";
const OPTIONS: readonly OptionId[] = ["load-balancer", "vpc-firewall", "kube-proxy", "network-policy", "delivered"];
const TEXT: Readonly<Record<OptionId, string>> = {
  "load-balancer": "The load balancer drops it: no node passes its health check",
  "vpc-firewall": "The VPC firewall drops it at the node VM",
  "kube-proxy": "kube-proxy drops it on the node (KUBE-PROXY-FIREWALL)",
  "traffic-policy": "externalTrafficPolicy drops it",
  "network-policy": "The NetworkPolicy drops it at the Pod",
  delivered: "It is delivered to the Pod",
};

const answerOf = (t: ReturnType<typeof traceOf>): OptionId => (t.delivered ? "delivered" : t.droppedAt!.layer);

export const firewallDropLayer: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Where is the packet dropped?",
  lesson: LESSON,
  concepts: ["vpc-firewall", "network-policy", "external-traffic-policy", "kube-proxy-iptables"],
  file: "src/quiz/bank/network-policy/firewall-drop-layer.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const s = settingsOf(p);
    const t = traceOf(s);
    const answer = answerOf(t);
    const layerOf = (id: OptionId) => t.layers.find((l) => l.layer === id);
    const rubric = Object.fromEntries(OPTIONS.map((id) => {
      if (id === answer) {
        const l = t.delivered ? null : layerOf(id)!;
        return [id, { why: t.delivered ? `Right: every layer passes; the Pod sees ${t.sourceSeenByPod}.` : `Right: ${l!.rule} decides — ${l!.detail}.`, step: id }];
      }
      const l = layerOf(id);
      const why = id === "delivered"
        ? `It never arrives: it is dropped at ${t.droppedAt!.layer} by ${t.droppedAt!.rule}.`
        : l === undefined || l.verdict === "not-reached"
          ? `The packet never gets this far: it is dropped earlier, at ${t.droppedAt!.layer}.`
          : `This layer lets it through: ${l.detail}.`;
      return [id, { why, step: l === undefined || l.verdict === "not-reached" ? answer : id }];
    }));
    const order = shuffle(orderRandom(seed, ID), [...OPTIONS]);
    const key = { choice: answer };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `A client at ${p.client} opens a TCP connection to 203.0.113.10:443, the address of shop/web, a GKE LoadBalancer Service (an external passthrough Network Load Balancer). With the settings below, where is the connection's first packet dropped — or is it delivered?`,
      exhibits: [settingsExhibit(s)],
      view: { options: order.map((id) => ({ id, text: TEXT[id] })) },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"single-choice">(
        ["source-ranges-kube-proxy-only", "ipblock-sees-client", "allow-wins-tie"],
        (model) => ({ choice: answerOf(traceOf(s, model as "source-ranges-kube-proxy-only")) }),
        key,
      ),
      hints: [
        "An external passthrough Network Load Balancer does not change the packet's source: which firewall rule does the client's address match?",
        "When two VPC firewall rules of the same priority match, which one wins?",
        "Under externalTrafficPolicy: Cluster, which source address does the Pod see?",
      ],
      explanation:
        `The VPC firewall matches the client's own address: GKE's allow rule for the Service allows ${s.ranges.length ? s.ranges.join(", ") : "0.0.0.0/0 (no source ranges)"} at priority 1000, and a lower priority number wins, a deny winning a tie. ` +
        `kube-proxy enforces the same source ranges a second time in KUBE-FW-…/KUBE-PROXY-FIREWALL, which matters only when another rule opened the firewall wider. ` +
        `Under Cluster the node masquerades the connection, so a NetworkPolicy ipBlock sees a node address; under Local it sees the client. ` +
        (t.delivered ? `Here every layer passes and the Pod sees ${t.sourceSeenByPod}.` : `Here the packet is dropped at ${t.droppedAt!.layer} by ${t.droppedAt!.rule}.`),
      lab: firewallLab(s),
    };
  },
};
