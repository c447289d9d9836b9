/**
 * Broken clusters for the troubleshooting lab: each case is ordinary Kubernetes YAML (two nodes, a
 * client Pod, a Service and its Pods, sometimes an Ingress) with one fault planted in it. Nothing
 * about the fault is stored here beyond its family: every symptom a learner sees is computed by the
 * course's Kubernetes model from the YAML (see shell.ts), and the diagnosis is read back from it
 * (diagnose.ts).
 *
 * The builders take a few drawn parameters so the question bank can ask about many clusters; the lab
 * uses `LAB_CASES`, one canonical cluster per fault.
 */
import { randomInt, seededRandom } from "../../random";

export type FaultFamily = "selector-mismatch" | "not-ready" | "target-port" | "no-local-endpoint" | "host-typo" | "dns-policy" | "mtu-black-hole";

export const FAULT_FAMILIES: readonly FaultFamily[] = ["selector-mismatch", "not-ready", "target-port", "no-local-endpoint", "host-typo", "dns-policy", "mtu-black-hole"];

export interface CaseParams {
  readonly namespace: string;
  readonly app: string;
  /** How many Pods the Deployment would have created (1–3). */
  readonly replicas: number;
  /** The Service port and the port the application really listens on. */
  readonly servicePort: number;
  readonly appPort: number;
  /** Host of the Ingress case. */
  readonly host: string;
  readonly mode: "iptables" | "ipvs";
}

export interface TroubleCase {
  readonly id: string;
  readonly family: FaultFamily;
  readonly title: string;
  /** What the user reports: the symptom, never the cause. */
  readonly report: string;
  readonly params: CaseParams;
  /** The request that fails, as the learner would type it. */
  readonly probe: string;
  readonly yaml: string;
  /** The address the Ingress's load balancer holds (status.loadBalancer, which the L7 reader does not keep); null without an Ingress. */
  readonly ingressAddress: string | null;
  /** The MTU case's path outside the cluster (null in the others): see `OnPremPath`. */
  readonly onPrem: OnPremPath | null;
  /** The case with its fault repaired (the DNS case's policy allows kube-dns; the MTU case's firewall passes ICMP 3/4). */
  readonly fixed: boolean;
}

/**
 * The MTU case's world outside the cluster, on Google Cloud: the Pods (GKE Dataplane V2, VPC MTU 1460, so
 * Pod MTU 1460) reach an on-premises server over a Cloud Interconnect VLAN attachment set to MTU 1460
 * (attachments default to 1440, which would itself be narrower than the Pods); on the on-premises side the path to
 * the server crosses a site-to-site tunnel whose MTU is 1400, and the on-premises firewall passes ICMP
 * echo but drops every other ICMP message — "fragmentation needed" included.
 */
export interface OnPremPath {
  readonly server: string;
  /** The on-premises router in front of the narrow link: it sends the ICMP 3/4. */
  readonly router: string;
  readonly linkMtu: number;
  readonly icmpFiltered: boolean;
}

/** Node addresses (the VPC's node range) and Pod ranges; node-a is where the lab's shell runs. */
export const NODES = [
  { name: "node-a", ip: "10.128.0.2", external: "192.0.2.11", podCidr: "10.244.1.0/24" },
  { name: "node-b", ip: "10.128.0.3", external: "192.0.2.12", podCidr: "10.244.2.0/24" },
] as const;

/** The client Pod the lab's curl runs in (on node-a), and a machine outside the cluster. */
export const CLIENT_POD = { name: "client", ip: "10.244.1.5" } as const;
export const OUTSIDE_CLIENT = "198.51.100.7";
export const LB_IP = "203.0.113.10";
export const INGRESS_IP = "203.0.113.20";
export const CLUSTER_IP = "10.96.0.20";
export const NODE_PORT = 30080;
export const HEALTH_CHECK_NODE_PORT = 32001;
/** kube-dns's Service address (kubelet's --cluster-dns) and its Pod, on node-b. */
export const KUBE_DNS_IP = "10.96.0.10";
export const KUBE_DNS_POD = { name: "kube-dns-5b8d7f9c6-x7m4q", ip: "10.244.2.2" } as const;
/** The size of the file the MTU case uploads (`--data-binary @report.bin`). */
export const REPORT_BODY_BYTES = 65536;
export const ON_PREM = { server: "192.168.50.10", router: "192.168.0.1", linkMtu: 1400 } as const;

const APPS = ["web", "shop", "api", "cart", "search"] as const;
const NAMESPACES = ["default", "prod", "store"] as const;
const PORT_PAIRS = [[80, 8080], [80, 3000], [8080, 8080], [443, 8443], [80, 5000]] as const;
const DOMAINS = ["example.com", "example.org", "example.net"] as const;

/** The parameters a case is built from; seed 0 is the lab's canonical cluster. */
export function drawParams(seed: number): CaseParams {
  if (seed === 0) return { namespace: "default", app: "web", replicas: 2, servicePort: 80, appPort: 8080, host: "shop.example.com", mode: "iptables" };
  const r = seededRandom(seed ^ 0x7b1e);
  const app = APPS[randomInt(r, 0, APPS.length - 1)]!;
  const [servicePort, appPort] = PORT_PAIRS[randomInt(r, 0, PORT_PAIRS.length - 1)]!;
  return {
    namespace: NAMESPACES[randomInt(r, 0, NAMESPACES.length - 1)]!,
    app,
    replicas: randomInt(r, 1, 3),
    servicePort,
    appPort,
    host: `${app}.${DOMAINS[randomInt(r, 0, DOMAINS.length - 1)]!}`,
    mode: r() < 0.3 ? "ipvs" : "iptables",
  };
}

/** A one-letter slip in a host name: two neighbouring letters of its first label swapped (shop → sohp). */
export function typoOf(host: string): string {
  const dot = host.indexOf(".");
  const label = host.slice(0, dot);
  if (label.length < 2) return `x${host}`;
  const i = Math.max(0, label.length - 3);
  const swapped = label.slice(0, i) + label[i + 1] + label[i] + label.slice(i + 2);
  return swapped === label ? `${label}s${host.slice(dot)}` : swapped + host.slice(dot);
}

function node(n: (typeof NODES)[number]): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${n.name}
  labels:
    kubernetes.io/hostname: ${n.name}
    topology.kubernetes.io/zone: us-central1-a
spec:
  podCIDR: ${n.podCidr}
  podCIDRs:
  - ${n.podCidr}
status:
  addresses:
  - type: InternalIP
    address: ${n.ip}
  - type: ExternalIP
    address: ${n.external}
  - type: Hostname
    address: ${n.name}
`;
}

interface PodSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly node: string;
  readonly ip: string;
  readonly port: number | null;
  readonly ready: boolean;
}

function pod(p: PodSpec): string {
  const labels = Object.entries(p.labels).map(([k, v]) => `    ${k}: ${v}`).join("\n");
  const ports = p.port === null ? "" : `\n    ports:\n    - containerPort: ${p.port}`;
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${p.name}
  namespace: ${p.namespace}
  labels:
${labels}
spec:
  nodeName: ${p.node}
  containers:
  - name: ${p.name.split("-")[0]}
    image: registry.example/${p.name.split("-")[0]}:1.4${ports}
status:
  phase: Running
  podIPs:
  - ip: ${p.ip}
  conditions:
  - type: Ready
    status: "${p.ready ? "True" : "False"}"
`;
}

const POD_SUFFIXES = ["7d9f8b6c5-4xk2p", "7d9f8b6c5-9qzt7", "7d9f8b6c5-m2wbn"] as const;

/** Builds one broken cluster of the given family. */
export function buildCase(family: FaultFamily, params: CaseParams, thisNode: "node-a" | "node-b" = "node-a", fixed = false): TroubleCase {
  // The ETP Local case is iptables mode: its "has no local endpoints" DROP is the rule to find.
  // Only the Ingress case has a host; the others keep a fixed one so equal clusters have equal params.
  const p: CaseParams = {
    ...params,
    ...(family === "no-local-endpoint" ? { mode: "iptables" as const } : {}),
    ...(family === "host-typo" ? {} : { host: `${params.app}.example.com` }),
  };
  const selector = family === "selector-mismatch" ? `${p.app}-frontend` : p.app;
  const targetPort = family === "target-port" ? (p.appPort === 8080 ? 8000 : 8080) : p.appPort;
  const etp = family === "no-local-endpoint";
  const ingress = family === "host-typo";
  // With externalTrafficPolicy: Local the Pods all sit on node-b, so node-a has no local endpoint.
  const pods = Array.from({ length: p.replicas }, (_, i): PodSpec => {
    const onB = etp || i % 2 === 0;
    return {
      name: `${p.app}-${POD_SUFFIXES[i]!}`,
      namespace: p.namespace,
      labels: { app: p.app, "pod-template-hash": "7d9f8b6c5" },
      node: onB ? "node-b" : "node-a",
      ip: onB ? `10.244.2.${10 + i}` : `10.244.1.${10 + i}`,
      port: p.appPort,
      ready: family !== "not-ready",
    };
  });
  const serviceType = etp ? "LoadBalancer" : ingress ? "NodePort" : "ClusterIP";
  const service = `apiVersion: v1
kind: Service
metadata:
  name: ${p.app}
  namespace: ${p.namespace}
spec:
  type: ${serviceType}
  clusterIP: ${CLUSTER_IP}${etp ? `\n  externalTrafficPolicy: Local\n  healthCheckNodePort: ${HEALTH_CHECK_NODE_PORT}` : ""}
  selector:
    app: ${selector}
  ports:
  - name: http
    protocol: TCP
    port: ${p.servicePort}
    targetPort: ${targetPort}${etp || ingress ? `\n    nodePort: ${NODE_PORT}` : ""}${etp ? `\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: ${LB_IP}\n      ipMode: VIP` : ""}
`;
  const ingressYaml = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${p.app}
  namespace: ${p.namespace}
spec:
  rules:
  - host: ${typoOf(p.host)}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: ${p.app}
            port:
              number: ${p.servicePort}
status:
  loadBalancer:
    ingress:
    - ip: ${INGRESS_IP}
`;
  const proxy = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ${p.mode}
clusterCIDR: 10.244.0.0/16
hostnameOverride: ${thisNode}
`;
  const client = pod({ name: CLIENT_POD.name, namespace: p.namespace, labels: { run: "client" }, node: "node-a", ip: CLIENT_POD.ip, port: null, ready: true });
  const dns = family === "dns-policy";
  const mtu = family === "mtu-black-hole";
  const yaml = [proxy, ...NODES.map(node), service, ...(ingress ? [ingressYaml] : []), ...(dns ? dnsObjects(p, fixed) : []), client, ...pods.map(pod)].join("---\n");
  const svcUrl = `http://${p.app}${p.servicePort === 80 ? "" : `:${p.servicePort}`}/`;
  const probe = etp ? `curl -v http://${NODES[0].ip}:${NODE_PORT}/`
    : ingress ? `curl -v -H 'Host: ${p.host}' http://${INGRESS_IP}/`
      : mtu ? `curl -v -m 30 --data-binary @report.bin http://${ON_PREM.server}/upload`
        : `curl -v ${svcUrl}`;
  const report = {
    "selector-mismatch": `Requests to the ${p.app} Service fail at once, from every Pod.`,
    "not-ready": `Since the last rollout, requests to the ${p.app} Service fail at once.`,
    "target-port": `Requests to the ${p.app} Service are refused, yet its Pods are Running and Ready.`,
    "no-local-endpoint": `Clients that reach the ${p.app} Service through node-a's NodePort (${NODES[0].ip}:${NODE_PORT}) hang; through node-b it answers.`,
    "host-typo": `https://${p.host}/ answers 404 for every path, though the ${p.app} Pods serve it fine from inside the cluster.`,
    "dns-policy": `Since a security change in namespace ${p.namespace}, requests from its Pods to http://${p.app}/ fail after about twenty seconds; the ${p.app} Pods are Running.`,
    "mtu-black-hole": `From the cluster, small requests to the on-premises API at ${ON_PREM.server} work, but uploads of more than a few kilobytes hang until they time out.`,
  }[family];
  const titles: Record<FaultFamily, string> = {
    "selector-mismatch": "Nothing answers",
    "not-ready": "After the rollout",
    "target-port": "Refused, but everything is green",
    "no-local-endpoint": "Half the nodes hang",
    "host-typo": "404 from the edge",
    "dns-policy": "Names stopped working",
    "mtu-black-hole": "Small works, big hangs",
  };
  return {
    id: family, family, title: titles[family], report, params: p, probe, yaml,
    ingressAddress: ingress ? INGRESS_IP : null,
    onPrem: mtu ? { ...ON_PREM, icmpFiltered: !fixed } : null,
    fixed,
  };
}

/**
 * The DNS case's extra objects: kube-dns (Service and one Pod in kube-system) and the namespace's egress
 * allow-list, which lets the Pods reach the app's Pods on the app's port and forgets DNS. Fixed, it gains
 * the rule every egress allow-list needs: kube-dns's Pods, UDP and TCP 53.
 */
function dnsObjects(p: CaseParams, fixed: boolean): string[] {
  const dnsRule = fixed ? `
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53` : "";
  return [`apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  type: ClusterIP
  clusterIP: ${KUBE_DNS_IP}
  selector:
    k8s-app: kube-dns
  ports:
  - name: dns
    protocol: UDP
    port: 53
    targetPort: 53
  - name: dns-tcp
    protocol: TCP
    port: 53
    targetPort: 53
`, `apiVersion: v1
kind: Pod
metadata:
  name: ${KUBE_DNS_POD.name}
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  nodeName: node-b
  containers:
  - name: kubedns
    image: registry.example/kube-dns:1.23
    ports:
    - containerPort: 53
      protocol: UDP
      name: dns
    - containerPort: 53
      protocol: TCP
      name: dns-tcp
status:
  phase: Running
  podIPs:
  - ip: ${KUBE_DNS_POD.ip}
  conditions:
  - type: Ready
    status: "True"
`, `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-allow-list
  namespace: ${p.namespace}
spec:
  podSelector: {}
  policyTypes:
  - Egress
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: ${p.app}
    ports:
    - protocol: TCP
      port: ${p.appPort}${dnsRule}
`];
}

/** The lab's seven clusters (seed 0's parameters; the readiness case runs kube-proxy in IPVS mode). */
export const LAB_CASES: readonly TroubleCase[] = FAULT_FAMILIES.map((family) => {
  const base = drawParams(0);
  return buildCase(family, family === "not-ready" ? { ...base, mode: "ipvs" } : base);
});

/** The same cluster with its fault repaired (for the cases that have a one-object fix: DNS policy, MTU black hole). */
export function fixedCase(trouble: TroubleCase): TroubleCase {
  return buildCase(trouble.family, trouble.params, "node-a", true);
}

export function labCase(id: string): TroubleCase | undefined {
  return LAB_CASES.find((c) => c.id === id);
}
