import { describe, expect, it } from "vitest";
import { DECOY_PREFIX } from "../../src/quiz/trace-decoys";
import { gradeTraceKey, keyAnswer, orderedRows, type HopAnswer, type TraceAnswer, type TraceKey } from "../../src/quiz/trace-grader";
import { questionView, type QuestionView } from "../../src/quiz/trace-the-request";

/** A verdict on every row, with the reasons: what the learner reads after "Check answer". */

const views: readonly QuestionView[] = Array.from({ length: 201 }, (_, seed) => questionView(seed));
const canonical = views[0]!;

function rowsOf(answer: TraceAnswer, key: TraceKey) {
  const result = gradeTraceKey(answer, key);
  if (result.type !== "graded") throw new Error(`expected a graded result, got ${result.type}: ${result.message}`);
  return result;
}
const sentence = /^[A-Z].*[.!]$/;

describe("per-row verdicts", () => {
  it("marks every row of the computed answer right, each with what that hop does", () => {
    for (const v of views) {
      const { rows, missing } = rowsOf(keyAnswer(v.key), v.key);
      expect(missing).toEqual([]);
      rows.forEach((row, i) => {
        expect(row).toMatchObject({ position: i, correct: true, problems: [], marks: [], step: v.key.hops[i]!.step });
        expect(row.reason).toMatch(sentence);
      });
      // Each hop's reason is its own, not one sentence for all.
      expect(new Set(rows.map((r) => r.reason)).size).toBeGreaterThan(rows.length / 2);
    }
  });

  it("marks every row of a wrong answer wrong, with a reason and a step of the trace", () => {
    for (const v of views) {
      const steps = new Set([...v.key.hops.map((h) => h.step), ...Object.values(v.key.offPath).map((o) => o.step)]);
      const decoys = v.options.filter((o) => o.id.startsWith(DECOY_PREFIX)).map((o) => ({ device: o.id, tls: false, anycast: false }));
      const { rows } = rowsOf({ hops: decoys }, v.key);
      expect(rows).toHaveLength(decoys.length);
      for (const row of rows) {
        expect(row.correct).toBe(false);
        expect(row.problems).toEqual(["not-on-path"]);
        expect(row.reason).toMatch(sentence);
        expect(steps.has(row.step)).toBe(true);
      }
    }
  });

  it("lists every hop the answer leaves out, at its place in the key, with why it belongs", () => {
    for (const v of views.slice(0, 50)) {
      const kept = keyAnswer(v.key).hops.filter((_, i) => i % 2 === 0);
      const { rows, missing } = rowsOf({ hops: kept }, v.key);
      expect(rows.every((r) => r.correct)).toBe(true);
      expect(missing.map((m) => m.position)).toEqual(v.key.hops.map((_, i) => i).filter((i) => i % 2 === 1));
      for (const m of missing) {
        expect(m.reason).toBe(v.key.hops[m.position]!.role);
        expect(m.step).toBe(v.key.hops[m.position]!.step);
      }
    }
  });

  it("calls a swapped pair out of order on one row, naming the hop it follows", () => {
    for (const v of views.slice(0, 50)) {
      const hops = keyAnswer(v.key).hops.slice();
      [hops[1], hops[2]] = [hops[2]!, hops[1]!];
      const { rows } = rowsOf({ hops }, v.key);
      const moved = rows.filter((r) => r.problems.includes("out-of-order"));
      expect(moved).toHaveLength(1);
      const index = v.key.hops.findIndex((h) => h.device === moved[0]!.item);
      expect(moved[0]!.reason).toContain(`right after ${v.key.hops[index - 1]!.name}, as hop ${index + 1}`);
      expect(rows.filter((r) => !r.correct)).toEqual(moved);
    }
  });

  it("says which mark is wrong, and why, on a hop in the right place", () => {
    const hops = keyAnswer(canonical.key).hops.map((h) => (h.device === "gfe" ? { ...h, tls: false } : h.device === "maglev" ? { ...h, tls: true, anycast: true } : h));
    const { rows } = rowsOf({ hops }, canonical.key);
    const gfe = rows.find((r) => r.item === "gfe")!;
    expect(gfe).toMatchObject({ correct: false, problems: ["mark-missing"], marks: ["tls"] });
    expect(gfe.reason).toMatch(/^TLS ends here: .* Mark it\.$/);
    const maglev = rows.find((r) => r.item === "maglev")!;
    expect(maglev).toMatchObject({ correct: false, problems: ["mark-extra"], marks: ["tls", "anycast"] });
    expect(maglev.reason).toMatch(/^TLS does not end here: .*\. No anycast decision here: .*\.$/);
    expect(rows.filter((r) => !r.correct).map((r) => r.item)).toEqual(["maglev", "gfe"]);
  });

  it("explains each wrong mark in terms of the hop: a decryption's parties, an anycast route's site", () => {
    for (const v of views) {
      for (const hop of v.key.hops) {
        expect(hop.tlsWhy).toMatch(hop.tls ? /^TLS ends here: it decrypts the session from .+ for / : /^TLS does not end here: /);
        expect(hop.anycastWhy).toMatch(hop.anycast ? /^Anycast decides here: \d+ sites announce .+ best route leads to / : /^No anycast decision here: /);
      }
    }
  });

  it("tells devices the request never reaches from decoys: they name where it stops, or that Cloudflare is off", () => {
    for (const v of views) {
      const last = v.key.hops.at(-1)!;
      for (const [id, off] of Object.entries(v.key.offPath)) {
        if (id.startsWith(DECOY_PREFIX)) continue;
        if (off.step === last.step && last.step !== "request:pod") expect(off.why).toContain(`the request stops at ${last.name}, where `);
        else expect(v.params.cloudflare).toBe("off");
      }
    }
  });
});

describe("order alignment", () => {
  it("keeps one longest run of the key's order; of a swapped pair, the row that jumps ahead is out", () => {
    expect([...orderedRows(["a", "b", "c", "d"], ["a", "c", "b", "d"])].sort()).toEqual([0, 2, 3]);
    expect([...orderedRows(["a", "b"], ["x", "y"])]).toEqual([]);
    expect([...orderedRows(["a", "b", "c"], ["c", "b", "a"])]).toHaveLength(1);
  });
});

describe("what is not graded yet", () => {
  it("keeps incomplete and invalid apart from wrong", () => {
    const key = canonical.key;
    const first: HopAnswer = keyAnswer(key).hops[0]!;
    expect(gradeTraceKey({ hops: [] }, key).type).toBe("incomplete");
    expect(gradeTraceKey({ hops: [first] }, key).type).toBe("incomplete");
    expect(gradeTraceKey({ hops: [first, first] }, key)).toMatchObject({ type: "invalid", message: `${key.hops[0]!.name} appears twice; a request passes each device once on its way in.` });
    expect(gradeTraceKey({ hops: [first, { device: "nope", tls: false, anycast: false }] }, key).type).toBe("invalid");
  });
});

