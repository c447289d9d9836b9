import { site, type Hop, type Trace, type TraceEvent } from "../sim/index";

/**
 * Sentences about the hops of a flagship trace, for the grader's feedback: what each hop does on the
 * way in, and why TLS does or does not end there, and why an anycast decision is or is not made there.
 * Every fact that varies (an address, a site, a status, who answers) is read from the trace's events
 * and packets; only the mechanism each kind of device stands for is written here, in our own words.
 */

type EventOf<T extends TraceEvent["type"]> = Extract<TraceEvent, { type: T }>;
const eventOf = <T extends TraceEvent["type"]>(hop: Hop, type: T) => hop.events.find((e): e is EventOf<T> => e.type === type);

/** A device's name from its id, as this trace names it (packets and events refer to devices by id). */
function deviceName(trace: Trace, id: string): string {
  return trace.hops.find((h) => h.device.id === id)?.device.name ?? "the previous proxy";
}

/** How the request ends: the last device it reaches, and — when that is not the Pod — who answers and with what. */
export interface RequestEnd {
  readonly hop: Hop;
  /** The answer written where the request stops (null when it stops at a TLS alert). */
  readonly answer: EventOf<"respond"> | null;
  readonly alert: EventOf<"tls-alert"> | null;
}

export function requestEnd(trace: Trace): RequestEnd {
  const request = trace.hops.filter((h) => h.direction === "request");
  const hop = request.at(-1)!;
  const reply = trace.hops.find((h) => h.direction === "response" && h.device.id === hop.device.id);
  return { hop, answer: reply ? eventOf(reply, "respond") ?? null : null, alert: eventOf(hop, "tls-alert") ?? null };
}

/** "where Cloudflare's cache answers 200 OK", from the trace's respond event. */
export function endingClause(end: RequestEnd): string {
  if (end.answer) return `${end.answer.by} answers ${end.answer.status}`;
  if (end.alert) return `${end.alert.sentBy} ends the TLS handshake with ${end.alert.alert}`;
  return "the request is consumed";
}

/** What a hop does on the way in: why it is on the path, at this place. */
export function hopRole(trace: Trace, hop: Hop): string {
  const end = requestEnd(trace);
  const stopsHere = end.hop === hop && hop.device.kind !== "pod";
  const route = eventOf(hop, "anycast-route");
  switch (hop.device.kind) {
    case "client": {
      const dns = eventOf(hop, "dns-resolve");
      return dns
        ? `The browser resolves ${dns.name} to ${dns.answer} and sends the request there: every journey starts here.`
        : `The client skips DNS and connects straight to ${firstDestination(hop.out) ?? "the load balancer's address"}.`;
    }
    case "router":
      if (route) return `Its best route to the anycast prefix ${route.prefix} leads to ${site(route.chosen).name}, so the packet goes to the site there.`;
      return hop.events.some((e) => e.type === "lb-select")
        ? "Google's edge router spreads flows over the site's Maglevs (ECMP): the first device the packet meets inside Google."
        : "It forwards the packet towards its destination.";
    case "xdp-lb":
      return "Unimog, Cloudflare's layer-4 balancer, runs on every server of the site; it picks the server for this connection and tunnels the packet to it without decrypting anything.";
    case "cdn-edge": {
      const cache = eventOf(hop, "cache");
      if (stopsHere) return `Cloudflare's edge terminates the browser's TLS and answers from here: ${endingClause(end)}.`;
      return `Cloudflare's edge terminates the browser's TLS, runs its WAF and cache (${cache?.result ?? "no lookup"}), and opens its own TLS connection to the load balancer.`;
    }
    case "l4-lb":
      return "Maglev hashes the connection's addresses and ports to pick a GFE, and encapsulates the packet to it without terminating anything.";
    case "gfe": {
      if (stopsHere) {
        const tls = eventOf(hop, "tls-terminate");
        return `${tls ? "The GFE terminates TLS, but the request goes no further" : "The request goes no further"}: ${endingClause(end)}.`;
      }
      const choice = eventOf(hop, "lb-select");
      const pod = choice?.chosen ? ` (${choice.chosen.split(":")[0]})` : "";
      return `The GFE terminates TLS, matches the URL map, and opens its own connection straight to a healthy Pod's IP from the NEG${pod}.`;
    }
    case "sdn-fabric":
      return "Google's backbone carries the GFE's connection into your VPC, where Andromeda applies the firewall rules and encapsulates it to the Pod's node.";
    case "node": {
      const conntrack = eventOf(hop, "conntrack");
      return conntrack?.nat === "none" || !conntrack
        ? "The node decapsulates the packet and routes it to the Pod's veth; its destination is already the Pod's IP, so nothing is DNATed."
        : `The node translates the packet (${conntrack.nat.toUpperCase()}) and routes it to the Pod.`;
    }
    case "pod":
      return "The Pod's web container receives the request: the end of the way in.";
  }
}

function firstDestination(packet: Hop["out"]): string | null {
  const ip = packet?.layers.find((l) => l.kind === "ipv4");
  return ip && ip.kind === "ipv4" ? ip.dst : null;
}

/** Why TLS does, or does not, end at this hop. */
export function tlsWhy(trace: Trace, hop: Hop): string {
  const ends = eventOf(hop, "tls-terminate");
  if (ends) {
    return `TLS ends here: it decrypts the session from ${deviceName(trace, ends.client)} for ${ends.sni} and presents a certificate for ${ends.certificate}.`;
  }
  const alert = eventOf(hop, "tls-alert");
  if (alert) return `TLS does not end here: the handshake fails (${alert.alert}), so no session is ever established.`;
  if (!hop.in) return "TLS does not end here: the encrypted session starts here.";
  const tls = hop.in.layers.filter((l) => l.kind === "tls").at(-1);
  if (!tls) {
    const last = [...trace.hops.slice(0, trace.hops.indexOf(hop))].reverse().find((h) => eventOf(h, "tls-terminate"));
    return `TLS does not end here: what arrives is plain HTTP${last ? `, because TLS already ended at ${last.device.name}` : ""}.`;
  }
  switch (hop.device.kind) {
    case "router":
      return "TLS does not end here: a router forwards packets by their addresses and never decrypts them.";
    case "xdp-lb":
    case "l4-lb":
      return "TLS does not end here: a layer-4 balancer chooses by addresses and ports and passes the encrypted bytes on untouched.";
    default:
      return "TLS does not end here: the encrypted bytes pass through without being decrypted.";
  }
}

/** Why an anycast routing decision is, or is not, made at this hop. */
export function anycastWhy(hop: Hop): string {
  const route = eventOf(hop, "anycast-route");
  if (route) {
    const sites = new Set(route.candidates.map((c) => c.site)).size;
    return `Anycast decides here: ${route.sites?.length ?? sites} sites announce ${route.prefix}, and this router's best route leads to ${site(route.chosen).name}.`;
  }
  switch (hop.device.kind) {
    case "client":
      return "No anycast decision here: the browser only addresses the packet; routers on the way choose which site receives it.";
    case "router":
    case "xdp-lb":
    case "l4-lb":
      return "No anycast decision here: the anycast route already chose this site; this device only spreads traffic over the machines inside it.";
    case "cdn-edge":
      return "No anycast decision here: the edge server takes what the anycast route delivered, and its own connection onwards is routed by the border router.";
    case "gfe":
      return "No anycast decision here: the GFE picks a backend by its URL map and health checks, and connects to it by its own address.";
    default:
      return "No anycast decision here: the GFE's connection goes to the Pod's own unicast address inside your VPC.";
  }
}
