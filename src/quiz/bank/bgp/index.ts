import type { AnyTemplate } from "../../engine/types";

/** The bgp questions, one line per template. */
export const BGP_TEMPLATES: readonly AnyTemplate[] = [];
