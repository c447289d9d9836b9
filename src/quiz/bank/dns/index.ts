import type { AnyTemplate } from "../../engine/types";

/** The dns questions, one line per template. */
export const DNS_TEMPLATES: readonly AnyTemplate[] = [];
