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
  {
    id: "veth-decrements-ttl",
    name: "A veth crossing is a router hop",
    belief: "Every time a packet crosses a veth pair, its TTL drops by one.",
    whyWrong: "A veth pair is a virtual cable: a frame entering one end leaves the other untouched. The TTL drops only where the packet is forwarded — the node's root namespace routing it, or Cilium's eBPF program acting as the router — so a cross-node Pod packet arrives with 62, not 58.",
  },
  {
    id: "overlay-everywhere",
    name: "Pod traffic between nodes is always tunnelled",
    belief: "Every CNI wraps cross-node Pod packets in VXLAN, GKE's own included.",
    whyWrong: "In a VPC-native GKE cluster each node's Pod block is an alias IP range the VPC routes itself, so GKE's CNI and Dataplane V2 send the Pod's packet as it is. Encapsulation (VXLAN, Geneve, IP-in-IP) is for networks that cannot route Pod addresses, and it costs 20–50 bytes of MTU.",
  },
  {
    id: "host-network-pod-ip",
    name: "A hostNetwork Pod has a Pod address",
    belief: "A hostNetwork Pod sends from an address out of its node's Pod range.",
    whyWrong: "A hostNetwork Pod gets no namespace, no veth and no Pod address: it uses the node's, so it sends from the node's address (or, through a Calico or Cilium tunnel device, from that device's address).",
  },
];
