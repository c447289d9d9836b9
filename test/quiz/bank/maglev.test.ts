/**
 * The Maglev templates (`src/quiz/bank/maglev/`), seeds 0…199 each: deterministic variants, keys of the
 * kind's shape that the engine's grader marks full, distinct option texts, wrong models' answers that
 * differ from the key and that the grader names, different parameters giving a different question — then
 * facts checked against the simulator and the paper independently of the templates.
 */
import { describe, expect, it } from "vitest";
import { MAGLEV_TEMPLATES } from "../../../src/quiz/bank/maglev/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import { labHref, type AnyTemplate, type AnyVariant, type Variant } from "../../../src/quiz/engine/types";
import { initialTransition, transition } from "xstate";
import { labFlows, MAGLEV_LAB_LINK_KEYS, maglevLabMachine, maglevLabView } from "../../../src/machines/maglev-lab.machine";
import { readMaglevLabLink } from "../../../src/machines/maglev-lab-link";
import { existsSync } from "node:fs";

const SEEDS = Array.from({ length: Number(process.env["MAGLEV_SEEDS"] ?? 200) }, (_, i) => i);
const TIMEOUT = 240_000;
const cache = new Map<string, AnyVariant[]>();
const variantsOf = (t: AnyTemplate) => {
  let vs = cache.get(t.id);
  if (!vs) cache.set(t.id, (vs = SEEDS.map((s) => t.variant(s) as AnyVariant)));
  return vs;
};
const template = (id: string) => MAGLEV_TEMPLATES.find((t) => t.id === id)!;
const as = <K extends AnyVariant["kind"]>(v: AnyVariant, kind: K) => { expect(v.kind).toBe(kind); return v as Variant<K>; };

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

function shownIds(v: AnyVariant): string[] {
  if (v.kind === "single-choice" || v.kind === "multiple-choice" || v.kind === "diagnosis") return v.view.options.map((o) => o.id);
  if (v.kind === "fill-in" || v.kind === "predict-header") return v.view.fields.map((f) => f.id);
  return [];
}

describe("the Maglev bank", () => {
  it("has 3–5 templates of more than one kind, each with a lesson, concepts and its file", () => {
    expect(MAGLEV_TEMPLATES.length).toBeGreaterThanOrEqual(3);
    expect(MAGLEV_TEMPLATES.length).toBeLessThanOrEqual(5);
    expect(new Set(MAGLEV_TEMPLATES.map((t) => t.kind)).size).toBeGreaterThanOrEqual(3);
    for (const t of MAGLEV_TEMPLATES) {
      expect(existsSync(t.file), t.file).toBe(true);
      expect(existsSync(`content/lessons/${t.lesson}.mdx`)).toBe(true);
      for (const c of t.concepts) expect(Object.keys(CONCEPTS)).toContain(c);
    }
  });
});

describe.each(MAGLEV_TEMPLATES.map((t) => [t.id, t] as const))("%s", (_, t) => {
  it("is deterministic, and its key has the kind's shape and grades full marks", () => {
    everySeed(t, (v, seed) => {
      if (JSON.stringify(t.variant(seed)) !== JSON.stringify(v)) return "variant differs between two calls";
      if (v.template !== t.id || v.kind !== t.kind || v.seed !== seed) return "wrong template, kind or seed";
      const ids = shownIds(v);
      if (v.kind === "single-choice" && !ids.includes(v.key.choice)) return `key ${v.key.choice} is not an option`;
      if (v.kind === "fill-in" && JSON.stringify(Object.keys(v.key.fields).sort()) !== JSON.stringify([...ids].sort())) return "key fields do not fill the view";
      if (v.kind === "numeric" && (v.key.value !== v.rubric.value || !Number.isFinite(v.rubric.value))) return "numeric key is not the rubric value";
      const r = gradeAnswer(v, v.key);
      if (r.type !== "graded" || r.score !== 1) return `key grades ${JSON.stringify(r).slice(0, 200)}`;
      if (v.hints.length < 1 || v.hints.length > 3) return "1–3 hints";
      if (!v.lab || v.lab.page !== "/lessons/maglev-and-the-gfe/") return "no lab link";
      return null;
    });
  }, TIMEOUT);

  it("has distinct option texts and a rubric entry for every option or field", () => {
    everySeed(t, (v) => {
      if (v.kind === "single-choice") {
        const texts = v.view.options.map((o) => o.text);
        if (new Set(texts).size !== texts.length) return `repeated option text: ${texts.join(" | ")}`;
        if (v.view.options.some((o) => !v.rubric.options[o.id]?.why)) return "an option has no why";
      }
      if (v.kind === "fill-in" && v.view.fields.some((f) => !v.rubric.fields[f.id]?.why)) return "a field has no why";
      return null;
    });
  }, TIMEOUT);

  it("gives wrong models' answers that differ from the key and that the grader names", () => {
    everySeed(t, (v) => {
      for (const m of v.misconceptions) {
        if (!MISCONCEPTIONS[m.misconception]) return `unknown misconception ${m.misconception}`;
        if (JSON.stringify(m.answer) === JSON.stringify(v.key)) return `${m.misconception} gives the key`;
        const r = gradeAnswer(v, m.answer);
        if (r.type !== "graded" || r.score === 1) return `${m.misconception}'s answer grades full marks`;
        if (r.misconception?.id !== m.misconception) return `grader did not name ${m.misconception}`;
      }
      return null;
    });
  }, TIMEOUT);

  it("gives a different question for different parameters", () => {
    const seen = new Map<string, string>();
    everySeed(t, (v, seed) => {
      const p = JSON.stringify(t.params(seed));
      const q = JSON.stringify([v.prompt, v.exhibits, v.key]);
      const before = seen.get(p);
      for (const [other, question] of seen) if (other !== p && question === q) return `params ${p} and ${other} give the same question`;
      if (before === undefined) seen.set(p, q);
      return null;
    });
  }, TIMEOUT);
});

describe("facts, independently of the templates", () => {
  it("each wrong model appears in some variant", () => {
    const used = new Set(MAGLEV_TEMPLATES.flatMap((t) => variantsOf(t).flatMap((v) => v.misconceptions.map((m) => m.misconception))));
    expect([...used].sort()).toEqual(["conntrack-miss-drops", "maglev-is-modulo", "modulo-is-consistent"]);
  }, TIMEOUT);

  it("hash mod N moves about (N−1)/N of flows when one of N leaves; Maglev about 1/N", () => {
    const t = template("maglev-flows-moved");
    everySeed(t, (v, seed) => {
      const p = t.params(seed);
      if (p.change !== "leave") return null;
      const n = p.gfes as number;
      const value = as(v, "numeric").rubric.value;
      const expected = p.scheme === "modulo" ? 100 * (1 - 1 / n) : 100 / n;
      return Math.abs(value - expected) < (p.scheme === "maglev" && p.size === 251 ? 12 : 6) ? null : `${p.scheme} N=${n}: ${value}% vs about ${expected.toFixed(1)}%`;
    });
  }, TIMEOUT);

  it("seed 0 of the table exercise is go-maglev's kind of table: three GFEs, seven slots, 3/2/2", () => {
    const v = as(template("maglev-populate-table").variant(0), "fill-in");
    const owners = Object.values(v.key.fields);
    expect(owners).toHaveLength(7);
    const counts = ["gfe-1", "gfe-2", "gfe-3"].map((g) => owners.filter((o) => o === g).length).sort();
    expect(counts).toEqual([2, 2, 3]);
  });

  it("the paper's figure: 1,000 GFEs in 65,537 slots own 65 or 66, and 537 own 66", () => {
    const v = as(template("maglev-slot-balance").variant(0), "fill-in");
    expect(v.key.fields).toEqual({ fewest: "65", most: "66", owners: "537" });
  }, TIMEOUT);

  it("without a GFE change the drained Maglev's connection always survives", () => {
    const t = template("maglev-conntrack-ecmp");
    everySeed(t, (v, seed) => (t.params(seed).change === "none" && as(v, "single-choice").key.choice !== "same" ? "did not survive" : null));
    const keys = new Set(variantsOf(t).map((v) => as(v, "single-choice").key.choice));
    expect(keys).toEqual(new Set(["same", "different"]));
  }, TIMEOUT);
});

/**
 * "Open this variant in the lab": the link's query, loaded into the lab's machine as the island loads it,
 * shows the variant — the same table, the same connection's story, the same measured flows.
 */
describe("the Maglev questions' lab links", () => {
  const LINK_SEEDS = SEEDS.slice(0, Number(process.env["MAGLEV_LINK_SEEDS"] ?? 60));
  const open = (v: AnyVariant) => {
    expect(v.lab?.lab).toBe("maglev");
    const query = new URL(labHref(v.lab!), "https://packetlab.test").searchParams;
    const link = Object.fromEntries(MAGLEV_LAB_LINK_KEYS.map((k) => [k, query.get(`maglev.${k}`)]));
    const s = transition(maglevLabMachine, initialTransition(maglevLabMachine, {})[0], { type: "LOAD_STATE", link, read: readMaglevLabLink })[0];
    expect(s.context.errors, `seed ${v.seed}`).toEqual({});
    return { context: s.context, view: maglevLabView(s.context), query };
  };

  it("maglev-populate-table: the lab's 7-slot table is the key", () => {
    for (const seed of LINK_SEEDS) {
      const v = as(template("maglev-populate-table").variant(seed) as AnyVariant, "fill-in");
      const { view } = open(v);
      expect(view.size).toBe(7);
      expect(Object.fromEntries(view.slots.map((x) => [`slot-${x.slot}`, x.owner])), `seed ${seed}`).toEqual(v.key.fields);
    }
  });

  it("maglev-conntrack-ecmp: the lab follows the same connection to the same outcome", () => {
    for (const seed of LINK_SEEDS) {
      const v = as(template("maglev-conntrack-ecmp").variant(seed) as AnyVariant, "single-choice");
      const { view, context } = open(v);
      expect(view.story.survived, `seed ${seed}`).toBe(v.key.choice === "same");
      expect(v.prompt, `seed ${seed}`).toContain(`The connection ${labFlows(context.seed)[context.storyFlow]!.key} opened through ${view.story.drained}`);
    }
  });

  it("maglev-flows-moved: hash mod N moves the same share of the same flows in the lab", () => {
    let checked = 0;
    for (const seed of LINK_SEEDS) {
      const v = as(template("maglev-flows-moved").variant(seed) as AnyVariant, "numeric");
      const { view, query } = open(v);
      if (!query.has("maglev.gfes")) continue;
      expect(view.changed, `seed ${seed}`).toBe(true);
      if (!v.prompt.includes("hash mod N")) continue;
      const modulo = view.measured.find((d) => d.scheme === "modulo")!;
      expect(Math.round(modulo.movedShare * 1000) / 10, `seed ${seed}`).toBe(v.key.value);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("maglev-slot-balance: the lab shows the variant's GFEs when it can hold them", () => {
    for (const seed of LINK_SEEDS) {
      const v = template("maglev-slot-balance").variant(seed) as AnyVariant;
      const { view, query } = open(v);
      if (query.has("maglev.gfes")) expect(view.live.join(","), `seed ${seed}`).toBe(query.get("maglev.gfes"));
    }
  });
});
