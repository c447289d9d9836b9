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
  count: { min: 7, max: 9, minKinds: 1 },
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
      "fault-dns-policy": /curl: \(6\) Could not resolve host/,
      "fault-mtu-black-hole": /curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received/,
    };
    for (const t of TROUBLESHOOT_TEMPLATES) everySeed(t, (v) => (v.exhibits[0]?.kind === "output" && symptom[t.id]!.test(v.exhibits[0].text) ? null : "symptom"));
  }, timeout);

  it("the misconceptions the bank uses all appear, and the grader names them", () => {
    const used = misconceptionsUsed();
    for (const id of ["empty-endpoints-means-pods-down", "refused-means-no-endpoints", "ingress-404-is-the-app", "timeout-means-firewall", "resolve-failure-means-dns-down", "hang-means-slow-app"]) expect(used, id).toContain(id);
    const v = template("fault-selector-mismatch").variant(0);
    const r = gradeAnswer(v, { choice: "not-ready" });
    expect(r.type === "graded" ? r.misconception?.id : null).toBe("empty-endpoints-means-pods-down");
    const dns = gradeAnswer(template("fault-dns-policy").variant(3), { choice: "dns-down" });
    expect(dns.type === "graded" ? dns.misconception?.id : null).toBe("resolve-failure-means-dns-down");
    const mtu = gradeAnswer(template("fault-mtu-black-hole").variant(5), { choice: "app-slow" });
    expect(mtu.type === "graded" ? mtu.misconception?.id : null).toBe("hang-means-slow-app");
  }, timeout);

  it("the new cases' exhibits carry the evidence: the policy in the DNS case, the unanswered full-size segments in the MTU case", () => {
    everySeed(template("fault-dns-policy"), (v) => {
      const text = v.exhibits.map((e) => (e.kind === "output" ? e.text : "")).join("\n");
      return /egress-allow-list/.test(text) && /A\? \S+\.svc\.cluster\.local\./.test(text) ? null : "no policy or no DNS query in the exhibits";
    });
    everySeed(template("fault-mtu-black-hole"), (v) => {
      const text = v.exhibits.map((e) => (e.kind === "output" ? e.text : "")).join("\n");
      return /length 1408$/m.test(text) && !/need to frag/.test(text) ? null : "no full-size segment, or an ICMP that should be filtered";
    });
  }, timeout);
});
