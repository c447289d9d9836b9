import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_PROGRESS, recordAttempt, type Progress } from "../../src/quiz/progress";
import { recordReview } from "../../src/quiz/srs";
import {
  cardFromStored,
  cardKey,
  cardToStored,
  conceptMastery,
  dueCount,
  dueReviews,
  dueTemplates,
  endOfDay,
  FSRS_PARAMETERS,
  nextSeed,
  Rating,
  ratingForScore,
  scheduleCard,
  splitCardKey,
  State,
  type Card,
  type Grade,
} from "../../src/quiz/srs";
import { seededRandom } from "../../src/sim/random";

/** Property runs: modest here; CI raises them with PROPERTY_RUNS (its default 10 000 gives 100 here). */
const RUNS = Math.max(50, Math.floor(Number(process.env.PROPERTY_RUNS ?? 10_000) / 100));

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T09:00:00.000Z");

/** A card built by a history of (rating, hours since the previous review) from T0. */
const cardHistory = fc.array(fc.tuple(fc.constantFrom<Grade>(1, 2, 3, 4), fc.integer({ min: 0, max: 200 * 24 })), { minLength: 1, maxLength: 10 });
function replay(history: readonly (readonly [Grade, number])[]): Card {
  let card: Card | undefined;
  let t = T0;
  for (const [rating, hours] of history) {
    t += hours * 3_600_000;
    card = scheduleCard(card, rating, new Date(t));
  }
  return card!;
}

describe("ratings from auto-graded scores", () => {
  it("maps score, hints and reveal to FSRS ratings", () => {
    const none = { hints: 0, revealed: false };
    expect(ratingForScore(1, none)).toBe(Rating.Easy);
    expect(ratingForScore(0.9, none)).toBe(Rating.Good);
    expect(ratingForScore(0.8, none)).toBe(Rating.Good);
    expect(ratingForScore(0.79, none)).toBe(Rating.Hard);
    expect(ratingForScore(0.5, none)).toBe(Rating.Hard);
    expect(ratingForScore(0.49, none)).toBe(Rating.Again);
    expect(ratingForScore(0, none)).toBe(Rating.Again);
    expect(ratingForScore(Number.NaN, none)).toBe(Rating.Again);
  });

  it("lowers a step per hint but never turns a right answer into a lapse; a reveal is always Again", () => {
    expect(ratingForScore(1, { hints: 1, revealed: false })).toBe(Rating.Good);
    expect(ratingForScore(1, { hints: 2, revealed: false })).toBe(Rating.Hard);
    expect(ratingForScore(1, { hints: 9, revealed: false })).toBe(Rating.Hard);
    expect(ratingForScore(0.9, { hints: 1, revealed: false })).toBe(Rating.Hard);
    expect(ratingForScore(0.3, { hints: 1, revealed: false })).toBe(Rating.Again);
    expect(ratingForScore(1, { hints: 0, revealed: true })).toBe(Rating.Again);
  });

  it("passes an open question's self-rating through", () => {
    for (const selfRating of [1, 2, 3, 4] as const) {
      expect(ratingForScore(0, { hints: 3, revealed: true, selfRating })).toBe(selfRating);
    }
  });

  it("never rates better with more hints", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(5), fc.boolean(), (score, hints, revealed) => {
        expect(ratingForScore(score, { hints: hints + 1, revealed })).toBeLessThanOrEqual(ratingForScore(score, { hints, revealed }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("scheduling with fixed FSRS parameters", () => {
  it("schedules a first review by the pinned FSRS-6 weights, in whole days, without fuzz", () => {
    const now = new Date(T0);
    const days = ([1, 2, 3, 4] as const).map((r) => scheduleCard(undefined, r, now).scheduled_days);
    // Initial stabilities w0..w3 = 0.212, 1.2931, 2.3065, 8.2956 days, rounded, each at least one day more than the rating below.
    expect(days).toEqual([1, 2, 3, 8]);
    const good = scheduleCard(undefined, Rating.Good, now);
    expect(good.due.toISOString()).toBe("2026-03-04T09:00:00.000Z");
    expect(good.stability).toBe(FSRS_PARAMETERS.w[2]);
    expect(good.state).toBe(State.Review);
    expect(scheduleCard(undefined, Rating.Good, now)).toEqual(good);
  });

  it("caps intervals near a year", () => {
    let card: Card | undefined;
    let t = T0;
    for (let i = 0; i < 12; i++) {
      card = scheduleCard(card, Rating.Good, new Date(t));
      t = card.due.getTime();
    }
    // FSRS caps each rating's interval at 365 days, then ts-fsrs keeps every better rating at least a day
    // beyond the one below it: at the cap Hard is 365, Good 366 and Easy 367.
    expect(card!.scheduled_days).toBe(FSRS_PARAMETERS.maximum_interval + 1);
    expect(scheduleCard(card, Rating.Hard, card!.due).scheduled_days).toBe(FSRS_PARAMETERS.maximum_interval);
  });

  it("takes a review dated before the last one as made at the last one", () => {
    const card = scheduleCard(undefined, Rating.Good, new Date(T0));
    const earlier = scheduleCard(card, Rating.Good, new Date(T0 - DAY));
    expect(earlier.last_review!.getTime()).toBe(T0);
    expect(earlier.reps).toBe(2);
  });

  it("moves the due date later after Good or Easy and brings the interval in after Again", () => {
    fc.assert(
      fc.property(cardHistory, fc.integer({ min: 0, max: 60 * 24 }), (history, lateHours) => {
        const card = replay(history);
        const at = new Date(card.due.getTime() + lateHours * 3_600_000);
        const [again, hard, good, easy] = ([1, 2, 3, 4] as const).map((r) => scheduleCard(card, r, at));
        // Every rating schedules at least a day ahead, and a better rating always further.
        expect(again!.due.getTime()).toBeGreaterThanOrEqual(at.getTime() + DAY);
        expect(again!.due.getTime()).toBeLessThan(hard!.due.getTime());
        expect(hard!.due.getTime()).toBeLessThan(good!.due.getTime());
        expect(good!.due.getTime()).toBeLessThan(easy!.due.getTime());
        // Reviewed when due (or late): Good and Easy push the next review past the old due date and never
        // lower stability; Again never lengthens the interval or raises stability, and counts a lapse.
        for (const better of [good!, easy!]) {
          expect(better.due.getTime()).toBeGreaterThan(card.due.getTime());
          expect(better.stability).toBeGreaterThanOrEqual(card.stability);
        }
        expect(again!.scheduled_days).toBeLessThanOrEqual(card.scheduled_days);
        expect(again!.stability).toBeLessThanOrEqual(card.stability);
        expect(again!.lapses).toBe(card.lapses + 1);
      }),
      { numRuns: RUNS },
    );
  });

  it("stores cards as JSON and reads them back unchanged", () => {
    fc.assert(
      fc.property(cardHistory, (history) => {
        const card = replay(history);
        const stored = JSON.parse(JSON.stringify(cardToStored(card)));
        expect(cardFromStored(stored)).toEqual(card);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("card keys", () => {
  it("joins and splits template and concept", () => {
    expect(cardKey("double-anycast", "anycast")).toBe("double-anycast::anycast");
    expect(splitCardKey("double-anycast::anycast")).toEqual({ template: "double-anycast", concept: "anycast" });
    expect(splitCardKey("no-separator")).toBeNull();
  });
});

/** Progress with one card per (template, concept), due at the given times. */
function withDue(dues: Readonly<Record<string, string>>): Progress {
  const base = cardToStored(scheduleCard(undefined, Rating.Good, new Date(T0)));
  return { ...EMPTY_PROGRESS, cards: Object.fromEntries(Object.entries(dues).map(([key, due]) => [key, { ...base, due }])) };
}

describe("due today", () => {
  it("ends the day at the learner's midnight for a fixed offset", () => {
    // 23:30 UTC is already 00:30 on the 11th in Paris (UTC+1): that day ends at 22:59:59.999 UTC on the 11th.
    expect(endOfDay(new Date("2026-03-10T23:30:00Z"), { utcOffsetMinutes: 60 }).toISOString()).toBe("2026-03-11T22:59:59.999Z");
    expect(endOfDay(new Date("2026-03-10T22:30:00Z"), { utcOffsetMinutes: 60 }).toISOString()).toBe("2026-03-10T22:59:59.999Z");
    expect(endOfDay(new Date("2026-03-10T22:30:00Z"), { utcOffsetMinutes: 0 }).toISOString()).toBe("2026-03-10T23:59:59.999Z");
    expect(endOfDay(new Date("2026-03-10T03:00:00Z"), { utcOffsetMinutes: -300 }).toISOString()).toBe("2026-03-10T04:59:59.999Z");
  });

  it("uses the Date's own local day when no offset is given", () => {
    const now = new Date(2026, 2, 10, 15, 0);
    expect(endOfDay(now).getTime()).toBe(new Date(2026, 2, 11).getTime() - 1);
  });

  it("lists overdue cards and those due later today, most overdue first, and nothing from tomorrow", () => {
    const progress = withDue({
      "b::dns": "2026-03-10T20:00:00.000Z",
      "a::dns": "2026-03-08T09:00:00.000Z",
      "a::anycast": "2026-03-10T23:59:59.999Z",
      "c::gfe": "2026-03-11T00:00:00.000Z",
    });
    const now = new Date("2026-03-10T08:00:00Z");
    const options = { utcOffsetMinutes: 0 };
    expect(dueReviews(progress, now, options)).toEqual([
      { template: "a", concept: "dns", due: "2026-03-08T09:00:00.000Z" },
      { template: "b", concept: "dns", due: "2026-03-10T20:00:00.000Z" },
      { template: "a", concept: "anycast", due: "2026-03-10T23:59:59.999Z" },
    ]);
    expect(dueCount(progress, now, options)).toBe(3);
    expect(dueTemplates(progress, now, options)).toEqual(["a", "b"]);
    // An hour east, the card due at 00:00 UTC is due at 01:00 the next local day; the 23:59:59 UTC one is too.
    expect(dueCount(progress, now, { utcOffsetMinutes: 60 })).toBe(2);
    expect(dueCount(EMPTY_PROGRESS, now)).toBe(0);
  });

  it("never lists a card due after today, and misses none due by then", () => {
    const offset = fc.integer({ min: -12 * 60, max: 14 * 60 });
    const dues = fc.dictionary(
      fc.tuple(fc.constantFrom("t1", "t2", "t3"), fc.constantFrom("dns", "anycast", "gfe")).map(([t, c]) => `${t}::${c}`),
      fc.integer({ min: T0 - 30 * DAY, max: T0 + 30 * DAY }).map((ms) => new Date(ms).toISOString()),
    );
    fc.assert(
      fc.property(dues, fc.integer({ min: T0 - 10 * DAY, max: T0 + 10 * DAY }), offset, (d, nowMs, utcOffsetMinutes) => {
        const progress = withDue(d);
        const now = new Date(nowMs);
        const end = endOfDay(now, { utcOffsetMinutes });
        const listed = dueReviews(progress, now, { utcOffsetMinutes });
        for (const r of listed) expect(Date.parse(r.due)).toBeLessThanOrEqual(end.getTime());
        expect(listed).toHaveLength(Object.values(d).filter((due) => Date.parse(due) <= end.getTime()).length);
        // The end of the day is within the next 24 hours and is the local 23:59:59.999.
        expect(end.getTime()).toBeGreaterThanOrEqual(nowMs);
        expect(end.getTime() - nowMs).toBeLessThan(DAY);
        expect(new Date(end.getTime() + utcOffsetMinutes * 60_000 + 1).toISOString()).toMatch(/T00:00:00\.000Z$/);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("concept mastery", () => {
  it("averages FSRS retrievability per concept and lets it fade with time", () => {
    const at = "2026-03-01T09:00:00.000Z";
    let p = recordReview(EMPTY_PROGRESS, { template: "t1", seed: 1, score: 1, at, concepts: ["dns", "anycast"], hints: 0, revealed: false });
    p = recordReview(p, { template: "t2", seed: 5, score: 0, at, concepts: ["dns"], hints: 0, revealed: false });
    const fresh = conceptMastery(p, new Date(at));
    expect(fresh.dns).toEqual({ cards: 2, reviewed: 2, retrievability: 1 });
    expect(fresh.anycast!.cards).toBe(1);
    const later = conceptMastery(p, new Date(Date.parse(at) + 8 * DAY));
    // The Easy card (stability 8.3 days) is near the 90 % target after 8 days; the Again card has faded further.
    expect(later.anycast!.retrievability).toBeGreaterThan(0.89);
    expect(later.anycast!.retrievability).toBeLessThan(0.91);
    expect(later.dns!.retrievability).toBeLessThan(later.anycast!.retrievability);
    expect(later.dns!.retrievability).toBeGreaterThan(0);
    expect(conceptMastery(EMPTY_PROGRESS, new Date(at))).toEqual({});
  });
});

describe("fresh seeds", () => {
  it("never repeats a seed this template was attempted with", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 15 }), fc.nat(), (used, randomSeed) => {
        let p = EMPTY_PROGRESS;
        for (const seed of used) p = recordAttempt(p, "t", { seed, score: 1, at: "2026-03-01T00:00:00.000Z" });
        // A generator that only ever offers small numbers, mostly used ones.
        const next = seededRandom(randomSeed);
        const seed = nextSeed(p, "t", () => Math.floor(next() * 21) / 0x1_0000_0000);
        expect(used).not.toContain(seed);
        expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("is a function of the generator and the history", () => {
    const p = recordAttempt(EMPTY_PROGRESS, "t", { seed: 3, score: 1, at: "2026-03-01T00:00:00.000Z" });
    expect(nextSeed(p, "t", seededRandom(9))).toBe(nextSeed(p, "t", seededRandom(9)));
    expect(nextSeed(p, "t", () => 0)).toBe(0);
    expect(nextSeed(recordAttempt(p, "t", { seed: 0, score: 1, at: "x" }), "t", () => 0)).toBe(1);
  });

  it("prefers a seed whose variant the learner has not met", () => {
    const p = recordAttempt(EMPTY_PROGRESS, "t", { seed: 0, score: 1, at: "2026-03-01T00:00:00.000Z" });
    const draws = [2 / 0x1_0000_0000, 4 / 0x1_0000_0000, 7 / 0x1_0000_0000];
    let i = 0;
    const random = () => draws[i++ % draws.length]!;
    // Even seeds give the same variant as seed 0; the first odd draw wins.
    expect(nextSeed(p, "t", random, { variantKey: (s) => String(s % 2) })).toBe(7);
    // When every draw repeats a known variant, the first unused draw is taken.
    i = 0;
    expect(nextSeed(p, "t", random, { variantKey: () => "same", tries: 3 })).toBe(2);
  });
});
