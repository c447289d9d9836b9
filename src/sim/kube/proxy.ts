import { InputError } from "../net/errors";
import { parsePort } from "../net/ports";
import { ephemeralPort, seededRandom } from "../random";
import {
  compileHost,
  familyOfText,
  formatAddress,
  formatConntrack,
  formatHostPort,
  formatStep,
  parseAddress,
  parseIptablesSave,
  walkPacket,
  type ConntrackEntry,
  type Family,
  type HostContext,
  type HostModel,
  type PacketSpec,
  type Ruleset,
  type Walk,
  type WalkOptions,
  type WalkStep,
} from "../netfilter/index";
import { ebpfLookup, ebpfServiceMaps } from "./ebpf/index";
import { kubeProxyIptables } from "./iptables/index";
import { asKernelSaves } from "./iptables/kernel-form";
import { hasIpv6, ipvsLookup, kubeProxyIpvs, kubeProxyIpvsNode, type IpvsNodeTables, type KubeProxyIpvsResult } from "./ipvs/index";
import { formatProblem, loadManifests, type ManifestFile } from "./manifest/index";
import type { ClusterState } from "./model";
import { nodeHost, type NodeHost } from "./node-host";

/**
 * What `npm run sim -- kube-proxy …` and the paste-your-own lab call: manifests in, the node's rules
 * or one packet's walk out. Joins the manifest loader, the kube-proxy rule writers (iptables, IPVS),
 * the eBPF service maps, and the netfilter model that walks a packet through the written rules.
 */
export type ProxyMode = "iptables" | "ipvs" | "ebpf";

export interface KubeProxyRulesResult {
  readonly mode: "iptables" | "ipvs";
  readonly node: string;
  /**
   * iptables-save text (iptables mode), or `ipvsadm -Ln` followed by the ipsets and the iptables rules
   * IPVS mode writes — on a node with IPv6, one IPVS table holding both families, both proxiers'
   * sets (KUBE-… and KUBE-6-…), then the IPv4 rules and the IPv6 proxier's ip6tables rules.
   */
  readonly text: string;
  readonly iptablesSave: string;
  /** The IPv6 proxier's rules as `ip6tables-save` prints them; null on a node without IPv6 (see ipvs/node.ts `hasIpv6`). */
  readonly ip6tablesSave: string | null;
  readonly ipvsadm: string | null;
  readonly ipsetSave: string | null;
  readonly ruleCount: number;
  readonly warnings: readonly string[];
}

export interface PacketTarget {
  /** An IPv4 or IPv6 address; the packet's family picks the node's iptables or ip6tables rules. */
  readonly src: string;
  /** "IP:PORT" (IPv6 as "[addr]:port"). */
  readonly dst: string;
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly seed: number;
  readonly mode: ProxyMode;
  /** The source port; by default a seeded ephemeral port (32768–60999). */
  readonly srcPort?: number;
}

/** The JSON contract of `kube-proxy trace`: `verdict`, `candidates`, `chosen`, `masquerade`, `steps`, and more. */
export interface KubeProxyWalkResult {
  readonly mode: ProxyMode;
  readonly node: string;
  readonly packet: { readonly protocol: string; readonly src: string; readonly srcPort: number; readonly dst: string; readonly dstPort: number };
  /** Where the kernel starts the packet: OUTPUT for the node's own addresses and loopback, PREROUTING otherwise. */
  readonly entry: "OUTPUT" | "PREROUTING";
  readonly verdict: "DNAT" | "ACCEPT" | "DROP" | "REJECT" | "NONE";
  /** "ip:port", IPv6 as "[addr]:port" (as kube-proxy writes `--to-destination`). */
  readonly candidates: readonly string[];
  readonly chosen: string | null;
  readonly masquerade: boolean;
  readonly steps: readonly WalkStep[];
  /** Each step in one line, as the CLI prints it. */
  readonly stepText: readonly string[];
  readonly rulesEvaluated: number;
  readonly packetOut: { readonly src: string; readonly srcPort: number; readonly dst: string; readonly dstPort: number } | null;
  /** The connection as `conntrack -L` would print it after this packet. */
  readonly conntrack: string | null;
  /** IPVS and eBPF modes: the service lookup after (or instead of) the rules. */
  readonly lookup: readonly { readonly what: string; readonly detail: string }[];
  readonly warnings: readonly string[];
}

const savedRules = new WeakMap<ClusterState, Map<string, string>>();

/**
 * The node's iptables rules as `iptables-save` prints them on a real node after kube-proxy's sync
 * (kube-proxy's restore input as the kernel gives it back: see iptables/kernel-form.ts). What the CLI
 * prints, what the labs show and what the walk runs on, so every line a learner sees is one they
 * would see on their own node. `family` "IPv6" gives the IPv6 proxier's rules as `ip6tables-save`
 * prints them (kube-proxy runs one proxier per family on a dual-stack node).
 */
export function nodeIptablesSave(state: ClusterState, family: Family = "IPv4"): string {
  let byNode = savedRules.get(state);
  if (!byNode) savedRules.set(state, (byNode = new Map()));
  const key = `${state.nodeName}@${family}`;
  const cached = byNode.get(key);
  if (cached !== undefined) return cached;
  const text = asKernelSaves(kubeProxyIptables(state, family).text, family);
  byNode.set(key, text);
  return text;
}

function load(files: readonly ManifestFile[]): { state: ClusterState; warnings: string[] } {
  const loaded = loadManifests(files);
  return { state: loaded.state, warnings: loaded.warnings.map(formatProblem) };
}

/** The node's rules as kube-proxy writes them. @throws ManifestError for manifests the API server would reject */
export function kubeProxyRules(files: readonly ManifestFile[], mode: "iptables" | "ipvs" = "iptables"): KubeProxyRulesResult {
  const { state, warnings } = load(files);
  const ip6 = hasIpv6(state);
  if (mode === "iptables") {
    const dump = kubeProxyIptables(state);
    const text = nodeIptablesSave(state);
    const ip6tablesSave = ip6 ? nodeIptablesSave(state, "IPv6") : null;
    return { mode, node: state.nodeName, text, iptablesSave: text, ip6tablesSave, ipvsadm: null, ipsetSave: null, ruleCount: dump.ruleCount, warnings };
  }
  const ipvs = ipvsNodeFor(state);
  const ip6tablesSave = ipvs.ipv6?.iptablesSave ?? null;
  const text = [ipvs.ipvsadmLn.trimEnd(), "", ipvs.ipsetSave.trimEnd(), "", ipvs.ipv4.iptablesSave.trimEnd(), "", ...(ip6tablesSave ? [ip6tablesSave.trimEnd(), ""] : [])].join("\n");
  const count = (save: string | null) => (save ?? "").split("\n").filter((l) => l.startsWith("-A ")).length;
  const ruleCount = count(ipvs.ipv4.iptablesSave) + count(ip6tablesSave);
  return { mode, node: state.nodeName, text, iptablesSave: ipvs.ipv4.iptablesSave, ip6tablesSave, ipvsadm: ipvs.ipvsadmLn, ipsetSave: ipvs.ipsetSave, ruleCount, warnings };
}

/**
 * "10.96.0.10:80" or "[fd00:10:96::a]:80" (IPv6 in brackets, as Go's net.JoinHostPort and kube-proxy
 * write it) → the address in canonical form and the port.
 *
 * @example parseHostPort("[FD00:10:96:0::A]:80") // { ip: "fd00:10:96::a", port: 80 }
 * @throws InputError naming the text
 */
export function parseHostPort(text: string): { ip: string; port: number } {
  const trimmed = text.trim();
  // Unbracketed, an IPv6 address's own colons leave no way to tell where the port starts.
  if (!trimmed.startsWith("[") && trimmed.split(":").length > 2) {
    throw new InputError(text, "write an IPv6 destination in brackets, [IP]:PORT, e.g. [fd00:10:96::a]:80");
  }
  const m = /^\[([^\]]+)\]:(.+)$/.exec(trimmed) ?? /^([^:\s[\]]+):(.+)$/.exec(trimmed);
  if (!m) throw new InputError(text, "write the destination as IP:PORT, e.g. 10.96.0.10:80 or [fd00:10:96::a]:80");
  const [, host, port] = m as unknown as [string, string, string];
  let ip: string;
  try {
    ip = formatAddress(parseAddress(host, familyOfText(host)));
  } catch (error) {
    if (error instanceof InputError) throw new InputError(text, error.reason);
    throw error;
  }
  return { ip, port: parsePort(port) };
}

/** The host as the netfilter model needs it: every address and route, of both families on a dual-stack node. */
export function netfilterHost(host: NodeHost): HostContext {
  return {
    localAddresses: [...host.localAddresses],
    interfaces: host.interfaces.map((i) => ({ name: i.name, addresses: [...i.addresses] })),
    routes: host.routes.map((r) => ({ ...r })),
  };
}

/** Rules parsed once per state, mode and family, so a lab stepping the same cluster does not re-parse. */
const parsedRules = new WeakMap<ClusterState, Map<string, { ruleset: Ruleset; ipsets?: Record<string, string[]> }>>();

/**
 * The node's rules for a packet of `family`, parsed: the IPv4 proxier's iptables-save, or the IPv6
 * proxier's ip6tables-save — in iptables mode the full rules, in IPVS mode the few rules IPVS mode
 * keeps, with that proxier's ipsets (KUBE-… or KUBE-6-…).
 */
export function rulesetFor(state: ClusterState, mode: "iptables" | "ipvs", family: Family = "IPv4"): { ruleset: Ruleset; ipsets?: Record<string, string[]> } {
  let byMode = parsedRules.get(state);
  if (!byMode) parsedRules.set(state, (byMode = new Map()));
  const key = `${mode}@${state.nodeName}@${family}`;
  const cached = byMode.get(key);
  if (cached) return cached;
  let entry: { ruleset: Ruleset; ipsets?: Record<string, string[]> };
  if (mode === "iptables") entry = { ruleset: parseIptablesSave(nodeIptablesSave(state, family), family) };
  else {
    const ipvs = ipvsTablesFor(state, family);
    entry = {
      ruleset: parseIptablesSave(walkableIpvsRules(ipvs.iptablesSave, family), family),
      ipsets: Object.fromEntries(ipvs.ipsets.map((s) => [s.name, [...s.entries]])),
    };
  }
  byMode.set(key, entry);
  return entry;
}

/**
 * The rules IPVS mode keeps, in a form the netfilter model can walk. Two matches in them are not in
 * the model's match vocabulary, and for the walk each has an equivalent it does have:
 * - `-m ipvs --vproto P --vaddr A --vport N` (KUBE-IPVS-OUT-FILTER) matches a packet IPVS has taken
 *   for virtual service A:N; the node's own packet to a load-balancer IP reaches filter OUTPUT
 *   still addressed to A:N, so `-d A -p proto --dport N` selects the same packets in the walk;
 * - `-m physdev ! --physdev-is-in` (the external-IP ACCEPT rules) matches packets that did not enter
 *   through a bridge port; the model's node has no bridge ports (Pods sit behind routed veths), so
 *   it always matches and is dropped from the rule.
 * What `kube-proxy rules` prints keeps the real rules; only the walked copy is rewritten.
 */
function walkableIpvsRules(save: string, family: Family): string {
  const prefix = family === "IPv6" ? 128 : 32;
  const names: Record<string, string> = { "6": "tcp", "17": "udp", "132": "sctp" };
  return save
    .replace(/ -m ipvs --vproto (\d+) --vaddr (\S+) --vport (\d+)/g, (_, proto: string, vaddr: string, vport: string) => {
      const p = names[proto] ?? proto;
      return ` -d ${vaddr.includes("/") ? vaddr : `${vaddr}/${prefix}`} -p ${p} -m ${p} --dport ${vport}`;
    })
    .replace(/ -m physdev ! --physdev-is-in/g, "");
}

const ipvsNodes = new WeakMap<ClusterState, IpvsNodeTables>();
const ipvsIpv6Only = new WeakMap<ClusterState, KubeProxyIpvsResult>();
const ebpfMaps = new WeakMap<ClusterState, Map<Family, ReturnType<typeof ebpfServiceMaps>>>();

/** Both IPVS proxiers' tables for a state, built once (a lab stepping one cluster asks many times). */
export function ipvsNodeFor(state: ClusterState): IpvsNodeTables {
  return ipvsNodes.get(state) ?? ipvsNodes.set(state, kubeProxyIpvsNode(state)).get(state)!;
}

/** One IPVS proxier's tables for a state: the IPv4 proxier's, or the IPv6 one's (built once). */
export function ipvsTablesFor(state: ClusterState, family: Family = "IPv4"): KubeProxyIpvsResult {
  const node = ipvsNodeFor(state);
  if (family === "IPv4") return node.ipv4;
  if (node.ipv6) return node.ipv6;
  // A node the model treats as IPv4-only: its IPv6 proxier has nothing, but a packet may still ask.
  return ipvsIpv6Only.get(state) ?? ipvsIpv6Only.set(state, kubeProxyIpvs(state, { family: "IPv6" })).get(state)!;
}

/** The eBPF service maps for a state — lb4, or lb6 for `family` "IPv6" — built once. */
export function ebpfMapsFor(state: ClusterState, family: Family = "IPv4"): ReturnType<typeof ebpfServiceMaps> {
  let byFamily = ebpfMaps.get(state);
  if (!byFamily) ebpfMaps.set(state, (byFamily = new Map()));
  return byFamily.get(family) ?? byFamily.set(family, ebpfServiceMaps(state, family)).get(family)!;
}

/**
 * One packet's walk through the node's rules (and, in IPVS or eBPF mode, the service lookup). An IPv6
 * packet walks the IPv6 proxier's ip6tables rules, and in IPVS mode meets the IPv6 virtual servers;
 * in eBPF mode it is looked up in the lb6 maps.
 */
export function kubeProxyWalk(state: ClusterState, target: PacketTarget, warnings: readonly string[] = []): KubeProxyWalkResult {
  const family = familyOfText(target.src);
  const src = formatAddress(parseAddress(target.src, family));
  const dst = parseHostPort(target.dst);
  if (familyOfText(dst.ip) !== family) {
    throw new InputError(target.dst, `the source ${target.src} is ${family} and the destination ${familyOfText(dst.ip)}; one packet has one family (a dual-stack Service has a cluster IP of each)`);
  }
  const srcPort = target.srcPort ?? ephemeralPort(seededRandom(target.seed ^ 0x9e3779b9));
  const packet = { protocol: target.protocol, src, srcPort, dst: dst.ip, dstPort: dst.port };
  // kube-ipvs0 holds both proxiers' Service addresses on a dual-stack node.
  const host = nodeHost(state, state.nodeName, target.mode === "ipvs" ? ipvsDummyAddresses(state, family) : []);
  const hostContext = netfilterHost(host);
  const hostModel = compileHost(hostContext);
  // The node's own addresses and loopback send from OUTPUT; anything else arrives in PREROUTING.
  const entry = hostModel.isLocal(parseAddress(src, family)) ? "OUTPUT" : "PREROUTING";
  const base = { mode: target.mode, node: state.nodeName, packet, entry, warnings } as const;

  if (target.mode === "ebpf") {
    // Dataplane V2 replaces kube-proxy: no per-Service rules; the tc / socket program looks the
    // Service up in a hash map (see ebpf/). Pod traffic is translated at connect() by socket-LB.
    const fromLocalPod = host.localPods.some(({ pod }) => pod.podIPs.includes(src));
    const result = ebpfLookup(ebpfMapsFor(state, family), packet, { seed: target.seed, socketLb: fromLocalPod });
    return {
      ...base,
      verdict: result.chosen ? "DNAT" : "NONE",
      candidates: result.candidates,
      chosen: result.chosen,
      masquerade: false,
      steps: [],
      stepText: result.steps.map((s) => `${s.what}: ${s.detail}`),
      rulesEvaluated: 0,
      packetOut: result.chosen ? { src, srcPort, ...splitChosen(result.chosen) } : { src, srcPort, dst: dst.ip, dstPort: dst.port },
      conntrack: null,
      lookup: result.steps,
    };
  }

  const { ruleset, ipsets } = rulesetFor(state, target.mode, family);
  const walkOptions = { seed: target.seed, ...(ipsets ? { ipsets } : {}) };
  const walk = walkPacket(ruleset, packet, hostModel, walkOptions);
  const stepText = walk.steps.map(formatStep);
  if (target.mode === "ipvs" && walk.packetOut && walk.verdict !== "DROP" && walk.verdict !== "REJECT") {
    // IPVS hooks LOCAL_IN: the Service address is on kube-ipvs0, so the packet is "for this host" and
    // IPVS rewrites its destination there — after the iptables rules above have marked it for masquerade.
    const ipvs = ipvsLookup(ipvsTablesFor(state, family), packet, { seed: target.seed });
    const chosen = ipvs.chosen;
    const lookupText = ipvs.steps.map((s) => `IPVS ${s.what}: ${s.detail}`);
    const rewritten = chosen ? { src: walk.packetOut.src, srcPort: walk.packetOut.srcPort, ...splitChosen(chosen) } : null;
    // A packet that arrived from elsewhere leaves through LOCAL_OUT and POSTROUTING, where the mark
    // KUBE-MARK-MASQ set becomes a masquerade. One the node sent itself already passed POSTROUTING on
    // its way through lo, where its source NAT was bound: the rules are not consulted for it again.
    const sent = rewritten && entry === "PREROUTING" ? ipvsTransmit(ruleset, hostModel, walkOptions, { protocol: packet.protocol, ...rewritten }, walk) : null;
    return {
      ...base,
      verdict: sent?.verdict ?? (chosen ? "DNAT" : walk.verdict),
      candidates: ipvs.candidates,
      chosen,
      masquerade: walk.masquerade || (sent?.masquerade ?? false),
      steps: [...walk.steps, ...(sent?.steps ?? [])],
      stepText: [...stepText, ...lookupText, ...(sent?.steps.map(formatStep) ?? [])],
      rulesEvaluated: walk.rulesEvaluated + (sent?.rulesEvaluated ?? 0),
      packetOut: sent ? sent.packetOut : (rewritten ?? walk.packetOut),
      conntrack: sent ? sent.conntrack : walk.conntrack ? formatConntrack(walk.conntrack) : null,
      lookup: ipvs.steps,
    };
  }
  return {
    ...base,
    verdict: walk.verdict,
    candidates: walk.candidates,
    chosen: walk.chosen,
    masquerade: walk.masquerade,
    steps: walk.steps,
    stepText,
    rulesEvaluated: walk.rulesEvaluated,
    packetOut: walk.packetOut ? { src: walk.packetOut.src, srcPort: walk.packetOut.srcPort, dst: walk.packetOut.dst, dstPort: walk.packetOut.dstPort } : null,
    conntrack: walk.conntrack ? formatConntrack(walk.conntrack as ConntrackEntry) : null,
    lookup: [],
  };
}

/** What happens to a packet after IPVS rewrote its destination: the rest of its way out of the node. */
interface IpvsTransmit {
  readonly verdict: "DNAT" | "DROP" | "REJECT";
  readonly masquerade: boolean;
  readonly steps: readonly WalkStep[];
  readonly rulesEvaluated: number;
  readonly packetOut: KubeProxyWalkResult["packetOut"];
  readonly conntrack: string | null;
}

/**
 * ip_vs_nat_xmit() sends the rewritten packet on with NF_HOOK(LOCAL_OUT) and dst_output(): it passes
 * raw, mangle and filter OUTPUT, then mangle and nat POSTROUTING — where KUBE-POSTROUTING masquerades
 * it when the skb still carries the 0x4000 mark KUBE-MARK-MASQ set in nat PREROUTING. Its conntrack
 * entry is the one PREROUTING created: kube-proxy turns on net.ipv4.vs.conntrack, so IPVS rewrites
 * that entry's reply tuple to the real server (ip_vs_update_conntrack), and the destination binding
 * made in nat PREROUTING keeps nat OUTPUT's rules out; the source binding is still open, so nat
 * POSTROUTING's rules decide it.
 *
 * The walk starts with the mark the packet carries out of PREROUTING, on the same rules with nat OUTPUT
 * emptied (`withoutNatOutput`).
 */
function ipvsTransmit(ruleset: Ruleset, host: HostModel, options: WalkOptions, packet: PacketSpec, before: Walk): IpvsTransmit {
  const carried = [...before.steps].reverse().find((s): s is Extract<WalkStep, { after?: unknown }> & { after: { mark: number } } => "after" in s && s.after !== undefined)?.after.mark ?? 0;
  // The packet is the node's to send now (it leaves from LOCAL_OUT), whatever its source address.
  const source = parseAddress(packet.src, familyOfText(packet.src));
  const sender: HostModel = { ...host, isLocal: (a) => a === source || host.isLocal(a) };
  const out = walkPacket(withoutNatOutput(ruleset), packet, sender, { ...options, mark: carried });
  const steps = out.steps.flatMap((s, i): WalkStep[] => {
    // The netfilter model's own "first packet" step: this packet's entry was made in PREROUTING.
    if (i === 0 && s.kind === "conntrack") return [];
    if (s.kind === "hook" && s.table === "nat" && s.hook === "OUTPUT") {
      return [{ kind: "skip", hook: "OUTPUT", table: "nat", reason: "IPVS sent the rewritten packet on through LOCAL_OUT; its destination NAT was bound in nat PREROUTING, so nat OUTPUT's rules are not consulted" }];
    }
    if (s.kind === "policy" && s.table === "nat" && s.chain === "OUTPUT") return [];
    if (s.kind === "conntrack" && s.action === "confirm" && before.conntrack && out.conntrack) {
      const r = out.conntrack.reply;
      return [{ kind: "conntrack", action: "confirm", detail: `IPVS updated the connection's reply tuple (net.ipv4.vs.conntrack=1): reply expected from ${formatHostPort(r.src, r.srcPort)} to ${formatHostPort(r.dst, r.dstPort)}` }];
    }
    return [s];
  });
  const discarded = out.verdict === "DROP" || out.verdict === "REJECT" ? out.verdict : null;
  const entry = before.conntrack && out.conntrack ? { ...before.conntrack, reply: out.conntrack.reply } : null;
  return {
    verdict: discarded ?? "DNAT",
    masquerade: out.masquerade,
    steps,
    rulesEvaluated: out.rulesEvaluated,
    packetOut: out.packetOut ? { src: out.packetOut.src, srcPort: out.packetOut.srcPort, dst: out.packetOut.dst, dstPort: out.packetOut.dstPort } : null,
    conntrack: entry && !discarded ? formatConntrack(entry) : null,
  };
}

const natOutputEmptied = new WeakMap<Ruleset, Ruleset>();

/**
 * The same rules with nat OUTPUT holding none (see `ipvsTransmit`): rule texts and lines are the real
 * ones, so the steps point at the rules the node has.
 */
function withoutNatOutput(ruleset: Ruleset): Ruleset {
  const cached = natOutputEmptied.get(ruleset);
  if (cached) return cached;
  const nat = ruleset.tables.nat;
  const output = nat?.chains.get("OUTPUT");
  if (!nat || !output) return ruleset;
  const chains = new Map(nat.chains);
  chains.set("OUTPUT", { ...output, rules: [] });
  const view: Ruleset = { ...ruleset, tables: { ...ruleset.tables, nat: { ...nat, chains } } };
  natOutputEmptied.set(ruleset, view);
  return view;
}

/**
 * kube-ipvs0's addresses as the walk sees them: the IPv4 proxier's for an IPv4 packet (as before
 * IPv6 was modelled), both proxiers' for an IPv6 one.
 */
function ipvsDummyAddresses(state: ClusterState, family: Family): readonly string[] {
  const node = ipvsNodeFor(state);
  return family === "IPv4" ? node.ipv4.dummyInterfaceAddresses : [...node.ipv4.dummyInterfaceAddresses, ...ipvsTablesFor(state, "IPv6").dummyInterfaceAddresses];
}

/** "10.180.0.1:8080" or "[fd00::1]:8080" → address and port. */
function splitChosen(chosen: string): { dst: string; dstPort: number } {
  const i = chosen.lastIndexOf(":");
  return { dst: chosen.slice(0, i).replace(/^\[(.*)\]$/, "$1"), dstPort: Number(chosen.slice(i + 1)) };
}

/** `kube-proxy trace` from manifest files. @throws ManifestError, InputError */
export function kubeProxyTrace(files: readonly ManifestFile[], target: PacketTarget): KubeProxyWalkResult {
  const { state, warnings } = load(files);
  return kubeProxyWalk(state, target, warnings);
}

/** The walk for people: the packet, each step, the verdict. */
export function formatKubeProxyWalk(w: KubeProxyWalkResult): string {
  const p = w.packet;
  const lines = [
    `${p.protocol} ${formatHostPort(p.src, p.srcPort)} → ${formatHostPort(p.dst, p.dstPort)} on node ${w.node} (${w.mode} mode), entering at ${w.entry}`,
    "",
    ...w.stepText.map((s) => `  ${s}`),
    "",
    `verdict: ${w.verdict}${w.chosen ? ` → ${w.chosen}` : ""}`,
    `candidates: ${w.candidates.length ? w.candidates.join(", ") : "none"}`,
    `masquerade: ${w.masquerade ? "yes (source rewritten to the node's address on the way out)" : "no"}`,
    ...(w.mode === "ebpf" ? [] : [`rules evaluated: ${w.rulesEvaluated}`]),
    ...(w.packetOut ? [`leaves as: ${p.protocol} ${formatHostPort(w.packetOut.src, w.packetOut.srcPort)} → ${formatHostPort(w.packetOut.dst, w.packetOut.dstPort)}`] : []),
    ...(w.conntrack ? [`conntrack: ${w.conntrack}`] : []),
  ];
  return lines.join("\n");
}
