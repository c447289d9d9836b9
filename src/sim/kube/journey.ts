import { StepBuilder, type DecisionTable, type Stage, type Step, type SubStep, type TableRef, type Trace } from "../core/trace";
import { InputError } from "../net/errors";
import { formatPacketUnit, type PacketUnit } from "../net/packet-unit";
import { ephemeralPort, seededRandom } from "../random";
import { ConntrackTable, familyOfText, formatAddress, formatConntrack, formatHostPort, formatStep, parseIptablesSave, walkPacket, type ConntrackEntry, type Family, parseAddress, type PacketAfter, type PacketSpec, type Ruleset, type TableName, type Walk, type WalkStep } from "../netfilter/index";

import { cidrContains, parseCIDRSloppy, parseIPSloppy } from "./iptables/ip";
import type { ClusterState, Pod } from "./model";
import { netfilterHost, nodeIptablesSave, rulesetFor } from "./proxy";
import { otherModes } from "./mode-tables";
import { nodeHost, nodePrimaryAddress, thisNode } from "./node-host";

/**
 * One connection's first packet and its reply through a cluster, built from the kube modules'
 * stage functions: the client, the netfilter walk on the node where the packet enters (kube-proxy's
 * rules, rule by rule), the Pod network between nodes, the netfilter walk on the endpoint's node,
 * the server Pod, and the reply that conntrack un-NATs on the way back.
 *
 * Every decision comes from the models: the rules are what `kube-proxy` writes for each node, the
 * walk is the netfilter model's, the endpoint is the seeded `statistic` draw, the reply translation
 * is the conntrack entry the forward walk created. Nothing in the trace is typed by hand.
 */
export const JOURNEY_STAGES: readonly Stage[] = [
  { id: "dns", title: "DNS", summary: "The client resolves the Service name to its ClusterIP." },
  { id: "client", title: "Client", summary: "The client opens a connection to the Service address." },
  { id: "load-balancer", title: "Load balancer", summary: "A cloud load balancer picks a node." },
  { id: "entry-node", title: "Node netfilter (kube-proxy rules)", summary: "The node where the packet enters walks kube-proxy's rules: DNAT to an endpoint, maybe a masquerade mark." },
  { id: "pod-network", title: "Pod network", summary: "The packet is routed to the endpoint's node: Pod ranges are VPC alias ranges, no tunnel." },
  { id: "endpoint-node", title: "Endpoint's node", summary: "The endpoint's node forwards the packet to the Pod's veth." },
  { id: "server", title: "Server Pod", summary: "The Pod receives the packet and answers." },
  { id: "reply", title: "The reply", summary: "The reply retraces the path; conntrack reverses each translation." },
];

export type JourneyClient =
  | { readonly kind: "pod"; readonly namespace: string; readonly name: string; readonly ip: string; readonly node: string }
  | { readonly kind: "external"; readonly ip: string; readonly name: string };

export interface JourneySpec {
  readonly state: ClusterState;
  readonly client: JourneyClient;
  /** The node whose netfilter the packet enters first (the client Pod's node, or where a load balancer sent it). */
  readonly entryNode: string;
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly dst: string;
  readonly dstPort: number;
  readonly seed: number;
  /** A DNS name the client resolved to `dst` first (ClusterIP Services), or null. */
  readonly dnsName: string | null;
  /** A load balancer in front of the nodes, drawn as its own step. */
  readonly loadBalancer: { readonly name: string; readonly why: string } | null;
  readonly payload: string;
  /** A named wrong model (see JOURNEY_MODELS), or null for the real behaviour. */
  readonly model: JourneyModel | null;
}

/**
 * Wrong models: what the trace would be if a common misconception were true. The interview engine
 * compares a learner's answer with these to name the misconception; a lab can show one beside the
 * real trace. Each is applied consistently by the same builder, not typed as a separate story.
 */
export const JOURNEY_MODELS = {
  "no-conntrack":
    "Replies find their way back by their addresses alone: nothing remembers the translation, so nothing reverses it.",
  "nodeport-keeps-client":
    "Traffic to a NodePort or a load balancer address reaches the Pod with the client's own source address: no node masquerades it, so the Pod answers the client directly.",
} as const;
export type JourneyModel = keyof typeof JOURNEY_MODELS;

const unit = (p: PacketSpec, extra: Partial<PacketUnit> = {}): PacketUnit => ({
  kind: "packet",
  protocol: p.protocol,
  src: p.src,
  srcPort: p.srcPort,
  dst: p.dst,
  dstPort: p.dstPort,
  mark: null,
  ctstate: null,
  iface: null,
  payload: "",
  ...extra,
});

function withClientPod(state: ClusterState, client: JourneyClient): ClusterState {
  if (client.kind !== "pod") return state;
  if (state.pods.some((p) => p.metadata.namespace === client.namespace && p.metadata.name === client.name)) return state;
  // A client Pod the manifests do not list (it is selected by no Service): added so its node has a veth
  // and a /32 route for it, as the CNI would have created.
  const pod: Pod = {
    kind: "Pod",
    metadata: { name: client.name, namespace: client.namespace, labels: { app: "client" } },
    nodeName: client.node,
    hostNetwork: false,
    podIPs: [client.ip],
    phase: "Running",
    ready: true,
    terminating: false,
    ports: [],
  };
  return { ...state, pods: [...state.pods, pod] };
}

/**
 * Which node owns an address: a Pod's node (from Pods, then EndpointSlices), a node's own address, or
 * the node whose Pod range holds it (the VPC routes each node's podCIDR to that node, so a Pod the
 * manifests do not list still gets its replies on its node).
 */
function ownerNode(state: ClusterState, ip: string): string | null {
  const pod = state.pods.find((p) => p.podIPs.includes(ip) && p.nodeName);
  if (pod) return pod.nodeName;
  for (const slice of state.endpointSlices) {
    for (const ep of slice.endpoints) if (ep.addresses.includes(ip) && ep.nodeName) return ep.nodeName;
  }
  const byAddress = state.nodes.find((n) => n.addresses.some((a) => a.address === ip));
  if (byAddress) return byAddress.metadata.name;
  const parsed = parseIPSloppy(ip);
  if (!parsed) return null;
  const inRange = state.nodes.find((n) => n.podCIDRs.some((text) => {
    const cidr = parseCIDRSloppy(text);
    return cidr !== null && cidrContains(cidr, parsed);
  }));
  return inRange?.metadata.name ?? null;
}

/**
 * The rule kube-proxy writes first in a Service's KUBE-EXT chain under externalTrafficPolicy: Cluster
 * (proxier.go: "masquerade traffic for … external destinations"): every packet arriving at a node
 * port, a load balancer address or an external IP is marked for MASQUERADE. The "nodeport-keeps-client"
 * model is exactly this rule's absence.
 */
const EXTERNAL_MASQUERADE = /^(-A KUBE-EXT-\S+ .*--comment "masquerade traffic for \S+ external destinations" -j KUBE-MARK-MASQ)$/gm;

/**
 * A node's rules as the trace's model has them: kube-proxy's own, or — under "nodeport-keeps-client" —
 * the same text with the external-masquerade rules commented out, so every other row keeps its line
 * (the sub-steps point at rows) and the table shows what the model leaves out.
 */
interface NodeRules {
  readonly text: string;
  readonly ruleset: Ruleset;
  /** Rules the model commented out (0 for the real rules). */
  readonly removed: number;
}
function nodeRules(nodeState: ClusterState, model: JourneyModel | null, family: Family): NodeRules {
  const real = nodeIptablesSave(nodeState, family);
  if (model !== "nodeport-keeps-client") return { text: real, ruleset: rulesetFor(nodeState, "iptables", family).ruleset, removed: 0 };
  let removed = 0;
  const text = real.replace(EXTERNAL_MASQUERADE, (rule: string) => {
    removed++;
    return `# ${rule}   <- left out by the wrong model "nodeport-keeps-client"`;
  });
  return removed === 0 ? { text: real, ruleset: rulesetFor(nodeState, "iptables", family).ruleset, removed } : { text, ruleset: parseIptablesSave(text, family), removed };
}

/**
 * The node's rules as its packet's family meets them: the IPv4 proxier's `iptables-save`, or the IPv6
 * proxier's `ip6tables-save` (same syntax, so the same table format and the same chain view).
 */
function rulesTable(nodeState: ClusterState, rules: NodeRules, family: Family): DecisionTable {
  const node = nodeState.nodeName;
  const tool = family === "IPv6" ? "ip6tables-save" : "iptables-save";
  const title = rules.removed ? `${tool} on ${node}, as the wrong model imagines it` : `${tool} on ${node}`;
  return { id: `iptables@${node}`, title, format: "iptables-save", rows: rules.text.replace(/\n$/, "").split("\n") };
}

/**
 * A walk's steps as the lab's sub-steps. Each points at the row of the rules it was decided against —
 * a rule at its own line; a hook or a policy at its chain's declaration (which carries the policy);
 * a jump, a target or a verdict at the rule that fired it; a return at the rule that jumped in — and
 * each step that changed the packet (a translation, a mark, the conntrack state, the route's device)
 * carries the packet as it stands after it.
 */
function subSteps(steps: readonly WalkStep[], table: string, ruleset: Ruleset, start: PacketUnit): SubStep[] {
  const declaration = (tableName: TableName, chain: string): TableRef | undefined => {
    const line = ruleset.tables[tableName]?.chains.get(chain)?.line;
    return line == null ? undefined : { table, row: line - 1 };
  };
  let packet = start;
  let firing: TableRef | undefined;
  const callers: (TableRef | undefined)[] = [];
  const changed = (next: PacketUnit): PacketUnit | undefined => {
    const same = next.src === packet.src && next.srcPort === packet.srcPort && next.dst === packet.dst && next.dstPort === packet.dstPort &&
      next.mark === packet.mark && next.ctstate === packet.ctstate && next.iface === packet.iface;
    if (same) return undefined;
    packet = next;
    return next;
  };
  const applied = (after: PacketAfter | undefined) =>
    after && changed({ ...packet, src: after.src, srcPort: after.srcPort, dst: after.dst, dstPort: after.dstPort, mark: after.mark === 0 ? null : `0x${after.mark.toString(16)}`, ctstate: after.ctstate });
  return steps.map((s): SubStep => {
    const label = formatStep(s);
    const withUnit = (sub: SubStep, unit: PacketUnit | undefined): SubStep => (unit ? { ...sub, unit } : sub);
    switch (s.kind) {
      case "rule": {
        const draw = s.draw ? ` (statistic: draw ${s.draw.value} against ${s.draw.threshold}, probability ${s.draw.probability})` : "";
        const detail = s.matched ? `matched${draw}` : `not matched: ${s.failed ?? "no match"}${draw}`;
        const ref = { table, row: s.line - 1 };
        if (s.matched) firing = ref;
        return { kind: s.draw ? "draw" : "rule", label: s.text, detail, taken: s.matched, ref };
      }
      case "hook": {
        callers.length = 0;
        const ref = declaration(s.table, s.hook);
        return { kind: "hook", label: `${s.table} ${s.hook}`, detail: label, taken: true, ...(ref ? { ref } : {}) };
      }
      case "skip": {
        const ref = declaration(s.table, s.hook);
        return { kind: "skip", label: `${s.table} ${s.hook}`, detail: s.reason, taken: false, ...(ref ? { ref } : {}) };
      }
      case "jump":
        // A jump comes back to the rule after its caller; a goto (-g) does not.
        if (!s.goto) callers.push(firing);
        return { kind: "jump", label: `${s.from} → ${s.to}`, detail: label, taken: true, ...(firing ? { ref: firing } : {}) };
      case "return": {
        const ref = callers.pop();
        return { kind: "return", label: `${s.from} → ${s.to}`, detail: label, taken: true, ...(ref ? { ref } : {}) };
      }
      case "policy": {
        const ref = declaration(s.table, s.chain);
        return { kind: "policy", label: `${s.table} ${s.chain} policy ${s.policy}`, detail: label, taken: true, ...(ref ? { ref } : {}) };
      }
      case "target": {
        const kind = s.target.startsWith("DNAT") ? "dnat" : s.target.startsWith("MARK") ? "mark" : s.target.startsWith("MASQUERADE") ? "masquerade" : s.target.startsWith("SNAT") ? "snat" : "target";
        return withUnit({ kind, label: s.target, detail: s.detail, taken: true, ...(firing ? { ref: firing } : {}) }, applied(s.after));
      }
      case "verdict":
        return { kind: "verdict", label: s.verdict, detail: label, taken: true, ...(firing ? { ref: firing } : {}) };
      case "route":
        return withUnit({ kind: "route", label: `route to ${s.destination}`, detail: label, taken: true }, s.device ? changed({ ...packet, iface: s.device }) : undefined);
      case "conntrack":
        return withUnit({ kind: "conntrack", label: `conntrack ${s.action}`, detail: s.detail, taken: true }, applied(s.after));
    }
  });
}

function conntrackTable(node: string, entries: readonly ConntrackEntry[], suffix = ""): DecisionTable {
  return { id: `conntrack@${node}${suffix}`, title: `conntrack -L on ${node}`, format: "conntrack -L", rows: entries.map(formatConntrack) };
}

/** Builds the journey's trace. @throws InputError when the client or destination do not fit the cluster */
export function journeyTrace(scenario: string, input: unknown, spec: JourneySpec): Trace<PacketUnit> {
  // One packet has one family, and the kernel shows it only to that family's rules: an IPv6 packet
  // walks the IPv6 proxier's ip6tables rules on every node, is routed by the nodes' IPv6 routes (a
  // local Pod's /128 to its veth, ::/0 out of eth0) and is masqueraded to the node's IPv6 address.
  const family = familyOfText(spec.client.ip);
  if (familyOfText(spec.dst) !== family) {
    throw new InputError(spec.dst, `the client ${spec.client.ip} is ${family} and the destination ${familyOfText(spec.dst)}; one connection has one family (a dual-stack Service has a cluster IP of each)`);
  }
  // conntrack and the walk print IPv6 in canonical form (RFC 5952); the client's socket is compared with it.
  const client: JourneyClient = family === "IPv6" ? { ...spec.client, ip: formatAddress(parseAddress(spec.client.ip, family)) } : spec.client;
  spec = { ...spec, client };
  const state = withClientPod(spec.state, spec.client);
  thisNode(state, spec.entryNode);
  const random = seededRandom(spec.seed);
  const srcPort = ephemeralPort(random);
  const b = new StepBuilder<PacketUnit>(JOURNEY_STAGES);
  const first: PacketSpec = { protocol: spec.protocol, src: spec.client.ip, srcPort, dst: spec.dst, dstPort: spec.dstPort };
  const add = (step: Omit<Step, "in" | "out"> & { in: PacketUnit | null; out: PacketUnit | null }) => b.add(step);
  const clientNode = { id: "client", kind: spec.client.kind === "pod" ? "pod" : "host", name: spec.client.kind === "pod" ? `Pod ${spec.client.namespace}/${spec.client.name} (${spec.client.ip})` : `${spec.client.name} (${spec.client.ip})` };

  if (spec.dnsName) {
    add({
      id: "dns", stage: "dns", node: { id: "kube-dns", kind: "dns-server", name: "kube-dns (CoreDNS)" }, in: null, out: null,
      events: [{ type: "dns-answer", text: `${spec.dnsName} → ${family === "IPv6" ? "AAAA" : "A"} ${spec.dst}: the Service's ClusterIP, a virtual address no interface holds. The query itself went to kube-dns's own ClusterIP and through the same kind of DNAT.` }],
      sub: [], tables: [],
    });
  }
  const sent = unit(first, { ctstate: null, iface: spec.client.kind === "pod" ? "eth0" : null, payload: spec.payload });
  add({
    id: "client", stage: "client", node: clientNode, in: null, out: sent,
    events: [{ type: "send", text: `Sends ${formatPacketUnit(sent)} (${spec.payload}); the source port is an ephemeral port from 32768–60999.` }],
    sub: [], tables: [],
  });
  if (spec.loadBalancer) {
    add({
      id: "load-balancer", stage: "load-balancer", node: { id: "load-balancer", kind: "l4-lb", name: spec.loadBalancer.name }, in: sent, out: sent,
      events: [{ type: "lb-select", text: spec.loadBalancer.why }], sub: [], tables: [],
    });
  }

  // The entry node: kube-proxy's rules decide the endpoint.
  // One state object per node, so the rules text and its parse are computed once and shared.
  const perNode = new Map<string, ClusterState>();
  const onNode = (name: string) => perNode.get(name) ?? perNode.set(name, { ...state, nodeName: name }).get(name)!;
  const entryState = onNode(spec.entryNode);
  const entryHost = netfilterHost(nodeHost(entryState));
  const entryRules = nodeRules(entryState, spec.model, family);
  const entryTable = b.table(rulesTable(entryState, entryRules, family));
  const entryConntrack = new ConntrackTable();
  const walk: Walk = walkPacket(entryRules.ruleset, first, entryHost, { seed: spec.seed, conntrack: entryConntrack });
  if (walk.conntrack) entryConntrack.update(walk.conntrack);
  const entryCt = b.table(conntrackTable(spec.entryNode, walk.conntrack ? [walk.conntrack] : []));
  const alternatives = otherModes(entryState, first, spec.seed);
  const alternativeTables = alternatives.tables.map((t) => b.table(t));
  const entryOut = walk.packetOut
    ? // KUBE-POSTROUTING clears the 0x4000 mark before MASQUERADE, and a mark never leaves the host: the
      // packet on the wire carries none (the mark sub-steps show where it was set and cleared).
      unit(walk.packetOut, { ctstate: "NEW", iface: walk.delivery?.device ?? null, payload: spec.payload })
    : null;
  const dropped = walk.verdict === "DROP" || walk.verdict === "REJECT" || !walk.packetOut;
  const translation = walk.chosen
    ? `DNAT to ${walk.chosen}, chosen from ${walk.candidates.length} candidate${walk.candidates.length === 1 ? "" : "s"} (${walk.candidates.join(", ")})`
    : walk.verdict === "NONE" ? "no kube-proxy rule translated it" : walk.verdict;
  add({
    id: `netfilter-${spec.entryNode}`, stage: "entry-node",
    node: { id: `node-${spec.entryNode}`, kind: "node-netfilter", name: `Node ${spec.entryNode} netfilter` },
    in: sent, out: dropped ? null : entryOut,
    events: [
      { type: "walk", text: `${translation}; ${walk.rulesEvaluated} rules evaluated.` },
      ...(walk.masquerade ? [{ type: "masquerade", text: `MASQUERADE in nat POSTROUTING: the source becomes ${walk.packetOut?.src}, the node's own address, so the reply comes back through this node.` }] : []),
      ...(walk.conntrack ? [{ type: "conntrack", text: `conntrack entry: ${formatConntrack(walk.conntrack)}` }] : []),
      ...(entryRules.removed && walk.steps.some((s) => s.kind === "jump" && s.to.startsWith("KUBE-EXT-"))
        ? [{ type: "wrong-model", text: `Wrong model "nodeport-keeps-client": the rule that marks external traffic for masquerade in KUBE-EXT is left out (commented in the table), so ${walk.masquerade ? "only another rule's mark masquerades this packet" : "the packet leaves with the client's address"}.` }]
        : []),
      ...alternatives.events,
    ],
    sub: subSteps(walk.steps, entryTable, entryRules.ruleset, sent),
    tables: [entryTable, entryCt, ...alternativeTables],
  });
  if (dropped || !walk.packetOut) {
    return b.build({
      scenario, input, seed: spec.seed, model: spec.model,
      outcome: { status: walk.verdict === "NONE" ? "DROP" : walk.verdict, at: `netfilter-${spec.entryNode}`, summary: `Node ${spec.entryNode} ${walk.verdict === "REJECT" ? "rejects" : "drops"} the packet: ${lastReason(walk)}` },
    });
  }

  // Where does the translated packet go? A local Pod's veth, or across the VPC to another node.
  const target = walk.packetOut;
  const endpointNode = ownerNode(state, target.dst);
  if (endpointNode === null) throw new InputError(target.dst, "no Pod or node in the manifests has this address, so the trace cannot follow it");
  let atServer = entryOut!;
  let backendWalk: Walk | null = null;
  const backendConntrack = new ConntrackTable();
  if (endpointNode !== spec.entryNode) {
    const entryNodeObj = thisNode(state, spec.entryNode);
    const endpointNodeObj = thisNode(state, endpointNode);
    const podRange = family === "IPv6"
      ? `${endpointNode}'s IPv6 Pod range, which belongs to that VM's network interface`
      : `${endpointNode}'s Pod range, an alias IP range of that VM`;
    add({
      id: "vpc", stage: "pod-network", node: { id: "vpc", kind: "vpc", name: "VPC network (Andromeda)" }, in: entryOut, out: entryOut,
      events: [{ type: "route", text: `${target.dst} lies in ${podRange}: the VPC routes it from ${nodePrimaryAddress(entryNodeObj, family)} to ${nodePrimaryAddress(endpointNodeObj, family)} without encapsulation or NAT.` }],
      sub: [], tables: [],
    });
    const endpointState = onNode(endpointNode);
    const endpointRules = nodeRules(endpointState, spec.model, family);
    const table = b.table(rulesTable(endpointState, endpointRules, family));
    backendWalk = walkPacket(endpointRules.ruleset, target, netfilterHost(nodeHost(endpointState)), { seed: spec.seed, conntrack: backendConntrack });
    if (backendWalk.conntrack) backendConntrack.update(backendWalk.conntrack);
    const ct = b.table(conntrackTable(endpointNode, backendWalk.conntrack ? [backendWalk.conntrack] : []));
    atServer = unit(backendWalk.packetOut ?? target, { ctstate: "NEW", iface: backendWalk.delivery?.device ?? null, payload: spec.payload });
    add({
      id: `netfilter-${endpointNode}`, stage: "endpoint-node", node: { id: `node-${endpointNode}`, kind: "node-netfilter", name: `Node ${endpointNode} netfilter` },
      in: entryOut, out: backendWalk.packetOut ? atServer : null,
      events: [{ type: "walk", text: `The destination is already a Pod address: none of kube-proxy's Service rules match (${backendWalk.rulesEvaluated} rules evaluated), and the packet is forwarded to the Pod's veth unchanged. This node keeps its own conntrack entry, without NAT.` }],
      sub: subSteps(backendWalk.steps, table, endpointRules.ruleset, entryOut!), tables: [table, ct],
    });
  }
  const serverPod = state.pods.find((p) => p.podIPs.includes(target.dst));
  const serverName = serverPod ? `Pod ${serverPod.metadata.namespace}/${serverPod.metadata.name} (${target.dst})` : `Endpoint ${target.dst}`;
  const reply: PacketSpec = { protocol: target.protocol, src: target.dst, srcPort: target.dstPort, dst: target.src, dstPort: target.srcPort };
  const replyUnit = unit(reply, { ctstate: "ESTABLISHED", iface: "eth0", payload: "reply" });
  add({
    id: "server", stage: "server", node: { id: "server", kind: "pod", name: serverName }, in: atServer, out: replyUnit,
    events: [{
      type: "deliver",
      text: `Receives ${formatPacketUnit(atServer)}: the destination is its own address (${walk.chosen ? `DNAT happened on ${spec.entryNode}` : "the sender addressed the Pod directly"}); the source it sees is ${target.src}${walk.masquerade ? ", the entry node's address — masquerade hid the client" : ", the client's own address"}.`,
    }],
    sub: [], tables: [],
  });

  // The reply: each node's conntrack entry turns it back.
  let replyPacket = reply;
  if (backendWalk) {
    const endpointState = onNode(endpointNode);
    const endpointRules = nodeRules(endpointState, spec.model, family);
    const back = walkPacket(endpointRules.ruleset, reply, netfilterHost(nodeHost(endpointState)), { seed: spec.seed, conntrack: backendConntrack });
    add({
      id: `reply-${endpointNode}`, stage: "reply", node: { id: `node-${endpointNode}-reply`, kind: "node-netfilter", name: `Node ${endpointNode} netfilter (reply)` },
      in: replyUnit, out: back.packetOut ? unit(back.packetOut, { ctstate: "ESTABLISHED", payload: "reply" }) : null,
      events: [{ type: "conntrack", text: "The reply belongs to a known connection: nat rules are not consulted; nothing to translate on this node." }],
      sub: subSteps(back.steps, `iptables@${endpointNode}`, endpointRules.ruleset, replyUnit), tables: [`iptables@${endpointNode}`, `conntrack@${endpointNode}`],
    });
    if (back.packetOut) replyPacket = back.packetOut;
  }
  // The reply is routed by its destination. It comes back through the entry node when it is addressed
  // there — the node's own address after a masquerade, or a client Pod on that node. Addressed to a
  // client outside the cluster, it leaves the endpoint's node straight for the client, and the entry
  // node's conntrack entry (the only record of the DNAT) never sees it: what happens to a NodePort
  // packet that was not masqueraded and landed on a Pod on another node.
  const viaEntry = !backendWalk || ownerNode(state, replyPacket.dst) === spec.entryNode;
  // Under "no-conntrack" the entry node has no record of the connection: the reply is a new packet
  // to the nat rules, which match nothing for a Pod's source address.
  const backEntry = viaEntry
    ? walkPacket(entryRules.ruleset, replyPacket, entryHost, { seed: spec.seed, conntrack: spec.model === "no-conntrack" ? new ConntrackTable() : entryConntrack })
    : null;
  const restored: PacketSpec | null = backEntry ? backEntry.packetOut : replyPacket;
  const restoredUnit = restored ? unit(restored, { ctstate: "ESTABLISHED", iface: backEntry?.delivery?.device ?? null, payload: "reply" }) : null;
  const matchesSocket = restored !== null && restored.src === first.dst && restored.srcPort === first.dstPort && restored.dst === first.src && restored.dstPort === first.srcPort;
  if (backEntry) {
    const replyIn = unit(replyPacket, { ctstate: "ESTABLISHED", payload: "reply" });
    add({
      id: `reply-${spec.entryNode}`, stage: "reply", node: { id: `node-${spec.entryNode}-reply`, kind: "node-netfilter", name: `Node ${spec.entryNode} netfilter (reply)` },
      in: replyIn, out: restoredUnit,
      events: [{
        type: "un-nat",
        text: !restored
          ? "The reply was not delivered."
          : matchesSocket
            ? walk.chosen || walk.masquerade
              ? `conntrack matches the reply tuple of the entry the request created and reverses the translation: the reply leaves as ${formatPacketUnit(restored)}, so the client sees the address it connected to.`
              : `conntrack matches the entry the request created; nothing was translated, so the reply leaves unchanged as ${formatPacketUnit(restored)}.`
            : `Nothing on this node remembers the connection, so the reply is a new packet to the rules; no rule matches a Pod's source address, and it leaves untranslated as ${formatPacketUnit(restored)}.`,
      }],
      sub: subSteps(backEntry.steps, entryTable, entryRules.ruleset, replyIn), tables: [entryTable, entryCt],
    });
  } else {
    add({
      id: "reply-route", stage: "reply", node: { id: "vpc-reply", kind: "vpc", name: "VPC network (Andromeda), the reply" }, in: restoredUnit, out: restoredUnit,
      events: [{
        type: "route",
        text: `The reply is addressed to ${replyPacket.dst}, which is not ${spec.entryNode}'s: it leaves ${endpointNode} straight for the client as ${formatPacketUnit(replyPacket)}. ${spec.entryNode}, whose conntrack entry holds the DNAT, never sees it, so nothing turns its source back into ${formatHostPort(spec.dst, spec.dstPort)}.`,
      }],
      sub: [], tables: [],
    });
  }
  if (restoredUnit) {
    add({
      id: "client-receives", stage: "reply", node: { ...clientNode, id: "client-reply" }, in: restoredUnit, out: null,
      events: [
        matchesSocket
          ? { type: "deliver", text: `The reply matches the client's socket: ${formatHostPort(spec.dst, spec.dstPort)} answered, as far as the client can tell.` }
          : { type: "reset", text: `The client connected to ${formatHostPort(spec.dst, spec.dstPort)}; a reply from ${formatHostPort(restoredUnit.src, restoredUnit.srcPort)} matches no socket, so its kernel answers with a TCP reset and the connection never opens.` },
      ],
      sub: [], tables: [],
    });
  }
  if (!matchesSocket) {
    return b.build({
      scenario, input, seed: spec.seed, model: spec.model,
      outcome: {
        status: "reset",
        at: restoredUnit ? "client-receives" : `reply-${spec.entryNode}`,
        summary: viaEntry
          ? "The reply comes back from the Pod's own address, which the client never connected to: the connection fails."
          : `The reply leaves ${endpointNode} straight for the client from the Pod's own address, bypassing ${spec.entryNode}, which did the DNAT: the client never connected to that address, and the connection fails.`,
      },
    });
  }
  return b.build({
    scenario, input, seed: spec.seed, model: spec.model,
    outcome: {
      status: "delivered",
      at: "server",
      summary: walk.chosen
        ? `Delivered to ${serverName}${endpointNode !== spec.entryNode ? ` on ${endpointNode}` : ""} after DNAT on ${spec.entryNode}${walk.masquerade ? " and masquerade" : ""}; conntrack un-NATs the reply.`
        : `Delivered to ${serverName} with no address translation on the way: the destination was already the Pod's address.`,
    },
  });
}

function lastReason(walk: Walk): string {
  for (let i = walk.steps.length - 1; i >= 0; i--) {
    const s = walk.steps[i]!;
    if (s.kind === "rule" && s.matched) return s.text;
    if (s.kind === "policy") return `${s.chain} policy ${s.policy}`;
  }
  return walk.verdict === "NONE" ? "no route or rule delivered it" : walk.verdict;
}
