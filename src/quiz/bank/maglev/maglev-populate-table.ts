import { maglevBackend, maglevPermutation, maglevPopulate } from "../../../sim/edge/maglev";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { labAt, LESSON, listing } from "./shared";

/**
 * The paper's Table 1 as an exercise (NSDI 2016 §3.4, Pseudocode 1): three GFEs' permutations of a
 * 7-slot table are given; fill the lookup table — or the table after one GFE is removed. The key is
 * `maglevPopulate` on those permutations (the names are hashed as go-maglev hashes them).
 */
const ID = "maglev-populate-table";
const M = 7;
const POOL = ["gfe-1", "gfe-2", "gfe-3", "gfe-4", "gfe-5", "gfe-6", "gfe-7", "gfe-8", "gfe-9"];

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { names: "gfe-1,gfe-2,gfe-3", removed: "none" };
  const random = seededRandom(seed);
  const names: string[] = [];
  while (names.length < 3) {
    const n = POOL[Math.floor(random() * POOL.length)]!;
    if (!names.includes(n)) names.push(n);
  }
  names.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const removed = random() < 0.5 ? "none" : names[Math.floor(random() * 3)]!;
  return { names: names.join(","), removed };
}

export const maglevPopulateTable: Template<"fill-in"> = {
  id: ID,
  kind: "fill-in",
  title: "Fill a Maglev lookup table",
  lesson: LESSON,
  concepts: ["consistent-hashing", "l4-load-balancing"],
  file: "src/quiz/bank/maglev/maglev-populate-table.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const names = String(p.names).split(",");
    const gone = p.removed === "none" ? null : String(p.removed);
    const backends = names.map((n) => maglevBackend(n, M));
    const table = maglevPopulate(backends, M);
    const removed = new Set(gone === null ? [] : [names.indexOf(gone)]);
    const asked = gone === null ? table : maglevPopulate(backends, M, removed);
    const perms = backends.map((b, i) => `${names[i]!.padEnd(6)} offset ${b.offset}, skip ${b.skip}: ${maglevPermutation(b, M).join(" ")}`);
    const fields = asked.map((_, slot) => ({ id: `slot-${slot}`, label: `Slot ${slot}`, type: "name" as const, placeholder: "gfe-0" }));
    const key = Object.fromEntries(asked.map((owner, slot) => [`slot-${slot}`, names[owner]!]));
    const claimOrder = (slot: number) => {
      const owner = asked[slot]!;
      const rank = maglevPermutation(backends[owner]!, M).indexOf(slot);
      return rank === 0
        ? `${names[owner]} claims slot ${slot} on its first turn: it is the first entry of its permutation.`
        : `${names[owner]} claims slot ${slot}: it is entry ${rank} of its permutation, and each entry before it was already taken or claimed by ${names[owner]} earlier.`;
    };
    return {
      template: ID,
      kind: "fill-in",
      seed,
      title: this.title,
      prompt:
        `A Maglev table has ${M} slots (0–${M - 1}) and the GFEs ${listing(names)}, visited in that order. Each GFE's permutation of the slots is given. ` +
        (gone === null
          ? "Fill the table as Maglev's population algorithm does: in turn, each GFE claims the first slot of its permutation that is still free, until every slot is taken. Which GFE owns each slot?"
          : `${gone} is removed and the table is rebuilt from the two that remain, in the same order and with the same permutations. Which GFE owns each slot after the rebuild?`),
      exhibits: [{ kind: "output", command: `permutation[j] = (offset + j × skip) mod ${M}`, text: perms.join("\n") }],
      view: { fields },
      key: { fields: key },
      rubric: { fields: Object.fromEntries(asked.map((_, slot) => [`slot-${slot}`, { why: claimOrder(slot), step: null }])) },
      misconceptions: [],
      hints: [
        "Go round the GFEs in order; each takes exactly one slot per turn.",
        "When a GFE's next preferred slot is taken, it moves along its own permutation to the next free one. The table is full after " + `${M} claims.`,
      ],
      explanation:
        `Round by round: ${asked.map((owner, slot) => `slot ${slot} → ${names[owner]}`).join(", ")}. ` +
        (gone === null
          ? `Because they take turns, the GFEs end with ${M % 3 === 0 ? M / 3 : `${Math.floor(M / 3)} or ${Math.ceil(M / 3)}`} slots each (⌊M/N⌋ or ⌈M/N⌉).`
          : `Compared with the full table (${table.map((o) => names[o]).join(" ")}), ${gone}'s slots went to the others; any other slot that changed moved because a survivor no longer lost a race to ${gone}.`),
      lab: labAt({ gfes: names, removed: gone === null ? [] : [gone], before: gone === null ? undefined : names, size: M }),
    };
  },
};
