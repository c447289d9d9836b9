import type { Misconception } from "../misconceptions";

/** Wrong models of the egress system the grader recognises; each id is a mode of its simulator. */
export const EGRESS_MISCONCEPTIONS: readonly Misconception[] = [];
