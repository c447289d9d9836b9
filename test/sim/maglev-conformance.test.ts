import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isPrime,
  MAGLEV_DEFAULT_TABLE_SIZE,
  maglevBackend,
  maglevFlowHash,
  maglevLookup,
  maglevPermutation,
  maglevPopulate,
  maglevTable,
} from "../../src/sim/edge/maglev";
import { benchMaglev } from "../../src/sim/edge/maglev-bench";
import { slotChanges } from "../../src/sim/edge/maglev-disruption";
import { backendPicker } from "../../src/sim/edge/maglev-schemes";
import { siphash24, siphashText } from "../../src/sim/edge/siphash";
import { seededRandom } from "../../src/sim/random";

/**
 * ../shared/conformance/maglev.json run against this model: every vector, and every entry of its
 * `paper_claims` (a claim without a check here fails the last test, so none is skipped silently).
 */
const path = fileURLToPath(new URL("../../../shared/conformance/maglev.json", import.meta.url));
interface Vector {
  id: string;
  M: number;
  hash: string;
  backends: { index: number; name: string; siphash24_hex: string; offset: number; skip: number; permutation: number[] }[];
  expected_table: number[];
  removed: number[];
  expected_table_after_removal: number[];
}
interface Reference {
  pct_entries_changed_mean: number;
  pct_entries_changed_excluding_failed_backends_mean: number;
  reps: number;
}
const data = JSON.parse(readFileSync(path, "utf8")) as {
  meta: { formulas: Record<string, string>; index_convention: string; removal_convention: string };
  vectors: Vector[];
  paper_claims: Record<string, unknown> & { our_simulation_for_reference: { results: Record<string, Reference> } };
};
const RUNS = Number(process.env["EDGE_PROPERTY_RUNS"] ?? 200);

/** Random (offset, skip) pairs as the claims' note draws them: offsets uniform in [0, M), skips in [1, M−1]. */
function randomBackends(seed: number, n: number, M: number) {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => ({ offset: Math.floor(random() * M), skip: 1 + Math.floor(random() * (M - 1)) }));
}
const counts = (table: readonly number[], n: number) => {
  const c = new Array<number>(n).fill(0);
  for (const owner of table) c[owner]!++;
  return c;
};

describe("SipHash-2-4", () => {
  it("matches the reference vector from the SipHash paper (key 00..0f, message 00..0e)", () => {
    const key = Array.from({ length: 16 }, (_, i) => i);
    const k0 = key.slice(0, 8).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const k1 = key.slice(8).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const message = Uint8Array.from({ length: 15 }, (_, i) => i);
    expect(siphash24(k0, k1, message).toString(16)).toBe("a129ca6149be45e5");
  });
});

describe("the conformance file's meta", () => {
  it("describes the formulas and conventions this suite checks", () => {
    expect(Object.keys(data.meta.formulas).sort()).toEqual(["lookup", "offset", "permutation", "populate", "skip"]);
    expect(data.meta.index_convention).toContain("0-based");
    expect(data.meta.removal_convention).toContain("keep their original index");
  });

  it("lookup: backend = entry[hash(5-tuple) mod M], with the flow text hashed by the same SipHash", () => {
    const table = maglevTable(["backend-0", "backend-1", "backend-2"], 7);
    for (const key of ["tcp 198.51.100.23:51514 → 34.98.10.5:443", "udp 192.0.2.1:53 → 34.98.10.5:443", ""]) {
      const slot = Number(maglevFlowHash(key) % 7n);
      expect(maglevLookup(table, key)).toEqual({ slot, backend: `backend-${table.entries[slot]}` });
    }
  });

  it("removal convention: Rebuild(dead) equals Pseudocode 1 on the reduced list in the same order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(13, 31, 101, 257), (n, seed, M) => {
        const backends = randomBackends(seed, n, M);
        const removed = new Set([seed % n]);
        const survivors = backends.map((_, i) => i).filter((i) => !removed.has(i));
        const reduced = maglevPopulate(survivors.map((i) => backends[i]!), M).map((j) => survivors[j]!);
        expect(maglevPopulate(backends, M, removed)).toEqual(reduced);
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each(data.vectors)("Maglev conformance: $id", (vector) => {
  it("uses the hash the vector names", () => {
    expect(vector.hash).toContain("SipHash-2-4(k0=0xdeadbeefcafebabe, k1=0");
  });

  it.each(vector.backends)("hashes $name to its published offset, skip and permutation", (b) => {
    expect(siphashText(0xdeadbeefcafebaben, 0n, b.name).toString(16).padStart(16, "0")).toBe(b.siphash24_hex);
    const backend = maglevBackend(b.name, vector.M);
    expect([backend.offset, backend.skip]).toEqual([b.offset, b.skip]);
    expect(maglevPermutation(backend, vector.M)).toEqual(b.permutation);
  });

  it("populates the published table", () => {
    expect(maglevPopulate(vector.backends, vector.M)).toEqual(vector.expected_table);
    expect(maglevTable(vector.backends.map((b) => b.name), vector.M).entries).toEqual(vector.expected_table);
  });

  it("repopulates after removal as published", () => {
    expect(maglevPopulate(vector.backends, vector.M, new Set(vector.removed))).toEqual(vector.expected_table_after_removal);
  });
});

/** One check per `paper_claims` entry; the last test fails if the file gains a claim with no check here. */
const CLAIMS: Record<string, () => void> = {
  balance_exact() {
    // §3.4: every backend owns ⌊M/N⌋ or ⌈M/N⌉ slots, for ANY offsets and skips; and the first M mod N
    // backends in visiting order are the ones with ⌈M/N⌉ (the round in which the table fills).
    fc.assert(
      fc.property(fc.constantFrom(7, 13, 31, 101, 1009), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e9 }), (M, wanted, seed) => {
        const n = Math.min(wanted, M);
        const c = counts(maglevPopulate(randomBackends(seed, n, M), M), n);
        expect(c).toEqual(c.map((_, i) => (i < M % n ? Math.ceil(M / n) : Math.floor(M / n))));
      }),
      { numRuns: RUNS },
    );
  },
  table_size_rule() {
    // A prime M makes every skip in 1…M−1 coprime with M; a composite one leaves permutations that
    // revisit slots (M = 12, skip 3 reaches 4 slots), which is why the CLI refuses it.
    for (const M of [7, 13, 31, 65537, 655373]) expect(isPrime(M)).toBe(true);
    for (const M of [1, 12, 65536, 65535, 655371]) expect(isPrime(M)).toBe(false);
    expect(new Set(maglevPermutation({ offset: 0, skip: 3 }, 12)).size).toBe(4);
    for (const skip of [1, 2, 5, 12]) expect(new Set(maglevPermutation({ offset: 3, skip }, 13)).size).toBe(13);
    // M > 100 × N ⇒ shares differ by at most one slot in M/N > 100: under 1 % of a backend's share.
    const M = 65537;
    const n = 655;
    const c = counts(maglevPopulate(randomBackends(3, n, M), M), n);
    expect((Math.max(...c) - Math.min(...c)) / (M / n)).toBeLessThan(0.01);
  },
  complexity() {
    // Average O(M log M): the permutation entries read while filling stay within a small multiple of M ln M.
    const stats = { probes: 0 };
    maglevPopulate(randomBackends(11, 1000, 65537), 65537, new Set(), stats);
    expect(stats.probes).toBeGreaterThan(65537);
    expect(stats.probes).toBeLessThan(1.5 * 65537 * Math.log(65537));
    // Worst case O(M²): N = M backends that all share one permutation read 1 + 2 + … + M entries.
    const worst = { probes: 0 };
    const same = Array.from({ length: 31 }, () => ({ offset: 4, skip: 7 }));
    maglevPopulate(same, 31, new Set(), worst);
    expect(worst.probes).toBe((31 * 32) / 2);
  },
  evaluation_balance() {
    // Figure 11: N = 1000 at M = 65537 gives 65 or 66 slots each: max/mean 66/65.537 = 1.00706.
    const c = counts(maglevPopulate(randomBackends(7, 1000, 65537), 65537), 1000);
    expect([Math.min(...c), Math.max(...c)]).toEqual([65, 66]);
    expect(Math.max(...c) / (65537 / 1000)).toBeCloseTo(1.00706, 5);
    const big = counts(maglevPopulate(randomBackends(8, 1000, 655373), 655373), 1000);
    expect([Math.min(...big), Math.max(...big)]).toEqual([655, 656]);
    // The same with names hashed as go-maglev does, through the table the model uses.
    const named = maglevTable(Array.from({ length: 1000 }, (_, i) => `gfe-${i}`), MAGLEV_DEFAULT_TABLE_SIZE).slotCounts;
    expect([Math.min(...named), Math.max(...named)]).toEqual([65, 66]);
    // Rendezvous hashing of the 65,537 slots (the paper's comparison, Figure 11) needs its busiest backend
    // far above the mean: the paper reports 49.5 % overprovisioning; our rendezvous (a different hash)
    // must land well above Maglev's 0.7 %. Divergence: Karger's ring, the paper's third scheme, is not
    // modelled, so its 29.7 % is not checked.
    const hrw = backendPicker("rendezvous", Array.from({ length: 1000 }, (_, i) => `gfe-${i}`));
    const hrwCounts = new Map<string, number>();
    for (let slot = 0; slot < 65537; slot++) {
      const b = hrw.pick({ key: String(slot), hi: slot * 2654435761 % 2 ** 32, lo: slot });
      hrwCounts.set(b, (hrwCounts.get(b) ?? 0) + 1);
    }
    const over = Math.max(...hrwCounts.values()) / (65537 / 1000) - 1;
    expect(over).toBeGreaterThan(0.25);
    expect(over).toBeLessThan(0.8);
  },
  evaluation_disruption() {
    // Figure 12: the share of changed entries grows with the number of concurrent failures, and a larger
    // table changes fewer entries. Measured here on survivors' slots (the removed backends' slots must move).
    const changed = (M: number, k: number, seed: number) => {
      const backends = randomBackends(seed, 1000, M);
      const random = seededRandom(seed + 1);
      const removed = new Set<number>();
      while (removed.size < k) removed.add(Math.floor(random() * 1000));
      const c = slotChanges(maglevPopulate(backends, M), maglevPopulate(backends, M, removed), removed);
      return { all: (100 * c.moved.length) / M, needless: (100 * c.needless) / M };
    };
    const small = [1, 10, 50].map((k) => changed(65537, k, 20 + k));
    expect(small[0]!.all).toBeLessThan(small[1]!.all);
    expect(small[1]!.all).toBeLessThan(small[2]!.all);
    const large = changed(655373, 10, 30);
    expect(large.needless).toBeLessThan(small[1]!.needless);
  },
  evaluation_timing() {
    // §5.3: 1.8 ms to build M = 65537 on the paper's servers. Ours is a TypeScript port on a shared
    // machine: it must stay within two orders of magnitude (the bench prints the real figure).
    const bench = benchMaglev(3);
    expect(bench.tableSize).toBe(65537);
    expect(bench.backends).toBe(1000);
    expect(bench.buildMs).toBeGreaterThan(0);
    expect(bench.buildMs).toBeLessThan(180);
    expect(bench.lookupsPerSecond).toBeGreaterThan(100_000);
  },
  default_table_size() {
    expect(MAGLEV_DEFAULT_TABLE_SIZE).toBe(65537);
    expect(maglevTable(["gfe-1", "gfe-2"]).tableSize).toBe(65537);
  },
  our_simulation_for_reference() {
    // The file's own simulation (not the paper's numbers): mean % of entries changed, all and on
    // survivors only, for k of 1000 random backends removed. Ours, with fewer repetitions, must agree
    // within the spread a handful of runs gives (±35 % relative, or ±0.25 points for tiny values).
    for (const [label, ref] of Object.entries(data.paper_claims.our_simulation_for_reference.results)) {
      const [, M, k] = /M=(\d+),N=1000,k=(\d+)/.exec(label)!.map(Number) as [number, number, number];
      const reps = M > 100_000 ? 1 : 4;
      let all = 0;
      let needless = 0;
      for (let r = 0; r < reps; r++) {
        const seed = 1000 * k + r;
        const backends = randomBackends(seed, 1000, M);
        const random = seededRandom(seed + 7);
        const removed = new Set<number>();
        while (removed.size < k) removed.add(Math.floor(random() * 1000));
        const c = slotChanges(maglevPopulate(backends, M), maglevPopulate(backends, M, removed), removed);
        all += (100 * c.moved.length) / M / reps;
        needless += (100 * c.needless) / M / reps;
      }
      const near = (ours: number, theirs: number) => Math.abs(ours - theirs) <= Math.max(0.35 * theirs, 0.25);
      expect(near(all, ref.pct_entries_changed_mean), `${label}: ${all.toFixed(3)} vs ${ref.pct_entries_changed_mean}`).toBe(true);
      expect(near(needless, ref.pct_entries_changed_excluding_failed_backends_mean), `${label} survivors: ${needless.toFixed(3)} vs ${ref.pct_entries_changed_excluding_failed_backends_mean}`).toBe(true);
    }
  },
};

describe("Maglev paper claims (NSDI 2016 §3.4, §5.3), from paper_claims", () => {
  it.each(Object.keys(CLAIMS))("%s", (claim) => {
    expect(data.paper_claims).toHaveProperty(claim);
    CLAIMS[claim]!();
  }, 120_000);

  it("checks every claim the file lists", () => {
    expect(Object.keys(data.paper_claims).sort()).toEqual(Object.keys(CLAIMS).sort());
  });
});
