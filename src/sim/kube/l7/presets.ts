/**
 * Starting points for the route-matcher lab and the questions: real manifests and a request each.
 */

export interface RoutePreset {
  readonly id: string;
  readonly title: string;
  readonly yaml: string;
  readonly url: string;
  readonly method: string;
  /** One `Name: value` per line. */
  readonly headers: string;
}

export const INGRESS_PATHS_YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    kubernetes.io/ingress.class: gce
spec:
  defaultBackend:
    service: { name: not-found, port: { number: 80 } }
  tls:
  - hosts: [shop.example.com]
    secretName: shop-example-com
  - hosts: ["*.cdn.example.com"]
    secretName: cdn-example-com
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: { service: { name: storefront, port: { number: 80 } } }
      - path: /cart
        pathType: Prefix
        backend: { service: { name: cart, port: { number: 8080 } } }
      - path: /cart
        pathType: Exact
        backend: { service: { name: cart-summary, port: { number: 8080 } } }
  - host: "*.cdn.example.com"
    http:
      paths:
      - path: /img/*
        pathType: ImplementationSpecific
        backend: { service: { name: images, port: { number: 80 } } }
`;

export const GATEWAY_SPLIT_YAML = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: external, namespace: infra }
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: Selector
        selector: { matchLabels: { shared-gateway: "true" } }
---
apiVersion: v1
kind: Namespace
metadata: { name: store, labels: { shared-gateway: "true" } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: store, namespace: store }
spec:
  parentRefs: [{ name: external, namespace: infra }]
  hostnames: [store.example.com]
  rules:
  - backendRefs:
    - { name: store-v1, port: 8080, weight: 90 }
    - { name: store-v2, port: 8080, weight: 10 }
  - matches:
    - headers: [{ name: env, value: canary }]
    backendRefs: [{ name: store-v2, port: 8080 }]
  - matches:
    - path: { type: PathPrefix, value: /de }
    backendRefs: [{ name: store-german, port: 8080 }]
  - matches:
    - path: { type: Exact, value: /de/checkout }
      method: POST
    backendRefs: [{ name: checkout, port: 8080 }]
`;

export const GATEWAY_NAMESPACES_YAML = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: internal, namespace: infra }
spec:
  gatewayClassName: gke-l7-rilb
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: billing, namespace: billing }
spec:
  parentRefs: [{ name: internal, namespace: infra }]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /billing } }]
    backendRefs: [{ name: billing, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: fallback, namespace: infra }
spec:
  parentRefs: [{ name: internal }]
  rules:
  - backendRefs: [{ name: status-page, port: 80 }]
`;

export const ROUTE_PRESETS: readonly RoutePreset[] = [
  { id: "ingress-paths", title: "Ingress: Prefix, Exact and GKE's /* paths", yaml: INGRESS_PATHS_YAML, url: "http://shop.example.com/cart/items", method: "GET", headers: "" },
  { id: "gateway-split", title: "Gateway: hostnames, headers, weights", yaml: GATEWAY_SPLIT_YAML, url: "http://store.example.com/de/checkout", method: "POST", headers: "" },
  { id: "gateway-namespaces", title: "Gateway: a route from another namespace", yaml: GATEWAY_NAMESPACES_YAML, url: "http://10.128.0.20/billing/invoices", method: "GET", headers: "" },
];
