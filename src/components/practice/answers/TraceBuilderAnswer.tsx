import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import type { AnswerOf, Choice } from "../../../quiz/engine/types";
import { useRoving } from "../../quiz/roving";
import { moved } from "./OrderingAnswer";
import { altArrowMove } from "./alt-move";

type Hops = AnswerOf["trace-builder"]["hops"];

interface Props {
  readonly idBase: string;
  readonly options: readonly Choice[];
  readonly marks: readonly Choice[];
  readonly answer: AnswerOf["trace-builder"] | null;
  readonly onAnswer: (answer: AnswerOf["trace-builder"]) => void;
  readonly locked: boolean;
}

/** Where focus goes after the list it was in changes under it. */
type PendingFocus = { readonly list: "pool"; readonly index: number } | { readonly list: "path"; readonly row: number; readonly column: number };

/**
 * Build a path: add hops from the options, put them in order, and set each hop's marks ("TLS ends
 * here"). Like the lesson's question (`QuestionBody.tsx`), each list is one tab stop with the arrow
 * keys inside it; here the marks come from the variant, and Alt+↑ / Alt+↓ move a hop too.
 */
export function TraceBuilderAnswer({ idBase, options, marks, answer, onAnswer, locked }: Props) {
  const hops: Hops = answer?.hops ?? [];
  const names = new Map(options.map((o) => [o.id, o.text]));
  const pool = options.filter((o) => !hops.some((h) => h.item === o.id));
  const columns = marks.length + 3;
  const poolRoving = useRoving<HTMLUListElement>(pool.length, 1);
  const pathRoving = useRoving<HTMLOListElement>(hops.length, columns);
  const pendingFocus = useRef<PendingFocus | null>(null);
  const [announcement, setAnnouncement] = useState("");

  useLayoutEffect(() => {
    const pending = pendingFocus.current;
    pendingFocus.current = null;
    if (!pending) return;
    if (pending.list === "pool") {
      if (pool.length) poolRoving.focusCell(Math.min(pending.index, pool.length - 1), 0);
      else pathRoving.focusCell(hops.length - 1, 0);
      return;
    }
    if (hops.length === 0) poolRoving.focusCell(0, 0);
    else pathRoving.focusCell(Math.min(pending.row, hops.length - 1), pending.column);
  });

  const set = (next: Hops, focus: PendingFocus, said: string) => {
    if (locked) return;
    pendingFocus.current = focus;
    onAnswer({ hops: next });
    setAnnouncement(said);
  };
  const add = (item: string, index: number) =>
    set([...hops, { item, marks: [] }], { list: "pool", index }, `Added “${names.get(item)}” as hop ${hops.length + 1} of ${hops.length + 1}.`);
  const move = (row: number, by: -1 | 1, column: number) => {
    const to = row + by;
    if (to < 0 || to >= hops.length) return;
    const order = moved(hops.map((_, i) => String(i)), row, by).map(Number);
    set(order.map((i) => hops[i]!), { list: "path", row: to, column }, `Moved “${names.get(hops[row]!.item)}” to hop ${to + 1} of ${hops.length}.`);
  };
  const remove = (row: number) =>
    set(hops.filter((_, i) => i !== row), { list: "path", row, column: columns - 1 }, `Removed “${names.get(hops[row]!.item)}”; ${hops.length - 1} hops left.`);
  const toggle = (row: number, mark: string, column: number) => {
    const hop = hops[row]!;
    const on = hop.marks.includes(mark);
    const next = hops.map((h, i) => (i === row ? { item: h.item, marks: on ? h.marks.filter((m) => m !== mark) : marks.map((m) => m.id).filter((m) => m === mark || h.marks.includes(m)) } : h));
    pendingFocus.current = { list: "path", row, column };
    if (!locked) onAnswer({ hops: next });
  };
  const onPathKeyDown = (event: KeyboardEvent) => {
    if (!altArrowMove(event, move)) pathRoving.onKeyDown(event);
  };

  return (
    <div className="builder">
      <div className="pool-panel">
        <h4 id={`${idBase}-pool`}>Hops to choose from</h4>
        <p className="hint" id={`${idBase}-pool-hint`}>Arrow keys move between them; Enter adds one to the end of your path.</p>
        <ul className="pool" ref={poolRoving.ref} onKeyDown={poolRoving.onKeyDown} aria-labelledby={`${idBase}-pool`} aria-describedby={`${idBase}-pool-hint`}>
          {pool.map((o, i) => (
            <li key={o.id}>
              <button type="button" {...poolRoving.cell(i, 0)} aria-disabled={locked} onClick={() => add(o.id, i)}>
                <span aria-hidden="true">+ </span>
                <span className="visually-hidden">Add </span>
                {o.text}
              </button>
            </li>
          ))}
        </ul>
        {pool.length === 0 && <p className="meta">Every option is on your path.</p>}
      </div>
      <div className="answer-panel">
        <h4 id={`${idBase}-path`}>Your path, in order</h4>
        <p className="hint" id={`${idBase}-path-hint`}>
          {hops.length} {hops.length === 1 ? "hop" : "hops"}. ↑ ↓ move between hops, ← → between a hop's controls; Alt+↑ or Alt+↓ moves the hop.
        </p>
        {hops.length === 0 && <p className="meta">Nothing yet: add hops from the list, first one first.</p>}
        <ol className="answer" ref={pathRoving.ref} onKeyDown={onPathKeyDown} aria-labelledby={`${idBase}-path`} aria-describedby={`${idBase}-path-hint`}>
          {hops.map((h, i) => {
            const name = names.get(h.item) ?? h.item;
            return (
              <li key={h.item}>
                <span className="name">{name}</span>
                <span className="row-controls">
                  {marks.map((m, c) => (
                    <label key={m.id} className="mark">
                      <input type="checkbox" {...pathRoving.cell(i, c)} checked={h.marks.includes(m.id)} disabled={locked} onChange={() => toggle(i, m.id, c)} />
                      {m.text}
                      <span className="visually-hidden">: {name}</span>
                    </label>
                  ))}
                  <button type="button" {...pathRoving.cell(i, marks.length)} aria-disabled={locked || i === 0} onClick={() => move(i, -1, marks.length)}>
                    <span aria-hidden="true">↑ </span>Up<span className="visually-hidden">: {name}</span>
                  </button>
                  <button type="button" {...pathRoving.cell(i, marks.length + 1)} aria-disabled={locked || i === hops.length - 1} onClick={() => move(i, 1, marks.length + 1)}>
                    <span aria-hidden="true">↓ </span>Down<span className="visually-hidden">: {name}</span>
                  </button>
                  <button type="button" {...pathRoving.cell(i, marks.length + 2)} aria-disabled={locked} onClick={() => remove(i)}>
                    <span aria-hidden="true">✕ </span>Remove<span className="visually-hidden">: {name}</span>
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
