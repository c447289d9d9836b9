import { flagshipOutcome } from "../scenarios/to-core-trace";
import type { Ipv4Layer, HttpLayer } from "../net/packet";
import { hopsOf, totalMs, type Hop, type Trace, type TraceEvent, type TraceEventType } from "../trace";

/**
 * Reading facts off one flagship trace for the with/without comparison (`compare.ts`): nothing here
 * knows what the answer should be — each function reports what the trace's hops and events say, and
 * the step (hop id) it read it from.
 */

/** Hops of the request, up to the one that answered or failed. */
export const requestHops = (t: Trace): Hop[] => hopsOf(t, "request");
export const responseHops = (t: Trace): Hop[] => hopsOf(t, "response");

/** Every event of a type on the request, with its hop. */
export function requestEvents<T extends TraceEventType>(t: Trace, type: T): { hop: Hop; event: Extract<TraceEvent, { type: T }> }[] {
  return requestHops(t).flatMap((hop) =>
    hop.events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type).map((event) => ({ hop, event })),
  );
}

/** The hop with this id on the request, or undefined when the request never got there. */
export const requestHop = (t: Trace, deviceId: string): Hop | undefined => t.hops.find((h) => h.id === `request:${deviceId}`);

/** What the browser finally got, and the hop that wrote it. */
export function outcomeOf(t: Trace): { status: string; at: string; ok: boolean } {
  const o = flagshipOutcome(t);
  return { status: o.status, at: o.at, ok: /^2\d\d /.test(o.status) };
}

/** Time from sending the request to the first byte of the answer at the browser: every hop, both ways (ms). */
export const firstByteMs = (t: Trace): number => Math.round((totalMs(requestHops(t)) + totalMs(responseHops(t))) * 1000) / 1000;

/** The innermost IPv4 header and the HTTP message of a packet (what the endpoints wrote, under any tunnel). */
export function innerIpv4(hop: Hop, side: "in" | "out"): Ipv4Layer | undefined {
  return hop[side]?.layers.filter((l): l is Ipv4Layer => l.kind === "ipv4").at(-1);
}
export function httpOf(hop: Hop, side: "in" | "out"): HttpLayer | undefined {
  return hop[side]?.layers.find((l): l is HttpLayer => l.kind === "http");
}

/** The hop on the request with the longest fibre time: the long haul. */
export function longHaul(t: Trace): Hop | undefined {
  return requestHops(t).reduce<Hop | undefined>((best, h) => (!best || h.propagationMs > best.propagationMs ? h : best), undefined);
}

/** Round trips (and their modelled time) spent opening connections before the request could go on. */
export function handshakes(t: Trace): { roundTrips: number; ms: number; hops: Hop[]; detail: string[] } {
  const found = requestEvents(t, "handshake");
  return {
    roundTrips: found.reduce((n, f) => n + f.event.roundTrips, 0),
    ms: Math.round(found.reduce((n, f) => n + f.event.roundTrips * f.event.rttMs, 0) * 1000) / 1000,
    hops: found.map((f) => f.hop),
    detail: found.map((f) => `${f.hop.device.name}: ${f.event.protocol === "tcp" ? "TCP" : "TCP + TLS 1.3"} to ${f.event.peer}, ${f.event.roundTrips} × ${f.event.rttMs.toFixed(1)} ms`),
  };
}

/** Who runs a device, from its kind and role in the trace. */
export function operatorOf(hop: Hop): "Cloudflare" | "Google" | "the user's ISP" | "the user" | "the cluster" {
  const id = hop.device.id;
  if (id.startsWith("cf-")) return "Cloudflare";
  if (id === "browser") return "the user";
  if (id === "isp-router") return "the user's ISP";
  if (id === "node" || id === "pod") return "the cluster";
  return "Google";
}
