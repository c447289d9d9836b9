import type { AnyTemplate } from "../../engine/types";
import { dnsPolicyFault } from "./fault-dns-policy";
import { hostTypoFault } from "./fault-host-typo";
import { mtuBlackHoleFault } from "./fault-mtu-black-hole";
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
  dnsPolicyFault,
  mtuBlackHoleFault,
];
