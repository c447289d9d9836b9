import type { QuestionKind } from "../../quiz/engine/types";

/**
 * What the practice page knows about the bank before any question is opened: plain data read from the
 * templates when the site is built (`src/pages/practice/index.astro`), so the deck list, the counts and
 * the mock-interview set-up need neither the simulator nor the graders. Opening a question loads those.
 */
export interface QuestionEntry {
  /** The template's id: `?q=<id>&seed=<n>` opens one of its variants. */
  readonly id: string;
  readonly title: string;
  readonly kind: QuestionKind;
  /** The lesson's slug. */
  readonly lesson: string;
  /** Ids from `CONCEPTS`. */
  readonly concepts: readonly string[];
  /** Set for the source material's own interview questions. */
  readonly source?: string;
}

export interface Catalogue {
  readonly questions: readonly QuestionEntry[];
  /** The lessons in course order (only those with questions are offered as decks). */
  readonly lessons: readonly { readonly slug: string; readonly title: string; readonly number: number }[];
  /** Concept id → its label, for every concept some question is tagged with. */
  readonly concepts: Readonly<Record<string, string>>;
}

/** A deck: every question, a lesson's, a concept's, or the ones the schedule says are due. */
export type Deck =
  | { readonly type: "all" }
  | { readonly type: "lesson"; readonly slug: string }
  | { readonly type: "concept"; readonly id: string }
  | { readonly type: "due" };

/** How a question kind is named on the page. */
export const KIND_LABELS: Readonly<Record<QuestionKind, string>> = {
  "single-choice": "Single choice",
  "multiple-choice": "Multiple choice",
  ordering: "Put in order",
  "fill-in": "Fill in",
  numeric: "Numeric",
  "trace-builder": "Trace the path",
  "predict-header": "Predict the header",
  diagnosis: "Diagnosis",
  open: "Open answer",
};

/** A deck as the `deck` URL parameter spells it: `lesson:<slug>`, `concept:<id>`, `due`, `all`. */
export function deckParam(deck: Deck): string {
  switch (deck.type) {
    case "all":
    case "due":
      return deck.type;
    case "lesson":
      return `lesson:${deck.slug}`;
    case "concept":
      return `concept:${deck.id}`;
  }
}

/** A link to a deck on the practice page: `?deck=lesson%3A<slug>`. */
export const deckHref = (deck: Deck): string => `?deck=${encodeURIComponent(deckParam(deck))}`;

/**
 * Reads the `deck` URL parameter.
 *
 * @returns the deck, or an error message naming what was wrong (an unknown lesson or concept)
 * @example parseDeck("lesson:life-of-a-packet", catalogue) // { ok: true, deck: { type: "lesson", slug: "life-of-a-packet" } }
 */
export function parseDeck(text: string, catalogue: Catalogue): { ok: true; deck: Deck } | { ok: false; message: string } {
  if (text === "all" || text === "due") return { ok: true, deck: { type: text } };
  const [type, ...rest] = text.split(":");
  const value = rest.join(":");
  if (type === "lesson") {
    if (catalogue.questions.some((q) => q.lesson === value)) return { ok: true, deck: { type: "lesson", slug: value } };
    return { ok: false, message: `There is no deck for the lesson “${value}”: no question belongs to it. Choose a deck below.` };
  }
  if (type === "concept") {
    if (catalogue.questions.some((q) => q.concepts.includes(value))) return { ok: true, deck: { type: "concept", id: value } };
    return { ok: false, message: `There is no deck for the concept “${value}”: no question is tagged with it. Choose a deck below.` };
  }
  return { ok: false, message: `“${text}” is not a deck. A deck is “lesson:” or “concept:” followed by a name, “due” or “all”. Choose one below.` };
}

/** The deck's title as the page shows it. */
export function deckTitle(deck: Deck, catalogue: Catalogue): string {
  switch (deck.type) {
    case "all":
      return "Every question";
    case "due":
      return "Due today";
    case "lesson":
      return `Lesson: ${catalogue.lessons.find((l) => l.slug === deck.slug)?.title ?? deck.slug}`;
    case "concept":
      return `Concept: ${catalogue.concepts[deck.id] ?? deck.id}`;
  }
}

/**
 * The questions of a deck, in the bank's order; for "due", the due templates in the order the schedule
 * gives them (most overdue first), each once.
 */
export function deckQuestions(deck: Deck, catalogue: Catalogue, due: readonly { readonly template: string }[]): QuestionEntry[] {
  switch (deck.type) {
    case "all":
      return [...catalogue.questions];
    case "lesson":
      return catalogue.questions.filter((q) => q.lesson === deck.slug);
    case "concept":
      return catalogue.questions.filter((q) => q.concepts.includes(deck.id));
    case "due": {
      const ids = [...new Set(due.map((d) => d.template))];
      return ids.flatMap((id) => catalogue.questions.filter((q) => q.id === id));
    }
  }
}

/** The largest seed a link may carry: seeds are unsigned 32-bit integers, as `seededRandom` takes them. */
export const MAX_SEED = 2 ** 32 - 1;

/**
 * Reads `?q=<template>&seed=<n>`: a known template and a whole-number seed, or the message to show.
 * Without a seed the page draws a fresh one (null here), as it does for any review.
 */
export function parseVariantParams(
  q: string,
  seed: string | null,
  catalogue: Catalogue,
): { ok: true; template: QuestionEntry; seed: number | null } | { ok: false; message: string } {
  const template = catalogue.questions.find((t) => t.id === q);
  if (!template) return { ok: false, message: `There is no question “${q}” in the bank; it may have been renamed or removed. Choose a deck below.` };
  if (seed === null || seed === "") return { ok: true, template, seed: null };
  if (!/^\d+$/.test(seed) || Number(seed) > MAX_SEED) {
    return { ok: false, message: `“${seed}” is not a variant number: a seed is a whole number from 0 to ${MAX_SEED}. Opening “${template.title}” needs a valid one.` };
  }
  return { ok: true, template, seed: Number(seed) };
}

/** The link that opens exactly this variant (relative to the practice page). */
export const variantSearch = (template: string, seed: number) => `?${new URLSearchParams({ q: template, seed: String(seed) })}`;

/** `n` items drawn without replacement, in random order. */
export function draw<T>(items: readonly T[], n: number, random: () => number): T[] {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
