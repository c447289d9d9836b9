/**
 * The rpki templates (src/quiz/bank/rpki/), seeds 0…199 each: deterministic, keys of the kind's shape
 * naming only what is shown, distinct option texts, every option explained, the key graded as fully
 * right and every wrong model's answer recognised as that misconception, different params giving a
 * different question. Then facts checked against the simulator independently of the templates.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RPKI_TEMPLATES } from "../../../src/quiz/bank/rpki/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import type { AnyTemplate, AnyVariant, Choice } from "../../../src/quiz/engine/types";
import { hijackTopology, ATTACKER_SITES } from "../../../src/sim/rpki/hijacks";
import { parseVrpExport } from "../../../src/sim/rpki/export";
import { parsePrefix } from "../../../src/sim/rpki/prefix";
import { parseAsPath, routeOrigin, vrpIndex } from "../../../src/sim/rpki/rov";

const SEEDS = Array.from({ length: Number(process.env["RPKI_SEEDS"] ?? 200) }, (_, i) => i);
const TIMEOUT = 300_000;
const cache = new Map<string, AnyVariant[]>();
const variantsOf = (t: AnyTemplate) => {
  let vs = cache.get(t.id);
  if (!vs) cache.set(t.id, (vs = SEEDS.map((s) => t.variant(s) as AnyVariant)));
  return vs;
};
const ROUTERS = new Set(Object.values(ATTACKER_SITES).flatMap((s) => hijackTopology(s).ases.flatMap((a) => a.cities.map((c) => `${a.asn}@${c}`))));

function everySeed(t: AnyTemplate, problem: (v: AnyVariant, seed: number) => string | null): void {
  const failures: string[] = [];
  variantsOf(t).forEach((v, seed) => {
    if (failures.length < 5) {
      const p = problem(v, seed);
      if (p) failures.push(`seed ${seed}: ${p}`);
    }
  });
  expect(failures, t.file).toEqual([]);
}

const shown = (v: AnyVariant): readonly Choice[] => (v.kind === "single-choice" || v.kind === "multiple-choice" || v.kind === "diagnosis" ? v.view.options : []);
const whys = (v: AnyVariant): Record<string, { why: string; step: string | null }> =>
  v.kind === "numeric" ? { value: v.rubric.why } : v.kind === "single-choice" || v.kind === "multiple-choice" ? v.rubric.options : {};

describe.each(RPKI_TEMPLATES.map((t) => [t.id, t] as const))("%s", (_, t) => {
  it("names its lesson, concepts and file", () => {
    expect(t.lesson).toBe("hijacking-and-rpki");
    expect(existsSync(`content/lessons/${t.lesson}.mdx`)).toBe(true);
    for (const c of t.concepts) expect(CONCEPTS, c).toHaveProperty(c);
    expect(t.file).toBe(`src/quiz/bank/rpki/${t.id}.ts`);
    expect(existsSync(t.file)).toBe(true);
  });

  it("is deterministic and well formed, with its key of the kind's shape", () => {
    everySeed(t, (v, seed) => {
      if (JSON.stringify(t.variant(seed)) !== JSON.stringify(v)) return "variant differs between two calls";
      if (v.template !== t.id || v.kind !== t.kind || v.seed !== seed) return "mislabelled";
      if (v.hints.length < 1 || v.hints.length > 3 || !v.explanation.trim() || !v.prompt.trim()) return "hints, prompt or explanation";
      if (!v.lab || v.lab.page !== "/lessons/hijacking-and-rpki/" || v.lab.lab !== "rpki") return `lab ${JSON.stringify(v.lab)}`;
      const ids = shown(v).map((c) => c.id);
      if (v.kind === "single-choice" && !ids.includes(v.key.choice)) return `key ${v.key.choice} not an option`;
      if (v.kind === "multiple-choice" && (v.key.choices.length === 0 || !v.key.choices.every((c) => ids.includes(c)))) return "key choices";
      if (v.kind === "numeric" && (v.key.value !== v.rubric.value || !Number.isFinite(v.rubric.value))) return "numeric key";
      const texts = shown(v).map((c) => c.text.trim().toLowerCase());
      if (new Set(texts).size !== texts.length || new Set(ids).size !== ids.length) return "repeated option";
      const expected = v.kind === "numeric" ? ["value"] : ids;
      const w = whys(v);
      if (Object.keys(w).sort().join() !== [...expected].sort().join()) return `rubric explains ${Object.keys(w).join(",")}`;
      for (const [id, why] of Object.entries(w)) {
        if (!why.why.trim()) return `no reason for ${id}`;
        if (why.step !== null && !ROUTERS.has(why.step)) return `${id}'s step ${why.step} is not a router of the lab`;
      }
      return null;
    });
  }, TIMEOUT);

  it("grades its key as fully right and each wrong model's answer as that misconception", () => {
    everySeed(t, (v) => {
      const right = gradeAnswer(v, v.key);
      if (right.type !== "graded" || right.score !== 1 || right.misconception !== null) return `key grades as ${JSON.stringify(right).slice(0, 160)}`;
      for (const m of v.misconceptions) {
        if (!(m.misconception in MISCONCEPTIONS)) return `unknown misconception ${m.misconception}`;
        const r = gradeAnswer(v, m.answer);
        if (r.type !== "graded" || r.score >= 1 || r.misconception?.id !== m.misconception) return `${m.misconception} grades as ${JSON.stringify(r).slice(0, 160)}`;
      }
      return null;
    });
  }, TIMEOUT);

  it("gives a different prompt or key to seeds with different params", () => {
    const seen = new Map<string, string>();
    everySeed(t, (v, seed) => {
      const params = JSON.stringify(t.params(seed));
      const text = `${v.prompt}\n${JSON.stringify(v.exhibits)}\n${JSON.stringify(v.key)}`;
      const earlier = seen.get(text);
      if (earlier !== undefined && earlier !== params) return `same question as params ${earlier}`;
      seen.set(text, params);
      return null;
    });
  }, TIMEOUT);
});

describe("rpki questions, checked independently", () => {
  it("rov-state: the key is what the CSV exhibit's VRPs give for the route, read back through the export parser", () => {
    const t = RPKI_TEMPLATES.find((x) => x.id === "rov-state")!;
    const states = new Set<string>();
    everySeed(t, (v) => {
      if (v.kind !== "single-choice") return "kind";
      const csv = v.exhibits.find((e) => e.kind === "output");
      const route = v.exhibits.find((e) => e.kind === "text");
      if (!csv || csv.kind !== "output" || !route || route.kind !== "text") return "exhibits";
      const [, prefix, path] = /Route: (\S+)\nAS_PATH: (.+)$/.exec(route.text) ?? [];
      const state = vrpIndex(parseVrpExport(csv.text).vrps).validate(parsePrefix(prefix!), routeOrigin(parseAsPath(path!))).state;
      states.add(state);
      return v.key.choice === state.toLowerCase() ? null : `key ${v.key.choice}, exhibits give ${state}`;
    });
    expect([...states].sort()).toEqual(["Invalid", "NotFound", "Valid"]);
  });

  it("static-ip-steal: always 'no', for the right reason, and recorded as the source's question", () => {
    const t = RPKI_TEMPLATES.find((x) => x.id === "static-ip-steal")!;
    expect(t.source).toMatch(/seed 000/);
    everySeed(t, (v) => (v.kind === "single-choice" && v.key.choice === "no-route" ? null : "key"));
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = new Set(RPKI_TEMPLATES.flatMap((t) => variantsOf(t).flatMap((v) => v.misconceptions.map((m) => m.misconception))));
    for (const id of ["maxlength-ignored", "rov-checks-path", "depref-stops-hijack"]) expect(used, id).toContain(id);
  });
});
