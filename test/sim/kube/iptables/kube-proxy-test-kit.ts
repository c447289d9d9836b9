/**
 * Ports of the helpers kube-proxy's pkg/proxy/iptables/proxier_test.go uses: NewFakeProxier's
 * environment as a ClusterState, makeTestService/makeTestEndpointSlice, sortIPTablesRules (with the
 * parts of pkg/util/iptables/testing/parse.go it relies on), and the packet tracer behind
 * runPacketFlowTests.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { ClusterState, Endpoint, EndpointSlice, Service } from "../../../../src/sim/kube/model";
import type { KubeProxyHostOptions } from "../../../../src/sim/kube/iptables";

export const testNodeName = "test-node";
export const testNodeIP = "192.168.0.2";
export const testNodeIPAlt = "192.168.1.2";
export const testExternalIP = "192.168.99.11";
export const testNodeIPv6 = "2001:db8::1";
export const testNodeIPv6Alt = "2001:db8:1::2";
export const testExternalClient = "203.0.113.2";
export const testExternalClientBlocked = "203.0.113.130";
export const testNodeIPs = [testNodeIP, testNodeIPAlt, testExternalIP, testNodeIPv6, testNodeIPv6Alt];

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
export type ServiceDraft = Mutable<Service>;
export type SliceDraft = Mutable<EndpointSlice>;

/** makeTestService: a Service with Go's zero values, then the test's edits. */
export function makeTestService(namespace: string, name: string, edit: (svc: ServiceDraft) => void): Service {
  const svc: ServiceDraft = {
    kind: "Service",
    metadata: { name, namespace, labels: {} },
    type: "ClusterIP",
    clusterIP: null,
    clusterIPs: [],
    ipFamilies: [],
    selector: null,
    ports: [],
    sessionAffinity: "None",
    sessionAffinityTimeoutSeconds: null,
    externalTrafficPolicy: null,
    internalTrafficPolicy: "Cluster",
    loadBalancerSourceRanges: [],
    externalIPs: [],
    healthCheckNodePort: null,
    externalName: null,
    loadBalancerIngress: [],
  };
  edit(svc);
  return svc;
}

/** A service port with Go's zero values for the fields a test leaves out. */
export function port(p: { name: string; port: number; protocol?: "TCP" | "UDP" | "SCTP"; nodePort?: number; targetPort?: number }) {
  return { name: p.name, protocol: p.protocol ?? "TCP", port: p.port, targetPort: p.targetPort ?? 0, nodePort: p.nodePort ?? null, appProtocol: null };
}

/** An endpoint; conditions left nil in Go read as ready, serving, not terminating. */
export function ep(address: string, extra: { nodeName?: string | null; ready?: boolean; serving?: boolean; terminating?: boolean } = {}): Endpoint {
  return {
    addresses: [address],
    conditions: { ready: extra.ready ?? true, serving: extra.serving ?? true, terminating: extra.terminating ?? false },
    nodeName: extra.nodeName ?? null,
    zone: null,
    hostname: null,
    targetRef: null,
  };
}

/** makeTestEndpointSlice: "<name>-<n>" labelled with the service name. */
export function makeTestEndpointSlice(namespace: string, name: string, sliceNum: number, edit: (eps: SliceDraft) => void): EndpointSlice {
  const eps: SliceDraft = {
    kind: "EndpointSlice",
    metadata: { name: `${name}-${sliceNum}`, namespace, labels: { "kubernetes.io/service-name": name } },
    serviceName: name,
    addressType: "IPv4",
    ports: [],
    endpoints: [],
  };
  edit(eps);
  return eps;
}

/** One port of an EndpointSlice. */
export function slicePort(name: string, p: number, protocol: "TCP" | "UDP" | "SCTP" = "TCP") {
  return { name, protocol, port: p, appProtocol: null };
}

/** What NewFakeProxier sets that a ClusterState cannot: the host facts of its fake iptables. */
export const fakeHost: KubeProxyHostOptions = {
  // iptablestest.NewFake() reports no --random-fully; NewFakeProxier marks both nfacct counters present.
  randomFully: false,
  nfacct: true,
  conntrackTCPBeLiberal: false,
  masqueradeMark: "0x4000",
  // The fake network: lo (127.0.0.1/8, ::1/128) and eth0 with the test node IPs.
  localAddresses: ["127.0.0.1", "::1", ...testNodeIPs],
};

export interface FakeProxierOptions {
  readonly masqueradeAll?: boolean;
  /** false: proxyutil.NewNoOpLocalDetector(). */
  readonly localDetector?: boolean;
  readonly localhostNodePorts?: boolean;
  readonly nodePortAddresses?: readonly string[];
}

/** NewFakeProxier's world as a ClusterState: node test-node, pod CIDR 10.0.0.0/8 (fd00:10::/64). */
export function fakeState(services: readonly Service[], slices: readonly EndpointSlice[], opts: FakeProxierOptions = {}): ClusterState {
  return {
    services,
    endpointSlices: slices,
    pods: [],
    nodes: [
      {
        kind: "Node",
        metadata: { name: testNodeName, namespace: "", labels: {} },
        addresses: [
          { type: "InternalIP", address: testNodeIP },
          { type: "InternalIP", address: testNodeIPv6 },
        ],
        podCIDRs: [],
      },
    ],
    proxyConfig: {
      kind: "KubeProxyConfiguration",
      mode: "iptables",
      clusterCIDR: opts.localDetector === false ? "" : "10.0.0.0/8,fd00:10::/64",
      detectLocalMode: "ClusterCIDR",
      detectLocal: { bridgeInterface: "", interfaceNamePrefix: "" },
      hostnameOverride: "",
      nodePortAddresses: opts.nodePortAddresses ?? [],
      iptables: { masqueradeBit: 14, masqueradeAll: opts.masqueradeAll ?? false, localhostNodePorts: opts.localhostNodePorts ?? true },
      ipvs: { scheduler: "", strictARP: false },
    },
    nodeName: testNodeName,
  };
}

/** A fixture's text without its `#` provenance lines. */
export function loadFixture(name: string): string {
  const path = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n")
    .replace(/^\n+/, "");
}

// ---- parse.go (the parts sortIPTablesRules and the tracer need) ----

export interface ParsedValue {
  readonly value: string;
  readonly negated: boolean;
}

export interface ParsedRule {
  readonly raw: string;
  readonly chain: string;
  readonly comment?: ParsedValue;
  readonly sourceAddress?: ParsedValue;
  readonly sourceType?: ParsedValue;
  readonly destinationAddress?: ParsedValue;
  readonly destinationType?: ParsedValue;
  readonly protocol?: ParsedValue;
  readonly destinationPort?: ParsedValue;
  readonly jump?: ParsedValue;
  readonly affinityCheck?: ParsedValue;
  readonly markCheck?: ParsedValue;
  readonly ctStateCheck?: ParsedValue;
  readonly dnatDestination?: ParsedValue;
  readonly probability?: ParsedValue;
}

interface ParsedChain {
  name: string;
  rules: ParsedRule[];
  deleted: boolean;
}
interface ParsedTable {
  name: string;
  chains: ParsedChain[];
}

function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") { i++; continue; }
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      out.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = line.indexOf(" ", i);
      if (end < 0) end = line.length;
      out.push(line.slice(i, end));
      i = end;
    }
  }
  return out;
}

const FLAGS: Record<string, keyof ParsedRule> = {
  "--comment": "comment",
  "-s": "sourceAddress",
  "--source": "sourceAddress",
  "--src-type": "sourceType",
  "-d": "destinationAddress",
  "--destination": "destinationAddress",
  "--dst-type": "destinationType",
  "-p": "protocol",
  "--protocol": "protocol",
  "--dport": "destinationPort",
  "--destination-port": "destinationPort",
  "-j": "jump",
  "--jump": "jump",
  "--rcheck": "affinityCheck",
  "--mark": "markCheck",
  "--ctstate": "ctStateCheck",
  "--to-destination": "dnatDestination",
  "--probability": "probability",
};

/** iptablestest.ParseRule, reduced to the fields used here. */
export function parseRule(raw: string): ParsedRule {
  const t = tokenize(raw);
  const rule: Record<string, unknown> = { raw, chain: t[1] };
  for (let i = 2; i < t.length; i++) {
    let negated = false;
    let flag = t[i]!;
    if (flag === "!") { negated = true; flag = t[++i]!; }
    const field = FLAGS[flag];
    if (!field) continue;
    if (field === "affinityCheck") { rule[field] = { value: "", negated }; continue; }
    rule[field] = { value: t[++i] ?? "", negated };
  }
  return rule as unknown as ParsedRule;
}

/** iptablestest.ParseIPTablesDump. */
export function parseIPTablesDump(data: string): ParsedTable[] {
  const tables: ParsedTable[] = [];
  let table: ParsedTable | null = null;
  for (const line of data.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) { table = { name: line.slice(1), chains: [] }; tables.push(table); continue; }
    if (line === "COMMIT") { table = null; continue; }
    if (!table) throw new Error(`line outside a table: ${line}`);
    if (line.startsWith(":")) { table.chains.push({ name: line.slice(1).split(" ")[0]!, rules: [], deleted: false }); continue; }
    if (line.startsWith("-A ")) {
      const rule = parseRule(line);
      const chain = table.chains.find((c) => c.name === rule.chain);
      if (!chain) throw new Error(`rule for undeclared chain: ${line}`);
      chain.rules.push(rule);
      continue;
    }
    if (line.startsWith("-X ")) {
      const chain = table.chains.find((c) => c.name === line.slice(3));
      if (!chain) throw new Error(`deleting undeclared chain: ${line}`);
      chain.deleted = true;
      continue;
    }
    throw new Error(`unparsable line: ${line}`);
  }
  return tables;
}

function dumpString(tables: readonly ParsedTable[]): string {
  let out = "";
  for (const t of tables) {
    out += `*${t.name}\n`;
    for (const c of t.chains) out += `:${c.name} - [0:0]\n`;
    for (const c of t.chains) for (const r of c.rules) out += `${r.raw}\n`;
    for (const c of t.chains) if (c.deleted) out += `-X ${c.name}\n`;
    out += "COMMIT\n";
  }
  return out;
}

function commentServiceName(rule: ParsedRule): string | null {
  if (!rule.comment) return null;
  const v = rule.comment.value;
  const i = v.search(/[ :]/);
  return i === -1 ? v : v.slice(0, i);
}

/** orderByCommentServiceName, as a comparator for a stable sort. */
function byCommentServiceName(a: ParsedRule, b: ParsedRule): number {
  const n1 = commentServiceName(a);
  const n2 = commentServiceName(b);
  if (n1 === null || n2 === null) return 0;
  return n1 < n2 ? -1 : n1 > n2 ? 1 : 0;
}

function chainRank(name: string): [number, string] {
  if (name === "KUBE-NODEPORTS") return [0, ""];
  if (name === "KUBE-SERVICES") return [1, ""];
  return [name.startsWith("KUBE-") ? 2 : 3, name];
}

/** sortIPTablesRules: order independent of Service iteration, keeping related rules in order. */
export function sortIPTablesRules(ruleData: string): string {
  const tables = parseIPTablesDump(ruleData);
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of tables) {
    t.chains.sort((a, b) => {
      const [ra, na] = chainRank(a.name);
      const [rb, nb] = chainRank(b.name);
      return ra !== rb ? ra - rb : na < nb ? -1 : na > nb ? 1 : 0;
    });
    for (const c of t.chains) {
      if (c.name === "KUBE-NODEPORTS" || (c.name === "KUBE-SERVICES" && t.name === "filter")) {
        c.rules.sort(byCommentServiceName); // Array.prototype.sort is stable, like sort.SliceStable.
      } else if (c.name === "KUBE-SERVICES" && t.name === "nat") {
        const last = (r: ParsedRule) => r.comment !== undefined && r.comment.value.includes("must be the last rule");
        c.rules.sort((a, b) => (last(a) && !last(b) ? 1 : last(b) && !last(a) ? -1 : last(a) ? 0 : byCommentServiceName(a, b)));
      }
    }
  }
  return dumpString(tables);
}

/** assertIPTablesRulesEqual (without the consistency check, which checkRuleJumps covers). */
export function expectRulesEqual(expected: string, result: string): void {
  expect(sortIPTablesRules(result.replace(/^[ \t\n]+/, ""))).toBe(expected.replace(/^[ \t\n]+/, ""));
}

/** The raw rules of one chain (assertIPTablesChainEqual's `result`). */
export function chainRules(data: string, table: string, chain: string): string {
  const t = parseIPTablesDump(data).find((x) => x.name === table);
  const c = t?.chains.find((x) => x.name === chain);
  return c ? c.rules.map((r) => r.raw + "\n").join("") : "";
}

/** checkIPTablesRuleJumps: every jump and -A targets a created chain; no empty or unused chains. */
export function checkRuleJumps(data: string): string | null {
  const builtinTargets = new Set(["ACCEPT", "REJECT", "DROP", "MARK", "RETURN", "DNAT", "SNAT", "MASQUERADE"]);
  for (const t of parseIPTablesDump(data)) {
    const created = new Set(t.chains.filter((c) => !c.deleted).map((c) => c.name));
    const filled = new Set(t.chains.filter((c) => c.rules.length > 0).map((c) => c.name));
    const jumped = new Set<string>();
    for (const c of t.chains) for (const r of c.rules) if (r.jump && !builtinTargets.has(r.jump.value)) jumped.add(r.jump.value);
    for (const j of jumped) if (!created.has(j)) return `${t.name}: jump to uncreated ${j}`;
    for (const j of jumped) if (!filled.has(j) && j !== "KUBE-NODEPORTS") return `${t.name}: jump to empty ${j}`;
    const fixed = ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-FORWARD", "KUBE-MARK-MASQ", "KUBE-PROXY-FIREWALL", "KUBE-FIREWALL"];
    for (const c of created) if (!jumped.has(c) && !fixed.includes(c)) return `${t.name}: unused chain ${c}`;
  }
  return null;
}

// ---- the packet tracer (tracePacket / runPacketFlowTests) ----

function ipToBigInt(ip: string): { v6: boolean; n: bigint } {
  if (!ip.includes(":")) return { v6: false, n: ip.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  const [l, r] = ip.split("::") as [string, string | undefined];
  const left = l ? l.split(":") : [];
  const right = r !== undefined && r !== "" ? r.split(":") : [];
  const groups = r === undefined ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return { v6: true, n: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function addressMatches(address: ParsedValue, ip: string): boolean {
  let matches: boolean;
  const a = ipToBigInt(ip);
  if (address.value.includes("/")) {
    const [net, bits] = address.value.split("/") as [string, string];
    const b = ipToBigInt(net);
    const width = a.v6 ? 128n : 32n;
    const shift = width - BigInt(Number(bits));
    matches = a.v6 === b.v6 && a.n >> shift === b.n >> shift;
  } else {
    const b = ipToBigInt(address.value);
    matches = a.v6 === b.v6 && a.n === b.n;
  }
  return address.negated ? !matches : matches;
}

const valueMatches = (v: ParsedValue, s: string): boolean => (v.value === s) !== v.negated;

export interface PacketFlowTest {
  readonly name: string;
  readonly sourceIP: string;
  readonly protocol?: "TCP" | "UDP" | "SCTP";
  readonly destIP: string;
  readonly destPort: number;
  readonly output: string;
  readonly masq?: boolean;
}

/** tracePacket over an iptables-save dump: the endpoints/targets reached and whether it is masqueraded. */
export function tracePacket(dump: string, sourceIP: string, protocol: string, destIP: string, destPort: string, nodeIPs: readonly string[]) {
  const tables = parseIPTablesDump(dump);
  const localIPs = new Set(["127.0.0.1", "::1", ...nodeIPs]);
  const outputs: string[] = [];
  const matches: string[] = [];
  let markMasq = false;
  const ruleMatches = (r: ParsedRule, dst: string): boolean => {
    if (r.sourceAddress && !addressMatches(r.sourceAddress, sourceIP)) return false;
    if (r.sourceType && !valueMatches(r.sourceType, localIPs.has(sourceIP) ? "LOCAL" : "not-matched")) return false;
    if (r.protocol && !valueMatches(r.protocol, protocol)) return false;
    if (r.destinationAddress && !addressMatches(r.destinationAddress, dst)) return false;
    if (r.destinationType && !valueMatches(r.destinationType, localIPs.has(dst) ? "LOCAL" : "not-matched")) return false;
    if (r.destinationPort && !valueMatches(r.destinationPort, destPort)) return false;
    // Rules that depend on past state (affinity, marks, conntrack) never match a fresh packet.
    return !(r.affinityCheck || r.markCheck || r.ctStateCheck);
  };
  const runChain = (table: string, chain: string, dst: string): boolean => {
    const c = tables.find((t) => t.name === table)?.chains.find((x) => x.name === chain);
    if (!c) return false;
    for (const r of c.rules) {
      if (!r.jump || !ruleMatches(r, dst)) continue;
      matches.push(r.raw);
      const target = r.jump.value;
      if (target === "KUBE-MARK-MASQ") { markMasq = true; continue; }
      if (target === "ACCEPT" || target === "REJECT" || target === "DROP") { outputs.push(target); return true; }
      if (target === "DNAT") { outputs.push(r.dnatDestination!.value); return true; }
      if (runChain(table, target, dst) && !r.probability) return true;
    }
    return false;
  };
  runChain("nat", "PREROUTING", destIP);
  let dst = destIP;
  if (outputs.length > 0) dst = outputs[0]!.split(":")[0]!;
  for (const chain of ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"]) runChain("filter", chain, dst);
  return { matches, output: outputs.join(", "), masq: markMasq };
}

/** runPacketFlowTests: the output and masquerade expectations of each case. */
export function runPacketFlowTests(dump: string, nodeIPs: readonly string[], cases: readonly PacketFlowTest[]): void {
  for (const tc of cases) {
    const protocol = (tc.protocol ?? "TCP").toLowerCase();
    const got = tracePacket(dump, tc.sourceIP, protocol, tc.destIP, String(tc.destPort), nodeIPs);
    expect({ name: tc.name, output: got.output, masq: got.masq }, got.matches.join("\n")).toEqual({
      name: tc.name,
      output: tc.output,
      masq: tc.masq ?? false,
    });
  }
}
