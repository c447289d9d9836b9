import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import type { AnswerOf, Choice } from "../../../quiz/engine/types";
import { useRoving } from "../../quiz/roving";
import { altArrowMove } from "./alt-move";

interface Props {
  readonly idBase: string;
  readonly items: readonly Choice[];
  /** null until the learner moves something: the items' shown order is then the answer. */
  readonly answer: AnswerOf["ordering"] | null;
  readonly onAnswer: (answer: AnswerOf["ordering"]) => void;
  readonly locked: boolean;
}

/** Moves the item at `from` one place up (-1) or down (+1). */
export function moved(order: readonly string[], from: number, by: -1 | 1): string[] {
  const to = from + by;
  if (to < 0 || to >= order.length) return [...order];
  const next = [...order];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

/** Where focus goes after the lists change under it. */
type PendingFocus = { readonly list: "order"; readonly row: number; readonly column: number } | { readonly list: "out"; readonly row: number };

/**
 * A list to put in order by keyboard or pointer: each item has Up and Down buttons, and Alt+↑ / Alt+↓
 * move the item whose button has focus. An item that does not belong in the sequence can be left
 * out (and put back). Each list is one tab stop (↑ ↓ between items, ← → between an item's buttons);
 * focus follows the moved item, and each change is announced with the item's new position and the
 * number of items.
 */
export function OrderingAnswer({ idBase, items, answer, onAnswer, locked }: Props) {
  const order = answer?.order ?? items.map((i) => i.id);
  const out = items.filter((i) => !order.includes(i.id));
  const text = new Map(items.map((i) => [i.id, i.text]));
  const roving = useRoving<HTMLOListElement>(order.length, 3);
  const outRoving = useRoving<HTMLUListElement>(out.length, 1);
  const [announcement, setAnnouncement] = useState("");
  const pendingFocus = useRef<PendingFocus | null>(null);

  useLayoutEffect(() => {
    const pending = pendingFocus.current;
    pendingFocus.current = null;
    if (!pending) return;
    if (pending.list === "order") {
      if (order.length) roving.focusCell(Math.min(pending.row, order.length - 1), pending.column);
      else outRoving.focusCell(0, 0);
    } else if (out.length) outRoving.focusCell(Math.min(pending.row, out.length - 1), 0);
    else roving.focusCell(order.length - 1, 0);
  });

  const change = (next: readonly string[], focus: PendingFocus, said: string) => {
    if (locked) return;
    pendingFocus.current = focus;
    onAnswer({ order: [...next] });
    setAnnouncement(said);
  };
  const move = (from: number, by: -1 | 1, column: number) => {
    const to = from + by;
    if (to < 0 || to >= order.length) return;
    change(moved(order, from, by), { list: "order", row: to, column }, `Moved “${text.get(order[from]!)}” to position ${to + 1} of ${order.length}.`);
  };
  const leaveOut = (row: number) =>
    change(
      order.filter((_, i) => i !== row),
      { list: "order", row, column: 2 },
      `Left out “${text.get(order[row]!)}”; ${order.length - 1} items in your order.`,
    );
  const putBack = (id: string, row: number) =>
    change([...order, id], { list: "out", row }, `Put back “${text.get(id)}” at position ${order.length + 1} of ${order.length + 1}.`);
  const onKeyDown = (event: KeyboardEvent) => {
    if (!altArrowMove(event, move)) roving.onKeyDown(event);
  };

  return (
    <div className="ordering">
      <p className="hint" id={`${idBase}-order-hint`}>
        {order.length} items in your order{out.length ? `, ${out.length} left out` : ""}. Move one with its Up and Down buttons, or press Alt+↑ or
        Alt+↓ on any of its buttons; ↑ ↓ go from item to item. Leave out an item that does not belong in the sequence.
      </p>
      <ol className="order-list" ref={roving.ref} onKeyDown={onKeyDown} aria-label={`Your order, ${order.length} items`} aria-describedby={`${idBase}-order-hint`}>
        {order.map((id, i) => {
          const name = text.get(id) ?? id;
          const where = `: ${name}, position ${i + 1} of ${order.length}`;
          return (
            <li key={id}>
              <span className="item-text">{name}</span>
              <span className="row-controls">
                <button type="button" {...roving.cell(i, 0)} aria-disabled={locked || i === 0} onClick={() => !locked && move(i, -1, 0)}>
                  <span aria-hidden="true">↑ </span>Up<span className="visually-hidden">{where}</span>
                </button>
                <button type="button" {...roving.cell(i, 1)} aria-disabled={locked || i === order.length - 1} onClick={() => !locked && move(i, 1, 1)}>
                  <span aria-hidden="true">↓ </span>Down<span className="visually-hidden">{where}</span>
                </button>
                <button type="button" {...roving.cell(i, 2)} aria-disabled={locked} onClick={() => leaveOut(i)}>
                  <span aria-hidden="true">✕ </span>Leave out<span className="visually-hidden">: {name}</span>
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {out.length > 0 && (
        <>
          <p className="hint" id={`${idBase}-out-title`}>
            Left out ({out.length}):
          </p>
          <ul className="order-out" ref={outRoving.ref} onKeyDown={outRoving.onKeyDown} aria-labelledby={`${idBase}-out-title`}>
            {out.map((item, i) => (
              <li key={item.id}>
                <span className="item-text">{item.text}</span>{" "}
                <button type="button" {...outRoving.cell(i, 0)} aria-disabled={locked} onClick={() => putBack(item.id, i)}>
                  <span aria-hidden="true">+ </span>Put back<span className="visually-hidden">: {item.text}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
