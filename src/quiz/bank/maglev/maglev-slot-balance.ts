import { maglevTable } from "../../../sim/edge/maglev";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { labAt, LESSON } from "./shared";
import { pick } from "../draw";

/**
 * Maglev's balance (NSDI 2016 §3.4): N backends in an M-slot table own ⌊M/N⌋ or ⌈M/N⌉ slots each.
 * The key is read off the table `maglevTable` builds for those names: the fewest, the most, and how
 * many backends own the most.
 */
const ID = "maglev-slot-balance";

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { size: 65537, backends: 1000 };
  const random = seededRandom(seed);
  const size = pick(random, [65537, 65537, 4099, 1009, 251]);
  const backends = pick(random, [3, 7, 12, 40, 100, 300, 1000]);
  // A table must be larger than its backend list (the paper keeps M ≫ N); too small a pick falls back to 65,537.
  return { size: 2 * backends > size ? 65537 : size, backends };
}

export const maglevSlotBalance: Template<"fill-in"> = {
  id: ID,
  kind: "fill-in",
  title: "How evenly Maglev spreads table slots",
  lesson: LESSON,
  concepts: ["consistent-hashing", "l4-load-balancing"],
  file: "src/quiz/bank/maglev/maglev-slot-balance.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const size = p.size as number;
    const n = p.backends as number;
    const names = Array.from({ length: n }, (_, i) => `gfe-${i}`);
    const counts = maglevTable(names, size).slotCounts;
    const fewest = Math.min(...counts);
    const most = Math.max(...counts);
    const owners = counts.filter((c) => c === most).length;
    const fields = [
      { id: "fewest", label: "Fewest slots any GFE owns", type: "text" as const, placeholder: "123" },
      { id: "most", label: "Most slots any GFE owns", type: "text" as const, placeholder: "124" },
      { id: "owners", label: "How many GFEs own that most", type: "text" as const, placeholder: "10" },
    ];
    const even = fewest === most;
    return {
      template: ID,
      kind: "fill-in",
      seed,
      title: this.title,
      prompt:
        `Maglev builds a lookup table of ${size.toLocaleString("en-US")} slots for ${n.toLocaleString("en-US")} GFEs (gfe-0 … gfe-${n - 1}, all equal weight). ` +
        "Once the table is full, what is the fewest slots any GFE owns, the most, and how many GFEs own that most?",
      exhibits: [],
      view: { fields },
      key: { fields: { fewest: String(fewest), most: String(most), owners: String(owners) } },
      rubric: {
        fields: {
          fewest: { why: `The GFEs take one slot per turn, so after ⌊M/N⌋ = ${Math.floor(size / n)} full rounds every GFE has ${fewest}.`, step: null },
          most: { why: even ? `${n} divides ${size} exactly, so every GFE owns ${most}.` : `The last, partial round gives ${size % n} GFEs one more slot: ⌈M/N⌉ = ${most}.`, step: null },
          owners: { why: even ? `All ${n} own the same number.` : `M mod N = ${size} mod ${n} = ${size % n}: the first ${owners} GFEs in visiting order fill the last partial round.`, step: null },
        },
      },
      misconceptions: [],
      hints: ["The GFEs take turns, one slot each per turn, until the table is full.", "How many complete rounds fit in the table, and how many slots are left over for a last round?"],
      explanation:
        `Maglev fills the table in rounds: each GFE claims one free slot per turn. ${Math.floor(size / n)} full rounds use ${(Math.floor(size / n) * n).toLocaleString("en-US")} slots, ` +
        `and the remaining ${size % n} go to the first ${size % n} GFEs of a last round. So shares differ by at most one slot` +
        `${size >= 100 * n ? `, under 1% of a GFE's share because M > 100 × N` : `, which here is ${((100 * (most - fewest)) / (size / n)).toFixed(1)}% of a GFE's share: the paper keeps M above 100 × N to stay under 1%`}.`,
      // The lab holds up to 8 GFEs in up to 97 slots: it shows the same rounds on a smaller table.
      lab: labAt({ gfes: names }),
    };
  },
};
