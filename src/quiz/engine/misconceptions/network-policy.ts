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
];
