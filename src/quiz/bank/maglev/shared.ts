import { seededRandom } from "../../../sim/random";
import type { LabLink } from "../../engine/types";

/** What the Maglev templates share: their lesson, its lab, seeded picks and option order. */
export const LESSON = "maglev-and-the-gfe";
export const LAB: LabLink = { page: "/lessons/maglev-and-the-gfe/", lab: "maglev", query: {} };

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A generator for option order, separate from the parameters' so adding an option never changes a seed's parameters. */
export function orderRandom(seed: number, templateId: string): () => number {
  let h = 0x811c9dc5;
  for (const c of templateId) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return seededRandom((seed ^ h) >>> 0);
}

export function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const percent = (share: number) => Math.round(share * 1000) / 10;

/** "gfe-1, gfe-2 and gfe-3" */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
