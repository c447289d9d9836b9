import { loadManifests } from "../../../sim/kube/manifest/index";
import type { ClusterState } from "../../../sim/kube/model";

/**
 * Small clusters written as the Kubernetes YAML a learner would paste: Services, the Pods behind them
 * (whose Ready condition and deletionTimestamp the EndpointSlice controller turns into endpoint
 * conditions), Nodes and kube-proxy's configuration. Every variant's manifests go through the real
 * loader (`loadCluster`), so the API server's validation and defaulting apply to them as to a paste.
 *
 * The address plan follows the lessons' examples: nodes in 10.0.1.0/24, Pods in 10.244.0.0/16 with one
 * /24 per node, Services from 10.96.0.0/12, load balancer addresses from 203.0.113.0/24 (RFC 5737).
 */
export interface NodeSpec {
  readonly name: string;
  readonly ip: string;
  /** The node's Pod range; its Pods take addresses in it. */
  readonly podCidr: string;
}

export const NODES: readonly NodeSpec[] = [
  { name: "node-a", ip: "10.0.1.11", podCidr: "10.244.1.0/24" },
  { name: "node-b", ip: "10.0.1.12", podCidr: "10.244.2.0/24" },
  { name: "node-c", ip: "10.0.1.13", podCidr: "10.244.3.0/24" },
];

export const CLUSTER_CIDR = "10.244.0.0/16";

/** The n-th Pod address (n ≥ 2) in a node's /24. */
export function podIp(node: NodeSpec, n: number): string {
  return node.podCidr.replace(/0\/24$/, String(n));
}

export interface PodSpec {
  readonly name: string;
  readonly namespace: string;
  /** The `app` label a Service selects. */
  readonly app: string;
  readonly node: string;
  readonly ip: string;
  /** status.conditions[Ready]. */
  readonly ready: boolean;
  /** metadata.deletionTimestamp is set. */
  readonly terminating: boolean;
  /** A container port (none for a client Pod). */
  readonly port: { readonly name: string; readonly number: number; readonly protocol: "TCP" | "UDP" } | null;
}

export interface ServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly app: string;
  readonly type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  /** An address, "None" for a headless Service, or null to let the API server allocate (or for ExternalName). */
  readonly clusterIP: string | null;
  readonly portName: string;
  readonly protocol: "TCP" | "UDP";
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly externalTrafficPolicy?: "Cluster" | "Local";
  /** sessionAffinity: ClientIP with this timeout, in seconds. */
  readonly affinityTimeout?: number;
  /** status.loadBalancer.ingress[0].ip. */
  readonly loadBalancerIP?: string;
  readonly externalName?: string;
}

export interface ClusterSpec {
  readonly services: readonly ServiceSpec[];
  readonly pods: readonly PodSpec[];
  readonly nodes: readonly NodeSpec[];
  /** The node kube-proxy runs on (hostnameOverride): the paste lab sends an outside packet here. */
  readonly proxyNode: string;
}

/** One Service as a YAML document. */
export function serviceYaml(s: ServiceSpec): string {
  const lines = ["apiVersion: v1", "kind: Service", "metadata:", `  name: ${s.name}`, `  namespace: ${s.namespace}`, "spec:", `  type: ${s.type}`];
  if (s.type === "ExternalName") {
    lines.push(`  externalName: ${s.externalName ?? "db.example.com"}`);
    return lines.join("\n");
  }
  if (s.clusterIP !== null) lines.push(`  clusterIP: ${s.clusterIP === "None" ? "None" : s.clusterIP}`);
  lines.push("  selector:", `    app: ${s.app}`);
  if (s.affinityTimeout !== undefined) {
    lines.push("  sessionAffinity: ClientIP", "  sessionAffinityConfig:", "    clientIP:", `      timeoutSeconds: ${s.affinityTimeout}`);
  }
  if (s.externalTrafficPolicy && s.type !== "ClusterIP") lines.push(`  externalTrafficPolicy: ${s.externalTrafficPolicy}`);
  lines.push("  ports:", `  - name: ${s.portName}`, `    protocol: ${s.protocol}`, `    port: ${s.port}`, `    targetPort: ${s.targetPort}`);
  if (s.nodePort !== undefined && s.type !== "ClusterIP") lines.push(`    nodePort: ${s.nodePort}`);
  if (s.loadBalancerIP && s.type === "LoadBalancer") {
    lines.push("status:", "  loadBalancer:", "    ingress:", `    - ip: ${s.loadBalancerIP}`, "      ipMode: VIP");
  }
  return lines.join("\n");
}

function podYaml(p: PodSpec): string {
  const lines = ["apiVersion: v1", "kind: Pod", "metadata:", `  name: ${p.name}`, `  namespace: ${p.namespace}`, "  labels:", `    app: ${p.app}`];
  // A Pod being deleted keeps running through its grace period; the API shows it by this timestamp.
  if (p.terminating) lines.push('  deletionTimestamp: "2025-06-01T12:00:00Z"');
  lines.push("spec:", `  nodeName: ${p.node}`, "  containers:", `  - name: ${p.app}`, `    image: registry.example/${p.app}:1.0`);
  if (p.port) lines.push("    ports:", `    - name: ${p.port.name}`, `      containerPort: ${p.port.number}`, `      protocol: ${p.port.protocol}`);
  lines.push("status:", "  phase: Running", "  podIPs:", `  - ip: ${p.ip}`, "  conditions:", "  - type: Ready", `    status: "${p.ready ? "True" : "False"}"`);
  return lines.join("\n");
}

function nodeYaml(n: NodeSpec): string {
  return ["apiVersion: v1", "kind: Node", "metadata:", `  name: ${n.name}`, "spec:", "  podCIDRs:", `  - ${n.podCidr}`, "status:", "  addresses:", "  - type: InternalIP", `    address: ${n.ip}`].join("\n");
}

/** The cluster as one multi-document YAML text, Services first, kube-proxy's configuration last. */
export function clusterYaml(spec: ClusterSpec): string {
  const proxy = ["apiVersion: kubeproxy.config.k8s.io/v1alpha1", "kind: KubeProxyConfiguration", "mode: iptables", `clusterCIDR: ${CLUSTER_CIDR}`, `hostnameOverride: ${spec.proxyNode}`].join("\n");
  return `${[...spec.services.map(serviceYaml), ...spec.pods.map(podYaml), ...spec.nodes.map(nodeYaml), proxy].join("\n---\n")}\n`;
}

/** The manifests loaded as the API server and kube-proxy would see them. @throws ManifestError for a template that wrote invalid YAML */
export function loadCluster(yaml: string): ClusterState {
  return loadManifests([{ name: "manifests.yaml", text: yaml }]).state;
}

/** A client Pod with no Service in front of it, for journeys that start in the cluster. */
export function clientPod(node: NodeSpec, n = 50): PodSpec {
  return { name: "checkout-5d7f8c9b6-r2x4q", namespace: "shop", app: "checkout", node: node.name, ip: podIp(node, n), ready: true, terminating: false, port: null };
}

/** Pod names as a ReplicaSet makes them: the app, a template hash, five characters. */
export function replicaName(app: string, i: number): string {
  const suffixes = ["4xk2p", "9bq7m", "tz5wd", "h2c8n", "q7r4v", "m3x9k", "w8p2l", "f5j6s"];
  const round = Math.floor(i / suffixes.length);
  return `${app}-7c9d8f6b5d-${suffixes[i % suffixes.length]}${round ? String(round) : ""}`;
}

export interface DrawOptions {
  readonly type: ServiceSpec["type"];
  /** How many backend Pods (all Ready unless `conditions` says otherwise). */
  readonly endpoints: number;
  /** How many nodes (2 or 3). */
  readonly nodes: number;
  readonly protocol?: "TCP" | "UDP";
  readonly externalTrafficPolicy?: "Cluster" | "Local";
  readonly affinityTimeout?: number;
  /** Per backend: ready and terminating; missing entries are Ready and not terminating. */
  readonly conditions?: readonly { readonly ready: boolean; readonly terminating: boolean }[];
  /** Backend i's node index; missing entries are drawn. */
  readonly placement?: readonly number[];
  /** Add a client Pod on this node index. */
  readonly clientNode?: number;
  /** kube-proxy's node index (default 0). */
  readonly proxyNode?: number;
}

export interface DrawnCluster {
  readonly spec: ClusterSpec;
  readonly yaml: string;
  readonly service: ServiceSpec;
  readonly backends: readonly PodSpec[];
  readonly client: PodSpec | null;
  readonly nodes: readonly NodeSpec[];
}

const APPS = ["web", "cart", "search", "orders", "catalog", "pricing"] as const;

/**
 * One Service of the given type in front of `endpoints` Pods spread over the nodes, with the names,
 * ports and addresses drawn from `random`.
 */
export function drawCluster(random: () => number, options: DrawOptions): DrawnCluster {
  const nodes = NODES.slice(0, Math.max(1, Math.min(NODES.length, options.nodes)));
  const app = APPS[Math.floor(random() * APPS.length)]!;
  const protocol = options.protocol ?? "TCP";
  const port = [80, 8080, 443, 9090][Math.floor(random() * 4)]!;
  const targetPort = [8080, 8443, 3000, 5000][Math.floor(random() * 4)]!;
  const clusterIP = `10.96.${1 + Math.floor(random() * 250)}.${2 + Math.floor(random() * 250)}`;
  const nodePort = 30000 + Math.floor(random() * 2768);
  const next = nodes.map(() => 10 + Math.floor(random() * 20));
  const backends: PodSpec[] = Array.from({ length: options.endpoints }, (_, i) => {
    const nodeIndex = options.placement?.[i] ?? Math.floor(random() * nodes.length);
    const node = nodes[nodeIndex % nodes.length]!;
    const ip = podIp(node, next[nodeIndex % nodes.length]!);
    next[nodeIndex % nodes.length]! += 1 + Math.floor(random() * 3);
    const c = options.conditions?.[i] ?? { ready: true, terminating: false };
    return { name: replicaName(app, i), namespace: "shop", app, node: node.name, ip, ready: c.ready, terminating: c.terminating, port: { name: "http", number: targetPort, protocol } };
  });
  const service: ServiceSpec = {
    name: app,
    namespace: "shop",
    app,
    type: options.type,
    clusterIP: options.type === "ExternalName" ? null : clusterIP,
    portName: "http",
    protocol,
    port,
    targetPort: "http",
    ...(options.type === "NodePort" || options.type === "LoadBalancer" ? { nodePort, externalTrafficPolicy: options.externalTrafficPolicy ?? "Cluster" } : {}),
    ...(options.type === "LoadBalancer" ? { loadBalancerIP: `203.0.113.${10 + Math.floor(random() * 200)}` } : {}),
    ...(options.affinityTimeout !== undefined ? { affinityTimeout: options.affinityTimeout } : {}),
  };
  const client = options.clientNode === undefined ? null : clientPod(nodes[options.clientNode % nodes.length]!, 150 + Math.floor(random() * 100));
  const spec: ClusterSpec = {
    services: [service],
    pods: [...backends, ...(client ? [client] : [])],
    nodes,
    proxyNode: nodes[(options.proxyNode ?? 0) % nodes.length]!.name,
  };
  // Not loaded here: every template runs the YAML through the real loader (a journey, or `loadCluster`).
  return { spec, yaml: clusterYaml(spec), service, backends, client, nodes };
}
