/**
 * The presets' clusters as the loader reads them from presets.ts (source positions left out), written
 * out so the matrix lab paints its first state without the YAML parser. Generated; test/sim/kube/policy/
 * preset-worlds.test.ts checks it still equals what loading the YAML gives.
 */
import type { PolicyCluster } from "./load";

export const presetWorlds: Readonly<Record<string, PolicyCluster>> = {
 "none": {
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "frontend",
     "namespace": "shop",
     "labels": {
      "app": "frontend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.10"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "backend",
     "namespace": "shop",
     "labels": {
      "app": "backend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.11"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "http",
      "containerPort": 8080,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "db",
     "namespace": "shop",
     "labels": {
      "app": "db"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.12"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "postgres",
      "containerPort": 5432,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "scraper",
     "namespace": "shop",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.13"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "prometheus",
     "namespace": "monitoring",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.20"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "grafana",
     "namespace": "monitoring",
     "labels": {
      "app": "grafana"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.21"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "kube-dns",
     "namespace": "kube-system",
     "labels": {
      "k8s-app": "kube-dns"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.2"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "dns",
      "containerPort": 53,
      "protocol": "UDP"
     },
     {
      "name": "dns-tcp",
      "containerPort": 53,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "policies": [],
  "namespaces": [
   {
    "name": "shop",
    "labels": {
     "team": "shop",
     "kubernetes.io/metadata.name": "shop"
    }
   },
   {
    "name": "monitoring",
    "labels": {
     "purpose": "monitoring",
     "kubernetes.io/metadata.name": "monitoring"
    }
   },
   {
    "name": "kube-system",
    "labels": {
     "kubernetes.io/metadata.name": "kube-system"
    }
   }
  ],
  "warnings": []
 },
 "default-deny": {
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "frontend",
     "namespace": "shop",
     "labels": {
      "app": "frontend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.10"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "backend",
     "namespace": "shop",
     "labels": {
      "app": "backend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.11"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "http",
      "containerPort": 8080,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "db",
     "namespace": "shop",
     "labels": {
      "app": "db"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.12"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "postgres",
      "containerPort": 5432,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "scraper",
     "namespace": "shop",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.13"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "prometheus",
     "namespace": "monitoring",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.20"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "grafana",
     "namespace": "monitoring",
     "labels": {
      "app": "grafana"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.21"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "kube-dns",
     "namespace": "kube-system",
     "labels": {
      "k8s-app": "kube-dns"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.2"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "dns",
      "containerPort": 53,
      "protocol": "UDP"
     },
     {
      "name": "dns-tcp",
      "containerPort": 53,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "policies": [
   {
    "name": "default-deny-ingress",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {},
     "matchExpressions": []
    },
    "policyTypes": [
     "Ingress"
    ],
    "policyTypesGiven": true,
    "ingress": [],
    "egress": []
   }
  ],
  "namespaces": [
   {
    "name": "shop",
    "labels": {
     "team": "shop",
     "kubernetes.io/metadata.name": "shop"
    }
   },
   {
    "name": "monitoring",
    "labels": {
     "purpose": "monitoring",
     "kubernetes.io/metadata.name": "monitoring"
    }
   },
   {
    "name": "kube-system",
    "labels": {
     "kubernetes.io/metadata.name": "kube-system"
    }
   }
  ],
  "warnings": []
 },
 "allow-frontend": {
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "frontend",
     "namespace": "shop",
     "labels": {
      "app": "frontend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.10"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "backend",
     "namespace": "shop",
     "labels": {
      "app": "backend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.11"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "http",
      "containerPort": 8080,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "db",
     "namespace": "shop",
     "labels": {
      "app": "db"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.12"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "postgres",
      "containerPort": 5432,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "scraper",
     "namespace": "shop",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.13"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "prometheus",
     "namespace": "monitoring",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.20"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "grafana",
     "namespace": "monitoring",
     "labels": {
      "app": "grafana"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.21"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "kube-dns",
     "namespace": "kube-system",
     "labels": {
      "k8s-app": "kube-dns"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.2"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "dns",
      "containerPort": 53,
      "protocol": "UDP"
     },
     {
      "name": "dns-tcp",
      "containerPort": 53,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "policies": [
   {
    "name": "default-deny-ingress",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {},
     "matchExpressions": []
    },
    "policyTypes": [
     "Ingress"
    ],
    "policyTypesGiven": true,
    "ingress": [],
    "egress": []
   },
   {
    "name": "backend-from-frontend",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {
      "app": "backend"
     },
     "matchExpressions": []
    },
    "policyTypes": [
     "Ingress"
    ],
    "policyTypesGiven": false,
    "ingress": [
     {
      "peers": [
       {
        "kind": "selectors",
        "podSelector": {
         "matchLabels": {
          "app": "frontend"
         },
         "matchExpressions": []
        },
        "namespaceSelector": null
       }
      ],
      "ports": [
       {
        "protocol": "TCP",
        "port": "http",
        "endPort": null
       }
      ]
     }
    ],
    "egress": []
   }
  ],
  "namespaces": [
   {
    "name": "shop",
    "labels": {
     "team": "shop",
     "kubernetes.io/metadata.name": "shop"
    }
   },
   {
    "name": "monitoring",
    "labels": {
     "purpose": "monitoring",
     "kubernetes.io/metadata.name": "monitoring"
    }
   },
   {
    "name": "kube-system",
    "labels": {
     "kubernetes.io/metadata.name": "kube-system"
    }
   }
  ],
  "warnings": []
 },
 "and-or-trap": {
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "frontend",
     "namespace": "shop",
     "labels": {
      "app": "frontend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.10"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "backend",
     "namespace": "shop",
     "labels": {
      "app": "backend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.11"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "http",
      "containerPort": 8080,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "db",
     "namespace": "shop",
     "labels": {
      "app": "db"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.12"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "postgres",
      "containerPort": 5432,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "scraper",
     "namespace": "shop",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.13"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "prometheus",
     "namespace": "monitoring",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.20"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "grafana",
     "namespace": "monitoring",
     "labels": {
      "app": "grafana"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.21"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "kube-dns",
     "namespace": "kube-system",
     "labels": {
      "k8s-app": "kube-dns"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.2"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "dns",
      "containerPort": 53,
      "protocol": "UDP"
     },
     {
      "name": "dns-tcp",
      "containerPort": 53,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "policies": [
   {
    "name": "db-metrics",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {
      "app": "db"
     },
     "matchExpressions": []
    },
    "policyTypes": [
     "Ingress"
    ],
    "policyTypesGiven": false,
    "ingress": [
     {
      "peers": [
       {
        "kind": "selectors",
        "podSelector": null,
        "namespaceSelector": {
         "matchLabels": {
          "purpose": "monitoring"
         },
         "matchExpressions": []
        }
       },
       {
        "kind": "selectors",
        "podSelector": {
         "matchLabels": {
          "app": "prometheus"
         },
         "matchExpressions": []
        },
        "namespaceSelector": null
       }
      ],
      "ports": [
       {
        "protocol": "TCP",
        "port": 5432,
        "endPort": null
       }
      ]
     }
    ],
    "egress": []
   }
  ],
  "namespaces": [
   {
    "name": "shop",
    "labels": {
     "team": "shop",
     "kubernetes.io/metadata.name": "shop"
    }
   },
   {
    "name": "monitoring",
    "labels": {
     "purpose": "monitoring",
     "kubernetes.io/metadata.name": "monitoring"
    }
   },
   {
    "name": "kube-system",
    "labels": {
     "kubernetes.io/metadata.name": "kube-system"
    }
   }
  ],
  "warnings": []
 },
 "and-peer": {
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "frontend",
     "namespace": "shop",
     "labels": {
      "app": "frontend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.10"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "backend",
     "namespace": "shop",
     "labels": {
      "app": "backend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.11"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "http",
      "containerPort": 8080,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "db",
     "namespace": "shop",
     "labels": {
      "app": "db"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.12"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "postgres",
      "containerPort": 5432,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "scraper",
     "namespace": "shop",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.13"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "prometheus",
     "namespace": "monitoring",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.20"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "grafana",
     "namespace": "monitoring",
     "labels": {
      "app": "grafana"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.21"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "kube-dns",
     "namespace": "kube-system",
     "labels": {
      "k8s-app": "kube-dns"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.2"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "dns",
      "containerPort": 53,
      "protocol": "UDP"
     },
     {
      "name": "dns-tcp",
      "containerPort": 53,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "policies": [
   {
    "name": "db-metrics",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {
      "app": "db"
     },
     "matchExpressions": []
    },
    "policyTypes": [
     "Ingress"
    ],
    "policyTypesGiven": false,
    "ingress": [
     {
      "peers": [
       {
        "kind": "selectors",
        "podSelector": {
         "matchLabels": {
          "app": "prometheus"
         },
         "matchExpressions": []
        },
        "namespaceSelector": {
         "matchLabels": {
          "purpose": "monitoring"
         },
         "matchExpressions": []
        }
       }
      ],
      "ports": [
       {
        "protocol": "TCP",
        "port": 5432,
        "endPort": null
       }
      ]
     }
    ],
    "egress": []
   }
  ],
  "namespaces": [
   {
    "name": "shop",
    "labels": {
     "team": "shop",
     "kubernetes.io/metadata.name": "shop"
    }
   },
   {
    "name": "monitoring",
    "labels": {
     "purpose": "monitoring",
     "kubernetes.io/metadata.name": "monitoring"
    }
   },
   {
    "name": "kube-system",
    "labels": {
     "kubernetes.io/metadata.name": "kube-system"
    }
   }
  ],
  "warnings": []
 },
 "dns-blocked": {
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "frontend",
     "namespace": "shop",
     "labels": {
      "app": "frontend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.10"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "backend",
     "namespace": "shop",
     "labels": {
      "app": "backend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.11"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "http",
      "containerPort": 8080,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "db",
     "namespace": "shop",
     "labels": {
      "app": "db"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.12"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "postgres",
      "containerPort": 5432,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "scraper",
     "namespace": "shop",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.13"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "prometheus",
     "namespace": "monitoring",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.20"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "grafana",
     "namespace": "monitoring",
     "labels": {
      "app": "grafana"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.21"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "kube-dns",
     "namespace": "kube-system",
     "labels": {
      "k8s-app": "kube-dns"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.2"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "dns",
      "containerPort": 53,
      "protocol": "UDP"
     },
     {
      "name": "dns-tcp",
      "containerPort": 53,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "policies": [
   {
    "name": "default-deny-egress",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {},
     "matchExpressions": []
    },
    "policyTypes": [
     "Egress"
    ],
    "policyTypesGiven": true,
    "ingress": [],
    "egress": []
   }
  ],
  "namespaces": [
   {
    "name": "shop",
    "labels": {
     "team": "shop",
     "kubernetes.io/metadata.name": "shop"
    }
   },
   {
    "name": "monitoring",
    "labels": {
     "purpose": "monitoring",
     "kubernetes.io/metadata.name": "monitoring"
    }
   },
   {
    "name": "kube-system",
    "labels": {
     "kubernetes.io/metadata.name": "kube-system"
    }
   }
  ],
  "warnings": []
 },
 "dns-allowed": {
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "frontend",
     "namespace": "shop",
     "labels": {
      "app": "frontend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.10"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "backend",
     "namespace": "shop",
     "labels": {
      "app": "backend"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.0.11"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "http",
      "containerPort": 8080,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "db",
     "namespace": "shop",
     "labels": {
      "app": "db"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.12"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "postgres",
      "containerPort": 5432,
      "protocol": "TCP"
     }
    ]
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "scraper",
     "namespace": "shop",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.13"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "prometheus",
     "namespace": "monitoring",
     "labels": {
      "app": "prometheus"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.20"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "grafana",
     "namespace": "monitoring",
     "labels": {
      "app": "grafana"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.2.21"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": []
   },
   {
    "kind": "Pod",
    "metadata": {
     "name": "kube-dns",
     "namespace": "kube-system",
     "labels": {
      "k8s-app": "kube-dns"
     }
    },
    "nodeName": null,
    "hostNetwork": false,
    "podIPs": [
     "10.4.1.2"
    ],
    "phase": "Running",
    "ready": false,
    "terminating": false,
    "ports": [
     {
      "name": "dns",
      "containerPort": 53,
      "protocol": "UDP"
     },
     {
      "name": "dns-tcp",
      "containerPort": 53,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "policies": [
   {
    "name": "default-deny-egress",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {},
     "matchExpressions": []
    },
    "policyTypes": [
     "Egress"
    ],
    "policyTypesGiven": true,
    "ingress": [],
    "egress": []
   },
   {
    "name": "allow-dns",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {},
     "matchExpressions": []
    },
    "policyTypes": [
     "Egress"
    ],
    "policyTypesGiven": true,
    "ingress": [],
    "egress": [
     {
      "peers": [
       {
        "kind": "selectors",
        "podSelector": {
         "matchLabels": {
          "k8s-app": "kube-dns"
         },
         "matchExpressions": []
        },
        "namespaceSelector": {
         "matchLabels": {
          "kubernetes.io/metadata.name": "kube-system"
         },
         "matchExpressions": []
        }
       }
      ],
      "ports": [
       {
        "protocol": "UDP",
        "port": 53,
        "endPort": null
       },
       {
        "protocol": "TCP",
        "port": 53,
        "endPort": null
       }
      ]
     }
    ]
   }
  ],
  "namespaces": [
   {
    "name": "shop",
    "labels": {
     "team": "shop",
     "kubernetes.io/metadata.name": "shop"
    }
   },
   {
    "name": "monitoring",
    "labels": {
     "purpose": "monitoring",
     "kubernetes.io/metadata.name": "monitoring"
    }
   },
   {
    "name": "kube-system",
    "labels": {
     "kubernetes.io/metadata.name": "kube-system"
    }
   }
  ],
  "warnings": []
 }
};
