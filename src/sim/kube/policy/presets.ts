/**
 * The matrix lab's preset clusters: the same five Pods in three namespaces, with the policies that
 * show one idea each. Plain YAML, as a learner would `kubectl apply` it.
 */
import type { Protocol } from "../model";

const pod = (ns: string, name: string, labels: string, ip: string, ports = "") => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns}, labels: { ${labels} } }
spec:
  containers:
  - name: main
    image: registry.example/${name}:1
${ports === "" ? "" : `    ports:\n${ports}`}status: { phase: Running, podIPs: [{ ip: ${ip} }] }
`;

export const policyPods = [
  `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: v1
kind: Namespace
metadata: { name: monitoring, labels: { purpose: monitoring } }
`,
  pod("shop", "frontend", "app: frontend", "10.4.0.10"),
  pod("shop", "backend", "app: backend", "10.4.0.11", "    - { name: http, containerPort: 8080 }\n"),
  pod("shop", "db", "app: db", "10.4.1.12", "    - { name: postgres, containerPort: 5432 }\n"),
  pod("shop", "scraper", "app: prometheus", "10.4.1.13"),
  pod("monitoring", "prometheus", "app: prometheus", "10.4.2.20"),
  pod("monitoring", "grafana", "app: grafana", "10.4.2.21"),
  pod("kube-system", "kube-dns", "k8s-app: kube-dns", "10.4.1.2", "    - { name: dns, containerPort: 53, protocol: UDP }\n    - { name: dns-tcp, containerPort: 53, protocol: TCP }\n"),
].join("---\n");

const defaultDenyIngress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-ingress, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

export interface PolicyPreset {
  readonly id: string;
  readonly title: string;
  /** What the preset shows, in a sentence. */
  readonly summary: string;
  readonly policies: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export const policyPresets: readonly PolicyPreset[] = [
  {
    id: "none", title: "No policies", port: 8080, protocol: "TCP",
    summary: "No policy selects any Pod, so no Pod is isolated and every pair connects.",
    policies: "",
  },
  {
    id: "default-deny", title: "Default deny (ingress)", port: 8080, protocol: "TCP",
    summary: "An empty podSelector selects every Pod in shop for Ingress and no rule allows anything in; their egress is untouched.",
    policies: defaultDenyIngress,
  },
  {
    id: "allow-frontend", title: "Allow from frontend", port: 8080, protocol: "TCP",
    summary: "On top of default deny, backend takes port http (8080) from frontend only; the rules add up.",
    policies: `${defaultDenyIngress}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: backend-from-frontend, namespace: shop }
spec:
  podSelector: { matchLabels: { app: backend } }
  ingress:
  - from:
    - podSelector: { matchLabels: { app: frontend } }
    ports:
    - { port: http }
`,
  },
  {
    id: "and-or-trap", title: "The AND/OR trap", port: 5432, protocol: "TCP",
    summary: "db-metrics meant 'prometheus in monitoring' but wrote two peers, which are ORed: every Pod in monitoring gets in, and so does shop/scraper, a shop Pod labelled app=prometheus.",
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-metrics, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
  - from:
    - namespaceSelector: { matchLabels: { purpose: monitoring } }
    - podSelector: { matchLabels: { app: prometheus } }
    ports:
    - { port: 5432 }
`,
  },
  {
    id: "and-peer", title: "One peer, both selectors (AND)", port: 5432, protocol: "TCP",
    summary: "The intended form: namespaceSelector and podSelector in ONE peer, so only prometheus Pods inside monitoring namespaces reach db (not grafana, not shop/scraper).",
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-metrics, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
  - from:
    - namespaceSelector: { matchLabels: { purpose: monitoring } }
      podSelector: { matchLabels: { app: prometheus } }
    ports:
    - { port: 5432 }
`,
  },
  {
    id: "dns-blocked", title: "DNS blocked by default-deny egress", port: 53, protocol: "UDP",
    summary: "A default-deny Egress policy in shop also stops its Pods' DNS queries to kube-dns: DNS is just UDP/TCP port 53 and gets no exemption.",
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-egress, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
`,
  },
  {
    id: "dns-allowed", title: "Default-deny egress with DNS allowed", port: 53, protocol: "UDP",
    summary: "The usual fix: a second policy lets every shop Pod reach kube-dns on UDP and TCP 53.",
    policies: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-egress, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
      podSelector: { matchLabels: { k8s-app: kube-dns } }
    ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
`,
  },
];

export function presetById(id: string): PolicyPreset | undefined {
  return policyPresets.find((p) => p.id === id);
}
