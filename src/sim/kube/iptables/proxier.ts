/**
 * kube-proxy v1.31's iptables `syncProxyRules` (pkg/proxy/iptables/proxier.go), as a pure function
 * from the cluster to the `iptables-restore` input of one full sync. Line for line, each rule is
 * written in the order and with the arguments the Go code writes it.
 *
 * Where Go iterates a map (Services, merged endpoints, nodePortAddresses IPs) the order here is
 * sorted instead; kube-proxy's own tests compare dumps only after canonical sorting for that reason.
 *
 * The sync is split the way the Go loop body reads: first what it decides for a service port
 * (`PortPlan`: its endpoints, which chains it uses, what filter does without endpoints), then the
 * rules each chain gets. `syncProxyRules` keeps them as strings in kube-proxy's order (the restore
 * input its tests compare); `saveProxyRules` writes the same rules as bytes into a reused buffer and
 * lists them in `iptables-save`'s order from there, so that a large cluster's rules are never all
 * held as separate strings at once.
 */
import { categorizeEndpoints, portExternallyAccessible, slicesByService, usesClusterEndpoints, usesLocalEndpoints } from "../endpoints";
import type { ClusterState } from "../model";
import { hashedChainName } from "./chain-names";
import { computeProbability } from "./go-float";
import { endpointChainName, endpointsFor, type EndpointInfo } from "./endpoints";
import { cidrContains, isLoopback, type Family, type ParsedIP } from "./ip";
import {
  localAddressesFor,
  localDetectorFor,
  masqueradeMarkFor,
  nodeIPFor,
  nodePortAddressesFor,
  nodePortIPs,
  type KubeProxyHostOptions,
  type LocalDetector,
} from "./node-facts";
import { LineBuffer } from "./line-buffer";
import { iptablesSave, saveTables, type SavedTables } from "./save";
import { servicePortsFor, type ServicePortInfo } from "./service-ports";

/** The chains and rules of one `iptables-restore` input, per table, in write order. */
export interface RestoreData {
  readonly family: Family;
  readonly filterChains: readonly string[];
  readonly filterRules: readonly string[];
  readonly natChains: readonly string[];
  readonly natRules: readonly string[];
  /** Whether this proxier serves NodePorts on 127.0.0.0/8 (and so writes KUBE-FIREWALL). */
  readonly localhostNodePorts: boolean;
}

/** `largeClusterEndpointsThreshold`: above this many endpoints, per-endpoint comments are dropped. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

const KUBE_SERVICES = "KUBE-SERVICES";
const KUBE_EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
const KUBE_NODEPORTS = "KUBE-NODEPORTS";
const KUBE_POSTROUTING = "KUBE-POSTROUTING";
const KUBE_MARK_MASQ = "KUBE-MARK-MASQ";
const KUBE_FORWARD = "KUBE-FORWARD";
const KUBE_PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";
const KUBE_FIREWALL = "KUBE-FIREWALL";
// metrics.IPTablesCTStateInvalidDroppedNFAcctCounter / LocalhostNodePortAcceptedNFAcctCounter
const NFACCT_INVALID = "ct_state_invalid_dropped_pkts";
const NFACCT_LOCALHOST = "localhost_nps_accepted_pkts";

/** Appends one rule to a chain of one table. */
type WriteRule = (chain: string, rule: string) => void;

/** What every rule of one sync may depend on besides its service port. */
interface SyncSettings {
  readonly mark: string;
  readonly masqueradeAll: boolean;
  readonly detector: LocalDetector;
  readonly nodeIP: ParsedIP;
  readonly localhostNodePorts: boolean;
  readonly nfacct: boolean;
  /** More than LARGE_CLUSTER_ENDPOINTS_THRESHOLD endpoints: per-endpoint comments are dropped. */
  readonly largeClusterMode: boolean;
}

/** What the loop body of `syncProxyRules` decides for one service port before writing a rule. */
type PortPlan = ReturnType<typeof planServicePort>;

/** The per-Service chains of a port, in the order kube-proxy declares them. */
const EXT = -1;
const FW = -2;
const SVC = -3;
const SVL = -4;
// A value i ≥ 0 names the KUBE-SEP chain of allReachableEndpoints[i].

/** The sync's settings and its service ports, before any rule is written. */
function prepareSync(state: ClusterState, family: Family, options: KubeProxyHostOptions) {
  const cfg = state.proxyConfig;
  const npa = nodePortAddressesFor(state, family);
  const svcPorts: ServicePortInfo[] = [];
  for (const svc of state.services) for (const sp of servicePortsFor(svc, family)) svcPorts.push(sp);
  svcPorts.sort((a, b) =>
    a.nameString < b.nameString ? -1 : a.nameString > b.nameString ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0,
  );
  const slices = slicesByService(state.endpointSlices);
  // Each port's endpoints are made again when the port is written; counting only needs to reach the threshold.
  const endpointsOf = (sp: ServicePortInfo) => endpointsFor(slices, sp, family, state.nodeName);
  let totalEndpoints = 0;
  for (let i = 0; i < svcPorts.length && totalEndpoints <= LARGE_CLUSTER_ENDPOINTS_THRESHOLD; i++) totalEndpoints += endpointsOf(svcPorts[i]!).length;
  const settings: SyncSettings = {
    mark: options.masqueradeMark ?? masqueradeMarkFor(cfg.iptables.masqueradeBit),
    masqueradeAll: cfg.iptables.masqueradeAll,
    detector: localDetectorFor(state, family),
    nodeIP: nodeIPFor(state, family),
    // NewDualStackProxier passes localhostNodePorts=false to the IPv6 proxier, and NewProxier turns
    // it off when nodePortAddresses excludes 127.0.0.1.
    localhostNodePorts: family === "IPv4" && cfg.iptables.localhostNodePorts && npa.containsIPv4Loopback,
    nfacct: options.nfacct ?? true,
    // Dropping comments in large clusters shrinks the restore input by 40%+ (appendServiceCommentLocked).
    largeClusterMode: totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  };
  return { settings, npa, svcPorts, endpointsOf };
}

/** Where `writeSync` puts what it writes. */
interface RuleSink {
  readonly filterChains: string[];
  readonly natChains: string[];
  readonly filter: WriteRule;
  readonly nat: WriteRule;
  /** A service port's own chains (in declaration order), right after its rules in kube-proxy's chains. */
  readonly portChains: (p: PortPlan, chains: readonly number[]) => void;
}

/**
 * One full `syncProxyRules` for `family`: what kube-proxy hands to `iptables-restore --noflush`.
 *
 * @example
 * const data = syncProxyRules(state, "IPv4", {});
 * restoreText(data).startsWith("*filter\n:KUBE-SERVICES - [0:0]") // true
 */
export function syncProxyRules(state: ClusterState, family: Family, options: KubeProxyHostOptions): RestoreData {
  const filterChains: string[] = [];
  const natChains: string[] = [];
  const filterRules: string[] = [];
  const natRules: string[] = [];
  const nat: WriteRule = (_chain, rule) => void natRules.push(rule);
  const { localhostNodePorts } = writeSync(state, family, options, {
    filterChains,
    natChains,
    filter: (_chain, rule) => void filterRules.push(rule),
    nat,
    portChains(p, chains) {
      // As the Go loop body goes on: internal traffic handling, then each chain, declared as written.
      writeInternalMasquerade(p, nat);
      for (const c of chains) {
        natChains.push(chainName(p, c));
        writePortChain(p, c, nat, false);
      }
    },
  });
  return { family, filterChains, filterRules, natChains, natRules, localhostNodePorts };
}

/**
 * `iptablesSave(syncProxyRules(…))`, written the way a large cluster needs: each per-Service chain's
 * rules go into a byte buffer as one block while its service port is at hand, and the dump is put
 * together from those blocks in iptables-save's order. Rules are never all held as strings at once,
 * and the Service ports' plans are dropped as soon as their chains are written.
 */
export function saveProxyRules(state: ClusterState, family: Family, options: KubeProxyHostOptions): SavedTables {
  // Every rule goes into one buffer as it is written; the dump is then appended to the same buffer
  // by copying those bytes in iptables-save's order.
  const buffer = new LineBuffer();
  const filter = new RuleSpans(buffer);
  const nat = new RuleSpans(buffer);
  const filterChains: string[] = [];
  const natChains: string[] = [];
  // Indexed like natChains (holes at kube-proxy's own chains): the bytes of each per-Service chain's
  // rules, and how many rules they are.
  const blockStarts: number[] = [];
  const blockEnds: number[] = [];
  const blockRules: number[] = [];
  let rules = 0;
  const block: WriteRule = (_chain, rule) => {
    rules++;
    buffer.line(rule);
  };
  writeSync(state, family, options, {
    filterChains,
    natChains,
    filter: (chain, rule) => filter.add(chain, rule),
    nat: (chain, rule) => nat.add(chain, rule),
    portChains(p, chains) {
      for (let k = 0; k < chains.length; k++) {
        const c = chains[k]!;
        const i = natChains.length;
        natChains.push(chainName(p, c));
        blockStarts[i] = buffer.position;
        rules = 0;
        writePortChain(p, c, block, true);
        blockEnds[i] = buffer.position;
        blockRules[i] = rules;
      }
    },
  });
  const start = buffer.position;
  const sizes = saveTables(
    buffer,
    { chains: filterChains, writeChain: (chain) => filter.copy(chain), leftover: () => filter.leftover() },
    {
      chains: natChains,
      writeChain(chain, index) {
        const end = index >= 0 ? blockEnds[index] : undefined;
        if (end === undefined) return nat.copy(chain);
        buffer.repeat(blockStarts[index]!, end);
        return blockRules[index]!;
      },
      leftover: () => nat.leftover(),
    },
  );
  const text = buffer.text(start);
  // Offsets count a string's length as its bytes; a name or address outside ASCII (which validation
  // would reject) takes the plain way instead.
  if (!buffer.ascii) return iptablesSave(syncProxyRules(state, family, options));
  return { text, ...sizes };
}

/** Where in a `LineBuffer` each chain's rules were written, a rule at a time, for one table. */
class RuleSpans {
  /** By chain: [start, end) of each of its rules, in write order. */
  private readonly spans = new Map<string, number[]>();

  constructor(private readonly buffer: LineBuffer) {}

  add(chain: string, rule: string): void {
    const start = this.buffer.position;
    this.buffer.line(rule);
    const list = this.spans.get(chain);
    if (list) list.push(start, this.buffer.position);
    else this.spans.set(chain, [start, this.buffer.position]);
  }

  /** Appends the chain's rules again (the first time it is asked for), returning how many. */
  copy(chain: string): number {
    const list = this.spans.get(chain);
    if (!list) return 0;
    this.spans.delete(chain);
    for (let i = 0; i < list.length; i += 2) this.buffer.repeat(list[i]!, list[i + 1]!);
    return list.length / 2;
  }

  /** A rule for a chain never copied (one neither declared nor built in), if any. */
  leftover(): string | undefined {
    const list = this.spans.values().next().value;
    return list && this.buffer.slice(list[0]!, list[1]! - 1);
  }
}

/**
 * The body of `syncProxyRules`: every rule in kube-proxy's own chains, and each service port's chains
 * handed to `sink.portChains` right after that port's rules.
 */
function writeSync(state: ClusterState, family: Family, options: KubeProxyHostOptions, sink: RuleSink): { localhostNodePorts: boolean } {
  const { filterChains, natChains, filter, nat } = sink;
  const { settings, npa, svcPorts, endpointsOf } = prepareSync(state, family, options);
  const { mark, localhostNodePorts, nfacct } = settings;
  const isIPv6 = family === "IPv6";
  const randomFully = options.randomFully ?? true;
  const tcpLiberal = options.conntrackTCPBeLiberal ?? false;

  filterChains.push(KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL);
  natChains.push(KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ);

  nat(KUBE_POSTROUTING, `-A ${KUBE_POSTROUTING} -m mark ! --mark ${mark}/${mark} -j RETURN`);
  // Clear the mark so a packet that re-traverses the stack is not masqueraded twice.
  nat(KUBE_POSTROUTING, `-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${mark}`);
  nat(
    KUBE_POSTROUTING,
    `-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE` +
      (randomFully ? " --random-fully" : ""),
  );
  nat(KUBE_MARK_MASQ, `-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${mark}`);

  if (localhostNodePorts) {
    // route_localnet (needed for localhost NodePorts) opens a hole (issue 90259) that this closes.
    filterChains.push(KUBE_FIREWALL);
    filter(
      KUBE_FIREWALL,
      `-A ${KUBE_FIREWALL} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    );
  }

  const chains: number[] = [];
  for (let i = 0; i < svcPorts.length; i++) {
    const p = planServicePort(settings, svcPorts[i]!, endpointsOf(svcPorts[i]!));
    writeServicePortRules(settings, p, filter, nat);
    // The port's own chains, in the order kube-proxy declares them.
    chains.length = 0;
    if (p.usesExternalTrafficChain) chains.push(EXT);
    if (p.usesFWChain) chains.push(FW);
    if (p.usesClusterPolicyChain) chains.push(SVC);
    if (p.usesLocalPolicyChain) chains.push(SVL);
    for (let e = 0; e < p.allReachableEndpoints.length; e++) chains.push(e);
    sink.portChains(p, chains);
  }

  // Tail-call to KUBE-NODEPORTS; it must stay the last rule of KUBE-SERVICES.
  const lastComment = `-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"`;
  if (npa.matchAll) {
    // Localhost NodePorts never work on IPv6, and on IPv4 only with route_localnet.
    const exclude = isIPv6 ? " ! -d ::1/128" : !localhostNodePorts ? " ! -d 127.0.0.0/8" : "";
    nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} ${lastComment} -m addrtype --dst-type LOCAL${exclude} -j ${KUBE_NODEPORTS}`);
  } else {
    for (const ip of nodePortIPs(npa, localAddressesFor(state, options))) {
      if (isLoopback(ip) && (isIPv6 || !localhostNodePorts)) continue;
      nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} ${lastComment} -d ${ip.text} -j ${KUBE_NODEPORTS}`);
    }
  }

  // INVALID packets would reset connections unless nf_conntrack_tcp_be_liberal is set (issue 74839).
  if (!tcpLiberal) {
    filter(KUBE_FORWARD, `-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID${nfacct ? ` -m nfacct --nfacct-name ${NFACCT_INVALID}` : ""} -j DROP`);
  }
  // Forward marked traffic even when the FORWARD policy is DROP, and the replies that follow.
  filter(KUBE_FORWARD, `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter(KUBE_FORWARD, `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  return { localhostNodePorts };
}

/**
 * The chains, targets and comments one service port gets (the top of the Go loop body). A chain name
 * the port can never use is "" (SVL without a Local policy, EXT when not externally accessible, FW
 * without the firewall chain), so no hash is spent on it.
 */
function planServicePort(settings: SyncSettings, sp: ServicePortInfo, endpoints: readonly EndpointInfo[]) {
  const name = sp.nameString;
  const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } = categorizeEndpoints(endpoints, sp);
  const clusterPolicyChain = hashedChainName("KUBE-SVC-", sp.hash);
  const usesLocal = usesLocalEndpoints(sp);
  const localPolicyChain = sp.internalPolicyLocal || sp.externalPolicyLocal ? hashedChainName("KUBE-SVL-", sp.hash) : "";
  const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(sp);
  const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocal;

  let internalPolicyChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (sp.internalPolicyLocal) {
    internalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasInternalEndpoints = false;
  }

  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (sp.externalPolicyLocal) {
    externalPolicyChain = localPolicyChain;
    if (localEndpoints.length === 0) hasExternalEndpoints = false;
  }
  const externallyAccessible = portExternallyAccessible(sp);
  const externalTrafficChain = externallyAccessible ? hashedChainName("KUBE-EXT-", sp.hash) : "";
  // Based on hasEndpoints, not hasExternalEndpoints: the short-circuit rules for local traffic
  // are needed even when no endpoint takes external traffic.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible;

  const usesFWChain = hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const fwChain = usesFWChain ? hashedChainName("KUBE-FW-", sp.hash) : "";

  let internalFilterTarget = "";
  let internalFilterComment = "";
  let externalFilterTarget = "";
  let externalFilterComment = "";
  if (!hasEndpoints) {
    // Nothing at all in nat for this port; filter REJECTs its destinations instead.
    internalFilterTarget = externalFilterTarget = "REJECT";
    internalFilterComment = externalFilterComment = `"${name} has no endpoints"`;
  } else {
    if (!hasInternalEndpoints) {
      internalFilterTarget = "DROP";
      internalFilterComment = `"${name} has no local endpoints"`;
    }
    if (!hasExternalEndpoints) {
      externalFilterTarget = "DROP";
      externalFilterComment = `"${name} has no local endpoints"`;
    }
  }
  // The KUBE-SEP chain of each of allReachableEndpoints.
  const endpointChains: string[] = [];
  for (let i = 0; i < allReachableEndpoints.length; i++) endpointChains.push(endpointChainName(sp, allReachableEndpoints[i]!));
  return {
    settings,
    sp,
    /** `svcPortNameString`. */
    name,
    /** The protocol match every destination rule of the port carries. */
    dport: ` -m ${sp.proto} -p ${sp.proto}`,
    /** `appendServiceCommentLocked`'s comment (none in large-cluster mode). */
    svcComment: settings.largeClusterMode ? "" : ` -m comment --comment ${name}`,
    clusterEndpoints,
    localEndpoints,
    allReachableEndpoints,
    endpointChains: endpointChains as readonly string[],
    hasEndpoints,
    hasInternalEndpoints,
    hasExternalEndpoints,
    clusterPolicyChain,
    localPolicyChain,
    internalTrafficChain: internalPolicyChain,
    externalPolicyChain,
    externalTrafficChain,
    fwChain,
    loadBalancerTrafficChain: usesFWChain ? fwChain : externalTrafficChain,
    usesClusterPolicyChain,
    usesLocalPolicyChain,
    usesExternalTrafficChain,
    usesFWChain,
    internalFilterTarget,
    internalFilterComment,
    externalFilterTarget,
    externalFilterComment,
  };
}

/** A per-Service chain's name. */
function chainName(p: PortPlan, chain: number): string {
  switch (chain) {
    case EXT:
      return p.externalTrafficChain;
    case FW:
      return p.fwChain;
    case SVC:
      return p.clusterPolicyChain;
    case SVL:
      return p.localPolicyChain;
    default:
      return p.endpointChains[chain]!;
  }
}

/**
 * The port's rules in kube-proxy's own chains: where each of its destinations (cluster IP, external
 * IPs, load-balancer IPs, NodePorts) jumps in nat, or what filter does with it when nat has nowhere
 * to send it.
 */
function writeServicePortRules(settings: SyncSettings, p: PortPlan, filter: WriteRule, nat: WriteRule): void {
  const { sp, name, dport, hasEndpoints, hasExternalEndpoints, externalTrafficChain } = p;
  // Capture the clusterIP.
  if (p.hasInternalEndpoints) {
    nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment "${name} cluster IP"${dport} -d ${sp.clusterIP} --dport ${sp.port} -j ${p.internalTrafficChain}`);
  } else {
    filter(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment ${p.internalFilterComment}${dport} -d ${sp.clusterIP} --dport ${sp.port} -j ${p.internalFilterTarget}`);
  }

  // Capture externalIPs.
  for (const externalIP of sp.externalIPs) {
    if (hasEndpoints) {
      nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment "${name} external IP"${dport} -d ${externalIP} --dport ${sp.port} -j ${externalTrafficChain}`);
    }
    if (!hasExternalEndpoints) {
      filter(
        KUBE_EXTERNAL_SERVICES,
        `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${p.externalFilterComment}${dport} -d ${externalIP} --dport ${sp.port} -j ${p.externalFilterTarget}`,
      );
    }
  }

  // Capture load-balancer ingress.
  for (const lbip of sp.loadBalancerVIPs) {
    if (hasEndpoints) {
      nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment "${name} loadbalancer IP"${dport} -d ${lbip} --dport ${sp.port} -j ${p.loadBalancerTrafficChain}`);
    }
    if (p.usesFWChain) {
      filter(
        KUBE_PROXY_FIREWALL,
        `-A ${KUBE_PROXY_FIREWALL} -m comment --comment "${name} traffic not accepted by ${p.fwChain}"${dport} -d ${lbip} --dport ${sp.port} -j DROP`,
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const lbip of sp.loadBalancerVIPs) {
      filter(
        KUBE_EXTERNAL_SERVICES,
        `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${p.externalFilterComment}${dport} -d ${lbip} --dport ${sp.port} -j ${p.externalFilterTarget}`,
      );
    }
  }

  // Capture nodeports. (NodePorts are not subject to loadBalancerSourceRanges, and cannot be.)
  if (sp.nodePort !== 0) {
    if (hasEndpoints) {
      if (settings.localhostNodePorts && settings.nfacct) {
        // Same jump, counted by nfacct, for localhost NodePorts (the localhost_nodeports metric).
        nat(
          KUBE_NODEPORTS,
          `-A ${KUBE_NODEPORTS} -m comment --comment ${name}${dport} -d 127.0.0.0/8 --dport ${sp.nodePort} -m nfacct --nfacct-name ${NFACCT_LOCALHOST} -j ${externalTrafficChain}`,
        );
      }
      nat(KUBE_NODEPORTS, `-A ${KUBE_NODEPORTS} -m comment --comment ${name}${dport} --dport ${sp.nodePort} -j ${externalTrafficChain}`);
    }
    if (!hasExternalEndpoints) {
      filter(
        KUBE_EXTERNAL_SERVICES,
        `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${p.externalFilterComment} -m addrtype --dst-type LOCAL${dport} --dport ${sp.nodePort} -j ${p.externalFilterTarget}`,
      );
    }
  }

  // Health-check NodePorts are accepted whether or not this node has local endpoints.
  if (sp.healthCheckNodePort !== 0) {
    filter(KUBE_NODEPORTS, `-A ${KUBE_NODEPORTS} -m comment --comment "${name} health check node port" -m tcp -p tcp --dport ${sp.healthCheckNodePort} -j ACCEPT`);
  }
}

/**
 * The rules of one of the port's own chains, in the order they stand in it. The SVC or SVL chain that
 * takes internal traffic starts with its masquerade rule, which kube-proxy writes before all of the
 * port's chains ("internal traffic handling"); `withMasquerade: false` leaves it to the caller.
 */
function writePortChain(p: PortPlan, chain: number, nat: WriteRule, withMasquerade: boolean): void {
  switch (chain) {
    case EXT:
      writeExternalChain(p, nat);
      return;
    case FW:
      writeFirewallChain(p, nat);
      return;
    case SVC:
    case SVL:
      if (withMasquerade && (chain === SVL) === p.sp.internalPolicyLocal) writeInternalMasquerade(p, nat);
      writeServiceToEndpointRules(p, chainName(p, chain), chain === SVC ? p.clusterEndpoints : p.localEndpoints, nat);
      return;
    default:
      writeEndpointChain(p, chain, nat);
  }
}

/** Internal traffic handling: off-cluster traffic to a cluster IP is masqueraded in its policy chain. */
function writeInternalMasquerade(p: PortPlan, nat: WriteRule): void {
  if (!p.hasInternalEndpoints) return;
  const { settings, sp } = p;
  const chain = p.internalTrafficChain;
  const args = `-m comment --comment "${p.name} cluster IP"${p.dport} -d ${sp.clusterIP} --dport ${sp.port}`;
  if (settings.masqueradeAll) {
    nat(chain, `-A ${chain} ${args} -j ${KUBE_MARK_MASQ}`);
  } else if (settings.detector.implemented) {
    // Off-cluster traffic to a ClusterIP (a static route to any node) may bounce off-node: SNAT it.
    nat(chain, `-A ${chain} ${args} ${settings.detector.ifNotLocal} -j ${KUBE_MARK_MASQ}`);
  }
}

/** The KUBE-EXT chain every external destination jumps to. */
function writeExternalChain(p: PortPlan, nat: WriteRule): void {
  const { name, settings } = p;
  const chain = p.externalTrafficChain;
  if (!p.sp.externalPolicyLocal) {
    // Endpoints may be on other nodes: masquerade so replies come back through this node.
    nat(chain, `-A ${chain} -m comment --comment "masquerade traffic for ${name} external destinations" -j ${KUBE_MARK_MASQ}`);
  } else {
    if (settings.detector.implemented) {
      // Pod → external destination acts as if it went out to the LB and came back: no policy.
      nat(chain, `-A ${chain} -m comment --comment "pod traffic for ${name} external destinations" ${settings.detector.ifLocal} -j ${p.clusterPolicyChain}`);
    }
    // From the host itself the source would be the (local) LB IP, so it must be masqueraded…
    nat(chain, `-A ${chain} -m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`);
    // …and may use any endpoint.
    nat(chain, `-A ${chain} -m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${p.clusterPolicyChain}`);
  }
  if (p.hasExternalEndpoints) nat(chain, `-A ${chain} -j ${p.externalPolicyChain}`);
}

/** The KUBE-FW chain for loadBalancerSourceRanges (works for VIP-style LBs that keep the source IP). */
function writeFirewallChain(p: PortPlan, nat: WriteRule): void {
  const { sp, fwChain, externalTrafficChain } = p;
  const args = `-A ${fwChain} -m comment --comment "${p.name} loadbalancer IP"`;
  let allowFromNode = false;
  for (const cidr of sp.loadBalancerSourceRanges) {
    nat(fwChain, `${args} -s ${cidr.text} -j ${externalTrafficChain}`);
    if (cidrContains(cidr, p.settings.nodeIP)) allowFromNode = true;
  }
  // A node reaching its own VIP loops back with the VIP as source: allow that too.
  if (allowFromNode) {
    for (const lbip of sp.loadBalancerVIPs) nat(fwChain, `${args} -s ${lbip} -j ${externalTrafficChain}`);
  }
  // Anything reaching the end was not DNATed, so KUBE-PROXY-FIREWALL drops it in filter.
  nat(fwChain, `-A ${fwChain} -m comment --comment "other traffic to ${p.name} will be dropped by KUBE-PROXY-FIREWALL"`);
}

/** The KUBE-SEP chain of allReachableEndpoints[i]. */
function writeEndpointChain(p: PortPlan, i: number, nat: WriteRule): void {
  const ep = p.allReachableEndpoints[i]!;
  const chain = p.endpointChains[i]!;
  // Hairpin: a pod reaching itself through the Service must be SNATed to get the reply.
  nat(chain, `-A ${chain}${p.svcComment} -s ${ep.ip} -j ${KUBE_MARK_MASQ}`);
  const affinity = p.sp.sessionAffinityClientIP ? ` -m recent --name ${chain} --set` : "";
  nat(chain, `-A ${chain}${p.svcComment}${affinity}${p.dport} -j DNAT --to-destination ${ep.endpoint}`);
}

const probabilities: string[] = [];

/** `proxier.probability(n)`, cached as kube-proxy precomputes them. */
function probability(n: number): string {
  return (probabilities[n] ??= computeProbability(n));
}

/** `writeServiceToEndpointRules`: affinity checks first, then the random-probability cascade. */
function writeServiceToEndpointRules(p: PortPlan, svcChain: string, endpoints: readonly EndpointInfo[], nat: WriteRule): void {
  const { sp } = p;
  const chains = endpointChainsOf(p, endpoints);
  const large = p.settings.largeClusterMode;
  if (sp.sessionAffinityClientIP) {
    for (let i = 0; i < endpoints.length; i++) {
      const c = large ? "" : ` -m comment --comment "${sp.nameString} -> ${endpoints[i]!.endpoint}"`;
      nat(svcChain, `-A ${svcChain}${c} -m recent --name ${chains[i]} --rcheck --seconds ${sp.stickyMaxAgeSeconds} --reap -j ${chains[i]}`);
    }
  }
  const n = endpoints.length;
  for (let i = 0; i < n; i++) {
    const c = large ? "" : ` -m comment --comment "${sp.nameString} -> ${endpoints[i]!.endpoint}"`;
    // Rule i matches 1/(n-i) of what reaches it, so every endpoint gets 1/n overall; the last always matches.
    const stat = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : "";
    nat(svcChain, `-A ${svcChain}${c}${stat} -j ${chains[i]}`);
  }
}

/**
 * The KUBE-SEP chains of `endpoints`, a sublist of the port's allReachableEndpoints (as
 * clusterEndpoints and localEndpoints are) in the same order.
 */
function endpointChainsOf(p: PortPlan, endpoints: readonly EndpointInfo[]): readonly string[] {
  const all = p.allReachableEndpoints;
  if (endpoints === all) return p.endpointChains;
  const chains: string[] = [];
  let j = 0;
  for (const ep of endpoints) {
    while (j < all.length && all[j] !== ep) j++;
    if (j === all.length) throw new Error(`endpoint ${ep.endpoint} of ${p.name} is not among its reachable endpoints`);
    chains.push(p.endpointChains[j++]!);
  }
  return chains;
}

/**
 * The exact text kube-proxy passes to `iptables-restore` (filter, then nat), as its tests read it
 * from `fp.iptablesData`.
 */
export function restoreText(data: RestoreData): string {
  // Pushed one by one: spreading a large cluster's 170,000 rules into push() overflows the stack.
  const out: string[] = ["*filter"];
  for (const c of data.filterChains) out.push(`:${c} - [0:0]`);
  for (const r of data.filterRules) out.push(r);
  out.push("COMMIT", "*nat");
  for (const c of data.natChains) out.push(`:${c} - [0:0]`);
  for (const r of data.natRules) out.push(r);
  out.push("COMMIT", "");
  return out.join("\n");
}
