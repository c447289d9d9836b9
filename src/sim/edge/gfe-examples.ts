import type { BackendService, EndpointHealth, NegEndpointSpec } from "./backend-service";

/**
 * The GFE lab's starting point: the URL map GKE Ingress writes for an Ingress named `web-ingress` in
 * `default` (host www.example.com: `/` to the web Service, `/api` to the api Service; everything else
 * to kube-system/default-http-backend), the Cloud Armor policy its BackendConfig attaches to the web
 * backend service, and the backend services' NEGs. Each document is given as the text
 * `gcloud … export` writes and as the object that text decodes to (a test keeps them equal), so a
 * page can show the example's result without loading a YAML parser.
 */

const PROJECT = "https://www.googleapis.com/compute/v1/projects/example-project/global/backendServices";
export const DEFAULT_HTTP_BACKEND = "k8s1-3f9a7c2e-kube-system-default-http-backend-80-1c2d3e4f";
export const WEB_BACKEND = "k8s1-3f9a7c2e-default-web-80-6a4b1c7d";
export const API_BACKEND = "k8s1-3f9a7c2e-default-api-80-9e8d7c6b";
const MATCHER = "host2c5e9a7b1d0f3e6a";

export const EXAMPLE_URL_MAP_YAML = `# gcloud compute url-maps export k8s2-um-4ff6qdzk-default-web-ingress-8s2dwz6c --global
defaultService: ${PROJECT}/${DEFAULT_HTTP_BACKEND}
hostRules:
- hosts:
  - www.example.com
  pathMatcher: ${MATCHER}
kind: compute#urlMap
name: k8s2-um-4ff6qdzk-default-web-ingress-8s2dwz6c
pathMatchers:
- defaultService: ${PROJECT}/${DEFAULT_HTTP_BACKEND}
  name: ${MATCHER}
  pathRules:
  - paths:
    - /*
    service: ${PROJECT}/${WEB_BACKEND}
  - paths:
    - /api
    - /api/*
    service: ${PROJECT}/${API_BACKEND}
`;

export const EXAMPLE_URL_MAP = {
  defaultService: `${PROJECT}/${DEFAULT_HTTP_BACKEND}`,
  hostRules: [{ hosts: ["www.example.com"], pathMatcher: MATCHER }],
  kind: "compute#urlMap",
  name: "k8s2-um-4ff6qdzk-default-web-ingress-8s2dwz6c",
  pathMatchers: [
    {
      defaultService: `${PROJECT}/${DEFAULT_HTTP_BACKEND}`,
      name: MATCHER,
      pathRules: [
        { paths: ["/*"], service: `${PROJECT}/${WEB_BACKEND}` },
        { paths: ["/api", "/api/*"], service: `${PROJECT}/${API_BACKEND}` },
      ],
    },
  ],
} as const;

export const EXAMPLE_POLICY_YAML = `# gcloud compute security-policies export web-edge-policy
name: web-edge-policy
rules:
- action: deny(403)
  description: a scanner we saw in the logs
  match:
    config:
      srcIpRanges:
      - 198.51.100.0/24
    versionedExpr: SRC_IPS_V1
  priority: 100
- action: deny(404)
  description: hide the admin pages
  match:
    expr:
      expression: request.path.matches('^/admin')
  priority: 500
- action: rate_based_ban
  description: at most 100 requests a minute per address
  match:
    config:
      srcIpRanges:
      - '*'
    versionedExpr: SRC_IPS_V1
  priority: 1000
  rateLimitOptions:
    banDurationSec: 300
    conformAction: allow
    enforceOnKey: IP
    exceedAction: deny(429)
    rateLimitThreshold:
      count: 100
      intervalSec: 60
- action: allow
  description: default rule
  match:
    config:
      srcIpRanges:
      - '*'
    versionedExpr: SRC_IPS_V1
  priority: 2147483647
`;

const everyone = { config: { srcIpRanges: ["*"] }, versionedExpr: "SRC_IPS_V1" };
export const EXAMPLE_POLICY = {
  name: "web-edge-policy",
  rules: [
    { action: "deny(403)", description: "a scanner we saw in the logs", match: { config: { srcIpRanges: ["198.51.100.0/24"] }, versionedExpr: "SRC_IPS_V1" }, priority: 100 },
    { action: "deny(404)", description: "hide the admin pages", match: { expr: { expression: "request.path.matches('^/admin')" } }, priority: 500 },
    {
      action: "rate_based_ban", description: "at most 100 requests a minute per address", match: everyone, priority: 1000,
      rateLimitOptions: { banDurationSec: 300, conformAction: "allow", enforceOnKey: "IP", exceedAction: "deny(429)", rateLimitThreshold: { count: 100, intervalSec: 60 } },
    },
    { action: "allow", description: "default rule", match: everyone, priority: 2147483647 },
  ],
} as const;

/** The web Deployment's three Pods, one per zone of us-central1 (as the flagship's cluster has them). */
export const WEB_PODS = [
  { pod: "web-7d4b9-x2kfp", ip: "10.4.1.5", port: 8080, node: "gke-web-pool-1a", nodeIp: "10.128.0.12", zone: "us-central1-a" },
  { pod: "web-7d4b9-q8mzn", ip: "10.4.2.7", port: 8080, node: "gke-web-pool-1b", nodeIp: "10.128.0.13", zone: "us-central1-b" },
  { pod: "web-7d4b9-w4rtc", ip: "10.4.3.9", port: 8080, node: "gke-web-pool-1c", nodeIp: "10.128.0.14", zone: "us-central1-c" },
] as const;

/**
 * The web backend service: container-native (zonal NEGs, RATE) or, without NEGs, instance groups on
 * NodePort 30080. `health` is each Pod's (in WEB_PODS order): a NEG endpoint's own health, and for
 * instance groups whether kube-proxy has the Pod as a ready endpoint.
 */
export function exampleBackendService(kind: "neg" | "instance-group", health: readonly EndpointHealth[] = ["HEALTHY", "HEALTHY", "HEALTHY"], name = WEB_BACKEND): BackendService {
  if (kind === "neg") {
    return {
      name,
      backends: WEB_PODS.map((p, i) => {
        const endpoint: NegEndpointSpec = { ip: p.ip, port: p.port, pod: p.pod, node: p.node, health: health[i] ?? "HEALTHY" };
        return { kind: "zonal-neg", name: `k8s1-3f9a7c2e-default-web-80-6a4b1c7d-${p.zone.slice(-1)}`, zone: p.zone, balancingMode: "RATE", maxRatePerEndpoint: 100, capacityScaler: 1, load: 0, endpoints: [endpoint] };
      }),
    };
  }
  return {
    name,
    backends: WEB_PODS.map((p) => ({
      kind: "instance-group", name: `k8s-ig--3f9a7c2e-${p.zone.slice(-1)}`, zone: p.zone, balancingMode: "RATE", maxRatePerInstance: 100, capacityScaler: 1, load: 0,
      namedPort: { name: "port30080", port: 30080 },
      // The health check reaches the node's NodePort, and kube-proxy passes it to any ready Pod
      // (externalTrafficPolicy: Cluster): a node is healthy while any Pod of the Service is.
      instances: [{ name: p.node, ip: p.nodeIp, health: health.some((h) => h === "HEALTHY") ? "HEALTHY" : "UNHEALTHY" }],
      servicePods: WEB_PODS.filter((_, k) => (health[k] ?? "HEALTHY") === "HEALTHY").map((q) => ({ pod: q.pod, ip: q.ip, port: q.port, node: q.node })),
    })),
  };
}
