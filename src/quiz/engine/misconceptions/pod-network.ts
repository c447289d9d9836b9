import type { Misconception } from "../misconceptions";

/** Wrong models of the pod-network system the grader recognises; each id is a mode of its simulator. */
export const POD_NETWORK_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "per-node-equals-max-pods",
    name: "A node's Pod range holds exactly max Pods",
    belief: "With max Pods per node at 64, each node gets 64 addresses, a /26.",
    whyWrong: "GKE gives each node the smallest block with at least twice as many addresses as max Pods — 128 addresses, a /25, for 64 Pods — so a freed address can rest before reuse. The Pod range therefore holds half as many nodes as the naive count.",
  },
  {
    id: "subnet-no-reserved",
    name: "Every subnet address can be a node",
    belief: "A /24 node subnet holds 256 nodes.",
    whyWrong: "Google Cloud keeps four addresses in every subnet's primary range — the network address, the gateway, the second-to-last and the broadcast address — so a /24 holds 252 nodes.",
  },
  {
    id: "encap-free",
    name: "Encapsulation is free",
    belief: "An overlay's Pods can use the node's full MTU.",
    whyWrong: "An overlay puts its own headers in front of every Pod packet — 20 bytes for IP-in-IP, 50 for VXLAN, 60 for WireGuard over IPv4 — and the whole outer packet must fit the node's MTU, so the Pod's MTU is that much smaller.",
  },
  {
    id: "df-fragmented",
    name: "Routers fragment DF packets",
    belief: "A packet too big for a link is always fragmented by the router there.",
    whyWrong: "With Don't Fragment set — as Linux sets it on TCP — a router may not fragment: it drops the packet and sends ICMP type 3 code 4 with the next-hop MTU (RFC 1191). If that ICMP is filtered, the sender never learns, and the transfer hangs.",
  },
];
