/**
 * The per-family service-port view kube-proxy builds from Services (pkg/proxy/servicechangetracker.go
 * `serviceToServiceMap`, pkg/proxy/serviceport.go `newBaseServiceInfo`, pkg/apis/core/v1/helper
 * `ExternalPolicyLocal`/`InternalPolicyLocal`/`NeedsHealthCheck`).
 */
import type { ServicePortPolicy } from "../endpoints";
import type { Protocol, Service } from "../model";
import { portProtoHash } from "./chain-names";
import { isCanonicalIPv4, parseCIDRSloppy, parseIPSloppy, type Family, type ParsedCIDR } from "./ip";

/** One `ServicePort` as the iptables proxier sees it (`servicePortInfo`). */
export interface ServicePortInfo extends ServicePortPolicy {
  /** `ServicePortName.String()`: "ns/name" or "ns/name:port". */
  readonly nameString: string;
  /** The owning Service's namespace and name, to find its EndpointSlices. */
  readonly namespace: string;
  readonly serviceName: string;
  readonly portName: string;
  readonly protocol: Protocol;
  /** Lower-case protocol, as used in `-m tcp -p tcp` and in chain-name hashes. */
  readonly proto: string;
  readonly clusterIP: string;
  readonly port: number;
  readonly sessionAffinityClientIP: boolean;
  readonly stickyMaxAgeSeconds: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly ParsedCIDR[];
  /** 0 unless `NeedsHealthCheck` (LoadBalancer with externalTrafficPolicy: Local). */
  readonly healthCheckNodePort: number;
  /** `portProtoHash`, shared by the SVC/SVL/EXT/FW chain names. */
  readonly hash: string;
}

/** `ExternallyAccessible` (service helper): by type, or a ClusterIP Service with externalIPs. */
function serviceExternallyAccessible(svc: Service): boolean {
  return svc.type === "LoadBalancer" || svc.type === "NodePort" || (svc.type === "ClusterIP" && svc.externalIPs.length > 0);
}

/** `proxyutil.GetClusterIPByFamily`: the cluster IP of this family, or "". */
function clusterIPByFamily(family: Family, svc: Service): string {
  if (svc.ipFamilies.length === 0) {
    // Allowing skew with API servers that do not fill in ipFamilies.
    if (!svc.clusterIP || svc.clusterIP === "None") return "";
    return parseIPSloppy(svc.clusterIP)?.family === family ? svc.clusterIP : "";
  }
  const idx = svc.ipFamilies.indexOf(family);
  return idx >= 0 && idx < svc.clusterIPs.length ? (svc.clusterIPs[idx] ?? "") : "";
}

/**
 * The service ports kube-proxy's `family` proxier tracks for one Service; empty when it skips the
 * Service (`ShouldSkipService`: headless or ExternalName; or no cluster IP of this family).
 */
export function servicePortsFor(svc: Service, family: Family): ServicePortInfo[] {
  if (!svc.clusterIP || svc.clusterIP === "None" || svc.type === "ExternalName") return [];
  const clusterIPText = clusterIPByFamily(family, svc);
  if (clusterIPText === "") return [];
  // Go's form of the address (most are in it already, and need no parsing).
  const clusterIP = isCanonicalIPv4(clusterIPText) ? { text: clusterIPText } : parseIPSloppy(clusterIPText);
  // Go would carry a nil IP and print "<nil>"; validation makes that unreachable, so skip instead.
  if (!clusterIP) return [];

  const externallyAccessible = serviceExternallyAccessible(svc);
  const externalPolicyLocal = externallyAccessible && svc.externalTrafficPolicy === "Local";
  const internalPolicyLocal = svc.internalTrafficPolicy === "Local";
  const clientIP = svc.sessionAffinity === "ClientIP";
  // The API server defaults sessionAffinityConfig.clientIP.timeoutSeconds to 10800 for ClientIP.
  const sticky = clientIP ? (svc.sessionAffinityTimeoutSeconds ?? 10800) : 0;

  // `MapIPsByIPFamily`: unparsable entries vanish, the rest are printed canonically.
  const externalIPs: string[] = [];
  for (const raw of svc.externalIPs) {
    const ip = parseIPSloppy(raw);
    if (ip && ip.family === family) externalIPs.push(ip.text);
  }
  // Validation lets whitespace through in loadBalancerSourceRanges, so kube-proxy trims first.
  const sourceRanges: ParsedCIDR[] = [];
  for (const raw of svc.loadBalancerSourceRanges) {
    const cidr = parseCIDRSloppy(raw.trim());
    if (cidr && cidr.family === family) sourceRanges.push(cidr);
  }
  const vips: string[] = [];
  for (const ing of svc.loadBalancerIngress) {
    if (!ing.ip) continue;
    // ipMode Proxy (LoadBalancerIPMode, beta and on in 1.31): the LB delivers to the node itself,
    // so kube-proxy must not short-circuit the VIP (`proxyutil.IsVIPMode`).
    if (ing.ipMode === "Proxy") continue;
    const ip = parseIPSloppy(ing.ip);
    // kube-proxy does no family translation: an ingress IP of the other family is dropped.
    if (ip && ip.family === family) vips.push(ip.text);
  }
  const needsHealthCheck = svc.type === "LoadBalancer" && externalPolicyLocal;
  const serviceKey = `${svc.metadata.namespace}/${svc.metadata.name}`;

  return svc.ports.map((port) => {
    const nameString = port.name === "" ? serviceKey : `${serviceKey}:${port.name}`;
    const proto = port.protocol.toLowerCase();
    return {
      nameString,
      namespace: svc.metadata.namespace,
      serviceName: svc.metadata.name,
      portName: port.name,
      protocol: port.protocol,
      proto,
      clusterIP: clusterIP.text,
      port: port.port,
      nodePort: port.nodePort ?? 0,
      sessionAffinityClientIP: clientIP,
      stickyMaxAgeSeconds: sticky,
      externalPolicyLocal,
      internalPolicyLocal,
      externalIPs,
      loadBalancerVIPs: vips,
      loadBalancerSourceRanges: sourceRanges,
      healthCheckNodePort: needsHealthCheck ? (svc.healthCheckNodePort ?? 0) : 0,
      hash: portProtoHash(nameString, proto),
    };
  });
}
