import type { AnyTemplate } from "../../engine/types";
import { armorDecidingRule } from "./armor-deciding-rule";
import { gfeConnectsTo } from "./gfe-connects-to";
import { unknownHostStatus } from "./unknown-host-status";
import { urlMapBackend } from "./url-map-backend";

/** The gfe questions, one line per template. */
export const GFE_TEMPLATES: readonly AnyTemplate[] = [
  urlMapBackend,
  armorDecidingRule,
  unknownHostStatus,
  gfeConnectsTo,
];
