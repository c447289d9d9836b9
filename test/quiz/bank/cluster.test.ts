import { describe, expect, it } from "vitest";
import { CLUSTER_TEMPLATES } from "../../../src/quiz/bank/cluster/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import type { AnyVariant } from "../../../src/quiz/engine/types";
import { existsSync, readFileSync } from "node:fs";
import { runKubeScenario } from "../../../src/sim/kube/index";
import { parseSeed } from "../../../src/sim/scenarios/scenario";

/**
 * Every in-cluster template over seeds 0–49 (CLUSTER_SEEDS raises or lowers the count; verification.test.ts runs the bank-wide checks over 1,000): deterministic,
 * well-formed keys of the right shape, distinct option texts, misconceptions that differ from the key,
 * different parameters giving a different question, and the key graded as full marks by the engine.
 */
const SEEDS = Number(process.env["CLUSTER_SEEDS"] ?? 50);

/** The option, item or field ids a key may name, per kind. */
function viewIds(v: AnyVariant): string[] {
  switch (v.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
    case "trace-builder":
      return v.view.options.map((o) => o.id);
    case "ordering":
      return v.view.items.map((o) => o.id);
    case "open":
      return v.view.checklist.map((o) => o.id);
    case "fill-in":
    case "predict-header":
      return v.view.fields.map((f) => f.id);
    case "numeric":
      return [];
  }
}

function texts(v: AnyVariant): string[] {
  switch (v.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
    case "trace-builder":
      return v.view.options.map((o) => o.text);
    case "ordering":
      return v.view.items.map((o) => o.text);
    case "open":
      return v.view.checklist.map((o) => o.text);
    default:
      return [];
  }
}

/** The ids the key names, checked against the view; and the key's shape for its kind. */
function checkKey(v: AnyVariant): void {
  const ids = new Set(viewIds(v));
  switch (v.kind) {
    case "single-choice":
    case "diagnosis":
      expect(ids.has(v.key.choice), v.key.choice).toBe(true);
      expect(v.rubric.options[v.key.choice]).toBeDefined();
      break;
    case "multiple-choice":
      expect(v.key.choices.length).toBeGreaterThan(0);
      for (const c of v.key.choices) expect(ids.has(c), c).toBe(true);
      expect(new Set(v.key.choices).size).toBe(v.key.choices.length);
      break;
    case "ordering":
      expect([...v.key.order].sort()).toEqual([...ids].sort());
      expect(v.rubric.orders[0]).toEqual(v.key.order);
      break;
    case "fill-in":
    case "predict-header":
      expect(Object.keys(v.key.fields).sort()).toEqual([...ids].sort());
      for (const value of Object.values(v.key.fields)) expect(value.trim()).not.toBe("");
      break;
    case "numeric":
      expect(typeof v.key.value).toBe("number");
      expect(Number.isFinite(v.key.value as number)).toBe(true);
      expect(v.rubric.value).toBe(v.key.value);
      break;
    case "trace-builder":
      expect(v.key.hops.length).toBeGreaterThan(1);
      for (const hop of v.key.hops) {
        expect(ids.has(hop.item), hop.item).toBe(true);
        for (const m of hop.marks) expect(v.view.marks.some((x) => x.id === m), m).toBe(true);
      }
      expect(Object.values(v.rubric.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      break;
    case "open":
      for (const c of v.key.checked) expect(ids.has(c), c).toBe(true);
      break;
  }
}

describe("the in-cluster bank", () => {
  it("has at least 18 templates with unique ids, known concepts, lessons and files", () => {
    expect(CLUSTER_TEMPLATES.length).toBeGreaterThanOrEqual(18);
    expect(new Set(CLUSTER_TEMPLATES.map((t) => t.id)).size).toBe(CLUSTER_TEMPLATES.length);
    for (const t of CLUSTER_TEMPLATES) {
      for (const c of t.concepts) expect(CONCEPTS[c], `${t.id}: concept ${c}`).toBeDefined();
      expect(existsSync(`content/lessons/${t.lesson}.mdx`), `${t.id}: lesson ${t.lesson}`).toBe(true);
      expect(existsSync(t.file), t.file).toBe(true);
    }
  });

  it("uses at least five question kinds", () => {
    expect(new Set(CLUSTER_TEMPLATES.map((t) => t.kind)).size).toBeGreaterThanOrEqual(5);
  });
});

describe.each(CLUSTER_TEMPLATES.map((t) => ({ id: t.id, template: t })))("$id", ({ template }) => {
  it(`holds for seeds 0–${SEEDS - 1}`, () => {
    const seen = new Map<string, { seed: number; shown: string }>();
    for (let seed = 0; seed < SEEDS; seed++) {
      const v = template.variant(seed) as AnyVariant;
      const at = `${template.id} seed ${seed}`;
      expect(JSON.stringify(template.variant(seed)), `${at}: deterministic`).toBe(JSON.stringify(v));
      expect(v.template).toBe(template.id);
      expect(v.kind).toBe(template.kind);
      expect(v.seed).toBe(seed);
      checkKey(v);
      const t = texts(v);
      expect(new Set(t).size, `${at}: distinct option texts`).toBe(t.length);
      expect(v.hints.length).toBeGreaterThanOrEqual(1);
      expect(v.hints.length).toBeLessThanOrEqual(3);
      expect(v.explanation.length).toBeGreaterThan(40);
      for (const m of v.misconceptions) {
        expect(MISCONCEPTIONS[m.misconception], `${at}: ${m.misconception}`).toBeDefined();
        expect(JSON.stringify(m.answer), `${at}: ${m.misconception} differs from the key`).not.toBe(JSON.stringify(v.key));
      }
      const graded = gradeAnswer(v, v.key);
      expect(graded.type, `${at}: ${JSON.stringify(graded)}`).toBe("graded");
      if (graded.type === "graded") expect(graded.score, at).toBe(1);
      // Different parameters, different question: what the learner is shown (prompt and exhibits) or the key.
      const params = JSON.stringify(template.params(seed));
      const shown = JSON.stringify([v.prompt, v.exhibits, v.key]);
      const earlier = seen.get(params);
      if (earlier) continue;
      for (const [otherParams, other] of seen) {
        expect(other.shown === shown, `${at} and seed ${other.seed} have different params (${params} vs ${otherParams}) but the same question`).toBe(false);
      }
      seen.set(params, { seed, shown });
    }
  }, 600_000);
});

/** A step lab's scenario, read from the lesson where the link points (`<KubeLab labId="…" scenarioId="…"`). */
function labScenario(page: string, lab: string): string | null {
  const lesson = /^\/lessons\/([^/]+)\/$/.exec(page)?.[1];
  if (!lesson) return null;
  const mdx = readFileSync(`content/lessons/${lesson}.mdx`, "utf8");
  const tag = [...mdx.matchAll(/<KubeLab\b[^>]*>/g)].map((m) => m[0]).find((t) => t.includes(`labId="${lab}"`));
  return tag ? (/scenarioId="([^"]+)"/.exec(tag)?.[1] ?? null) : null;
}

describe("links into the in-cluster step labs", () => {
  const seeds = Math.min(SEEDS, 40);

  it("name a step lab of the lesson, and a seed only when it is not 0, written as the lab reads it", () => {
    for (const template of CLUSTER_TEMPLATES) {
      // Every template's variants were checked above; a few seeds each show the link's shape.
      for (let seed = 0; seed < Math.min(seeds, 8); seed++) {
        const link = (template.variant(seed) as AnyVariant).lab;
        if (!link || link.lab === "paste" || !(`${link.lab}.preset` in link.query || `${link.lab}.in` in link.query)) continue;
        const at = `${template.id} seed ${seed}`;
        expect(labScenario(link.page, link.lab), `${at}: ${link.page}#lab-${link.lab}`).not.toBeNull();
        const text = link.query[`${link.lab}.seed`];
        if (text !== undefined) expect(parseSeed(text), at).toBeGreaterThan(0);
      }
    }
  });

  it("reopen the very walk whose conntrack entry diagnose-conntrack shows", () => {
    const template = CLUSTER_TEMPLATES.find((t) => t.id === "diagnose-conntrack")!;
    for (let seed = 0; seed < seeds; seed++) {
      const v = template.variant(seed) as AnyVariant;
      const link = v.lab!;
      const scenario = labScenario(link.page, link.lab)!;
      const labSeed = parseSeed(link.query[`${link.lab}.seed`] ?? "0");
      const trace = runKubeScenario(scenario, link.query[`${link.lab}.preset`]!, labSeed);
      const shown = v.exhibits.find((e) => e.kind === "output")!;
      const rows = trace.tables.filter((t) => t.format === "conntrack -L").flatMap((t) => t.rows);
      expect(rows, `diagnose-conntrack seed ${seed}`).toContain((shown as { text: string }).text);
    }
  });
});
