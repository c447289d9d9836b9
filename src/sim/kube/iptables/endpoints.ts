/**
 * Endpoints as kube-proxy's iptables proxier sees them: each service port's endpoints as every mode
 * merges them from EndpointSlices (../endpoints.ts), in Go's form, sorted by "ip:port" string. Each
 * port's endpoints are made when its turn comes in the sync, and dropped after.
 */
import { mergeEndpoints, type CategorizableEndpoint, type SlicesByService } from "../endpoints";
import type { Endpoint } from "../model";
import { servicePortEndpointChainName } from "./chain-names";
import { isCanonicalIPv4, joinHostPort, parseIPSloppy, type Family } from "./ip";
import type { ServicePortInfo } from "./service-ports";

/** `endpointInfo`: one endpoint of one service port. */
export interface EndpointInfo extends CategorizableEndpoint {
  readonly ip: string;
  readonly port: number;
  /** `BaseEndpointInfo.String()`: "ip:port" ("[ip]:port" for IPv6). */
  readonly endpoint: string;
}

/**
 * The endpoints of one service port (`mergeEndpoints`, with each address in Go's form and of this
 * family), sorted by "ip:port" string (`byEndpoint`).
 */
export function endpointsFor(slices: SlicesByService, sp: ServicePortInfo, family: Family, nodeName: string): EndpointInfo[] {
  return sortByEndpoint(mergeEndpoints(slices, sp, nodeName, family === "IPv4" ? readIPv4 : readIPv6, endpointInfo));
}

/** Go's form of an IPv4 address, or null; most are already in it, and then need no parsing. */
function readIPv4(address: string): string | null {
  if (isCanonicalIPv4(address)) return address;
  const ip = parseIPSloppy(address);
  // Endpoints of the other family are skipped (LogAndEmitIncorrectIPVersionEvent).
  return ip && ip.family === "IPv4" ? ip.text : null;
}

function readIPv6(address: string): string | null {
  const ip = parseIPSloppy(address);
  return ip && ip.family === "IPv6" ? ip.text : null;
}

function endpointInfo(ip: string, port: number, ep: Endpoint, isLocal: boolean): EndpointInfo {
  return {
    ip,
    port,
    endpoint: joinHostPort(ip, port),
    isLocal,
    ready: ep.conditions.ready,
    serving: ep.conditions.serving,
    terminating: ep.conditions.terminating,
  };
}

/**
 * Sorts by "ip:port" string, in place. Most services have a handful of endpoints, which insertion
 * sort orders without the scratch arrays Array.prototype.sort allocates.
 */
function sortByEndpoint(endpoints: EndpointInfo[]): EndpointInfo[] {
  if (endpoints.length > 16) return endpoints.sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  for (let i = 1; i < endpoints.length; i++) {
    const ep = endpoints[i]!;
    let j = i - 1;
    while (j >= 0 && endpoints[j]!.endpoint > ep.endpoint) {
      endpoints[j + 1] = endpoints[j]!;
      j--;
    }
    endpoints[j + 1] = ep;
  }
  return endpoints;
}

/** The KUBE-SEP chain name of an endpoint of a service port. */
export function endpointChainName(sp: ServicePortInfo, ep: EndpointInfo): string {
  return servicePortEndpointChainName(sp.nameString, sp.proto, ep.endpoint);
}
