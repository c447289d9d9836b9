/**
 * The with/without-Cloudflare templates (`src/quiz/bank/compare/`), seeds 0–199 each (COMPARE_SEEDS):
 * the bank's common checks (`area-checks.ts`), every template of a different kind, then what the
 * comparison's questions must recognise.
 */
import { describe, expect, it } from "vitest";
import { COMPARE_TEMPLATES } from "../../../src/quiz/bank/compare/index";
import type { AnyVariant } from "../../../src/quiz/engine/types";
import { areaChecks } from "./area-checks";

const { seeds: SEEDS, template } = areaChecks({
  name: "compare",
  folder: "compare",
  templates: COMPARE_TEMPLATES,
  seeds: { env: "COMPARE_SEEDS", default: 200 },
  kinds: ["single-choice", "diagnosis", "fill-in", "numeric"],
  // Every template of its own kind.
  count: { min: 3, max: 4, minKinds: COMPARE_TEMPLATES.length },
  lesson: "removing-cloudflare",
});

describe("compare facts, independently of the templates", () => {
  it("the TLS question recognises the belief that TLS runs to the Pod", () => {
    const t = template("tls-terminations-compare");
    const v = t.variant(0) as AnyVariant;
    expect(v.key).toEqual({ choice: "2-1" });
    const m = v.misconceptions.find((x) => x.misconception === "tls-at-pod");
    // Under that model the one termination on either path is the Pod's own.
    expect(m?.answer).toEqual({ choice: "1-1" });
  });

  it("the diagnosis names each leftover from its own trace", () => {
    const t = template("why-dns-only-fails");
    const causes = new Set(SEEDS.slice(0, 40).map((s) => (t.variant(s) as AnyVariant & { key: { choice: string } }).key.choice));
    expect([...causes].sort()).toEqual(["cloud-armor-allowlist", "mtls-required", "untrusted-ca"]);
  });
});
