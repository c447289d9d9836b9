import type { DeviceKind, TraceEventType } from "../../sim/index";

/** Short names for the topology picture, where full device names do not fit. */
export const SHORT_NAMES: Readonly<Record<string, string>> = {
  browser: "Browser",
  "isp-router": "ISP",
  "cf-unimog": "Unimog",
  "cf-edge": "Cloudflare",
  "cf-router": "CF border",
  "google-router": "G. router",
  maglev: "Maglev",
  gfe: "GFE",
  backbone: "Backbone",
  node: "Node",
  pod: "Pod",
};

export const KIND_NAMES: Readonly<Record<DeviceKind, string>> = {
  client: "client",
  router: "router",
  "cdn-edge": "CDN edge proxy",
  "l4-lb": "L4 load balancer",
  "xdp-lb": "L4 load balancer in XDP, on every server",
  gfe: "L7 proxy (Google Front End)",
  "sdn-fabric": "software-defined network",
  node: "Kubernetes node",
  pod: "Pod",
};

export const EVENT_NAMES: Readonly<Record<TraceEventType, string>> = {
  "dns-resolve": "DNS",
  "anycast-route": "anycast",
  "tls-terminate": "TLS terminate",
  "tls-originate": "TLS originate",
  waf: "WAF",
  cache: "cache",
  "lb-select": "load balance",
  "url-map": "URL map",
  "health-check": "health",
  encap: "encapsulate",
  decap: "decapsulate",
  dnat: "DNAT",
  snat: "SNAT",
  conntrack: "conntrack",
  forward: "forward",
  deliver: "deliver",
  respond: "respond",
  handshake: "handshake",
  firewall: "firewall",
  "tls-alert": "TLS alert",
};
