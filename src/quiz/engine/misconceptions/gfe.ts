import type { Misconception } from "../misconceptions";

/** Wrong models of the gfe system the grader recognises; each id is a mode of its simulator. */
export const GFE_MISCONCEPTIONS: readonly Misconception[] = [];
