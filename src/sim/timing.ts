import type { TraceEvent } from "./trace";

/**
 * Modelled processing cost of each event, in milliseconds. These are teaching figures of the right
 * order of magnitude, not measurements. By default the scenario follows a request on warm connections
 * (TCP connections and TLS sessions already open, as browsers, Cloudflare and GFEs keep them); a cold
 * start adds `handshake` events, each costing its round trips in full: TCP's three-way handshake is
 * one round trip before data can flow, and a full TLS 1.3 handshake one more (RFC 8446 §2), so an
 * encrypted segment costs two and the GFE's plain-HTTP connection to the Pod one.
 */
export function eventCostMs(event: TraceEvent): number {
  switch (event.type) {
    case "dns-resolve":
      return 2; // a recursive resolver in the same metro answering from its cache
    case "anycast-route":
      return 0; // BGP decided beforehand; forwarding is a table lookup
    case "tls-terminate":
    case "tls-originate":
      return 0.3; // symmetric crypto on one record, sessions already established
    case "waf":
      return 0.5;
    case "cache":
      return 0.2;
    case "lb-select":
      return event.layer === "L4" ? 0.005 : 0.05;
    case "url-map":
      return 0.05;
    case "health-check":
      return 0; // the proxy reads health already gathered by probes
    case "encap":
    case "decap":
    case "dnat":
    case "snat":
    case "conntrack":
      return 0.005;
    case "forward":
      return 0.02;
    case "deliver":
      return 0.01;
    case "respond":
      return event.by === "application" ? 5 : 0.1;
    case "handshake":
      return event.roundTrips * event.rttMs;
    case "firewall":
      return 0.005;
    case "tls-alert":
      return 0.1;
  }
}

export function eventsCostMs(events: readonly TraceEvent[]): number {
  return events.reduce((sum, e) => sum + eventCostMs(e), 0);
}
