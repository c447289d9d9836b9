/**
 * The BGP templates (`src/quiz/bank/bgp/`), seeds 0…199 each: deterministic variants, keys of the
 * kind's shape that the engine's grader marks full, distinct option texts, wrong models' answers that
 * differ from the key and that the grader names, different parameters giving a different question — then
 * facts checked against RFC 4271 and the simulated internet independently of the templates.
 */
import { describe, expect, it } from "vitest";
import { BGP_TEMPLATES } from "../../../src/quiz/bank/bgp/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import type { AnyTemplate, AnyVariant, Variant } from "../../../src/quiz/engine/types";
import { existsSync } from "node:fs";
import { initialTransition, transition } from "xstate";
import { bgpLabMachine, bgpLabView } from "../../../src/machines/bgp-lab.machine";

const SEEDS = Array.from({ length: Number(process.env["BGP_SEEDS"] ?? 200) }, (_, i) => i);
const TIMEOUT = 240_000;
const cache = new Map<string, AnyVariant[]>();
const variantsOf = (t: AnyTemplate) => {
  let vs = cache.get(t.id);
  if (!vs) cache.set(t.id, (vs = SEEDS.map((s) => t.variant(s) as AnyVariant)));
  return vs;
};
const template = (id: string) => BGP_TEMPLATES.find((t) => t.id === id)!;
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

describe("the BGP bank", () => {
  it("has 3–5 templates of more than one kind, each with a lesson, concepts and its file", () => {
    expect(BGP_TEMPLATES.length).toBeGreaterThanOrEqual(3);
    expect(BGP_TEMPLATES.length).toBeLessThanOrEqual(5);
    expect(new Set(BGP_TEMPLATES.map((t) => t.kind)).size).toBeGreaterThanOrEqual(2);
    for (const t of BGP_TEMPLATES) {
      expect(existsSync(t.file), t.file).toBe(true);
      expect(existsSync(`content/lessons/${t.lesson}.mdx`)).toBe(true);
      for (const c of t.concepts) expect(Object.keys(CONCEPTS)).toContain(c);
    }
  });
});

describe.each(BGP_TEMPLATES.map((t) => [t.id, t] as const))("%s", (_, t) => {
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
      if (!v.lab || v.lab.page !== "/lessons/anycast-and-bgp/") return "no lab link";
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
      if (v.kind === "ordering") {
        const texts = v.view.items.map((o) => o.text);
        if (new Set(texts).size !== texts.length) return "repeated item text";
        if (JSON.stringify([...v.key.order].sort()) !== JSON.stringify(v.view.items.map((i) => i.id).sort())) return "the key does not order the items shown";
      }
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
  it("the nearest-site misconception appears, and every key of bgp-anycast-site is a site the packet really reaches", () => {
    const used = new Set(BGP_TEMPLATES.flatMap((t) => variantsOf(t).flatMap((v) => v.misconceptions.map((m) => m.misconception))));
    expect([...used]).toEqual(["anycast-nearest-site"]);
    const v0 = as(template("bgp-anycast-site").variant(0), "single-choice");
    expect(v0.key.choice).toBe("london");
    expect(v0.misconceptions).toEqual([{ misconception: "anycast-nearest-site", answer: { choice: "paris" } }]);
  }, TIMEOUT);

  it("the decision order is RFC 4271 §9.1.2.2's: local-pref, AS path, origin, MED, eBGP over iBGP, IGP cost, router id", () => {
    const rfc = ["local-pref", "as-path-length", "origin", "med", "ebgp-over-ibgp", "igp-cost", "router-id"];
    everySeed(template("bgp-decision-order"), (v) => {
      const order = as(v, "ordering").key.order;
      return JSON.stringify(order) === JSON.stringify(rfc.filter((r) => order.includes(r))) ? null : order.join(",");
    });
  }, TIMEOUT);

  it("the longest match wins: inside the more-specific the packet goes to its announcer, outside to Cloudflare", () => {
    const t = template("bgp-longest-match");
    everySeed(t, (v, seed) => {
      const expected = t.params(seed).address === "inside" ? "specific" : "covering";
      return as(v, "single-choice").key.choice === expected ? null : `${JSON.stringify(t.params(seed))}: ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("deciding rules vary across seeds, Madrid's hot potato first", () => {
    const t = template("bgp-deciding-rule");
    expect(as(t.variant(0), "single-choice").key.choice).toBe("igp-cost");
    const keys = new Set(variantsOf(t).map((v) => as(v, "single-choice").key.choice));
    for (const rule of ["local-pref", "as-path-length", "ebgp-over-ibgp", "igp-cost"]) expect(keys).toContain(rule);
  }, TIMEOUT);
});

describe("the BGP questions' lab links open the lab on the variant", () => {
  /** The lab as a link opens it: the machine's first state, then the link's values (`<lab>.<key>`), then its view. */
  function labFromLink(v: AnyVariant) {
    const values = Object.fromEntries(Object.entries(v.lab!.query).map(([k, value]) => [k.slice(v.lab!.lab.length + 1), value]));
    const opened = transition(bgpLabMachine, initialTransition(bgpLabMachine, {})[0], { type: "LINK", values, labId: v.lab!.lab })[0];
    expect(opened.context.linkProblems, JSON.stringify(v.lab)).toEqual([]);
    return bgpLabView(opened.context);
  }

  it("bgp-deciding-rule: the stepper's router decides by the key's rule", () => {
    everySeed(template("bgp-deciding-rule"), (v) => {
      const decided = labFromLink(v).decision.decidedBy;
      return decided === as(v, "single-choice").key.choice ? null : `the lab decides by ${decided}`;
    });
  }, TIMEOUT);

  it("bgp-anycast-site: the anycast map sends the city where the key says", () => {
    const t = template("bgp-anycast-site");
    everySeed(t, (v, seed) => {
      const city = t.params(seed).city;
      const outcome = labFromLink(v).anycast.find((o) => o.city === city);
      const key = as(v, "single-choice").key.choice;
      return outcome && (outcome.reached ?? "none") === key ? null : `${city}: the lab says ${outcome?.reached}, the key ${key}`;
    });
  }, TIMEOUT);
});
