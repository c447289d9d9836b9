import type { Misconception } from "../misconceptions";

/** Wrong models of the maglev system the grader recognises; each id is a mode of its simulator. */
export const MAGLEV_MISCONCEPTIONS: readonly Misconception[] = [];
