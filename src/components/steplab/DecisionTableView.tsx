import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { DecisionTable } from "../../sim/core/trace";
import { keepInView } from "./keys";

export interface RowVerdict {
  readonly taken: boolean;
  readonly detail: string;
}

interface Props {
  table: DecisionTable;
  /** The row the cursor is on; null for a chain's policy, undefined when the cursor is elsewhere. */
  current?: number | null | undefined;
  /** Rows the walk has evaluated so far, with whether they matched and why. */
  evaluated?: ReadonlyMap<number, RowVerdict>;
  /** Only these rows, in this order (e.g. the conntrack entries that exist at the cursor); all when absent. */
  rows?: readonly number[];
  /** Rows drawn as current besides `current` (e.g. every entry conntrack is consulting). */
  alsoCurrent?: ReadonlySet<number>;
  /** How to draw one row's text; the row's own line when absent. */
  renderRow?: (text: string, row: number) => ReactNode;
  /** Shown when there are no rows to show. */
  empty?: string;
  caption?: ReactNode;
  /** Which lab this is in, appended to the box's accessible name (two labs may show the same table). */
  inLab?: string;
}

/** Lines longer than this get a "wrap long lines" switch. */
const LONG_LINE = 72;

/**
 * Any decision table — an iptables chain, a conntrack table, later a RIB or a certificate chain —
 * printed line by line the way its own tool prints it. The box scrolls on its own (long iptables
 * lines never widen the page) and is one tab stop, so it can be scrolled from the keyboard; a switch
 * wraps long lines instead, with a hanging indent so each line still reads as one. The current row
 * is highlighted and kept in view inside the box; rows the walk evaluated carry ✓ or ✗, with the
 * reason read out to screen readers and shown on hover.
 */
export function DecisionTableView({ table, current, evaluated, rows, alsoCurrent, renderRow, empty, caption, inLab }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const currentRow = useRef<HTMLLIElement>(null);
  // On a phone a long rule's target (its `--to-destination`) is past the edge: wrap from the start there.
  const [wrap, setWrap] = useState(false);
  useEffect(() => {
    if (window.matchMedia("(max-width: 760px)").matches) setWrap(true);
  }, []);
  const wrapId = useId();
  // Scroll only when the highlighted row changes, not on every render.
  const highlighted = current ?? (alsoCurrent && alsoCurrent.size ? [...alsoCurrent][0] : undefined);
  useEffect(() => keepInView(box.current, currentRow.current), [highlighted, table, wrap]);
  // iptables-save ends with a newline: the empty last "row" is not a line of the dump.
  const all = table.rows.map((_, i) => i);
  const shown = rows ?? (table.rows.at(-1) === "" ? all.slice(0, -1) : all);
  const long = shown.some((r) => (table.rows[r]?.length ?? 0) > LONG_LINE);
  let refSet = false;
  return (
    <figure className="dt">
      <figcaption>
        <span className="dt-title">{caption ?? table.title}</span> <span className="dt-format">{table.format}</span>
        {long && (
          <label className="dt-wrap" htmlFor={wrapId}>
            <input id={wrapId} type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap long lines
          </label>
        )}
      </figcaption>
      <div
        className={wrap ? "dt-scroll wrap" : "dt-scroll"}
        ref={box}
        tabIndex={0}
        role="region"
        aria-label={`${table.title} (${table.format})${inLab ? `, in “${inLab}”` : ""}`}
      >
        {shown.length === 0 ? (
          <p className="dt-empty">{empty ?? "(empty)"}</p>
        ) : (
          <ol className="dt-rows">
            {shown.map((row) => {
              const verdict = evaluated?.get(row);
              const isCurrent = current === row || (alsoCurrent?.has(row) ?? false);
              const takeRef = isCurrent && !refSet;
              if (takeRef) refSet = true;
              const cls = ["dt-row", isCurrent ? "current" : "", verdict ? (verdict.taken ? "matched" : "unmatched") : ""].filter(Boolean).join(" ");
              return (
                <li key={row} className={cls} ref={takeRef ? currentRow : undefined} aria-current={isCurrent ? "true" : undefined} title={verdict?.detail}>
                  <span className="dt-mark" aria-hidden="true">{verdict ? (verdict.taken ? "✓" : "✗") : isCurrent ? "▸" : ""}</span>
                  <code>{renderRow ? renderRow(table.rows[row] ?? "", row) : table.rows[row]}</code>
                  {(verdict || isCurrent) && (
                    <span className="visually-hidden">
                      {isCurrent ? " (current)" : ""}
                      {verdict ? ` ${verdict.taken ? "matched" : "not matched"}: ${verdict.detail}` : ""}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </figure>
  );
}
