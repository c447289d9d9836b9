import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maglevLookup, maglevTable } from "../../../src/sim/edge/maglev";
import { flowMoves, measureDisruption, slotChanges } from "../../../src/sim/edge/maglev-disruption";
import { flowOf, hashMod, sampleFlows } from "../../../src/sim/edge/maglev-flows";
import { backendPicker } from "../../../src/sim/edge/maglev-schemes";

/**
 * Maglev vs hash mod N vs rendezvous on the same flows (NSDI 2016 §3.4, §5.3). The invariants: a
 * removed backend's flows always move, nothing moves onto a backend that left, rendezvous moves only
 * what it must, Maglev nearly so, and hash mod N reshuffles almost everything.
 */
const RUNS = Number(process.env["EDGE_PROPERTY_RUNS"] ?? 200);
const FLOWS = sampleFlows(42, 2000);
const gfes = (n: number) => Array.from({ length: n }, (_, i) => `gfe-${i + 1}`);

describe("sample flows", () => {
  it("are the same for the same seed, distinct, and hashed as maglevLookup hashes them", () => {
    expect(sampleFlows(5, 50)).toEqual(sampleFlows(5, 50));
    expect(sampleFlows(5, 50)).not.toEqual(sampleFlows(6, 50));
    expect(new Set(FLOWS.map((f) => f.key)).size).toBe(FLOWS.length);
    const table = maglevTable(gfes(4), 13);
    for (const f of FLOWS.slice(0, 50)) expect(maglevLookup(table, f.key).slot).toBe(hashMod(f, 13));
    expect(FLOWS[0]!.key).toMatch(/^tcp (192\.0\.2|198\.51\.100|203\.0\.113)\.\d+:\d+ → 34\.98\.10\.5:443$/);
  });

  it("hashMod is exact against BigInt arithmetic", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 2 ** 25 }), (key, n) => {
        const f = flowOf(key);
        expect(hashMod(f, n)).toBe(Number(((BigInt(f.hi) << 32n) + BigInt(f.lo)) % BigInt(n)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("disruption when one GFE leaves", () => {
  const scenario = fc.record({ n: fc.integer({ min: 3, max: 12 }), gone: fc.nat(), size: fc.constantFrom(251, 1009, 65537) });

  it("every scheme moves all the leaver's flows and none onto it", () => {
    fc.assert(
      fc.property(scenario, ({ n, gone, size }) => {
        const before = gfes(n);
        const leaver = before[gone % n]!;
        const after = before.filter((g) => g !== leaver);
        for (const scheme of ["maglev", "modulo", "rendezvous"] as const) {
          for (const m of flowMoves(scheme, { before, after, flows: FLOWS.slice(0, 300), tableSize: size })) {
            if (m.before === leaver) expect(m).toMatchObject({ moved: true, forced: true });
            expect(m.after).not.toBe(leaver);
            expect(m.forced).toBe(m.before === leaver);
          }
        }
      }),
      { numRuns: Math.min(RUNS, 40) },
    );
  });

  it("rendezvous moves nothing needlessly; Maglev little; hash mod N about 1 − 1/N of all flows", () => {
    for (const n of [4, 5, 8, 10]) {
      const before = gfes(n);
      const after = before.filter((g) => g !== "gfe-2");
      const [maglev, modulo, rendezvous] = measureDisruption({ before, after, flows: FLOWS });
      expect(rendezvous!.needless).toBe(0);
      // §5.3: Maglev trades a little disruption for balance; with M = 65537 ≫ N the extra is well under 2 %.
      expect(maglev!.needlessShare).toBeLessThan(0.02);
      expect(maglev!.forcedShare).toBeGreaterThan(0.5 / n);
      // A flow stays under hash mod N only when h mod N = h mod (N−1) (and the index still names the same GFE).
      expect(Math.abs(modulo!.movedShare - (1 - 1 / n))).toBeLessThan(0.04);
    }
  });

  it("a small table moves more surviving flows than a large one (Figure 12's trend)", () => {
    // Averaged over each of the 8 GFEs leaving in turn: one removal in a tiny table can happen to move nothing.
    const before = gfes(8);
    const needless = (tableSize: number) =>
      before.reduce((sum, g) => sum + measureDisruption({ before, after: before.filter((x) => x !== g), flows: FLOWS, tableSize, schemes: ["maglev"] })[0]!.needlessShare, 0) / 8;
    expect(needless(31)).toBeGreaterThan(needless(1009));
    expect(needless(1009)).toBeGreaterThan(needless(65537));
  });
});

describe("disruption when a GFE joins", () => {
  it("flows move only onto the newcomer under rendezvous, and mostly so under Maglev", () => {
    const before = gfes(6);
    const after = [...before, "gfe-7"];
    const [maglev, modulo, rendezvous] = measureDisruption({ before, after, flows: FLOWS });
    expect(rendezvous!.needless).toBe(0);
    expect(rendezvous!.forcedShare).toBeGreaterThan(0.1);
    expect(maglev!.needlessShare).toBeLessThan(0.02);
    expect(modulo!.movedShare).toBeGreaterThan(0.75);
    for (const m of flowMoves("maglev", { before, after, flows: FLOWS })) if (m.forced) expect(m.after).toBe("gfe-7");
  });

  it("slotChanges counts a joiner's slots as forced", () => {
    const before = [0, 0, 1, 1, 0];
    const after = [2, 0, 1, 2, 1];
    expect(slotChanges(before, after, new Set(), new Set([2]))).toEqual({
      size: 5,
      moved: [{ slot: 0, from: 0, to: 2 }, { slot: 3, from: 1, to: 2 }, { slot: 4, from: 0, to: 1 }],
      forced: 2,
      needless: 1,
    });
  });
});

describe("pickers", () => {
  it("rendezvous depends on the set, not its order", () => {
    const a = backendPicker("rendezvous", ["gfe-1", "gfe-2", "gfe-3"]);
    const b = backendPicker("rendezvous", ["gfe-3", "gfe-1", "gfe-2"]);
    for (const f of FLOWS.slice(0, 200)) expect(a.pick(f)).toBe(b.pick(f));
  });

  it("each scheme spreads flows over every backend", () => {
    for (const scheme of ["maglev", "modulo", "rendezvous"] as const) {
      const p = backendPicker(scheme, gfes(5));
      const seen = new Map<string, number>();
      for (const f of FLOWS) seen.set(p.pick(f), (seen.get(p.pick(f)) ?? 0) + 1);
      expect(seen.size).toBe(5);
      for (const c of seen.values()) expect(c).toBeGreaterThan(FLOWS.length / 5 / 1.5);
    }
  });
});
