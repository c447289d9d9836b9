import { dottedQuadValue } from "../../netfilter/dotted-quad";
import type { ClusterState, EndpointSlice, Protocol, Service, ServicePort } from "../model";

/**
 * kube-proxy's view of one Service port (pkg/proxy/serviceport.go, BaseServicePortInfo) and of its
 * endpoints (pkg/proxy/endpointslicecache.go, BaseEndpointInfo), for the IPv4 proxier.
 *
 * kube-proxy runs one proxier per IP family; this model is the IPv4 one. IPv6 cluster IPs, external
 * IPs, load-balancer IPs and endpoints are dropped exactly as the IPv4 proxier drops them; the
 * KUBE-6-* sets the IPv6 proxier would write are not modelled.
 */
export interface ServicePortInfo {
  /** ServicePortName.String(): "ns/name" plus ":portName" when the port has a name. */
  readonly name: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  /** 0 when the Service has no NodePort, as in the Go struct. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly string[];
  /** Seconds for ClientIP affinity (the IPVS persistence timeout); null without affinity. */
  readonly stickyMaxAgeSeconds: number | null;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  readonly healthCheckNodePort: number;
}

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
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

/** EndpointSlices by namespace, then Service name, each list in cluster-state order. */
export type EndpointSliceIndex = ReadonlyMap<string, ReadonlyMap<string, readonly EndpointSlice[]>>;

/**
 * Groups the EndpointSlices by the Service they belong to, once per sync, so that each Service port
 * reads only its own slices instead of every slice in the cluster.
 *
 * @example
 * const index = indexEndpointSlices(state.endpointSlices);
 * endpointsFor(state, svc, index); // the same endpoints as endpointsFor(state, svc)
 */
export function indexEndpointSlices(slices: readonly EndpointSlice[]): EndpointSliceIndex {
  const byNamespace = new Map<string, Map<string, EndpointSlice[]>>();
  for (const slice of slices) {
    let byName = byNamespace.get(slice.metadata.namespace);
    if (!byName) byNamespace.set(slice.metadata.namespace, (byName = new Map()));
    const list = byName.get(slice.serviceName);
    if (list) list.push(slice);
    else byName.set(slice.serviceName, [slice]);
  }
  return byNamespace;
}

/**
 * The EndpointsMap entry for one Service port, as EndpointSliceCache builds it: slices of the
 * Service's IPv4 address type, the slice port matched by name and protocol (a port with a null number
 * is skipped), only the first address of each endpoint, and no filtering on readiness here (that is
 * CategorizeEndpoints' job). Duplicates across slices collapse to one "ip:port".
 *
 * `index` (from `indexEndpointSlices(state.endpointSlices)`) only makes it faster.
 */
export function endpointsFor(state: ClusterState, svc: ServicePortInfo, index?: EndpointSliceIndex): EndpointInfo[] {
  const slices = index ? (index.get(svc.namespace)?.get(svc.serviceName) ?? []) : state.endpointSlices;
  const seen = new Set<string>();
  const endpoints: EndpointInfo[] = [];
  const addresses: number[] = [];
  for (const slice of slices) {
    if (slice.metadata.namespace !== svc.namespace || slice.serviceName !== svc.serviceName) continue;
    if (slice.addressType !== "IPv4") continue;
    for (const slicePort of slice.ports) {
      if (slicePort.name !== svc.portName || slicePort.protocol !== svc.protocol || slicePort.port === null) continue;
      for (const endpoint of slice.endpoints) {
        const ip = endpoint.addresses[0];
        if (ip === undefined) continue;
        const address = ipv4Value(ip);
        if (address === null) continue;
        const key = `${ip}:${slicePort.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        addresses.push(address);
        endpoints.push({
          ip,
          port: slicePort.port,
          isLocal: endpoint.nodeName !== null && endpoint.nodeName === state.nodeName,
          ready: endpoint.conditions.ready,
          serving: endpoint.conditions.serving,
          terminating: endpoint.conditions.terminating,
          nodeName: endpoint.nodeName,
          key,
        });
      }
    }
  }
  // compareEndpoints, with each address parsed once rather than at every comparison.
  const order = endpoints.map((_, i) => i);
  order.sort((i, j) => {
    const d = addresses[i]! - addresses[j]!;
    return d !== 0 ? d : endpoints[i]!.port - endpoints[j]!.port;
  });
  return order.map((i) => endpoints[i]!);
}

/** ServicePort.ExternallyAccessible(): a NodePort, a load-balancer VIP or an external IP. */
export function portExternallyAccessible(svc: ServicePortInfo): boolean {
  return svc.nodePort !== 0 || svc.loadBalancerVIPs.length > 0 || svc.externalIPs.length > 0;
}

export interface CategorizedEndpoints {
  readonly clusterEndpoints: readonly EndpointInfo[];
  readonly localEndpoints: readonly EndpointInfo[];
  readonly hasAnyEndpoints: boolean;
}

/**
 * pkg/proxy/topology.go CategorizeEndpoints (1.31). Cluster endpoints are the ready ones; when none
 * is ready, kube-proxy falls back to endpoints that are serving *and* terminating, so connections
 * drain instead of being refused. Local endpoints prefer ready local ones, then serving-terminating
 * local ones.
 *
 * Simplified: topology-aware routing (EndpointSlice hints) is not modelled — the model carries no
 * hints — so the topology filter never applies, as when a Service has no topology annotation.
 */
export function categorizeEndpoints(endpoints: readonly EndpointInfo[], svc: ServicePortInfo): CategorizedEndpoints {
  const accessible = portExternallyAccessible(svc);
  const usesCluster = !svc.internalPolicyLocal || (accessible && !svc.externalPolicyLocal);
  const usesLocal = svc.internalPolicyLocal || (accessible && svc.externalPolicyLocal);
  let clusterEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  if (usesCluster) {
    clusterEndpoints = endpoints.filter((ep) => ep.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocal) return { clusterEndpoints, localEndpoints: [], hasAnyEndpoints };
  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  let localEndpoints: EndpointInfo[] = [];
  if (hasLocalReady) localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  else if (hasLocalServingTerminating) localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  return { clusterEndpoints, localEndpoints, hasAnyEndpoints };
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
