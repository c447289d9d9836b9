import { describe, expect, it } from "vitest";
import { computeTrace, getScenario, hopsOf } from "../../src/sim/index";
import { longestCommonSubsequence, setAgreement } from "../../src/quiz/grade";
import { DECOY_PREFIX } from "../../src/quiz/trace-decoys";
import {
  answerKey, gradeTraceAnswer, gradeTraceKey, keyAnswer, makeQuestion, questionTrace, questionView, traceKey,
  type HopAnswer, type QuestionView, type TraceAnswer,
} from "../../src/quiz/trace-the-request";
import { EMPTY_PROGRESS, loadProgress, MAX_ATTEMPTS, recordAttempt } from "../../src/quiz/progress";

const question = makeQuestion(0);
const trace = questionTrace(question);
const key = answerKey(trace);
const known = new Set(question.options.map((o) => o.id));
const grade = (answer: TraceAnswer) => gradeTraceAnswer(answer, trace, known);
const graded = (answer: TraceAnswer) => {
  const result = grade(answer);
  if (result.type !== "graded") throw new Error(`expected a graded result, got ${result.type}`);
  return result;
};
const withHops = (hops: HopAnswer[]) => ({ hops });
const scenario = getScenario("cloudflare-gke");
const labelsOf = (param: string) => scenario.params.find((p) => p.key === param)!.values.map((v) => v.label);
const labelOf = (param: string, value: string) => scenario.params.find((p) => p.key === param)!.values.find((v) => v.value === value)!.label;

const SEEDS = Array.from({ length: 201 }, (_, seed) => seed);
const views: readonly QuestionView[] = SEEDS.map(questionView);

describe("question 1: the answer key comes from the trace", () => {
  it("marks two TLS terminations and two anycast decisions on the canonical question", () => {
    expect(question.params).toEqual({ city: "paris", cloudflare: "on", region: "us-central1" });
    expect(key.hops.filter((h) => h.tls).map((h) => h.device)).toEqual(["cf-edge", "gfe"]);
    expect(key.hops.filter((h) => h.anycast).map((h) => h.device)).toEqual(["isp-router", "cf-router"]);
  });

  it("changes with the variant: without Cloudflare there is one termination, at the GFE", () => {
    const direct = answerKey(computeTrace("cloudflare-gke", { ...question.params, cloudflare: "off" }));
    expect(direct.hops.map((h) => h.device)).not.toContain("cf-edge");
    expect(direct.hops.filter((h) => h.tls).map((h) => h.device)).toEqual(["gfe"]);
  });

  it("names the city and region as the scenario labels them (read, not copied)", () => {
    for (const v of views.slice(0, 8)) {
      expect(v.prompt).toContain(`A user in ${labelOf("city", v.params.city!)} loads`);
      expect(v.prompt).toContain(`runs in ${labelOf("region", v.params.region!)} `);
    }
  });

  it("expects the load balancers the common explanation leaves out: Unimog and Google's edge router", () => {
    expect(key.hops.map((h) => h.device)).toEqual(expect.arrayContaining(["cf-unimog", "google-router"]));
  });

  it("names each option as the question's own trace names it", () => {
    for (const hop of hopsOf(trace, "request")) expect(question.options.find((o) => o.id === hop.device.id)!.name).toBe(hop.device.name);
  });

  it("keeps the key and the grader's key in step with the trace for every variant", () => {
    for (const v of views) {
      const t = questionTrace(v);
      expect(keyAnswer(v.key)).toEqual(answerKey(t));
      expect(v.key.hops.map((h) => h.step)).toEqual(hopsOf(t, "request").map((h) => h.id));
    }
  });

  it("produces varied, reproducible variants, each fully marked by its own key", () => {
    expect(new Set(views.map((v) => JSON.stringify(v.params))).size).toBeGreaterThan(40);
    expect(views.some((v) => v.params.cloudflare === "off")).toBe(true);
    expect(makeQuestion(17)).toEqual(makeQuestion(17));
    expect(questionView(17)).toEqual(views[17]);
    for (const v of views) {
      const t = questionTrace(v);
      expect(gradeTraceAnswer(answerKey(t), t)).toMatchObject({ type: "graded", score: 1, firstDeparture: null, missing: [] });
      expect(v.prompt).toContain(v.params.cloudflare === "on" ? "Cloudflare's proxy" : "Cloudflare is not used");
    }
  });

  it("includes variants whose request is answered before it reaches a Pod", () => {
    const lastKinds = new Set(views.map((v) => hopsOf(questionTrace(v), "request").at(-1)!.device.kind));
    expect([...lastKinds].sort()).toEqual(["cdn-edge", "gfe", "pod"]);
  });

  it("survives the trip through JSON that a page's props take", () => {
    for (const v of views.slice(0, 20)) {
      const copy = JSON.parse(JSON.stringify(v)) as QuestionView;
      expect(copy).toEqual(v);
      const wrong = { hops: [...keyAnswer(v.key).hops].reverse() };
      expect(gradeTraceKey(wrong, copy.key)).toEqual(gradeTraceKey(wrong, v.key));
    }
  });
});

describe("question 1: options", () => {
  it("offers every device of the variant's full path plus decoys, each once, in a seeded order", () => {
    for (const v of views) {
      const ids = v.options.map((o) => o.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(v.options.map((o) => o.name)).size).toBe(ids.length);
      for (const hop of v.key.hops) expect(ids).toContain(hop.device);
      expect(ids.filter((id) => id.startsWith(DECOY_PREFIX)).length).toBeGreaterThanOrEqual(4);
    }
    expect(makeQuestion(0).options).toEqual(question.options);
    expect(views[3]!.options.map((o) => o.id)).not.toEqual(views[4]!.options.map((o) => o.id));
  });

  it("never lets the list's length give the path away: every variant offers the same real devices", () => {
    const realCount = (v: QuestionView) => v.options.filter((o) => !o.id.startsWith(DECOY_PREFIX)).length;
    expect(new Set(views.map(realCount))).toEqual(new Set([realCount(views[0]!)]));
  });

  it("names every option in the same style: a specific name and a place or address in brackets", () => {
    for (const v of views) for (const o of v.options) expect(o.name, o.name).toMatch(/^\S.* \([^()]+\)$/);
  });

  it("names no region and no city but the variant's own", () => {
    const regions = scenario.params.find((p) => p.key === "region")!.values.map((r) => r.value);
    const cities = labelsOf("city");
    for (const v of views) {
      const city = labelOf("city", v.params.city!);
      for (const o of v.options) {
        for (const region of regions) if (region !== v.params.region) expect(o.name, `seed ${v.seed}: ${o.name}`).not.toContain(region);
        for (const other of cities) if (other !== city) expect(o.name, `seed ${v.seed}: ${o.name}`).not.toContain(other);
      }
    }
  });

  it("names its decoys for the variant: the regional box in the variant's region", () => {
    for (const v of [views[0]!, ...views.filter((x) => x.params.region === "europe-west1").slice(0, 3)]) {
      const box = v.options.find((o) => o.id === `${DECOY_PREFIX}lb-appliance`)!;
      expect(box.name).toMatch(new RegExp(`\\(${v.params.region}\\)$`));
    }
  });

  it("offers decoys the trace proves wrong", () => {
    for (const v of views) {
      const t = questionTrace(v);
      const request = hopsOf(t, "request");
      // kube-proxy and NodePort: nothing on the way in translates the destination.
      expect(request.flatMap((h) => h.events).some((e) => e.type === "dnat" || (e.type === "conntrack" && e.nat !== "none"))).toBe(false);
      // No load balancer where the cluster runs: every balancer is at the edge site the user reached.
      const balancers = request.filter((h) => h.device.kind === "l4-lb" || h.device.kind === "gfe");
      for (const b of balancers) expect(b.device.location).toBe(request[1]!.device.location);
      // The failing Pod, when offered, is not the Pod the request reaches.
      const failing = v.options.find((o) => o.id === `${DECOY_PREFIX}failing-pod`);
      expect(failing !== undefined).toBe(v.params["pod-health"] === "target-unhealthy");
      if (failing) expect(request.at(-1)!.device.name).not.toBe(failing.name);
    }
  });

  it("gives every option off the path a reason and a step of this variant's trace to look at", () => {
    for (const v of views) {
      const steps = new Set(questionTrace(v).hops.map((h) => h.id));
      const onPath = new Set(v.key.hops.map((h) => h.device));
      for (const o of v.options.filter((x) => !onPath.has(x.id))) {
        const off = v.key.offPath[o.id]!;
        expect(off.name).toBe(o.name);
        expect(off.why).toMatch(/^[A-Z].{40,}\.$/);
        expect(steps.has(off.step)).toBe(true);
      }
    }
  });

  it("says why Cloudflare's devices are off the path when the proxy is off", () => {
    const direct = views.find((v) => v.params.cloudflare === "off")!;
    expect(direct.key.offPath["cf-edge"]!.why).toMatch(/^Not on this path: Cloudflare does not proxy this request — DNS answers 34\.98\.10\.5/);
  });
});

describe("question 1: settings chips", () => {
  it("shows the variant's settings by the scenario's labels, the cache only behind the proxy", () => {
    for (const v of views) {
      const keys = v.settings.map((s) => s.key);
      expect(keys.slice(0, 3)).toEqual(["city", "cloudflare", "region"]);
      expect(keys.includes("cache")).toBe(v.params.cloudflare === "on");
      for (const s of v.settings) {
        expect(s.label).toBe(scenario.params.find((p) => p.key === s.key)!.label);
        expect(s.valueLabel).toBe(labelOf(s.key, s.value));
        if (v.params[s.key] !== undefined) expect(s.value).toBe(v.params[s.key]);
      }
    }
  });
});

/** Internal ids a learner must never read: device ids with a dash, decoy ids, step ids, site ids. */
function internalIds(): RegExp {
  const ids = new Set<string>();
  for (const v of views.slice(0, 40)) for (const h of questionTrace(v).hops) {
    if (h.device.id.includes("-")) ids.add(h.device.id);
    if (h.device.location.includes("-")) ids.add(h.device.location);
  }
  const escaped = [...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![\\w-])(?:${escaped.join("|")})(?![\\w-])|${DECOY_PREFIX}|\\b(?:request|response):[a-z]`);
}

describe("question 1: no internal id is ever shown", () => {
  it("keeps ids out of the prompt, chips, options, key sentences and feedback for seeds 0 to 200", () => {
    const pattern = internalIds();
    expect("Not on this path: cf-edge").toMatch(pattern);
    expect("request:gfe").toMatch(pattern);
    for (const v of views) {
      const texts = [v.prompt, ...v.settings.flatMap((s) => [s.label, s.valueLabel]), ...v.options.map((o) => o.name)];
      for (const h of v.key.hops) texts.push(h.name, h.role, h.tlsWhy, h.anycastWhy);
      for (const o of Object.values(v.key.offPath)) texts.push(o.name, o.why, o.stepName);
      // Feedback on a thoroughly wrong answer: every option, reversed, with every mark set.
      const everything = { hops: [...v.options].reverse().map((o) => ({ device: o.id, tls: true, anycast: true })) };
      const halfway = { hops: keyAnswer(v.key).hops.slice(0, 2).reverse() };
      for (const answer of [everything, halfway, keyAnswer(v.key), { hops: [] }, { hops: [...everything.hops, everything.hops[0]!] }]) {
        const result = gradeTraceKey(answer, v.key);
        if (result.type !== "graded") {
          texts.push(result.message);
          continue;
        }
        texts.push(...result.parts.flatMap((p) => [p.label, ...p.notes]), result.firstDeparture?.message ?? "");
        texts.push(...result.rows.flatMap((r) => [r.name, r.reason, r.stepName]), ...result.missing.flatMap((m) => [m.name, m.reason]));
      }
      for (const text of texts) expect(text, `seed ${v.seed}`).not.toMatch(pattern);
    }
  });
});

describe("question 1: grading", () => {
  it("gives the right answer full marks", () => {
    expect(graded(key)).toMatchObject({ score: 1, firstDeparture: null });
  });

  it("treats an empty or one-hop answer as not answered yet", () => {
    expect(grade(withHops([]))).toMatchObject({ type: "incomplete" });
    expect(grade(withHops([key.hops[0]!]))).toMatchObject({ type: "incomplete" });
  });

  it("rejects unknown and repeated devices as invalid, not wrong, without printing an id", () => {
    expect(grade(withHops([...key.hops, { device: "toaster", tls: false, anycast: false }]))).toEqual({
      type: "invalid", message: expect.not.stringContaining("toaster"),
    });
    expect(grade(withHops([...key.hops, key.hops[2]!]))).toMatchObject({ type: "invalid", message: expect.stringContaining("appears twice") });
  });

  it("penalises a separate load-balancer box and explains it", () => {
    const hops = [...key.hops];
    hops.splice(6, 0, { device: `${DECOY_PREFIX}lb-appliance`, tls: false, anycast: false });
    const result = graded(withHops(hops));
    expect(result.score).toBeLessThan(1);
    expect(result.score).toBeGreaterThan(0.8);
    expect(result.firstDeparture).toMatchObject({ position: 6, step: "request:maglev" });
    expect(result.firstDeparture!.message).toContain("no load-balancer box in us-central1");
    expect(result.parts.find((p) => p.id === "order")!.notes.join(" ")).toContain("Not on this path: Regional load-balancer appliance");
  });

  it("penalises a swapped pair and points at the first swapped hop", () => {
    const hops = [...key.hops];
    [hops[6], hops[7]] = [hops[7]!, hops[6]!];
    const result = graded(withHops(hops));
    expect(result.score).toBeLessThan(1);
    expect(result.firstDeparture).toMatchObject({ position: 6, step: "request:maglev" });
    expect(result.firstDeparture!.message).toMatch(/^Hop 7: the trace has Maglev/);
  });

  it("penalises a missing hop", () => {
    const hops = key.hops.filter((h) => h.device !== "backbone");
    const result = graded(withHops(hops));
    expect(result.parts[0]!.notes[0]).toContain("Missing: Google backbone");
    expect(result.firstDeparture!.message).toContain("Google backbone");
  });

  it("penalises an unmarked TLS termination and a wrong anycast mark separately", () => {
    const noTls = key.hops.map((h) => (h.device === "gfe" ? { ...h, tls: false } : h));
    const a = graded(withHops(noTls));
    expect(a.parts.find((p) => p.id === "tls")!.earned).toBe(0.5);
    expect(a.parts.find((p) => p.id === "anycast")!.earned).toBe(1);
    expect(a.score).toBe(0.9);
    expect(a.firstDeparture!.message).toMatch(/^Hop 8: TLS ends here: it decrypts the session from Cloudflare edge \(Paris PoP\)/);
    expect(a.parts.find((p) => p.id === "tls")!.notes).toEqual([expect.stringMatching(/^GFE .* has a TLS termination you did not mark\.$/)]);

    const extraAnycast = key.hops.map((h) => (h.device === "maglev" ? { ...h, anycast: true } : h));
    const b = graded(withHops(extraAnycast));
    expect(b.parts.find((p) => p.id === "anycast")!.earned).toBeCloseTo(2 / 3);
    expect(b.firstDeparture!.message).toContain("No anycast decision here");
    expect(b.parts.find((p) => p.id === "anycast")!.notes).toEqual(["No anycast routing decision at Maglev (Paris)."]);
  });

  it("scores a half-finished answer lower than a nearly right one", () => {
    const half = graded(withHops(key.hops.slice(0, 4)));
    const nearly = graded(withHops(key.hops.slice(0, -1)));
    expect(half.score).toBeLessThan(nearly.score);
    expect(half.firstDeparture!.message).toContain("the answer stops");
  });

  it("says when an answer runs past the Pod", () => {
    const result = graded(withHops([...key.hops, { device: `${DECOY_PREFIX}kube-proxy`, tls: false, anycast: false }]));
    expect(result.firstDeparture!.message).toContain("nothing comes after it");
  });

  it("grades the trace and the page's key alike", () => {
    const hops = [...key.hops].reverse();
    expect(gradeTraceAnswer(withHops(hops), trace)).toEqual(gradeTraceKey(withHops(hops), traceKey(trace)));
  });
});

describe("grading helpers", () => {
  it("measures kept order and set agreement", () => {
    expect(longestCommonSubsequence(["a", "b", "c", "d"], ["a", "c", "b", "d"])).toBe(3);
    expect(longestCommonSubsequence([], ["a"])).toBe(0);
    expect(setAgreement(new Set(["a", "b"]), new Set(["a"]))).toBe(0.5);
    expect(setAgreement(new Set(), new Set())).toBe(1);
  });
});

describe("saved progress", () => {
  it("starts fresh when nothing is stored and round-trips what it saves", () => {
    expect(loadProgress(null)).toEqual({ ok: true, progress: EMPTY_PROGRESS, migratedFrom: null });
    const saved = recordAttempt(EMPTY_PROGRESS, "q", { seed: 3, score: 0.5, at: "2026-11-22T00:00:00Z" });
    expect(loadProgress(JSON.stringify(saved))).toEqual({ ok: true, progress: saved, migratedFrom: null });
  });

  it("reads what an earlier release saved for this question", () => {
    const earlier = '{"version":1,"questions":{"trace-the-request":{"attempts":[{"seed":0,"score":0.9,"at":"2026-11-01T10:00:00.000Z"},{"seed":4,"score":1,"at":"2026-11-02T10:00:00.000Z"}]}}}';
    const loaded = loadProgress(earlier);
    expect(loaded.ok).toBe(true);
    expect(loaded.progress.questions["trace-the-request"]!.attempts.map((a) => a.seed)).toEqual([0, 4]);
    const next = recordAttempt(loaded.progress, "trace-the-request", { seed: 5, score: 0.5, at: "2026-11-23T00:00:00.000Z" });
    expect(next.questions["trace-the-request"]!.attempts).toHaveLength(3);
  });

  it("reports corrupt records instead of throwing", () => {
    expect(loadProgress("{not json")).toMatchObject({ ok: false, message: "Your saved progress is not valid JSON." });
    expect(loadProgress('{"version":1,"questions":{"q":{"attempts":[{"seed":-1,"score":2,"at":"x"}]}}}')).toMatchObject({
      ok: false,
      message: expect.stringContaining("questions.q.attempts.0.seed"),
    });
  });

  it("keeps the newest attempts only", () => {
    let p = EMPTY_PROGRESS;
    for (let i = 0; i < MAX_ATTEMPTS + 5; i++) p = recordAttempt(p, "q", { seed: i, score: 1, at: "t" });
    expect(p.questions.q!.attempts).toHaveLength(MAX_ATTEMPTS);
    expect(p.questions.q!.attempts[0]!.seed).toBe(5);
  });
});

