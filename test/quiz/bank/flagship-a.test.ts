/**
 * The flagship templates (`src/quiz/bank/flagship/`), seeds 0–49 each (FLAGSHIP_SEEDS; verification.test.ts
 * runs the bank-wide checks over 1,000): the bank's common checks (`area-checks.ts`), and each template
 * meeting one of its wrong models within the first 40 seeds.
 */
import { describe, expect, it } from "vitest";
import { FLAGSHIP_TEMPLATES } from "../../../src/quiz/bank/flagship/index";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { areaChecks } from "./area-checks";

const { variantsOf } = areaChecks({
  name: "flagship",
  folder: "flagship",
  templates: FLAGSHIP_TEMPLATES,
  seeds: { env: "FLAGSHIP_SEEDS", default: 50 },
  count: { min: 10, minKinds: 8 },
  lesson: "life-of-a-packet",
  // The response's hops, with hops only the request takes (Maglev, Unimog) offered to be left out.
  orderingWithDistractors: ["response-path"],
});

describe("the flagship bank's wrong models", () => {
  it.each(FLAGSHIP_TEMPLATES.filter((t) => t.kind !== "open").map((t) => [t.id, t] as const))("%s recognises a wrong model's answer for some seed", (_, t) => {
    // An open self-assessment infers no misconception, so it is left out.
    const found = variantsOf(t).slice(0, 40).some((v) => v.misconceptions.some((m) => {
      const r = gradeAnswer(v, m.answer);
      return r.type === "graded" && r.misconception?.id === m.misconception;
    }));
    expect(found).toBe(true);
  });
});
