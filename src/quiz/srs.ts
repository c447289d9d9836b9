import { createEmptyCard, fsrs, Rating, State, type Card, type Grade } from "ts-fsrs";
import { recordAttempt, type Attempt, type Progress, type StoredCard } from "./progress";

/**
 * Spaced repetition over concept × template, with FSRS (ts-fsrs, the FSRS-6 model). One card per
 * `template::concept` pair: a question that drills three concepts schedules three cards, so a concept
 * met in several templates keeps a separate memory of each way it is asked. Every review draws a fresh
 * seed (`nextSeed`), so what is remembered is the idea, not one variant's answer.
 *
 * Everything here is a pure function of its arguments: the caller passes `now`, and no fuzz is applied,
 * so the same history always gives the same schedule (and tests can pin dates).
 */

export { Rating, State };
export type { Card, Grade };

/**
 * The fixed scheduler parameters.
 * - `w`: FSRS-6's published defaults (fitted by the FSRS authors on a large corpus of Anki reviews), copied
 *   here so that upgrading ts-fsrs can never move a learner's due dates behind their back.
 * - `request_retention` 0.9: schedule each card for when the chance of recalling it has fallen to 90 %
 *   (FSRS's usual target; with it, the interval in days equals the card's stability).
 * - `maximum_interval` 365 days: an interview topic should come back about once a year at least. (ts-fsrs
 *   caps each rating's interval, then keeps every better rating a day beyond the one below, so at the cap
 *   Good lands at 366 days and Easy at 367.)
 * - `enable_short_term` false, no learning steps: a review here is a whole question with a new variant and
 *   takes minutes, so minute-scale re-drilling inside one sitting would mostly measure what the learner has
 *   just read in the explanation. Every rating, Again included, schedules whole days (at least one).
 * - `enable_fuzz` false: no randomness, so a schedule is reproducible.
 */
export const FSRS_PARAMETERS = {
  w: [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
    1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
  ],
  request_retention: 0.9,
  maximum_interval: 365,
  enable_short_term: false,
  learning_steps: [],
  relearning_steps: [],
  enable_fuzz: false,
} as const;

const scheduler = fsrs({
  ...FSRS_PARAMETERS,
  w: [...FSRS_PARAMETERS.w],
  learning_steps: [],
  relearning_steps: [],
});

/** How a review went, beyond the score of the first graded check. */
export interface ReviewEffort {
  /** Hints shown before or during the attempt. */
  readonly hints: number;
  /** Whether the key was revealed. */
  readonly revealed: boolean;
  /** For open questions, which are not auto-graded: the learner's own rating, used as given. */
  readonly selfRating?: Grade | undefined;
}

/**
 * The FSRS rating for an auto-graded review (`score` is the first graded check's, 0 to 1).
 *
 * - A self-rating (open questions) passes through unchanged: the learner judged their own answer
 *   against the model answer, and nothing here knows better.
 * - Revealed → Again: the learner saw the key, so whatever they do next is not recall.
 * - score < 0.5 → Again: most of the answer was wrong; FSRS treats Again as a lapse, which is what it was.
 * - 0.5 ≤ score < 0.8 → Hard: recalled, but with real gaps.
 * - 0.8 ≤ score < 1 → Good: essentially right, a detail missed.
 * - score = 1 → Easy: full marks on the first check. FSRS means Easy for effortless recall; an auto-grader
 *   cannot see effort, and full marks on an unseen variant at the first try is the strongest evidence it has.
 * - Each hint lowers that by one step, but never below Hard: an answer that was right after a nudge is
 *   effortful recall, not a lapse.
 *
 * @example ratingForScore(1, { hints: 0, revealed: false }) // Rating.Easy
 * @example ratingForScore(1, { hints: 1, revealed: false }) // Rating.Good
 * @example ratingForScore(0.6, { hints: 3, revealed: false }) // Rating.Hard
 */
export function ratingForScore(score: number, effort: ReviewEffort): Grade {
  if (effort.selfRating !== undefined) return effort.selfRating;
  if (effort.revealed || !(score >= 0.5)) return Rating.Again;
  const base: Grade = score >= 1 ? Rating.Easy : score >= 0.8 ? Rating.Good : Rating.Hard;
  const hints = Math.max(0, Math.floor(effort.hints));
  return Math.max(Rating.Hard, base - hints) as Grade;
}

/**
 * The card after one review at `now`. A card that does not exist yet starts empty (FSRS's "new" state)
 * at `now`. A review time earlier than the card's last review (a clock that moved back, another tab) is
 * taken as the last review's time, since FSRS cannot go back in time.
 */
export function scheduleCard(card: Card | undefined, rating: Grade, now: Date): Card {
  const current: Card = card ?? createEmptyCard<Card>(now);
  const at = current.last_review && current.last_review.getTime() > now.getTime() ? current.last_review : now;
  return scheduler.next(current, at, rating).card;
}

/** The key of a card: `<templateId>::<conceptId>`. */
export function cardKey(template: string, concept: string): string {
  return `${template}::${concept}`;
}

/** A card key's template and concept, or null for a key without `::`. */
export function splitCardKey(key: string): { template: string; concept: string } | null {
  const at = key.indexOf("::");
  if (at < 0) return null;
  return { template: key.slice(0, at), concept: key.slice(at + 2) };
}

/** A stored card (dates as ISO strings) as ts-fsrs reads it. */
export function cardFromStored(stored: StoredCard): Card {
  const card: Card = {
    due: new Date(stored.due),
    stability: stored.stability,
    difficulty: stored.difficulty,
    elapsed_days: stored.elapsed_days,
    scheduled_days: stored.scheduled_days,
    learning_steps: stored.learning_steps,
    reps: stored.reps,
    lapses: stored.lapses,
    state: stored.state as State,
  };
  if (stored.last_review !== undefined) card.last_review = new Date(stored.last_review);
  return card;
}

/** A ts-fsrs card as it is stored (JSON: dates as ISO strings). */
export function cardToStored(card: Card): StoredCard {
  const stored: StoredCard = {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
  };
  if (card.last_review) stored.last_review = card.last_review.toISOString();
  return stored;
}

/**
 * Where the learner's day ends. Without `utcOffsetMinutes`, the Date's own local day (the runtime's time
 * zone: in a browser, the learner's), which is exact on the days clocks change. With it, a fixed offset
 * from UTC in minutes east (CET is 60, New York in winter −300), for servers and tests.
 */
export interface DayOptions {
  readonly utcOffsetMinutes?: number;
}

/** The last millisecond of `now`'s day. */
export function endOfDay(now: Date, options: DayOptions = {}): Date {
  if (options.utcOffsetMinutes === undefined) {
    return new Date(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime() - 1);
  }
  const shift = options.utcOffsetMinutes * 60_000;
  const local = new Date(now.getTime() + shift);
  const nextMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  return new Date(nextMidnight - shift - 1);
}

export interface DueReview {
  readonly template: string;
  readonly concept: string;
  /** ISO time the card fell due (in the past, or later today). */
  readonly due: string;
}

/**
 * The cards due by the end of `now`'s day (overdue ones included), most overdue first. A card whose
 * `due` is tomorrow is never listed, even a minute after midnight.
 */
export function dueReviews(progress: Progress, now: Date, options: DayOptions = {}): DueReview[] {
  const end = endOfDay(now, options).getTime();
  const due: DueReview[] = [];
  for (const [key, card] of Object.entries(progress.cards)) {
    const parts = splitCardKey(key);
    if (parts === null || !(Date.parse(card.due) <= end)) continue;
    due.push({ ...parts, due: card.due });
  }
  return due.sort(
    (a, b) => Date.parse(a.due) - Date.parse(b.due) || a.template.localeCompare(b.template) || a.concept.localeCompare(b.concept),
  );
}

/** How many cards are due today (the number on the course home). */
export function dueCount(progress: Progress, now: Date, options: DayOptions = {}): number {
  return dueReviews(progress, now, options).length;
}

/** Templates with at least one card due today, each once, in `dueReviews` order: what to practise next. */
export function dueTemplates(progress: Progress, now: Date, options: DayOptions = {}): string[] {
  return [...new Set(dueReviews(progress, now, options).map((r) => r.template))];
}

export interface ConceptMastery {
  /** Cards for this concept (one per template that drills it and has been reviewed or seeded). */
  readonly cards: number;
  /** Of those, the ones reviewed at least once. */
  readonly reviewed: number;
  /** Mean FSRS retrievability at `now` over the cards (an unreviewed card counts 0), 0 to 1. */
  readonly retrievability: number;
}

/**
 * Per concept, how well it is likely to be recalled now: FSRS's retrievability (the modelled chance of
 * recall given the card's stability and the days since its last review), averaged over its cards.
 */
export function conceptMastery(progress: Progress, now: Date): Record<string, ConceptMastery> {
  const sums: Record<string, { cards: number; reviewed: number; total: number }> = {};
  for (const [key, stored] of Object.entries(progress.cards)) {
    const parts = splitCardKey(key);
    if (parts === null) continue;
    const card = cardFromStored(stored);
    const entry = (sums[parts.concept] ??= { cards: 0, reviewed: 0, total: 0 });
    entry.cards += 1;
    if (card.state === State.New || card.last_review === undefined) continue;
    entry.reviewed += 1;
    // A review stamped after `now` (a clock that moved back) counts as just reviewed.
    const at = card.last_review.getTime() > now.getTime() ? card.last_review : now;
    entry.total += scheduler.get_retrievability(card, at, false);
  }
  return Object.fromEntries(
    Object.entries(sums).map(([concept, s]) => [concept, { cards: s.cards, reviewed: s.reviewed, retrievability: s.cards ? s.total / s.cards : 0 }]),
  );
}

/** Seeds are whole numbers from 0 to 2^32 − 1, as `parseSeed` accepts. */
const SEED_LIMIT = 0x1_0000_0000;

export interface SeedOptions {
  /**
   * What makes two seeds the same question (a template's `params(seed)`, serialised). When given, a seed
   * whose variant the learner has not met is preferred; only when every draw repeats a variant met before
   * does an unused seed with a familiar variant do.
   */
  readonly variantKey?: (seed: number) => string;
  /** How many draws to try before settling (default 64). */
  readonly tries?: number;
}

/**
 * A seed this template has not been attempted with: a fresh variant at every review, so an answer
 * cannot be remembered from last time. `random` returns numbers in [0, 1) (`Math.random`, or a seeded
 * generator in tests); the result is a function of it and the stored attempts.
 *
 * @example nextSeed(progress, "double-anycast", seededRandom(7))
 */
export function nextSeed(progress: Progress, template: string, random: () => number, options: SeedOptions = {}): number {
  const attempts = progress.questions[template]?.attempts ?? [];
  const used = new Set(attempts.map((a) => a.seed));
  const seen = options.variantKey ? new Set([...used].map(options.variantKey)) : null;
  const tries = Math.max(1, options.tries ?? 64);
  let fallback: number | null = null;
  for (let i = 0; i < tries; i++) {
    const seed = Math.min(SEED_LIMIT - 1, Math.floor(random() * SEED_LIMIT));
    if (used.has(seed)) continue;
    if (seen === null || !seen.has(options.variantKey!(seed))) return seed;
    fallback ??= seed;
  }
  if (fallback !== null) return fallback;
  // `random` kept returning used seeds: take the smallest unused one, which always exists.
  let seed = 0;
  while (used.has(seed)) seed++;
  return seed;
}

// Recording a review lives here, beside the scheduler, so that `progress.ts` — which the lessons' own
// question reads and writes — does not pull ts-fsrs into every lesson page.

export interface Review {
  readonly template: string;
  readonly seed: number;
  /** Score of the first graded check, 0 to 1 (0 when the learner revealed or moved on before checking). */
  readonly score: number;
  /** ISO time of the review; also the time the cards are scheduled from. */
  readonly at: string;
  /** The template's concepts: one card each. */
  readonly concepts: readonly string[];
  readonly hints: number;
  readonly revealed: boolean;
  /** Open questions: the learner's own rating, used instead of one derived from the score. */
  readonly selfRating?: Grade | undefined;
}

/**
 * Records a review: the attempt (as `recordAttempt`), and one FSRS card per concept scheduled from it,
 * rated by `ratingForScore`. Throws a RangeError for an `at` that is not a time or a seed that is not a
 * whole number (a caller's mistake); a score outside 0–1 is clamped and hints are counted in whole numbers.
 *
 * @example recordReview(progress, { template: "double-anycast", seed: 7, score: 1, at: new Date().toISOString(),
 *   concepts: ["anycast", "dns"], hints: 0, revealed: false })
 */
export function recordReview(progress: Progress, review: Review): Progress {
  const now = new Date(review.at);
  if (Number.isNaN(now.getTime())) throw new RangeError(`recordReview: "${review.at}" is not a time`);
  if (!Number.isInteger(review.seed) || review.seed < 0) throw new RangeError(`recordReview: seed ${review.seed} is not a whole number ≥ 0`);
  // Kept within the schema, so a caller's odd number can never make the stored record unreadable.
  const score = Number.isFinite(review.score) ? Math.min(1, Math.max(0, review.score)) : 0;
  const hints = Number.isFinite(review.hints) ? Math.max(0, Math.floor(review.hints)) : 0;
  const rating = ratingForScore(score, { hints, revealed: review.revealed, selfRating: review.selfRating });
  const attempt: Attempt = { seed: review.seed, score, at: review.at, hints, revealed: review.revealed, rating };
  const next = recordAttempt(progress, review.template, attempt);
  const cards = { ...next.cards };
  for (const concept of new Set(review.concepts)) {
    const key = cardKey(review.template, concept);
    const card = cards[key];
    cards[key] = cardToStored(scheduleCard(card ? cardFromStored(card) : undefined, rating, now));
  }
  return { ...next, cards };
}

/**
 * Creates the cards of templates that have attempts but no card for some concept, by replaying their
 * dated attempts in time order (each rated as `recordReview` would: the stored rating if any, else from
 * score, hints and reveal). Meant for records migrated from version 1, whose attempts predate cards.
 * Existing cards are left alone; attempts without a readable time are skipped.
 */
export function seedCardsFromAttempts(progress: Progress, conceptsOf: (template: string) => readonly string[] | null): Progress {
  const cards = { ...progress.cards };
  for (const [template, { attempts }] of Object.entries(progress.questions)) {
    const concepts = [...new Set(conceptsOf(template) ?? [])].filter((c) => cards[cardKey(template, c)] === undefined);
    if (concepts.length === 0) continue;
    const dated = attempts
      .map((a) => ({ a, t: Date.parse(a.at) }))
      .filter((x) => !Number.isNaN(x.t))
      .sort((x, y) => x.t - y.t);
    if (dated.length === 0) continue;
    for (const concept of concepts) {
      let card: ReturnType<typeof scheduleCard> | undefined;
      for (const { a, t } of dated) {
        const rating = (a.rating as Grade | undefined) ?? ratingForScore(a.score, { hints: a.hints ?? 0, revealed: a.revealed ?? false });
        card = scheduleCard(card, rating, new Date(t));
      }
      cards[cardKey(template, concept)] = cardToStored(card!);
    }
  }
  return { ...progress, cards };
}
