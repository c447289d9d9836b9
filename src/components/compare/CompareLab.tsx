import { useMachine } from "@xstate/react";
import { useEffect, useRef, useState } from "react";
import {
  compareLabMachine, isStale, visibleRows, type CompareSettingSpec,
} from "../../machines/compare-lab.machine";
import type { CompareCell, CompareRow, CompareTraceKey, Comparison } from "../../sim/edge/compare";
import "../../styles/compare.css";
import { readLabState, writeLabState } from "../lab/url-state";
import { onDemand } from "../on-demand";
import { useSimulatorWhileWaiting } from "../steplab/load-simulator";
import { replaceSearch } from "../steplab/url";

export interface CompareLabProps {
  /** Unique on the page; names the lab's URL keys (`<labId>.city`) and its anchor (#lab-<labId>). */
  labId: string;
  title: string;
  /** The settings offered, with the flagship's labels (handed over at build time). */
  settings: readonly CompareSettingSpec[];
  /** What the lab opens on. */
  defaults: Readonly<Record<string, string>>;
  /** The flagship's own defaults: links into its lab carry only what differs from them. */
  flagshipDefaults: Readonly<Record<string, string>>;
  /** Comparisons computed when the site was built, by settings key (`CompareLab.astro` fills it in). */
  initial: Readonly<Record<string, Comparison>>;
}

type CompareSimulator = typeof import("./compare-simulator");
const loadCompareSimulator = onDemand<CompareSimulator>(() => import("./compare-simulator"));

const FLAGSHIP_PAGE = "/lessons/life-of-a-packet/";
const TRACE_NAMES: Record<CompareTraceKey, string> = {
  with: "proxied",
  without: "DNS-only",
  bypass: "bypassed",
  "without-open": "DNS-only, lock-down lifted",
};

/** A link to the flagship's whole-journey lab, on a trace's settings, at one of its steps. */
function stepHref(params: Readonly<Record<string, string>>, flagshipDefaults: Readonly<Record<string, string>>, step: string): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (flagshipDefaults[k] !== v) query.set(`scenario.${k}`, v);
  query.set("journey.step", step);
  return `${FLAGSHIP_PAGE}?${query.toString()}#lab-journey`;
}

function Cell({ cell, comparison, flagshipDefaults }: { cell: CompareCell; comparison: Comparison; flagshipDefaults: Readonly<Record<string, string>> }) {
  const params = comparison.traces[cell.trace] ?? {};
  return (
    <>
      <p>{cell.text}</p>
      <p className="compare-steps">
        Read from the {TRACE_NAMES[cell.trace]} trace
        {cell.steps.length > 0 ? ", at " : "."}
        {cell.steps.map((step, i) => (
          <span key={step}>
            {i > 0 && ", "}
            <a href={stepHref(params, flagshipDefaults, step)}>
              <code>{step}</code>
            </a>
          </span>
        ))}
      </p>
    </>
  );
}

function Rows({ rows, comparison, flagshipDefaults, heading }: { rows: readonly CompareRow[]; comparison: Comparison; flagshipDefaults: Readonly<Record<string, string>>; heading: string }) {
  if (rows.length === 0) return null;
  return (
    <tbody>
      <tr className="compare-group">
        <th scope="colgroup" colSpan={3}>{heading}</th>
      </tr>
      {rows.flatMap((r) => [
        <tr key={r.id} className={r.differs ? "compare-row differs" : "compare-row"}>
          <th scope="row">
            {r.topic}
            <span className="compare-badge">{r.differs ? "Differs" : "Same"}</span>
          </th>
          <td>
            <span className="compare-side">With Cloudflare</span>
            <Cell cell={r.with} comparison={comparison} flagshipDefaults={flagshipDefaults} />
          </td>
          <td>
            <span className="compare-side">Without</span>
            <Cell cell={r.without} comparison={comparison} flagshipDefaults={flagshipDefaults} />
          </td>
        </tr>,
        <tr key={`${r.id}-note`} className="compare-note">
          <td colSpan={3}>{r.note}</td>
        </tr>,
      ])}
    </tbody>
  );
}

/**
 * The same request with Cloudflare proxying and without it, side by side. It opens on the
 * comparison computed when the site was built and loads the simulator only when a setting changes.
 * Everything shown is read from the compare-lab machine; every control sends it an event.
 */
export default function CompareLab({ labId, title, settings, defaults, flagshipDefaults, initial }: CompareLabProps) {
  const [snapshot, send] = useMachine(compareLabMachine, { input: { settings, defaults, known: initial } });
  const { context } = snapshot;
  const urlLoaded = useRef(false);

  useSimulatorWhileWaiting(
    context.waiting,
    send,
    (simulator: CompareSimulator) => ({ type: "SIMULATOR_LOADED" as const, compute: simulator.computeComparison }),
    (error) => ({ type: "SIMULATOR_FAILED" as const, error }),
    loadCompareSimulator,
  );

  // Open on the settings the address names, once, after hydration.
  const [linkNote, setLinkNote] = useState<string | null>(null);
  useEffect(() => {
    const { params: own, step } = readLabState(window.location.search, labId);
    for (const [key, value] of Object.entries(own)) if (defaults[key] !== value && key in defaults) send({ type: "SET_SETTING", key, value });
    // A key this lab does not read is said, not silently dropped (a bad value of one it reads is said at its field).
    const unknown = [...Object.keys(own).filter((key) => !(key in defaults)), ...(step !== null ? ["step"] : [])].map((k) => `${labId}.${k.length > 30 ? `${k.slice(0, 30)}…` : k}`);
    if (unknown.length > 0) {
      setLinkNote(`The link's ${unknown.join(", ")} ${unknown.length === 1 ? "is not a setting" : "are not settings"} of this lab, which reads ${Object.keys(defaults).map((k) => `${labId}.${k}`).join(", ")}; ignored.`);
    }
    urlLoaded.current = true;
  }, []);

  // Keep the address a permalink to the settings on screen.
  useEffect(() => {
    if (!urlLoaded.current) return;
    const timer = window.setTimeout(() => replaceSearch(writeLabState(window.location.search, labId, context.chosen, defaults, 0)), 0);
    return () => window.clearTimeout(timer);
  }, [labId, context.chosen]);

  const comparison = context.comparison;
  const rows = visibleRows(context);
  const stale = isStale(context);
  const headingId = `lab-${labId}-title`;
  const errorId = (key: string) => `lab-${labId}-error-${key}`;

  return (
    <section className="lab compare-lab" id={`lab-${labId}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <div className="controls">
        {settings.map((s) => {
          const error = context.errors[s.key];
          const id = `lab-${labId}-${s.key}`;
          const value = context.chosen[s.key] ?? defaults[s.key];
          const offered = s.values.some((v) => v.value === value);
          return (
            <label key={s.key} htmlFor={id}>
              {s.label}
              <select
                id={id}
                value={offered ? value : ""}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId(s.key) : undefined}
                onChange={(e) => send({ type: "SET_SETTING", key: s.key, value: e.target.value })}
              >
                {!offered && <option value="" disabled>{value} (not offered)</option>}
                {s.values.map((v) => (
                  <option key={v.value} value={v.value}>{v.label}</option>
                ))}
              </select>
              {error && <span className="error" role="alert" id={errorId(s.key)}>{error}</span>}
            </label>
          );
        })}
      </div>
      <div className="compare-actions">
        <label className="compare-toggle">
          <input type="checkbox" checked={context.differencesOnly} onChange={() => send({ type: "TOGGLE_DIFFERENCES" })} />
          Show only the rows that differ
        </label>
        <button type="button" onClick={() => send({ type: "RESET" })}>Reset settings</button>
      </div>
      {context.errors.simulator && <p className="error" role="alert">{context.errors.simulator}</p>}
      {linkNote && <p className="error" role="alert">{linkNote}</p>}
      <p className="compare-summary" aria-live="polite">
        {context.waiting ? "Computing the comparison for these settings…" : stale ? "Showing the last good comparison; fix the setting marked above." : context.announcement}
      </p>
      {comparison && (
        <div className={stale ? "compare-table-wrap stale" : "compare-table-wrap"} aria-busy={context.waiting || undefined}>
          <table className="compare-table">
            <caption className="visually-hidden">
              The same request with Cloudflare proxying and with the record set to DNS only; each cell names the trace and the steps of the flagship lab it was read from.
            </caption>
            <thead>
              <tr>
                <th scope="col">Aspect</th>
                <th scope="col">With Cloudflare (proxied)</th>
                <th scope="col">Without (DNS only)</th>
              </tr>
            </thead>
            <Rows heading="On the path" rows={rows.filter((r) => r.group === "path")} comparison={comparison} flagshipDefaults={flagshipDefaults} />
            <Rows heading="For the operator" rows={rows.filter((r) => r.group === "operations")} comparison={comparison} flagshipDefaults={flagshipDefaults} />
          </table>
        </div>
      )}
    </section>
  );
}
