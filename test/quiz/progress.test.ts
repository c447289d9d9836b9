import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EMPTY_PROGRESS,
  EXPORT_FORMAT,
  exportProgress,
  importProgress,
  loadProgress,
  MAX_ATTEMPTS,
  mergeProgress,
  PROGRESS_KEY,
  recordAttempt,
  recordLabStepped,
  recordLessonRead,
  unreadableKey,
  type Progress,
} from "../../src/quiz/progress";
import { cardKey, dueCount, Rating, recordReview, seedCardsFromAttempts } from "../../src/quiz/srs";

/** Property runs: modest here; CI raises them with PROPERTY_RUNS (its default 10 000 gives 100 here). */
const RUNS = Math.max(50, Math.floor(Number(process.env.PROPERTY_RUNS ?? 10_000) / 100));

const T0 = Date.parse("2026-03-01T09:00:00.000Z");
const HOUR = 3_600_000;

const templateId = fc.constantFrom("trace-the-request", "double-anycast", "nodeport-snat", "q");
const concept = fc.constantFrom("dns", "anycast", "dnat", "conntrack", "gfe");
const isoTime = fc.integer({ min: T0 - 400 * 24 * HOUR, max: T0 + 400 * 24 * HOUR }).map((ms) => new Date(ms).toISOString());

/** What release 1 wrote: any attempts, times in any text (its schema took any string). */
const v1Record = fc.record({
  version: fc.constant(1 as const),
  questions: fc.dictionary(
    templateId,
    fc.record({
      attempts: fc.array(
        fc.record({ seed: fc.nat(), score: fc.double({ min: 0, max: 1, noNaN: true }), at: fc.oneof(isoTime, fc.string()) }),
        { maxLength: 60 },
      ),
    }),
  ),
});

/** Version-2 progress as the practice page builds it: reviews in time order, plus labs and lessons. */
const review = fc.record({
  template: templateId,
  seed: fc.nat(),
  score: fc.double({ min: 0, max: 1, noNaN: true }),
  gapHours: fc.nat(30 * 24),
  concepts: fc.uniqueArray(concept, { minLength: 1, maxLength: 3 }),
  hints: fc.nat(3),
  revealed: fc.boolean(),
  selfRating: fc.option(fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>, { nil: undefined }),
});
const v2Progress = fc
  .tuple(
    fc.array(review, { maxLength: 12 }),
    fc.option(fc.dictionary(fc.constantFrom("/lessons/a/#journey", "/lessons/b/#nat"), fc.nat(40)), { nil: undefined }),
    fc.option(fc.dictionary(fc.constantFrom("life-of-a-packet", "nodeport"), isoTime), { nil: undefined }),
  )
  .map(([reviews, labs, lessons]) => {
    let p: Progress = EMPTY_PROGRESS;
    let t = T0;
    for (const { gapHours, ...r } of reviews) {
      t += gapHours * HOUR;
      p = recordReview(p, { ...r, at: new Date(t).toISOString() });
    }
    if (labs) for (const [lab, stepped] of Object.entries(labs)) p = recordLabStepped(p, lab, stepped);
    if (lessons) for (const [slug, at] of Object.entries(lessons)) p = recordLessonRead(p, slug, at);
    return p;
  });

describe("saved progress, as release 1 used it", () => {
  it("starts fresh when nothing is stored and round-trips what it saves", () => {
    expect(loadProgress(null)).toEqual({ ok: true, progress: EMPTY_PROGRESS, migratedFrom: null });
    const saved = recordAttempt(EMPTY_PROGRESS, "q", { seed: 3, score: 0.5, at: "2026-11-22T00:00:00Z" });
    expect(loadProgress(JSON.stringify(saved))).toEqual({ ok: true, progress: saved, migratedFrom: null });
  });

  it("reports corrupt records instead of throwing, naming the field", () => {
    expect(loadProgress("{not json")).toMatchObject({ ok: false, message: "Your saved progress is not valid JSON." });
    expect(loadProgress('{"version":1,"questions":{"q":{"attempts":[{"seed":-1,"score":2,"at":"x"}]}}}')).toMatchObject({
      ok: false,
      progress: EMPTY_PROGRESS,
      message: "Your saved progress has an unexpected shape at questions.q.attempts.0.seed: must be at least 0.",
    });
    expect(loadProgress('{"questions":{}}')).toMatchObject({ ok: false, message: "Your saved progress has an unexpected shape at version: expected 2." });
    expect(loadProgress('{"version":2,"questions":{},"cards":{"t":{}}}')).toMatchObject({ ok: false, message: expect.stringContaining("at cards.t: bad key: a card key is") });
    expect(loadProgress("[]")).toMatchObject({ ok: false });
  });

  it("keeps the newest attempts only", () => {
    let p = EMPTY_PROGRESS;
    for (let i = 0; i < MAX_ATTEMPTS + 5; i++) p = recordAttempt(p, "q", { seed: i, score: 1, at: "t" });
    expect(p.questions.q!.attempts).toHaveLength(MAX_ATTEMPTS);
    expect(p.questions.q!.attempts[0]!.seed).toBe(5);
  });

  it("names where a bad record is kept aside", () => {
    expect(PROGRESS_KEY).toBe("packet-lab:progress");
    expect(unreadableKey(new Date(T0))).toBe("packet-lab:progress:unreadable:2026-03-01T09:00:00.000Z");
  });
});

describe("migration from version 1", () => {
  it("reads what release 1 saved, keeping every attempt, and says it migrated", () => {
    const earlier =
      '{"version":1,"questions":{"trace-the-request":{"attempts":[{"seed":0,"score":0.9,"at":"2026-11-01T10:00:00.000Z"},{"seed":4,"score":1,"at":"2026-11-02T10:00:00.000Z"}]}}}';
    const loaded = loadProgress(earlier);
    expect(loaded).toEqual({
      ok: true,
      migratedFrom: 1,
      progress: {
        version: 2,
        cards: {},
        questions: {
          "trace-the-request": {
            attempts: [
              { seed: 0, score: 0.9, at: "2026-11-01T10:00:00.000Z" },
              { seed: 4, score: 1, at: "2026-11-02T10:00:00.000Z" },
            ],
          },
        },
      },
    });
    // Saved again, it reads as version 2 with nothing to migrate.
    expect(loadProgress(JSON.stringify(loaded.progress))).toEqual({ ok: true, progress: loaded.progress, migratedFrom: null });
  });

  it("migrates any version-1 record with every attempt kept, in order", () => {
    fc.assert(
      fc.property(v1Record, (v1) => {
        const loaded = loadProgress(JSON.stringify(v1));
        expect(loaded.ok).toBe(true);
        if (!loaded.ok) return;
        expect(loaded.migratedFrom).toBe(1);
        expect(loaded.progress.version).toBe(2);
        expect(loaded.progress.questions).toEqual(v1.questions);
        expect(loaded.progress.cards).toEqual({});
      }),
      { numRuns: RUNS },
    );
  });

  it("does not migrate or overwrite a record from a newer release", () => {
    const newer = JSON.stringify({ version: 3, questions: {}, decks: { a: 1 } });
    const loaded = loadProgress(newer);
    expect(loaded).toMatchObject({ ok: false, progress: EMPTY_PROGRESS, message: expect.stringContaining("newer Packet Lab") });
    expect(loaded).toMatchObject({ message: expect.stringContaining("version 3") });
  });

  it("seeds cards from dated version-1 attempts when the caller knows the concepts", () => {
    const v1 = {
      version: 1,
      questions: {
        "trace-the-request": {
          attempts: [
            { seed: 4, score: 1, at: "2026-03-03T09:00:00.000Z" },
            { seed: 0, score: 0.2, at: "2026-03-01T09:00:00.000Z" },
            { seed: 9, score: 1, at: "some time" },
          ],
        },
        gone: { attempts: [{ seed: 1, score: 1, at: "2026-03-01T09:00:00.000Z" }] },
        undated: { attempts: [{ seed: 1, score: 1, at: "t" }] },
      },
    };
    const loaded = loadProgress(JSON.stringify(v1));
    if (!loaded.ok) throw new Error(loaded.message);
    const concepts: Record<string, string[]> = { "trace-the-request": ["tls-termination", "anycast"], undated: ["dns"] };
    const seeded = seedCardsFromAttempts(loaded.progress, (t) => concepts[t] ?? null);
    expect(Object.keys(seeded.cards).sort()).toEqual(["trace-the-request::anycast", "trace-the-request::tls-termination"]);
    const card = seeded.cards["trace-the-request::anycast"]!;
    // Replayed in time order: Again on the 1st, then Easy on the 3rd.
    expect(card).toMatchObject({ reps: 2, lapses: 0, last_review: "2026-03-03T09:00:00.000Z" });
    expect(seeded.questions).toEqual(loaded.progress.questions);
    // Cards that exist are left alone.
    expect(seedCardsFromAttempts(seeded, (t) => concepts[t] ?? null)).toEqual(seeded);
  });
});

describe("reviews", () => {
  it("records the attempt and schedules one card per concept", () => {
    const at = "2026-03-01T09:00:00.000Z";
    const p = recordReview(EMPTY_PROGRESS, {
      template: "double-anycast",
      seed: 7,
      score: 1,
      at,
      concepts: ["anycast", "dns", "anycast"],
      hints: 0,
      revealed: false,
    });
    expect(p.questions["double-anycast"]!.attempts).toEqual([{ seed: 7, score: 1, at, hints: 0, revealed: false, rating: Rating.Easy }]);
    expect(Object.keys(p.cards).sort()).toEqual(["double-anycast::anycast", "double-anycast::dns"]);
    expect(p.cards[cardKey("double-anycast", "dns")]).toMatchObject({ reps: 1, scheduled_days: 8, due: "2026-03-09T09:00:00.000Z", last_review: at });

    const again = recordReview(p, { template: "double-anycast", seed: 8, score: 0.4, at: "2026-03-09T10:00:00.000Z", concepts: ["dns"], hints: 1, revealed: false });
    expect(again.cards["double-anycast::dns"]).toMatchObject({ reps: 2, lapses: 1 });
    expect(again.cards["double-anycast::anycast"]).toEqual(p.cards["double-anycast::anycast"]);
    expect(again.questions["double-anycast"]!.attempts.map((a) => a.seed)).toEqual([7, 8]);
    expect(loadProgress(JSON.stringify(again))).toEqual({ ok: true, progress: again, migratedFrom: null });
  });

  it("uses an open question's self-rating", () => {
    const p = recordReview(EMPTY_PROGRESS, {
      template: "explain-snat",
      seed: 1,
      score: 0,
      at: "2026-03-01T09:00:00.000Z",
      concepts: ["masquerade"],
      hints: 0,
      revealed: true,
      selfRating: Rating.Good,
    });
    expect(p.questions["explain-snat"]!.attempts[0]!.rating).toBe(Rating.Good);
    expect(p.cards["explain-snat::masquerade"]!.scheduled_days).toBe(3);
  });

  it("makes a card due today once its interval has passed", () => {
    const p = recordReview(EMPTY_PROGRESS, { template: "t", seed: 1, score: 0, at: "2026-03-01T09:00:00.000Z", concepts: ["dns"], hints: 0, revealed: false });
    expect(dueCount(p, new Date("2026-03-01T12:00:00Z"), { utcOffsetMinutes: 0 })).toBe(0);
    expect(dueCount(p, new Date("2026-03-02T00:30:00Z"), { utcOffsetMinutes: 0 })).toBe(1);
  });

  it("refuses a review time or seed it cannot store, and keeps odd numbers within the schema", () => {
    const r = { template: "t", seed: 1, score: 1, at: "2026-03-01T09:00:00.000Z", concepts: ["dns"], hints: 0, revealed: false };
    expect(() => recordReview(EMPTY_PROGRESS, { ...r, at: "yesterday" })).toThrow(RangeError);
    expect(() => recordReview(EMPTY_PROGRESS, { ...r, seed: -1 })).toThrow(RangeError);
    const odd = recordReview(EMPTY_PROGRESS, { ...r, score: 1.2, hints: 1.7 });
    expect(odd.questions.t!.attempts[0]).toMatchObject({ score: 1, hints: 1, rating: Rating.Good });
    expect(loadProgress(JSON.stringify(odd)).ok).toBe(true);
  });

  it("keeps the furthest lab step and the first reading of a lesson", () => {
    let p = recordLabStepped(EMPTY_PROGRESS, "/lessons/a/#journey", 5);
    p = recordLabStepped(p, "/lessons/a/#journey", 3);
    expect(p.labs).toEqual({ "/lessons/a/#journey": { stepped: 5 } });
    p = recordLessonRead(p, "nodeport", "2026-03-01T09:00:00.000Z");
    p = recordLessonRead(p, "nodeport", "2026-03-05T09:00:00.000Z");
    expect(p.lessons).toEqual({ nodeport: { readAt: "2026-03-01T09:00:00.000Z" } });
    expect(loadProgress(JSON.stringify(p))).toEqual({ ok: true, progress: p, migratedFrom: null });
  });
});

describe("export and import", () => {
  it("writes an indented file that says what it is", () => {
    const text = exportProgress(EMPTY_PROGRESS, new Date(T0));
    expect(text).toBe(
      JSON.stringify({ format: "packet-lab-progress", version: 2, exportedAt: "2026-03-01T09:00:00.000Z", progress: EMPTY_PROGRESS }, null, 2),
    );
    expect(text).toContain('\n  "format": "packet-lab-progress"');
  });

  it("round-trips export, clear and import", () => {
    const migrated = v1Record.map((v1) => {
      const loaded = loadProgress(JSON.stringify(v1));
      if (!loaded.ok) throw new Error(loaded.message);
      return loaded.progress;
    });
    fc.assert(
      fc.property(fc.oneof(v2Progress, migrated), (p) => {
        const imported = importProgress(exportProgress(p, new Date(T0)));
        expect(imported).toEqual({ ok: true, progress: p, migratedFrom: null });
        if (!imported.ok) return;
        expect(mergeProgress(EMPTY_PROGRESS, imported.progress)).toEqual(p);
      }),
      { numRuns: RUNS },
    );
  });

  it("explains each kind of file it cannot use", () => {
    const message = (text: string) => {
      const r = importProgress(text);
      expect(r.ok).toBe(false);
      return r.ok ? "" : r.message;
    };
    expect(message("PK\u0003\u0004 not json")).toMatch(/not JSON/);
    expect(message("[1, 2]")).toMatch(/not a Packet Lab progress export/);
    expect(message('"hello"')).toMatch(/not a Packet Lab progress export/);
    expect(message('{"name": "my-package", "version": "1.0.0"}')).toMatch(/has no "format": "packet-lab-progress"/);
    expect(message('{"format": "anki-deck", "cards": []}')).toMatch(/its format is "anki-deck"/);
    expect(message(JSON.stringify({ format: EXPORT_FORMAT, version: 3, progress: {} }))).toMatch(/newer Packet Lab \(version 3\)/);
    const damaged = JSON.parse(exportProgress(recordReview(EMPTY_PROGRESS, { template: "t", seed: 1, score: 1, at: "2026-03-01T09:00:00.000Z", concepts: ["dns"], hints: 0, revealed: false }), new Date(T0)));
    damaged.progress.cards["t::dns"].due = "next tuesday";
    expect(message(JSON.stringify(damaged))).toBe("This Packet Lab export is damaged at progress.cards.t::dns.due: expected an ISO 8601 time. Nothing was imported.");
    expect(message(JSON.stringify({ version: 1, questions: { q: { attempts: [{ seed: 1.5, score: 1, at: "x" }] } } }))).toMatch(
      /saved progress is damaged at questions\.q\.attempts\.0\.seed/,
    );
    expect(message(JSON.stringify({ version: 9, questions: {} }))).toMatch(/newer Packet Lab \(version 9\)/);
  });

  it("accepts a bare stored record, migrating version 1", () => {
    const v1 = { version: 1, questions: { q: { attempts: [{ seed: 2, score: 0.5, at: "2026-03-01T09:00:00.000Z" }] } } };
    expect(importProgress(JSON.stringify(v1))).toEqual({ ok: true, migratedFrom: 1, progress: { version: 2, questions: v1.questions, cards: {} } });
    const v2 = recordAttempt(EMPTY_PROGRESS, "q", { seed: 1, score: 1, at: "2026-03-01T09:00:00.000Z" });
    expect(importProgress(JSON.stringify(v2))).toEqual({ ok: true, migratedFrom: null, progress: v2 });
  });

  it("never throws on garbage and always explains", () => {
    const exported = exportProgress(recordReview(EMPTY_PROGRESS, { template: "t", seed: 1, score: 1, at: "2026-03-01T09:00:00.000Z", concepts: ["dns"], hints: 0, revealed: false }), new Date(T0));
    const garbage = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ format: EXPORT_FORMAT, version: 2, exportedAt: "2026-03-01T09:00:00.000Z", progress: v })),
      fc.jsonValue().map((v) => JSON.stringify({ version: 2, questions: v, cards: v })),
      // A real export, cut short or with a character changed.
      fc.nat(exported.length - 1).map((n) => exported.slice(0, n)),
      fc.tuple(fc.nat(exported.length - 1), fc.string({ minLength: 1, maxLength: 1 })).map(([i, c]) => exported.slice(0, i) + c + exported.slice(i + 1)),
    );
    fc.assert(
      fc.property(garbage, (text) => {
        const r = importProgress(text);
        if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
        const loaded = loadProgress(text);
        if (!loaded.ok) expect(loaded.message.length).toBeGreaterThan(10);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});

describe("merging", () => {
  const at = (h: number) => new Date(T0 + h * HOUR).toISOString();
  const base = { concepts: ["dns"], hints: 0, revealed: false };

  it("unites attempts and keeps each card from the device that reviewed it last", () => {
    const shared = recordReview(EMPTY_PROGRESS, { ...base, template: "t", seed: 1, score: 1, at: at(0) });
    const laptop = recordReview(shared, { ...base, template: "t", seed: 2, score: 0, at: at(48) });
    const phone = recordReview(shared, { ...base, template: "t", seed: 3, score: 1, at: at(24) });
    const merged = mergeProgress(laptop, phone);
    expect(merged.questions.t!.attempts.map((a) => a.seed)).toEqual([1, 3, 2]);
    expect(merged.cards["t::dns"]).toEqual(laptop.cards["t::dns"]);
    expect(mergeProgress(phone, laptop).cards).toEqual(merged.cards);
    expect(mergeProgress(phone, laptop).questions.t!.attempts.map((a) => a.seed)).toEqual([1, 3, 2]);
  });

  it("keeps the furthest lab step and the earliest reading", () => {
    const a = recordLessonRead(recordLabStepped(EMPTY_PROGRESS, "x#lab", 3), "l", at(5));
    const b = recordLessonRead(recordLabStepped(EMPTY_PROGRESS, "x#lab", 7), "l", at(1));
    expect(mergeProgress(a, b)).toMatchObject({ labs: { "x#lab": { stepped: 7 } }, lessons: { l: { readAt: at(1) } } });
    expect(mergeProgress(EMPTY_PROGRESS, EMPTY_PROGRESS)).toEqual(EMPTY_PROGRESS);
    expect("labs" in mergeProgress(EMPTY_PROGRESS, EMPTY_PROGRESS)).toBe(false);
  });

  it("is idempotent and loses no attempt", () => {
    fc.assert(
      fc.property(v2Progress, v2Progress, (a, b) => {
        expect(mergeProgress(a, a)).toEqual(a);
        const merged = mergeProgress(a, b);
        for (const p of [a, b]) {
          for (const [template, { attempts }] of Object.entries(p.questions)) {
            for (const attempt of attempts) expect(merged.questions[template]!.attempts).toContainEqual(attempt);
          }
          for (const key of Object.keys(p.cards)) expect(merged.cards[key]).toBeDefined();
        }
        expect(mergeProgress(merged, b)).toEqual(merged);
      }),
      { numRuns: RUNS },
    );
  });
});
