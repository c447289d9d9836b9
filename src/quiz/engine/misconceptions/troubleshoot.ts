import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the troubleshoot system the grader recognises; each id is a `DiagnosisModel` of
 * src/sim/kube/troubleshoot/diagnose.ts, run on the same cluster as the correct one.
 */
export const TROUBLESHOOT_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "empty-endpoints-means-pods-down",
    name: "No endpoints means the Pods are down",
    belief: "kubectl get endpoints shows <none>, so the Pods must be crashing or failing their readiness probe.",
    whyWrong:
      "An empty Endpoints list says only that no ready Pod is selected. When the selector matches no Pod at all, healthy Pods are simply not chosen: kubectl get pods shows them 1/1 READY, and kubectl get svc -o wide shows a selector none of them carries.",
  },
  {
    id: "refused-means-no-endpoints",
    name: "Connection refused means the Service has no endpoints",
    belief: "curl says the connection was refused, so the Service must have no endpoints — check the selector.",
    whyWrong:
      "kube-proxy's REJECT for a Service without endpoints is one source of a refusal; a Pod that does not listen on the targetPort is another. When endpoints exist, the SYN is DNATed to a Pod and that Pod's kernel answers with a RST: conntrack -L shows the entry with the Pod's address and the wrong port.",
  },
  {
    id: "ingress-404-is-the-app",
    name: "A 404 through the Ingress comes from the application",
    belief: "The site answers 404, so the application must be missing the route for that path.",
    whyWrong:
      "When no Ingress rule matches the request's Host (and there is no default backend), GKE's load balancer answers 404 itself — \"response 404 (backend NotFound)\", with Via: 1.1 google. The request never reached a Pod; the host rule is what to read.",
  },
  {
    id: "timeout-means-firewall",
    name: "A timeout means a firewall",
    belief: "Requests to the node hang, so a VPC firewall rule must be dropping them.",
    whyWrong:
      "With externalTrafficPolicy: Local, kube-proxy itself drops external traffic on a node with no local endpoint (\"has no local endpoints\" in iptables-save), and answers the load balancer's health check with 503 so it stops sending there. The packets did reach the node.",
  },
  {
    id: "resolve-failure-means-dns-down",
    name: "A name that will not resolve means cluster DNS is down",
    belief: "curl cannot resolve the Service's name, so kube-dns must have crashed.",
    whyWrong:
      "kube-dns can be Running and Ready while a client's queries never reach it. A NetworkPolicy that isolates the client for egress and allows no UDP and TCP 53 to kube-dns drops the queries on the client's own node: tcpdump there shows them leaving the Pod and nothing coming back, and curl to the Service's ClusterIP still works.",
  },
  {
    id: "hang-means-slow-app",
    name: "A request that hangs means a slow server",
    belief: "Small requests work and big ones hang, so the server must be too slow for large uploads.",
    whyWrong:
      "When the data never arrives, speed is not the question. tcpdump shows the same full-size segment retransmitted and never acknowledged, and a ping with DF set gets replies only up to a size: a link on the path is narrower than the Pod's MTU and the ICMP \"fragmentation needed\" that would say so is filtered.",
  },
];
