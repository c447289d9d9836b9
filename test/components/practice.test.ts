import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { moved } from "../../src/components/practice/answers/OrderingAnswer";
import { deckParam, deckQuestions, draw, MAX_SEED, parseDeck, parseVariantParams, variantSearch, type Catalogue, type Deck } from "../../src/components/practice/catalogue";
import { dueIn, progressSummary, templateDue, templateHistory } from "../../src/components/practice/progress-view";
import { EMPTY_PROGRESS } from "../../src/quiz/progress";
import { recordReview } from "../../src/quiz/srs";
import { seededRandom } from "../../src/sim/random";

const RUNS = Number(process.env.FC_RUNS ?? 100);

const catalogue: Catalogue = {
  questions: [
    { id: "a", title: "A", kind: "single-choice", lesson: "one", concepts: ["dns", "anycast"] },
    { id: "b", title: "B", kind: "numeric", lesson: "one", concepts: ["latency"] },
    { id: "c", title: "C", kind: "ordering", lesson: "two", concepts: ["anycast"] },
  ],
  lessons: [
    { slug: "one", title: "Lesson one", number: 1 },
    { slug: "two", title: "Lesson two", number: 2 },
    { slug: "three", title: "Lesson three", number: 3 },
  ],
  concepts: { dns: "DNS resolution", anycast: "Anycast routing", latency: "Latency" },
};

describe("decks", () => {
  it("reads every deck it writes", () => {
    const decks: Deck[] = [{ type: "all" }, { type: "due" }, { type: "lesson", slug: "one" }, { type: "concept", id: "anycast" }];
    for (const deck of decks) expect(parseDeck(deckParam(deck), catalogue)).toEqual({ ok: true, deck });
  });

  it("refuses a deck with no questions, an unknown concept and a made-up kind, saying which", () => {
    expect(parseDeck("lesson:three", catalogue)).toEqual({ ok: false, message: expect.stringContaining("“three”") });
    expect(parseDeck("concept:bgp", catalogue)).toEqual({ ok: false, message: expect.stringContaining("“bgp”") });
    expect(parseDeck("favourites", catalogue)).toEqual({ ok: false, message: expect.stringContaining("“favourites” is not a deck") });
  });

  it("lists a lesson's and a concept's questions in the bank's order, and the due ones each once, most overdue first", () => {
    expect(deckQuestions({ type: "lesson", slug: "one" }, catalogue, []).map((q) => q.id)).toEqual(["a", "b"]);
    expect(deckQuestions({ type: "concept", id: "anycast" }, catalogue, []).map((q) => q.id)).toEqual(["a", "c"]);
    const due = [{ template: "c" }, { template: "a" }, { template: "c" }, { template: "gone" }];
    expect(deckQuestions({ type: "due" }, catalogue, due).map((q) => q.id)).toEqual(["c", "a"]);
  });
});

describe("variant links", () => {
  it("round-trips any template and seed through the address", () => {
    fc.assert(
      fc.property(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: MAX_SEED }), (id, seed) => {
        const params = new URLSearchParams(variantSearch(id, seed));
        const parsed = parseVariantParams(params.get("q")!, params.get("seed"), catalogue);
        expect(parsed.ok && parsed.template.id === id && parsed.seed === seed).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("draws a fresh seed without one, and refuses a seed that is not a 32-bit whole number", () => {
    expect(parseVariantParams("a", null, catalogue)).toMatchObject({ ok: true, seed: null });
    for (const bad of ["-1", "1.5", "1e3", "4294967296", "seven"]) {
      expect(parseVariantParams("a", bad, catalogue)).toEqual({ ok: false, message: expect.stringContaining(`“${bad}” is not a variant number`) });
    }
    expect(parseVariantParams("zzz", "1", catalogue)).toEqual({ ok: false, message: expect.stringContaining("There is no question “zzz”") });
  });
});

describe("drawing and ordering", () => {
  it("draws without replacement: n distinct items of the pool", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer(), { maxLength: 20 }), fc.nat(25), fc.nat(), (pool, n, seed) => {
        const drawn = draw(pool, n, seededRandom(seed));
        expect(drawn).toHaveLength(Math.min(n, pool.length));
        expect(new Set(drawn).size).toBe(drawn.length);
        for (const x of drawn) expect(pool).toContain(x);
      }),
      { numRuns: RUNS },
    );
  });

  it("moves an item one place and back again, keeping every item", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 2, maxLength: 10 }), fc.nat(), (order, at) => {
        const from = at % (order.length - 1);
        const down = moved(order, from, 1);
        expect(down[from + 1]).toBe(order[from]);
        expect(moved(down, from + 1, -1)).toEqual(order);
        expect(moved(order, 0, -1)).toEqual(order);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("what the page says of saved progress", () => {
  const now = new Date(2026, 5, 10, 15, 0);
  it("counts whole local days to a due date, overdue as today", () => {
    expect(dueIn(new Date(2026, 5, 1), now)).toBe("today");
    expect(dueIn(new Date(2026, 5, 10, 23, 59), now)).toBe("today");
    expect(dueIn(new Date(2026, 5, 11, 0, 1), now)).toBe("tomorrow");
    expect(dueIn(new Date(2026, 5, 14, 9, 0), now)).toBe("in 4 days");
  });

  it("sums a question's attempts and finds its first due card", () => {
    const at = now.toISOString();
    let progress = recordReview(EMPTY_PROGRESS, { template: "a", seed: 3, score: 0.5, at, concepts: ["dns", "anycast"], hints: 0, revealed: false });
    progress = recordReview(progress, { template: "a", seed: 9, score: 1, at, concepts: ["dns", "anycast"], hints: 0, revealed: false });
    expect(progressSummary(progress)).toEqual({ answers: 2, questions: 1 });
    const due = templateDue(progress, "a", ["dns", "anycast"])!;
    expect(due.getTime()).toBeGreaterThan(now.getTime());
    expect(templateHistory(progress, "a", ["dns", "anycast"], now)).toBe(`Answered 2 times in this browser, best 100%; next review ${dueIn(due, now)}.`);
    expect(templateHistory(progress, "b", ["latency"], now)).toBeNull();
  });
});
