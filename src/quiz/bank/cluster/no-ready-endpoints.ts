import { randomInt, seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { drawCluster } from "./cluster-yaml";
import { arrange, entryStep, LESSONS, pasteJourney, pasteLab, rowOf, type PastePacket } from "./shared";

function params(seed: number) {
  const random = seededRandom(seed ^ 0x5e7);
  return {
    notReady: randomInt(random, 1, 3),
    // Pods being deleted that still pass their readiness probe: serving but terminating.
    draining: seed % 3 === 0 ? randomInt(random, 1, 2) : 0,
    nodes: randomInt(random, 2, 3),
    protocol: random() < 0.7 ? "tcp" : "udp",
    connection: randomInt(random, 0, 99_999),
    layout: randomInt(random, 0, 999_999),
  };
}

/**
 * A Service none of whose endpoints is ready: kube-proxy REJECTs in filter KUBE-SERVICES, unless some
 * endpoint is still serving while it terminates, in which case it falls back to those.
 */
export const noReadyEndpoints: Template<"diagnosis"> = {
  id: "no-ready-endpoints",
  kind: "diagnosis",
  title: "A Service with no ready endpoint",
  lesson: LESSONS.endpointSlices,
  concepts: ["endpointslices", "kube-proxy-iptables", "clusterip"],
  file: "src/quiz/bank/cluster/no-ready-endpoints.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const conditions = [
      ...Array.from({ length: p.notReady }, () => ({ ready: false, terminating: false })),
      ...Array.from({ length: p.draining }, () => ({ ready: true, terminating: true })),
    ];
    const cluster = drawCluster(seededRandom(p.layout), { type: "ClusterIP", endpoints: conditions.length, nodes: p.nodes, conditions, clientNode: 0, proxyNode: 0, protocol: p.protocol === "udp" ? "UDP" : "TCP" });
    const svc = cluster.service;
    const packet: PastePacket = { src: cluster.client!.ip, dst: `${svc.clusterIP}:${svc.port}`, protocol: p.protocol as "tcp" | "udp" };
    const trace = pasteJourney(cluster.yaml, packet, p.connection);
    const entry = entryStep(trace);
    const decided = [...entry.sub].reverse().find((s) => s.kind === "rule" && s.taken);
    const rule = rowOf(trace, decided?.ref) ?? "";
    const notReady = cluster.backends.filter((b) => !b.ready)[0]!;
    const draining = cluster.backends.filter((b) => b.terminating);
    const chosen = entry.out ? `${entry.out.dst}:${entry.out.dstPort}` : null;
    const key = trace.outcome.status === "REJECT" ? "reject" : chosen && draining.some((d) => chosen.startsWith(`${d.ip}:`)) ? "terminating" : "other";
    const candidates = [
      { id: "reject", text: `REJECT in filter KUBE-SERVICES ("${svc.namespace}/${svc.name}:${svc.portName} has no endpoints"): the client gets an ICMP port unreachable at once.` },
      {
        id: "terminating",
        text: draining.length
          ? `DNAT to ${chosen && key === "terminating" ? chosen : `${draining[0]!.ip}:${draining[0]!.port!.number}`}, a Pod that is terminating but still serving: kube-proxy falls back to such endpoints when none is ready.`
          : "DNAT to a Pod that is shutting down but still serving: kube-proxy falls back to such endpoints when none is ready.",
      },
      { id: "not-ready", text: `DNAT to ${notReady.ip}:${notReady.port!.number}, a Pod that is not ready: kube-proxy uses every endpoint the EndpointSlice lists.` },
      { id: "timeout", text: `No rule matches ${svc.clusterIP}, so the packet is routed towards a virtual address nobody holds and the client waits for a timeout.` },
    ];
    const why: Record<string, string> = {
      reject: key === "reject" ? `No endpoint is ready or serving, so kube-proxy writes "${rule}" for the Service port: the walk ends there with REJECT, and the client fails fast instead of timing out.` : `The REJECT rule is written only when no endpoint can serve; here ${draining.length} terminating Pod${draining.length === 1 ? " is" : "s are"} still serving, so kube-proxy writes a KUBE-SVC chain instead.`,
      terminating: key === "terminating" ? `No endpoint is ready, but ${draining.length} terminating Pod${draining.length === 1 ? " still passes" : "s still pass"} readiness (serving: true); kube-proxy then uses serving terminating endpoints so connections are not refused during a rollout. The walk DNATs to ${chosen}.` : "No endpoint is terminating while serving: every Pod here simply fails its readiness probe.",
      "not-ready": `An endpoint with ready: false and serving: false is listed in the EndpointSlice but never used by kube-proxy; ${key === "reject" ? "the walk never reaches a KUBE-SEP chain" : `the walk picks ${chosen} instead`}.`,
      timeout: `kube-proxy writes a rule for every Service port whatever its endpoints: ${key === "reject" ? "here the REJECT in filter KUBE-SERVICES" : "here a KUBE-SERVICES jump to the KUBE-SVC chain"}. The packet never wanders off unanswered.`,
    };
    const { options, rubric } = arrange(candidates.map((c) => ({ ...c, correct: c.id === key, why: why[c.id]!, step: entry.id })), seededRandom(seed ^ 0x11));
    const conditionsText = cluster.backends.map((b) => `${b.name} ${b.ip}: Ready=${b.ready && !b.terminating ? "True" : b.ready ? "True (terminating)" : "False"}`);
    return {
      template: this.id,
      kind: this.kind,
      seed,
      title: this.title,
      prompt: `Service ${svc.namespace}/${svc.name} (${svc.clusterIP}:${svc.port}/${svc.protocol}) selects ${cluster.backends.length} Pod${cluster.backends.length === 1 ? "" : "s"}, none of them ready. A Pod on ${cluster.client!.node} sends a first packet to the Service. What does the node's netfilter do with it?`,
      exhibits: [{ kind: "output", command: `kubectl get pods -n ${svc.namespace} -l app=${svc.app}   # READY condition, and whether it is being deleted`, text: conditionsText.join("\n") }],
      view: { options },
      key: { choice: key },
      rubric: { options: rubric },
      misconceptions: [],
      hints: [
        "An EndpointSlice lists endpoints with three conditions: ready, serving and terminating.",
        "kube-proxy prefers ready endpoints, and has a fallback for Pods that are shutting down.",
      ],
      explanation: key === "reject"
        ? `Every endpoint has ready: false and serving: false, so kube-proxy has nothing to send to. Rather than leave the ClusterIP unanswered it writes "${rule}", and the first packet is rejected with ICMP port unreachable: the client sees "connection refused" at once.`
        : `No endpoint is ready, but ${draining.map((d) => d.ip).join(" and ")} ${draining.length === 1 ? "is" : "are"} terminating while still serving. kube-proxy falls back to serving terminating endpoints when no ready one exists, so the connection goes to ${chosen} rather than being refused.`,
      lab: pasteLab(cluster.yaml, packet, p.connection),
    };
  },
};
