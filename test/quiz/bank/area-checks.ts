/**
 * The checks every area of the question bank runs on its templates, written once. An area test calls
 * `areaChecks({...})` with its templates and what is particular to it (the seed count's env var, the
 * template count, the lesson its lab links open, how a rubric step is checked) and keeps in its own file
 * only what is specific to the area: facts checked against RFCs, papers or the simulator, and lab links
 * opened through the lab's machine.
 *
 * Per template, over seeds 0…N−1 (N from the area's env var):
 * - it names a lesson that exists, known concepts, and its own file `src/quiz/bank/<area>/<id>.ts`;
 * - `params` and `variant` are pure functions of the seed (the same JSON twice);
 * - each variant is labelled with its template, kind and seed, has 1–3 hints, a prompt, an explanation
 *   of more than 40 characters and a lab link on the lesson's page;
 * - its key has the kind's shape and names only what the learner is shown;
 * - option ids and texts (case and spacing aside) are distinct, and the rubric explains every option,
 *   field or item (with a step the area recognises, where it gives a way to check one);
 * - the key grades full marks with no misconception, every single-choice distractor scores 0, and each
 *   wrong model's answer differs from the key, grades below full marks and is named by the grader;
 * - two seeds with different params never give the same prompt and key (the same prompt, exhibits and
 *   key, for a template whose question is in its exhibits), and the seeds draw more than three sets of
 *   params.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import type { AnyTemplate, AnyVariant, Choice, QuestionKind, Variant, Why } from "../../../src/quiz/engine/types";

/** A per-seed check: a problem to report, or null. */
export type SeedCheck = (v: AnyVariant, seed: number) => string | null;

export interface AreaSpec {
  /** How the area is named in test titles ("BGP", "in-cluster"). */
  readonly name: string;
  /** The bank folder (`src/quiz/bank/<folder>/`), which holds each template as `<id>.ts`. */
  readonly folder: string;
  readonly templates: readonly AnyTemplate[];
  /** The env var that sets the seed count, and the count without it. */
  readonly seeds: { readonly env: string; readonly default: number };
  /** How many templates the area has, and how many kinds they use at least (unchecked when left out). */
  readonly count?: { readonly min: number; readonly max?: number; readonly minKinds: number };
  /** The only kinds the area's templates may be, when it restricts them. */
  readonly kinds?: readonly QuestionKind[];
  /** The one lesson every template belongs to, when the area has one. */
  readonly lesson?: string;
  /** The page (or pages) a variant's lab link may open; by default its template's lesson page. */
  readonly labPage?: (t: AnyTemplate) => string | readonly string[];
  /** The labs a link may open, when the area restricts them. */
  readonly labIds?: readonly string[];
  /** Whether a rubric's step exists where the variant's lab shows it (when the area can tell). */
  readonly knownStep?: (v: AnyVariant) => (step: string) => boolean;
  /**
   * Templates whose question is in its exhibits (a URL map, a VRP export, manifests) under a prompt that
   * stays the same: for them two seeds with different params must differ in prompt, exhibits or key.
   * Every other template must differ in prompt or key (its exhibits echo the params, so they always differ).
   */
  readonly questionInExhibits?: readonly string[];
  /**
   * Ordering templates that also show items off the path (the learner must leave them out): their key
   * orders some of the items shown. Every other ordering key is a permutation of the items.
   */
  readonly orderingWithDistractors?: readonly string[];
  /** Checks of the area's own on every seed's variant (run with the common ones, per template). */
  readonly extra?: (t: AnyTemplate) => SeedCheck;
  /** A test's timeout. */
  readonly timeout?: number;
}

export interface AreaHelpers {
  /** Seeds 0…N−1. */
  readonly seeds: readonly number[];
  /** The variants of a template for every seed, computed once. */
  readonly variantsOf: (t: AnyTemplate) => readonly AnyVariant[];
  /** Runs `problem` over every seed's variant and reports the first five failures with their seeds. */
  readonly everySeed: (t: AnyTemplate, problem: SeedCheck) => void;
  /** The area's template with this id. @throws Error when there is none */
  readonly template: (id: string) => AnyTemplate;
  /** The misconceptions the area's variants name over the seeds. */
  readonly misconceptionsUsed: () => Set<string>;
  readonly timeout: number;
}

/** A variant as its kind. @throws Error when it is another kind */
export function as<K extends AnyVariant["kind"]>(v: AnyVariant, kind: K): Variant<K> {
  if (v.kind !== kind) throw new Error(`expected ${kind}, got ${v.kind}`);
  return v as Variant<K>;
}

/** What the learner picks from or fills in, and what the key and rubric must refer to. */
export function shown(v: AnyVariant): readonly Choice[] {
  switch (v.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
    case "trace-builder":
      return v.view.options;
    case "ordering":
      return v.view.items;
    case "open":
      return v.view.checklist;
    case "fill-in":
    case "predict-header":
      return v.view.fields.map((f) => ({ id: f.id, text: f.label }));
    case "numeric":
      return [];
  }
}

/**
 * The key's shape for its kind, naming only what is shown; a problem or null. An ordering key orders
 * every item shown, or (with `distractors`) distinct items among them.
 */
export function keyShapeProblem(v: AnyVariant, distractors = false): string | null {
  const ids = shown(v).map((c) => c.id);
  const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  switch (v.kind) {
    case "single-choice":
    case "diagnosis":
      return ids.includes(v.key.choice) ? null : `key ${v.key.choice} is not an option`;
    case "multiple-choice":
      return v.key.choices.length > 0 && new Set(v.key.choices).size === v.key.choices.length && v.key.choices.every((c) => ids.includes(c))
        ? null : `key ${JSON.stringify(v.key.choices)} is not a set of options`;
    case "ordering":
      if (distractors) {
        if (v.key.order.length < 2 || new Set(v.key.order).size !== v.key.order.length || !v.key.order.every((id) => ids.includes(id))) return `key order ${v.key.order.join(",")} is not a sequence of items shown`;
      } else if (v.key.order.length < 2 || v.key.order.length !== ids.length || !sameSet(v.key.order, ids)) return `key order ${v.key.order.join(",")} is not a permutation of ${ids.join(",")}`;
      return JSON.stringify(v.rubric.orders[0]) === JSON.stringify(v.key.order) ? null : "the key is not the rubric's first order";
    case "fill-in":
    case "predict-header":
      return sameSet(Object.keys(v.key.fields), ids) && Object.values(v.key.fields).every((x) => typeof x === "string" && x.trim() !== "")
        ? null : `key fields ${JSON.stringify(v.key.fields)} do not fill ${ids.join(",")}`;
    case "numeric":
      return typeof v.key.value === "number" && Number.isFinite(v.key.value) && v.key.value === v.rubric.value ? null : `key ${v.key.value} is not the rubric's finite value`;
    case "trace-builder": {
      const marks = v.view.marks.map((m) => m.id);
      if (v.key.hops.length < 2) return "a trace of fewer than two hops";
      for (const h of v.key.hops) {
        if (!ids.includes(h.item)) return `hop ${h.item} is not an option`;
        for (const m of h.marks) if (!marks.includes(m)) return `mark ${m} is not offered`;
      }
      if (JSON.stringify(v.rubric.hops.map((h) => h.item)) !== JSON.stringify(v.key.hops.map((h) => h.item))) return "the rubric's hops are not the key's";
      const total = Object.values(v.rubric.weights).reduce((a, b) => a + b, 0);
      return Math.abs(total - 1) < 1e-9 ? null : `weights sum to ${total}`;
    }
    case "open":
      return sameSet(v.key.checked, ids) ? null : "the key does not tick every checklist item";
  }
}

/** The rubric's reasons, by what they explain. */
export function rubricWhys(v: AnyVariant): Record<string, Why> {
  switch (v.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
      return v.rubric.options;
    case "ordering":
      return v.rubric.items;
    case "fill-in":
    case "predict-header":
      return v.rubric.fields;
    case "numeric":
      return { value: v.rubric.why };
    case "open":
      return v.rubric.checklist;
    case "trace-builder":
      return {};
  }
}

/** The ids the rubric must explain: every one shown (trace-builder explains its hops apart). */
function explained(v: AnyVariant): readonly string[] {
  if (v.kind === "numeric") return ["value"];
  if (v.kind === "trace-builder") return [];
  return shown(v).map((c) => c.id);
}

/** Registers the common checks for an area's templates and returns helpers for its own. */
export function areaChecks(spec: AreaSpec): AreaHelpers {
  const { templates } = spec;
  const seeds = Array.from({ length: Number(process.env[spec.seeds.env] ?? spec.seeds.default) }, (_, i) => i);
  const timeout = spec.timeout ?? 600_000;
  const labPage = spec.labPage ?? ((t: AnyTemplate) => `/lessons/${t.lesson}/`);
  const cache = new Map<string, AnyVariant[]>();
  const variantsOf = (t: AnyTemplate): AnyVariant[] => {
    let vs = cache.get(t.id);
    if (!vs) cache.set(t.id, (vs = seeds.map((s) => t.variant(s) as AnyVariant)));
    return vs;
  };
  const everySeed = (t: AnyTemplate, problem: SeedCheck): void => {
    const failures: string[] = [];
    variantsOf(t).forEach((v, seed) => {
      if (failures.length < 5) {
        const p = problem(v, seed);
        if (p) failures.push(`seed ${seed}: ${p}`);
      }
    });
    expect(failures, t.file).toEqual([]);
  };
  const template = (id: string): AnyTemplate => {
    const t = templates.find((x) => x.id === id);
    if (!t) throw new Error(`no ${spec.name} template ${id}`);
    return t;
  };
  const misconceptionsUsed = () => new Set(templates.flatMap((t) => variantsOf(t).flatMap((v) => v.misconceptions.map((m) => m.misconception))));

  describe(`the ${spec.name} bank`, () => {
    const { count } = spec;
    it(`has templates with distinct ids${spec.kinds ? `, each ${spec.kinds.join(", ")}` : ""}`, () => {
      expect(templates.length).toBeGreaterThan(0);
      expect(new Set(templates.map((t) => t.id)).size).toBe(templates.length);
      if (spec.kinds) for (const t of templates) expect(spec.kinds, t.id).toContain(t.kind);
    });
    if (count) {
      it(`has ${count.min}${count.max === undefined ? " or more" : `–${count.max}`} templates of at least ${count.minKinds} kinds`, () => {
        expect(templates.length).toBeGreaterThanOrEqual(count.min);
        if (count.max !== undefined) expect(templates.length).toBeLessThanOrEqual(count.max);
        expect(new Set(templates.map((t) => t.kind)).size).toBeGreaterThanOrEqual(count.minKinds);
      });
    }
  });

  describe.each(templates.map((t) => [t.id, t] as const))("%s", (_, t) => {
    it("names its lesson, known concepts and its own file", () => {
      if (spec.lesson !== undefined) expect(t.lesson).toBe(spec.lesson);
      expect(existsSync(`content/lessons/${t.lesson}.mdx`), t.lesson).toBe(true);
      expect(t.concepts.length).toBeGreaterThan(0);
      for (const c of t.concepts) expect(CONCEPTS, c).toHaveProperty(c);
      expect(t.file).toBe(`src/quiz/bank/${spec.folder}/${t.id}.ts`);
      expect(existsSync(t.file)).toBe(true);
    });

    it("is deterministic: the same seed gives the same params and the same variant", () => {
      everySeed(t, (v, seed) => {
        if (JSON.stringify(t.params(seed)) !== JSON.stringify(t.params(seed))) return "params differ between two calls";
        return JSON.stringify(t.variant(seed)) === JSON.stringify(v) ? null : "variant differs between two calls";
      });
    }, timeout);

    it("labels each variant as its template's, with 1–3 hints, a prompt, an explanation and a lab on its lesson page", () => {
      everySeed(t, (v, seed) => {
        if (v.template !== t.id || v.kind !== t.kind || v.seed !== seed) return `variant says ${v.template}/${v.kind}/${v.seed}`;
        if (v.hints.length < 1 || v.hints.length > 3) return `${v.hints.length} hints`;
        if (v.prompt.trim() === "") return "empty prompt";
        if (v.explanation.trim().length <= 40) return `explanation of ${v.explanation.trim().length} characters`;
        const pages = [labPage(t)].flat();
        if (!v.lab || !pages.includes(v.lab.page)) return `lab ${JSON.stringify(v.lab)}, not on ${pages.join(" or ")}`;
        if (spec.labIds && !spec.labIds.includes(v.lab.lab)) return `lab ${v.lab.lab} is none of ${spec.labIds.join(", ")}`;
        return null;
      });
    }, timeout);

    it("has a key of the kind's shape that names only what the learner is shown", () => {
      const distractors = spec.orderingWithDistractors?.includes(t.id) ?? false;
      everySeed(t, (v) => keyShapeProblem(v, distractors));
    }, timeout);

    it("shows distinct option ids and texts, and explains every option, field or item", () => {
      everySeed(t, (v) => {
        const ids = shown(v).map((c) => c.id);
        const texts = shown(v).map((c) => c.text.trim().toLowerCase());
        if (new Set(ids).size !== ids.length) return `repeated id in ${ids.join(",")}`;
        if (new Set(texts).size !== texts.length) return `repeated option text: ${texts.join(" | ")}`;
        const whys = rubricWhys(v);
        const expected = explained(v);
        if (Object.keys(whys).sort().join() !== [...expected].sort().join()) return `rubric explains ${Object.keys(whys).join(",")}, shown ${expected.join(",")}`;
        const known = spec.knownStep?.(v);
        for (const [id, w] of Object.entries(whys)) {
          if (w.why.trim() === "") return `no reason for ${id}`;
          if (known && w.step !== null && !known(w.step)) return `${id}'s step ${w.step} is not in the variant's lab`;
        }
        return null;
      });
    }, timeout);

    it("grades its key as fully right, distractors as wrong, and every wrong model's answer as that misconception", () => {
      everySeed(t, (v) => {
        const right = gradeAnswer(v, v.key);
        if (right.type !== "graded" || right.score !== 1 || right.misconception !== null) return `the key grades as ${JSON.stringify(right).slice(0, 200)}`;
        for (const m of v.misconceptions) {
          if (!(m.misconception in MISCONCEPTIONS)) return `unknown misconception ${m.misconception}`;
          if (JSON.stringify(m.answer) === JSON.stringify(v.key)) return `${m.misconception}'s answer is the key`;
          const r = gradeAnswer(v, m.answer);
          if (r.type !== "graded" || r.score >= 1 || r.misconception?.id !== m.misconception) return `${m.misconception}'s answer grades as ${JSON.stringify(r).slice(0, 200)}`;
        }
        if (v.kind === "single-choice") {
          for (const o of v.view.options.filter((o) => o.id !== v.key.choice)) {
            const r = gradeAnswer(v, { choice: o.id });
            if (r.type !== "graded" || r.score !== 0) return `distractor ${o.id} scores ${JSON.stringify(r).slice(0, 120)}`;
          }
        }
        return null;
      });
    }, timeout);

    const inExhibits = spec.questionInExhibits?.includes(t.id) ?? false;
    it(`gives a different prompt${inExhibits ? ", exhibits" : ""} or key to seeds with different params`, () => {
      const seen = new Map<string, { seed: number; params: string }>();
      everySeed(t, (v, seed) => {
        const params = JSON.stringify(t.params(seed));
        const face = `${v.prompt}\n${inExhibits ? `${JSON.stringify(v.exhibits)}\n` : ""}${JSON.stringify(v.key)}`;
        const earlier = seen.get(face);
        if (earlier && earlier.params !== params) return `same question as seed ${earlier.seed} (${earlier.params} vs ${params})`;
        if (!earlier) seen.set(face, { seed, params });
        return null;
      });
    }, timeout);

    it("draws more than three sets of params over the seeds", () => {
      expect(new Set(seeds.map((s) => JSON.stringify(t.params(s)))).size).toBeGreaterThan(3);
    });

    if (spec.extra) {
      const extra = spec.extra(t);
      it(`holds the ${spec.name} area's own conditions on every seed`, () => everySeed(t, extra), timeout);
    }
  });

  return { seeds, variantsOf, everySeed, template, misconceptionsUsed, timeout };
}
