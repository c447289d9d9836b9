import { useEffect, useState } from "react";
import {
  currentSub, evaluatedRows, highlightedRow, tableAtCursor, walkSoFar, type StepCursor,
} from "../../machines/step-lab.machine";
import type { DecisionTable, SubStep, Trace } from "../../sim/core/trace";
import type { ModeCost } from "../../sim/kube/index";
import { DecisionTableView, type RowVerdict } from "./DecisionTableView";
import { CLUSTER_SIZES, ENDPOINTS_PER_SERVICE, loadKubeSimulator, type KnownCosts } from "./load-simulator";
import { failedMatch, RuleText } from "./rule-text";
/** The kernel's `statistic --mode random` draws a 31-bit number (xt_statistic.c). */
const TWO_31 = 0x80000000;

const isIptables = (t: DecisionTable) => t.format.startsWith("iptables");
const isIpvs = (t: DecisionTable) => /ipvs/i.test(t.format);
const isEbpf = (t: DecisionTable) => /bpf|cilium/i.test(`${t.format} ${t.id}`);
/** The sub-steps that decide a row's ✓ or ✗: rules tried, and a chain's policy. */
const VERDICT_KINDS = ["rule", "draw", "policy"] as const;

interface Draw {
  readonly endpoint: string | null;
  readonly probability: number | null;
  /** The draw as a fraction of 1, and the raw 31-bit number when the walk gives it. */
  readonly drawn: number | null;
  readonly raw: number | null;
}

/**
 * Reads one endpoint-picking rule of a `KUBE-SVC-…` chain: the endpoint from its comment, its
 * `--probability`, and the draw from the walk's explanation — the kernel's 31-bit number ("draw
 * 572152369 against 1073741824") or a fraction ("drew 0.7316").
 */
export function parseDraw(rule: string, detail: string): Draw {
  const endpoint = /-> ([^"\s]+)/.exec(rule)?.[1] ?? null;
  const p = /--probability\s+([\d.]+)/.exec(rule) ?? /probability[\s=:]+((?:0|1)?\.\d+|[01])\b/i.exec(detail);
  const kernel = /\bdraw\s+(\d+)\s+against\s+(\d+)/.exec(detail);
  const fraction = /\b(?:drew|drawn)[\s=:]+((?:0|1)?\.\d+|[01])\b/i.exec(detail);
  const raw = kernel ? Number(kernel[1]) : null;
  return {
    endpoint,
    probability: p ? Number(p[1]) : null,
    drawn: raw !== null ? raw / TWO_31 : fraction ? Number(fraction[1]) : null,
    raw,
  };
}

/** A rule that picks an endpoint: a `statistic` draw, or the last rule of a Service chain that takes the rest. */
function picksEndpoint(sub: SubStep): boolean {
  if (sub.kind === "draw" || /-m statistic/.test(sub.label)) return true;
  return /^-A KUBE-(?:SVC|SVL)-\S+ .*-> .*-j KUBE-SEP-/.test(sub.label) && (sub.kind === "rule" || sub.kind === "jump");
}

/** Every sub-step anywhere in the trace that refers to a table, as verdicts per row. */
function verdictsFor(trace: Trace, tableId: string): Map<number, RowVerdict> {
  const rows = new Map<number, RowVerdict>();
  for (const step of trace.steps) for (const sub of step.sub) if (sub.ref?.table === tableId && sub.ref.row !== null) rows.set(sub.ref.row, sub);
  return rows;
}

/**
 * What another dataplane chose for this packet, read from the step that carries its table: the
 * event that says so ("… which picks 10.244.1.12:8080"), and the rows to mark — the frontend (IPVS
 * virtual server, eBPF service entry) for the packet's destination, and under it the chosen backend.
 */
function otherModeChoice(trace: Trace, table: DecisionTable): { text: string | null; rows: Set<number> } {
  const step = trace.steps.find((s) => s.tables.includes(table.id));
  const type = isIpvs(table) ? "ipvs" : "ebpf";
  const text = step?.events.find((e) => e.type === type)?.text ?? null;
  const rows = new Set<number>();
  const packet = step?.in as { dst?: string; dstPort?: number } | null | undefined;
  if (!packet?.dst || packet.dstPort === undefined) return { text, rows };
  const frontend = `${packet.dst.includes(":") ? `[${packet.dst}]` : packet.dst}:${packet.dstPort}`;
  const chosen = text ? (/\bpicks (\S+?)\.?(?:\s|$)/.exec(text)?.[1] ?? null) : null;
  const hasToken = (row: string, token: string) => row.split(/\s+/).includes(token);
  for (let i = 0; i < table.rows.length; i++) {
    const row = table.rows[i]!;
    if (/^\s/.test(row) || !hasToken(row, frontend)) continue;
    rows.add(i);
    for (let j = i + 1; j < table.rows.length && /^\s/.test(table.rows[j]!); j++) {
      if (chosen && hasToken(table.rows[j]!, chosen)) rows.add(j);
    }
  }
  return { text, rows };
}

const fmt = (n: number) => n.toLocaleString("en-US");
const short = (n: number) => (Math.round(n * 10000) / 10000).toString();

function DrawList({ cursor }: { cursor: StepCursor }) {
  const draws = walkSoFar(cursor).filter(({ sub }) => sub.ref && picksEndpoint(sub));
  if (draws.length === 0) return null;
  return (
    <div className="draws">
      <h5>How the endpoint was drawn</h5>
      <ol>
        {draws.map(({ step, sub, index, current }) => {
          const { endpoint, probability, drawn, raw } = parseDraw(sub.label, sub.detail);
          const unconditional = probability === null;
          return (
            <li key={`${step.id}/${index}`} className={current ? "current" : undefined} aria-current={current ? "true" : undefined}>
              <p>
                {endpoint && <><code>{endpoint}</code>: </>}
                {unconditional ? (
                  <>no probability: the chain's last rule takes every connection the draws above it skipped</>
                ) : (
                  <>
                    probability <strong>{probability}</strong>
                    {drawn !== null && (
                      <>
                        , drew <strong>{short(drawn)}</strong>
                        {raw !== null && <span className="muted"> ({fmt(raw)} of 2³¹)</span>}
                        {probability !== null && (drawn < probability ? ", below it" : ", not below it")}
                      </>
                    )}
                  </>
                )}
                {" — "}
                <strong>{sub.taken ? "this endpoint is chosen" : "skipped, on to the next rule"}</strong>
              </p>
              {probability !== null && drawn !== null && (
                <div className="draw-bar" aria-hidden="true">
                  <span className="draw-p" style={{ width: `${probability * 100}%` }} />
                  <span className="draw-x" style={{ left: `${Math.min(1, drawn) * 100}%` }} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/**
 * The costs at `services`: the ones computed at build time, else computed with the simulator, loaded
 * for it (a permalink can name any size); "computing" until then, and an empty list when the model
 * fails. What is computed here is derived from the size alone, so it is view state, not the lab's.
 */
function useModeCosts(services: number, known: readonly KnownCosts[]): readonly ModeCost[] | "computing" {
  const ready = known.find((k) => k.services === services)?.costs ?? null;
  const [computed, setComputed] = useState<{ services: number; costs: readonly ModeCost[] } | null>(null);
  useEffect(() => {
    if (ready) return;
    let current = true;
    const settle = (costs: readonly ModeCost[]) => {
      if (current) setComputed({ services, costs });
    };
    loadKubeSimulator().then(
      (simulator) => {
        try {
          settle(simulator.modeCosts(services, ENDPOINTS_PER_SERVICE));
        } catch {
          settle([]);
        }
      },
      () => settle([]),
    );
    return () => {
      current = false;
    };
  }, [services, ready]);
  if (ready) return ready;
  return computed?.services === services ? computed.costs : "computing";
}

function ModeCosts({ services, onServices, labId, known }: { services: number; onServices: (n: number) => void; labId: string; known: readonly KnownCosts[] }) {
  const costs = useModeCosts(services, known);
  return (
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
      {costs === "computing" ? (
        <p className="muted" role="status">Computing the costs at {fmt(services)} Services…</p>
      ) : costs.length > 0 ? (
        <>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">
                What each kube-proxy mode writes and how many lookups a packet costs, at {fmt(services)} Services with {ENDPOINTS_PER_SERVICE} endpoints each
              </caption>
              <thead>
                <tr>
                  <th scope="col">mode</th>
                  <th scope="col" className="num">rules</th>
                  <th scope="col" className="num">objects</th>
                  <th scope="col" className="num">lookups</th>
                </tr>
              </thead>
              <tbody aria-live="polite">
                {costs.map((c) => (
                  <tr key={c.mode}>
                    <th scope="row">{c.mode}</th>
                    <td className="num">{fmt(c.rulesWritten)}</td>
                    <td className="num">{fmt(c.objectsWritten)}</td>
                    <td className="num">{fmt(c.lookupsPerPacket)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted cost-shape">
            At {fmt(services)} Services with {ENDPOINTS_PER_SERVICE} endpoints each. <em>Rules</em>: iptables rules written.{" "}
            <em>Objects</em>: everything else written — IPVS virtual and real servers, ipset members, addresses, or eBPF map
            entries. <em>Lookups</em>: what the first packet of a new connection to the last Service costs.
          </p>
          <details className="cost-notes">
            <summary>Why these numbers</summary>
            <dl>
              {costs.map((c) => (
                <div key={c.mode}>
                  <dt>{c.mode}</dt>
                  <dd>{c.note}</dd>
                </div>
              ))}
            </dl>
          </details>
        </>
      ) : (
        <p className="muted">The cost model is not available.</p>
      )}
    </fieldset>
  );
}

/**
 * The chain walker: kube-proxy's rules as `iptables-save` prints them for the node the walk is on,
 * with the cursor moving rule by rule, each rule the walk tried marked matched or not (and, for a
 * miss, the match that failed marked in the line); the random draws that picked the endpoint; the
 * same Service in IPVS and eBPF mode when the trace carries those tables; and, when `costs` is on,
 * what each mode costs as the cluster grows.
 */
export function ChainView({ cursor, services, onServices, labId, labTitle, costs = true, knownCosts = [] }: {
  cursor: StepCursor;
  services: number;
  onServices: (n: number) => void;
  labId: string;
  /** The lab's title, to tell its tables apart from another lab's for screen readers. */
  labTitle: string;
  /** Show the "grow the cluster" comparison. */
  costs?: boolean;
  /** The comparison's figures computed at build time; any other size loads the simulator. */
  knownCosts?: readonly KnownCosts[];
}) {
  const trace = cursor.trace;
  if (!trace) return null;
  const found = tableAtCursor(cursor, isIptables);
  const table = found?.table ?? null;
  const here = highlightedRow(cursor);
  const sub = currentSub(cursor);
  const others = trace.tables.filter((t) => isIpvs(t) || isEbpf(t));
  const evaluated = table ? evaluatedRows(cursor, table.id, { kinds: VERDICT_KINDS, ...(found?.stepId ? { stepId: found.stepId } : {}) }) : new Map();
  const onThisTable = here !== null && here.table.id === table?.id;
  const policy = sub?.kind === "policy" ? /^(\S+) (\S+) policy (\S+)/.exec(sub.label) : null;
  return (
    <div className="chain-view">
      {table ? (
        <DecisionTableView
          table={table}
          current={onThisTable ? here.row : undefined}
          evaluated={evaluated}
          inLab={labTitle}
          renderRow={(text, row) => {
            const verdict = evaluated.get(row);
            return <RuleText text={text} failed={verdict && !verdict.taken ? failedMatch(verdict.detail) : null} />;
          }}
        />
      ) : (
        <p className="muted">This walk consults no iptables rules.</p>
      )}
      {table && sub && !here && (
        <p className="policy-note muted">No rule is consulted for this decision ({sub.kind}): the rules stay as the walk left them.</p>
      )}
      {policy && (
        <p className="policy-note">
          No rule in {policy[1]} {policy[2]} decided: the chain's policy, <code>{policy[3]}</code>, applies.
        </p>
      )}
      {onThisTable && here.row === null && sub && !policy && (
        <p className="policy-note">No rule matched: the chain's policy decides ({sub.detail}).</p>
      )}
      <DrawList cursor={cursor} />
      {others.length > 0 && (
        <div className="other-modes">
          <h5>The same packet in other modes</h5>
          {others.map((t) => {
            const choice = otherModeChoice(trace, t);
            return (
              <div key={t.id} className="other-mode">
                <DecisionTableView
                  table={t}
                  current={here?.table.id === t.id ? here.row : undefined}
                  alsoCurrent={choice.rows}
                  evaluated={verdictsFor(trace, t.id)}
                  inLab={labTitle}
                />
                {choice.text && <p className="small">{choice.text}</p>}
              </div>
            );
          })}
        </div>
      )}
      {costs && <ModeCosts services={services} onServices={onServices} labId={labId} known={knownCosts} />}
    </div>
  );
}
