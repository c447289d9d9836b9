import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { orderRandom, pick, shuffle } from "../draw";
import { misconceptionAnswers } from "../journey/shared";
import { firewallLab, rule, settingsExhibit, traceOf, type FirewallSettings } from "./firewall-shared";
import { LESSON } from "./shared";

/**
 * Which rule must you add for the health checks? GKE's Service firewall rules are turned off; the
 * client rule is there; the learner picks the one rule that makes the load balancer's probes pass.
 * Each option is run through the firewall trace: the key is the one whose health check finds a
 * healthy node. The wrong model `health-check-on-service-port` (the LB probes the Service's port)
 * picks the rule on the Service's port.
 */
const ID = "health-check-rule";

type Params = { etp: "Cluster" | "Local"; name: string };

function params(seed: number): Params {
  if (seed === 0) return { etp: "Local", name: "allow-hc" };
  const r = seededRandom(seed);
  return { etp: pick(r, ["Cluster", "Local"] as const), name: pick(r, ["allow-hc", "lb-probes", "gclb-hc", "hc-in"]) };
}

const PROBES = "35.191.0.0/16+209.85.152.0/22+209.85.204.0/22";

export const healthCheckRule: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "The health-check rule",
  lesson: LESSON,
  concepts: ["vpc-firewall", "external-traffic-policy"],
  file: "src/quiz/bank/network-policy/health-check-rule.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const base: FirewallSettings = { client: "198.51.100.7", ranges: ["198.51.100.0/24"], trafficPolicy: p.etp, policy: false, gkeRules: false, userRules: [rule("web-in,1000,allow,198.51.100.0/24,tcp:443")] };
    const hcPort = p.etp === "Local" ? 31844 : 10256;
    const otherPort = p.etp === "Local" ? 10256 : 31844;
    const candidates: Record<string, string> = {
      right: `${p.name},1000,allow,${PROBES},tcp:${hcPort}`,
      "service-port": `${p.name},1000,allow,${PROBES},tcp:443`,
      "other-port": `${p.name},1000,allow,${PROBES},tcp:${otherPort}`,
      "target-port": `${p.name},1000,allow,${PROBES},tcp:8443`,
      "wrong-range": `${p.name},1000,allow,130.211.0.0/22,tcp:${hcPort}`,
      "client-range": `${p.name},1000,allow,198.51.100.0/24,tcp:${hcPort}`,
    };
    const ids = Object.keys(candidates);
    const withRule = (id: string): FirewallSettings => ({ ...base, userRules: [...base.userRules, rule(candidates[id]!)] });
    const healthyUnder = (id: string, model: "health-check-on-service-port" | null) => traceOf(withRule(id), model).health.some((h) => h.healthy);
    const passing = ids.filter((id) => healthyUnder(id, null));
    if (passing.length !== 1) throw new Error(`${ID} seed ${seed}: ${passing.length} options pass the health check`);
    const answer = passing[0]!;
    const before = traceOf(base);
    const rubric = Object.fromEntries(ids.map((id) => {
      const t = traceOf(withRule(id));
      const h = t.health;
      const why = id === answer
        ? `Right: probes from ${PROBES.replaceAll("+", ", ")} now reach TCP ${hcPort}; healthy: ${h.filter((x) => x.healthy).map((x) => x.node).join(", ")}.`
        : !h[0]!.probesAdmitted
          ? `The probes to TCP ${hcPort} still fall to ${h[0]!.probeRule}: ${id === "wrong-range" ? "130.211.0.0/22 is where other Google load balancers probe from, not the external passthrough one" : id === "client-range" ? "the probes come from Google's ranges, not the client's" : `the probes go to ${hcPort}, not to this port`}.`
          : `No node answers the probe with 200.`;
      return [id, { why, step: "load-balancer" }];
    }));
    const order = shuffle(orderRandom(seed, ID), ids);
    const key = { choice: answer };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `The cluster's admins turned off the firewall rules GKE creates for LoadBalancer Services and wrote their own. shop/web (externalTrafficPolicy: ${p.etp}${p.etp === "Local" ? ", healthCheckNodePort 31844" : ""}) has only the client rule below, and its load balancer reports every node unhealthy. Which one rule, to be named ${p.name}, must they add so the health checks pass?`,
      exhibits: [settingsExhibit(base)],
      view: { options: order.map((id) => ({ id, text: candidates[id]! })) },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"single-choice">(
        ["health-check-on-service-port"],
        (model) => {
          const hits = ids.filter((id) => healthyUnder(id, model as "health-check-on-service-port"));
          return hits.length === 1 ? { choice: hits[0]! } : null;
        },
        key,
      ),
      hints: [
        "Which addresses do Google's probes for an external passthrough Network Load Balancer come from?",
        `Under ${p.etp}, what answers the probe on each node, and on which port?`,
      ],
      explanation:
        `With no rule for the probes the implied deny drops them, so no node is healthy — ${before.layers[0]!.detail}. ` +
        `The probes come from 35.191.0.0/16, 209.85.152.0/22 and 209.85.204.0/22 and go to ` +
        (p.etp === "Local"
          ? `the Service's healthCheckNodePort (31844 here), where kube-proxy answers 200 only on nodes with a ready endpoint — so only node-b turns healthy. `
          : `kube-proxy's health port 10256, which answers 200 on every node whose kube-proxy is healthy (its rules up to date) — so every node turns healthy here. `) +
        `Not to the Service's port: the probe asks whether the node can serve, not the application itself.`,
      lab: firewallLab(base),
    };
  },
};
