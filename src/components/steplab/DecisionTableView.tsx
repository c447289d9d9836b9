import { useEffect, useRef, type ReactNode } from "react";
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
  /** How to draw one row's text; the row's own line when absent. */
  renderRow?: (text: string, row: number) => ReactNode;
  /** Shown when there are no rows to show. */
  empty?: string;
  caption?: ReactNode;
  /** Which lab this is in, appended to the box's accessible name (two labs may show the same table). */
  inLab?: string;
}

/**
 * Any decision table — an iptables chain, a conntrack table, later a RIB or a certificate chain —
 * printed line by line the way its own tool prints it. The box scrolls sideways on its own (long
 * iptables lines never widen the page) and is one tab stop, so it can be scrolled from the keyboard.
 * The current row is highlighted and kept in view; rows the walk evaluated carry ✓ or ✗, with the
 * reason read out to screen readers and shown on hover.
 */
export function DecisionTableView({ table, current, evaluated, rows, renderRow, empty, caption, inLab }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const currentRow = useRef<HTMLLIElement>(null);
  useEffect(() => keepInView(box.current, currentRow.current), [current, table]);
  const shown = rows ?? table.rows.map((_, i) => i);
  return (
    <figure className="dt">
      <figcaption>
        {caption ?? table.title} <span className="dt-format">{table.format}</span>
      </figcaption>
      <div className="dt-scroll" ref={box} tabIndex={0} role="region" aria-label={`${table.title} (${table.format})${inLab ? `, in “${inLab}”` : ""}`}>
        {shown.length === 0 ? (
          <p className="dt-empty">{empty ?? "(empty)"}</p>
        ) : (
          <ol className="dt-rows">
            {shown.map((row) => {
              const verdict = evaluated?.get(row);
              const isCurrent = current === row;
              const cls = ["dt-row", isCurrent ? "current" : "", verdict ? (verdict.taken ? "matched" : "unmatched") : ""].filter(Boolean).join(" ");
              return (
                <li key={row} className={cls} ref={isCurrent ? currentRow : undefined} aria-current={isCurrent ? "true" : undefined} title={verdict?.detail}>
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
