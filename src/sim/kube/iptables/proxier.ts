/**
 * kube-proxy v1.31's iptables `syncProxyRules` (pkg/proxy/iptables/proxier.go), as a pure function
 * from the cluster to the `iptables-restore` input of one full sync. Line for line, each rule is
 * written in the order and with the arguments the Go code writes it.
 *
 * Where Go iterates a map (Services, merged endpoints, nodePortAddresses IPs) the order here is
 * sorted instead; kube-proxy's own tests compare dumps only after canonical sorting for that reason.
 */
import type { ClusterState } from "../model";
import { computeProbability } from "./go-float";
import { categorizeEndpoints, endpointChainName, endpointsFor, indexEndpointSlices, type EndpointInfo } from "./endpoints";
import { cidrContains, isLoopback, type Family } from "./ip";
import {
  localAddressesFor,
  localDetectorFor,
  masqueradeMarkFor,
  nodeIPFor,
  nodePortAddressesFor,
  nodePortIPs,
  type KubeProxyHostOptions,
} from "./node-facts";
import { recordRuleChains } from "./save";
import { portExternallyAccessible, servicePortsFor, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from "./service-ports";

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

/**
 * One full `syncProxyRules` for `family`: what kube-proxy hands to `iptables-restore --noflush`.
 *
 * @example
 * const data = syncProxyRules(state, "IPv4", {});
 * restoreText(data).startsWith("*filter\n:KUBE-SERVICES - [0:0]") // true
 */
export function syncProxyRules(state: ClusterState, family: Family, options: KubeProxyHostOptions): RestoreData {
  const cfg = state.proxyConfig;
  const isIPv6 = family === "IPv6";
  const mark = options.masqueradeMark ?? masqueradeMarkFor(cfg.iptables.masqueradeBit);
  const masqueradeAll = cfg.iptables.masqueradeAll;
  const detector = localDetectorFor(state, family);
  const nodeIP = nodeIPFor(state, family);
  const npa = nodePortAddressesFor(state, family);
  // NewDualStackProxier passes localhostNodePorts=false to the IPv6 proxier, and NewProxier turns
  // it off when nodePortAddresses excludes 127.0.0.1.
  const localhostNodePorts = !isIPv6 && cfg.iptables.localhostNodePorts && npa.containsIPv4Loopback;
  const nfacct = options.nfacct ?? true;
  const randomFully = options.randomFully ?? true;
  const tcpLiberal = options.conntrackTCPBeLiberal ?? false;

  const filterChains: string[] = [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL];
  const filterRules: string[] = [];
  const natChains: string[] = [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ];
  const natRules: string[] = [];
  // The chain each rule appends to, for iptablesSave (which would otherwise read it back from the text).
  const filterRuleChains: string[] = [];
  const natRuleChains: string[] = [];
  const filter = (chain: string, rule: string): void => {
    filterRules.push(rule);
    filterRuleChains.push(chain);
  };
  const nat = (chain: string, rule: string): void => {
    natRules.push(rule);
    natRuleChains.push(chain);
  };

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

  const svcPorts: ServicePortInfo[] = [];
  for (const svc of state.services) svcPorts.push(...servicePortsFor(svc, family));
  svcPorts.sort((a, b) =>
    a.nameString < b.nameString ? -1 : a.nameString > b.nameString ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0,
  );
  const index = indexEndpointSlices(state.endpointSlices, family, state.nodeName);
  const allEndpoints = svcPorts.map((sp) => endpointsFor(index, sp));
  let totalEndpoints = 0;
  for (const eps of allEndpoints) totalEndpoints += eps.length;
  const largeClusterMode = totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
  // Dropping comments in large clusters shrinks the restore input by 40%+ (appendServiceCommentLocked).
  const comment = (c: string): string => (largeClusterMode ? "" : ` -m comment --comment ${c}`);

  for (let i = 0; i < svcPorts.length; i++) {
    const sp = svcPorts[i]!;
    const name = sp.nameString;
    const proto = sp.proto;
    const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } = categorizeEndpoints(
      allEndpoints[i]!,
      sp,
    );
    const clusterPolicyChain = "KUBE-SVC-" + sp.hash;
    const localPolicyChain = "KUBE-SVL-" + sp.hash;
    const usesClusterPolicyChain = clusterEndpoints.length > 0 && usesClusterEndpoints(sp);
    const usesLocalPolicyChain = localEndpoints.length > 0 && usesLocalEndpoints(sp);
    // Each endpoint's chain name is a SHA-256; compute it once per service port.
    const chainNames = new Map<EndpointInfo, string>();
    const chainOf = (ep: EndpointInfo): string => {
      let c = chainNames.get(ep);
      if (c === undefined) chainNames.set(ep, (c = endpointChainName(sp, ep)));
      return c;
    };

    let internalPolicyChain = clusterPolicyChain;
    let hasInternalEndpoints = hasEndpoints;
    if (sp.internalPolicyLocal) {
      internalPolicyChain = localPolicyChain;
      if (localEndpoints.length === 0) hasInternalEndpoints = false;
    }
    const internalTrafficChain = internalPolicyChain;

    let externalPolicyChain = clusterPolicyChain;
    let hasExternalEndpoints = hasEndpoints;
    if (sp.externalPolicyLocal) {
      externalPolicyChain = localPolicyChain;
      if (localEndpoints.length === 0) hasExternalEndpoints = false;
    }
    const externalTrafficChain = "KUBE-EXT-" + sp.hash;
    // Based on hasEndpoints, not hasExternalEndpoints: the short-circuit rules for local traffic
    // are needed even when no endpoint takes external traffic.
    const usesExternalTrafficChain = hasEndpoints && portExternallyAccessible(sp);

    const fwChain = "KUBE-FW-" + sp.hash;
    const usesFWChain = hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
    const loadBalancerTrafficChain = usesFWChain ? fwChain : externalTrafficChain;

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

    const dport = ` -m ${proto} -p ${proto}`;
    // Capture the clusterIP.
    if (hasInternalEndpoints) {
      nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment "${name} cluster IP"${dport} -d ${sp.clusterIP} --dport ${sp.port} -j ${internalTrafficChain}`);
    } else {
      filter(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment ${internalFilterComment}${dport} -d ${sp.clusterIP} --dport ${sp.port} -j ${internalFilterTarget}`);
    }

    // Capture externalIPs.
    for (const externalIP of sp.externalIPs) {
      if (hasEndpoints) {
        nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment "${name} external IP"${dport} -d ${externalIP} --dport ${sp.port} -j ${externalTrafficChain}`);
      }
      if (!hasExternalEndpoints) {
        filter(
          KUBE_EXTERNAL_SERVICES,
          `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilterComment}${dport} -d ${externalIP} --dport ${sp.port} -j ${externalFilterTarget}`,
        );
      }
    }

    // Capture load-balancer ingress.
    for (const lbip of sp.loadBalancerVIPs) {
      if (hasEndpoints) {
        nat(KUBE_SERVICES, `-A ${KUBE_SERVICES} -m comment --comment "${name} loadbalancer IP"${dport} -d ${lbip} --dport ${sp.port} -j ${loadBalancerTrafficChain}`);
      }
      if (usesFWChain) {
        filter(
          KUBE_PROXY_FIREWALL,
          `-A ${KUBE_PROXY_FIREWALL} -m comment --comment "${name} traffic not accepted by ${fwChain}"${dport} -d ${lbip} --dport ${sp.port} -j DROP`,
        );
      }
    }
    if (!hasExternalEndpoints) {
      for (const lbip of sp.loadBalancerVIPs) {
        filter(
          KUBE_EXTERNAL_SERVICES,
          `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilterComment}${dport} -d ${lbip} --dport ${sp.port} -j ${externalFilterTarget}`,
        );
      }
    }

    // Capture nodeports. (NodePorts are not subject to loadBalancerSourceRanges, and cannot be.)
    if (sp.nodePort !== 0) {
      if (hasEndpoints) {
        if (localhostNodePorts && nfacct) {
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
          `-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilterComment} -m addrtype --dst-type LOCAL${dport} --dport ${sp.nodePort} -j ${externalFilterTarget}`,
        );
      }
    }

    // Health-check NodePorts are accepted whether or not this node has local endpoints.
    if (sp.healthCheckNodePort !== 0) {
      filter(KUBE_NODEPORTS, `-A ${KUBE_NODEPORTS} -m comment --comment "${name} health check node port" -m tcp -p tcp --dport ${sp.healthCheckNodePort} -j ACCEPT`);
    }

    // Internal traffic handling.
    if (hasInternalEndpoints) {
      const args = `-m comment --comment "${name} cluster IP"${dport} -d ${sp.clusterIP} --dport ${sp.port}`;
      if (masqueradeAll) {
        nat(internalTrafficChain, `-A ${internalTrafficChain} ${args} -j ${KUBE_MARK_MASQ}`);
      } else if (detector.implemented) {
        // Off-cluster traffic to a ClusterIP (a static route to any node) may bounce off-node: SNAT it.
        nat(internalTrafficChain, `-A ${internalTrafficChain} ${args} ${detector.ifNotLocal} -j ${KUBE_MARK_MASQ}`);
      }
    }

    // External traffic handling: every external destination jumps to the EXT chain.
    if (usesExternalTrafficChain) {
      natChains.push(externalTrafficChain);
      if (!sp.externalPolicyLocal) {
        // Endpoints may be on other nodes: masquerade so replies come back through this node.
        nat(externalTrafficChain, `-A ${externalTrafficChain} -m comment --comment "masquerade traffic for ${name} external destinations" -j ${KUBE_MARK_MASQ}`);
      } else {
        if (detector.implemented) {
          // Pod → external destination acts as if it went out to the LB and came back: no policy.
          nat(
            externalTrafficChain,
            `-A ${externalTrafficChain} -m comment --comment "pod traffic for ${name} external destinations" ${detector.ifLocal} -j ${clusterPolicyChain}`,
          );
        }
        // From the host itself the source would be the (local) LB IP, so it must be masqueraded…
        nat(
          externalTrafficChain,
          `-A ${externalTrafficChain} -m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`,
        );
        // …and may use any endpoint.
        nat(
          externalTrafficChain,
          `-A ${externalTrafficChain} -m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${clusterPolicyChain}`,
        );
      }
      if (hasExternalEndpoints) nat(externalTrafficChain, `-A ${externalTrafficChain} -j ${externalPolicyChain}`);
    }

    // Firewall chain for loadBalancerSourceRanges (works for VIP-style LBs that keep the source IP).
    if (usesFWChain) {
      natChains.push(fwChain);
      const args = `-A ${fwChain} -m comment --comment "${name} loadbalancer IP"`;
      let allowFromNode = false;
      for (const cidr of sp.loadBalancerSourceRanges) {
        nat(fwChain, `${args} -s ${cidr.text} -j ${externalTrafficChain}`);
        if (cidrContains(cidr, nodeIP)) allowFromNode = true;
      }
      // A node reaching its own VIP loops back with the VIP as source: allow that too.
      if (allowFromNode) {
        for (const lbip of sp.loadBalancerVIPs) nat(fwChain, `${args} -s ${lbip} -j ${externalTrafficChain}`);
      }
      // Anything reaching the end was not DNATed, so KUBE-PROXY-FIREWALL drops it in filter.
      nat(fwChain, `-A ${fwChain} -m comment --comment "other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL"`);
    }

    if (usesClusterPolicyChain) {
      natChains.push(clusterPolicyChain);
      writeServiceToEndpointRules(nat, sp, clusterPolicyChain, clusterEndpoints, chainOf, comment);
    }
    if (usesLocalPolicyChain) {
      natChains.push(localPolicyChain);
      writeServiceToEndpointRules(nat, sp, localPolicyChain, localEndpoints, chainOf, comment);
    }

    // Per-endpoint chains.
    const svcComment = comment(name);
    for (const ep of allReachableEndpoints) {
      const chain = chainOf(ep);
      natChains.push(chain);
      // Hairpin: a pod reaching itself through the Service must be SNATed to get the reply.
      // Per-endpoint lines are most of a large cluster's rules; Array.join builds each as one flat
      // string, where a template literal leaves a tree of pieces for the collector to trace.
      nat(chain, ["-A", chain + svcComment, "-s", ep.ip, "-j", KUBE_MARK_MASQ].join(" "));
      const affinity = sp.sessionAffinityClientIP ? ` -m recent --name ${chain} --set` : "";
      nat(chain, ["-A", chain + svcComment + affinity + dport, "-j DNAT --to-destination", ep.endpoint].join(" "));
    }
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

  recordRuleChains(filterRules, filterRuleChains);
  recordRuleChains(natRules, natRuleChains);
  return { family, filterChains, filterRules, natChains, natRules, localhostNodePorts };
}

const probabilities: string[] = [];

/** `proxier.probability(n)`, cached as kube-proxy precomputes them. */
function probability(n: number): string {
  return (probabilities[n] ??= computeProbability(n));
}

/** `writeServiceToEndpointRules`: affinity checks first, then the random-probability cascade. */
function writeServiceToEndpointRules(
  nat: (chain: string, rule: string) => void,
  sp: ServicePortInfo,
  svcChain: string,
  endpoints: readonly EndpointInfo[],
  chainOf: (ep: EndpointInfo) => string,
  comment: (c: string) => string,
): void {
  const chains = endpoints.map(chainOf);
  if (sp.sessionAffinityClientIP) {
    for (let i = 0; i < endpoints.length; i++) {
      const c = comment(`"${sp.nameString} -> ${endpoints[i]!.endpoint}"`);
      nat(svcChain, `-A ${svcChain}${c} -m recent --name ${chains[i]} --rcheck --seconds ${sp.stickyMaxAgeSeconds} --reap -j ${chains[i]}`);
    }
  }
  const n = endpoints.length;
  for (let i = 0; i < n; i++) {
    const c = comment(`"${sp.nameString} -> ${endpoints[i]!.endpoint}"`);
    // Rule i matches 1/(n-i) of what reaches it, so every endpoint gets 1/n overall; the last always matches.
    const stat = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : "";
    nat(svcChain, ["-A", svcChain + c + stat, "-j", chains[i]].join(" "));
  }
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
