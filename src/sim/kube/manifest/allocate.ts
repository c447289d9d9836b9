/**
 * The registry's allocators, run over every Service at once: cluster IPs from the service CIDRs and
 * node ports (and health-check node ports) from the node-port range. Values the learner wrote are
 * reserved first and checked for clashes exactly as the allocators check them; missing ones are then
 * chosen deterministically (see naming.ts) from the upper part of each range, as the real allocators
 * prefer since ServiceIPStaticSubrange / ServiceNodePortStaticSubrange: the lower band is left for
 * values people pick by hand.
 */
import type { IpFamily, Service } from "../model";
import { goStringSlice, invalidMessage } from "./field-path";
import { bitsOf, formatIp, parseCidr, type ParsedCidr } from "./ip";
import { fnv1a32 } from "./naming";
import type { ServiceDraft } from "./service";

/**
 * The simulated cluster's service CIDRs: kubeadm's default `--service-cluster-ip-range`
 * 10.96.0.0/12 (primary) and kind's IPv6 default fd00:10:96::/112. Cluster IPs written in the
 * manifests are accepted even outside these ranges, so manifests from any cluster load.
 */
export const serviceClusterIpRanges: Readonly<Record<IpFamily, string>> = { IPv4: "10.96.0.0/12", IPv6: "fd00:10:96::/112" };

/** The API server's default `--service-node-port-range`. */
export const nodePortRange = { first: 30000, last: 32767 } as const;

/** The lower band the allocators keep for hand-picked values: min(max(16, size/16), limit). */
function staticBand(size: number, limit: number): number {
  return Math.min(Math.max(16, Math.floor(size / 16)), limit);
}

function rangeOf(family: IpFamily): ParsedCidr {
  const block = parseCidr(serviceClusterIpRanges[family]);
  if (block === null) throw new Error(`bad built-in service range for ${family}`);
  return block;
}

export function allocateServices(drafts: readonly ServiceDraft[]): Service[] {
  const takenIPs = new Map<string, string>();
  const takenPorts = new Set<number>();
  // The `kubernetes` Service always holds the first address of the primary range.
  takenIPs.set(formatIp("IPv4", rangeOf("IPv4").network + 1n), "default/kubernetes");

  const nodePortsUsed = (draft: ServiceDraft): boolean =>
    draft.type === "NodePort" || draft.type === "LoadBalancer";

  // Pass 1: reserve what was written, reporting clashes as the allocators do.
  for (const draft of drafts) {
    const owner = `${draft.metadata.namespace}/${draft.metadata.name}`;
    for (const ip of draft.clusterIPs) {
      if (ip === "None") continue;
      const previous = takenIPs.get(ip);
      if (previous !== undefined && previous !== owner) {
        draft.site.invalid(["spec", "clusterIP"],
          invalidMessage(goStringSlice(draft.clusterIPs), `failed to allocate IP ${ip}: provided IP is already allocated`), "spec.clusterIPs");
      }
      takenIPs.set(ip, owner);
    }
    if (!nodePortsUsed(draft)) continue;
    const mine = new Set<number>();
    draft.ports.forEach((port, i) => {
      if (port.nodePort === 0 || mine.has(port.nodePort)) return;
      checkNodePort(draft, ["spec", "ports", i, "nodePort"], port.nodePort, takenPorts);
      mine.add(port.nodePort);
    });
    if (draft.healthCheckNodePort !== 0) checkNodePort(draft, ["spec", "healthCheckNodePort"], draft.healthCheckNodePort, takenPorts);
  }

  // Pass 2: fill in what was left out.
  return drafts.map((draft) => {
    const owner = `${draft.metadata.namespace}/${draft.metadata.name}`;
    const headless = draft.clusterIPs[0] === "None";
    const clusterIPs = [...draft.clusterIPs];
    if (draft.type !== "ExternalName" && !headless) {
      for (const family of draft.ipFamilies.slice(clusterIPs.length)) {
        clusterIPs.push(allocateIp(family, owner, takenIPs));
      }
    }

    const ports = draft.ports.map((port) => ({ ...port }));
    const allocatePorts = draft.type === "NodePort" || (draft.type === "LoadBalancer" && draft.allocateLoadBalancerNodePorts);
    // initNodePorts: ports that share a number (TCP and UDP 53) share one node port, preferring one
    // the learner gave for either of them.
    const byServicePort = new Map<number, number>();
    for (const port of ports) {
      if (!nodePortsUsed(draft) || (port.nodePort === 0 && !allocatePorts)) continue;
      let nodePort = port.nodePort !== 0 ? port.nodePort : byServicePort.get(port.port) ?? 0;
      if (nodePort === 0) nodePort = ports.find((other) => other.port === port.port && other.nodePort !== 0)?.nodePort ?? 0;
      if (nodePort === 0) nodePort = allocatePort(`${owner}/${port.protocol}/${port.port}`, takenPorts);
      byServicePort.set(port.port, nodePort);
      port.nodePort = nodePort;
    }
    const needsHealthCheck = draft.type === "LoadBalancer" && draft.externalTrafficPolicy === "Local";
    const healthCheckNodePort = !needsHealthCheck ? null
      : draft.healthCheckNodePort !== 0 ? draft.healthCheckNodePort : allocatePort(`${owner}/healthCheckNodePort`, takenPorts);

    const service: Service = {
      kind: "Service",
      metadata: draft.metadata,
      source: draft.source,
      type: draft.type,
      clusterIP: draft.type === "ExternalName" ? null : clusterIPs[0] ?? null,
      clusterIPs,
      ipFamilies: draft.ipFamilies,
      selector: draft.selector,
      ports: ports.map((port) => ({
        name: port.name,
        protocol: port.protocol,
        port: port.port,
        targetPort: port.targetPort,
        nodePort: port.nodePort === 0 || !nodePortsUsed(draft) ? null : port.nodePort,
        appProtocol: port.appProtocol,
      })),
      sessionAffinity: draft.sessionAffinity,
      sessionAffinityTimeoutSeconds: draft.sessionAffinityTimeoutSeconds,
      externalTrafficPolicy: draft.externalTrafficPolicy,
      internalTrafficPolicy: draft.internalTrafficPolicy,
      loadBalancerSourceRanges: draft.loadBalancerSourceRanges,
      externalIPs: draft.externalIPs,
      healthCheckNodePort,
      externalName: draft.externalName,
      loadBalancerIngress: draft.loadBalancerIngress,
    };
    return service;
  });
}

function checkNodePort(draft: ServiceDraft, path: (string | number)[], nodePort: number, taken: Set<number>): void {
  if (nodePort < nodePortRange.first || nodePort > nodePortRange.last) {
    draft.site.invalid(path, invalidMessage(nodePort,
      `provided port is not in the valid range. The range of valid ports is ${nodePortRange.first}-${nodePortRange.last}`));
  } else if (taken.has(nodePort)) {
    draft.site.invalid(path, invalidMessage(nodePort, "provided port is already allocated"));
  }
  taken.add(nodePort);
}

function allocatePort(seed: string, taken: Set<number>): number {
  const size = nodePortRange.last - nodePortRange.first + 1;
  const band = staticBand(size, 128);
  const dynamic = size - band;
  const start = fnv1a32(seed) % dynamic;
  // Probe the upper (dynamic) band first, then the lower one, as the allocator falls back.
  for (let i = 0; i < size; i++) {
    const offset = i < dynamic ? band + ((start + i) % dynamic) : i - dynamic;
    const port = nodePortRange.first + offset;
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error("the node-port range is full");
}

function allocateIp(family: IpFamily, owner: string, taken: Map<string, string>): string {
  const block = rangeOf(family);
  const size = 1n << BigInt(bitsOf(family) - block.prefix);
  // Usable offsets: 1 … size-2 for IPv4 (no network or broadcast address), 1 … size-1 for IPv6.
  const usable = family === "IPv4" ? size - 2n : size - 1n;
  const band = BigInt(staticBand(Number(usable > 1n << 20n ? 1n << 20n : usable), 256));
  const dynamic = usable - band;
  const start = BigInt(fnv1a32(`${owner}/${family}`)) % dynamic;
  for (let i = 0n; i < usable; i++) {
    const offset = 1n + (i < dynamic ? band + ((start + i) % dynamic) : i - dynamic);
    const ip = formatIp(family, block.network + offset);
    if (!taken.has(ip)) {
      taken.set(ip, owner);
      return ip;
    }
  }
  throw new Error(`the ${family} service range is full`);
}

