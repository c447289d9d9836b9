import type { AnyTemplate } from "../../engine/types";

/** The egress questions (Cloud NAT, Private Google Access), one line per template. */
export const EGRESS_TEMPLATES: readonly AnyTemplate[] = [];
