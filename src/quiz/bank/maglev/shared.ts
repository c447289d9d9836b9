import type { LabLink } from "../../engine/types";

/** What the Maglev templates share: their lesson, its lab, how a variant's state becomes a lab link (seeded draws are in `../draw`). */
export const LESSON = "maglev-and-the-gfe";
export const LAB: LabLink = { page: "/lessons/maglev-and-the-gfe/", lab: "maglev", query: {} };

/** The lab's limits (`src/machines/maglev-lab.machine.ts`): a state beyond them is linked only in part. */
const LAB_MAX_GFES = 8;
const LAB_MAX_SIZE = 97;
const LAB_STORY_FLOWS = 40;

/**
 * The Maglev lab opened on a variant's state, in the lab's link keys (`maglev.gfes`, `maglev.removed`,
 * `maglev.before`, `maglev.size`, `maglev.seed`, `maglev.flow`): the GFE list, those out of service, the
 * set before the change (the lab compares with it), the table size and the sample flows. What the lab
 * cannot show — more than 8 GFEs, a table over 97 slots, a flow past F40 — is left out, and the lab
 * shows its own value for it.
 */
export function labAt(state: {
  readonly gfes: readonly string[];
  readonly removed?: readonly string[];
  readonly before?: readonly string[];
  readonly size?: number;
  readonly seed?: number;
  readonly flow?: number;
}): LabLink {
  const query: Record<string, string> = {};
  if (state.gfes.length <= LAB_MAX_GFES) {
    query["maglev.gfes"] = state.gfes.join(",");
    if (state.removed?.length) query["maglev.removed"] = state.removed.join(",");
    if (state.before) query["maglev.before"] = state.before.join(",");
  }
  if (state.size !== undefined && state.size <= LAB_MAX_SIZE) query["maglev.size"] = String(state.size);
  if (state.seed !== undefined) query["maglev.seed"] = String(state.seed);
  if (state.flow !== undefined && state.flow < LAB_STORY_FLOWS) query["maglev.flow"] = String(state.flow + 1);
  return { ...LAB, query };
}

export const percent = (share: number) => Math.round(share * 1000) / 10;

/** "gfe-1, gfe-2 and gfe-3" */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
