import { kubeProxyWalk } from "../../../sim/kube/index";
import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster, loadCluster } from "./cluster-yaml";
import { arrange, LESSONS, pasteLab } from "./shared";

const STATES = [
  { ready: true, terminating: false },
  { ready: false, terminating: false },
  { ready: true, terminating: true },
  { ready: false, terminating: true },
] as const;

function params(seed: number) {
  const random = seededRandom(seed ^ 0xca7d);
  const pods = randomInt(random, 3, 5);
  // Each Pod's state as a digit (ready / not ready / terminating and serving / terminating and failing).
  let states = Array.from({ length: pods }, () => randomInt(random, 0, 3)).join("");
  // At least one Pod that can serve, so the Service has somewhere to send traffic.
  if (!/[02]/.test(states)) states = `2${states.slice(1)}`;
  return { states, nodes: randomInt(random, 2, 3), layout: randomInt(random, 0, 999_999) };
}

/** Which endpoints kube-proxy sends new connections to, given the EndpointSlice's conditions: read from the walk's candidates. */
export const endpointCandidates: Template<"multiple-choice"> = {
  id: "endpoint-candidates",
  kind: "multiple-choice",
  title: "Which endpoints get new connections?",
  lesson: LESSONS.endpointSlices,
  concepts: ["endpointslices", "clusterip"],
  file: "src/quiz/bank/cluster/endpoint-candidates.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const conditions = [...p.states].map((d) => STATES[Number(d)]!);
    const cluster = drawCluster(seededRandom(p.layout), { type: "ClusterIP", endpoints: conditions.length, nodes: p.nodes, conditions, clientNode: 0 });
    const svc = cluster.service;
    const state = loadCluster(cluster.yaml);
    const packet = { src: cluster.client!.ip, dst: `${svc.clusterIP}:${svc.port}`, protocol: "tcp" as const };
    const walk = kubeProxyWalk(state, { ...packet, seed: 0, mode: "iptables" });
    const endpoints = state.endpointSlices.flatMap((s) => s.endpoints);
    const anyReady = endpoints.some((e) => e.conditions.ready);
    const rows = cluster.backends.map((b) => {
      const e = endpoints.find((x) => x.addresses.includes(b.ip))!;
      const c = e.conditions;
      return { pod: b, c, text: `${b.ip} (${b.name}): ready=${c.ready}, serving=${c.serving}, terminating=${c.terminating}`, used: walk.candidates.some((x) => x.startsWith(`${b.ip}:`)) };
    });
    const why = (r: (typeof rows)[number]): string => {
      if (r.c.ready) return r.used ? "Ready: kube-proxy sends new connections to every ready endpoint." : "Ready, yet not a candidate.";
      if (r.c.serving && r.c.terminating) return anyReady ? "Terminating but still serving: used only when no endpoint is ready, and here some are." : "Terminating but still serving, and no endpoint is ready: kube-proxy falls back to serving terminating endpoints so connections are not refused.";
      if (r.c.terminating) return "Terminating and failing its readiness probe (serving=false): never used.";
      return "Not ready (its readiness probe fails): listed in the slice, never used.";
    };
    const { options, rubric, correct } = arrange(rows.map((r, i) => ({ id: `e${i + 1}`, text: r.text, correct: r.used, why: why(r), step: null })), seededRandom(seed ^ 0x9));
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `The EndpointSlice controller lists these endpoints for Service ${svc.namespace}/${svc.name} (${svc.clusterIP}:${svc.port}). To which of them does kube-proxy send new connections?`,
      exhibits: [{ kind: "output", command: `kubectl get endpointslice -n ${svc.namespace} -l kubernetes.io/service-name=${svc.name} -o yaml   # endpoints, abridged`, text: rows.map((r) => `- ${r.pod.ip} on ${r.pod.node}: ready=${r.c.ready} serving=${r.c.serving} terminating=${r.c.terminating}`).join("\n") }],
      view: { options },
      key: { choices: correct },
      rubric: { options: rubric },
      misconceptions: [],
      hints: ["`ready` is what kube-proxy looks at first.", "There is a fallback for rollouts, when every remaining Pod is shutting down."],
      explanation: `kube-proxy picks among ready endpoints; only when none is ready does it use endpoints that are terminating but still serving, so that a rollout's last Pods keep answering while they drain. ${anyReady ? `Here ${correct.length} endpoint${correct.length === 1 ? " is" : "s are"} ready, so the terminating ones are ignored` : "Here none is ready, so the serving terminating ones are used"}: the walk's candidates are ${walk.candidates.join(", ")}.`,
      lab: pasteLab(cluster.yaml, packet, 0),
    };
  },
};
