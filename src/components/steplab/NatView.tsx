import {
  conntrackAtCursor, currentStep, packetAtCursor, positionsOf, walkSoFar, type StepCursor,
} from "../../machines/step-lab.machine";
import type { Step, Trace, Unit } from "../../sim/core/trace";
import { DecisionTableView } from "./DecisionTableView";
import { shortChain, shortRule } from "./rule-text";

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
/** Kernel bookkeeping about the packet: it changes, but nothing on the wire does. */
const METADATA = new Set(["mark", "ctstate", "iface"]);

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
    out.push({ stepId: pos.stepId, sub: pos.sub, where: step.node.name, what: sub ? shortChain(sub.label) : "", changes: parts.join("; ") });
  }
  return out;
}

/**
 * Splits a `conntrack -L` line into its original and reply tuples (the second `src=` starts the
 * reply). The line's text is unchanged; the reply tuple is only drawn on a line of its own.
 */
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

/** Where the packet stopped inside a step that emits nothing: the DROP or REJECT verdict, if any. */
function dropIndex(step: Step): number {
  if (step.out !== null) return -1;
  return step.sub.findIndex((s) => s.kind === "verdict" && /DROP|REJECT/.test(s.label));
}

/** The rule behind a verdict: the nearest rule before it that matched. */
function verdictRule(step: Step, at: number): string | null {
  for (let i = at - 1; i >= 0; i--) {
    const sub = step.sub[i]!;
    if (sub.kind === "rule" && sub.taken && /^-[AI] /.test(sub.label)) return shortRule(sub.label);
  }
  return null;
}

/**
 * The NAT-step view: the packet before and after the decision under the cursor, with every field
 * the kernel rewrote in place marked; the list of translations in the walk (DNAT on the request,
 * SNAT/masquerade where it happens, the reversal on the reply), each a way to jump there; and the
 * conntrack table of the node the walk is on as it stands at the cursor, original and reply tuples
 * as `conntrack -L` prints them.
 */
export function NatView({ cursor, labId, labTitle, onJump }: {
  cursor: StepCursor;
  labId: string;
  labTitle: string;
  onJump: (stepId: string, sub: number | null) => void;
}) {
  const trace = cursor.trace;
  const step = currentStep(cursor);
  if (!trace || !step) return null;
  const packet = packetAtCursor(cursor);
  const dropAt = dropIndex(step);
  const dropped = dropAt >= 0 && cursor.sub !== null && cursor.sub >= dropAt;
  const before = packet.before;
  const after = dropped ? null : packet.after;
  const fields = fieldsOf(before, after);
  const answer = isNewPacket(before, after);
  const all = translations(trace);
  const conntrack = conntrackAtCursor(cursor);
  const current = new Set(conntrack?.rows.filter((r) => r.current).map((r) => r.row) ?? []);
  const replied = conntrack?.rows.some((r) => r.text.includes("[UNREPLIED]")) &&
    walkSoFar(cursor).some(({ step: s, sub }) => s.tables.includes(conntrack.table.id) && sub.kind === "conntrack" && /established|reply tuple|reply direction/i.test(`${sub.label} ${sub.detail}`));
  const captionId = `lab-${labId}-packet`;
  let metadataChanged = false;
  return (
    <div className="nat-view">
      <div className="nat-packet">
        <div className="table-scroll">
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
                const changed = !answer && before !== null && after !== null && a !== b;
                const meta = METADATA.has(key);
                if (changed && meta) metadataChanged = true;
                const cls = [changed ? (meta ? "changed" : "rewritten") : "", TUPLE.has(key) ? "tuple-field" : ""].filter(Boolean).join(" ");
                return (
                  <tr key={key} className={cls || undefined}>
                    <th scope="row">{label}</th>
                    <td>{before ? show(a) : "—"}</td>
                    <td>
                      {after ? show(b) : "—"}
                      {changed && <span className="tag"> {meta ? "changed" : "rewritten in place"}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {fields.length === 0 && <p className="muted">Nothing is in flight at this step.</p>}
        {answer && <p className="muted">The endpoint answers with a new packet: nothing here was rewritten in place.</p>}
        {dropped && (
          <p className="drop-note">
            Dropped here (<strong>{step.sub[dropAt]!.label}</strong>)
            {verdictRule(step, dropAt) ? <> by the rule <code>{verdictRule(step, dropAt)}</code></> : null}: nothing leaves this node, and no reply will come.
          </p>
        )}
        {!dropped && before && !after && fields.length > 0 && <p className="muted">The packet ends here: it is handed to the receiving socket.</p>}
        {metadataChanged && (
          <p className="muted small">
            Mark, conntrack state and interface are the kernel's notes about the packet: they change, but nothing on the wire does.
          </p>
        )}
      </div>
      <div className="nat-translations">
        <h5>Translations in this walk</h5>
        {all.length === 0 ? (
          <p className="muted">The addresses and ports are never rewritten in this walk.</p>
        ) : (
          <ol className="translations">
            {all.map((t) => {
              const here = t.stepId === cursor.stepId && t.sub === cursor.sub;
              return (
                <li key={`${t.stepId}/${t.sub}`} className={here ? "current" : undefined}>
                  <button type="button" className="translation" aria-current={here ? "true" : undefined} onClick={() => onJump(t.stepId, t.sub)}>
                    <span className="where">{t.where}</span>
                    {t.what && <> <code className="what">{t.what}</code></>}
                    <span className="changes">{t.changes}</span>
                  </button>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {conntrack && (
        <div className="nat-conntrack">
          <DecisionTableView
            table={conntrack.table}
            rows={conntrack.rows.map((r) => r.row)}
            alsoCurrent={current}
            renderRow={conntrackLine}
            empty={
              dropped || (dropAt >= 0 && trace.outcome.at === step.id)
                ? "No connection tracked: the packet was dropped before conntrack confirmed an entry."
                : "No connection tracked yet: conntrack lists an entry once the connection's first packet is confirmed."
            }
            inLab={labTitle}
            caption={<>Connection tracking: {conntrack.table.title}</>}
          />
          {replied && (
            <p className="muted small">
              The reply has passed: a real <code>conntrack -L</code> would now print this entry without <code>[UNREPLIED]</code>. The
              table shows the entry as the first packet left it.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
