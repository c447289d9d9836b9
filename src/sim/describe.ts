import { site } from "./geo";
import type { Layer, Packet } from "./net/packet";
import type { Hop, Trace, TraceEvent } from "./trace";
import { LEG_NAMES, totalMs, hopsOf } from "./trace";

/** One sentence for an event, in the course's own words. Used by the CLI, the inspector and graders. */
export function describeEvent(event: TraceEvent): string {
  switch (event.type) {
    case "dns-resolve":
      return `DNS: ${event.name} → ${event.answer} (answered by ${event.authority}). ${event.note}`;
    case "anycast-route":
      return `Anycast: the best route to ${event.prefix} leads to ${site(event.chosen).name}. ${event.why}`;
    case "tls-terminate":
      return `TLS termination #${event.ordinal}: decrypts what ${event.client} sent for ${event.sni}, presenting ${event.certificate} (issued by ${event.issuer}).`;
    case "tls-originate":
      return `New TLS session to ${event.server} for ${event.sni}. ${event.verification}`;
    case "waf":
      return `${event.ruleset} → ${event.verdict}${event.rule ? ` (${event.rule})` : ""}.`;
    case "cache":
      return `Cache ${event.result}${event.ttlSeconds !== undefined ? ` (${event.ttlSeconds} s)` : ""} for ${event.key}. ${event.why}`;
    case "lb-select":
      return `${event.layer} load balancing (${event.algorithm}): ${event.chosen ?? "no backend"} of ${event.candidates.length}. ${event.why}`;
    case "url-map":
      return event.matchedRule
        ? `URL map: Host ${event.host}, path ${event.path} matches ${event.matchedRule} → ${event.backendService}.`
        : `URL map: no rule for Host ${event.host}; the default backend answers.`;
    case "health-check":
      return `Health: ${event.endpoints.map((e) => `${e.ip} ${e.healthy ? "healthy" : "failing"}`).join(", ")} (probes from ${event.probeSources}).`;
    case "encap":
      return `Encapsulates in ${event.protocol.toUpperCase()}: outer ${event.outerSrc} → ${event.outerDst}. ${event.note}`;
    case "decap":
      return `Removes the ${event.protocol.toUpperCase()} outer headers.`;
    case "dnat":
      return `DNAT: destination ${event.from} → ${event.to}.`;
    case "snat":
      return `SNAT: source ${event.from} → ${event.to}.`;
    case "conntrack":
      return `conntrack: ${event.state === "new" ? "new entry" : "matches the entry"} for ${event.tuple}, ${event.nat === "none" ? "no address translation" : event.nat.toUpperCase()}.${event.note ? ` ${event.note}` : ""}`;
    case "forward":
      return `Forwards to ${event.to} via ${event.via}${event.distanceKm !== undefined ? ` (${event.distanceKm} km)` : ""}.`;
    case "deliver":
      return `Delivered to ${event.to}.`;
    case "respond":
      return `Answers ${event.status} (${event.by}).`;
    case "handshake":
      return `Opens ${event.protocol === "tcp" ? "a TCP connection" : "a TCP connection, then a TLS 1.3 session,"} to ${event.peer} first: ${event.roundTrips} round trip${event.roundTrips === 1 ? "" : "s"} × ${event.rttMs.toFixed(1)} ms. ${event.note}`;
    case "firewall":
      return `VPC firewall rule ${event.rule}: ${event.action} ${event.ports} from ${event.sources}. ${event.note}`;
    case "tls-alert":
      return `TLS handshake fails: ${event.sentBy} sends the alert ${event.alert}. ${event.why}`;
  }
}

/** A packet in one line: "ipv4 a → b · tcp 1 → 2 · tls[browser↔cf-edge] · http GET /". */
export function describePacket(packet: Packet | null): string {
  if (!packet) return "—";
  return packet.layers.map(describeLayer).join(" · ");
}

function describeLayer(layer: Layer): string {
  switch (layer.kind) {
    case "ipv4":
      return `IPv4 ${layer.src} → ${layer.dst} ttl ${layer.ttl}`;
    case "tcp":
    case "udp":
      return `${layer.kind.toUpperCase()} ${layer.srcPort} → ${layer.dstPort}`;
    case "gre":
      return "GRE";
    case "gue":
      return "GUE";
    case "geneve":
    case "vxlan":
      return `${layer.kind === "geneve" ? "Geneve" : "VXLAN"} vni ${layer.vni}`;
    case "tls":
      return `TLS ${layer.version} ${layer.client}↔${layer.server} (${layer.certificate})${layer.alert ? ` alert ${layer.alert}` : ""}`;
    case "http":
      return layer.requestLine
        ? `HTTP ${layer.requestLine} Host: ${layer.host ?? ""}`
        : `HTTP ${layer.status ?? ""}${layer.cacheControl ? ` Cache-Control: ${layer.cacheControl}` : ""}${layer.cacheStatus ? ` cf-cache-status: ${layer.cacheStatus}` : ""}`;
  }
}

function hopLine(hop: Hop, index: number): string[] {
  const head = `${String(index + 1).padStart(2)}. [leg ${hop.leg}] ${hop.device.name}  +${hop.timeMs.toFixed(3)} ms`;
  return [
    head,
    `      in : ${describePacket(hop.in)}`,
    `      out: ${describePacket(hop.out)}`,
    ...hop.events.map((e) => `      • ${describeEvent(e)}`),
  ];
}

/** The text form `npm run trace` prints for people. */
export function formatTraceText(trace: Trace): string {
  const params = Object.entries(trace.params).map(([k, v]) => `${k}=${v}`).join(" ");
  const lines = [`${trace.scenario}  ${params}  seed=${trace.seed}${trace.model ? `  model=${trace.model} (a misconception, not the real behaviour)` : ""}`, ""];
  let index = 0;
  for (const direction of ["request", "response"] as const) {
    const hops = hopsOf(trace, direction);
    lines.push(`${direction === "request" ? "Request" : "Response"} (${totalMs(hops).toFixed(3)} ms)`);
    let leg = 0;
    for (const hop of hops) {
      if (hop.leg !== leg) {
        leg = hop.leg;
        lines.push(`  — leg ${leg}: ${LEG_NAMES[hop.leg]}`);
      }
      lines.push(...hopLine(hop, index++));
    }
    lines.push("");
  }
  return lines.join("\n");
}
