/**
 * Endpoints as kube-proxy's iptables proxier sees them: pkg/proxy/endpointslicecache.go (merge the
 * EndpointSlices of a Service per port, dedupe by "ip:port", sort by that string) and
 * pkg/proxy/topology.go `CategorizeEndpoints` (which endpoints Cluster and Local policy use,
 * including the fallback to serving-but-terminating endpoints).
 */
import type { EndpointSlice } from "../model";
import { servicePortEndpointChainName } from "./chain-names";
import { isCanonicalIPv4, joinHostPort, parseIPSloppy, type Family } from "./ip";
import { usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from "./service-ports";

/** `endpointInfo`: one endpoint of one service port. */
export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** `BaseEndpointInfo.String()`: "ip:port" ("[ip]:port" for IPv6). */
  readonly endpoint: string;
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** Endpoints of each Service, per "portName\0PROTOCOL", before they are matched to service ports. */
export type EndpointsByService = Map<string, Map<string, Map<string, EndpointInfo>>>;

/**
 * Merges every EndpointSlice into per-Service, per-port endpoint sets (`endpointInfoByServicePort`
 * + `addEndpoints`). Slices are read in name order, since Go reads them from a map.
 */
export function indexEndpointSlices(slices: readonly EndpointSlice[], family: Family, nodeName: string): EndpointsByService {
  const byService: EndpointsByService = new Map();
  const sorted = [...slices].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const slice of sorted) {
    // kube-proxy handles IPv4 and IPv6 slices only, and finds the Service by the service-name label.
    if (slice.addressType === "FQDN" || slice.serviceName === "") continue;
    const key = `${slice.metadata.namespace}/${slice.serviceName}`;
    let ports = byService.get(key);
    if (!ports) byService.set(key, (ports = new Map()));
    for (const p of slice.ports) {
      // A port with no number means "all ports" in the API; kube-proxy cannot use it.
      if (p.port === null || p.port === 0) continue;
      const portKey = `${p.name}\u0000${p.protocol}`;
      let set = ports.get(portKey);
      if (!set) ports.set(portKey, (set = new Map()));
      for (const ep of slice.endpoints) {
        const first = ep.addresses[0];
        if (first === undefined) continue;
        // Go's form of the address; most are already in it, and then need no parsing.
        let text = first;
        if (!isCanonicalIPv4(first) || family !== "IPv4") {
          const ip = parseIPSloppy(first);
          // Endpoints of the other family are skipped (LogAndEmitIncorrectIPVersionEvent).
          if (!ip || ip.family !== family) continue;
          text = ip.text;
        }
        const isLocal = ep.nodeName !== null && ep.nodeName === nodeName;
        const endpoint = joinHostPort(text, p.port);
        // Duplicates across slices: keep the first, unless a later copy is local.
        if (!set.has(endpoint) || isLocal) {
          set.set(endpoint, {
            ip: text,
            port: p.port,
            endpoint,
            isLocal,
            ready: ep.conditions.ready,
            serving: ep.conditions.serving,
            terminating: ep.conditions.terminating,
          });
        }
      }
    }
  }
  return byService;
}

/** The endpoints of one service port, sorted by "ip:port" string (`byEndpoint`). */
export function endpointsFor(index: EndpointsByService, sp: ServicePortInfo): EndpointInfo[] {
  const set = index.get(sp.serviceKey)?.get(`${sp.portName}\u0000${sp.protocol}`);
  if (!set || set.size === 0) return [];
  return [...set.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

/** The result of `CategorizeEndpoints`. */
export interface CategorizedEndpoints {
  readonly clusterEndpoints: readonly EndpointInfo[];
  readonly localEndpoints: readonly EndpointInfo[];
  readonly allReachableEndpoints: readonly EndpointInfo[];
  readonly hasAnyEndpoints: boolean;
}

/**
 * `CategorizeEndpoints` without topology: the model carries no zone hints, topology-mode annotation
 * or trafficDistribution, and kube-proxy only applies topology when every ready endpoint has hints.
 */
export function categorizeEndpoints(endpoints: readonly EndpointInfo[], sp: ServicePortInfo): CategorizedEndpoints {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  let useServingTerminating = false;

  if (usesClusterEndpoints(sp)) {
    clusterEndpoints = endpoints.filter((ep) => ep.ready);
    // No ready endpoint anywhere: fall back to endpoints that are still serving while terminating.
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(sp)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }

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
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  } else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  }
  if (!usesClusterEndpoints(sp)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  if (!useServingTerminating) {
    // localEndpoints holds only ready endpoints, all of which are in clusterEndpoints.
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  // Remote ready endpoints plus local terminating ones: merged (Go uses a map; we sort by string).
  const merged = new Map<string, EndpointInfo>();
  for (const ep of clusterEndpoints) merged.set(ep.endpoint, ep);
  for (const ep of localEndpoints) merged.set(ep.endpoint, ep);
  const allReachableEndpoints = [...merged.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}

/** The KUBE-SEP chain name of an endpoint of a service port. */
export function endpointChainName(sp: ServicePortInfo, ep: EndpointInfo): string {
  return servicePortEndpointChainName(sp.nameString, sp.proto, ep.endpoint);
}
