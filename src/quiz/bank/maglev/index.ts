import type { AnyTemplate } from "../../engine/types";

/** The maglev questions, one line per template. */
export const MAGLEV_TEMPLATES: readonly AnyTemplate[] = [];
