import type { AnyTemplate } from "../../engine/types";

/** The flagship journey's questions on anycast, latency, peering, the Host header, caching and the edge, one line per template. */
export const JOURNEY_TEMPLATES: readonly AnyTemplate[] = [];
