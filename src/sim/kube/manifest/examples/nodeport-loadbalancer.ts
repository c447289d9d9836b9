/**
 * Two ways in from outside: a NodePort Service (`api`, node port 30080) and a LoadBalancer Service
 * (`shop`) with externalTrafficPolicy: Local, whose load balancer answers on 203.0.113.10 (a
 * documentation address, RFC 5737) and may only come from 198.51.100.0/24. `shop` has a Pod only on
 * node-b, so on node-a (where this kube-proxy runs) it has no local endpoint and its health-check
 * node port answers 503. Nodes carry ExternalIPs from 192.0.2.0/24.
 */
export const nodePortLoadBalancerManifest = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: default
spec:
  type: NodePort
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
kind: Service
metadata:
  name: shop
  namespace: default
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: shop
  ports:
  - name: https
    port: 443
    targetPort: 8443
  loadBalancerSourceRanges:
  - 198.51.100.0/24
status:
  loadBalancer:
    ingress:
    - ip: 203.0.113.10
      ipMode: VIP
---
apiVersion: v1
kind: Pod
metadata:
  name: api-5f7b9c8d4-2lmnp
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
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Pod
metadata:
  name: api-5f7b9c8d4-x8v4r
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
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Pod
metadata:
  name: shop-6d8f7b5c9-kq2zt
  labels:
    app: shop
spec:
  nodeName: node-b
  containers:
  - name: shop
    image: registry.example/shop:1.9
    ports:
    - name: https
      containerPort: 8443
status:
  phase: Running
  podIPs:
  - ip: 10.244.2.40
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    topology.kubernetes.io/zone: europe-west1-b
spec:
  podCIDRs:
  - 10.244.1.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.11
  - type: ExternalIP
    address: 192.0.2.11
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels:
    topology.kubernetes.io/zone: europe-west1-c
spec:
  podCIDRs:
  - 10.244.2.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.12
  - type: ExternalIP
    address: 192.0.2.12
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.244.0.0/16
hostnameOverride: node-a
`;
