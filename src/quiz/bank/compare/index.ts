import type { AnyTemplate } from "../../engine/types";

/** The compare questions, one line per template. */
export const COMPARE_TEMPLATES: readonly AnyTemplate[] = [];
