import type { AnyTemplate } from "../../engine/types";
import { sslHopFacts } from "./ssl-hop-facts";
import { sslStrongestMode } from "./ssl-strongest-mode";
import { sslVisitorSees } from "./ssl-visitor-sees";

/** The ssl-modes questions, one line per template. */
export const SSL_MODES_TEMPLATES: readonly AnyTemplate[] = [
  sslVisitorSees,
  sslHopFacts,
  sslStrongestMode,
];
