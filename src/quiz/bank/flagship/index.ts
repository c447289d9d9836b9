import type { AnyTemplate } from "../../engine/types";

/** The flagship journey's questions (`cloudflare-gke`), one line per template. */
export const FLAGSHIP_TEMPLATES: readonly AnyTemplate[] = [];
