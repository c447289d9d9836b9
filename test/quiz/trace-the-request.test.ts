import { describe, expect, it } from "vitest";
import { computeTrace, getScenario } from "../../src/sim/index";
import { longestCommonSubsequence, setAgreement } from "../../src/quiz/grade";
import {
  answerKey, DISTRACTORS, gradeTraceAnswer, makeQuestion, questionTrace, type HopAnswer, type TraceAnswer,
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
    const scenario = getScenario("cloudflare-gke");
    const labelOf = (key: string, value: string) => scenario.params.find((p) => p.key === key)!.values.find((v) => v.value === value)!.label;
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const v = makeQuestion(seed);
      expect(v.prompt).toContain(`A user in ${labelOf("city", v.params.city!)} loads`);
      expect(v.prompt).toContain(`runs in ${labelOf("region", v.params.region!)} `);
    }
  });

  it("expects the load balancers the common explanation leaves out: Unimog and Google's edge router", () => {
    expect(key.hops.map((h) => h.device)).toEqual(expect.arrayContaining(["cf-unimog", "google-router"]));
  });

  it("names each option as the question's own trace names it", () => {
    for (const hop of trace.hops) expect(question.options.find((o) => o.id === hop.device.id)!.name).toBe(hop.device.name);
  });

  it("offers every device on the path plus the distractors, in a seeded order", () => {
    for (const hop of key.hops) expect(known.has(hop.device)).toBe(true);
    for (const id of Object.keys(DISTRACTORS)) expect(known.has(id)).toBe(true);
    expect(makeQuestion(0).options).toEqual(question.options);
  });

  it("produces varied, reproducible variants", () => {
    const variants = Array.from({ length: 40 }, (_, seed) => makeQuestion(seed));
    expect(new Set(variants.map((v) => JSON.stringify(v.params))).size).toBeGreaterThan(8);
    expect(variants.some((v) => v.params.cloudflare === "off")).toBe(true);
    expect(makeQuestion(17)).toEqual(makeQuestion(17));
    for (const v of variants) {
      const t = questionTrace(v);
      expect(gradeTraceAnswer(answerKey(t), t)).toMatchObject({ type: "graded", score: 1, firstDeparture: null });
      expect(v.prompt).toContain(v.params.cloudflare === "on" ? "Cloudflare's proxy" : "Cloudflare is not used");
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

  it("rejects unknown and repeated devices as invalid, not wrong", () => {
    expect(grade(withHops([...key.hops, { device: "toaster", tls: false, anycast: false }]))).toMatchObject({ type: "invalid", message: expect.stringContaining("toaster") });
    expect(grade(withHops([...key.hops, key.hops[2]!]))).toMatchObject({ type: "invalid", message: expect.stringContaining("appears twice") });
  });

  it("penalises a separate load-balancer box and explains it", () => {
    const hops = [...key.hops];
    hops.splice(6, 0, { device: "glb", tls: false, anycast: false });
    const result = graded(withHops(hops));
    expect(result.score).toBeLessThan(1);
    expect(result.score).toBeGreaterThan(0.8);
    expect(result.firstDeparture).toMatchObject({ position: 6 });
    expect(result.firstDeparture!.message).toContain("no separate load-balancer box");
    expect(result.parts.find((p) => p.id === "order")!.notes.join(" ")).toContain("Not on this path");
  });

  it("penalises a swapped pair and points at the first swapped hop", () => {
    const hops = [...key.hops];
    [hops[6], hops[7]] = [hops[7]!, hops[6]!];
    const result = graded(withHops(hops));
    expect(result.score).toBeLessThan(1);
    expect(result.firstDeparture).toMatchObject({ position: 6, traceHop: 6 });
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
    expect(a.firstDeparture!.message).toContain("TLS terminates at GFE");
    expect(a.parts.find((p) => p.id === "tls")!.notes).toEqual([expect.stringMatching(/^GFE .* has a TLS termination you did not mark\.$/)]);

    const extraAnycast = key.hops.map((h) => (h.device === "maglev" ? { ...h, anycast: true } : h));
    const b = graded(withHops(extraAnycast));
    expect(b.parts.find((p) => p.id === "anycast")!.earned).toBeCloseTo(2 / 3);
    expect(b.firstDeparture!.message).toContain("makes no anycast decision");
    expect(b.parts.find((p) => p.id === "anycast")!.notes).toEqual(["No anycast routing decision at Maglev (Paris)."]);
  });

  it("scores a half-finished answer lower than a nearly right one", () => {
    const half = graded(withHops(key.hops.slice(0, 4)));
    const nearly = graded(withHops(key.hops.slice(0, -1)));
    expect(half.score).toBeLessThan(nearly.score);
    expect(half.firstDeparture!.message).toContain("the answer stops");
  });

  it("says when an answer runs past the Pod", () => {
    const result = graded(withHops([...key.hops, { device: "kube-proxy", tls: false, anycast: false }]));
    expect(result.firstDeparture!.message).toContain("nothing comes after it");
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
    expect(loadProgress(null)).toEqual({ ok: true, progress: EMPTY_PROGRESS });
    const saved = recordAttempt(EMPTY_PROGRESS, "q", { seed: 3, score: 0.5, at: "2026-11-22T00:00:00Z" });
    expect(loadProgress(JSON.stringify(saved))).toEqual({ ok: true, progress: saved });
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
