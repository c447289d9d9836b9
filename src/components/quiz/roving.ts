import { useCallback, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";

/**
 * A roving tab stop over a list (one column) or a grid (a row per item, a column per control): the
 * list is one stop in the tab order, and the arrow keys move within it (WAI-ARIA Authoring
 * Practices, "Managing focus within components using a roving tabindex"). In a grid, ↑ ↓ move
 * between rows and ← → between a row's controls; in a list, all four move between items. Home and
 * End go to the first and last item (of the row, in a grid).
 *
 * @example
 * const roving = useRoving(items.length, 1);
 * <ul ref={roving.ref} onKeyDown={roving.onKeyDown}>{items.map((x, i) => <li><button {...roving.cell(i, 0)}>…</button></li>)}</ul>
 */
export function useRoving<E extends HTMLElement = HTMLElement>(rows: number, columns: number) {
  const ref = useRef<E>(null);
  const [active, setActive] = useState<readonly [number, number]>([0, 0]);
  const row = Math.max(0, Math.min(active[0], rows - 1));
  const column = Math.max(0, Math.min(active[1], columns - 1));

  /** Props for the control at (row, column): its tabIndex, where it sits, and focus tracking. */
  const cell = (r: number, c: number) => ({
    tabIndex: r === row && c === column ? 0 : -1,
    "data-cell": `${r} ${c}`,
    onFocus: (_: FocusEvent) => setActive([r, c]),
  });

  /** Moves focus to (r, c) when that control exists; returns whether it did. */
  const focusCell = useCallback((r: number, c: number): boolean => {
    const target = ref.current?.querySelector<HTMLElement>(`[data-cell="${r} ${c}"]`);
    if (!target) return false;
    target.focus();
    return true;
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const from = (event.target as HTMLElement).closest<HTMLElement>("[data-cell]")?.dataset.cell;
    if (!from) return;
    const [r, c] = from.split(" ").map(Number) as [number, number];
    const grid = columns > 1;
    const next: Record<string, [number, number]> = grid
      ? { ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], Home: [r, 0], End: [r, columns - 1] }
      : { ArrowUp: [r - 1, 0], ArrowLeft: [r - 1, 0], ArrowDown: [r + 1, 0], ArrowRight: [r + 1, 0], Home: [0, 0], End: [rows - 1, 0] };
    const to = next[event.key];
    if (!to) return;
    event.preventDefault();
    const [nr, nc] = [Math.max(0, Math.min(to[0], rows - 1)), Math.max(0, Math.min(to[1], columns - 1))];
    focusCell(nr, nc);
  };

  return { ref, cell, onKeyDown, focusCell, active: [row, column] as const };
}
