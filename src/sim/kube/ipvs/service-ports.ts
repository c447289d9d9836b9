import { dottedQuadValue } from "../../netfilter/dotted-quad";
import { mergeEndpoints, slicesByService, type CategorizableEndpoint, type ServicePortPolicy, type SlicesByService } from "../endpoints";
import type { ClusterState, Protocol, Service, ServicePort } from "../model";

/**
 * kube-proxy's view of one Service port (pkg/proxy/serviceport.go, BaseServicePortInfo) and of its
 * endpoints (pkg/proxy/endpointslicecache.go, BaseEndpointInfo), for the IPv4 proxier.
 *
 * kube-proxy runs one proxier per IP family; this model is the IPv4 one. IPv6 cluster IPs, external
 * IPs, load-balancer IPs and endpoints are dropped exactly as the IPv4 proxier drops them; the
 * KUBE-6-* sets the IPv6 proxier would write are not modelled.
 */
export interface ServicePortInfo extends ServicePortPolicy {
  /** ServicePortName.String(): "ns/name" plus ":portName" when the port has a name. */
  readonly name: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly string[];
  /** Seconds for ClientIP affinity (the IPVS persistence timeout); null without affinity. */
  readonly stickyMaxAgeSeconds: number | null;
  readonly healthCheckNodePort: number;
}

export interface EndpointInfo extends CategorizableEndpoint {
  readonly ip: string;
  readonly port: number;
  readonly nodeName: string | null;
  /** BaseEndpointInfo.String(): "ip:port". */
  readonly key: string;
}

/** The address as a number, or null when `parseIpv4` refuses it. */
function ipv4Value(text: string): number | null {
  try {
    return dottedQuadValue(text);
  } catch {
    return null;
  }
}

function isIpv4(text: string): boolean {
  return ipv4Value(text) !== null;
}

/** Numeric order of dotted quads, then port: a stable order for sets Go keeps in maps. */
export function compareEndpoints(a: { ip: string; port: number }, b: { ip: string; port: number }): number {
  const d = dottedQuadValue(a.ip) - dottedQuadValue(b.ip);
  return d !== 0 ? d : a.port - b.port;
}

/** apiservice.ExternallyAccessible: NodePort and LoadBalancer Services, or any Service with externalIPs. */
function externallyAccessible(service: Service): boolean {
  return service.type === "LoadBalancer" || service.type === "NodePort" || (service.type === "ClusterIP" && service.externalIPs.length > 0);
}

function servicePortName(service: Service, port: ServicePort): string {
  const base = `${service.metadata.namespace}/${service.metadata.name}`;
  return port.name === "" ? base : `${base}:${port.name}`;
}

/**
 * The ServicePortMap kube-proxy builds: utilproxy.ShouldSkipService drops headless ("None") and
 * ExternalName Services; the IPv4 proxier keeps only the IPv4 cluster IP. Load-balancer ingress IPs
 * with ipMode "Proxy" are dropped (the LoadBalancerIPMode gate, on by default since 1.30): traffic for
 * them goes through the load balancer, which sends it to a node.
 */
export function servicePorts(state: ClusterState): ServicePortInfo[] {
  const out: ServicePortInfo[] = [];
  for (const service of state.services) {
    if (service.type === "ExternalName") continue;
    if (service.clusterIP === null || service.clusterIP === "None" || service.clusterIP === "") continue;
    const candidates = service.clusterIPs.length > 0 ? service.clusterIPs : [service.clusterIP];
    const clusterIP = candidates.find(isIpv4);
    if (clusterIP === undefined) continue;
    const externalIPs = service.externalIPs.filter(isIpv4);
    const loadBalancerVIPs = service.loadBalancerIngress
      .filter((ingress) => ingress.ip !== null && ingress.ipMode !== "Proxy")
      .map((ingress) => ingress.ip as string)
      .filter(isIpv4);
    const accessible = externallyAccessible(service);
    for (const port of service.ports) {
      out.push({
        name: servicePortName(service, port),
        namespace: service.metadata.namespace,
        serviceName: service.metadata.name,
        portName: port.name,
        protocol: port.protocol,
        clusterIP,
        port: port.port,
        nodePort: port.nodePort ?? 0,
        externalIPs,
        loadBalancerVIPs,
        loadBalancerSourceRanges: service.loadBalancerSourceRanges.filter((cidr) => isIpv4(cidr.split("/")[0] ?? "")),
        stickyMaxAgeSeconds: service.sessionAffinity === "ClientIP" ? (service.sessionAffinityTimeoutSeconds ?? 10800) : null,
        externalPolicyLocal: accessible && service.externalTrafficPolicy === "Local",
        internalPolicyLocal: service.internalTrafficPolicy === "Local",
        healthCheckNodePort:
          service.type === "LoadBalancer" && service.externalTrafficPolicy === "Local" ? (service.healthCheckNodePort ?? 0) : 0,
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : 1));
}

/**
 * The EndpointsMap entry for one Service port: its endpoints as every mode merges them from the
 * Service's EndpointSlices (`mergeEndpoints`, ../endpoints.ts), IPv4 addresses only, in numeric
 * order of address then port. No filtering on readiness here (that is `categorizeEndpoints`' job).
 *
 * `slices` (`slicesByService(state.endpointSlices)`, once per sync) is computed when not given.
 */
export function endpointsFor(state: ClusterState, svc: ServicePortInfo, slices: SlicesByService = slicesByService(state.endpointSlices)): EndpointInfo[] {
  const addresses = new Map<string, number>();
  const read = (ip: string): string | null => {
    const address = ipv4Value(ip);
    if (address === null) return null;
    addresses.set(ip, address);
    return ip;
  };
  const endpoints = mergeEndpoints(slices, svc, state.nodeName, read, (ip, port, endpoint, isLocal): EndpointInfo => ({
    ip,
    port,
    isLocal,
    ready: endpoint.conditions.ready,
    serving: endpoint.conditions.serving,
    terminating: endpoint.conditions.terminating,
    nodeName: endpoint.nodeName,
    key: `${ip}:${port}`,
  }));
  // compareEndpoints, with each address parsed once rather than at every comparison.
  return endpoints.sort((a, b) => addresses.get(a.ip)! - addresses.get(b.ip)! || a.port - b.port);
}

/** The node kube-proxy runs on: its IPv4 InternalIP/ExternalIP addresses, primary (first InternalIP) first. */
export function nodeAddresses(state: ClusterState): { primary: string | null; all: string[] } {
  const node = state.nodes.find((n) => n.metadata.name === state.nodeName);
  if (!node) return { primary: null, all: [] };
  const internal = node.addresses.filter((a) => a.type === "InternalIP" && isIpv4(a.address)).map((a) => a.address);
  const external = node.addresses.filter((a) => a.type === "ExternalIP" && isIpv4(a.address)).map((a) => a.address);
  const all = [...new Set([...internal, ...external])];
  return { primary: internal[0] ?? all[0] ?? null, all };
}
