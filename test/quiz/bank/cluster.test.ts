/**
 * Every in-cluster template over seeds 0–49 (CLUSTER_SEEDS raises or lowers the count; verification.test.ts
 * runs the bank-wide checks over 1,000): the bank's common checks (`area-checks.ts`), then the links into
 * the in-cluster step labs, read back through the lessons and the scenarios they run.
 */
import { describe, expect, it } from "vitest";
import { CLUSTER_TEMPLATES } from "../../../src/quiz/bank/cluster/index";
import type { AnyVariant } from "../../../src/quiz/engine/types";
import { readFileSync } from "node:fs";
import { runKubeScenario } from "../../../src/sim/kube/index";
import { parseSeed } from "../../../src/sim/scenarios/scenario";
import { LESSONS, lessonPage } from "../../../src/quiz/bank/cluster/shared";
import { areaChecks } from "./area-checks";

const { seeds: SEEDS } = areaChecks({
  name: "in-cluster",
  folder: "cluster",
  templates: CLUSTER_TEMPLATES,
  seeds: { env: "CLUSTER_SEEDS", default: 50 },
  count: { min: 18, minKinds: 5 },
  // A question may open a step lab of another in-cluster lesson (the paste-your-own lab, the ways-in labs).
  labPage: () => Object.values(LESSONS).map(lessonPage),
  // The manifest, the conntrack entry or the cluster's layout is the question; the prompt stays the same.
  questionInExhibits: ["endpoint-probability", "service-types", "clusterip-explain", "diagnose-conntrack"],
});

/** A step lab's scenario, read from the lesson where the link points (`<KubeLab labId="…" scenarioId="…"`). */
function labScenario(page: string, lab: string): string | null {
  const lesson = /^\/lessons\/([^/]+)\/$/.exec(page)?.[1];
  if (!lesson) return null;
  const mdx = readFileSync(`content/lessons/${lesson}.mdx`, "utf8");
  const tag = [...mdx.matchAll(/<KubeLab\b[^>]*>/g)].map((m) => m[0]).find((t) => t.includes(`labId="${lab}"`));
  return tag ? (/scenarioId="([^"]+)"/.exec(tag)?.[1] ?? null) : null;
}

describe("links into the in-cluster step labs", () => {
  const seeds = Math.min(SEEDS.length, 40);

  it("name a step lab of the lesson, and a seed only when it is not 0, written as the lab reads it", () => {
    for (const template of CLUSTER_TEMPLATES) {
      // Every template's variants were checked above; a few seeds each show the link's shape.
      for (let seed = 0; seed < Math.min(seeds, 8); seed++) {
        const link = (template.variant(seed) as AnyVariant).lab;
        if (!link || link.lab === "paste" || !(`${link.lab}.preset` in link.query || `${link.lab}.in` in link.query)) continue;
        const at = `${template.id} seed ${seed}`;
        expect(labScenario(link.page, link.lab), `${at}: ${link.page}#lab-${link.lab}`).not.toBeNull();
        const text = link.query[`${link.lab}.seed`];
        if (text !== undefined) expect(parseSeed(text), at).toBeGreaterThan(0);
      }
    }
  });

  it("reopen the very walk whose conntrack entry diagnose-conntrack shows", () => {
    const template = CLUSTER_TEMPLATES.find((t) => t.id === "diagnose-conntrack")!;
    for (let seed = 0; seed < seeds; seed++) {
      const v = template.variant(seed) as AnyVariant;
      const link = v.lab!;
      const scenario = labScenario(link.page, link.lab)!;
      const labSeed = parseSeed(link.query[`${link.lab}.seed`] ?? "0");
      const trace = runKubeScenario(scenario, link.query[`${link.lab}.preset`]!, labSeed);
      const shown = v.exhibits.find((e) => e.kind === "output")!;
      const rows = trace.tables.filter((t) => t.format === "conntrack -L").flatMap((t) => t.rows);
      expect(rows, `diagnose-conntrack seed ${seed}`).toContain((shown as { text: string }).text);
    }
  });
});
