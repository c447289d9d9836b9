import { MAGLEV_DEFAULT_TABLE_SIZE, maglevTable } from "./maglev";
import { hashMod, type Flow } from "./maglev-flows";
import { siphashText } from "./siphash";

/**
 * Three ways to map a flow onto one of N backends, behind one small interface, so the same flows can
 * be run through each and the moves compared (Eisenbud et al., NSDI 2016, §3.4 and §5.3):
 *
 * - `maglev`: the flow's hash picks one of M table slots; the slot names the backend (§3.4).
 * - `modulo`: backends[hash mod N], the naive scheme: change N and almost every flow's remainder changes.
 * - `rendezvous`: highest random weight (Thaler & Ravishankar, 1998): each backend scores the flow and
 *   the highest score wins; removing a backend moves only the flows it was winning (minimal disruption),
 *   at the cost of N scores per lookup instead of one table read.
 */
export type HashingScheme = "maglev" | "modulo" | "rendezvous";
export const HASHING_SCHEMES: readonly HashingScheme[] = ["maglev", "modulo", "rendezvous"];

export interface BackendPicker {
  readonly scheme: HashingScheme;
  /** The live backends, in the order the scheme visits them. */
  readonly backends: readonly string[];
  pick(flow: Flow): string;
}

/** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Rendezvous weight of a backend for a flow. Any good hash of (backend, flow) will do; this one mixes
 * the backend name's SipHash with the flow's through the Murmur finaliser — numbers only, so scoring
 * 1,000 backends for 10,000 flows stays fast. Not the hash any particular product uses.
 */
function rendezvousWeight(backend: { hi: number; lo: number }, flow: Flow): number {
  return fmix32(fmix32(backend.lo ^ flow.lo) ^ backend.hi ^ flow.hi);
}

const nameHash = (name: string) => {
  const h = siphashText(0x5ca1ab1en, 0n, name);
  return { hi: Number(h >> 32n), lo: Number(h & 0xffffffffn) };
};

/**
 * The picker for one scheme over these live backends (in order; for Maglev the order is the visiting
 * order of Pseudocode 1, so a removed backend is simply left out and a new one appended).
 *
 * @example backendPicker("modulo", ["gfe-1", "gfe-2", "gfe-3"]).pick(flowOf("tcp 192.0.2.7:40000 → 34.98.10.5:443"))
 */
export function backendPicker(scheme: HashingScheme, names: readonly string[], tableSize = MAGLEV_DEFAULT_TABLE_SIZE): BackendPicker {
  if (names.length === 0) throw new Error("a backend set needs at least one backend");
  const backends = [...names];
  switch (scheme) {
    case "maglev": {
      const table = maglevTable(backends, tableSize);
      return { scheme, backends, pick: (flow) => backends[table.entries[hashMod(flow, tableSize)]!]! };
    }
    case "modulo":
      return { scheme, backends, pick: (flow) => backends[hashMod(flow, backends.length)]! };
    case "rendezvous": {
      const hashes = backends.map(nameHash);
      return {
        scheme,
        backends,
        pick(flow) {
          let best = 0;
          let bestWeight = -1;
          hashes.forEach((h, i) => {
            const w = rendezvousWeight(h, flow);
            // Ties (two equal 32-bit weights) go to the smaller name, so the pick depends on the set, not its order.
            if (w > bestWeight || (w === bestWeight && backends[i]! < backends[best]!)) [best, bestWeight] = [i, w];
          });
          return backends[best]!;
        },
      };
    }
  }
}
