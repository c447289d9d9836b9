import type { Hop, Trace, TraceEvent } from "../../trace";
import type { Layer, Packet, TlsLayer } from "../../net/packet";
import { ORIGIN_CERTIFICATES } from "../../edge/gfe-certificates";
import { matchReferenceId } from "../x509/names";
import type { ConnectionCost, HandshakeFailure, HandshakeHop, HopId, JourneyTls, PathSegment, PresentedCertificate } from "./types";

/**
 * The TLS sessions of one flagship trace, read off it — never recomputed: which devices hold each
 * session (the packets' TLS layers), the certificate presented (`tls-terminate`, or the session's TLS
 * layer when the client refused it), how the client judged it (`tls-originate`, `tls-alert`), where a
 * failed handshake ended (`tls-alert` and the hop it is on), and what opening it cost this request
 * (`handshake`). The flagship decides; this module only reads.
 *
 * Two facts the trace does not carry are the protocol's, stated here: ALPN (RFC 7301) — browsers offer
 * h2 then http/1.1 and Cloudflare's edge and the GFE pick h2; Cloudflare offers h2 and http/1.1 to
 * origins (its `origin_max_http_version` setting defaults to 2 on every plan but Enterprise); the
 * flagship's GFE speaks HTTP/1.1 to the Pod — and the client certificate Cloudflare presents when the
 * origin asks for one (authenticated origin pulls).
 */

const NO_CERT = "(none yet: handshake)";
const BROWSER_ALPN = ["h2", "http/1.1"];

function tlsOf(packet: Packet | null): TlsLayer | undefined {
  return packet?.layers.find((l): l is TlsLayer => l.kind === "tls");
}

function socketsOf(packet: Packet): { src: string; dst: string } {
  const ip = packet.layers.find((l): l is Extract<Layer, { kind: "ipv4" }> => l.kind === "ipv4");
  const tcp = packet.layers.find((l): l is Extract<Layer, { kind: "tcp" }> => l.kind === "tcp");
  return { src: `${ip?.src ?? "?"}:${tcp?.srcPort ?? "?"}`, dst: `${ip?.dst ?? "?"}:${tcp?.dstPort ?? "?"}` };
}

/** The innermost IPv4 header and the TCP header after it (a tunnelled packet's inner connection). */
function innerSockets(packet: Packet): { src: string; dst: string } {
  const at = packet.layers.findIndex((l) => l.kind === "tcp");
  const ip = [...packet.layers.slice(0, at)].reverse().find((l): l is Extract<Layer, { kind: "ipv4" }> => l.kind === "ipv4");
  const tcp = packet.layers[at] as Extract<Layer, { kind: "tcp" }> | undefined;
  return { src: `${ip?.src ?? "?"}:${tcp?.srcPort ?? "?"}`, dst: `${ip?.dst ?? "?"}:${tcp?.dstPort ?? "?"}` };
}

function httpText(packet: Packet | null): string | null {
  const http = packet?.layers.find((l): l is Extract<Layer, { kind: "http" }> => l.kind === "http");
  if (!http?.requestLine) return null;
  return `${http.requestLine} · Host ${http.host ?? "?"}${http.forwardedFor ? ` · X-Forwarded-For ${http.forwardedFor}` : ""}`;
}

function eventsOf<T extends TraceEvent["type"]>(hop: Hop | undefined, type: T): Extract<TraceEvent, { type: T }>[] {
  return (hop?.events ?? []).filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
}

const HOP_FOR_SERVER: Readonly<Record<string, HopId>> = { "cf-edge": "browser-cloudflare", gfe: "browser-gfe", pod: "browser-pod" };

function title(id: HopId, ordinal: number | null): string {
  const n = ordinal === null ? "" : `Termination ${ordinal}: `;
  switch (id) {
    case "browser-cloudflare": return `${n}the browser to Cloudflare's edge`;
    case "cloudflare-gfe": return `${n}Cloudflare's edge to the GFE`;
    case "browser-gfe": return `${n}the client straight to the GFE`;
    case "browser-pod": return "The browser to the Pod (the tls-at-pod model: nobody in between terminates)";
  }
}

/** A certificate as the trace names it ("example.com, *.example.com"), or null for none. */
function certificate(names: string, issuer: string): PresentedCertificate | null {
  return names === NO_CERT || names === "" ? null : { names: names.split(", "), issuer };
}

function cost(clientHop: Hop | undefined): ConnectionCost {
  const tls = eventsOf(clientHop, "handshake").find((e) => e.protocol === "tcp+tls1.3");
  return tls ? { cold: true, roundTrips: tls.roundTrips, rttMs: tls.rttMs } : { cold: false, roundTrips: 0, rttMs: 0 };
}

/** Where a failed handshake ended, by who sent the alert and what it says (RFC 8446 §4.4.2.4, §6.2). */
function failureOf(alert: Extract<TraceEvent, { type: "tls-alert" }>, sentBy: "client" | "server", cert: PresentedCertificate | null, step: string): HandshakeFailure {
  const after = sentBy === "client"
    ? "server-finished" // the client judges the certificate on the server's flight and answers with its alert
    : alert.alert.startsWith("certificate_required") ? "client-finished" // the client's Certificate came back empty
      : cert === null ? "client-hello" : "server-finished";
  return { alert: alert.alert, sentBy, after, why: alert.why, step };
}

function unique(steps: readonly (string | undefined)[]): string[] {
  return steps.filter((s, i): s is string => s !== undefined && steps.indexOf(s) === i);
}

/**
 * The load balancer's certificate when the trace shows none because the GFE ended the handshake for
 * want of a client certificate: it had presented its own by then (RFC 8446 §4.4.2.4), which is the
 * flagship's `origin-cert` setting.
 */
function presentedBeforeCertificateRequired(trace: Trace): PresentedCertificate | null {
  const c = ORIGIN_CERTIFICATES[trace.params["origin-cert"] ?? "certificate-manager"];
  return c && c.issued ? { names: c.names, issuer: c.issuer } : null;
}

function byId(trace: Trace, id: string): Hop | undefined {
  return trace.hops.find((h) => h.id === id);
}

/** How the client of the front session judged the certificate, when no alert says it refused. */
function frontVerification(trace: Trace, server: string, sni: string, cert: PresentedCertificate | null): string {
  if (!cert) return "No certificate was presented.";
  if (server === "pod") return `The model has the Pod present ${cert.names.join(", ")}; no proxy between holds a key.`;
  if (trace.params.cloudflare === "bypassed") {
    return `A script that connects to the address directly does not check the certificate (like curl --insecure); a browser would have to, and would${matchReferenceId({ san: cert.names.map((value) => ({ type: "dns", value })), commonName: null }, sni).ok ? "" : " not"} find ${sni} on it.`;
  }
  const m = matchReferenceId({ san: cert.names.map((value) => ({ type: "dns", value })), commonName: null }, sni);
  return `The browser accepts it: ${cert.issuer} is a publicly trusted CA, and ${m.detail.replace(/^The subjectAltName /, "")}`;
}

/**
 * The journey's TLS sessions, its path segments and what the visitor gets, read off a flagship trace
 * (`computeTrace("cloudflare-gke", params, seed, model)`), the real one or one under a wrong model.
 *
 * @example readJourneyTls(computeTrace("cloudflare-gke", {})).hops.map((h) => h.id) // ["browser-cloudflare", "cloudflare-gfe"]
 */
export function readJourneyTls(trace: Trace): JourneyTls {
  const browserHop = byId(trace, "request:browser");
  if (!browserHop?.out) throw new Error("the trace has no request from the browser");
  const edgeHop = byId(trace, "request:cf-edge");
  const gfeHop = byId(trace, "request:gfe");
  const podHop = byId(trace, "request:pod");
  const arrivesAtBrowser = byId(trace, "response:browser")?.in ?? null;
  const hops: HandshakeHop[] = [];
  const names = (id: string) => trace.hops.find((h) => h.device.id === id)?.device.name ?? id;
  const protection = trace.params["origin-protection"] ?? "none";

  // Session A: the client's own connection.
  const front = tlsOf(browserHop.out);
  if (front) {
    const id = HOP_FOR_SERVER[front.server];
    if (!id) throw new Error(`no hop for a TLS session to ${front.server}`);
    const serverHop = front.server === "cf-edge" ? edgeHop : front.server === "gfe" ? gfeHop : podHop;
    const terminate = eventsOf(serverHop, "tls-terminate").find((e) => e.client === "browser");
    // The certificate: what the terminator records presenting, else what the session carried back to the client.
    const back = tlsOf(arrivesAtBrowser);
    let cert = terminate ? certificate(terminate.certificate, terminate.issuer) : back && back.client === "browser" ? certificate(back.certificate, back.issuer) : null;
    const serverAlert = eventsOf(serverHop, "tls-alert").find((e) => e.sentBy === front.server);
    const clientAlert = eventsOf(byId(trace, "response:browser"), "tls-alert").find((e) => e.sentBy === "browser");
    if (!cert && serverAlert?.alert.startsWith("certificate_required")) cert = presentedBeforeCertificateRequired(trace);
    const failure = serverAlert && serverHop
      ? failureOf(serverAlert, "server", cert, serverHop.id)
      : clientAlert ? failureOf(clientAlert, "client", cert, "response:browser") : null;
    const sockets = socketsOf(browserHop.out);
    const requested = front.server === "gfe" && protection === "mtls";
    hops.push({
      id, ordinal: terminate?.ordinal ?? null, title: title(id, terminate?.ordinal ?? null),
      client: { id: "browser", name: browserHop.device.name, socket: sockets.src },
      server: { id: front.server, name: names(front.server), socket: sockets.dst },
      sni: front.sni, alpnOffered: BROWSER_ALPN, alpnChosen: front.server === "pod" ? "http/1.1" : "h2",
      certificate: cert,
      verification: clientAlert?.why ?? serverAlert?.why ?? frontVerification(trace, front.server, front.sni, cert),
      certificateRequested: requested && (failure === null || failure.after !== "client-hello"),
      clientCertificate: null,
      failure,
      connection: cost(browserHop),
      request: failure ? null : httpText(browserHop.out),
      steps: unique([browserHop.id, serverHop?.id, failure?.step]),
    });
  }

  // Session B: Cloudflare's own connection to the origin (absent when the edge answered by itself, or relayed blind).
  const pull = tlsOf(edgeHop?.out ?? null);
  if (edgeHop?.out && pull && pull.client === "cf-edge") {
    const originate = eventsOf(edgeHop, "tls-originate")[0];
    const terminate = eventsOf(gfeHop, "tls-terminate").find((e) => e.client === "cf-edge");
    const back = tlsOf(byId(trace, "response:cf-router")?.in ?? null);
    let cert = terminate ? certificate(terminate.certificate, terminate.issuer) : back && back.client === "cf-edge" ? certificate(back.certificate, back.issuer) : null;
    const serverAlert = eventsOf(gfeHop, "tls-alert").find((e) => e.sentBy === "gfe");
    const clientAlert = eventsOf(byId(trace, "response:cf-edge"), "tls-alert").find((e) => e.sentBy === "cf-edge");
    if (!cert && serverAlert?.alert.startsWith("certificate_required")) cert = presentedBeforeCertificateRequired(trace);
    const failure = serverAlert && gfeHop
      ? failureOf(serverAlert, "server", cert, gfeHop.id)
      : clientAlert ? failureOf(clientAlert, "client", cert, "response:cf-edge") : null;
    const sockets = innerSockets(edgeHop.out);
    const requested = protection === "mtls" && (failure === null || failure.after !== "client-hello");
    hops.push({
      id: "cloudflare-gfe", ordinal: terminate?.ordinal ?? null, title: title("cloudflare-gfe", terminate?.ordinal ?? null),
      client: { id: "cf-edge", name: edgeHop.device.name, socket: sockets.src },
      server: { id: "gfe", name: names("gfe"), socket: sockets.dst },
      sni: originate?.sni ?? pull.sni, alpnOffered: ["h2", "http/1.1"], alpnChosen: "h2",
      certificate: cert,
      verification: clientAlert?.why ?? originate?.verification ?? "",
      certificateRequested: requested,
      clientCertificate: requested ? "Cloudflare's authenticated-origin-pull client certificate (issued by Cloudflare's origin-pull CA)" : null,
      failure,
      connection: cost(edgeHop),
      request: failure ? null : httpText(edgeHop.out),
      steps: unique([edgeHop.id, gfeHop?.id, failure?.step]),
    });
  }

  const segments: PathSegment[] = [];
  const segment = (id: PathSegment["id"], segTitle: string, hop: Hop | undefined, inner: boolean) => {
    if (!hop?.out) return;
    const tls = tlsOf(hop.out);
    const s = inner ? innerSockets(hop.out) : socketsOf(hop.out);
    segments.push({
      id, title: segTitle, addresses: `${s.src} → ${s.dst}`,
      session: tls ? { client: tls.client, server: tls.server, sni: tls.sni } : null,
      carriesRequest: hop.out.layers.some((l) => l.kind === "http"), step: hop.id,
    });
  };
  segment("user-side", "The user's side: browser to the first network", browserHop, false);
  if (edgeHop?.out) segment("middle-mile", "The middle mile: Cloudflare to Google", edgeHop, true);
  if (gfeHop?.out) segment("inside-google", "Inside Google: the GFE to the Pod", gfeHop, false);

  const reached = trace.hops.filter((h) => h.direction === "request").map((h) => h.device.id);
  return { params: trace.params, model: trace.model ?? null, hops, segments, reached, outcome: outcomeOf(trace) };
}

/** What the visitor gets, from the last hop: an HTTP status, or the client's own verdict. */
function outcomeOf(trace: Trace): string {
  const last = byId(trace, "response:browser");
  const http = last?.in?.layers.find((l): l is Extract<Layer, { kind: "http" }> => l.kind === "http");
  const alert = eventsOf(last, "tls-alert")[0];
  if (alert) return `The browser ends the handshake with ${alert.alert}: ${alert.why}`;
  if (http?.status) {
    const by = trace.hops.flatMap((h) => eventsOf(h, "respond")).find((e) => e.status === http.status)?.by;
    return `The browser gets ${http.status}${by ? ` (answered by ${by})` : ""}.`;
  }
  const deliver = eventsOf(last, "deliver")[0];
  return deliver ? `No HTTP answer: ${deliver.to}.` : "No answer reaches the browser.";
}
