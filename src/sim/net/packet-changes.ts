import type { Layer, Packet, TlsLayer } from "./packet";
import { packetFields, type PacketField } from "./packet-diff";

/**
 * What a device did to a packet, classified the way a network engineer reads it — not one "changed"
 * mark for everything. Four things look alike in a field-by-field diff and mean different things:
 *
 * - **rewritten in place**: the same packet, a header field overwritten — a router decrementing the
 *   TTL, a NAT rewriting an address or port. The connection is the same one end to end.
 * - **a new connection opened by a proxy**: the device ended the connection it received and opened
 *   its own, so addresses, ports and the TLS session are all new. Nothing was translated: a proxy
 *   does not DNAT (the classic misconception this distinction refutes).
 * - **a header added or removed**: encapsulation (GRE, GUE, Geneve, VXLAN): the inner packet is
 *   carried untouched inside a new outer header, and unwrapped at the far end.
 * - **decrypted / encrypted**: a TLS session ends (whoever holds its key can read what it carries)
 *   or begins.
 *
 * The test that tells a proxy from a NAT uses only the packets: a NAT rewrites one end of the flow
 * (DNAT the destination, SNAT the source) and leaves the TLS session's two parties as they were; a
 * proxy changes both ends of the connection, or hands the payload to another TLS session.
 */

export type Treatment = "rewritten" | "proxied" | "added" | "removed" | "decrypted" | "encrypted";

export interface FieldRow {
  /** The layer's label, named from the inside out ("ipv4", "outer ipv4"), as `packetFields` names it. */
  readonly layer: string;
  readonly field: string;
  /** Null where the field did not exist before (added) or after (removed). */
  readonly before: string | null;
  readonly after: string | null;
  /** Null: unchanged. */
  readonly treatment: Treatment | null;
}

export interface PacketChanges {
  /** What happened to the packet as a whole at this device. */
  readonly kind: "created" | "consumed" | "proxied" | "forwarded" | "untouched";
  /** The rows that changed, outermost layer first (a removed outer header where it was, not at the end). */
  readonly changed: readonly FieldRow[];
  /** The rows that did not change, in the same order. */
  readonly unchanged: readonly FieldRow[];
  /** True when only TTLs changed: a router forwarded the packet without touching addresses or ports. */
  readonly ttlOnly: boolean;
  /** A TLS session the packet arrived on ends here: this device holds its key and reads the payload. */
  readonly tlsEnded: boolean;
  /** A new TLS session begins here (a proxy re-encrypting towards the next hop). */
  readonly tlsBegan: boolean;
}

const TUNNEL_KINDS = new Set(["gre", "gue", "geneve", "vxlan"]);

/** The innermost layer of a kind (the packet's own, not a tunnel's outer header). */
function innermost<K extends Layer["kind"]>(packet: Packet, kind: K): Extract<Layer, { kind: K }> | undefined {
  for (let i = packet.layers.length - 1; i >= 0; i--) {
    const l = packet.layers[i]!;
    if (l.kind === kind) return l as Extract<Layer, { kind: K }>;
  }
  return undefined;
}

/** The inner connection's two ends: `ip:port` of source and destination, TCP or UDP. */
function ends(packet: Packet): { src: string; dst: string } | null {
  const tunnel = packet.layers.findIndex((l) => TUNNEL_KINDS.has(l.kind));
  const inner = tunnel >= 0 ? packet.layers.slice(tunnel + 1) : packet.layers;
  const ip = inner.find((l) => l.kind === "ipv4");
  const l4 = inner.find((l) => l.kind === "tcp" || l.kind === "udp");
  if (!ip || ip.kind !== "ipv4" || !l4 || (l4.kind !== "tcp" && l4.kind !== "udp")) return null;
  return { src: `${ip.src}:${l4.srcPort}`, dst: `${ip.dst}:${l4.dstPort}` };
}

const session = (t: TlsLayer | undefined) => (t ? `${t.client}\u0000${t.server}` : null);

/**
 * Did the device end one connection and open another? Both ends of the flow differ (a NAT rewrites
 * one), or the payload moved to a different TLS session.
 */
export function isProxied(before: Packet, after: Packet): boolean {
  const a = ends(before);
  const b = ends(after);
  const bothEnds = a !== null && b !== null && a.src !== b.src && a.dst !== b.dst;
  const tlsBefore = session(innermost(before, "tls"));
  const tlsAfter = session(innermost(after, "tls"));
  const newSession = tlsBefore !== null && tlsAfter !== null && tlsBefore !== tlsAfter;
  return bothEnds || newSession;
}

/** The labels of a packet's encapsulation layers: everything up to and including its outermost tunnel header. */
function encapsulationLabels(packet: Packet): Set<string> {
  const labels = new Set<string>();
  const tunnel = packet.layers.findIndex((l) => TUNNEL_KINDS.has(l.kind));
  if (tunnel < 0) return labels;
  const fields = packetFields(packet);
  const layerLabels = fields.map((f) => f.layer).filter((l, i, all) => all.indexOf(l) === i);
  for (const label of layerLabels.slice(0, tunnel + 1)) labels.add(label);
  return labels;
}

/** Fields in one order for before and after: the packet's own order, with a removed layer kept in its place. */
function mergedOrder(before: readonly PacketField[], after: readonly PacketField[]): string[] {
  const layerOrder: string[] = after.map((f) => f.layer).filter((l, i, all) => all.indexOf(l) === i);
  const beforeLayers = before.map((f) => f.layer).filter((l, i, all) => all.indexOf(l) === i);
  beforeLayers.forEach((layer, i) => {
    if (layerOrder.includes(layer)) return;
    // Put a removed layer before the first later layer of `before` that is still present.
    const next = beforeLayers.slice(i + 1).find((l) => layerOrder.includes(l));
    const at = next === undefined ? layerOrder.length : layerOrder.indexOf(next);
    layerOrder.splice(at, 0, layer);
  });
  return layerOrder;
}

/**
 * The packet before and after a device, field by field, each change with its treatment; rows in a
 * fixed outer-to-inner order.
 *
 * @example
 * explainChanges(atRouter.in, atRouter.out).ttlOnly // true: a router only decrements the TTL
 */
export function explainChanges(before: Packet | null, after: Packet | null): PacketChanges {
  const beforeFields = before ? packetFields(before) : [];
  const afterFields = after ? packetFields(after) : [];
  const proxied = before !== null && after !== null && isProxied(before, after);
  const tlsIn = before ? innermost(before, "tls") : undefined;
  const tlsOut = after ? innermost(after, "tls") : undefined;
  const key = (layer: string, field: string) => `${layer}\u0000${field}`;
  const was = new Map(beforeFields.map((f) => [key(f.layer, f.field), f.value]));
  const now = new Map(afterFields.map((f) => [key(f.layer, f.field), f.value]));
  const layersNow = new Set(afterFields.map((f) => f.layer));
  const layersBefore = new Set(beforeFields.map((f) => f.layer));

  const encapBefore = before ? encapsulationLabels(before) : new Set<string>();
  const encapAfter = after ? encapsulationLabels(after) : new Set<string>();
  const treatmentOf = (layer: string, b: string | null, a: string | null): Treatment | null => {
    if (b === a) return null;
    const kind = layer.replace(/^(outer )+/, "");
    if (kind === "tls") {
      if (b === null && !layersBefore.has(layer)) return "encrypted";
      if (a === null && !layersNow.has(layer)) return "decrypted";
      return proxied ? "proxied" : "rewritten";
    }
    // A tunnel's headers (the outer IP, its UDP, the tunnel header) are added or removed whole; any
    // other layer that appears or vanishes at a proxy belongs to the connection it ended or opened.
    if (b === null && !layersBefore.has(layer)) return encapAfter.has(layer) || !proxied ? "added" : "proxied";
    if (a === null && !layersNow.has(layer)) return encapBefore.has(layer) || !proxied ? "removed" : "proxied";
    return proxied ? "proxied" : "rewritten";
  };

  const rows: FieldRow[] = [];
  const order = mergedOrder(beforeFields, afterFields);
  for (const layer of order) {
    const fields: string[] = [];
    for (const f of [...beforeFields, ...afterFields]) if (f.layer === layer && !fields.includes(f.field)) fields.push(f.field);
    // Within a layer: the packet's own field order (after, then any removed field).
    for (const field of fields) {
      const b = was.get(key(layer, field)) ?? null;
      const a = now.get(key(layer, field)) ?? null;
      rows.push({ layer, field, before: b, after: a, treatment: before && after ? treatmentOf(layer, b, a) : null });
    }
  }
  // A TLS session ends where its parties change or the layer goes; one begins where a new one appears.
  const tlsSwap = tlsIn !== undefined && tlsOut !== undefined && session(tlsIn) !== session(tlsOut);
  const tlsEnded = before !== null && after !== null && tlsIn !== undefined && (tlsOut === undefined || tlsSwap);
  const tlsBegan = before !== null && after !== null && tlsOut !== undefined && (tlsIn === undefined || tlsSwap);
  const changed = rows.filter((r) => r.treatment !== null);
  const ttlOnly = changed.length > 0 && changed.every((r) => r.field === "ttl" && r.treatment === "rewritten");
  const kind: PacketChanges["kind"] =
    before === null ? "created" : after === null ? "consumed" : proxied || tlsSwap ? "proxied" : changed.length ? "forwarded" : "untouched";
  return {
    kind,
    changed: before && after ? changed : [],
    unchanged: before && after ? rows.filter((r) => r.treatment === null) : rows,
    ttlOnly,
    tlsEnded,
    tlsBegan,
  };
}

/** A field's short name for one-line change summaries: `dst`, `outer ipv4 src`, `tcp dstPort`. */
export function fieldLabel(row: Pick<FieldRow, "layer" | "field">): string {
  return row.layer === "ipv4" && (row.field === "src" || row.field === "dst" || row.field === "ttl") ? row.field : `${row.layer} ${row.field}`;
}

/**
 * A change as one line, for narrow screens and summaries: a field (`dst 34.98.10.5 → 10.4.1.5`), or
 * a whole header added, removed, decrypted or encrypted (`outer ipv4 10.255.0.11 → 10.255.1.1 ttl 64`).
 */
export interface ChangeLine {
  readonly treatment: Treatment;
  readonly layer: string;
  /** Null for a whole header. */
  readonly field: string | null;
  readonly label: string;
  readonly before: string | null;
  readonly after: string | null;
  /** True when the line stands for a whole header rather than one field. */
  readonly whole: boolean;
}

const WHOLE: ReadonlySet<Treatment> = new Set(["added", "removed", "decrypted", "encrypted"]);

/** A header's fields in one line: `10.20.0.2 → 10.20.0.4 ttl 64`, `64144 → 6080`, `vni 7`. */
function layerText(fields: readonly { field: string; value: string }[]): string {
  const get = (name: string) => fields.find((f) => f.field === name)?.value;
  const parts: string[] = [];
  const used = new Set<string>();
  for (const [a, b] of [["src", "dst"], ["srcPort", "dstPort"], ["client", "server"]] as const) {
    const x = get(a);
    const y = get(b);
    if (x !== undefined && y !== undefined) {
      parts.push(a === "client" ? `${x} ↔ ${y}` : `${x} → ${y}`);
      used.add(a).add(b);
    }
  }
  for (const f of fields) if (!used.has(f.field)) parts.push(f.field === "header" ? "header" : `${f.field} ${f.value}`);
  return parts.join(" ");
}

/** The changes as lines: a header that came or went whole is one line; any other change one line per field. */
export function changeLines(changes: PacketChanges): ChangeLine[] {
  const lines: ChangeLine[] = [];
  const byLayer = new Map<string, FieldRow[]>();
  for (const row of changes.changed) byLayer.set(row.layer, [...(byLayer.get(row.layer) ?? []), row]);
  const layerHasUnchanged = new Set(changes.unchanged.map((r) => r.layer));
  for (const [layer, rows] of byLayer) {
    const t = rows[0]!.treatment!;
    if (WHOLE.has(t) && !layerHasUnchanged.has(layer) && rows.every((r) => r.treatment === t)) {
      const gone = t === "removed" || t === "decrypted";
      const text = layerText(rows.map((r) => ({ field: r.field, value: (gone ? r.before : r.after) ?? "" })));
      lines.push({ treatment: t, layer, field: null, label: layer, before: gone ? text : null, after: gone ? null : text, whole: true });
      continue;
    }
    for (const r of rows) lines.push({ treatment: r.treatment!, layer, field: r.field, label: fieldLabel(r), before: r.before, after: r.after, whole: false });
  }
  return lines;
}
