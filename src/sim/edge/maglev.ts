import { siphashText } from "./siphash";

/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016, §3.4). Each backend gets a permutation of
 * the M table slots from an (offset, skip) pair; backends take turns claiming their next free slot
 * until the table is full. A packet's 5-tuple hash picks a slot, and the slot names the backend.
 */
export interface MaglevBackend {
  readonly name: string;
  readonly offset: number;
  readonly skip: number;
}

/** The paper's production table size: prime, and far larger than the backend count. */
export const MAGLEV_DEFAULT_TABLE_SIZE = 65537;

/** The SipHash key go-maglev uses for backend names; reused so its published vectors apply here. */
const K0 = 0xdeadbeefcafebaben;
const K1 = 0n;

/**
 * offset = h mod M from the high 32 bits, skip = (low 32 bits) mod (M − 1) + 1, as in go-maglev's
 * generateOffsetAndSkips.
 */
export function maglevBackend(name: string, tableSize: number): MaglevBackend {
  const h = siphashText(K0, K1, name);
  const offset = Number((h >> 32n) % BigInt(tableSize));
  const skip = Number((h & 0xffffffffn) % BigInt(tableSize - 1)) + 1;
  return { name, offset, skip };
}

/** permutation[j] = (offset + j·skip) mod M. */
export function maglevPermutation(backend: Pick<MaglevBackend, "offset" | "skip">, tableSize: number): number[] {
  return Array.from({ length: tableSize }, (_, j) => (backend.offset + j * backend.skip) % tableSize);
}

/**
 * Pseudocode 1 of the paper. Returns, for each slot, the index into `backends` that owns it.
 * `removed` lists indices of backends that are down: they claim nothing, the survivors keep their
 * index and their (offset, skip), which is what keeps most slots where they were.
 */
export function maglevPopulate(
  backends: readonly Pick<MaglevBackend, "offset" | "skip">[],
  tableSize: number,
  removed: ReadonlySet<number> = new Set(),
  /** When given, `probes` counts the permutation entries read: §3.4's cost, O(M log M) on average. */
  stats?: { probes: number },
): number[] {
  const live = backends.map((_, i) => i).filter((i) => !removed.has(i));
  if (live.length === 0) throw new Error("Maglev needs at least one live backend");
  if (live.length > tableSize) throw new Error("Maglev needs a table at least as large as the backend count");
  const next = new Array<number>(backends.length).fill(0);
  const entry = new Array<number>(tableSize).fill(-1);
  let filled = 0;
  for (;;) {
    for (const i of live) {
      const b = backends[i]!;
      let c = (b.offset + next[i]! * b.skip) % tableSize;
      let probes = 1;
      while (entry[c]! >= 0) {
        next[i]!++;
        probes++;
        c = (b.offset + next[i]! * b.skip) % tableSize;
      }
      if (stats) stats.probes += probes;
      entry[c] = i;
      next[i]!++;
      filled++;
      if (filled === tableSize) return entry;
    }
  }
}

/** A built lookup table for a named backend set. */
export interface MaglevTable {
  readonly backends: readonly MaglevBackend[];
  readonly tableSize: number;
  readonly entries: readonly number[];
  /** How many slots each backend owns (the paper's balance claim: they differ by at most one). */
  readonly slotCounts: readonly number[];
}

/** Recently built tables; bounded, because a lab builds a new one on every change of the set. */
const tableCache = new Map<string, MaglevTable>();
const TABLE_CACHE_LIMIT = 32;

/**
 * Whether a table size is usable: Pseudocode 1 needs every skip in [1, M−1] to be coprime with M, so
 * each backend's permutation visits every slot — true for every skip exactly when M is prime (§3.4).
 */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/**
 * Builds (once, then from a cache: the table depends only on the names and the size) the lookup
 * table for these backends.
 */
export function maglevTable(names: readonly string[], tableSize = MAGLEV_DEFAULT_TABLE_SIZE): MaglevTable {
  const key = `${tableSize}|${names.join(",")}`;
  const cached = tableCache.get(key);
  if (cached) return cached;
  const backends = names.map((name) => maglevBackend(name, tableSize));
  const entries = maglevPopulate(backends, tableSize);
  const slotCounts = new Array<number>(backends.length).fill(0);
  for (const owner of entries) slotCounts[owner]!++;
  const table = { backends, tableSize, entries, slotCounts };
  if (tableCache.size >= TABLE_CACHE_LIMIT) tableCache.delete(tableCache.keys().next().value!);
  tableCache.set(key, table);
  return table;
}

/** The flow-hash half of a lookup: the 5-tuple text hashed with the same SipHash. */
export function maglevFlowHash(flowKey: string): bigint {
  return siphashText(K0, K1, flowKey);
}

/** backend = entry[hash(5-tuple) mod M]; returns the slot and the backend's name. */
export function maglevLookup(table: MaglevTable, flowKey: string): { slot: number; backend: string } {
  const slot = Number(maglevFlowHash(flowKey) % BigInt(table.tableSize));
  return { slot, backend: table.backends[table.entries[slot]!]!.name };
}
