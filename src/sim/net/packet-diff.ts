import type { Layer, Packet } from "./packet";

/**
 * One header field of a packet, labelled so that the same field lines up before and after
 * encapsulation: layers are named from the inside out, so the original IPv4 header stays "ipv4"
 * and an added outer one is "outer ipv4".
 */
export interface PacketField {
  readonly layer: string;
  readonly field: string;
  readonly value: string;
}

export type FieldChange =
  | { readonly change: "same"; readonly layer: string; readonly field: string; readonly value: string }
  | { readonly change: "changed"; readonly layer: string; readonly field: string; readonly before: string; readonly value: string }
  | { readonly change: "added"; readonly layer: string; readonly field: string; readonly value: string }
  | { readonly change: "removed"; readonly layer: string; readonly field: string; readonly before: string };

function layerLabels(layers: readonly Layer[]): string[] {
  const seen = new Map<string, number>();
  const labels = new Array<string>(layers.length);
  for (let i = layers.length - 1; i >= 0; i--) {
    const kind = layers[i]!.kind;
    const depth = seen.get(kind) ?? 0;
    seen.set(kind, depth + 1);
    labels[i] = depth === 0 ? kind : `${"outer ".repeat(depth)}${kind}`;
  }
  return labels;
}

/** Flattens a packet into labelled fields, outermost layer first. */
export function packetFields(packet: Packet): PacketField[] {
  const labels = layerLabels(packet.layers);
  const fields: PacketField[] = [];
  packet.layers.forEach((layer, i) => {
    // A header with no fields of its own (GRE here) still shows up, so adding or removing it is visible.
    if (Object.keys(layer).length === 1) fields.push({ layer: labels[i]!, field: "header", value: "present" });
    for (const [field, value] of Object.entries(layer)) {
      if (field === "kind" || value === undefined) continue;
      fields.push({ layer: labels[i]!, field, value: String(value) });
    }
  });
  return fields;
}

/**
 * The header diff the hop inspector shows: every field of the outgoing packet marked same, changed or
 * added, followed by the fields the device removed.
 */
export function diffPackets(before: Packet | null, after: Packet | null): FieldChange[] {
  const beforeFields = before ? packetFields(before) : [];
  const afterFields = after ? packetFields(after) : [];
  const key = (f: PacketField) => `${f.layer}\u0000${f.field}`;
  const previous = new Map(beforeFields.map((f) => [key(f), f.value]));
  const changes: FieldChange[] = afterFields.map((f) => {
    const old = previous.get(key(f));
    if (old === undefined) return { change: "added", layer: f.layer, field: f.field, value: f.value };
    if (old !== f.value) return { change: "changed", layer: f.layer, field: f.field, before: old, value: f.value };
    return { change: "same", layer: f.layer, field: f.field, value: f.value };
  });
  const current = new Set(afterFields.map(key));
  for (const f of beforeFields) {
    if (!current.has(key(f))) changes.push({ change: "removed", layer: f.layer, field: f.field, before: f.value });
  }
  return changes;
}
