import type {
  ClusterState,
  Endpoint,
  EndpointSlice,
  KubeProxyConfiguration,
  Node,
  Protocol,
  Service,
  ServicePort,
} from "../../../../src/sim/kube/model";

/** Small builders for cluster states, mirroring proxier_test.go's makeTestService / makeTestEndpointSlice. */
export function port(p: Partial<ServicePort> & { port: number }): ServicePort {
  return { name: "", protocol: "TCP", targetPort: p.port, nodePort: null, appProtocol: null, ...p };
}

export function service(namespace: string, name: string, spec: Partial<Service> & { clusterIP: string; ports: ServicePort[] }): Service {
  return {
    kind: "Service",
    metadata: { name, namespace, labels: {} },
    type: "ClusterIP",
    clusterIPs: [spec.clusterIP],
    ipFamilies: ["IPv4"],
    selector: { app: name },
    sessionAffinity: "None",
    sessionAffinityTimeoutSeconds: null,
    externalTrafficPolicy: spec.type === "NodePort" || spec.type === "LoadBalancer" ? "Cluster" : null,
    internalTrafficPolicy: "Cluster",
    loadBalancerSourceRanges: [],
    externalIPs: [],
    healthCheckNodePort: null,
    externalName: null,
    loadBalancerIngress: [],
    ...spec,
  };
}

export function endpoint(address: string, extra: Partial<Endpoint> & { ready?: boolean; serving?: boolean; terminating?: boolean } = {}): Endpoint {
  const { ready = true, serving = ready, terminating = false, ...rest } = extra;
  return { addresses: [address], conditions: { ready, serving, terminating }, nodeName: null, zone: null, hostname: null, targetRef: null, ...rest };
}

export function slice(
  namespace: string,
  serviceName: string,
  index: number,
  endpoints: Endpoint[],
  ports: { name?: string; port: number | null; protocol?: Protocol }[],
  addressType: EndpointSlice["addressType"] = "IPv4",
): EndpointSlice {
  return {
    kind: "EndpointSlice",
    metadata: { name: `${serviceName}-${index}`, namespace, labels: { "kubernetes.io/service-name": serviceName } },
    serviceName,
    addressType,
    ports: ports.map((p) => ({ name: p.name ?? "", port: p.port, protocol: p.protocol ?? "TCP", appProtocol: null })),
    endpoints,
  };
}

export const TEST_NODE = "test-node";

export function node(name: string, addresses: string[], podCIDRs: string[] = ["10.180.0.0/24"]): Node {
  return {
    kind: "Node",
    metadata: { name, namespace: "", labels: {} },
    addresses: addresses.map((address) => ({ type: "InternalIP" as const, address })),
    podCIDRs,
  };
}

export function proxyConfig(overrides: Partial<KubeProxyConfiguration> = {}): KubeProxyConfiguration {
  return {
    kind: "KubeProxyConfiguration",
    mode: "ipvs",
    clusterCIDR: "",
    detectLocalMode: "ClusterCIDR",
    detectLocal: { bridgeInterface: "", interfaceNamePrefix: "" },
    hostnameOverride: "",
    nodePortAddresses: [],
    iptables: { masqueradeBit: 14, masqueradeAll: false, localhostNodePorts: true },
    ipvs: { scheduler: "", strictARP: false },
    ...overrides,
  };
}

export function cluster(parts: {
  services: Service[];
  slices?: EndpointSlice[];
  nodeIPs?: string[];
  config?: Partial<KubeProxyConfiguration>;
  nodeName?: string;
}): ClusterState {
  const nodeName = parts.nodeName ?? TEST_NODE;
  return {
    services: parts.services,
    endpointSlices: parts.slices ?? [],
    pods: [],
    nodes: [node(nodeName, parts.nodeIPs ?? ["100.101.102.103"])],
    proxyConfig: proxyConfig(parts.config),
    nodeName,
  };
}

/** A small GKE-like cluster used across tests: DNS, a NodePort web app, a LoadBalancer, affinity. */
export function demoCluster(config: Partial<KubeProxyConfiguration> = {}): ClusterState {
  return cluster({
    nodeIPs: ["10.128.0.2"],
    config: { clusterCIDR: "10.4.0.0/14", ...config },
    services: [
      service("kube-system", "kube-dns", {
        clusterIP: "10.96.0.10",
        ports: [port({ name: "dns", protocol: "UDP", port: 53 }), port({ name: "dns-tcp", protocol: "TCP", port: 53 })],
      }),
      service("default", "web", {
        type: "NodePort",
        clusterIP: "10.96.12.7",
        ports: [port({ name: "http", port: 80, targetPort: 8080, nodePort: 30080 })],
        externalTrafficPolicy: "Local",
      }),
      service("default", "shop", {
        type: "LoadBalancer",
        clusterIP: "10.96.40.1",
        ports: [port({ name: "https", port: 443, targetPort: 8443, nodePort: 31443 })],
        loadBalancerIngress: [{ ip: "34.120.5.6", hostname: null, ipMode: "VIP" }],
        loadBalancerSourceRanges: ["10.128.0.0/20", "203.0.113.0/24"],
      }),
      service("default", "cart", {
        clusterIP: "10.96.50.5",
        ports: [port({ port: 8080 })],
        sessionAffinity: "ClientIP",
        sessionAffinityTimeoutSeconds: 10800,
      }),
    ],
    slices: [
      slice("kube-system", "kube-dns", 1, [endpoint("10.4.1.5", { nodeName: TEST_NODE }), endpoint("10.4.2.9", { nodeName: "node-b" })], [
        { name: "dns", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
      ]),
      slice("default", "web", 1, [endpoint("10.4.1.20", { nodeName: TEST_NODE }), endpoint("10.4.2.21", { nodeName: "node-b" })], [
        { name: "http", port: 8080 },
      ]),
      slice("default", "shop", 1, [endpoint("10.4.2.30", { nodeName: "node-b" }), endpoint("10.4.3.31", { nodeName: "node-c" })], [
        { name: "https", port: 8443 },
      ]),
      slice("default", "cart", 1, [endpoint("10.4.2.40", { nodeName: "node-b" }), endpoint("10.4.3.41", { nodeName: "node-c" }), endpoint("10.4.3.42", { nodeName: "node-c" })], [
        { port: 8080 },
      ]),
    ],
  });
}
