/**
 * The cluster as kube-proxy sees it: the API objects it watches (Services, EndpointSlices, Nodes) and
 * the Pods the EndpointSlice controller derives endpoints from, plus kube-proxy's own configuration.
 *
 * Field names follow the Kubernetes API (core/v1, discovery.k8s.io/v1,
 * kubeproxy.config.k8s.io/v1alpha1) so a learner can map every field to the YAML they wrote. Values
 * here are *after* API-server defaulting and validation (see `manifest/`), so nothing downstream has
 * to guess a default: an optional field is optional in the API, not merely unset.
 *
 * Addresses are canonical text (IPv4 dotted quad, IPv6 in RFC 5952 form) so traces serialise the
 * same on every run.
 */

export type Protocol = "TCP" | "UDP" | "SCTP";
export type IpFamily = "IPv4" | "IPv6";
export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
export type TrafficPolicy = "Cluster" | "Local";

/** metadata: the parts kube-proxy and the EndpointSlice controller read. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Where a manifest object came from, so a later error can still point at the YAML. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ServicePort {
  /** Required (and unique) when a Service has more than one port; "" otherwise. */
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
  /** A number, or the name of a container port (resolved per Pod by the EndpointSlice controller). */
  readonly targetPort: number | string;
  /** Set for NodePort and LoadBalancer Services (allocated by the API server when not given). */
  readonly nodePort: number | null;
  readonly appProtocol: string | null;
}

export interface LoadBalancerIngress {
  readonly ip: string | null;
  readonly hostname: string | null;
  /** "VIP" (default): kube-proxy short-circuits traffic to the IP; "Proxy": it leaves it to the LB. */
  readonly ipMode: "VIP" | "Proxy";
}

export interface Service {
  readonly kind: "Service";
  readonly metadata: ObjectMeta;
  readonly source?: SourceRef;
  readonly type: ServiceType;
  /** The primary cluster IP; "None" for a headless Service; null for ExternalName. */
  readonly clusterIP: string | "None" | null;
  /** All cluster IPs, primary first (dual-stack Services have one per family). */
  readonly clusterIPs: readonly string[];
  readonly ipFamilies: readonly IpFamily[];
  /** null: no selector, so endpoints come only from EndpointSlices someone else writes. */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly ports: readonly ServicePort[];
  readonly sessionAffinity: "None" | "ClientIP";
  /** sessionAffinityConfig.clientIP.timeoutSeconds; defaults to 10800 (3 h) when affinity is ClientIP. */
  readonly sessionAffinityTimeoutSeconds: number | null;
  /** Only for NodePort and LoadBalancer Services (and Services with externalIPs); null otherwise. */
  readonly externalTrafficPolicy: TrafficPolicy | null;
  readonly internalTrafficPolicy: TrafficPolicy;
  readonly loadBalancerSourceRanges: readonly string[];
  readonly externalIPs: readonly string[];
  /** Allocated for LoadBalancer Services with externalTrafficPolicy: Local. */
  readonly healthCheckNodePort: number | null;
  readonly externalName: string | null;
  /** status.loadBalancer.ingress */
  readonly loadBalancerIngress: readonly LoadBalancerIngress[];
}

export interface EndpointConditions {
  /** API semantics: a nil `ready` is read as true, nil `serving` as `ready`, nil `terminating` as false. */
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export interface Endpoint {
  readonly addresses: readonly string[];
  readonly conditions: EndpointConditions;
  readonly nodeName: string | null;
  readonly zone: string | null;
  readonly hostname: string | null;
  /** targetRef, when the endpoint is a Pod. */
  readonly targetRef: { readonly kind: string; readonly name: string; readonly namespace: string } | null;
}

export interface EndpointPort {
  /** Matches the ServicePort's name ("" for an unnamed port). */
  readonly name: string;
  readonly protocol: Protocol;
  /** null means "all ports" in the API; kube-proxy ignores such a port. */
  readonly port: number | null;
  readonly appProtocol: string | null;
}

export interface EndpointSlice {
  readonly kind: "EndpointSlice";
  readonly metadata: ObjectMeta;
  readonly source?: SourceRef;
  /** The owning Service's name: the `kubernetes.io/service-name` label. */
  readonly serviceName: string;
  readonly addressType: "IPv4" | "IPv6" | "FQDN";
  readonly ports: readonly EndpointPort[];
  readonly endpoints: readonly Endpoint[];
}

export interface ContainerPort {
  readonly name: string | null;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface Pod {
  readonly kind: "Pod";
  readonly metadata: ObjectMeta;
  readonly source?: SourceRef;
  readonly nodeName: string | null;
  readonly hostNetwork: boolean;
  /** status.podIPs, primary first; empty until the Pod has a sandbox. */
  readonly podIPs: readonly string[];
  readonly phase: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  /** The Ready condition (status.conditions[type=Ready].status == "True"). */
  readonly ready: boolean;
  /** metadata.deletionTimestamp is set: the Pod is terminating. */
  readonly terminating: boolean;
  /** Every container's ports, in order (named ports resolve a Service's string targetPort). */
  readonly ports: readonly ContainerPort[];
  /** spec.hostname: with spec.subdomain naming a headless Service, cluster DNS serves <hostname>.<subdomain>.<ns>.svc.<zone>. */
  readonly hostname?: string | null;
  /** spec.subdomain: the headless Service whose name completes the Pod's DNS name. */
  readonly subdomain?: string | null;
}

export interface NodeAddress {
  readonly type: "InternalIP" | "ExternalIP" | "Hostname" | "InternalDNS" | "ExternalDNS";
  readonly address: string;
}

export interface Node {
  readonly kind: "Node";
  readonly metadata: ObjectMeta;
  readonly source?: SourceRef;
  /** status.addresses: the node's IPs are its local addresses (`-m addrtype --dst-type LOCAL`). */
  readonly addresses: readonly NodeAddress[];
  readonly podCIDRs: readonly string[];
}

/** kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration, after kube-proxy's own defaulting. */
export interface KubeProxyConfiguration {
  readonly kind: "KubeProxyConfiguration";
  readonly source?: SourceRef;
  readonly mode: "iptables" | "ipvs" | "nftables";
  /** "" when unset. */
  readonly clusterCIDR: string;
  /** "" is read by kube-proxy as ClusterCIDR. */
  readonly detectLocalMode: "ClusterCIDR" | "NodeCIDR" | "BridgeInterface" | "InterfaceNamePrefix";
  readonly detectLocal: { readonly bridgeInterface: string; readonly interfaceNamePrefix: string };
  /** "" when unset: kube-proxy then uses the OS hostname (here: the only Node, if there is one). */
  readonly hostnameOverride: string;
  /** CIDRs, or the single word "primary"; empty means every local address. */
  readonly nodePortAddresses: readonly string[];
  readonly iptables: {
    /** Default 14: the mark is 1 << 14 = 0x4000. */
    readonly masqueradeBit: number;
    readonly masqueradeAll: boolean;
    /** Default true: NodePorts answer on 127.0.0.1 too (IPv4 only). */
    readonly localhostNodePorts: boolean;
  };
  readonly ipvs: {
    /** "" means rr. */
    readonly scheduler: string;
    readonly strictARP: boolean;
  };
}

/** Everything kube-proxy on one node works from. */
export interface ClusterState {
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly pods: readonly Pod[];
  readonly nodes: readonly Node[];
  readonly proxyConfig: KubeProxyConfiguration;
  /** The node kube-proxy runs on (hostnameOverride, or the only Node given). */
  readonly nodeName: string;
}
