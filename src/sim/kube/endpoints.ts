/**
 * Which endpoints of a service port kube-proxy uses, the same in every mode: iptables, IPVS, and the
 * eBPF service maps (which borrow kube-proxy's rules; see ebpf/maps.ts). Two steps, as in kube-proxy:
 *
 * - pkg/proxy/endpointslicecache.go merges a Service's EndpointSlices into each service port's
 *   endpoints (`slicesByService`, `mergeEndpoints`);
 * - pkg/proxy/topology.go `CategorizeEndpoints` (v1.31) picks the ones each traffic policy uses, with
 *   the `ServicePort` methods it calls (pkg/proxy/serviceport.go `UsesClusterEndpoints`,
 *   `UsesLocalEndpoints`, `ExternallyAccessible`).
 *
 * Each mode keeps its own view of a service port and of an endpoint (the iptables proxier reads both
 * families with Go's sloppy parsing; IPVS and eBPF model the IPv4 proxier only); this module reads
 * only the fields the Go interfaces expose, so one implementation serves them all.
 */
import type { Endpoint, EndpointSlice, Protocol } from "./model";

/** Each Service's EndpointSlices, by namespace then Service name, in slice name order. */
export type SlicesByService = ReadonlyMap<string, ReadonlyMap<string, readonly EndpointSlice[]>>;

/**
 * The EndpointSlices kube-proxy reads, by the Service they belong to (its service-name label). Slices
 * are read in name order, where Go reads them from a map; FQDN slices are left out, as kube-proxy
 * handles IPv4 and IPv6 ones only.
 *
 * @example slicesByService(state.endpointSlices).get("default")?.get("web") // web's slices
 */
export function slicesByService(slices: readonly EndpointSlice[]): SlicesByService {
  const byNamespace = new Map<string, Map<string, EndpointSlice[]>>();
  const sorted = [...slices].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const slice of sorted) {
    if (slice.addressType === "FQDN" || slice.serviceName === "") continue;
    let byName = byNamespace.get(slice.metadata.namespace);
    if (!byName) byNamespace.set(slice.metadata.namespace, (byName = new Map()));
    const list = byName.get(slice.serviceName);
    if (list) list.push(slice);
    else byName.set(slice.serviceName, [slice]);
  }
  return byNamespace;
}

/** The service port whose endpoints are merged. */
export interface ServicePortRef {
  readonly namespace: string;
  readonly serviceName: string;
  readonly portName: string;
  readonly protocol: Protocol;
}

/** Above this many endpoints a port's duplicates are found through a map rather than a scan. */
const SCAN_LIMIT = 16;

/**
 * One service port's endpoints as `EndpointSliceCache.addEndpoints` merges them: from each of its
 * Service's slices (in name order) the slice port of the same name and protocol (one with no number
 * means "all ports", which kube-proxy cannot use), the first address of each endpoint, one endpoint
 * per "ip:port" — the first seen, unless a later copy is on this node. No filtering on readiness:
 * that is `categorizeEndpoints`' job. In the order first seen; each mode sorts them its own way.
 *
 * `read` gives the proxier's form of an address, or null to skip it (another family, unparsable);
 * `make` builds the mode's endpoint from it.
 */
export function mergeEndpoints<E extends { readonly ip: string; readonly port: number }>(
  slices: SlicesByService,
  sp: ServicePortRef,
  nodeName: string,
  read: (address: string) => string | null,
  make: (ip: string, port: number, endpoint: Endpoint, isLocal: boolean) => E,
): E[] {
  const own = slices.get(sp.namespace)?.get(sp.serviceName);
  const endpoints: E[] = [];
  if (!own) return endpoints;
  // Where each ip and port is in `endpoints`, once there are too many to scan.
  let at: Map<string, number> | null = null;
  // Indexed loops: this runs once per service port and endpoint of a large cluster.
  for (let s = 0; s < own.length; s++) {
    const slice = own[s]!;
    for (let q = 0; q < slice.ports.length; q++) {
      const p = slice.ports[q]!;
      if (p.name !== sp.portName || p.protocol !== sp.protocol || p.port === null || p.port === 0) continue;
      const port = p.port;
      for (let e = 0; e < slice.endpoints.length; e++) {
        const ep = slice.endpoints[e]!;
        const first = ep.addresses[0];
        const ip = first === undefined ? null : read(first);
        if (ip === null) continue;
        const isLocal = ep.nodeName !== null && ep.nodeName === nodeName;
        let dup = -1;
        if (at) {
          dup = at.get(`${ip}\u0000${port}`) ?? -1;
        } else {
          for (let k = 0; k < endpoints.length; k++) {
            if (endpoints[k]!.port === port && endpoints[k]!.ip === ip) {
              dup = k;
              break;
            }
          }
        }
        // "isLocal should not vary between matching endpoints, but if it does, we favor a true value."
        if (dup >= 0) {
          if (isLocal) endpoints[dup] = make(ip, port, ep, isLocal);
          continue;
        }
        endpoints.push(make(ip, port, ep, isLocal));
        if (at) {
          at.set(`${ip}\u0000${port}`, endpoints.length - 1);
        } else if (endpoints.length > SCAN_LIMIT) {
          at = new Map();
          for (let k = 0; k < endpoints.length; k++) at.set(`${endpoints[k]!.ip}\u0000${endpoints[k]!.port}`, k);
        }
      }
    }
  }
  return endpoints;
}

/** What `CategorizeEndpoints` asks of an endpoint (pkg/proxy/endpoint.go `Endpoint`). */
export interface CategorizableEndpoint {
  /** `IsLocal()`: the endpoint's nodeName is the node kube-proxy runs on. */
  readonly isLocal: boolean;
  /** `IsReady()`. */
  readonly ready: boolean;
  /** `IsServing()`. */
  readonly serving: boolean;
  /** `IsTerminating()`. */
  readonly terminating: boolean;
}

/** What it asks of a service port (pkg/proxy/serviceport.go `ServicePort`), for one IP family. */
export interface ServicePortPolicy {
  /** 0 when the port has no NodePort. */
  readonly nodePort: number;
  /** Load-balancer ingress IPs of this family that kube-proxy short-circuits (ipMode VIP). */
  readonly loadBalancerVIPs: readonly unknown[];
  /** External IPs of this family. */
  readonly externalIPs: readonly unknown[];
  /** `ExternalPolicyLocal()`: externalTrafficPolicy Local on an externally accessible Service. */
  readonly externalPolicyLocal: boolean;
  /** `InternalPolicyLocal()`: internalTrafficPolicy Local. */
  readonly internalPolicyLocal: boolean;
}

/**
 * `ExternallyAccessible()`: the port has a NodePort, a load-balancer VIP or an external IP of this
 * family (so its external traffic policy matters).
 *
 * @example portExternallyAccessible({ nodePort: 30080, loadBalancerVIPs: [], externalIPs: [], externalPolicyLocal: false, internalPolicyLocal: false }) // true
 */
export function portExternallyAccessible(p: ServicePortPolicy): boolean {
  return p.nodePort !== 0 || p.loadBalancerVIPs.length > 0 || p.externalIPs.length > 0;
}

/**
 * `UsesClusterEndpoints()`: some traffic to this port may go to an endpoint on any node — internal
 * traffic under internalTrafficPolicy Cluster, or external traffic under externalTrafficPolicy Cluster.
 */
export function usesClusterEndpoints(p: ServicePortPolicy): boolean {
  // Even if internalTrafficPolicy is Local, external traffic may still use cluster endpoints.
  return !p.internalPolicyLocal || (portExternallyAccessible(p) && !p.externalPolicyLocal);
}

/** `UsesLocalEndpoints()`: some traffic to this port may go only to endpoints on this node. */
export function usesLocalEndpoints(p: ServicePortPolicy): boolean {
  return p.internalPolicyLocal || (p.externalPolicyLocal && portExternallyAccessible(p));
}

/** The four results of `CategorizeEndpoints`, each list in the order of the endpoints given. */
export interface CategorizedEndpoints<E extends CategorizableEndpoint> {
  /** Usable endpoints for Cluster traffic policy; empty if the port never uses Cluster policy. */
  readonly clusterEndpoints: readonly E[];
  /** Usable endpoints for Local traffic policy (this node's only); empty if it never uses Local. */
  readonly localEndpoints: readonly E[];
  /** Every endpoint reachable from this node: the union of the two lists above. */
  readonly allReachableEndpoints: readonly E[];
  /** The Service has a usable endpoint somewhere in the cluster (even if none is reachable from here). */
  readonly hasAnyEndpoints: boolean;
}

const NONE: readonly never[] = [];

/**
 * `CategorizeEndpoints` (pkg/proxy/topology.go). "Usable" means ready; with no ready endpoint, kube-proxy
 * falls back to endpoints that are serving while terminating — independently for Cluster and for
 * Local policy — so that connections drain instead of being refused.
 *
 * `endpoints` are one service port's endpoints with no duplicates (the EndpointSliceCache merge), in
 * the order the caller keeps them; every list returned keeps that order. Where Go merges
 * clusterEndpoints and localEndpoints through a map (random order), the union here is in that order too.
 *
 * Simplified: topology-aware routing is not modelled. kube-proxy applies it only when every ready
 * endpoint carries zone hints (`topologyModeFromHints`), and the model's EndpointSlices carry no hints,
 * so the topology mode is always "" — as for a Service without the topology-mode annotation or a
 * trafficDistribution.
 *
 * @example
 * const { clusterEndpoints, hasAnyEndpoints } = categorizeEndpoints(endpoints, servicePort);
 */
export function categorizeEndpoints<E extends CategorizableEndpoint>(endpoints: readonly E[], svc: ServicePortPolicy): CategorizedEndpoints<E> {
  const usesCluster = usesClusterEndpoints(svc);
  let clusterEndpoints: readonly E[] = NONE;
  let hasAnyEndpoints = false;
  // Whether clusterEndpoints fell back to serving-terminating endpoints (no ready one anywhere).
  let clusterServingTerminating = false;
  if (usesCluster) {
    clusterEndpoints = endpoints.filter((ep) => ep.ready);
    if (clusterEndpoints.length === 0) {
      clusterServingTerminating = true;
      clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    }
    // If there is a ready endpoint anywhere in the cluster, clusterEndpoints has one.
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints: NONE, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }

  // Pre-scan: which kind of endpoint Local policy uses, and whether any is usable anywhere.
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
  let localEndpoints: readonly E[] = NONE;
  let useServingTerminating = false;
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  } else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  }
  if (!usesCluster) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  if (!useServingTerminating) {
    // localEndpoints holds only ready endpoints, and clusterEndpoints every ready one: a superset.
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  // Remote ready endpoints plus local serving-terminating ones (Go merges the two through a map).
  const allReachableEndpoints = endpoints.filter(
    (ep) => (clusterServingTerminating ? ep.serving && ep.terminating : ep.ready) || (ep.isLocal && ep.serving && ep.terminating),
  );
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}
