import { useEffect, useRef, type KeyboardEvent, type RefObject } from "react";
import type { StepCursor } from "../../machines/step-lab.machine";

export interface CursorCommands {
  forward(): void;
  back(): void;
  first(): void;
  last(): void;
  nextStep(): void;
  previousStep(): void;
}

/** The events a step-lab machine takes to move its cursor. */
type CursorEvent = { type: "STEP_FORWARD" } | { type: "STEP_BACK" } | { type: "FIRST" } | { type: "LAST" } | { type: "JUMP_TO_STEP"; stepId: string };

/** The first decision of the next (or previous) step: where Page Down / Page Up go. */
function wholeStep(cursor: StepCursor, delta: 1 | -1): string | null {
  const steps = cursor.trace?.steps ?? [];
  const at = steps.findIndex((s) => s.id === cursor.stepId);
  return steps[Math.min(Math.max(0, at + delta), steps.length - 1)]?.id ?? null;
}

/** The cursor commands of a lab driven by a step-lab machine: each key sends the machine its event. */
export function cursorCommands(cursor: StepCursor, send: (event: CursorEvent) => void): CursorCommands {
  const jump = (delta: 1 | -1) => {
    const stepId = wholeStep(cursor, delta);
    if (stepId) send({ type: "JUMP_TO_STEP", stepId });
  };
  return {
    forward: () => send({ type: "STEP_FORWARD" }),
    back: () => send({ type: "STEP_BACK" }),
    first: () => send({ type: "FIRST" }),
    last: () => send({ type: "LAST" }),
    nextStep: () => jump(1),
    previousStep: () => jump(-1),
  };
}

/**
 * The labs' keys, on the whole lab: ← ↑ back, → ↓ forward, Home / End to either end, Page Up /
 * Page Down by whole steps. Form fields keep their keys; a scrolling rules box keeps ← and → for
 * scrolling sideways. Returns true when focus was in the step list, so focus can follow the cursor.
 */
export function handleCursorKeys(event: KeyboardEvent<HTMLElement>, commands: CursorCommands): boolean {
  const target = event.target as HTMLElement;
  if (target.closest("input, select, textarea, [contenteditable]")) return false;
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  const inScrollBox = target.closest(".dt-scroll") !== null;
  const keys: Record<string, () => void> = {
    ArrowDown: commands.forward,
    ArrowUp: commands.back,
    ...(inScrollBox ? {} : { ArrowRight: commands.forward, ArrowLeft: commands.back }),
    Home: commands.first,
    End: commands.last,
    PageDown: commands.nextStep,
    PageUp: commands.previousStep,
  };
  const action = keys[event.key];
  if (!action) return false;
  event.preventDefault();
  action();
  return target.closest(".step-list") !== null;
}

/** Whether the reader asked for less motion; scrolling then jumps instead of gliding. */
export function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches === true;
}

/**
 * Scrolls a box (never the page) so that `item` is comfortably inside it: when it is out of view or
 * hugging an edge, it is brought to a third of the way down, so the rows before it (the rules the walk
 * just tried) stay visible above it and the next ones below.
 */
export function keepInView(box: HTMLElement | null, item: HTMLElement | null): void {
  if (!box || !item) return;
  // The box is position: relative, so offsetTop is measured from its top.
  const top = item.offsetTop;
  const bottom = top + item.offsetHeight;
  const margin = Math.min(box.clientHeight / 6, item.offsetHeight * 2);
  const behavior = prefersReducedMotion() ? "auto" : "smooth";
  if (top - margin >= box.scrollTop && bottom + margin <= box.scrollTop + box.clientHeight) return;
  const target = Math.max(0, Math.min(top - box.clientHeight / 3, box.scrollHeight - box.clientHeight));
  box.scrollTo({ top: target, behavior });
}

/**
 * A lab's step list and its keys, as every lab wires them: the keys (on the whole lab) move the cursor,
 * the current entry stays in view inside the list (never scrolling the page), and focus follows it
 * when the keys were pressed inside the list. Returns the list's ref and the lab's key handler.
 */
export function useStepListKeys(cursor: StepCursor, send: (event: CursorEvent) => void): { listRef: RefObject<HTMLOListElement | null>; onKeyDown: (event: KeyboardEvent<HTMLElement>) => void } {
  const listRef = useRef<HTMLOListElement>(null);
  const followFocus = useRef(false);
  useEffect(() => {
    const item = listRef.current?.querySelector<HTMLElement>("[data-current]") ?? null;
    keepInView(listRef.current, item);
    if (followFocus.current) item?.focus({ preventScroll: true });
    followFocus.current = false;
  }, [cursor.stepId, cursor.sub, cursor.trace]);
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!cursor.trace) return;
    followFocus.current = handleCursorKeys(event, cursorCommands(cursor, send));
  };
  return { listRef, onKeyDown };
}
