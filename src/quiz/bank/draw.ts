import { seededRandom } from "../../sim/random";
import type { Choice } from "../engine/types";

/**
 * The seeded draws every area's templates make: one of a list, one by weight, a shuffle, and the
 * generator that orders a variant's options. A template draws its parameters from `seededRandom(seed)`
 * and orders its options from a second generator (`orderRandom`), so adding an option never changes
 * which parameters a seed picks. A variant is a pure function of its seed, so each helper consumes
 * exactly the draws it always has: changing one changes every variant built on it.
 */

/**
 * One of `items`, drawn with `random` (one draw).
 * @throws Error on an empty list (a template bug)
 * @example pick(seededRandom(0), ["paris", "tokyo"]) // one of the two, the same for seed 0 every time
 */
export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from an empty list");
  return items[Math.floor(random() * items.length)]!;
}

/**
 * One of `items`, each as likely as its weight (one draw).
 * @example pickWeighted(random, [["on", 3], ["off", 1]]) // "on" three times as often as "off"
 */
export function pickWeighted<T>(random: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let at = random() * total;
  for (const [item, weight] of items) {
    at -= weight;
    if (at < 0) return item;
  }
  return items.at(-1)![0];
}

/** A Fisher–Yates shuffle driven by `random` (a copy; the input is left alone; length − 1 draws). */
export function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** FNV-1a (32-bit) of a template id: a per-template salt for the option-order generator. */
function templateSalt(templateId: string): number {
  let h = 2166136261;
  for (const c of templateId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * The generator that orders a variant's options: separate from the one that draws its parameters,
 * and different per template, so two templates with the same seed do not shuffle alike. The seed is
 * spread by Knuth's multiplicative hash before it meets the template's salt.
 */
export function orderRandom(seed: number, templateId: string): () => number {
  return seededRandom((templateSalt(templateId) ^ Math.imul(seed >>> 0, 2654435761)) >>> 0);
}

/**
 * `orderRandom`'s older form, which xors the seed into the salt unspread. The BGP and Maglev templates
 * were written against it; it stays so their variants keep the option order each seed always had.
 */
export function orderRandomXor(seed: number, templateId: string): () => number {
  return seededRandom((seed ^ templateSalt(templateId)) >>> 0);
}

/**
 * Options in a seeded order, checked to have distinct ids and texts.
 * @throws Error when two options share an id or a text (a template bug the bank's tests catch)
 */
export function orderedChoices(random: () => number, choices: readonly Choice[]): Choice[] {
  const ids = new Set(choices.map((c) => c.id));
  const texts = new Set(choices.map((c) => c.text));
  if (ids.size !== choices.length || texts.size !== choices.length) {
    throw new Error(`options repeat an id or a text: ${JSON.stringify(choices)}`);
  }
  return shuffle(random, choices);
}
