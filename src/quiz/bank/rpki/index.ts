import type { AnyTemplate } from "../../engine/types";

/** The rpki questions, one line per template. */
export const RPKI_TEMPLATES: readonly AnyTemplate[] = [];
