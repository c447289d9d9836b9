/**
 * The flagship journey's templates (`src/quiz/bank/journey/`), seeds 0…199 each: a variant is a pure
 * function of its seed, its key has the kind's shape and names only what the learner is shown, option
 * texts are distinct, the rubric explains every option, field or item with a step of the variant's own
 * trace, wrong models' answers differ from the key, and different parameters give a different prompt or
 * key. Then a few facts per template, checked against the simulator independently of the template.
 */
import { describe, expect, it } from "vitest";
import { computeTrace, fibreMs, flagshipOutcome, getScenario, greatCircleKm, hopById, scenarioDefaults, site, type Trace } from "../../../src/sim/index";
import { REGIONS } from "../../../src/sim/scenarios/cloudflare-gke";
import { JOURNEY_TEMPLATES } from "../../../src/quiz/bank/journey/index";
import { CONCEPTS } from "../../../src/quiz/engine/concepts";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { MISCONCEPTIONS } from "../../../src/quiz/engine/misconceptions";
import type { AnyTemplate, AnyVariant, Choice, Variant } from "../../../src/quiz/engine/types";
import { existsSync } from "node:fs";

const SEEDS = Array.from({ length: Number(process.env["JOURNEY_SEEDS"] ?? 50) }, (_, i) => i);
const TIMEOUT = 120_000;

const variants = new Map<string, AnyVariant[]>();
const variantsOf = (t: AnyTemplate): AnyVariant[] => {
  let vs = variants.get(t.id);
  if (!vs) variants.set(t.id, (vs = SEEDS.map((s) => t.variant(s) as AnyVariant)));
  return vs;
};
const template = (id: string): AnyTemplate => {
  const t = JOURNEY_TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`no journey template ${id}`);
  return t;
};
const as = <K extends AnyVariant["kind"]>(v: AnyVariant, kind: K) => {
  if (v.kind !== kind) throw new Error(`expected ${kind}, got ${v.kind}`);
  return v as Variant<K>;
};

/** Runs `problem` over every seed's variant and reports the first few failures with their seeds. */
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

/** What the learner picks from, and what the key must refer to. */
function shown(v: AnyVariant): readonly Choice[] {
  switch (v.kind) {
    case "single-choice":
    case "multiple-choice":
    case "diagnosis":
      return v.view.options;
    case "ordering":
      return v.view.items;
    case "fill-in":
    case "predict-header":
      return v.view.fields.map((f) => ({ id: f.id, text: f.label }));
    default:
      return [];
  }
}

function keyShapeProblem(v: AnyVariant): string | null {
  const ids = shown(v).map((c) => c.id);
  switch (v.kind) {
    case "single-choice":
      return typeof v.key.choice === "string" && ids.includes(v.key.choice) ? null : `key ${v.key.choice} is not an option`;
    case "multiple-choice":
      return v.key.choices.length > 0 && new Set(v.key.choices).size === v.key.choices.length && v.key.choices.every((c) => ids.includes(c))
        ? null : `key ${JSON.stringify(v.key.choices)} is not a set of options`;
    case "ordering":
      return v.key.order.length === ids.length && v.key.order.every((id) => ids.includes(id)) && new Set(v.key.order).size === ids.length
        ? null : `key order ${v.key.order.join(",")} is not a permutation of ${ids.join(",")}`;
    case "fill-in":
    case "predict-header": {
      const keys = Object.keys(v.key.fields);
      return keys.length === ids.length && keys.every((k) => ids.includes(k)) && Object.values(v.key.fields).every((x) => typeof x === "string" && x.trim() !== "")
        ? null : `key fields ${keys.join(",")} do not fill ${ids.join(",")}`;
    }
    case "numeric":
      return typeof v.key.value === "number" && Number.isFinite(v.key.value) && v.key.value === v.rubric.value ? null : `key ${v.key.value} is not the rubric's finite value`;
    default:
      return `unexpected kind ${v.kind}`;
  }
}

/** The rubric's reasons, by what they explain. */
function rubricWhys(v: AnyVariant): Record<string, { why: string; step: string | null }> {
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
    default:
      return {};
  }
}

/** The trace the variant's lab link opens: its settings (shared or the lab's own) over the defaults, at the variant's seed. */
function labTrace(v: AnyVariant): Trace {
  if (!v.lab) throw new Error("no lab link");
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(v.lab.query)) {
    const [prefix, name] = [key.slice(0, key.indexOf(".")), key.slice(key.indexOf(".") + 1)];
    if (prefix === "scenario" || prefix === v.lab.lab) params[name] = value;
  }
  return computeTrace("cloudflare-gke", params, v.seed);
}

describe.each(JOURNEY_TEMPLATES.map((t) => [t.id, t] as const))("%s", (_, t) => {
  it("names a lesson, concepts and its own file", () => {
    expect(existsSync(`content/lessons/${t.lesson}.mdx`)).toBe(true);
    expect(t.concepts.length).toBeGreaterThan(0);
    for (const c of t.concepts) expect(CONCEPTS, c).toHaveProperty(c);
    expect(t.file).toBe(`src/quiz/bank/journey/${t.id}.ts`);
    expect(existsSync(t.file)).toBe(true);
  });

  it("is deterministic: the same seed gives the same params and the same JSON", () => {
    everySeed(t, (v, seed) => {
      if (JSON.stringify(t.params(seed)) !== JSON.stringify(t.params(seed))) return "params differ between two calls";
      return JSON.stringify(t.variant(seed)) === JSON.stringify(v) ? null : "variant differs between two calls";
    });
  }, TIMEOUT);

  it("labels each variant as its template's, with 1–3 hints, an explanation and a lab on the lesson", () => {
    everySeed(t, (v, seed) => {
      if (v.template !== t.id || v.kind !== t.kind || v.seed !== seed) return `variant says ${v.template}/${v.kind}/${v.seed}`;
      if (v.hints.length < 1 || v.hints.length > 3) return `${v.hints.length} hints`;
      if (v.prompt.trim() === "" || v.explanation.trim() === "") return "empty prompt or explanation";
      if (!v.lab || v.lab.page !== `/lessons/${t.lesson}/`) return `lab ${JSON.stringify(v.lab)}`;
      return null;
    });
  }, TIMEOUT);

  it("has a key of the kind's shape that names only what the learner is shown", () => {
    everySeed(t, (v) => keyShapeProblem(v));
  }, TIMEOUT);

  it("shows distinct option ids and texts", () => {
    everySeed(t, (v) => {
      const choices = shown(v);
      const ids = choices.map((c) => c.id);
      const texts = choices.map((c) => c.text.trim().toLowerCase());
      if (new Set(ids).size !== ids.length) return `repeated id in ${ids.join(",")}`;
      return new Set(texts).size === texts.length ? null : "repeated option text";
    });
  }, TIMEOUT);

  it("explains every option, field or item with a step of the variant's own trace", () => {
    everySeed(t, (v) => {
      const whys = rubricWhys(v);
      const expected = v.kind === "numeric" ? ["value"] : shown(v).map((c) => c.id);
      if (Object.keys(whys).sort().join() !== [...expected].sort().join()) return `rubric explains ${Object.keys(whys).join(",")}, shown ${expected.join(",")}`;
      const trace = labTrace(v);
      for (const [id, w] of Object.entries(whys)) {
        if (w.why.trim() === "") return `no reason for ${id}`;
        if (w.step !== null && !hopById(trace, w.step)) return `${id}'s step ${w.step} is not a hop of the lab's trace`;
      }
      return null;
    });
  }, TIMEOUT);

  it("grades its key as fully right and every wrong model's answer as that misconception", () => {
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
  }, TIMEOUT);

  it("gives a different prompt or key to seeds with different params", () => {
    const seen = new Map<string, { seed: number; params: string }>();
    everySeed(t, (v, seed) => {
      const params = JSON.stringify(t.params(seed));
      const shownText = `${v.prompt}\n${JSON.stringify(v.key)}`;
      const earlier = seen.get(shownText);
      if (earlier && earlier.params !== params) return `same prompt and key as seed ${earlier.seed} (${earlier.params} vs ${params})`;
      if (!earlier) seen.set(shownText, { seed, params });
      return null;
    });
  }, TIMEOUT);

  it("draws more than one set of params over the seeds", () => {
    expect(new Set(SEEDS.map((s) => JSON.stringify(t.params(s)))).size).toBeGreaterThan(3);
  });
});

describe("the keys agree with the simulator", () => {
  it("long-haul-fibre-time: the key is the great-circle distance from the user's city to the region, at 200 km/ms", () => {
    everySeed(template("long-haul-fibre-time"), (v, seed) => {
      const p = template("long-haul-fibre-time").params(seed);
      const region = REGIONS[p.region as keyof typeof REGIONS];
      const expected = fibreMs(greatCircleKm(site(p.city as never), site(region.site)));
      const value = as(v, "numeric").key.value as number;
      return Math.abs(value - expected) < 0.05 ? null : `key ${value} ms, distance says ${expected.toFixed(2)} ms`;
    });
  }, TIMEOUT);

  it("host-header-status: only the Ingress's host reaches a Pod; other names get the default service's 404", () => {
    everySeed(template("host-header-status"), (v, seed) => {
      const host = template("host-header-status").params(seed).host;
      const expected = host === "www.example.com" ? "pod-200" : "default-404";
      return as(v, "single-choice").key.choice === expected ? null : `${host}: key ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("anycast-sites: every anycast decision stays in the user's own city", () => {
    everySeed(template("anycast-sites"), (v, seed) => {
      const city = site(template("anycast-sites").params(seed).city as never).name;
      const fields = as(v, "fill-in").key.fields;
      return Object.values(fields).every((f) => f === city) ? null : `${JSON.stringify(fields)} for ${city}`;
    });
  }, TIMEOUT);

  it("cache-status: DYNAMIC without a Cache Rule, whatever the site holds; otherwise the state decides", () => {
    everySeed(template("cache-status"), (v, seed) => {
      const p = template("cache-status").params(seed);
      const expected = p["cache-rule"] === "none" ? "dynamic" : p.cache === "hit" ? "hit" : p.cache === "expired" ? "expired" : "miss";
      return as(v, "single-choice").key.choice === expected ? null : `${JSON.stringify(p)}: key ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("header-after-cloudflare: a new connection from Cloudflare's egress to the VIP on 443, the browser in X-Forwarded-For", () => {
    everySeed(template("header-after-cloudflare"), (v, seed) => {
      const p = template("header-after-cloudflare").params(seed) as Record<string, string>;
      const trace = computeTrace("cloudflare-gke", p, seed);
      const browser = hopById(trace, "request:browser")!.out!.layers.find((l) => l.kind === "ipv4");
      const f = as(v, "predict-header").key.fields;
      if (browser?.kind !== "ipv4") return "no browser packet";
      if (f["src-ip"] === browser.src) return "the source is still the browser's";
      return f["dst-port"] === "443" && f.xff === browser.src && f.host === p.host ? null : JSON.stringify(f);
    });
  }, TIMEOUT);

  it("health-checked-pods: the key is every healthy Pod, or the GFE's 502 when none is", () => {
    everySeed(template("health-checked-pods"), (v, seed) => {
      const p = template("health-checked-pods").params(seed);
      const choices = [...as(v, "multiple-choice").key.choices].sort();
      const expected = p["pod-health"] === "all-healthy" ? ["pod-10.4.1.5", "pod-10.4.2.7", "pod-10.4.3.9"]
        : p["pod-health"] === "target-unhealthy" ? ["pod-10.4.2.7", "pod-10.4.3.9"] : ["none-502"];
      return choices.join() === expected.join() ? null : `${p["pod-health"]}: ${choices.join()}`;
    });
  }, TIMEOUT);

  it("maglev-rebuild-share: about 1/N of flows move, far fewer than hashing modulo N", () => {
    everySeed(template("maglev-rebuild-share"), (v, seed) => {
      const p = template("maglev-rebuild-share").params(seed);
      const n = p.change === "leave" ? (p.gfes as number) : (p.gfes as number) + 1;
      const value = as(v, "numeric").key.value as number;
      return value >= 100 / n - 0.5 && value <= 100 / n + 3 ? null : `${value}% for 1/${n}`;
    });
  }, TIMEOUT);

  it("cold-connections: the extra time is one round trip from the GFE's site to the region; the round trips are 5 through Cloudflare, 3 without", () => {
    everySeed(template("cold-connections"), (v, seed) => {
      const p = template("cold-connections").params(seed);
      const value = as(v, "numeric").key.value as number;
      if (p.ask === "round-trips") return value === (p.cloudflare === "on" ? 5 : 3) ? null : `${value} round trips`;
      const region = REGIONS[p.region as keyof typeof REGIONS];
      const rtt = 2 * fibreMs(greatCircleKm(site(p.city as never), site(region.site)));
      return Math.abs(value - rtt) < 0.1 ? null : `${value} ms, one round trip is ${rtt.toFixed(2)} ms`;
    });
  }, TIMEOUT);

  it("bypass-origin-protection: none reaches the Pod (or the default service), Cloud Armor answers 403, mTLS ends the handshake", () => {
    everySeed(template("bypass-origin-protection"), (v, seed) => {
      const p = template("bypass-origin-protection").params(seed);
      const routed = p.host === "www.example.com";
      const expected = p["origin-protection"] === "mtls" ? "mtls" : !routed ? "default-404" : p["origin-protection"] === "cloud-armor" ? "armor-403" : "pod";
      return as(v, "single-choice").key.choice === expected ? null : `${JSON.stringify(p)}: key ${as(v, "single-choice").key.choice}`;
    });
  }, TIMEOUT);

  it("leg-3-order: ECMP, then Maglev, then TLS before the URL map, and the request leaves last", () => {
    everySeed(template("leg-3-order"), (v) => {
      const order = as(v, "ordering").key.order;
      const at = (id: string) => order.indexOf(id);
      if (order[0] !== "ecmp" || order[1] !== "maglev" || order.at(-1) !== "to-pod") return order.join(" → ");
      if (!(at("tls") < at("url-map") && at("url-map") < at("endpoint"))) return order.join(" → ");
      if (order.includes("cloud-armor") && !(at("url-map") < at("cloud-armor") && at("cloud-armor") < at("endpoint"))) return order.join(" → ");
      return order.includes("handshake") && at("handshake") < at("endpoint") ? order.join(" → ") : null;
    });
  }, TIMEOUT);

  it("every template's seed 0 runs the scenario's own defaults where it does not set a parameter", () => {
    const defaults = scenarioDefaults(getScenario("cloudflare-gke"));
    for (const t of JOURNEY_TEMPLATES) {
      const v = t.variant(0);
      const trace = labTrace(v as AnyVariant);
      expect(flagshipOutcome(trace).status, t.id).toBeTruthy();
      for (const key of Object.keys(v.lab?.query ?? {})) expect(Object.keys(defaults), `${t.id}: ${key}`).toContain(key.slice(key.indexOf(".") + 1));
    }
  });
});
