import { parseIpv6 } from "../../netfilter/address";
import { dottedQuadValue } from "../../netfilter/dotted-quad";
import { parseIPSloppy, type Family } from "../iptables/ip";
import { mergeEndpoints, slicesByService, type CategorizableEndpoint, type ServicePortPolicy, type SlicesByService } from "../endpoints";
import type { ClusterState, Protocol, Service, ServicePort } from "../model";

/**
 * kube-proxy's view of one Service port (pkg/proxy/serviceport.go, BaseServicePortInfo) and of its
 * endpoints (pkg/proxy/endpointslicecache.go, BaseEndpointInfo), for the proxier of one IP family.
 *
 * kube-proxy runs one proxier per IP family (NewDualStackProxier): each keeps only the cluster IP,
 * external IPs, load-balancer IPs, source ranges and endpoints of its own family and drops the rest.
 * `family` picks the proxier; IPv4 is the default. IPv6 addresses are kept as Go's `net.IP.String()`
 * prints them (RFC 5952), which is also how ipvsadm, ipset and ip6tables-save print them back.
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

/** The IPv6 address as Go prints it, or null when `text` is not one. */
function ipv6Text(text: string): string | null {
  const ip = parseIPSloppy(text.trim());
  return ip !== null && ip.family === "IPv6" ? ip.text : null;
}

/**
 * `text` as the `family` proxier keeps it, or null when it is of the other family or no address.
 * IPv4 text is kept as written (the IPv4 proxier's historical behaviour in this model); IPv6 is
 * canonicalised.
 */
export function addressOfFamily(text: string, family: Family): string | null {
  if (family === "IPv4") return isIpv4(text) ? text : null;
  return ipv6Text(text);
}

/** An address's place in numeric order, for sorting within one family. */
export function addressOrder(text: string, family: Family): number | bigint {
  return family === "IPv4" ? dottedQuadValue(text) : parseIpv6(text);
}

/** Numeric order of two addresses of one family. */
export function compareAddresses(a: string, b: string, family: Family): number {
  const x = addressOrder(a, family);
  const y = addressOrder(b, family);
  return x < y ? -1 : x > y ? 1 : 0;
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
 * ExternalName Services; each family's proxier keeps only its own family's cluster IP (a Service
 * without one is not in its map at all). Load-balancer ingress IPs
 * with ipMode "Proxy" are dropped (the LoadBalancerIPMode gate, on by default since 1.30): traffic for
 * them goes through the load balancer, which sends it to a node.
 */
export function servicePorts(state: ClusterState, family: Family = "IPv4"): ServicePortInfo[] {
  const ofFamily = (text: string) => addressOfFamily(text, family);
  const out: ServicePortInfo[] = [];
  for (const service of state.services) {
    if (service.type === "ExternalName") continue;
    if (service.clusterIP === null || service.clusterIP === "None" || service.clusterIP === "") continue;
    const candidates = service.clusterIPs.length > 0 ? service.clusterIPs : [service.clusterIP];
    const found = candidates.find((ip) => ofFamily(ip) !== null);
    if (found === undefined) continue;
    const clusterIP = ofFamily(found)!;
    const present = (ip: string | null): ip is string => ip !== null;
    const externalIPs = service.externalIPs.map(ofFamily).filter(present);
    const loadBalancerVIPs = service.loadBalancerIngress
      .filter((ingress) => ingress.ip !== null && ingress.ipMode !== "Proxy")
      .map((ingress) => ofFamily(ingress.ip as string))
      .filter(present);
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
        loadBalancerSourceRanges: service.loadBalancerSourceRanges.filter((cidr) => ofFamily(cidr.trim().split("/")[0] ?? "") !== null),
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
 * Service's EndpointSlices (`mergeEndpoints`, ../endpoints.ts), addresses of `family` only, in
 * numeric order of address then port. No filtering on readiness here (that is `categorizeEndpoints`' job).
 *
 * `slices` (`slicesByService(state.endpointSlices)`, once per sync) is computed when not given.
 */
export function endpointsFor(
  state: ClusterState,
  svc: ServicePortInfo,
  slices: SlicesByService = slicesByService(state.endpointSlices),
  family: Family = "IPv4",
): EndpointInfo[] {
  const addresses = new Map<string, number | bigint>();
  const read = (raw: string): string | null => {
    if (family === "IPv4") {
      const address = ipv4Value(raw);
      if (address === null) return null;
      addresses.set(raw, address);
      return raw;
    }
    const ip = ipv6Text(raw);
    if (ip === null) return null;
    addresses.set(ip, parseIpv6(ip));
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
  return endpoints.sort((a, b) => {
    const x = addresses.get(a.ip)!;
    const y = addresses.get(b.ip)!;
    return x < y ? -1 : x > y ? 1 : a.port - b.port;
  });
}

/** The node kube-proxy runs on: its InternalIP/ExternalIP addresses of `family`, primary (first InternalIP) first. */
export function nodeAddresses(state: ClusterState, family: Family = "IPv4"): { primary: string | null; all: string[] } {
  const node = state.nodes.find((n) => n.metadata.name === state.nodeName);
  if (!node) return { primary: null, all: [] };
  const of = (type: "InternalIP" | "ExternalIP") =>
    node.addresses.filter((a) => a.type === type).map((a) => addressOfFamily(a.address, family)).filter((ip): ip is string => ip !== null);
  const internal = of("InternalIP");
  const external = of("ExternalIP");
  const all = [...new Set([...internal, ...external])];
  return { primary: internal[0] ?? all[0] ?? null, all };
}
