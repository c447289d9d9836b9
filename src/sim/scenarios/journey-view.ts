import type { Step, Trace as CoreTrace } from "../core/trace";
import { fibreMs, greatCircleKm, site, SITES, type SiteId } from "../geo";
import type { HttpLayer, Ipv4Layer, Layer, Packet } from "../net/packet";
import { explainChanges, type PacketChanges } from "../net/packet-changes";
import type { LayeredPacketUnit } from "./to-core-trace";

/**
 * What the flagship's labs draw beside the trace, computed from it: who owns each part of the path,
 * where TLS ends and where anycast decides, how far and how long each link is — and, at each step, the
 * changes a learner should notice and the non-changes they should not miss (no DNAT at the node).
 */

export type Owner = "user" | "cloudflare" | "google" | "vpc";

/** The path's owners, in the order the request meets them. */
export const OWNERS: readonly { readonly id: Owner; readonly name: string }[] = [
  { id: "user", name: "User and ISP" },
  { id: "cloudflare", name: "Cloudflare" },
  { id: "google", name: "Google's edge" },
  { id: "vpc", name: "Your VPC and cluster" },
];

/**
 * Every device the journey can visit, in request order, with the short name the picture uses. The
 * picture always draws all of them, so its scale never changes: devices a trace does not visit are
 * drawn as "not on this path".
 */
const DEVICES: readonly { readonly id: string; readonly short: string; readonly name: string; readonly owner: Owner }[] = [
  { id: "browser", short: "Browser", name: "Browser", owner: "user" },
  { id: "isp-router", short: "ISP", name: "ISP and transit routers", owner: "user" },
  { id: "cf-unimog", short: "Unimog", name: "Unimog (Cloudflare's L4 balancer)", owner: "cloudflare" },
  { id: "cf-edge", short: "CF proxy", name: "Cloudflare edge proxy", owner: "cloudflare" },
  { id: "cf-router", short: "CF border", name: "Cloudflare border router", owner: "cloudflare" },
  { id: "google-router", short: "G router", name: "Google edge router", owner: "google" },
  { id: "maglev", short: "Maglev", name: "Maglev (Google's L4 balancer)", owner: "google" },
  { id: "gfe", short: "GFE", name: "Google Front End (L7 proxy)", owner: "google" },
  { id: "backbone", short: "Backbone", name: "Google backbone and Andromeda", owner: "vpc" },
  { id: "node", short: "Node", name: "GKE node", owner: "vpc" },
  { id: "pod", short: "Pod", name: "Pod", owner: "vpc" },
];

/** A link longer than this is drawn as a long haul, labelled with its distance and time. */
const LONG_HAUL_KM = 1000;

/** A device's name for people, from its id in the flagship (TLS layers name their parties by id). */
export function deviceLabel(id: string): string {
  return DEVICES.find((d) => d.id === id)?.short ?? id;
}

export interface MapNode {
  readonly id: string;
  readonly short: string;
  /** The device's name in this trace, or its generic name when the trace does not visit it. */
  readonly name: string;
  readonly owner: Owner;
  /** The place's name ("Paris"), when the trace visits the device. */
  readonly place: string | null;
  readonly onPath: boolean;
  /** A TLS session ends here on the request (the device holds a key and reads the request). */
  readonly tlsEnds: boolean;
  /** A BGP decision about an anycast prefix is taken here. */
  readonly anycast: boolean;
  /** The device's steps in the trace, to jump to when it is clicked. */
  readonly steps: { readonly request: string | null; readonly response: string | null };
}

export interface MapLink {
  readonly from: string;
  readonly to: string;
  readonly km: number;
  /** Light in fibre over the link, one way. */
  readonly ms: number;
  readonly longHaul: boolean;
}

export interface JourneyMap {
  readonly nodes: readonly MapNode[];
  readonly links: readonly MapLink[];
}

const isSite = (place: string | undefined): place is SiteId => place !== undefined && place in SITES;

/**
 * The flagship's picture for one trace. Links join the devices the request visits, in order; each
 * is as long as the great circle between their places and takes that distance in fibre.
 *
 * @example journeyMap(core).links.find((l) => l.longHaul) // { from: "backbone", to: "node", km: 7204, … }
 */
export function journeyMap(trace: CoreTrace): JourneyMap {
  const stepOf = (direction: string, id: string) => trace.steps.find((s) => s.id === `${direction}:${id}`) ?? null;
  const nodes: MapNode[] = DEVICES.map((d) => {
    const request = stepOf("request", d.id);
    const response = stepOf("response", d.id);
    const seen = request ?? response;
    const place = seen && isSite(seen.node.place) ? site(seen.node.place).name : null;
    return {
      id: d.id,
      short: d.short,
      name: seen?.node.name ?? d.name,
      owner: d.owner,
      place,
      onPath: seen !== null,
      tlsEnds: request?.events.some((e) => e.type === "tls-terminate") ?? false,
      anycast: request?.events.some((e) => e.type === "anycast-route") ?? false,
      steps: { request: request?.id ?? null, response: response?.id ?? null },
    };
  });
  const requestSteps = trace.steps.filter((s) => s.id.startsWith("request:"));
  const links: MapLink[] = [];
  for (let i = 1; i < requestSteps.length; i++) {
    const a = requestSteps[i - 1]!;
    const b = requestSteps[i]!;
    const km = isSite(a.node.place) && isSite(b.node.place) ? Math.round(greatCircleKm(site(a.node.place), site(b.node.place))) : 0;
    const ms = b.time?.fibreMs ?? Math.round(fibreMs(km) * 1000) / 1000;
    links.push({ from: a.node.id, to: b.node.id, km, ms, longHaul: km >= LONG_HAUL_KM });
  }
  return { nodes, links };
}

// ——— What to notice at a step ————————————————————————————————————————————————————————————————

const packetOf = (unit: LayeredPacketUnit | null): Packet | null => (unit ? { layers: unit.layers } : null);

/** The packet's own IPv4 header: the innermost one (a tunnel's outer header is not the packet's). */
function innerIp(packet: Packet): Ipv4Layer | undefined {
  return packet.layers.filter((l: Layer): l is Ipv4Layer => l.kind === "ipv4").at(-1);
}

const httpOf = (packet: Packet) => packet.layers.find((l): l is HttpLayer => l.kind === "http");

/** The step's packet changes, classified (see `explainChanges`). */
export function stepChanges(step: Step): PacketChanges {
  const s = step as Step & { in: LayeredPacketUnit | null; out: LayeredPacketUnit | null };
  return explainChanges(packetOf(s.in), packetOf(s.out));
}

/**
 * One to three sentences on what a learner should notice at this step — above all the non-changes
 * that refute a misconception: a router rewrites nothing but the TTL; Maglev and the node leave the
 * destination alone (no DNAT); a proxy translates nothing, it opens a new connection.
 */
export function stepNotes(step: Step): string[] {
  const s = step as Step & { in: LayeredPacketUnit | null; out: LayeredPacketUnit | null };
  const before = packetOf(s.in);
  const after = packetOf(s.out);
  const changes = explainChanges(before, after);
  const notes: string[] = [];
  if (!before || !after) return notes;
  const ipIn = innerIp(before);
  const ipOut = innerIp(after);
  const request = step.id.startsWith("request:");
  if (changes.kind === "proxied" && request) {
    const xff = httpOf(after)?.forwardedFor;
    notes.push(
      `A new connection, not a translation: this proxy ended the connection it received and opened its own${ipOut ? ` from ${ipOut.src} to ${ipOut.dst}` : ""}.` +
        (xff ? ` The next hop sees the proxy as the source; the client's address survives only in X-Forwarded-For (${xff}).` : ""),
    );
  } else if (changes.kind === "proxied") {
    notes.push(
      `Not a translation of the reply: the proxy answers on the connection that was opened to it${ipOut ? `, from ${ipOut.src} to ${ipOut.dst}` : ""}, with what it read from its own connection behind.`,
    );
  }
  if (changes.tlsEnded && changes.tlsBegan) notes.push(`TLS ends here and a new session begins: this device decrypts, reads and re-encrypts the ${request ? "request" : "response"}.`);
  else if (changes.tlsEnded) notes.push("TLS ends here: from this hop on the request travels as plain HTTP inside Google's network, which encrypts it at the network layer.");
  else if (changes.tlsBegan && !request) notes.push("Encrypted here: the answer goes back inside the TLS session the client side opened to this proxy.");
  if (changes.ttlOnly) notes.push("Only the TTL changed: a router forwards the packet and rewrites no address or port.");
  if ((changes.kind === "forwarded" || changes.kind === "untouched") && ipIn && ipOut && ipIn.dst === ipOut.dst && ipIn.src === ipOut.src && !changes.ttlOnly) {
    const wrapped = changes.changed.some((r) => r.treatment === "added");
    const unwrapped = changes.changed.some((r) => r.treatment === "removed");
    if (step.node.kind === "node" && step.id.startsWith("request:")) notes.push(`Destination unchanged: ${ipOut.dst} is already the Pod's own address, so nothing here DNATs — kube-proxy is not on this path (container-native NEG).`);
    else if (wrapped) notes.push(`The original packet rides inside, untouched: its destination is still ${ipOut.dst}${step.node.kind === "l4-lb" ? " — Maglev does not DNAT, so the GFE sees the VIP and answers from it" : ""}.`);
    else if (unwrapped) notes.push(`Unwrapped: the packet inside is the one that was sent, still ${ipOut.src} → ${ipOut.dst}.`);
  }
  return notes;
}
