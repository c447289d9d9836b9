/**
 * The flagship templates (`src/quiz/bank/flagship/`), seeds 0–49 each (FLAGSHIP_SEEDS; verification.test.ts runs the bank-wide checks over 1,000): variants are pure functions of
 * the seed, keys are well formed and name options the view offers, option texts are distinct, the
 * wrong models' answers differ from the key (and the grader recognises them), different parameters
 * give a different prompt or key, and the key itself earns full marks from the engine's grader.
 */
import { describe, expect, it } from "vitest";
import { FLAGSHIP_TEMPLATES } from "../../../src/quiz/bank/flagship/index";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import type { AnyVariant, Choice } from "../../../src/quiz/engine/types";
import { existsSync } from "node:fs";

const SEEDS = Array.from({ length: Number(process.env.FLAGSHIP_SEEDS ?? 50) }, (_, i) => i);

/** Option-like lists of a view, to check ids and texts. */
function choicesOf(v: AnyVariant): readonly Choice[] {
  switch (v.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
      return v.view.options;
    case "ordering":
      return v.view.items;
    case "trace-builder":
      return v.view.options;
    case "open":
      return v.view.checklist;
    default:
      return [];
  }
}

/** The key names only what the view offers, in the kind's shape. */
function checkKey(v: AnyVariant): void {
  const ids = new Set(choicesOf(v).map((c) => c.id));
  switch (v.kind) {
    case "single-choice":
    case "diagnosis":
      expect(ids.has(v.key.choice)).toBe(true);
      expect(Object.keys(v.rubric.options).sort()).toEqual([...ids].sort());
      break;
    case "multiple-choice":
      expect(v.key.choices.length).toBeGreaterThan(0);
      for (const c of v.key.choices) expect(ids.has(c)).toBe(true);
      expect(Object.keys(v.rubric.options).sort()).toEqual([...ids].sort());
      break;
    case "ordering":
      expect(v.key.order.length).toBeGreaterThan(1);
      for (const c of v.key.order) expect(ids.has(c)).toBe(true);
      expect(v.rubric.orders[0]).toEqual(v.key.order);
      break;
    case "trace-builder": {
      const marks = new Set(v.view.marks.map((m) => m.id));
      for (const h of v.key.hops) {
        expect(ids.has(h.item)).toBe(true);
        for (const m of h.marks) expect(marks.has(m)).toBe(true);
      }
      expect(v.rubric.hops.map((h) => h.item)).toEqual(v.key.hops.map((h) => h.item));
      break;
    }
    case "predict-header":
    case "fill-in": {
      const fields = v.view.fields.map((f) => f.id).sort();
      expect(Object.keys(v.key.fields).sort()).toEqual(fields);
      for (const value of Object.values(v.key.fields)) expect(value).not.toBe("");
      break;
    }
    case "numeric":
      expect(typeof v.key.value).toBe("number");
      expect(v.rubric.value).toBe(v.key.value);
      break;
    case "open":
      expect([...v.key.checked].sort()).toEqual([...ids].sort());
      expect(Object.keys(v.rubric.checklist).sort()).toEqual([...ids].sort());
      break;
  }
}

describe.each(FLAGSHIP_TEMPLATES.map((t) => [t.id, t] as const))("%s", (_id, template) => {
  it("is registered with a lesson, known concepts and its own file", () => {
    expect(existsSync(`content/lessons/${template.lesson}.mdx`)).toBe(true);
    for (const c of template.concepts) expect(CONCEPTS[c], c).toBeDefined();
    expect(existsSync(template.file)).toBe(true);
  });

  it("gives deterministic, well-formed variants for every seed that the grader marks right", () => {
    const seen = new Map<string, string>();
    for (const seed of SEEDS) {
      const v = template.variant(seed) as AnyVariant;
      const json = JSON.stringify(v);
      expect(JSON.stringify(template.variant(seed)), `seed ${seed}`).toBe(json);
      expect(JSON.stringify(template.params(seed))).toBe(JSON.stringify(template.params(seed)));
      expect(v.template).toBe(template.id);
      expect(v.kind).toBe(template.kind);
      expect(v.seed).toBe(seed);
      const choices = choicesOf(v);
      expect(new Set(choices.map((c) => c.text)).size, `seed ${seed}: option texts repeat`).toBe(choices.length);
      expect(new Set(choices.map((c) => c.id)).size).toBe(choices.length);
      checkKey(v);
      expect(v.hints.length).toBeGreaterThanOrEqual(1);
      expect(v.hints.length).toBeLessThanOrEqual(3);
      expect(v.explanation.length).toBeGreaterThan(40);
      expect(v.lab?.page).toBe("/lessons/life-of-a-packet/");

      const graded = gradeAnswer(v, v.key);
      expect(graded.type, `seed ${seed}`).toBe("graded");
      if (graded.type === "graded") expect(graded.score, `seed ${seed}`).toBe(1);

      for (const m of v.misconceptions) {
        expect(MISCONCEPTIONS[m.misconception], m.misconception).toBeDefined();
        expect(JSON.stringify(m.answer), `seed ${seed}: ${m.misconception}`).not.toBe(JSON.stringify(v.key));
        const result = gradeAnswer(v, m.answer);
        expect(result.type, `seed ${seed}: ${m.misconception}`).toBe("graded");
        if (result.type === "graded") expect(result.score).toBeLessThan(1);
      }

      // Different parameters, different prompt or key.
      const params = JSON.stringify(template.params(seed));
      const face = JSON.stringify([v.prompt, v.key]);
      const other = seen.get(face);
      if (other !== undefined) expect(other, `seed ${seed} repeats an earlier variant with other parameters`).toBe(params);
      else seen.set(face, params);
    }
  });

  it("recognises a wrong model's answer for some seed", () => {
    if (template.kind === "open") return; // a self-assessment infers no misconception
    const found = SEEDS.slice(0, 40).some((seed) => {
      const v = template.variant(seed) as AnyVariant;
      return v.misconceptions.some((m) => {
        const r = gradeAnswer(v, m.answer);
        return r.type === "graded" && r.misconception?.id === m.misconception;
      });
    });
    expect(found).toBe(true);
  });
});

describe("the flagship bank", () => {
  it("has at least ten templates with distinct ids and several kinds", () => {
    expect(FLAGSHIP_TEMPLATES.length).toBeGreaterThanOrEqual(10);
    expect(new Set(FLAGSHIP_TEMPLATES.map((t) => t.id)).size).toBe(FLAGSHIP_TEMPLATES.length);
    expect(new Set(FLAGSHIP_TEMPLATES.map((t) => t.kind)).size).toBeGreaterThanOrEqual(8);
  });
});
