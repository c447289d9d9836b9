import type { Misconception } from "../misconceptions";

/** Wrong models of the bgp system the grader recognises; each id is a mode of its simulator. */
export const BGP_MISCONCEPTIONS: readonly Misconception[] = [];
