/**
 * The GFE templates (`src/quiz/bank/gfe/`), seeds 0–199 each (GFE_SEEDS): variants are pure functions
 * of the seed, keys are well formed and name what the view offers, option texts are distinct, the
 * wrong models' answers differ from the key and the grader recognises them, different parameters
 * give a different prompt, exhibits or key, and the key earns full marks.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GFE_TEMPLATES } from "../../../src/quiz/bank/gfe/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import { labHref, type AnyVariant, type Choice } from "../../../src/quiz/engine/types";
import { initialTransition, transition } from "xstate";
import { BACKEND_KINDS, ENDPOINT_HEALTHS, URL_MAP_TESTER_GFES, urlMapTesterMachine } from "../../../src/machines/url-map-tester.machine";
import { readUrlMapTesterLink } from "../../../src/machines/url-map-tester-link";
import { decodeLabInput } from "../../../src/sim/core/permalink";
import { readSecurityPolicyYaml, readUrlMapYaml } from "../../../src/sim/edge/gfe-yaml";

const OPTIONS = { kinds: BACKEND_KINDS, healths: ENDPOINT_HEALTHS, gfes: URL_MAP_TESTER_GFES };
const SEEDS = Array.from({ length: Number(process.env.GFE_SEEDS ?? 200) }, (_, i) => i);

function choicesOf(v: AnyVariant): readonly Choice[] {
  return v.kind === "single-choice" || v.kind === "multiple-choice" || v.kind === "diagnosis" ? v.view.options : [];
}

function checkKey(v: AnyVariant): void {
  const ids = new Set(choicesOf(v).map((c) => c.id));
  switch (v.kind) {
    case "single-choice":
      expect(ids.has(v.key.choice)).toBe(true);
      expect(Object.keys(v.rubric.options).sort()).toEqual([...ids].sort());
      break;
    case "fill-in":
      expect(Object.keys(v.key.fields).sort()).toEqual(v.view.fields.map((f) => f.id).sort());
      expect(Object.keys(v.rubric.fields).sort()).toEqual(v.view.fields.map((f) => f.id).sort());
      break;
    case "numeric":
      expect(v.rubric.value).toBe(v.key.value);
      break;
    default:
      throw new Error(`unexpected kind ${v.kind}`);
  }
}

describe.each(GFE_TEMPLATES.map((t) => [t.id, t] as const))("%s", (_id, template) => {
  it("is registered with the lesson, known concepts and its own file", () => {
    expect(template.lesson).toBe("maglev-and-the-gfe");
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
      expect(v.lab?.page).toBe("/lessons/maglev-and-the-gfe/");

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

describe("the gfe bank", () => {
  it("has 3–5 templates of at least three kinds with distinct ids", () => {
    expect(GFE_TEMPLATES.length).toBeGreaterThanOrEqual(3);
    expect(GFE_TEMPLATES.length).toBeLessThanOrEqual(5);
    expect(new Set(GFE_TEMPLATES.map((t) => t.id)).size).toBe(GFE_TEMPLATES.length);
    expect(new Set(GFE_TEMPLATES.map((t) => t.kind)).size).toBeGreaterThanOrEqual(3);
  });

  it("runs each misconception as a real mode and finds it in some variants", () => {
    const found = new Set(GFE_TEMPLATES.flatMap((t) => SEEDS.slice(0, 60).flatMap((s) => (t.variant(s) as AnyVariant).misconceptions.map((m) => m.misconception))));
    expect([...found].sort()).toEqual(["armor-first-listed", "first-path-rule-wins"]);
  });

  it("answers an unknown Host with the default backend's 404, never a 403", () => {
    const t = GFE_TEMPLATES.find((x) => x.id === "unknown-host-status")!;
    expect((t.variant(0) as AnyVariant).key).toEqual({ choice: "default-404" });
    const keys = new Set(SEEDS.slice(0, 60).map((s) => JSON.stringify((t.variant(s) as AnyVariant).key)));
    expect(keys).toEqual(new Set([JSON.stringify({ choice: "default-404" }), JSON.stringify({ choice: "ok" })]));
  });
});

/**
 * "Open this variant in the lab": the link's query, read as the tester reads it (decoded, then
 * LOAD_STATE into its machine with the real YAML readers), reaches the variant's answer.
 */
describe("the GFE questions' lab links", () => {
  const readers = { readUrlMapYaml, readSecurityPolicyYaml };
  const LINK_SEEDS = SEEDS.filter((s) => s < Number(process.env.GFE_LINK_SEEDS ?? 60));
  const open = (v: AnyVariant) => {
    expect(v.lab?.lab).toBe("url-map-tester");
    const query = new URL(labHref(v.lab!), "https://packetlab.test").searchParams;
    const patch = readUrlMapTesterLink(query, "url-map-tester", decodeLabInput, OPTIONS);
    expect(patch, `seed ${v.seed}: the link carries no state`).not.toBeNull();
    let s = initialTransition(urlMapTesterMachine, {})[0];
    s = transition(urlMapTesterMachine, s, { type: "READERS_LOADED", readers })[0];
    s = transition(urlMapTesterMachine, s, { type: "LOAD_STATE", patch: patch! })[0];
    expect(s.context.errors, `seed ${v.seed}`).toEqual({});
    expect(s.context.linkErrors, `seed ${v.seed}`).toEqual({});
    expect(s.context.result, `seed ${v.seed}`).not.toBeNull();
    return s.context.result!;
  };
  const variant = (id: string, seed: number) => GFE_TEMPLATES.find((t) => t.id === id)!.variant(seed) as AnyVariant;

  it("url-map-backend: the tester's URL map sends the request to the key's service", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("url-map-backend", seed);
      const t = open(v).decision.target;
      expect(t.kind === "service" ? t.name : t.kind, `seed ${seed}`).toBe(v.kind === "single-choice" ? v.key.choice : null);
    }
  });

  it("armor-deciding-rule: the tester's policy is decided by the key's priority", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("armor-deciding-rule", seed);
      expect(open(v).armor?.last.rule.priority, `seed ${seed}`).toBe(v.kind === "numeric" ? v.key.value : null);
    }
  });

  it("unknown-host-status: the tester answers as the key says", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("unknown-host-status", seed);
      const key = v.kind === "single-choice" ? v.key.choice : "";
      expect(open(v).status, `seed ${seed}`).toBe(key === "ok" ? "200 OK" : "404 Not Found");
    }
  });

  it("gfe-connects-to: the tester's GFE connects to the key's address", () => {
    for (const seed of LINK_SEEDS) {
      const v = variant("gfe-connects-to", seed);
      const target = open(v).backend?.target;
      expect(target && `${target.ip}:${target.port}`, `seed ${seed}`).toBe(v.kind === "fill-in" ? v.key.fields.address : null);
    }
  });
});
