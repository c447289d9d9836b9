import { measureDisruption } from "../../../sim/edge/maglev-disruption";
import { sampleFlows } from "../../../sim/edge/maglev-flows";
import type { HashingScheme } from "../../../sim/edge/maglev-schemes";
import { seededRandom } from "../../../sim/random";
import type { MisconceptionAnswer, Template } from "../../engine/types";
import { labAt, LESSON, percent } from "./shared";
import { pick } from "../draw";

/**
 * Measured disruption (NSDI 2016 §3.4, §5.3): one GFE leaves or joins; of 1,000 seeded flows, what share
 * change GFE under the scheme asked about? The key is `measureDisruption` on those flows; the wrong
 * models' answers are the same measurement under the scheme the misconception confuses it with.
 */
const ID = "maglev-flows-moved";
const FLOWS = 1000;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { scheme: "modulo", gfes: 5, change: "leave", which: 2, size: 65537 };
  const random = seededRandom(seed);
  const gfes = pick(random, [3, 4, 5, 6, 8, 10]);
  const change = pick(random, ["leave", "leave", "join"]);
  const scheme = pick(random, ["maglev", "modulo"]);
  const which = change === "leave" ? 1 + Math.floor(random() * gfes) : gfes + 1;
  const size = pick(random, [65537, 65537, 251]);
  // Hash mod N has no table: its size is not a parameter of the question.
  return { scheme, gfes, change, which, size: scheme === "maglev" ? size : 0 };
}

const NAME: Record<HashingScheme, string> = { maglev: "Maglev hashing", modulo: "hash mod N", rendezvous: "rendezvous hashing" };

export const maglevFlowsMoved: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "Maglev vs hash mod N: how many flows move",
  lesson: LESSON,
  concepts: ["consistent-hashing", "l4-load-balancing"],
  file: "src/quiz/bank/maglev/maglev-flows-moved.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const scheme = p.scheme as "maglev" | "modulo";
    const n = p.gfes as number;
    const size = (p.size as number) || 65537;
    const names = Array.from({ length: n }, (_, i) => `gfe-${i + 1}`);
    const changed = `gfe-${p.which}`;
    const leaving = p.change === "leave";
    const after = leaving ? names.filter((g) => g !== changed) : [...names, changed];
    const flows = sampleFlows(seed + 1, FLOWS);
    const [asked, other, minimal] = measureDisruption({ before: names, after, flows, tableSize: size, schemes: [scheme, scheme === "maglev" ? "modulo" : "maglev", "rendezvous"] });
    const value = percent(asked!.movedShare);
    const tableWords = scheme === "maglev" ? ` with a lookup table of ${size.toLocaleString("en-US")} slots` : "";
    const event = leaving ? `${changed} is removed` : `a new GFE, ${changed}, is added at the end of the list`;
    // The wrong models: hash mod N believed to move only what must move (rendezvous, the minimum), and
    // Maglev believed to reshuffle like hash mod N.
    const wrong: MisconceptionAnswer<"numeric">[] = [];
    const believed = scheme === "modulo" ? { id: "modulo-is-consistent", share: minimal!.movedShare } : { id: "maglev-is-modulo", share: other!.movedShare };
    if (Math.abs(percent(believed.share) - value) > 3) wrong.push({ misconception: believed.id, answer: { value: percent(believed.share) } });
    return {
      template: ID,
      kind: "numeric",
      seed,
      title: this.title,
      prompt:
        `A layer-4 balancer spreads TCP flows over ${n} GFEs (${names.join(", ")}) using ${NAME[scheme]}${tableWords}. ` +
        `Then ${event}, and the balancer maps flows over the ${after.length} GFEs in the new list. ` +
        `Of ${FLOWS.toLocaleString("en-US")} established flows with uniformly spread hashes, what percentage now map to a different GFE than before?`,
      exhibits: [{ kind: "text", text: `GFEs before: ${names.join(", ")}\nGFEs after:  ${after.join(", ")}` }],
      view: { unit: "percent", label: "Share of flows that change GFE" },
      key: { value },
      rubric: {
        value,
        unit: "percent",
        absolute: 3,
        relative: 0,
        why: {
          why:
            `Measured on the same ${FLOWS} flows: ${NAME[scheme]} moves ${asked!.moved} (${value}%), of which ${asked!.forced} had to move ` +
            `(${leaving ? `they were on ${changed}` : `${changed} takes its share`}) and ${asked!.needless} moved needlessly. ` +
            `For comparison ${NAME[other!.scheme]} moves ${percent(other!.movedShare)}% and rendezvous hashing, the minimum, ${percent(minimal!.movedShare)}%.`,
          step: null,
        },
      },
      misconceptions: wrong,
      hints: [
        leaving ? `The flows that were on ${changed} must go somewhere. What decides whether the others stay?` : `${changed} must take some flows from the others. Does anything else need to change?`,
        scheme === "modulo"
          ? `For a flow to stay, h mod ${n} must name the same GFE as h mod ${after.length}. How often does that happen for a random h?`
          : "Each GFE's permutation of the table depends only on its own name. What happens to the survivors' claims?",
      ],
      explanation:
        scheme === "modulo"
          ? `With hash mod N the remainder itself changes when N goes from ${n} to ${after.length}, and the list is renumbered, so a flow keeps its GFE only by coincidence: ${value}% of flows move, ` +
            `although only ${percent(asked!.forcedShare)}% had to. That is why balancers in front of stateful backends use consistent hashing: Maglev would move ${percent(other!.movedShare)}% here.`
          : `Maglev's survivors keep walking the same permutations, so they claim nearly the same slots: ${value}% of flows move, ${percent(asked!.forcedShare)}% because they had to and ` +
            `${percent(asked!.needlessShare)}% needlessly${size < 1000 ? " (more than in a 65,537-slot table: a small table has fewer slots to keep the claims apart)" : ""}. Hash mod N would move ${percent(other!.movedShare)}%.`,
      // The same 1,000 flows (seed + 1); the lab's table is at most 97 slots, so only hash mod N's share is the same there.
      lab: leaving
        ? labAt({ gfes: names, removed: [changed], before: names, seed: seed + 1 })
        : labAt({ gfes: after, before: names, seed: seed + 1 }),
    };
  },
};
