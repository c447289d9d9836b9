/**
 * "Name the fault": one builder for every fault family. The exhibits are the shell's computed output
 * for the same five commands whatever the fault (so which commands are shown never gives the answer
 * away); the key is `diagnose` on the model; the misconception answers are `diagnose` under each wrong
 * model; every option's reason is read off the cluster.
 */
import { seededRandom } from "../../../sim/random";
import { buildCase, drawParams, type FaultFamily, type TroubleCase } from "../../../sim/kube/troubleshoot/cases";
import { diagnose, DIAGNOSIS_MODELS, explainFault, FAULT_CHOICES, reportedProbe, type FaultChoice } from "../../../sim/kube/troubleshoot/diagnose";
import { dnsVerdict } from "../../../sim/kube/troubleshoot/probe";
import { labelsMatch, selectorText } from "../../../sim/kube/troubleshoot/kubectl";
import { loadCase, type CaseCluster } from "../../../sim/kube/troubleshoot/probe";
import { runCommand } from "../../../sim/kube/troubleshoot/shell";
import type { Exhibit, Template, Variant, Why } from "../../engine/types";
import { arrange } from "../cluster/shared";
import { shuffle } from "../draw";

export const TROUBLESHOOT_LESSON = "troubleshooting-a-cluster";
export const TROUBLESHOOT_LAB = "troubleshoot";

/** The commands every variant shows, in the order of the lesson's method (outside in). */
export function exhibitCommands(c: TroubleCase): string[] {
  return [c.probe, `kubectl get svc,endpoints,endpointslices,pods -n ${c.params.namespace} -o wide`, `kubectl get ingress,networkpolicy -n ${c.params.namespace}`, `kubectl describe svc ${c.params.app} -n ${c.params.namespace}`, `kubectl describe pod ${c.params.app}-7d9f8b6c5-4xk2p -n ${c.params.namespace}`, "conntrack -L", "tcpdump -n -i any"];
}

export function exhibitsOf(cluster: CaseCluster): Exhibit[] {
  let memory = { last: null } as Parameters<typeof runCommand>[2];
  return exhibitCommands(cluster.trouble).map((command) => {
    const r = runCommand(cluster, command, memory);
    memory = r.memory;
    return { kind: "output", command, text: r.output };
  });
}

/** Why an option other than the fault is not it, from the cluster's facts. */
export function whyNot(choice: FaultChoice, cluster: CaseCluster): string {
  const { state, trouble } = cluster;
  const p = trouble.params;
  const svc = state.services.find((s) => s.metadata.name === p.app && s.metadata.namespace === p.namespace)!;
  const selected = state.pods.filter((x) => x.metadata.namespace === p.namespace && svc.selector !== null && labelsMatch(svc.selector, x.metadata.labels));
  const result = reportedProbe(cluster);
  const unresolved = result.outcome === "resolve-timeout" || result.outcome === "unresolved";
  const onPrem = trouble.onPrem;
  if (onPrem !== null) {
    // The MTU case's request goes to an address outside the cluster: no Service, Ingress or policy is on its path.
    const outside = `The failing request goes to ${onPrem.server}, outside the cluster, by address: no Service, Ingress or NetworkPolicy is on its path, and small requests to the same server succeed.`;
    if (choice !== "app-slow" && choice !== "firewall" && choice !== "dns-down" && choice !== "mtu-black-hole") return outside;
  }
  switch (choice) {
    case "selector-mismatch":
      return `The selector ${selectorText(svc.selector)} matches ${selected.length} Pod${selected.length === 1 ? "" : "s"} (${selected.map((x) => x.metadata.name).join(", ")}); the EndpointSlice lists them.`;
    case "not-ready":
      return selected.length === 0
        ? `The Pods are 1/1 READY. An empty Endpoints list here does not mean they are down: the selector ${selectorText(svc.selector)} picks none of them.`
        : `Every selected Pod is 1/1 READY, and the EndpointSlice marks each ready.`;
    case "target-port":
      if (unresolved) return "The name never resolved, so no connection was opened and no port on a Pod was tried.";
      return result.endpoint === null
        ? `The request never reached a Pod${result.outcome === "rejected" ? ": kube-proxy rejected it because the Service has no ready endpoint" : ""}, so no port on a Pod was tried.`
        : `The request reached ${result.endpoint.pod} on ${result.endpoint.port}, a port it listens on.`;
    case "no-local-endpoint":
      return svc.externalTrafficPolicy === "Local" ? "Both nodes have a local endpoint." : `The Service's externalTrafficPolicy is ${svc.externalTrafficPolicy ?? "not set (a ClusterIP Service has none)"}; it plays no part here.`;
    case "host-typo":
      return cluster.ingresses.length === 0 ? `There is no Ingress in ${p.namespace}: the request went to the Service directly.` : "The Ingress's host matches what clients send.";
    case "app-404":
      if (unresolved) return "No HTTP request was sent at all: curl stopped at resolving the name.";
      return result.outcome === "not-found"
        ? "The 404 comes from the load balancer (Via: 1.1 google, and the body names its URL map); the request never reached a Pod, so the application's paths were not consulted."
        : `No HTTP response came back at all: the connection ${result.outcome === "timeout" ? "timed out" : "was refused"} before any request was sent.`;
    case "firewall":
      if (unresolved) return "The app itself is reachable — curl to the ClusterIP answers — so no firewall stands between the Pods. What never gets an answer is the DNS query, and it never left the node.";
      if (result.outcome === "stalled") return `The connection was made and small requests succeed, so no firewall drops the traffic; the firewall that matters drops only the ICMP reply about packet size.`;
      return result.outcome === "timeout"
        ? "The packet reached node-a: kube-proxy's own rule dropped it there (\"has no local endpoints\"). A VPC firewall drop would have kept it off the node."
        : `The request was answered (${result.outcome === "not-found" ? "a 404" : "refused at once"}), so something received it; a firewall drop gives silence and a timeout.`;
    case "dns-policy":
      if (cluster.policies.length === 0) return `There is no NetworkPolicy in ${p.namespace}${unresolved ? "" : ", and the name resolved"}.`;
      return "The NetworkPolicy allows the DNS queries to kube-dns.";
    case "mtu-black-hole":
      return result.mtu ? "Full-size segments get through." : "No large packets cross a narrower link here: the request failed before any data was sent, on a path inside the cluster.";
    case "dns-down":
      if (result.outcome === "resolve-timeout") return `kube-dns is Running and Ready in kube-system, and its queries never reached it: tcpdump shows them arriving on the client Pod's veth and never leaving the node, because ${dnsVerdict(cluster)?.egress.reason ?? "the client's egress is isolated"}.`;
      return result.outcome === "stalled" ? `The request is to an address, so DNS plays no part.` : `DNS answered: curl got past resolving ${p.app} to its ClusterIP.`;
    case "app-slow":
      if (result.outcome === "stalled") return `The server answers small requests at once, and a DF ping of ${onPrem!.linkMtu} bytes gets replies while one of ${onPrem!.linkMtu + 1} or more gets none. tcpdump shows the same ${result.mtu!.podMtu - 40}-byte segment retransmitted, never acknowledged: the data never reaches the server, so its speed is not the question.`;
      return "The request got no answer at all, not a slow one: it failed before the application saw it.";
    default:
      return "";
  }
}

const CHOICE_IDS = Object.keys(FAULT_CHOICES) as FaultChoice[];

/** The "name the fault" variant for one case (the lab grades its case through this variant). */
export function faultVariant(template: string, title: string, trouble: TroubleCase, seed: number): Variant<"diagnosis"> {
  const cluster = loadCase(trouble);
  const key = diagnose(cluster);
  const wrong = DIAGNOSIS_MODELS.filter((m) => m !== "correct").map((m) => ({ misconception: m, choice: diagnose(cluster, m) })).filter((w) => w.choice !== key);
  const random = seededRandom(seed ^ 0x5eed);
  const shown = new Set<FaultChoice>([key, ...wrong.map((w) => w.choice)]);
  // Five options: the fault, what each wrong model would name, then others in a seeded order.
  for (const c of shuffle(random, CHOICE_IDS.filter((c) => !shown.has(c)))) if (shown.size < 5) shown.add(c);
  const explanation = explainFault(cluster);
  const { options, rubric } = arrange(
    [...shown].map((id) => ({ id, text: FAULT_CHOICES[id], correct: id === key, why: id === key ? explanation : whyNot(id, cluster), step: null })),
    random,
  );
  const p = trouble.params;
  return {
    template,
    kind: "diagnosis",
    seed,
    title,
    prompt: `${trouble.report} You are on node-a of a two-node cluster (namespace ${p.namespace}, kube-proxy in ${p.mode} mode) and ran the commands below. What is wrong?`,
    exhibits: exhibitsOf(cluster),
    view: { options },
    key: { choice: key },
    rubric: { options: rubric as Record<string, Why> },
    misconceptions: wrong.map((w) => ({ misconception: w.misconception, answer: { choice: w.choice } })),
    hints: [
      "Work from the outside in: what did the request meet, and who answered it?",
      "Compare what the Service asks for (selector, targetPort, traffic policy) with what the Pods offer.",
    ],
    explanation,
    lab: { page: `/lessons/${TROUBLESHOOT_LESSON}/`, lab: TROUBLESHOOT_LAB, query: { [`${TROUBLESHOOT_LAB}.case`]: trouble.id } },
  };
}

/** One template per fault family; seed 0 is the lab's canonical cluster. */
export function faultTemplate(family: FaultFamily, title: string, concepts: readonly string[]): Template<"diagnosis"> {
  const id = `fault-${family}`;
  const paramsOf = (seed: number) => buildCase(family, drawParams(seed)).params;
  return {
    id,
    kind: "diagnosis",
    title,
    lesson: TROUBLESHOOT_LESSON,
    concepts: ["troubleshooting", ...concepts],
    file: `src/quiz/bank/troubleshoot/${id}.ts`,
    source: "seed 004, troubleshooting guide",
    params: (seed) => ({ ...paramsOf(seed) }),
    variant: (seed) => faultVariant(id, title, buildCase(family, paramsOf(seed)), seed),
  };
}
