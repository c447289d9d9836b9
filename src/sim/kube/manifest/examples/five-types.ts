/**
 * One Service of each type, side by side, for the lesson's computed table: the same three Pods
 * behind a ClusterIP, a NodePort, a LoadBalancer (its ingress in 203.0.113.0/24, RFC 5737), a headless
 * Service, and an ExternalName. Two nodes; kube-proxy runs on node-a.
 */
export const fiveTypesManifest = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: ClusterIP
  clusterIP: 10.96.120.15
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-nodeport, namespace: shop }
spec:
  type: NodePort
  clusterIP: 10.96.120.16
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080, nodePort: 30080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-lb, namespace: shop }
spec:
  type: LoadBalancer
  clusterIP: 10.96.120.17
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080, nodePort: 30081 }]
status:
  loadBalancer:
    ingress: [{ ip: 203.0.113.20 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-headless, namespace: shop }
spec:
  clusterIP: None
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: payments, namespace: shop }
spec:
  type: ExternalName
  externalName: payments.example.net
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: shop, labels: { app: web } }
spec:
  nodeName: node-a
  containers: [{ name: web, image: web, ports: [{ containerPort: 8080 }] }]
status:
  phase: Running
  podIPs: [{ ip: 10.244.1.12 }]
  conditions: [{ type: Ready, status: "True" }]
---
apiVersion: v1
kind: Pod
metadata: { name: web-2, namespace: shop, labels: { app: web } }
spec:
  nodeName: node-b
  containers: [{ name: web, image: web, ports: [{ containerPort: 8080 }] }]
status:
  phase: Running
  podIPs: [{ ip: 10.244.2.7 }]
  conditions: [{ type: Ready, status: "True" }]
---
apiVersion: v1
kind: Node
metadata: { name: node-a }
status:
  addresses: [{ type: InternalIP, address: 10.0.1.11 }]
---
apiVersion: v1
kind: Node
metadata: { name: node-b }
status:
  addresses: [{ type: InternalIP, address: 10.0.1.12 }]
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clusterCIDR: 10.244.0.0/16
hostnameOverride: node-a
`;
