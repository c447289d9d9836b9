import type { Misconception } from "../misconceptions";

/** Wrong models of the egress system the grader recognises; each id is a mode of its simulator. */
export const EGRESS_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "all-65536-ports",
    name: "A NAT IP has 65,536 ports to give",
    belief: "At 64 ports per VM, one NAT IP serves 65,536 ÷ 64 = 1,024 VMs.",
    whyWrong: "Cloud NAT uses source ports 1024–65535 only: 64,512 per NAT IP and protocol. At 64 ports per VM that is 1,008 VMs, and every capacity sum built on 65,536 overcounts.",
  },
  {
    id: "no-port-reuse",
    name: "One NAT port, one connection",
    belief: "A VM with 64 NAT ports can have 64 connections open in total.",
    whyWrong: "Only the translated 5-tuple must be unique, so without endpoint-independent mapping one NAT port carries a connection to each of many destinations at once: the 64 ports limit connections per destination (IP, port, protocol), not in total.",
  },
  {
    id: "unlimited-per-destination",
    name: "NAT ports never run out for one destination",
    belief: "A node can open as many connections to one API as it likes; NAT just picks another port.",
    whyWrong: "To one destination IP, port and protocol, a VM can hold only as many concurrent connections as it has NAT ports; the next one is dropped with OUT_OF_RESOURCES until a port frees (and a closed TCP port waits 120 s before reuse to the same destination).",
  },
  {
    id: "google-apis-via-nat",
    name: "Google API calls go through Cloud NAT",
    belief: "With a Cloud NAT gateway, calls to storage.googleapis.com leave through the NAT IP like any other.",
    whyWrong: "Cloud NAT never translates traffic to Google API addresses: it goes by Private Google Access with the internal source, and a gateway serving a subnet range turns Private Google Access on for that range.",
  },
  {
    id: "nat-accepts-inbound",
    name: "Cloud NAT forwards inbound connections",
    belief: "A packet sent to a NAT IP and a port in a node's block reaches that node.",
    whyWrong: "A port block only says which ports a VM may use for connections it opens. Cloud NAT creates mappings only for outbound connections and drops an inbound packet that matches none; to accept connections you need a load balancer or an external IP.",
  },
];
