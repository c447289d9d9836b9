/**
 * A hand-written in-cluster trace for the step-lab and manifest-lab machine tests, shaped the way
 * `runKubeScenario` will shape its traces: a ClusterIP connection from a client Pod on node-a to the
 * Service my-server (10.96.0.15:80, endpoints 10.4.2.9:8080 and 10.4.3.4:8080), walked through
 * kube-proxy's iptables rules, routed, delivered, and the reply un-DNATed by conntrack.
 *
 * Two variants share most step ids, so tests can check the cursor stays put across a recompute:
 * - `client: "other-pod"` — 10.4.1.7 on node-a; the draw picks 10.4.3.4 on node-b (steps include `route`);
 * - `client: "hairpin"` — 10.4.3.4 calls its own Service and is picked: KUBE-SEP's `-s` rule marks the
 *   packet for masquerade and POSTROUTING SNATs it to the bridge address (steps include `bridge`, not `route`).
 */
import { StepBuilder, type DecisionTable, type Stage, type SubStep, type Trace } from "../../src/sim/core/trace";
import { InputError } from "../../src/sim/net/errors";
import type { PacketUnit } from "../../src/sim/net/packet-unit";

export const STAGES: Stage[] = [
  { id: "client", title: "Client Pod", summary: "The application connects to the Service's cluster IP." },
  { id: "node", title: "Client's node", summary: "netfilter on the node rewrites the destination to one endpoint." },
  { id: "fabric", title: "To the endpoint", summary: "The node routes the rewritten packet to the chosen Pod." },
  { id: "server", title: "Server Pod", summary: "The endpoint receives the connection and answers." },
  { id: "reply", title: "The reply", summary: "conntrack recognises the reply and reverses the translation." },
];

/** kube-proxy's nat table on the client's node, as `iptables-save -t nat` prints it. */
export const NAT_ROWS = [
  "*nat", // 0
  ":PREROUTING ACCEPT [0:0]", // 1
  ":INPUT ACCEPT [0:0]", // 2
  ":OUTPUT ACCEPT [0:0]", // 3
  ":POSTROUTING ACCEPT [0:0]", // 4
  ":KUBE-MARK-MASQ - [0:0]", // 5
  ":KUBE-NODEPORTS - [0:0]", // 6
  ":KUBE-POSTROUTING - [0:0]", // 7
  ":KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]", // 8
  ":KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]", // 9
  ":KUBE-SERVICES - [0:0]", // 10
  ":KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]", // 11
  ":KUBE-SVC-V2OKYYMBY3REGZOG - [0:0]", // 12
  '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', // 13
  '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', // 14
  '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING', // 15
  "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000", // 16
  "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN", // 17
  "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0", // 18
  '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully', // 19
  '-A KUBE-SEP-6E7XQMQ4RAYOWTTM -s 10.4.2.9/32 -m comment --comment "default/my-server:http" -j KUBE-MARK-MASQ', // 20
  '-A KUBE-SEP-6E7XQMQ4RAYOWTTM -p tcp -m comment --comment "default/my-server:http" -m tcp -j DNAT --to-destination 10.4.2.9:8080', // 21
  '-A KUBE-SEP-IT2ZTR26TO4XFPTO -s 10.4.3.4/32 -m comment --comment "default/my-server:http" -j KUBE-MARK-MASQ', // 22
  '-A KUBE-SEP-IT2ZTR26TO4XFPTO -p tcp -m comment --comment "default/my-server:http" -m tcp -j DNAT --to-destination 10.4.3.4:8080', // 23
  '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU', // 24
  '-A KUBE-SERVICES -d 10.96.0.15/32 -p tcp -m comment --comment "default/my-server:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-V2OKYYMBY3REGZOG', // 25
  '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS', // 26
  '-A KUBE-SVC-V2OKYYMBY3REGZOG ! -s 10.4.0.0/14 -d 10.96.0.15/32 -p tcp -m comment --comment "default/my-server:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ', // 27
  '-A KUBE-SVC-V2OKYYMBY3REGZOG -m comment --comment "default/my-server:http -> 10.4.2.9:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM', // 28
  '-A KUBE-SVC-V2OKYYMBY3REGZOG -m comment --comment "default/my-server:http -> 10.4.3.4:8080" -j KUBE-SEP-IT2ZTR26TO4XFPTO', // 29
  "COMMIT", // 30
];

export const IPVS_ROWS = [
  "IP Virtual Server version 1.2.1 (size=4096)",
  "Prot LocalAddress:Port Scheduler Flags",
  "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
  "TCP  10.96.0.15:80 rr",
  "  -> 10.4.2.9:8080                Masq    1      0          0",
  "  -> 10.4.3.4:8080                Masq    1      1          0",
];

export type FixtureInput = { client: "other-pod" | "hairpin" };
export const PRESETS: Record<string, FixtureInput> = { default: { client: "other-pod" }, hairpin: { client: "hairpin" } };

const packet = (p: Partial<PacketUnit> & Pick<PacketUnit, "src" | "srcPort" | "dst" | "dstPort">): PacketUnit => ({
  kind: "packet",
  protocol: "tcp",
  mark: null,
  ctstate: null,
  iface: null,
  payload: "SYN",
  ...p,
});

const rule = (row: number, taken: boolean, detail: string, kind = "rule", unit?: PacketUnit): SubStep => ({
  kind,
  label: NAT_ROWS[row]!,
  detail,
  taken,
  ref: { table: "nat", row },
  ...(unit ? { unit } : {}),
});

/** The trace for one variant. @throws InputError for an unknown client, the way a scenario's schema would. */
export function fixtureTrace(input: unknown, seed = 0): Trace<PacketUnit> {
  const client = (input as Partial<FixtureInput> | null)?.client;
  if (client !== "other-pod" && client !== "hairpin") {
    throw new InputError("client", `must be one of "other-pod", "hairpin" (got ${JSON.stringify(client)})`);
  }
  const hairpin = client === "hairpin";
  const clientIp = hairpin ? "10.4.3.4" : "10.4.1.7";
  const node = hairpin ? "node-b" : "node-a";
  const bridgeIp = "10.4.3.1";

  const conntrackRows = [
    "udp      17 21 src=10.4.1.7 dst=10.96.0.10 sport=53211 dport=53 src=10.4.0.12 dst=10.4.1.7 sport=53 dport=53211 mark=0 use=1",
    `tcp      6 120 SYN_SENT src=${clientIp} dst=10.96.0.15 sport=41234 dport=80 [UNREPLIED] src=10.4.3.4 dst=${hairpin ? bridgeIp : clientIp} sport=8080 dport=41234 mark=0 use=1`,
    `tcp      6 60 SYN_RECV src=${clientIp} dst=10.96.0.15 sport=41234 dport=80 src=10.4.3.4 dst=${hairpin ? bridgeIp : clientIp} sport=8080 dport=41234 mark=0 use=1`,
  ];
  const b = new StepBuilder<PacketUnit>(STAGES);
  b.table({ id: "nat", title: `nat table on ${node}`, format: "iptables-save", rows: NAT_ROWS });
  b.table({ id: "conntrack", title: `conntrack on ${node}`, format: "conntrack -L", rows: conntrackRows });
  b.table({ id: "routes", title: `routes on ${node}`, format: "ip route", rows: ["default via 10.128.0.1 dev eth0", "10.4.1.0/24 dev cbr0 proto kernel scope link src 10.4.1.1", "10.4.3.0/24 via 10.128.0.6 dev eth0"] });
  b.table({ id: "ipvs", title: "The same Service in IPVS mode", format: "ipvsadm -Ln", rows: IPVS_ROWS });

  const syn = packet({ src: clientIp, srcPort: 41234, dst: "10.96.0.15", dstPort: 80, iface: "eth0" });
  const tracked = { ...syn, ctstate: "NEW" as const, iface: hairpin ? "veth3a1f09c2" : "veth7c02e1aa" };
  const dnatted = { ...tracked, dst: "10.4.3.4", dstPort: 8080 };
  const marked = { ...dnatted, mark: "0x4000" };
  const masqueraded = { ...marked, src: bridgeIp, mark: null, iface: "cbr0" };
  const delivered = hairpin ? masqueraded : { ...dnatted, iface: "eth0" };

  b.add({
    id: "client",
    stage: "client",
    node: { id: "client-pod", kind: "pod", name: `client Pod ${clientIp}`, place: node },
    in: null,
    out: syn,
    events: [{ type: "send", text: `The client opens a TCP connection to my-server's cluster IP 10.96.0.15:80.` }],
    sub: [],
    tables: [],
  });

  const request: SubStep[] = [
    { kind: "conntrack", label: "conntrack: no entry for this tuple", detail: "A new connection: conntrack creates an unconfirmed entry.", taken: true, unit: tracked },
    { kind: "hook", label: "nat PREROUTING", detail: "The packet arrives from the Pod's veth; the nat table's PREROUTING chain runs.", taken: true, ref: { table: "nat", row: 1 } },
    rule(13, true, "No match conditions but the comment: every packet jumps to KUBE-SERVICES.", "jump"),
    { kind: "chain", label: "KUBE-SERVICES", detail: "One rule per Service port, tried in order.", taken: true, ref: { table: "nat", row: 10 } },
    rule(24, false, "Not matched: destination 10.96.0.15 is not 10.96.0.10 (and the protocol is tcp, not udp)."),
    rule(25, true, "Matched: destination 10.96.0.15, tcp, port 80 — jump to the Service's chain.", "jump"),
    { kind: "chain", label: "KUBE-SVC-V2OKYYMBY3REGZOG", detail: "default/my-server:http: pick one of two endpoints.", taken: true, ref: { table: "nat", row: 12 } },
    rule(27, false, `Not matched: source ${clientIp} is inside the cluster's Pod range 10.4.0.0/14, so no masquerade mark here.`),
    rule(28, false, "statistic --probability 0.50000000000: drew 0.7316, not below 0.5, so this endpoint is skipped.", "draw"),
    rule(29, true, "The last rule has no condition: it catches everything the draws skipped.", "jump"),
    { kind: "chain", label: "KUBE-SEP-IT2ZTR26TO4XFPTO", detail: "The endpoint 10.4.3.4:8080.", taken: true, ref: { table: "nat", row: 9 } },
    hairpin
      ? rule(22, true, "Matched: the source is the endpoint itself (hairpin), so the packet must be masqueraded.", "jump")
      : rule(22, false, `Not matched: source ${clientIp} is not the endpoint 10.4.3.4.`),
    ...(hairpin ? [rule(16, true, "Sets bit 0x4000 of the packet mark: KUBE-POSTROUTING will masquerade it.", "mark", { ...tracked, mark: "0x4000" })] : []),
    rule(23, true, "DNAT: the destination is rewritten in place to 10.4.3.4:8080 and recorded in the conntrack entry.", "dnat", hairpin ? marked : dnatted),
    { kind: "hook", label: "nat POSTROUTING", detail: "After routing, the nat table's POSTROUTING chain runs.", taken: true, ref: { table: "nat", row: 4 } },
    rule(15, true, "Every packet jumps to KUBE-POSTROUTING.", "jump"),
    hairpin
      ? rule(17, false, "Not matched: the packet carries mark 0x4000, so it does not return early.", "return")
      : rule(17, true, "Matched: no 0x4000 mark, so no masquerade — RETURN.", "return"),
    ...(hairpin
      ? [
          rule(18, true, "Clears the 0x4000 bit so the mark does not leak to other tables.", "mark", { ...marked, mark: null }),
          rule(19, true, `MASQUERADE: the source is rewritten in place to ${bridgeIp}, cbr0's address, so the reply comes back through this node.`, "snat", masqueraded),
        ]
      : []),
    { kind: "conntrack", label: "conntrack: entry confirmed", detail: "The entry is confirmed with its original and reply tuples.", taken: true, ref: { table: "conntrack", row: 1 } },
  ];
  b.add({
    id: "netfilter-request",
    stage: "node",
    node: { id: `${node}-netfilter`, kind: "node-netfilter", name: `${node} netfilter (iptables mode)`, place: node },
    in: syn,
    out: hairpin ? masqueraded : dnatted,
    events: [{ type: "dnat", text: "kube-proxy's rules rewrote 10.96.0.15:80 to 10.4.3.4:8080." }],
    sub: request,
    tables: ["nat", "conntrack"],
  });

  if (hairpin) {
    b.add({
      id: "bridge",
      stage: "fabric",
      node: { id: "node-b-bridge", kind: "bridge", name: "node-b cbr0 (hairpin)", place: "node-b" },
      in: masqueraded,
      out: delivered,
      events: [{ type: "forward", text: "The bridge sends the packet back out of the port it came in on (hairpin mode)." }],
      sub: [],
      tables: [],
    });
  } else {
    b.add({
      id: "route",
      stage: "fabric",
      node: { id: "node-a-routing", kind: "node-routing", name: "node-a routing", place: "node-a" },
      in: dnatted,
      out: delivered,
      events: [{ type: "forward", text: "10.4.3.0/24 is node-b's Pod range: out of eth0 towards 10.128.0.6." }],
      sub: [{ kind: "route", label: "ip route get 10.4.3.4", detail: "10.4.3.4 via 10.128.0.6 dev eth0", taken: true, ref: { table: "routes", row: 2 } }],
      tables: ["routes"],
    });
  }

  const synAck = packet({ src: "10.4.3.4", srcPort: 8080, dst: hairpin ? bridgeIp : clientIp, dstPort: 41234, payload: "SYN-ACK", ctstate: "ESTABLISHED", iface: "eth0" });
  b.add({
    id: "server",
    stage: "server",
    node: { id: "server-pod", kind: "pod", name: "my-server Pod 10.4.3.4", place: "node-b" },
    in: delivered,
    out: synAck,
    events: [{ type: "deliver", text: "The Pod sees a connection to its own address, port 8080." }],
    sub: [],
    tables: [],
  });

  const unDnat = { ...synAck, src: "10.96.0.15", srcPort: 80 };
  const unNat = hairpin ? { ...unDnat, dst: clientIp } : unDnat;
  b.add({
    id: "netfilter-reply",
    stage: "reply",
    node: { id: `${node}-netfilter`, kind: "node-netfilter", name: `${node} netfilter (reply)`, place: node },
    in: synAck,
    out: unNat,
    events: [{ type: "conntrack", text: "The reply matches the entry's reply tuple; the translation is reversed." }],
    sub: [
      { kind: "conntrack", label: "conntrack: reply tuple matches", detail: "The SYN-ACK matches the entry's reply direction; the entry leaves UNREPLIED.", taken: true, ref: { table: "conntrack", row: 2 } },
      { kind: "dnat", label: "reverse DNAT", detail: "The source is rewritten in place back to 10.96.0.15:80 — no iptables rule runs for an established connection.", taken: true, unit: unDnat },
      ...(hairpin ? [{ kind: "snat", label: "reverse MASQUERADE", detail: `The destination is rewritten back from ${bridgeIp} to ${clientIp}.`, taken: true, unit: unNat }] : []),
    ],
    tables: ["conntrack"],
  });
  b.add({
    id: "client-reply",
    stage: "reply",
    node: { id: "client-pod", kind: "pod", name: `client Pod ${clientIp}`, place: node },
    in: unNat,
    out: null,
    events: [{ type: "deliver", text: "The client sees the answer come from the address it dialled." }],
    sub: [],
    tables: [],
  });
  return b.build({
    scenario: "clusterip",
    input: { client },
    seed,
    model: null,
    outcome: {
      status: "delivered",
      at: "server",
      summary: `The SYN reached my-server's Pod 10.4.3.4:8080 through DNAT on ${node}; the reply came back as 10.96.0.15:80.`,
    },
  });
}

/** A conntrack table row count helper for assertions. */
export const conntrackTable = (trace: Trace): DecisionTable => trace.tables.find((t) => t.id === "conntrack")!;
