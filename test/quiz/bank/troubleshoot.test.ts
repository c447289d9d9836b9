/**
 * The troubleshoot templates (src/quiz/bank/troubleshoot/), seeds 0…199 each (TROUBLESHOOT_SEEDS): the
 * bank's common checks, then checks against the model independently of the templates.
 */
import { describe, expect, it } from "vitest";
import { TROUBLESHOOT_TEMPLATES } from "../../../src/quiz/bank/troubleshoot/index";
import { gradeAnswer } from "../../../src/quiz/engine/grade";
import { areaChecks } from "./area-checks";

const { everySeed, template, misconceptionsUsed, timeout } = areaChecks({
  name: "troubleshoot",
  folder: "troubleshoot",
  templates: TROUBLESHOOT_TEMPLATES,
  seeds: { env: "TROUBLESHOOT_SEEDS", default: 200 },
  count: { min: 5, max: 8, minKinds: 1 },
  lesson: "troubleshooting-a-cluster",
  labIds: ["troubleshoot"],
  // The cluster is the question: the prompt says only what the user reports.
  questionInExhibits: TROUBLESHOOT_TEMPLATES.map((t) => t.id),
  timeout: 120_000,
});

describe("troubleshoot questions, checked independently", () => {
  it("each template's key is its own fault family, and graded full marks", () => {
    for (const t of TROUBLESHOOT_TEMPLATES) {
      everySeed(t, (v) => {
        if (v.kind !== "diagnosis") return "kind";
        if (`fault-${v.key.choice}` !== t.id) return `key ${v.key.choice}`;
        const r = gradeAnswer(v, v.key);
        return r.type === "graded" && r.score === 1 ? null : "key not full marks";
      });
    }
  }, timeout);

  it("the exhibits show the symptom the fault causes", () => {
    const symptom: Record<string, RegExp> = {
      "fault-selector-mismatch": /Couldn't connect to server/,
      "fault-not-ready": /Couldn't connect to server/,
      "fault-target-port": /Couldn't connect to server/,
      "fault-no-local-endpoint": /Timeout was reached/,
      "fault-host-typo": /response 404 \(backend NotFound\)/,
    };
    for (const t of TROUBLESHOOT_TEMPLATES) everySeed(t, (v) => (v.exhibits[0]?.kind === "output" && symptom[t.id]!.test(v.exhibits[0].text) ? null : "symptom"));
  }, timeout);

  it("the misconceptions the bank uses all appear, and the grader names them", () => {
    const used = misconceptionsUsed();
    for (const id of ["empty-endpoints-means-pods-down", "refused-means-no-endpoints", "ingress-404-is-the-app", "timeout-means-firewall"]) expect(used, id).toContain(id);
    const v = template("fault-selector-mismatch").variant(0);
    const r = gradeAnswer(v, { choice: "not-ready" });
    expect(r.type === "graded" ? r.misconception?.id : null).toBe("empty-endpoints-means-pods-down");
  }, timeout);
});
