import {
  currentSub, evaluatedRows, highlightedRow, walkSoFar, type StepCursor,
} from "../../machines/step-lab.machine";
import type { DecisionTable, Trace } from "../../sim/core/trace";
import { modeCosts } from "../../sim/kube/index";
import { DecisionTableView, type RowVerdict } from "./DecisionTableView";

/** Cluster sizes the cost comparison offers. */
export const CLUSTER_SIZES = [100, 1000, 10000] as const;
/** Endpoints behind each Service in the comparison (a small Deployment's replicas). */
const ENDPOINTS_PER_SERVICE = 3;

const isIptables = (t: DecisionTable) => t.format.startsWith("iptables");
const isIpvs = (t: DecisionTable) => /ipvs/i.test(t.format);
const isEbpf = (t: DecisionTable) => /bpf|cilium/i.test(`${t.format} ${t.id}`);

/** The iptables table the walk is in now, else the first one the trace has. */
function chainTable(cursor: StepCursor): DecisionTable | null {
  const here = highlightedRow(cursor);
  if (here && isIptables(here.table)) return here.table;
  return cursor.trace?.tables.find(isIptables) ?? null;
}

/** Probability and draw of a `-m statistic --mode random` decision, read from its row and its explanation. */
function parseDraw(text: string): { probability: number | null; drawn: number | null } {
  const p = /probability[\s=:]+((?:0|1)?\.\d+|[01])\b/i.exec(text);
  const d = /\b(?:drew|drawn|draw)[\s=:]+((?:0|1)?\.\d+|[01])\b/i.exec(text);
  return { probability: p ? Number(p[1]) : null, drawn: d ? Number(d[1]) : null };
}

/** Every sub-step anywhere in the trace that refers to a table, as verdicts per row. */
function verdictsFor(trace: Trace, tableId: string): Map<number, RowVerdict> {
  const rows = new Map<number, RowVerdict>();
  for (const step of trace.steps) for (const sub of step.sub) if (sub.ref?.table === tableId && sub.ref.row !== null) rows.set(sub.ref.row, sub);
  return rows;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * The chain walker: kube-proxy's rules as `iptables-save` prints them with the cursor moving rule by
 * rule, each rule the walk tried marked matched or not (and why); the random draws that picked the
 * endpoint; the same Service in IPVS and eBPF mode when the trace carries those tables; and what each
 * mode costs as the cluster grows.
 */
export function ChainView({ cursor, services, onServices, labId, labTitle }: {
  cursor: StepCursor;
  services: number;
  onServices: (n: number) => void;
  labId: string;
  /** The lab's title, to tell its tables apart from another lab's for screen readers. */
  labTitle: string;
}) {
  const trace = cursor.trace;
  if (!trace) return null;
  const table = chainTable(cursor);
  const here = highlightedRow(cursor);
  const sub = currentSub(cursor);
  const draws = walkSoFar(cursor).filter(({ sub: s }) => s.kind === "draw" || /statistic/.test(s.label));
  const others = trace.tables.filter((t) => isIpvs(t) || isEbpf(t));
  let costs: ReturnType<typeof modeCosts> = [];
  try {
    costs = modeCosts(services, ENDPOINTS_PER_SERVICE);
  } catch {
    costs = [];
  }
  return (
    <div className="chain-view">
      {table ? (
        <DecisionTableView
          table={table}
          current={here?.table.id === table.id ? here.row : undefined}
          evaluated={evaluatedRows(cursor, table.id)}
          inLab={labTitle}
        />
      ) : (
        <p className="muted">This walk consults no iptables rules.</p>
      )}
      {here && here.table.id === table?.id && here.row === null && sub && (
        <p className="policy-note">No rule matched: the chain's policy decides ({sub.detail}).</p>
      )}
      {draws.length > 0 && (
        <div className="draws">
          <h5>Random draws so far</h5>
          <ol>
            {draws.map(({ step, sub: s, index, current }) => {
              const row = s.ref?.row != null ? (trace.tables.find((t) => t.id === s.ref!.table)?.rows[s.ref.row] ?? "") : "";
              const { probability, drawn } = parseDraw(`${row} ${s.label} ${s.detail}`);
              return (
                <li key={`${step.id}/${index}`} className={current ? "current" : undefined} aria-current={current ? "true" : undefined}>
                  <p>
                    {probability !== null && <>probability <strong>{probability}</strong></>}
                    {drawn !== null && <>, drew <strong>{drawn}</strong></>}
                    {" — "}
                    {s.taken ? "this endpoint is chosen" : "skipped, on to the next rule"}
                  </p>
                  {probability !== null && drawn !== null && (
                    <div className="draw-bar" aria-hidden="true">
                      <span className="draw-p" style={{ width: `${probability * 100}%` }} />
                      <span className="draw-x" style={{ left: `${drawn * 100}%` }} />
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      )}
      {others.length > 0 && (
        <div className="other-modes">
          <h5>The same packet in other modes</h5>
          {others.map((t) => (
            <DecisionTableView
              key={t.id}
              table={t}
              current={here?.table.id === t.id ? here.row : undefined}
              evaluated={verdictsFor(trace, t.id)}
              inLab={labTitle}
              caption={<>{isIpvs(t) ? "IPVS mode" : "eBPF mode"}: {t.title}</>}
            />
          ))}
        </div>
      )}
      <fieldset className="mode-costs">
        <legend>Grow the cluster</legend>
        <div className="sizes">
          {CLUSTER_SIZES.map((n) => (
            <label key={n}>
              <input type="radio" name={`lab-${labId}-services`} value={n} checked={services === n} onChange={() => onServices(n)} />
              {fmt(n)} Services
            </label>
          ))}
        </div>
        {costs.length > 0 ? (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">
                What each kube-proxy mode writes and how many lookups a packet costs, at {fmt(services)} Services with {ENDPOINTS_PER_SERVICE} endpoints each
              </caption>
              <thead>
                <tr>
                  <th scope="col">mode</th>
                  <th scope="col">rules written</th>
                  <th scope="col">objects written</th>
                  <th scope="col">evaluated per packet</th>
                  <th scope="col">why</th>
                </tr>
              </thead>
              <tbody aria-live="polite">
                {costs.map((c) => (
                  <tr key={c.mode}>
                    <th scope="row">{c.mode}</th>
                    <td className="num">{fmt(c.rulesWritten)}</td>
                    <td className="num">{fmt(c.objectsWritten)}</td>
                    <td className="num">{fmt(c.lookupsPerPacket)}</td>
                    <td>{c.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">The cost model is not available.</p>
        )}
      </fieldset>
    </div>
  );
}
