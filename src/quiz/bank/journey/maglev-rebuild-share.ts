import type { SiteId } from "../../../sim/index";
import { MAGLEV_DEFAULT_TABLE_SIZE, maglevTable, type MaglevTable } from "../../../sim/edge/maglev";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { CITIES, LESSON, countWord, hop, journeyLab, journeyTrace, listing, requireEvent, siteName } from "./shared";
import { pick } from "../draw";

/**
 * Maglev's consistent hashing: when a GFE leaves (or joins) the backend set, how many flows change
 * GFE? The model's own Maglev (`sim/edge/maglev.ts`, Eisenbud et al. §3.4) builds the lookup table for
 * both sets; a flow lands on the slot its hash picks, so the share of flows that move is the share of
 * the table's slots whose owner changes. The GFE names are the site's, as the trace's Maglev names them.
 */
const ID = "maglev-rebuild-share";

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { city: "paris", gfes: 4, change: "leave", which: 2 };
  const random = seededRandom(seed);
  const gfes = pick(random, [4, 5, 6, 8]);
  const change = pick(random, ["leave", "leave", "join"]);
  return { city: pick(random, CITIES), gfes, change, which: change === "leave" ? 1 + Math.floor(random() * gfes) : gfes + 1 };
}

/** How many of the table's slots belong to a different backend (by name) in `after` than in `before`. */
function slotsMoved(before: MaglevTable, after: MaglevTable): number {
  let moved = 0;
  for (let slot = 0; slot < before.tableSize; slot++) {
    if (before.backends[before.entries[slot]!]!.name !== after.backends[after.entries[slot]!]!.name) moved++;
  }
  return moved;
}

const percent = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

export const maglevRebuildShare: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "Maglev: how many flows move when a GFE leaves or joins",
  lesson: LESSON,
  concepts: ["consistent-hashing", "l4-load-balancing"],
  file: "src/quiz/bank/journey/maglev-rebuild-share.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const city = p.city as SiteId;
    const n = p.gfes as number;
    const which = p.which as number;
    const leaving = p.change === "leave";
    // The trace names the site's GFEs; the variant's backend set follows the same pattern.
    const trace = journeyTrace({ city }, seed);
    const maglevHop = hop(trace, "request:maglev");
    const traceGfes = requireEvent(maglevHop, "lb-select").candidates.map((c) => c.id);
    const stem = traceGfes[0]!.replace(/-\d+$/, "");
    const names = Array.from({ length: n }, (_, i) => `${stem}-${i + 1}`);
    const changed = `${stem}-${which}`;
    const afterNames = leaving ? names.filter((x) => x !== changed) : [...names, changed];

    const before = maglevTable(names);
    const after = maglevTable(afterNames);
    const size = MAGLEV_DEFAULT_TABLE_SIZE;
    const moved = slotsMoved(before, after);
    const share = percent(moved, size);
    // The slots that had to move: the leaver's own, or those the newcomer claims.
    const forced = leaving ? before.slotCounts[names.indexOf(changed)]! : after.slotCounts[afterNames.indexOf(changed)]!;
    // What a plain `hash mod N` would move, taking each slot index as one flow's hash (they are uniform).
    let modMoved = 0;
    for (let slot = 0; slot < size; slot++) if (slot % names.length !== slot % afterNames.length) modMoved++;
    const modShare = percent(modMoved, size);

    const where = siteName(city);
    const event = leaving
      ? `${changed} is drained and removed, and every Maglev rebuilds its table from the remaining ${countWord(n - 1)}`
      : `a new GFE, ${changed}, is added, and every Maglev rebuilds its table with all ${countWord(n + 1)}`;
    const table = names.map((name, i) => `${name}  ${before.slotCounts[i]} slots`).join("\n");

    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `The Maglevs at Google's ${where} edge site share one lookup table of ${size.toLocaleString("en-US")} slots over ${countWord(n)} GFEs ` +
        `(${listing(names)}); a flow's 5-tuple hash picks a slot, and the slot names its GFE. Then ${event}. ` +
        "Of all flows, what percentage are now sent to a different GFE than before?",
      exhibits: [{ kind: "text", text: `Slots each GFE owns in the ${where} table before the change:\n${table}` }],
      view: { unit: "percent", label: "Share of flows that change GFE" },
      key: { value: share },
      rubric: {
        value: share, unit: "percent", absolute: 3, relative: 0,
        why: {
          why:
            `Each GFE claims table slots in the order of its own permutation, which depends only on its name, so the survivors keep almost all they had. ` +
            `${leaving ? `${changed}'s ${forced.toLocaleString("en-US")} slots must go to others` : `${changed} takes ${forced.toLocaleString("en-US")} slots from the others`} ` +
            `(${percent(forced, size)}% of flows), and the rebuild moves ${(moved - forced).toLocaleString("en-US")} more: ${moved.toLocaleString("en-US")} of ${size.toLocaleString("en-US")} slots, ${share}%. ` +
            `Hashing modulo the GFE count instead would move ${modShare}%.`,
          step: maglevHop.id,
        },
      },
      misconceptions: [],
      hints: [
        leaving ? "The flows that were on the removed GFE have to go somewhere. What happens to everyone else's?" : "The new GFE has to take its share of flows from somewhere. Does anything else need to move?",
        "Maglev is built to spread flows evenly and to disturb as few as it can when the set changes. Which flows have no choice but to move?",
      ],
      explanation:
        `Maglev's table is filled by the backends taking turns, each claiming the next free slot on its own fixed permutation (offset and skip from its name). ` +
        `Change the set and each survivor still walks the same permutation, so it lands on mostly the same slots: ${share}% of flows change GFE, close to the ideal 1/${leaving ? n : n + 1} ` +
        `(${percent(1, leaving ? n : n + 1)}%). A naive hash modulo the number of GFEs would reshuffle ${modShare}%. ` +
        "Moving a flow breaks its TCP connection unless the new GFE can find its state, which is why Maglev also keeps a connection-tracking table and why consistent hashing matters at all.",
      lab: journeyLab("leg-3", { city }),
    };
  },
};
