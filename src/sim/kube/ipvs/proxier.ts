import { cidrContains, formatCidr, type Cidr } from "../../net/cidr";
import { parseIpv4 } from "../../net/ipv4";
import { cidrContains as goCidrContains, parseCIDRSloppy, parseIPSloppy, type Family } from "../iptables/ip";
import type { ClusterState } from "../model";
import { IPSET_INFO, IpSetBuilder, ipsetSave, setNameFor, type IpSet } from "./ipset";
import { iptablesSave, kubeProxyIpvsRules, type IptablesRule } from "./iptables";
import { compareServices, glibcMsort, ipvsadmLn, type RealServer, type VirtualServer } from "./ipvsadm";
import { categorizeEndpoints, slicesByService } from "../endpoints";
import {
  compareAddresses,
  endpointsFor,
  nodeAddresses,
  servicePorts,
  type EndpointInfo,
  type ServicePortInfo,
} from "./service-ports";

export interface KubeProxyIpvsResult {
  /** Which proxier wrote this: kube-proxy runs one per IP family on a dual-stack node. */
  readonly family: Family;
  /** Sorted as `ipvsadm -Ln` lists them. */
  readonly virtualServers: VirtualServer[];
  readonly ipsets: IpSet[];
  /** The rules this proxier keeps, as `iptables-save` (IPv4) or `ip6tables-save` (IPv6) prints them. */
  readonly iptablesSave: string;
  readonly ipvsadmLn: string;
  readonly ipsetSave: string;
  /** The addresses kube-proxy binds to kube-ipvs0 (the KUBE-IPVS-IPS set), so the node treats them as local. */
  readonly dummyInterfaceAddresses: string[];
  /** The iptables rules behind `iptablesSave`, one object per `-A` line. */
  readonly iptablesRules: IptablesRule[];
  /** The node addresses NodePort virtual servers were created on. */
  readonly nodePortAddresses: string[];
  /** Every address the node treats as local (node IPs, kube-ipvs0 addresses): where IPVS sees packets. */
  readonly localAddresses: string[];
}

/**
 * netutils.ParseCIDRSloppy then IPNet.String(): host bits are masked off, so "10.0.0.1/8" becomes
 * "10.0.0.0/8" — kube-proxy writes the masked block into its ipsets.
 */
export function sloppyCidr(text: string): Cidr {
  const [ip = "", prefixText = "32"] = text.trim().split("/");
  const prefix = Number(prefixText);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (parseIpv4(ip) & mask) >>> 0, prefix };
}

/**
 * LocalTrafficDetector.IfNotLocal() (pkg/proxy/util/localdetector.go) in iptables-save order, or null
 * for the no-op detector (ClusterCIDR mode with no clusterCIDR of this family, NodeCIDR with no
 * podCIDR of it …). server_linux.go getLocalDetectors gives each family's proxier the first CIDR of
 * its family from the comma-separated clusterCIDR ("10.0.0.0/8,fd00:10:244::/56" on a dual-stack node).
 */
function ifNotLocal(state: ClusterState, family: Family): string | null {
  const config = state.proxyConfig;
  const firstOfFamily = (list: readonly string[]): string | null => {
    for (const raw of list) {
      const cidr = parseCIDRSloppy(raw.trim());
      if (cidr && cidr.family === family) return cidr.text;
    }
    return null;
  };
  switch (config.detectLocalMode) {
    case "ClusterCIDR": {
      const cidr = config.clusterCIDR === "" ? null : firstOfFamily(config.clusterCIDR.split(","));
      return cidr ? `! -s ${cidr}` : null;
    }
    case "NodeCIDR": {
      const node = state.nodes.find((n) => n.metadata.name === state.nodeName);
      const cidr = firstOfFamily(node?.podCIDRs ?? []);
      return cidr ? `! -s ${cidr}` : null;
    }
    case "BridgeInterface":
      return config.detectLocal.bridgeInterface !== "" ? `! -i ${config.detectLocal.bridgeInterface}` : null;
    case "InterfaceNamePrefix":
      return config.detectLocal.interfaceNamePrefix !== "" ? `! -i ${config.detectLocal.interfaceNamePrefix}+` : null;
  }
}

/**
 * The node IPs NodePort virtual servers are created on (syncProxyRules "nodeIPs"), for one family's
 * proxier. server.go first turns a lone "primary" into the node IP of each family (/32, /128);
 * NewNodePortAddresses then keeps the CIDRs of this family — and with none left (nothing given, or
 * only the other family's) matches every address, as if "0.0.0.0/0" or "::/0" had been given. With
 * match-all: every node address of the family except kube-ipvs0's, loopback and link-local
 * (netlink isValidForSet); otherwise the node addresses inside the CIDRs, loopback dropped.
 *
 * Simplified: the node's interfaces are its status.addresses (the model's definition of "local");
 * the addresses kube-proxy binds on kube-ipvs0 are never NodePort addresses here.
 */
function nodePortIPs(state: ClusterState, family: Family): string[] {
  const { all } = nodeAddresses(state, family);
  const nonLoopback = all.filter((ip) => {
    const parsed = parseIPSloppy(ip);
    if (!parsed) return false;
    const b = parsed.bytes;
    if (family === "IPv4") return b[0] !== 127;
    const loopback = b.every((x, i) => (i === 15 ? x === 1 : x === 0));
    const linkLocal = b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
    return !loopback && !linkLocal;
  });
  let filters: readonly string[] = state.proxyConfig.nodePortAddresses;
  if (filters.length === 1 && filters[0] === "primary") {
    const expanded: string[] = [];
    for (const f of ["IPv4", "IPv6"] as const) {
      const primary = nodeAddresses(state, f).primary;
      if (primary !== null) expanded.push(`${primary}/${f === "IPv4" ? 32 : 128}`);
    }
    filters = expanded;
  }
  const blocks = filters.map((f) => parseCIDRSloppy(f.trim())).filter((c) => c !== null && c.family === family);
  if (blocks.length === 0 || blocks.some((c) => c!.prefix === 0)) return nonLoopback;
  return nonLoopback.filter((ip) => {
    const parsed = parseIPSloppy(ip)!;
    return blocks.some((c) => goCidrContains(c!, parsed));
  });
}

/**
 * Runs one kube-proxy IPVS sync (pkg/proxy/ipvs/proxier.go syncProxyRules, Kubernetes 1.31) over the
 * cluster state: a virtual server per ClusterIP:port, per external IP, per load-balancer ingress IP
 * and per NodePort on each node address, real servers from the endpoints kube-proxy would pick, the
 * ipsets, the few iptables rules IPVS mode still needs, and the kube-ipvs0 addresses.
 *
 * `options.seed` only fixes the random values a real node would pick itself (each hash ipset's
 * `initval`), so `ipset save` is byte-for-byte reproducible.
 *
 * `options.family` picks the proxier: kube-proxy 1.31 runs an IPv4 and an IPv6 proxier on a
 * dual-stack node (NewDualStackProxier), sharing one IPVS table and one kube-ipvs0 but each with
 * its own sets (KUBE-… / KUBE-6-…, `family inet6`) and its own iptables or ip6tables rules. The
 * IPv6 proxier sees only IPv6 cluster IPs, external IPs, load-balancer IPs, source ranges, node
 * addresses and endpoints.
 *
 * @example
 * const table = kubeProxyIpvs(state);
 * table.ipvsadmLn.split("\n")[3]; // "TCP  10.96.0.10:53 rr"
 * kubeProxyIpvs(state, { family: "IPv6" }).ipsets[1]!.name; // "KUBE-6-CLUSTER-IP"
 */
export function kubeProxyIpvs(state: ClusterState, options: { seed?: number; family?: Family } = {}): KubeProxyIpvsResult {
  const family = options.family ?? "IPv4";
  const config = state.proxyConfig;
  const scheduler = config.ipvs.scheduler === "" ? "rr" : config.ipvs.scheduler;
  const sets = new Map(IPSET_INFO.map((info) => [info.name, new IpSetBuilder(setNameFor(info.name, family), info.type, info.comment, family)]));
  const set = (name: string) => sets.get(name)!;
  const { primary: nodeIP, all: nodeAddressList } = nodeAddresses(state, family);
  const nodeAddressSet = new Set(nodeAddressList);
  const ports = servicePorts(state, family);
  // Each Service port's endpoints, read once from its own slices: both loops below need them.
  const slices = slicesByService(state.endpointSlices);
  const endpointsByPort = new Map<ServicePortInfo, EndpointInfo[]>();
  const endpointsOf = (svc: ServicePortInfo): EndpointInfo[] => {
    let endpoints = endpointsByPort.get(svc);
    if (!endpoints) endpointsByPort.set(svc, (endpoints = endpointsFor(state, svc, slices, family)));
    return endpoints;
  };
  const hasNodePort = ports.some((p) => p.nodePort !== 0);
  const nodeIPs = hasNodePort ? nodePortIPs(state, family) : [];

  interface Pending {
    vs: Omit<VirtualServer, "realServers">;
    svc: ServicePortInfo;
    onlyNodeLocal: boolean;
  }
  const pending: Pending[] = [];
  const bindAddrs = new Set<string>();
  const lbNoNodeAccess: { ip: string; port: number; protocol: string }[] = [];

  for (const svc of ports) {
    const protocol = svc.protocol.toLowerCase();
    const persistentTimeout = svc.stickyMaxAgeSeconds;
    const endpoints = endpointsOf(svc);
    // Hairpin: a local endpoint reaching its own Service must be masqueraded (KUBE-LOOP-BACK).
    for (const ep of endpoints) if (ep.isLocal) set("KUBE-LOOP-BACK").add(`${ep.ip},${protocol}:${ep.port},${ep.ip}`);

    set("KUBE-CLUSTER-IP").add(`${svc.clusterIP},${protocol}:${svc.port}`);
    const base = { protocol: svc.protocol, port: svc.port, scheduler, persistentTimeout, service: svc.name };
    pending.push({ vs: { ...base, address: svc.clusterIP, kind: "ClusterIP" }, svc, onlyNodeLocal: svc.internalPolicyLocal });
    bindAddrs.add(svc.clusterIP);

    for (const externalIP of svc.externalIPs) {
      set(svc.externalPolicyLocal ? "KUBE-EXTERNAL-IP-LOCAL" : "KUBE-EXTERNAL-IP").add(`${externalIP},${protocol}:${svc.port}`);
      pending.push({ vs: { ...base, address: externalIP, kind: "ExternalIP" }, svc, onlyNodeLocal: svc.externalPolicyLocal });
      // "We must not add the address to the dummy device if it exist on another interface."
      if (!nodeAddressSet.has(externalIP)) bindAddrs.add(externalIP);
    }

    for (const ingress of svc.loadBalancerVIPs) {
      const entry = `${ingress},${protocol}:${svc.port}`;
      set("KUBE-LOAD-BALANCER").add(entry);
      if (svc.externalPolicyLocal) set("KUBE-LOAD-BALANCER-LOCAL").add(entry);
      if (svc.loadBalancerSourceRanges.length > 0) {
        set("KUBE-LOAD-BALANCER-FW").add(entry);
        let allowFromNode = false;
        for (const text of svc.loadBalancerSourceRanges) {
          if (family === "IPv4") {
            const cidr = sloppyCidr(text);
            set("KUBE-LOAD-BALANCER-SOURCE-CIDR").add(`${ingress},${protocol}:${svc.port},${formatCidr(cidr)}`);
            if (nodeIP !== null && cidrContains(cidr, parseIpv4(nodeIP))) allowFromNode = true;
          } else {
            // IPNet.String() of the sloppy parse: host bits cleared, RFC 5952 text.
            const cidr = parseCIDRSloppy(text.trim());
            if (!cidr) continue;
            set("KUBE-LOAD-BALANCER-SOURCE-CIDR").add(`${ingress},${protocol}:${svc.port},${cidr.text}`);
            const node = nodeIP === null ? null : parseIPSloppy(nodeIP);
            if (node && goCidrContains(cidr, node)) allowFromNode = true;
          }
        }
        // The node reaches an LB IP locally (it is on kube-ipvs0), so source ranges must let it in
        // explicitly — or, if they exclude it, KUBE-IPVS-OUT-FILTER drops it (kubernetes#119656).
        if (allowFromNode) set("KUBE-LOAD-BALANCER-SOURCE-IP").add(`${ingress},${protocol}:${svc.port},${ingress}`);
        else lbNoNodeAccess.push({ ip: ingress, port: svc.port, protocol });
      }
      pending.push({ vs: { ...base, address: ingress, kind: "LoadBalancer" }, svc, onlyNodeLocal: svc.externalPolicyLocal });
      if (!nodeAddressSet.has(ingress)) bindAddrs.add(ingress);
    }

    // With a NodePort but no node IP to put it on, kube-proxy `continue`s out of this Service port
    // — skipping its health-check port too.
    if (svc.nodePort !== 0 && nodeIPs.length === 0) continue;
    if (svc.nodePort !== 0) {
      let entries: string[];
      let setName: string;
      let localSetName: string;
      if (svc.protocol === "SCTP") {
        // bitmap:port cannot tell SCTP from the rest, so SCTP NodePorts live in a hash:ip,port set
        // with one entry per node IP.
        setName = "KUBE-NODE-PORT-SCTP-HASH";
        localSetName = "KUBE-NODE-PORT-LOCAL-SCTP-HASH";
        entries = nodeIPs.map((ip) => `${ip},sctp:${svc.nodePort}`);
      } else {
        setName = `KUBE-NODE-PORT-${svc.protocol}`;
        localSetName = `KUBE-NODE-PORT-LOCAL-${svc.protocol}`;
        entries = [String(svc.nodePort)];
      }
      for (const e of entries) set(setName).add(e);
      if (svc.externalPolicyLocal) for (const e of entries) set(localSetName).add(e);
      for (const ip of nodeIPs) {
        // Node IPs are already local: no bind to kube-ipvs0.
        pending.push({ vs: { ...base, address: ip, port: svc.nodePort, kind: "NodePort" }, svc, onlyNodeLocal: svc.externalPolicyLocal });
      }
    }
    if (svc.healthCheckNodePort !== 0) set("KUBE-HEALTH-CHECK-NODE-PORT").add(String(svc.healthCheckNodePort));
  }
  for (const addr of bindAddrs) set("KUBE-IPVS-IPS").add(addr);

  const localAddresses = new Set<string>([...nodeAddressList, ...bindAddrs]);
  const isLocal = (ip: string) => localAddresses.has(ip) || (family === "IPv4" ? ip.startsWith("127.") : ip === "::1");

  // A virtual server is keyed by protocol, address and port; a second Service claiming the same key
  // (e.g. two Services sharing an external IP and port) updates the same kernel object, and the
  // later sync of destinations wins, as with kube-proxy's sequential syncService/syncEndpoint calls.
  const byKey = new Map<string, VirtualServer>();
  for (const { vs, svc, onlyNodeLocal } of pending) {
    const { clusterEndpoints, localEndpoints } = categorizeEndpoints(endpointsOf(svc), svc);
    // kubernetes#97081: with a Local policy and no local endpoint, fall back to the cluster-wide
    // endpoints so local Pods can still reach the Service.
    const chosen = onlyNodeLocal ? (localEndpoints.length > 0 ? localEndpoints : clusterEndpoints) : clusterEndpoints;
    const added: RealServer[] = chosen.map((ep) => ({ address: ep.ip, port: ep.port, weight: 1, forward: isLocal(ep.ip) ? "Local" : "Masq" }));
    byKey.set(`${vs.protocol}/${vs.address}/${vs.port}`, { ...vs, realServers: added.reverse() });
  }
  const virtualServers = glibcMsort([...byKey.values()], compareServices);

  const ipsets = [...sets.values()].map((s) => s.build());
  const iptablesRules = kubeProxyIpvsRules({
    config,
    ifNotLocal: ifNotLocal(state, family),
    sets,
    family,
    lbNoNodeAccess: lbNoNodeAccess.sort((a, b) => (`${a.ip},${a.protocol}:${a.port}` < `${b.ip},${b.protocol}:${b.port}` ? -1 : 1)),
  });
  const byAddress = (a: string, b: string) => compareAddresses(a, b, family);
  return {
    family,
    virtualServers,
    ipsets,
    iptablesSave: iptablesSave(iptablesRules),
    ipvsadmLn: ipvsadmLn(virtualServers),
    // The IPv6 proxier's initvals come from their own draw, as each set's comes from the kernel.
    ipsetSave: ipsetSave(ipsets, family === "IPv6" ? (options.seed ?? 0) ^ 0x6 : (options.seed ?? 0)),
    dummyInterfaceAddresses: [...bindAddrs].sort(byAddress),
    iptablesRules,
    nodePortAddresses: nodeIPs,
    localAddresses: [...localAddresses].sort(byAddress),
  };
}
