/**
 * Naming the fault, from the model: `diagnose` reads the case's cluster (what the selector matches,
 * which endpoints are ready, what the probe met) and names the fault family; `explainFault` says why
 * in terms of the objects and rules the learner saw. Each `DiagnosisModel` other than "correct" is a
 * wrong way to read the same evidence that people really use — the question bank's misconceptions
 * are these modes, run, never typed.
 */
import { endpointsColumn, labelsMatch, selectorText } from "./kubectl";
import { nodeIptablesSave } from "../proxy";
import { matchIngress } from "../l7/ingress";
import { parseRouteRequest } from "../l7/request";
import { clientMtu, dnsVerdict, onPremPath, probe, RES_ATTEMPTS, RES_TIMEOUT_S, type CaseCluster, type ProbeResult } from "./probe";
import { tokenize } from "./shell";
import { REPORT_BODY_BYTES } from "./cases";

import { FAULT_CHOICES, type FaultChoice } from "./choices";

export { FAULT_CHOICES, type FaultChoice };

export const DIAGNOSIS_MODELS = ["correct", "empty-endpoints-means-pods-down", "refused-means-no-endpoints", "ingress-404-is-the-app", "timeout-means-firewall", "resolve-failure-means-dns-down", "hang-means-slow-app"] as const;
export type DiagnosisModel = (typeof DIAGNOSIS_MODELS)[number];

/** The reported request, run. */
export function reportedProbe(cluster: CaseCluster): ProbeResult {
  const words = tokenize(cluster.trouble.probe) ?? [];
  const hostHeader = /Host: (\S+)'/.exec(cluster.trouble.probe)?.[1] ?? null;
  const url = words[words.length - 1]!;
  const m = /^http:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url)!;
  const data = words.includes("--data-binary") ? REPORT_BODY_BYTES : 0;
  const max = words.indexOf("-m");
  return probe(cluster, { host: m[1]!, port: m[2] ? Number(m[2]) : 80, path: m[3] ?? "/", hostHeader, verbose: false, bodyBytes: data, maxTime: max >= 0 ? Number(words[max + 1]) : null });
}

/** The fault as the given model of troubleshooting reads the cluster's evidence. */
export function diagnose(cluster: CaseCluster, model: DiagnosisModel = "correct"): FaultChoice {
  const { state, trouble } = cluster;
  const svc = state.services.find((s) => s.metadata.name === trouble.params.app && s.metadata.namespace === trouble.params.namespace)!;
  const result = reportedProbe(cluster);
  const emptyEndpoints = endpointsColumn(state, svc) === "<none>";
  if (model === "ingress-404-is-the-app" && result.outcome === "not-found") return "app-404";
  if (model === "timeout-means-firewall" && result.outcome === "timeout") return "firewall";
  if (model === "resolve-failure-means-dns-down" && result.outcome === "resolve-timeout") return "dns-down";
  if (model === "hang-means-slow-app" && result.outcome === "stalled") return "app-slow";
  // A name that never resolved: the policy model says whether the queries were allowed to reach kube-dns.
  if (result.outcome === "resolve-timeout") return dnsVerdict(cluster)?.allowed === false ? "dns-policy" : "dns-down";
  // Connected, then silence once full-size segments flow: the MTU model says where they died.
  if (result.outcome === "stalled") return result.mtu?.status === "black-hole" ? "mtu-black-hole" : "app-slow";
  if (model === "empty-endpoints-means-pods-down" && emptyEndpoints) return "not-ready";
  if (model === "refused-means-no-endpoints" && (result.outcome === "refused" || result.outcome === "rejected")) return "selector-mismatch";
  if (result.outcome === "not-found") return "host-typo";
  const selected = state.pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && svc.selector !== null && labelsMatch(svc.selector, p.metadata.labels));
  if (selected.length === 0) return "selector-mismatch";
  if (!selected.some((p) => p.ready)) return "not-ready";
  if (result.outcome === "refused" && result.endpoint !== null) return "target-port";
  if (result.outcome === "timeout" && svc.externalTrafficPolicy === "Local") return "no-local-endpoint";
  return "firewall";
}

/** Why the fault is what it is, in the facts the model computed. */
export function explainFault(cluster: CaseCluster): string {
  const { state, trouble } = cluster;
  const p = trouble.params;
  const svc = state.services.find((s) => s.metadata.name === p.app && s.metadata.namespace === p.namespace)!;
  const pods = state.pods.filter((x) => x.metadata.namespace === p.namespace && x.metadata.name !== "client");
  const result = reportedProbe(cluster);
  const rejectRule = nodeIptablesSave(state).split("\n").find((l) => l.includes("has no endpoints") && l.includes(`${p.namespace}/${p.app}`));
  switch (diagnose(cluster)) {
    case "selector-mismatch":
      return `Service ${p.namespace}/${p.app} selects ${selectorText(svc.selector)}, but its Pods are labelled app=${p.app}: the selector matches none of the ${pods.length} Pods, so the EndpointSlice controller lists no endpoints and kube-proxy writes ${rejectRule ? `"${rejectRule}"` : "a REJECT rule"}. The Pods themselves are Running and Ready.`;
    case "not-ready":
      return `The selector matches all ${pods.length} Pods, and the EndpointSlice lists them, but each with ready: false: ${pods.map((x) => `${x.metadata.name} is 0/1 READY`).join("; ")}. kube-proxy sends only to ready endpoints, so ${p.mode === "ipvs" ? "IPVS has the virtual server with no real server, and the node answers the SYN with ICMP port unreachable" : "it writes a REJECT rule"}. Fix the readiness probe (or what it checks), not the Service.`;
    case "target-port":
      return `Endpoints exist (${endpointsColumn(state, svc)}), and the walk DNATs to ${result.endpoint?.ip}:${result.endpoint?.port}, but the Pods listen on ${p.appPort}: the Service's targetPort is ${svc.ports[0]?.targetPort}. The Pod's kernel answers the SYN with a RST, so curl says the connection was refused.`;
    case "no-local-endpoint":
      return `The Service has externalTrafficPolicy: Local and both Pods are on node-b. On node-a kube-proxy drops NodePort and load-balancer traffic from outside ("has no local endpoints"), and its health check on port ${svc.healthCheckNodePort} answers 503 with localEndpoints 0, which tells the load balancer to leave node-a out. Spread the Pods, or use Cluster if the client's source address need not be kept.`;
    case "host-typo": {
      const ing = cluster.ingresses[0]!;
      const decision = matchIngress(cluster.ingresses, parseRouteRequest(`http://${p.host}/`));
      return `The Ingress's rule is for host ${ing.rules[0]?.host}, but clients send Host: ${p.host}. ${decision.summary} The URL map's default service — GKE's default-http-backend in kube-system — answers it; the Service and its Pods are never consulted.`;
    }
    case "dns-policy": {
      const v = dnsVerdict(cluster)!;
      const tcpToApp = result.dns?.names[0] ?? `${p.app}.${p.namespace}.svc.cluster.local.`;
      const names = result.dns?.names ?? [tcpToApp, `${p.app}.`];
      const asTyped = names[names.length - 1]!;
      return `Every Pod in ${p.namespace} is selected for Egress by ${v.egress.selectedBy.join(", ")}, whose only rule allows TCP ${p.appPort} to the app=${p.app} Pods. The client's first query (${tcpToApp}, A and AAAA, UDP 53 to ${cluster.resolvConf.nameservers[0]}, DNATed to the kube-dns Pod) matches no egress rule, so the dataplane drops it on the Pod's own node: ${v.egress.reason}. glibc waits ${RES_TIMEOUT_S} s, asks again (attempts ${RES_ATTEMPTS}) and gives that name up after ${RES_TIMEOUT_S * RES_ATTEMPTS} s. A timeout ends the search list, but glibc still tries the name as typed (${asTyped}), which times out the same way, so after about ${RES_TIMEOUT_S * RES_ATTEMPTS * names.length} s curl says it could not resolve the host. kube-dns is up — curl to the ClusterIP works, because that connection is TCP ${p.appPort} to an app Pod, which the rule allows. Fix: add an egress rule to kube-dns's Pods (namespace kube-system, k8s-app=kube-dns) on UDP 53 and TCP 53 (TCP for truncated answers).`;
    }
    case "mtu-black-hole": {
      const path = onPremPath(cluster)!;
      const onPrem = trouble.onPrem!;
      return `The Pod's MTU is ${clientMtu(cluster)} (Dataplane V2 takes the VPC's 1460), so its full-size segments are ${path.podMtu}-byte packets with DF set. The handshake and small requests fit every link, but the on-premises tunnel carries only ${onPrem.linkMtu}: the router there (${onPrem.router}) drops each full-size packet and sends ICMP type 3 code 4 with next-hop MTU ${onPrem.linkMtu}, and the on-premises firewall, which passes only ICMP echo, drops that. The Pod never learns the path MTU, retransmits the same ${path.podMtu}-byte packet, and the upload hangs. The cause is the filtered ICMP: allowing ICMP type 3 code 4 back restores path MTU discovery (RFC 1191) for every host. Clamping the TCP MSS to ${onPrem.linkMtu - 40} on the path, or lowering the MTU, works around it for TCP only.`;
    }
    default:
      return "The model finds nothing wrong with this cluster.";
  }
}
