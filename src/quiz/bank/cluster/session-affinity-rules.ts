import { nodeIptablesSave } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster, loadCluster } from "./cluster-yaml";
import { arrange, LESSONS, pasteLab } from "./shared";
import { pick } from "../draw";

function params(seed: number) {
  const random = seededRandom(seed ^ 0xaff1);
  return { endpoints: randomInt(random, 1, 4), timeout: pick(random, [60, 300, 600, 1800, 3600, 10800]), nodes: randomInt(random, 2, 3), layout: randomInt(random, 0, 999_999) };
}

/** sessionAffinity: ClientIP in iptables mode: which `recent` and `statistic` matches kube-proxy writes, read from the generated rules. */
export const sessionAffinityRules: Template<"multiple-choice"> = {
  id: "session-affinity-rules",
  kind: "multiple-choice",
  title: "Session affinity in kube-proxy's rules",
  lesson: LESSONS.kubeProxy,
  concepts: ["session-affinity", "kube-proxy-iptables"],
  file: "src/quiz/bank/cluster/session-affinity-rules.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const cluster = drawCluster(seededRandom(p.layout), { type: "ClusterIP", endpoints: p.endpoints, nodes: p.nodes, affinityTimeout: p.timeout, clientNode: 0 });
    const svc = cluster.service;
    const rules = nodeIptablesSave(loadCluster(cluster.yaml)).split("\n").filter((r) => r.startsWith("-A "));
    const svcRules = rules.filter((r) => r.startsWith("-A KUBE-SVC-"));
    const sepRules = rules.filter((r) => r.startsWith("-A KUBE-SEP-"));
    const chain = svcRules[0]!.split(" ")[1]!;
    const sep = sepRules.find((r) => r.includes("-j DNAT"))!.split(" ")[1]!;
    const rcheck = svcRules.find((r) => r.includes(`--rcheck --seconds ${p.timeout} --reap --name ${sep} `));
    const setRule = sepRules.find((r) => r.startsWith(`-A ${sep} `) && r.includes(`--set --name ${sep} `));
    const statistic = svcRules.some((r) => r.includes("-m statistic --mode random"));
    const wrongSeconds = p.timeout === 10800 ? 3600 : 10800;
    const facts: Record<string, { text: string; holds: boolean; why: string }> = {
      rcheck: {
        text: `In ${chain}, a rule "-m recent --rcheck --seconds ${p.timeout} --reap --name ${sep}" that jumps to ${sep}.`,
        holds: rcheck !== undefined,
        why: rcheck ? `Written first in the chain, one per endpoint: a client seen by ${sep}'s list in the last ${p.timeout} s goes straight back to that endpoint ("${rcheck}").` : "No such rule is written.",
      },
      set: {
        text: `In ${sep}, the DNAT rule also records the client with "-m recent --set --name ${sep}".`,
        holds: setRule !== undefined,
        why: setRule ? `The endpoint's chain adds the client's source address to its own recent list as it DNATs, which is what the --rcheck rules test later ("${setRule}").` : "No such rule is written.",
      },
      statistic: {
        text: `${chain} still has "-m statistic --mode random" rules.`,
        holds: statistic,
        why: statistic ? `A client with no recent entry falls through the --rcheck rules to the usual statistic draw, spread over the ${p.endpoints} endpoints.` : "With a single endpoint there is nothing to draw: the only endpoint rule has no statistic match, affinity or not.",
      },
      seconds: {
        text: `"--seconds ${wrongSeconds}" on the --rcheck rules.`,
        holds: rules.some((r) => r.includes(`--seconds ${wrongSeconds} `)),
        why: `The timeout comes from sessionAffinityConfig.clientIP.timeoutSeconds, here ${p.timeout}; 10800 (3 h) is only the default when the field is left out.`,
      },
      conntrack: {
        text: "No extra rules: conntrack alone keeps each client on one Pod.",
        holds: !rcheck && !setRule,
        why: "conntrack only pins one connection; affinity across connections needs the recent lists the rules above keep.",
      },
    };
    const { options, rubric, correct } = arrange(Object.entries(facts).map(([id, f]) => ({ id, text: f.text, correct: f.holds, why: f.why, step: null })), seededRandom(seed ^ 0x1f));
    const packet = { src: cluster.client!.ip, dst: `${svc.clusterIP}:${svc.port}`, protocol: "tcp" as const };
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Service ${svc.namespace}/${svc.name} (${svc.clusterIP}:${svc.port}, ${p.endpoints} ready endpoint${p.endpoints === 1 ? "" : "s"}) sets sessionAffinity: ClientIP with timeoutSeconds: ${p.timeout}. Which of these does kube-proxy in iptables mode write for it?`,
      exhibits: [{ kind: "settings", chips: [{ key: "affinity", label: "sessionAffinity", value: "ClientIP" }, { key: "timeout", label: "timeoutSeconds", value: String(p.timeout) }, { key: "endpoints", label: "Ready endpoints", value: String(p.endpoints) }] }],
      view: { options },
      key: { choices: correct },
      rubric: { options: rubric },
      misconceptions: [],
      hints: ["Affinity has to be remembered per client and per endpoint, across connections.", "The first connection from a client still has to pick an endpoint somehow."],
      explanation: `kube-proxy implements ClientIP affinity with the xt_recent match: each KUBE-SEP chain records the client's address in a list named after the chain as it DNATs, and the Service's chain first checks every endpoint's list (--rcheck --seconds ${p.timeout} --reap) before falling back to its usual ${statistic ? "statistic draw" : "single endpoint rule"}. conntrack keeps one connection on its Pod; the recent lists keep the next connections from the same client there too, for ${p.timeout} s after the last one.`,
      lab: pasteLab(cluster.yaml, packet, 0),
    };
  },
};
