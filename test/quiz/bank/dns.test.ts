import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DNS_TEMPLATES } from "../../../src/quiz/bank/dns/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import { DNS_MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions/dns";
import type { AnyVariant, Choice } from "../../../src/quiz/engine/types";
import { DNS_MODELS, resolveDnsChain } from "../../../src/sim/edge/dns-chain";
import { STATIC_IP_MODELS } from "../../../src/sim/edge/static-ip";
import { decodeLabInput } from "../../../src/sim/core/permalink";

/**
 * The DNS, Host-header and static-IP templates over seeds 0–199 (DNS_SEEDS changes the count):
 * deterministic, keys of the right shape that name what the view offers, distinct option texts,
 * misconceptions that differ from the key and that the grader recognises, different parameters giving
 * a different question, and the key graded as full marks.
 */
const SEEDS = Number(process.env.DNS_SEEDS ?? 200);

function choicesOf(v: AnyVariant): readonly Choice[] {
  switch (v.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
      return v.view.options;
    case "ordering":
      return v.view.items;
    default:
      return [];
  }
}

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
      expect([...v.key.order].sort()).toEqual([...ids].sort());
      expect(v.rubric.orders[0]).toEqual(v.key.order);
      break;
    case "numeric":
      expect(Number.isInteger(v.key.value)).toBe(true);
      expect(v.rubric.value).toBe(v.key.value);
      break;
    default:
      throw new Error(`unexpected kind ${v.kind}`);
  }
}

describe("the dns bank", () => {
  it("has 4–5 templates of at least four kinds, with known concepts, lessons and files", () => {
    expect(DNS_TEMPLATES.length).toBeGreaterThanOrEqual(4);
    expect(new Set(DNS_TEMPLATES.map((t) => t.kind)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(DNS_TEMPLATES.map((t) => t.id)).size).toBe(DNS_TEMPLATES.length);
    for (const t of DNS_TEMPLATES) {
      for (const c of t.concepts) expect(CONCEPTS[c], `${t.id}: concept ${c}`).toBeDefined();
      expect(existsSync(`content/lessons/${t.lesson}.mdx`), `${t.id}: lesson ${t.lesson}`).toBe(true);
      expect(existsSync(t.file), t.file).toBe(true);
    }
    expect(DNS_TEMPLATES.some((t) => t.id === "static-ip-annotation" && t.source)).toBe(true);
  });

  it("names only misconceptions that are modes of the simulators", () => {
    const modes = new Set([...Object.keys(DNS_MODELS), ...Object.keys(STATIC_IP_MODELS)]);
    for (const m of DNS_MISCONCEPTIONS) {
      expect(modes.has(m.id), m.id).toBe(true);
      expect(MISCONCEPTIONS[m.id]).toBeDefined();
    }
  });
});

describe.each(DNS_TEMPLATES.map((t) => ({ id: t.id, template: t })))("$id", ({ template }) => {
  it(`holds for seeds 0–${SEEDS - 1}`, () => {
    const seen = new Map<string, { seed: number; shown: string }>();
    const recognised = new Set<string>();
    for (let seed = 0; seed < SEEDS; seed++) {
      const v = template.variant(seed) as AnyVariant;
      const at = `${template.id} seed ${seed}`;
      expect(JSON.stringify(template.variant(seed)), `${at}: deterministic`).toBe(JSON.stringify(v));
      expect([v.template, v.kind, v.seed]).toEqual([template.id, template.kind, seed]);
      checkKey(v);
      const texts = choicesOf(v).map((c) => c.text);
      expect(new Set(texts).size, `${at}: distinct option texts`).toBe(texts.length);
      expect(v.hints.length).toBeGreaterThanOrEqual(1);
      expect(v.hints.length).toBeLessThanOrEqual(3);
      expect(v.explanation.length).toBeGreaterThan(40);
      const graded = gradeAnswer(v, v.key);
      expect(graded.type, `${at}: ${JSON.stringify(graded)}`).toBe("graded");
      if (graded.type === "graded") expect(graded.score, at).toBe(1);
      for (const m of v.misconceptions) {
        expect(MISCONCEPTIONS[m.misconception], `${at}: ${m.misconception}`).toBeDefined();
        expect(JSON.stringify(m.answer), `${at}: ${m.misconception} differs from the key`).not.toBe(JSON.stringify(v.key));
        const g = gradeAnswer(v, m.answer);
        expect(g.type === "graded" && g.misconception?.id, `${at}: grader names ${m.misconception}`).toBe(m.misconception);
        recognised.add(m.misconception);
      }
      const params = JSON.stringify(template.params(seed));
      const shown = JSON.stringify([v.prompt, v.exhibits, v.key, choicesOf(v).map((c) => c.text).sort()]);
      if (seen.has(params)) continue;
      for (const [other, earlier] of seen) {
        expect(earlier.shown === shown, `${at} and seed ${earlier.seed} differ in params (${params} vs ${other}) but not in question`).toBe(false);
      }
      seen.set(params, { seed, shown });
    }
    // Each template that offers wrong models meets at least one of them within the seeds.
    const offered: Record<string, string[]> = {
      "dns-query-count": ["registrar-answers-queries"],
      "what-dns-reveals": ["proxied-hides-origin", "registrar-answers-queries"],
      "static-ip-annotation": ["annotation-takes-terraform-label", "unmatched-name-goes-ephemeral"],
      "host-header-answer": ["tls-at-pod"],
    };
    for (const id of offered[template.id] ?? []) expect(recognised.has(id), `${template.id} never produced ${id}`).toBe(true);
  }, 600_000);
});

describe("keys read off the simulators", () => {
  it("the ordering key is the stepper's own sequence, and the count its own count", () => {
    const order = DNS_TEMPLATES.find((t) => t.id === "dns-lookup-order")!.variant(0) as AnyVariant;
    expect(order.kind === "ordering" && order.key.order).toEqual(resolveDnsChain({ setup: "proxied", cache: "cold", qnameMinimisation: true }).steps.map((s) => s.id));
    const count = DNS_TEMPLATES.find((t) => t.id === "dns-query-count")!.variant(0) as AnyVariant;
    expect(count.kind === "numeric" && count.key.value).toBe(4);
  });

  it("the static-IP question's seed 0 is the source's own mistake, and its link reopens the exact texts", () => {
    const v = DNS_TEMPLATES.find((t) => t.id === "static-ip-annotation")!.variant(0) as AnyVariant;
    expect(v.kind === "diagnosis" && v.key.choice).toBe("sync-error");
    expect(v.misconceptions.map((m) => m.misconception).sort()).toEqual(["annotation-takes-terraform-label", "unmatched-name-goes-ephemeral"]);
    const texts = decodeLabInput(v.lab!.query["static-ip.in"]!) as { ingress: string; terraform: string };
    expect(texts.ingress).toContain('kubernetes.io/ingress.global-static-ip-name: "ingress_ip"');
    expect(readFileSync(`content/lessons/domains-dns-and-the-host-header.mdx`, "utf8")).toContain("<StaticIpLab labId=\"static-ip\"");
  });

  it("the Host question's unknown-host case is the default backend's 404, and tls-at-pod believes 200", () => {
    const v = DNS_TEMPLATES.find((t) => t.id === "host-header-answer")!.variant(0) as AnyVariant;
    expect(v.kind === "single-choice" && v.key.choice).toBe("default-404");
    expect(v.misconceptions).toEqual([{ misconception: "tls-at-pod", answer: { choice: "pod-200" } }]);
  });
});
