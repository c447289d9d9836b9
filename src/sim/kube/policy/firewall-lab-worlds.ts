/**
 * The firewall lab's two worlds (externalTrafficPolicy Cluster and Local, source ranges 198.51.100.0/24,
 * the office NetworkPolicy) as the loader reads firewallWorldYaml() (source positions left out), written
 * out so the lab computes its first state without the YAML parser. Generated; test/sim/kube/policy/
 * firewall-world.test.ts checks it still equals what loading the YAML gives.
 */
import type { ClusterState } from "../model";
import type { PolicyWorld } from "./evaluate";

export const firewallLabWorlds: { readonly Cluster: ClusterState; readonly Local: ClusterState; readonly policies: PolicyWorld } = {
 "Cluster": {
  "services": [
   {
    "kind": "Service",
    "metadata": {
     "name": "web",
     "namespace": "shop",
     "labels": {}
    },
    "type": "LoadBalancer",
    "clusterIP": "10.100.73.239",
    "clusterIPs": [
     "10.100.73.239"
    ],
    "ipFamilies": [
     "IPv4"
    ],
    "selector": {
     "app": "web"
    },
    "ports": [
     {
      "name": "https",
      "protocol": "TCP",
      "port": 443,
      "targetPort": 8443,
      "nodePort": 31214,
      "appProtocol": null
     }
    ],
    "sessionAffinity": "None",
    "sessionAffinityTimeoutSeconds": null,
    "externalTrafficPolicy": "Cluster",
    "internalTrafficPolicy": "Cluster",
    "loadBalancerSourceRanges": [
     "198.51.100.0/24"
    ],
    "externalIPs": [],
    "healthCheckNodePort": null,
    "externalName": null,
    "loadBalancerIngress": [
     {
      "ip": "203.0.113.10",
      "hostname": null,
      "ipMode": "VIP"
     }
    ]
   }
  ],
  "endpointSlices": [
   {
    "kind": "EndpointSlice",
    "metadata": {
     "name": "web-p6jsv",
     "namespace": "shop",
     "labels": {
      "kubernetes.io/service-name": "web",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"
     }
    },
    "serviceName": "web",
    "addressType": "IPv4",
    "ports": [
     {
      "name": "https",
      "protocol": "TCP",
      "port": 8443,
      "appProtocol": null
     }
    ],
    "endpoints": [
     {
      "addresses": [
       "10.244.2.17"
      ],
      "conditions": {
       "ready": true,
       "serving": true,
       "terminating": false
      },
      "nodeName": "node-b",
      "zone": null,
      "hostname": null,
      "targetRef": {
       "kind": "Pod",
       "name": "web-7c9d8f6b5-q4wzt",
       "namespace": "shop"
      }
     }
    ]
   }
  ],
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "web-7c9d8f6b5-q4wzt",
     "namespace": "shop",
     "labels": {
      "app": "web"
     }
    },
    "nodeName": "node-b",
    "hostNetwork": false,
    "podIPs": [
     "10.244.2.17"
    ],
    "phase": "Running",
    "ready": true,
    "terminating": false,
    "ports": [
     {
      "name": "https",
      "containerPort": 8443,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "nodes": [
   {
    "kind": "Node",
    "metadata": {
     "name": "node-a",
     "namespace": "",
     "labels": {}
    },
    "addresses": [
     {
      "type": "InternalIP",
      "address": "10.0.1.11"
     }
    ],
    "podCIDRs": [
     "10.244.1.0/24"
    ]
   },
   {
    "kind": "Node",
    "metadata": {
     "name": "node-b",
     "namespace": "",
     "labels": {}
    },
    "addresses": [
     {
      "type": "InternalIP",
      "address": "10.0.1.12"
     }
    ],
    "podCIDRs": [
     "10.244.2.0/24"
    ]
   }
  ],
  "proxyConfig": {
   "kind": "KubeProxyConfiguration",
   "mode": "iptables",
   "clusterCIDR": "10.244.0.0/16",
   "detectLocalMode": "ClusterCIDR",
   "detectLocal": {
    "bridgeInterface": "",
    "interfaceNamePrefix": ""
   },
   "hostnameOverride": "node-a",
   "nodePortAddresses": [],
   "iptables": {
    "masqueradeBit": 14,
    "masqueradeAll": false,
    "localhostNodePorts": true
   },
   "ipvs": {
    "scheduler": "",
    "strictARP": false
   }
  },
  "nodeName": "node-a"
 },
 "Local": {
  "services": [
   {
    "kind": "Service",
    "metadata": {
     "name": "web",
     "namespace": "shop",
     "labels": {}
    },
    "type": "LoadBalancer",
    "clusterIP": "10.100.73.239",
    "clusterIPs": [
     "10.100.73.239"
    ],
    "ipFamilies": [
     "IPv4"
    ],
    "selector": {
     "app": "web"
    },
    "ports": [
     {
      "name": "https",
      "protocol": "TCP",
      "port": 443,
      "targetPort": 8443,
      "nodePort": 31214,
      "appProtocol": null
     }
    ],
    "sessionAffinity": "None",
    "sessionAffinityTimeoutSeconds": null,
    "externalTrafficPolicy": "Local",
    "internalTrafficPolicy": "Cluster",
    "loadBalancerSourceRanges": [
     "198.51.100.0/24"
    ],
    "externalIPs": [],
    "healthCheckNodePort": 31844,
    "externalName": null,
    "loadBalancerIngress": [
     {
      "ip": "203.0.113.10",
      "hostname": null,
      "ipMode": "VIP"
     }
    ]
   }
  ],
  "endpointSlices": [
   {
    "kind": "EndpointSlice",
    "metadata": {
     "name": "web-p6jsv",
     "namespace": "shop",
     "labels": {
      "kubernetes.io/service-name": "web",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"
     }
    },
    "serviceName": "web",
    "addressType": "IPv4",
    "ports": [
     {
      "name": "https",
      "protocol": "TCP",
      "port": 8443,
      "appProtocol": null
     }
    ],
    "endpoints": [
     {
      "addresses": [
       "10.244.2.17"
      ],
      "conditions": {
       "ready": true,
       "serving": true,
       "terminating": false
      },
      "nodeName": "node-b",
      "zone": null,
      "hostname": null,
      "targetRef": {
       "kind": "Pod",
       "name": "web-7c9d8f6b5-q4wzt",
       "namespace": "shop"
      }
     }
    ]
   }
  ],
  "pods": [
   {
    "kind": "Pod",
    "metadata": {
     "name": "web-7c9d8f6b5-q4wzt",
     "namespace": "shop",
     "labels": {
      "app": "web"
     }
    },
    "nodeName": "node-b",
    "hostNetwork": false,
    "podIPs": [
     "10.244.2.17"
    ],
    "phase": "Running",
    "ready": true,
    "terminating": false,
    "ports": [
     {
      "name": "https",
      "containerPort": 8443,
      "protocol": "TCP"
     }
    ]
   }
  ],
  "nodes": [
   {
    "kind": "Node",
    "metadata": {
     "name": "node-a",
     "namespace": "",
     "labels": {}
    },
    "addresses": [
     {
      "type": "InternalIP",
      "address": "10.0.1.11"
     }
    ],
    "podCIDRs": [
     "10.244.1.0/24"
    ]
   },
   {
    "kind": "Node",
    "metadata": {
     "name": "node-b",
     "namespace": "",
     "labels": {}
    },
    "addresses": [
     {
      "type": "InternalIP",
      "address": "10.0.1.12"
     }
    ],
    "podCIDRs": [
     "10.244.2.0/24"
    ]
   }
  ],
  "proxyConfig": {
   "kind": "KubeProxyConfiguration",
   "mode": "iptables",
   "clusterCIDR": "10.244.0.0/16",
   "detectLocalMode": "ClusterCIDR",
   "detectLocal": {
    "bridgeInterface": "",
    "interfaceNamePrefix": ""
   },
   "hostnameOverride": "node-a",
   "nodePortAddresses": [],
   "iptables": {
    "masqueradeBit": 14,
    "masqueradeAll": false,
    "localhostNodePorts": true
   },
   "ipvs": {
    "scheduler": "",
    "strictARP": false
   }
  },
  "nodeName": "node-a"
 },
 "policies": {
  "policies": [
   {
    "name": "web-from-office",
    "namespace": "shop",
    "podSelector": {
     "matchLabels": {
      "app": "web"
     },
     "matchExpressions": []
    },
    "policyTypes": [
     "Ingress"
    ],
    "policyTypesGiven": true,
    "ingress": [
     {
      "peers": [
       {
        "kind": "ipBlock",
        "cidr": "198.51.100.0/24",
        "except": []
       }
      ],
      "ports": [
       {
        "protocol": "TCP",
        "port": 8443,
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
     "kubernetes.io/metadata.name": "shop"
    }
   }
  ]
 }
};
