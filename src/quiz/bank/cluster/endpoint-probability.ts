import { nodeIptablesSave } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster, loadCluster } from "./cluster-yaml";
import { LESSONS, pasteLab } from "./shared";

/** What a seed draws: the endpoint count, the rule asked about, the nodes, and the seed of the cluster's layout. */
function draw(seed: number) {
  const random = seededRandom(seed ^ 0x9b0b);
  const endpoints = randomInt(random, 2, 9);
  return { endpoints, rule: randomInt(random, 1, endpoints - 1), nodes: randomInt(random, 2, 3), layout: randomInt(random, 0, 999_999) };
}

/**
 * The variant's parameters: the rule asked about, and what the rules it shows depend on — the Service
 * port's name and the endpoints' addresses and ports (its ClusterIP and port do not appear in the
 * KUBE-SVC endpoint rules, so two layouts that differ only there draw the same question).
 */
function params(seed: number) {
  const d = draw(seed);
  const c = clusterOf(d);
  const endpoints = c.backends.map((b) => `${b.ip}:${c.service.targetPort}`).sort().join(",");
  return { endpoints: d.endpoints, rule: d.rule, service: `${c.service.namespace}/${c.service.name}:${c.service.portName}`, backends: endpoints };
}

const clusterOf = (d: ReturnType<typeof draw>) => drawCluster(seededRandom(d.layout), { type: "ClusterIP", endpoints: d.endpoints, nodes: d.nodes, clientNode: 0 });

/** The `--probability` kube-proxy writes on the k-th endpoint rule of a Service's KUBE-SVC chain, read from the generated rules. */
export const endpointProbability: Template<"numeric"> = {
  id: "endpoint-probability",
  kind: "numeric",
  title: "The probability on an endpoint rule",
  lesson: LESSONS.kubeProxy,
  concepts: ["kube-proxy-iptables", "clusterip"],
  file: "src/quiz/bank/cluster/endpoint-probability.ts",
  params,
  variant(seed) {
    const p = draw(seed);
    const cluster = clusterOf(p);
    const svc = cluster.service;
    const rules = nodeIptablesSave(loadCluster(cluster.yaml)).split("\n");
    const endpointRules = rules.filter((r) => r.startsWith("-A KUBE-SVC-") && r.includes(`--comment "${svc.namespace}/${svc.name}:${svc.portName} -> `));
    const rule = endpointRules[p.rule - 1]!;
    const printed = /--probability (\S+)/.exec(rule)![1]!;
    const value = Number(printed);
    const chain = /^-A (\S+)/.exec(rule)![1]!;
    const masked = endpointRules.map((r, i) => (i === p.rule - 1 ? r.replace(printed, "???") : r.replace(/ -m statistic --mode random --probability \S+/, " -m statistic --mode random --probability …")));
    const packet = { src: cluster.client!.ip, dst: `${svc.clusterIP}:${svc.port}`, protocol: "tcp" as const };
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Service ${svc.namespace}/${svc.name} has ${p.endpoints} ready endpoints, and kube-proxy (iptables mode) writes one rule per endpoint in ${chain}. What --probability does rule ${p.rule} of those ${p.endpoints} carry?`,
      exhibits: [{ kind: "output", command: `iptables-save -t nat | grep '^-A ${chain} .* -> '`, text: masked.join("\n") }],
      view: { unit: "probability", label: `--probability on endpoint rule ${p.rule}` },
      key: { value },
      rubric: {
        value,
        unit: "probability",
        absolute: 0.0005,
        relative: 0,
        why: {
          why: `Rule k of n is reached only by connections that no earlier rule took, and must take an equal share of them: 1/(n−k+1) = 1/${p.endpoints - p.rule + 1}. kube-proxy prints it with 11 decimals of the float it computes: "--probability ${printed}" (rule: ${rule}).`,
          step: null,
        },
      },
      misconceptions: [],
      hints: [
        "Every endpoint must get 1/n of new connections overall, and the rules are tried in order.",
        `By the time rule ${p.rule} is tried, how many endpoints are left to share the connections that reach it?`,
      ],
      explanation: `With n = ${p.endpoints}, the first rule takes 1/${p.endpoints} of new connections; each later rule sees only what earlier rules let through, so rule k carries 1/(n−k+1), and the last rule has no statistic match at all. Rule ${p.rule} therefore has probability 1/${p.endpoints - p.rule + 1} ≈ ${printed}, and every endpoint ends up with 1/${p.endpoints} of connections.`,
      lab: pasteLab(cluster.yaml, packet, 0),
    };
  },
};
