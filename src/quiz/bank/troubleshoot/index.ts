import type { AnyTemplate } from "../../engine/types";
import { hostTypoFault } from "./fault-host-typo";
import { noLocalEndpointFault } from "./fault-no-local-endpoint";
import { notReadyFault } from "./fault-not-ready";
import { selectorMismatchFault } from "./fault-selector-mismatch";
import { targetPortFault } from "./fault-target-port";

/** The troubleshoot questions, one line per template. */
export const TROUBLESHOOT_TEMPLATES: readonly AnyTemplate[] = [
  selectorMismatchFault,
  notReadyFault,
  targetPortFault,
  noLocalEndpointFault,
  hostTypoFault,
];
