/**
 * The presets of presets.ts already read (what loadL7 gives for each preset YAML; test/sim/kube/l7/route-model.test.ts
 * checks they still agree), so the route-matcher lab shows its first answer without loading the YAML parser.
 * Regenerate: loadL7 each ROUTE_PRESETS yaml and print it as JSON.
 */
import type { L7Objects } from "./route";

export const PRESET_OBJECTS: Readonly<Record<string, L7Objects>> = {
  "ingress-paths": {
    "ingresses": [
      {
        "name": "shop",
        "namespace": "shop",
        "className": "gce",
        "defaultBackend": {
          "service": "not-found",
          "port": 80
        },
        "rules": [
          {
            "host": "shop.example.com",
            "paths": [
              {
                "path": "/",
                "pathType": "Prefix",
                "backend": {
                  "service": "storefront",
                  "port": 80
                }
              },
              {
                "path": "/cart",
                "pathType": "Prefix",
                "backend": {
                  "service": "cart",
                  "port": 8080
                }
              },
              {
                "path": "/cart",
                "pathType": "Exact",
                "backend": {
                  "service": "cart-summary",
                  "port": 8080
                }
              }
            ]
          },
          {
            "host": "*.cdn.example.com",
            "paths": [
              {
                "path": "/img/*",
                "pathType": "ImplementationSpecific",
                "backend": {
                  "service": "images",
                  "port": 80
                }
              }
            ]
          }
        ],
        "tls": [
          {
            "hosts": [
              "shop.example.com"
            ],
            "secretName": "shop-example-com"
          },
          {
            "hosts": [
              "*.cdn.example.com"
            ],
            "secretName": "cdn-example-com"
          }
        ]
      }
    ],
    "gateways": [],
    "classes": [],
    "routes": [],
    "grants": [],
    "namespaces": [],
    "services": null,
    "warnings": []
  },
  "gateway-split": {
    "ingresses": [],
    "gateways": [
      {
        "name": "external",
        "namespace": "infra",
        "gatewayClassName": "gke-l7-global-external-managed",
        "listeners": [
          {
            "name": "http",
            "hostname": "*.example.com",
            "port": 80,
            "protocol": "HTTP",
            "from": "Selector",
            "selector": {
              "matchLabels": {
                "shared-gateway": "true"
              },
              "matchExpressions": []
            },
            "kinds": [],
            "certificateRefs": []
          }
        ]
      }
    ],
    "classes": [],
    "routes": [
      {
        "name": "store",
        "namespace": "store",
        "created": null,
        "parentRefs": [
          {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "namespace": "infra",
            "name": "external",
            "sectionName": null,
            "port": null
          }
        ],
        "hostnames": [
          "store.example.com"
        ],
        "rules": [
          {
            "matches": [
              {
                "path": {
                  "type": "PathPrefix",
                  "value": "/"
                },
                "pathGiven": false,
                "headers": [],
                "queryParams": [],
                "method": null
              }
            ],
            "matchesGiven": false,
            "backendRefs": [
              {
                "group": "",
                "kind": "Service",
                "name": "store-v1",
                "namespace": null,
                "port": 8080,
                "weight": 90
              },
              {
                "group": "",
                "kind": "Service",
                "name": "store-v2",
                "namespace": null,
                "port": 8080,
                "weight": 10
              }
            ],
            "filters": 0
          },
          {
            "matches": [
              {
                "path": {
                  "type": "PathPrefix",
                  "value": "/"
                },
                "pathGiven": false,
                "headers": [
                  {
                    "type": "Exact",
                    "name": "env",
                    "value": "canary"
                  }
                ],
                "queryParams": [],
                "method": null
              }
            ],
            "matchesGiven": true,
            "backendRefs": [
              {
                "group": "",
                "kind": "Service",
                "name": "store-v2",
                "namespace": null,
                "port": 8080,
                "weight": 1
              }
            ],
            "filters": 0
          },
          {
            "matches": [
              {
                "path": {
                  "type": "PathPrefix",
                  "value": "/de"
                },
                "pathGiven": true,
                "headers": [],
                "queryParams": [],
                "method": null
              }
            ],
            "matchesGiven": true,
            "backendRefs": [
              {
                "group": "",
                "kind": "Service",
                "name": "store-german",
                "namespace": null,
                "port": 8080,
                "weight": 1
              }
            ],
            "filters": 0
          },
          {
            "matches": [
              {
                "path": {
                  "type": "Exact",
                  "value": "/de/checkout"
                },
                "pathGiven": true,
                "headers": [],
                "queryParams": [],
                "method": "POST"
              }
            ],
            "matchesGiven": true,
            "backendRefs": [
              {
                "group": "",
                "kind": "Service",
                "name": "checkout",
                "namespace": null,
                "port": 8080,
                "weight": 1
              }
            ],
            "filters": 0
          }
        ]
      }
    ],
    "grants": [],
    "namespaces": [
      {
        "name": "store",
        "labels": {
          "shared-gateway": "true",
          "kubernetes.io/metadata.name": "store"
        }
      }
    ],
    "services": null,
    "warnings": []
  },
  "gateway-namespaces": {
    "ingresses": [],
    "gateways": [
      {
        "name": "internal",
        "namespace": "infra",
        "gatewayClassName": "gke-l7-rilb",
        "listeners": [
          {
            "name": "http",
            "hostname": null,
            "port": 80,
            "protocol": "HTTP",
            "from": "Same",
            "selector": null,
            "kinds": [],
            "certificateRefs": []
          }
        ]
      }
    ],
    "classes": [],
    "routes": [
      {
        "name": "billing",
        "namespace": "billing",
        "created": null,
        "parentRefs": [
          {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "namespace": "infra",
            "name": "internal",
            "sectionName": null,
            "port": null
          }
        ],
        "hostnames": [],
        "rules": [
          {
            "matches": [
              {
                "path": {
                  "type": "PathPrefix",
                  "value": "/billing"
                },
                "pathGiven": true,
                "headers": [],
                "queryParams": [],
                "method": null
              }
            ],
            "matchesGiven": true,
            "backendRefs": [
              {
                "group": "",
                "kind": "Service",
                "name": "billing",
                "namespace": null,
                "port": 8080,
                "weight": 1
              }
            ],
            "filters": 0
          }
        ]
      },
      {
        "name": "fallback",
        "namespace": "infra",
        "created": null,
        "parentRefs": [
          {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "namespace": null,
            "name": "internal",
            "sectionName": null,
            "port": null
          }
        ],
        "hostnames": [],
        "rules": [
          {
            "matches": [
              {
                "path": {
                  "type": "PathPrefix",
                  "value": "/"
                },
                "pathGiven": false,
                "headers": [],
                "queryParams": [],
                "method": null
              }
            ],
            "matchesGiven": false,
            "backendRefs": [
              {
                "group": "",
                "kind": "Service",
                "name": "status-page",
                "namespace": null,
                "port": 80,
                "weight": 1
              }
            ],
            "filters": 0
          }
        ]
      }
    ],
    "grants": [],
    "namespaces": [],
    "services": null,
    "warnings": []
  }
};
