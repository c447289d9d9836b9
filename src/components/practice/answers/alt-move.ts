import type { KeyboardEvent } from "react";

/**
 * Alt+↑ / Alt+↓ on any control of a row moves that row (the ordering and trace-builder lists share it):
 * the row and column come from the focused cell's `data-cell="row column"`. Returns whether the key was
 * taken, so the caller hands any other key to its roving focus.
 */
export function altArrowMove(event: KeyboardEvent, move: (row: number, by: -1 | 1, column: number) => void): boolean {
  if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return false;
  const cell = (event.target as HTMLElement).closest<HTMLElement>("[data-cell]")?.dataset.cell;
  if (!cell) return false;
  event.preventDefault();
  const [row, column] = cell.split(" ").map(Number) as [number, number];
  move(row, event.key === "ArrowUp" ? -1 : 1, column);
  return true;
}
