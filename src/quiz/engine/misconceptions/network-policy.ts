import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the network-policy system the grader recognises; each id is a mode of its simulator:
 * `PolicyWrongModel` in src/sim/kube/policy/evaluate.ts ("peer-selectors-or", "ingress-only", "dns-exempt").
 */
export const NETWORK_POLICY_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "peer-selectors-or",
    name: "Two selectors in one peer are OR",
    belief: "A `from` entry with both a namespaceSelector and a podSelector lets in Pods that match either one.",
    whyWrong:
      "Selectors in one peer are ANDed: the Pod must carry the podSelector's labels AND sit in a namespace the namespaceSelector matches. Only separate list entries (each with its own dash) are ORed — and that form is the one that opens a whole namespace by accident.",
  },
  {
    id: "ingress-only",
    name: "The destination's ingress rule is enough",
    belief: "If the receiving Pod's policy allows the sender, the connection works, whatever policies the sender has.",
    whyWrong:
      "A connection needs both ends: the sender's egress (when the sender is isolated for egress) and the receiver's ingress (when it is isolated for ingress). A default-deny egress policy on the sender drops the packet before the receiver's rules are ever consulted.",
  },
  {
    id: "dns-exempt",
    name: "Default-deny egress leaves DNS alone",
    belief: "Name lookups to the cluster DNS keep working under a default-deny egress policy, because DNS is infrastructure.",
    whyWrong:
      "NetworkPolicy has no special case for DNS: queries are ordinary UDP (and TCP) packets to port 53 on the kube-dns Pods. An egress-isolated Pod can resolve names only if some egress rule allows those packets, on both protocols.",
  },
  // The firewall layers (src/sim/kube/policy/firewall-trace.ts, `FirewallWrongModel`).
  {
    id: "ipblock-sees-client",
    name: "NetworkPolicy sees the client under Cluster",
    belief: "An ipBlock naming the clients' range admits them through a LoadBalancer Service, whatever its externalTrafficPolicy.",
    whyWrong:
      "Under externalTrafficPolicy: Cluster kube-proxy masquerades external connections to the node's own address, so the Pod — and its NetworkPolicy — sees a node IP, not the client. The ipBlock stops matching. Local keeps the client's address (and sends only to local endpoints).",
  },
  {
    id: "source-ranges-kube-proxy-only",
    name: "loadBalancerSourceRanges is kube-proxy's job alone",
    belief: "Clients outside loadBalancerSourceRanges reach the node and are turned away by kube-proxy.",
    whyWrong:
      "On GKE the ranges become the source ranges of GKE's allow rule for the Service (`k8s2-…` on a backend-service balancer), and the passthrough load balancer keeps the client's address, so an outside client matches no allow rule and the VPC's implied deny drops it at the VM. kube-proxy's KUBE-FW/KUBE-PROXY-FIREWALL check is a second line, seen only when another rule opened the firewall wider.",
  },
  {
    id: "allow-wins-tie",
    name: "Allow beats deny at equal priority",
    belief: "When an allow rule and a deny rule of the same priority both match, the allow wins (or the first one listed).",
    whyWrong:
      "VPC firewall rules are ordered by priority, lower number first; at equal priority a deny rule takes precedence over an allow rule, whatever order they were created in.",
  },
  {
    id: "health-check-on-service-port",
    name: "The load balancer probes the Service's port",
    belief: "A firewall rule opening the Service's port to Google's probe ranges lets the health checks pass.",
    whyWrong:
      "For a GKE LoadBalancer Service the probes go to kube-proxy's health port 10256 (externalTrafficPolicy: Cluster) or to the Service's healthCheckNodePort (Local), where kube-proxy answers 200 only on nodes with a ready local endpoint — not to the Service's own port.",
  },
];
