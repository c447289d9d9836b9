import type { Step } from "../../sim/core/trace";
import { changeLines, type FieldRow, type Treatment } from "../../sim/net/packet-changes";
import { deviceLabel, stepChanges, stepNotes } from "../../sim/scenarios/journey-view";

/** Each kind of change in words (never colour alone), with a plain-text mark where one reads well in any font. */
export const TREATMENTS: Readonly<Record<Treatment, { readonly label: string; readonly mark: string; readonly meaning: string }>> = {
  rewritten: { label: "rewritten", mark: "✎", meaning: "the same packet with a field overwritten (a router's TTL, a NAT's address)" },
  proxied: { label: "new connection", mark: "⇄", meaning: "a proxy ended the connection and opened its own: nothing was translated" },
  added: { label: "header added", mark: "+", meaning: "encapsulation: a new outer header around the untouched packet" },
  removed: { label: "header removed", mark: "−", meaning: "decapsulation: the outer header taken off" },
  decrypted: { label: "decrypted", mark: "", meaning: "the TLS session ends here; this device reads what it carried" },
  encrypted: { label: "encrypted", mark: "", meaning: "a TLS session begins here" },
};

/** TLS layers name their two parties by device id; people read names. */
function shown(row: Pick<FieldRow, "layer" | "field">, value: string | null): string | null {
  if (value === null) return null;
  if (row.layer === "tls" && (row.field === "client" || row.field === "server")) return deviceLabel(value);
  return value;
}

/** A whole TLS header in one line names its parties by name too (`cf-edge ↔ gfe` → `CF proxy ↔ GFE`). */
const partiesByName = (text: string | null) => text?.replace(/^(\S+) ↔ (\S+)/, (_, a: string, b: string) => `${deviceLabel(a)} ↔ ${deviceLabel(b)}`) ?? null;

/**
 * The packet at one step, read as a teacher would: the changes first, one line each (`dst 34.98.10.5 →
 * 10.4.3.9`), each marked with what kind of change it is — rewritten in place, a proxy's new
 * connection, a header added or removed, decrypted or encrypted — then what to notice (the key
 * non-changes), and the unchanged fields folded away, in a fixed outer-to-inner order.
 */
export function PacketInspector({ step }: { step: Step }) {
  const changes = stepChanges(step);
  const lines = changeLines(changes);
  const notes = stepNotes(step);
  const used = [...new Set(lines.map((l) => l.treatment))];
  const unchangedLabel = changes.kind === "created" ? "The packet it sends" : changes.kind === "consumed" ? "The packet that arrived" : null;
  return (
    <div className="packet-inspector">
      {changes.kind === "created" && <p className="packet-kind">Created here: nothing arrived; this is where the packet starts.</p>}
      {changes.kind === "consumed" && <p className="packet-kind">Consumed here: nothing leaves.</p>}
      {changes.kind === "untouched" && <p className="packet-kind">Passed on unchanged.</p>}
      {lines.length > 0 && (
        <>
          <h5>
            What changed <span className="count">({lines.length})</span>
          </h5>
          <ul className="changes">
            {lines.map((l) => {
              const before = l.field === null ? partiesByName(l.before) : shown({ layer: l.layer, field: l.field }, l.before);
              const after = l.field === null ? partiesByName(l.after) : shown({ layer: l.layer, field: l.field }, l.after);
              return (
                <li key={`${l.treatment}-${l.label}`} className={`change t-${l.treatment}`}>
                  <span className="treatment" title={TREATMENTS[l.treatment].meaning}>
                    {TREATMENTS[l.treatment].mark && <span aria-hidden="true">{TREATMENTS[l.treatment].mark} </span>}
                    {TREATMENTS[l.treatment].label}
                  </span>
                  <code className="field">{l.label}</code>
                  <span className="values">
                    {before !== null && <span className="before">{before}</span>}
                    {before !== null && after !== null && <span aria-label="becomes"> → </span>}
                    {after !== null && <span className="after">{after}</span>}
                  </span>
                </li>
              );
            })}
          </ul>
          <p className="legend">
            {used.map((t) => (
              <span key={t}>
                <strong>{TREATMENTS[t].label}</strong>: {TREATMENTS[t].meaning}.{" "}
              </span>
            ))}
          </p>
        </>
      )}
      {notes.length > 0 && (
        <div className="notice">
          <h5>Notice</h5>
          <ul>
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      {changes.unchanged.length > 0 && (
        <details className="unchanged" open={unchangedLabel !== null}>
          <summary>
            {unchangedLabel ?? `${changes.unchanged.length} field${changes.unchanged.length === 1 ? "" : "s"} unchanged`}
          </summary>
          <dl>
            {changes.unchanged.map((r) => (
              <div key={`${r.layer}.${r.field}`}>
                <dt>
                  <code>
                    {r.layer} {r.field}
                  </code>
                </dt>
                <dd>{shown(r, r.after ?? r.before)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}
