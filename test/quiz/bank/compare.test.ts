/**
 * The with/without-Cloudflare templates (`src/quiz/bank/compare/`), seeds 0–199 each (COMPARE_SEEDS):
 * variants are pure functions of the seed, keys are well formed and name what the view offers, option
 * texts are distinct, the wrong models' answers differ from the key and the grader recognises them,
 * different parameters give a different prompt, exhibits or key, and the key earns full marks.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPARE_TEMPLATES } from "../../../src/quiz/bank/compare/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import type { AnyVariant, Choice } from "../../../src/quiz/engine/types";

const SEEDS = Array.from({ length: Number(process.env.COMPARE_SEEDS ?? 200) }, (_, i) => i);

function choicesOf(v: AnyVariant): readonly Choice[] {
  return v.kind === "single-choice" || v.kind === "multiple-choice" || v.kind === "diagnosis" ? v.view.options : [];
}

function checkKey(v: AnyVariant): void {
  const ids = new Set(choicesOf(v).map((c) => c.id));
  switch (v.kind) {
    case "single-choice":
    case "diagnosis":
      expect(ids.has(v.key.choice)).toBe(true);
      expect(Object.keys(v.rubric.options).sort()).toEqual([...ids].sort());
      break;
    case "fill-in":
      expect(Object.keys(v.key.fields).sort()).toEqual(v.view.fields.map((f) => f.id).sort());
      for (const value of Object.values(v.key.fields)) expect(value).not.toBe("");
      expect(Object.keys(v.rubric.fields).sort()).toEqual(v.view.fields.map((f) => f.id).sort());
      break;
    case "numeric":
      expect(typeof v.key.value).toBe("number");
      expect(v.rubric.value).toBe(v.key.value);
      expect(Number.isFinite(v.rubric.value)).toBe(true);
      break;
    default:
      throw new Error(`unexpected kind ${v.kind}`);
  }
}

describe.each(COMPARE_TEMPLATES.map((t) => [t.id, t] as const))("%s", (_id, template) => {
  it("is registered with the lesson, known concepts and its own file", () => {
    expect(template.lesson).toBe("removing-cloudflare");
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
      expect(v.template).toBe(template.id);
      expect(v.kind).toBe(template.kind);
      const choices = choicesOf(v);
      expect(new Set(choices.map((c) => c.text)).size, `seed ${seed}: option texts repeat`).toBe(choices.length);
      expect(new Set(choices.map((c) => c.id)).size).toBe(choices.length);
      checkKey(v);
      expect(v.hints.length).toBeGreaterThanOrEqual(1);
      expect(v.hints.length).toBeLessThanOrEqual(3);
      expect(v.explanation.length).toBeGreaterThan(40);
      expect(v.lab?.page).toBe("/lessons/removing-cloudflare/");

      const graded = gradeAnswer(v, v.key);
      expect(graded.type, `seed ${seed}`).toBe("graded");
      if (graded.type === "graded") expect(graded.score, `seed ${seed}`).toBe(1);

      for (const m of v.misconceptions) {
        expect(MISCONCEPTIONS[m.misconception], m.misconception).toBeDefined();
        expect(JSON.stringify(m.answer)).not.toBe(JSON.stringify(v.key));
        const result = gradeAnswer(v, m.answer);
        expect(result.type).toBe("graded");
        if (result.type === "graded") {
          expect(result.score).toBeLessThan(1);
          expect(result.misconception?.id).toBe(m.misconception);
        }
      }

      const params = JSON.stringify(template.params(seed));
      const face = JSON.stringify([v.prompt, v.exhibits, v.key]);
      const other = seen.get(face);
      if (other !== undefined) expect(other, `seed ${seed} repeats an earlier variant with other parameters`).toBe(params);
      else seen.set(face, params);
    }
  });
});

describe("the compare bank", () => {
  it("has 3–4 templates of different kinds with distinct ids", () => {
    expect(COMPARE_TEMPLATES.length).toBeGreaterThanOrEqual(3);
    expect(COMPARE_TEMPLATES.length).toBeLessThanOrEqual(4);
    expect(new Set(COMPARE_TEMPLATES.map((t) => t.id)).size).toBe(COMPARE_TEMPLATES.length);
    expect(new Set(COMPARE_TEMPLATES.map((t) => t.kind)).size).toBe(COMPARE_TEMPLATES.length);
  });

  it("the TLS question recognises the belief that TLS runs to the Pod", () => {
    const t = COMPARE_TEMPLATES.find((x) => x.id === "tls-terminations-compare")!;
    const v = t.variant(0) as AnyVariant;
    expect(v.key).toEqual({ choice: "2-1" });
    const m = v.misconceptions.find((x) => x.misconception === "tls-at-pod");
    // Under that model the one termination on either path is the Pod's own.
    expect(m?.answer).toEqual({ choice: "1-1" });
  });

  it("the diagnosis names each leftover from its own trace", () => {
    const t = COMPARE_TEMPLATES.find((x) => x.id === "why-dns-only-fails")!;
    const causes = new Set(SEEDS.slice(0, 40).map((s) => (t.variant(s) as AnyVariant & { key: { choice: string } }).key.choice));
    expect([...causes].sort()).toEqual(["cloud-armor-allowlist", "mtls-required", "untrusted-ca"]);
  });
});
