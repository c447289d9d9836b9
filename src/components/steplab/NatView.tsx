import {
  conntrackAtCursor, currentStep, packetAtCursor, positionsOf, type StepCursor,
} from "../../machines/step-lab.machine";
import type { Step, Trace, Unit } from "../../sim/core/trace";
import { DecisionTableView } from "./DecisionTableView";

/** The fields of a packet the kernel keys connections on, then the metadata netfilter reads and writes. */
const PACKET_FIELDS: readonly (readonly [string, string])[] = [
  ["protocol", "protocol"],
  ["src", "source"],
  ["srcPort", "source port"],
  ["dst", "destination"],
  ["dstPort", "destination port"],
  ["mark", "mark"],
  ["ctstate", "conntrack state"],
  ["iface", "interface"],
  ["payload", "payload"],
];
const TUPLE = new Set(["protocol", "src", "srcPort", "dst", "dstPort"]);

function fieldsOf(unit: Unit | null, other: Unit | null): (readonly [string, string])[] {
  const sample = (unit ?? other) as Record<string, unknown> | null;
  if (!sample) return [];
  if (sample.kind === "packet") return [...PACKET_FIELDS];
  return Object.keys(sample).filter((k) => k !== "kind").map((k) => [k, k] as const);
}

const show = (v: unknown) => (v === null || v === undefined ? "—" : String(v));
const get = (u: Unit | null, key: string) => (u ? (u as unknown as Record<string, unknown>)[key] : undefined);

/**
 * An endpoint answering is not a translation: the reply is a new packet (its payload differs, or its
 * addresses are the request's swapped), so nothing was rewritten in place.
 */
function isNewPacket(before: Unit | null, after: Unit | null): boolean {
  if (!before || !after || before.kind !== "packet" || after.kind !== "packet") return false;
  if (get(before, "payload") !== get(after, "payload")) return true;
  return get(before, "src") === get(after, "dst") && get(before, "dst") === get(after, "src") && get(before, "src") !== get(before, "dst");
}

interface Translation {
  readonly stepId: string;
  readonly sub: number | null;
  readonly where: string;
  readonly what: string;
  readonly changes: string;
}

/** Every place in the walk where the 5-tuple was rewritten: DNAT, SNAT/masquerade, and their reversal. */
function translations(trace: Trace): Translation[] {
  const out: Translation[] = [];
  const stepOf = new Map(trace.steps.map((s) => [s.id, s] as const));
  for (const pos of positionsOf(trace)) {
    const step = stepOf.get(pos.stepId) as Step;
    const { before, after } = packetAtCursor({ trace, stepId: pos.stepId, sub: pos.sub });
    if (!before || !after || before.kind !== "packet" || after.kind !== "packet" || isNewPacket(before, after)) continue;
    const changed = [...TUPLE].filter((k) => get(before, k) !== get(after, k));
    if (changed.length === 0) continue;
    const pair = (ip: string, port: string) => `${show(get(before, ip))}:${show(get(before, port))} → ${show(get(after, ip))}:${show(get(after, port))}`;
    const parts: string[] = [];
    if (changed.includes("src") || changed.includes("srcPort")) parts.push(`source ${pair("src", "srcPort")}`);
    if (changed.includes("dst") || changed.includes("dstPort")) parts.push(`destination ${pair("dst", "dstPort")}`);
    const sub = pos.sub === null ? null : step.sub[pos.sub];
    out.push({ stepId: pos.stepId, sub: pos.sub, where: step.node.name, what: sub?.label ?? step.node.name, changes: parts.join("; ") });
  }
  return out;
}

/** Splits a `conntrack -L` line into its original and reply tuples (the second `src=` starts the reply). */
function conntrackLine(text: string) {
  const first = text.indexOf("src=");
  const second = first < 0 ? -1 : text.indexOf(" src=", first + 4);
  if (second < 0) return text;
  return (
    <>
      <span className="ct-original"><span className="visually-hidden">original: </span>{text.slice(0, second)}</span>
      <span className="ct-reply"><span className="visually-hidden">; reply: </span>{text.slice(second)}</span>
    </>
  );
}

/**
 * The NAT-step view: the packet before and after the decision under the cursor, with every field
 * the kernel rewrote in place marked; the list of translations in the walk (DNAT on the request,
 * SNAT/masquerade where it happens, the reversal on the reply); and the conntrack table as it stands
 * at the cursor, original and reply tuples as `conntrack -L` prints them.
 */
export function NatView({ cursor, labId, labTitle }: { cursor: StepCursor; labId: string; labTitle: string }) {
  const trace = cursor.trace;
  const step = currentStep(cursor);
  if (!trace || !step) return null;
  const { before, after } = packetAtCursor(cursor);
  const fields = fieldsOf(before, after);
  const answer = isNewPacket(before, after);
  const all = translations(trace);
  const conntrack = conntrackAtCursor(cursor);
  const captionId = `lab-${labId}-packet`;
  return (
    <div className="nat-view">
      <div className="nat-packet">
        <table className="tuple" aria-labelledby={captionId}>
          <caption id={captionId}>The packet {cursor.sub === null ? "at this step" : "at this decision"}</caption>
          <thead>
            <tr>
              <th scope="col">field</th>
              <th scope="col">before</th>
              <th scope="col">after</th>
            </tr>
          </thead>
          <tbody>
            {fields.map(([key, label]) => {
              const a = get(before, key);
              const b = get(after, key);
              const rewritten = !answer && before !== null && after !== null && a !== b;
              return (
                <tr key={key} className={`${rewritten ? "rewritten" : ""}${TUPLE.has(key) ? " tuple-field" : ""}`.trim() || undefined}>
                  <th scope="row">{label}</th>
                  <td>{before ? show(a) : "—"}</td>
                  <td>
                    {after ? show(b) : "—"}
                    {rewritten && <span className="tag"> rewritten in place</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {fields.length === 0 && <p className="muted">Nothing is in flight at this step.</p>}
        {answer && <p className="muted">The endpoint answers with a new packet: nothing here was rewritten in place.</p>}
        <h5>Translations in this walk</h5>
        {all.length === 0 ? (
          <p className="muted">The addresses and ports are never rewritten in this walk.</p>
        ) : (
          <ol className="translations">
            {all.map((t) => {
              const here = t.stepId === cursor.stepId && t.sub === cursor.sub;
              return (
                <li key={`${t.stepId}/${t.sub}`} className={here ? "current" : undefined} aria-current={here ? "true" : undefined}>
                  <span className="where">{t.where}</span> <code className="what">{t.what}</code>
                  <span className="changes">{t.changes}</span>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {conntrack && (
        <DecisionTableView
          table={conntrack.table}
          rows={conntrack.rows.map((r) => r.row)}
          current={conntrack.rows.find((r) => r.current)?.row}
          renderRow={conntrackLine}
          empty="No connections tracked yet."
          inLab={labTitle}
          caption={<>Connection tracking: {conntrack.table.title}</>}
        />
      )}
    </div>
  );
}
