import type { ClusterState, EndpointSlice, KubeProxyConfiguration, Node, Service } from "./model";

/**
 * A cluster of any size, built straight as API objects (no YAML), for the benchmark, property tests
 * and the "grow the cluster" control: `services` ClusterIP Services, each with `endpointsPerService`
 * ready endpoints spread over `nodes` nodes. Addresses are laid out so none collide: Service
 * addresses from 10.96.0.0/12 (kubeadm's default service range), Pod addresses from 10.4.0.0/14 with
 * one /24 per node (GKE's default), node addresses from 10.128.0.0/20.
 */
export interface SyntheticOptions {
  readonly services: number;
  readonly endpointsPerService: number;
  readonly nodes?: number;
  /** Every n-th Service is a NodePort (0: none). */
  readonly nodePortEvery?: number;
}

function ipFrom(base: number, offset: number): string {
  const v = (base + offset) >>> 0;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
}

const SERVICE_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const POD_BASE = (10 << 24) | (4 << 16); // 10.4.0.0
const NODE_BASE = (10 << 24) | (128 << 16); // 10.128.0.0

export const SYNTHETIC_PROXY_CONFIG: KubeProxyConfiguration = {
  kind: "KubeProxyConfiguration",
  mode: "iptables",
  clusterCIDR: "10.4.0.0/14",
  detectLocalMode: "ClusterCIDR",
  detectLocal: { bridgeInterface: "", interfaceNamePrefix: "" },
  hostnameOverride: "",
  nodePortAddresses: [],
  iptables: { masqueradeBit: 14, masqueradeAll: false, localhostNodePorts: true },
  ipvs: { scheduler: "", strictARP: false },
};

export function syntheticCluster(options: SyntheticOptions): ClusterState {
  const nodeCount = Math.max(1, options.nodes ?? 3);
  const pods = Math.max(0, options.endpointsPerService);
  // 10.4.0.0/14 holds 1,024 /24s of 250 usable Pod addresses each in this plan.
  if (options.services * pods > 250 * 1024) throw new RangeError("more endpoints than 10.4.0.0/14 holds in the synthetic address plan");
  const nodes: Node[] = Array.from({ length: nodeCount }, (_, i) => ({
    kind: "Node",
    metadata: { name: `node-${i + 1}`, namespace: "", labels: { "topology.kubernetes.io/zone": `zone-${"abc"[i % 3]}` } },
    addresses: [{ type: "InternalIP", address: ipFrom(NODE_BASE, 10 + i) }],
    podCIDRs: [`10.${4 + Math.floor(i / 256)}.${i % 256}.0/24`],
  }));
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  let podIndex = 0;
  for (let s = 0; s < options.services; s++) {
    const name = `svc-${s + 1}`;
    const nodePort = options.nodePortEvery && s % options.nodePortEvery === 0 ? 30000 + (s % 2768) : null;
    services.push({
      kind: "Service",
      metadata: { name, namespace: "default", labels: {} },
      type: nodePort === null ? "ClusterIP" : "NodePort",
      clusterIP: ipFrom(SERVICE_BASE, 10 + s),
      clusterIPs: [ipFrom(SERVICE_BASE, 10 + s)],
      ipFamilies: ["IPv4"],
      selector: { app: name },
      ports: [{ name: "", protocol: "TCP", port: 80, targetPort: 8080, nodePort, appProtocol: null }],
      sessionAffinity: "None",
      sessionAffinityTimeoutSeconds: null,
      externalTrafficPolicy: nodePort === null ? null : "Cluster",
      internalTrafficPolicy: "Cluster",
      loadBalancerSourceRanges: [],
      externalIPs: [],
      healthCheckNodePort: null,
      externalName: null,
      loadBalancerIngress: [],
    });
    endpointSlices.push({
      kind: "EndpointSlice",
      metadata: { name: `${name}-abcde`, namespace: "default", labels: { "kubernetes.io/service-name": name } },
      serviceName: name,
      addressType: "IPv4",
      ports: [{ name: "", protocol: "TCP", port: 8080, appProtocol: null }],
      endpoints: Array.from({ length: pods }, () => {
        const i = podIndex++;
        const node = i % nodeCount;
        const slot = Math.floor(i / nodeCount);
        // One /24 per node, 250 Pods each, continuing into further /24s past 250.
        const address = ipFrom(POD_BASE, (node + nodeCount * Math.floor(slot / 250)) * 256 + 2 + (slot % 250));
        return {
          addresses: [address],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: nodes[node]!.metadata.name,
          zone: nodes[node]!.metadata.labels["topology.kubernetes.io/zone"] ?? null,
          hostname: null,
          targetRef: null,
        };
      }),
    });
  }
  return { services, endpointSlices, pods: [], nodes, proxyConfig: SYNTHETIC_PROXY_CONFIG, nodeName: "node-1" };
}
