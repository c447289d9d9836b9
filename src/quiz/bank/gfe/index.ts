import type { AnyTemplate } from "../../engine/types";

/** The gfe questions, one line per template. */
export const GFE_TEMPLATES: readonly AnyTemplate[] = [];
