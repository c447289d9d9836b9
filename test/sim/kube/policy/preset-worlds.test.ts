import { describe, expect, it } from "vitest";
import { parsePolicies } from "../../../../src/sim/kube/policy/parse";
import { policyPresets } from "../../../../src/sim/kube/policy/presets";
import { presetWorlds } from "../../../../src/sim/kube/policy/preset-worlds";

const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === "source" ? undefined : x)));

describe("the presets' precomputed clusters", () => {
  it("equal what loading each preset's YAML gives (regenerate preset-worlds.ts when a preset changes)", () => {
    for (const p of policyPresets) {
      const r = parsePolicies(p.policies);
      if (!("cluster" in r)) throw new Error(`${p.id} does not load`);
      expect(presetWorlds[p.id], p.id).toEqual(strip({ pods: r.cluster.pods, policies: r.cluster.policies, namespaces: r.cluster.namespaces, warnings: [] }));
    }
  });
});
