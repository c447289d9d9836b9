/**
 * What kube-proxy works out about its node and configuration before the first sync
 * (cmd/kube-proxy/app/server.go, server_linux.go; pkg/proxy/util/localdetector.go,
 * nodeport_addresses.go): the node IP per family, the local-traffic detector, and which local
 * addresses NodePorts answer on.
 */
import type { ClusterState } from "../model";
import {
  cidrContains,
  compareIPs,
  isLoopback,
  parseCIDRSloppy,
  parseIPSloppy,
  type Family,
  type ParsedCIDR,
  type ParsedIP,
} from "./ip";

/**
 * Facts about the node's host that kube-proxy probes at run time and the cluster model does not
 * hold. Defaults describe a current Linux node.
 */
export interface KubeProxyHostOptions {
  /** iptables and the kernel support `MASQUERADE --random-fully` (iptables ≥ 1.6.2). Default true. */
  readonly randomFully?: boolean;
  /** nfacct counters could be created (nfnetlink_acct present), so the metric rules appear. Default true. */
  readonly nfacct?: boolean;
  /** `net.netfilter.nf_conntrack_tcp_be_liberal` is set: no INVALID-drop rule. Default false. */
  readonly conntrackTCPBeLiberal?: boolean;
  /**
   * The node's interface addresses (what NodePorts with `nodePortAddresses` can bind). Default: the
   * loopback addresses plus the Node's InternalIP and ExternalIP addresses.
   */
  readonly localAddresses?: readonly string[];
  /**
   * The literal mark text. kube-proxy derives it from masqueradeBit with Go's `%#08x`
   * ("0x00004000"); its unit tests' NewFakeProxier hardcodes "0x4000", so conformance sets this.
   */
  readonly masqueradeMark?: string;
}

/** kube-proxy's local-traffic detector: match arguments for "from a local pod" and its negation. */
export interface LocalDetector {
  readonly implemented: boolean;
  readonly ifLocal: string;
  readonly ifNotLocal: string;
}

const NO_OP: LocalDetector = { implemented: false, ifLocal: "", ifNotLocal: "" };

function byCIDR(cidr: string): LocalDetector {
  return { implemented: true, ifLocal: `-s ${cidr}`, ifNotLocal: `! -s ${cidr}` };
}

/** The first CIDR of `family` in a list (`MapCIDRsByIPFamily(...)[family][0].String()`). */
function firstCIDROf(list: readonly string[], family: Family): ParsedCIDR | null {
  for (const raw of list) {
    const c = parseCIDRSloppy(raw.trim());
    if (c && c.family === family) return c;
  }
  return null;
}

/**
 * `getLocalDetectors` (server_linux.go). "" reads as ClusterCIDR (v1alpha1 defaulting); ClusterCIDR
 * with no CIDR of this family gives the no-op detector, so nothing is masqueraded by source.
 */
export function localDetectorFor(state: ClusterState, family: Family): LocalDetector {
  const cfg = state.proxyConfig;
  const mode: string = cfg.detectLocalMode === ("" as string) ? "ClusterCIDR" : cfg.detectLocalMode;
  switch (mode) {
    case "ClusterCIDR": {
      const c = firstCIDROf(cfg.clusterCIDR === "" ? [] : cfg.clusterCIDR.split(","), family);
      return c ? byCIDR(c.text) : NO_OP;
    }
    case "NodeCIDR": {
      const node = state.nodes.find((n) => n.metadata.name === state.nodeName);
      const c = node ? firstCIDROf(node.podCIDRs, family) : null;
      return c ? byCIDR(c.text) : NO_OP;
    }
    case "BridgeInterface": {
      const i = cfg.detectLocal.bridgeInterface;
      return { implemented: true, ifLocal: `-i ${i}`, ifNotLocal: `! -i ${i}` };
    }
    case "InterfaceNamePrefix": {
      const p = cfg.detectLocal.interfaceNamePrefix;
      return { implemented: true, ifLocal: `-i ${p}+`, ifNotLocal: `! -i ${p}+` };
    }
    default:
      return NO_OP;
  }
}

/**
 * The node IP kube-proxy uses for `family` (`utilnode.GetNodeHostIPs`: InternalIPs first, then
 * ExternalIPs; the first of each family). With none, kube-proxy falls back to the loopback address.
 */
export function nodeIPFor(state: ClusterState, family: Family): ParsedIP {
  const node = state.nodes.find((n) => n.metadata.name === state.nodeName);
  const addrs = node?.addresses ?? [];
  for (const type of ["InternalIP", "ExternalIP"] as const) {
    for (const a of addrs) {
      if (a.type !== type) continue;
      const ip = parseIPSloppy(a.address);
      if (ip && ip.family === family) return ip;
    }
  }
  return parseIPSloppy(family === "IPv4" ? "127.0.0.1" : "::1")!;
}

/** `proxyutil.NodePortAddresses` for one family. */
export interface NodePortAddresses {
  readonly matchAll: boolean;
  readonly cidrs: readonly ParsedCIDR[];
  readonly containsIPv4Loopback: boolean;
}

/**
 * `NewNodePortAddresses`, after server.go has expanded "primary" to the node IPs (/32 and /128).
 * CIDRs of the other family are dropped; none left of this family means 0.0.0.0/0 or ::/0 (match all).
 */
export function nodePortAddressesFor(state: ClusterState, family: Family): NodePortAddresses {
  let strings = [...state.proxyConfig.nodePortAddresses];
  if (strings.length === 1 && strings[0] === "primary") {
    strings = [];
    for (const f of ["IPv4", "IPv6"] as const) {
      const ip = nodeIPFor(state, f);
      if (!isLoopback(ip)) strings.push(`${ip.text}/${f === "IPv4" ? 32 : 128}`);
    }
  }
  const ofFamily = strings.filter((s) => parseCIDRSloppy(s.trim())?.family === family);
  // No CIDR of this family means every address of it, even when the other family has some (as
  // nodeport_addresses.go says: "even if there are CIDRs of the other family").
  const given = ofFamily.length > 0 ? ofFamily : [family === "IPv4" ? "0.0.0.0/0" : "::/0"];
  const cidrs: ParsedCIDR[] = [];
  let matchAll = false;
  let containsIPv4Loopback = false;
  const loop4 = parseIPSloppy("127.0.0.1")!;
  for (const s of given) {
    const c = parseCIDRSloppy(s.trim());
    if (!c) continue;
    if (c.family === "IPv4" && (c.network[0] === 127 || cidrContains(c, loop4))) containsIPv4Loopback = true;
    if (c.prefix === 0) {
      // A zero CIDR makes every other entry irrelevant (`IsZeroCIDR` → matchAll).
      matchAll = true;
      cidrs.splice(0, cidrs.length, c);
      break;
    }
    cidrs.push(c);
  }
  return { matchAll, cidrs, containsIPv4Loopback };
}

/** The node's interface addresses: the option, or loopback plus the Node's IPs. */
export function localAddressesFor(state: ClusterState, options: KubeProxyHostOptions): ParsedIP[] {
  const node = state.nodes.find((n) => n.metadata.name === state.nodeName);
  const raw =
    options.localAddresses ??
    ["127.0.0.1", "::1", ...(node?.addresses ?? []).filter((a) => a.type === "InternalIP" || a.type === "ExternalIP").map((a) => a.address)];
  const seen = new Map<string, ParsedIP>();
  for (const r of raw) {
    const ip = parseIPSloppy(r);
    if (ip) seen.set(ip.text, ip);
  }
  return [...seen.values()];
}

/**
 * `NodePortAddresses.GetNodeIPs`: the local addresses inside the CIDRs. Go collects them in a map, so
 * its order varies from sync to sync; here they are sorted by address.
 */
export function nodePortIPs(npa: NodePortAddresses, local: readonly ParsedIP[]): ParsedIP[] {
  return local.filter((ip) => npa.cidrs.some((c) => cidrContains(c, ip))).sort(compareIPs);
}

/** Go's `fmt.Sprintf("%#08x", 1<<bit)`: zero-padded to 8 hex digits, then "0x" in front. */
export function masqueradeMarkFor(bit: number): string {
  return "0x" + (2 ** bit).toString(16).padStart(8, "0");
}
