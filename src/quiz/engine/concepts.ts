/**
 * The concepts questions are tagged with: practice decks by concept, and mastery per concept in the
 * spaced-repetition schedule (concept × template). A template's `concepts` must be ids from here.
 */
export const CONCEPTS: Readonly<Record<string, string>> = {
  dns: "DNS resolution",
  anycast: "Anycast routing",
  "tls-termination": "Where TLS terminates",
  "cdn-cache": "CDN caching",
  "cdn-proxy": "Cloudflare's reverse proxy",
  "l4-load-balancing": "L4 load balancers (Unimog, Maglev, ECMP)",
  "consistent-hashing": "Consistent hashing",
  gfe: "The Google Front End",
  "url-map": "URL maps and the Host header",
  "health-checks": "Health checks",
  neg: "Container-native load balancing (NEGs)",
  "instance-groups": "Instance groups and node ports",
  latency: "Latency and the speed of light in fibre",
  peering: "Interconnection and peering",
  "vpc-overlay": "The VPC's overlay and encapsulation",
  "direct-server-return": "Direct server return",
  "origin-protection": "Protecting the origin",
  clusterip: "ClusterIP Services",
  nodeport: "NodePort Services",
  loadbalancer: "LoadBalancer Services",
  "service-types": "Service types",
  endpointslices: "EndpointSlices",
  "kube-proxy-iptables": "kube-proxy's iptables rules",
  ipvs: "kube-proxy's IPVS mode",
  ebpf: "eBPF dataplanes (Dataplane V2)",
  dnat: "DNAT",
  masquerade: "SNAT and masquerade",
  conntrack: "Connection tracking",
  "external-traffic-policy": "externalTrafficPolicy",
  "session-affinity": "Session affinity",
  hairpin: "Hairpin traffic",
};

export const conceptLabel = (id: string): string => CONCEPTS[id] ?? id;
