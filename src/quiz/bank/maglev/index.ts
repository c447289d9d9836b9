import type { AnyTemplate } from "../../engine/types";
import { maglevConntrackEcmp } from "./maglev-conntrack-ecmp";
import { maglevFlowsMoved } from "./maglev-flows-moved";
import { maglevPopulateTable } from "./maglev-populate-table";
import { maglevSlotBalance } from "./maglev-slot-balance";

/** The maglev questions, one line per template. */
export const MAGLEV_TEMPLATES: readonly AnyTemplate[] = [
  maglevFlowsMoved,
  maglevPopulateTable,
  maglevConntrackEcmp,
  maglevSlotBalance,
];
