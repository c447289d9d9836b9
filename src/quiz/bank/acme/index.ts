import type { AnyTemplate } from "../../engine/types";
import { caaDecision } from "./caa-decision";
import { caCheckOutcome } from "./ca-check-outcome";
import { challengeMaterialTemplate } from "./challenge-material";
import { validationOrder } from "./validation-order";

/** The acme questions, one line per template. */
export const ACME_TEMPLATES: readonly AnyTemplate[] = [
  challengeMaterialTemplate,
  caCheckOutcome,
  caaDecision,
  validationOrder,
];
