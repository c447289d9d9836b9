/**
 * A Service without a selector whose endpoints someone else writes: `db` fronts a database outside
 * the cluster at 192.168.50.10 and 192.168.50.11 (RFC 1918), fed by a hand-written EndpointSlice
 * (the second address is draining: serving but terminating). One node, so no hostnameOverride is
 * needed.
 */
export const externalDatabaseManifest = `apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: default
spec:
  ports:
  - name: postgres
    port: 5432
    targetPort: 5432
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-external
  namespace: default
  labels:
    kubernetes.io/service-name: db
    endpointslice.kubernetes.io/managed-by: staff.example.com
addressType: IPv4
ports:
- name: postgres
  protocol: TCP
  port: 5432
endpoints:
- addresses:
  - 192.168.50.10
  conditions:
    ready: true
- addresses:
  - 192.168.50.11
  conditions:
    ready: false
    serving: true
    terminating: true
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.11
`;
