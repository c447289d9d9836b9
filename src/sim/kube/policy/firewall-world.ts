/**
 * The firewall lab's world: one LoadBalancer Service in front of Pods on two GKE nodes, an optional
 * NetworkPolicy admitting the office range, and the loader that reads such a world from YAML.
 *
 * `shop/web` answers on 203.0.113.10:443 (RFC 5737 documentation addresses throughout) and may only be
 * reached from the office, 198.51.100.0/24. Its only Pod runs on node-b, so under
 * externalTrafficPolicy: Cluster a connection the LB hands to node-a is forwarded — and masqueraded.
 */
import { loadManifests, type ManifestFile, type ManifestProblem } from "../manifest/index";
import type { ClusterState } from "../model";
import type { PolicyWorld } from "./evaluate";
import { namespaceKind, networkPolicyKind } from "./read";
import type { NamespaceLabels, NetworkPolicy } from "./types";

export interface FirewallWorld {
  readonly state: ClusterState;
  readonly policies: PolicyWorld;
  readonly warnings: readonly ManifestProblem[];
}

/** @throws ManifestError listing every problem in the files */
export function loadFirewallWorld(files: readonly ManifestFile[]): FirewallWorld {
  const { state, extra, warnings } = loadManifests(files, { kinds: { NetworkPolicy: networkPolicyKind, Namespace: namespaceKind } });
  const policies = (extra["NetworkPolicy"] ?? []) as NetworkPolicy[];
  const given = (extra["Namespace"] ?? []) as NamespaceLabels[];
  const names = new Set([...given.map((n) => n.name), ...state.pods.map((p) => p.metadata.namespace), ...policies.map((p) => p.namespace)]);
  const namespaces = [...names].map((name) => given.find((n) => n.name === name) ?? { name, labels: { "kubernetes.io/metadata.name": name } });
  return { state, policies: { policies, namespaces }, warnings };
}

export const FIREWALL_SERVICE = "shop/web";
export const FIREWALL_LB_IP = "203.0.113.10";
export const OFFICE_RANGE = "198.51.100.0/24";

export interface FirewallWorldOptions {
  /** spec.loadBalancerSourceRanges; empty leaves the field out. */
  readonly sourceRanges: readonly string[];
  readonly trafficPolicy: "Cluster" | "Local";
  /** Whether the NetworkPolicy admitting only the office range on 8443 is applied. */
  readonly policy: boolean;
}

export const defaultWorldOptions: FirewallWorldOptions = { sourceRanges: [OFFICE_RANGE], trafficPolicy: "Cluster", policy: true };

/** The world's YAML for the given settings. */
export function firewallWorldYaml(o: FirewallWorldOptions = defaultWorldOptions): string {
  const ranges = o.sourceRanges.length ? `  loadBalancerSourceRanges:\n${o.sourceRanges.map((r) => `  - ${r}`).join("\n")}\n` : "";
  const hc = o.trafficPolicy === "Local" ? "  healthCheckNodePort: 31844\n" : "";
  const policy = o.policy ? `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-office
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
  - Ingress
  ingress:
  - from:
    - ipBlock:
        cidr: ${OFFICE_RANGE}
    ports:
    - protocol: TCP
      port: 8443
` : "";
  return `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  externalTrafficPolicy: ${o.trafficPolicy}
${hc}  selector:
    app: web
  ports:
  - name: https
    port: 443
    targetPort: 8443
${ranges}status:
  loadBalancer:
    ingress:
    - ip: ${FIREWALL_LB_IP}
      ipMode: VIP
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7c9d8f6b5-q4wzt
  namespace: shop
  labels:
    app: web
spec:
  nodeName: node-b
  containers:
  - name: web
    image: registry.example/web:3.1
    ports:
    - name: https
      containerPort: 8443
status:
  phase: Running
  podIPs:
  - ip: 10.244.2.17
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
spec:
  podCIDRs:
  - 10.244.1.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.11
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
spec:
  podCIDRs:
  - 10.244.2.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.12
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.244.0.0/16
hostnameOverride: node-a
${policy}`;
}
