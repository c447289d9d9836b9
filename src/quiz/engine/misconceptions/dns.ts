import type { Misconception } from "../misconceptions";

/** Wrong models of the dns system the grader recognises; each id is a mode of its simulator. */
export const DNS_MISCONCEPTIONS: readonly Misconception[] = [];
