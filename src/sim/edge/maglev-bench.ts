import { MAGLEV_DEFAULT_TABLE_SIZE, maglevBackend, maglevLookup, maglevPopulate, maglevTable } from "./maglev";
import { hashMod, sampleFlows } from "./maglev-flows";

/**
 * A measurement, not a simulation (its figures depend on the machine): how long this implementation
 * takes to build the paper's default table, M = 65,537 slots for 1,000 backends (Eisenbud et al. §5.3
 * report 1.8 ms on their hardware, 22.9 ms for M = 655,373), and how many lookups it does per second.
 */
export interface MaglevBench {
  readonly tableSize: number;
  readonly backends: number;
  /** Median of `runs` builds of Pseudocode 1 (offsets and skips already computed), in ms. */
  readonly buildMs: number;
  /** Hashing the 1,000 names to (offset, skip) with SipHash, once, in ms. */
  readonly permutationMs: number;
  /** Lookups per second with the flow's hash already known (the table read itself). */
  readonly lookupsPerSecond: number;
  /** Lookups per second including SipHash of the 5-tuple text (this model's bigint SipHash dominates). */
  readonly hashedLookupsPerSecond: number;
  readonly paperBuildMs: 1.8;
  readonly runs: number;
}

const now = () => globalThis.performance.now();

export function benchMaglev(runs = 7, tableSize = MAGLEV_DEFAULT_TABLE_SIZE, backendCount = 1000): MaglevBench {
  const names = Array.from({ length: backendCount }, (_, i) => `gfe-${i}`);
  let t = now();
  const backends = names.map((n) => maglevBackend(n, tableSize));
  const permutationMs = now() - t;
  maglevPopulate(backends, tableSize); // warm the JIT
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    t = now();
    maglevPopulate(backends, tableSize);
    times.push(now() - t);
  }
  times.sort((a, b) => a - b);
  const table = maglevTable(names, tableSize);
  const flows = sampleFlows(1, 2000);
  let sink = 0;
  let n = 0;
  t = now();
  while (now() - t < 300) {
    for (const f of flows) sink += table.entries[hashMod(f, tableSize)]!;
    n += flows.length;
  }
  const lookupsPerSecond = Math.round((n / (now() - t)) * 1000);
  let m = 0;
  t = now();
  while (now() - t < 300) {
    for (let i = 0; i < 200; i++) sink += maglevLookup(table, flows[(m + i) % flows.length]!.key).slot;
    m += 200;
  }
  const hashedLookupsPerSecond = Math.round((m / (now() - t)) * 1000);
  if (sink < 0) throw new Error("unreachable"); // keeps the loops from being optimised away
  return {
    tableSize, backends: backendCount, buildMs: times[Math.floor(runs / 2)]!, permutationMs, lookupsPerSecond, hashedLookupsPerSecond,
    paperBuildMs: 1.8, runs,
  };
}
