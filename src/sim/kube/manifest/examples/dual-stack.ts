/**
 * A dual-stack cluster: two nodes, each with an IPv4 and an IPv6 InternalIP; Pods with an address of
 * each family; two Services that ask for both families (`ipFamilyPolicy: RequireDualStack`), so each
 * has a cluster IP per family and kube-proxy programs each in its own proxier — iptables for IPv4,
 * ip6tables for IPv6. `web` is a ClusterIP Service in front of a Deployment's three Pods (one not
 * Ready); `api` is a NodePort (30080 in both families) with externalTrafficPolicy Cluster.
 *
 * Addresses: nodes 10.0.1.0/24 and fd00:10:0:1::/64; Pods 10.244.0.0/16 and fd00:10:244::/56, one
 * /24 and one /64 per node; Services 10.96.0.0/16 and fd00:10:96::/112 (the ranges kind uses for a
 * dual-stack cluster). All IPv6 addresses are unique local (RFC 4193), IPv4 ones RFC 1918.
 * kube-proxy runs on node-a.
 */
export const dualStackManifest = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: ClusterIP
  ipFamilyPolicy: RequireDualStack
  ipFamilies:
  - IPv6
  - IPv4
  clusterIP: "fd00:10:96::780f"
  clusterIPs:
  - "fd00:10:96::780f"
  - 10.96.120.15
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: default
spec:
  type: NodePort
  ipFamilyPolicy: RequireDualStack
  ipFamilies:
  - IPv6
  - IPv4
  selector:
    app: api
  ports:
  - name: http
    protocol: TCP
    port: 8080
    targetPort: 8080
    nodePort: 30080
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7c9d8f6b5d-4xk2p
  namespace: shop
  labels:
    app: web
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
  - ip: "fd00:10:244:1::c"
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
  - ip: "fd00:10:244:2::7"
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
  - ip: "fd00:10:244:2::8"
  conditions:
  - type: Ready
    status: "False"
---
apiVersion: v1
kind: Pod
metadata:
  name: api-5f7b9c8d4-2lmnp
  namespace: default
  labels:
    app: api
spec:
  nodeName: node-a
  containers:
  - name: api
    image: registry.example/api:2.3
    ports:
    - containerPort: 8080
status:
  phase: Running
  podIPs:
  - ip: 10.244.1.20
  - ip: "fd00:10:244:1::14"
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Pod
metadata:
  name: api-5f7b9c8d4-x8v4r
  namespace: default
  labels:
    app: api
spec:
  nodeName: node-b
  containers:
  - name: api
    image: registry.example/api:2.3
    ports:
    - containerPort: 8080
status:
  phase: Running
  podIPs:
  - ip: 10.244.2.31
  - ip: "fd00:10:244:2::1f"
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    kubernetes.io/hostname: node-a
    topology.kubernetes.io/zone: europe-west1-b
spec:
  podCIDRs:
  - 10.244.1.0/24
  - "fd00:10:244:1::/64"
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.11
  - type: InternalIP
    address: "fd00:10:0:1::11"
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
  podCIDRs:
  - 10.244.2.0/24
  - "fd00:10:244:2::/64"
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.12
  - type: InternalIP
    address: "fd00:10:0:1::12"
  - type: Hostname
    address: node-b
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: "10.244.0.0/16,fd00:10:244::/56"
hostnameOverride: node-a
`;
