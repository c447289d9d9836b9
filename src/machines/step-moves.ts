/** The stepping events a lab's list of steps answers: arrows, Home/End and a click on a step. */
export type StepMove = { type: "NEXT" } | { type: "PREV" } | { type: "FIRST" } | { type: "LAST" } | { type: "GOTO"; step: number };

/** The step a move lands on, kept within 0…last. */
export function moveStep(move: StepMove, step: number, last: number): number {
  switch (move.type) {
    case "NEXT": return Math.min(last, step + 1);
    case "PREV": return Math.max(0, step - 1);
    case "FIRST": return 0;
    case "LAST": return last;
    case "GOTO": return Math.max(0, Math.min(last, Math.floor(move.step)));
  }
}
