import type { Misconception } from "../misconceptions";

/** Wrong models of the rpki system the grader recognises; each id is a mode of its simulator. */
export const RPKI_MISCONCEPTIONS: readonly Misconception[] = [];
