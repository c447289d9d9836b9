/**
 * A ClusterIP Service in front of the three Pods a Deployment (`web`, 3 replicas) created, spread over
 * two nodes in two zones, one Pod still starting (not Ready). kube-proxy runs on node-a. Addresses are
 * RFC 1918: nodes in 10.0.1.0/24, Pods in 10.244.0.0/16 (one /24 per node).
 */
export const clusterIpDeploymentManifest = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  type: ClusterIP
  clusterIP: 10.96.120.15
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7c9d8f6b5d-4xk2p
  namespace: shop
  labels:
    app: web
    pod-template-hash: 7c9d8f6b5d
spec:
  nodeName: node-a
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - name: http
      containerPort: 8080
status:
  phase: Running
  podIP: 10.244.1.12
  podIPs:
  - ip: 10.244.1.12
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7c9d8f6b5d-9bq7m
  namespace: shop
  labels:
    app: web
    pod-template-hash: 7c9d8f6b5d
spec:
  nodeName: node-b
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - name: http
      containerPort: 8080
status:
  phase: Running
  podIP: 10.244.2.7
  podIPs:
  - ip: 10.244.2.7
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7c9d8f6b5d-tz5wd
  namespace: shop
  labels:
    app: web
    pod-template-hash: 7c9d8f6b5d
spec:
  nodeName: node-b
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - name: http
      containerPort: 8080
status:
  phase: Running
  podIP: 10.244.2.8
  podIPs:
  - ip: 10.244.2.8
  conditions:
  - type: Ready
    status: "False"
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    kubernetes.io/hostname: node-a
    topology.kubernetes.io/zone: europe-west1-b
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs:
  - 10.244.1.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.11
  - type: Hostname
    address: node-a
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels:
    kubernetes.io/hostname: node-b
    topology.kubernetes.io/zone: europe-west1-c
spec:
  podCIDR: 10.244.2.0/24
  podCIDRs:
  - 10.244.2.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.12
  - type: Hostname
    address: node-b
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.244.0.0/16
hostnameOverride: node-a
`;
