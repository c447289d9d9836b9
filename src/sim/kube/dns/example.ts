/**
 * The cluster the `dns NAME` command and the resolver stepper answer from, built directly (no YAML parser, so
 * the lab stays small): namespace `shop` with a ClusterIP Service `web` (named port http), a headless Service
 * `db` with two ready Pods, one with hostname/subdomain (a StatefulSet's shape), an ExternalName Service
 * `payments` → api.example.com; and `default/kubernetes`. kube-dns at 10.96.0.10.
 */
import type { DnsCluster } from "./records";
import type { EndpointSlice, Pod, Service } from "../model";

function service(namespace: string, name: string, fields: Partial<Service>): Service {
  return {
    kind: "Service",
    metadata: { name, namespace, labels: {} },
    type: "ClusterIP",
    clusterIP: null,
    clusterIPs: [],
    ipFamilies: ["IPv4"],
    selector: null,
    ports: [],
    sessionAffinity: "None",
    sessionAffinityTimeoutSeconds: null,
    externalTrafficPolicy: null,
    internalTrafficPolicy: "Cluster",
    loadBalancerSourceRanges: [],
    externalIPs: [],
    healthCheckNodePort: null,
    externalName: null,
    loadBalancerIngress: [],
    ...fields,
  };
}

function port(name: string, number: number): Service["ports"][number] {
  return { name, protocol: "TCP", port: number, targetPort: number, nodePort: null, appProtocol: null };
}

function pod(namespace: string, name: string, ip: string, extra: Partial<Pod> = {}): Pod {
  return { kind: "Pod", metadata: { name, namespace, labels: {} }, nodeName: "node-a", hostNetwork: false, podIPs: [ip], phase: "Running", ready: true, terminating: false, ports: [], ...extra };
}

const pods: Pod[] = [
  pod("shop", "web-7c9d8f6b5d-4xk2p", "10.244.1.12"),
  pod("shop", "db-0", "10.244.1.20", { hostname: "db-0", subdomain: "db" }),
  pod("shop", "db-1", "10.244.2.21", { hostname: "db-1", subdomain: "db" }),
];

const dbSlice: EndpointSlice = {
  kind: "EndpointSlice",
  metadata: { name: "db-x7k2q", namespace: "shop", labels: { "kubernetes.io/service-name": "db" } },
  serviceName: "db",
  addressType: "IPv4",
  ports: [{ name: "postgres", protocol: "TCP", port: 5432, appProtocol: null }],
  endpoints: ["db-0", "db-1"].map((name, i) => ({
    addresses: [i === 0 ? "10.244.1.20" : "10.244.2.21"],
    conditions: { ready: true, serving: true, terminating: false },
    nodeName: i === 0 ? "node-a" : "node-b",
    zone: null,
    hostname: null,
    targetRef: { kind: "Pod", name, namespace: "shop" },
  })),
};

export const EXAMPLE_KUBE_DNS_IP = "10.96.0.10";

export const EXAMPLE_DNS_CLUSTER: DnsCluster = {
  services: [
    service("default", "kubernetes", { clusterIP: "10.96.0.1", clusterIPs: ["10.96.0.1"], ports: [port("https", 443)] }),
    service("kube-system", "kube-dns", { clusterIP: EXAMPLE_KUBE_DNS_IP, clusterIPs: [EXAMPLE_KUBE_DNS_IP], ports: [{ ...port("dns", 53), protocol: "UDP" }, port("dns-tcp", 53)] }),
    service("shop", "web", { clusterIP: "10.96.120.15", clusterIPs: ["10.96.120.15"], selector: { app: "web" }, ports: [port("http", 80)] }),
    service("shop", "db", { clusterIP: "None", clusterIPs: ["None"], selector: { app: "db" }, ports: [port("postgres", 5432)] }),
    service("shop", "payments", { type: "ExternalName", externalName: "api.example.com", ipFamilies: [] }),
  ],
  endpointSlices: [dbSlice],
  pods,
};

export const EXAMPLE_NAMESPACES = ["shop", "default", "kube-system"] as const;
