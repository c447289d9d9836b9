import { MAGLEV_DEFAULT_TABLE_SIZE } from "./maglev";
import type { Flow } from "./maglev-flows";
import { backendPicker, HASHING_SCHEMES, type HashingScheme } from "./maglev-schemes";

/**
 * Measured disruption: the same flows mapped by a scheme before and after the backend set changes.
 * A flow that changes backend loses its connection unless something remembers it (Maglev's connection
 * tracking, §3.3), so fewer moves is better — but some moves are forced: a removed backend's flows must
 * go somewhere, and a new backend must take flows from someone. Everything else that moves, moved
 * needlessly.
 */
export interface Disruption {
  readonly scheme: HashingScheme;
  readonly flows: number;
  /** Flows whose backend differs after the change. */
  readonly moved: number;
  /** Moves no scheme can avoid: off a backend that left, or onto one that joined. */
  readonly forced: number;
  /** Moves between backends present both before and after. */
  readonly needless: number;
  /** moved ÷ flows, and the same for forced and needless (0 to 1). */
  readonly movedShare: number;
  readonly forcedShare: number;
  readonly needlessShare: number;
}

export interface DisruptionInput {
  /** Live backends before and after, each in visiting order. */
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly flows: readonly Flow[];
  readonly tableSize?: number;
  readonly schemes?: readonly HashingScheme[];
}

/** One flow's backend under a scheme, before and after. */
export interface FlowMove {
  readonly flow: string;
  readonly before: string;
  readonly after: string;
  readonly moved: boolean;
  /** Whether the move was forced (the old backend left, or the new one joined). */
  readonly forced: boolean;
}

/** Each flow's backend under one scheme, before and after the change. */
export function flowMoves(scheme: HashingScheme, input: Omit<DisruptionInput, "schemes">): FlowMove[] {
  const size = input.tableSize ?? MAGLEV_DEFAULT_TABLE_SIZE;
  const was = backendPicker(scheme, input.before, size);
  const now = backendPicker(scheme, input.after, size);
  const kept = new Set(input.after);
  const old = new Set(input.before);
  return input.flows.map((flow) => {
    const before = was.pick(flow);
    const after = now.pick(flow);
    const moved = before !== after;
    return { flow: flow.key, before, after, moved, forced: moved && (!kept.has(before) || !old.has(after)) };
  });
}

/**
 * Maglev, hash mod N and rendezvous on the same flows, before and after the change.
 *
 * @example measureDisruption({ before: ["a", "b", "c", "d"], after: ["a", "b", "d"], flows: sampleFlows(1, 1000) })
 */
export function measureDisruption(input: DisruptionInput): Disruption[] {
  return (input.schemes ?? HASHING_SCHEMES).map((scheme) => {
    const moves = flowMoves(scheme, input);
    const moved = moves.filter((m) => m.moved).length;
    const forced = moves.filter((m) => m.forced).length;
    const n = moves.length || 1;
    return {
      scheme,
      flows: moves.length,
      moved,
      forced,
      needless: moved - forced,
      movedShare: moved / n,
      forcedShare: forced / n,
      needlessShare: (moved - forced) / n,
    };
  });
}

/** Slots of a Maglev table whose owner changed, split like flows: those of removed backends, and the rest. */
export interface SlotChanges {
  readonly size: number;
  /** Every slot whose owner differs, with the owners (indices into the original backend list). */
  readonly moved: readonly { readonly slot: number; readonly from: number; readonly to: number }[];
  /** Slots that belonged to a removed backend, or that a joining one took (they had to move). */
  readonly forced: number;
  /** Slots of surviving backends that changed owner anyway. */
  readonly needless: number;
}

/**
 * Compares two tables over the same backend indices (as `maglevPopulate(…, removed)` returns them):
 * the paper's "changed entries" (§5.3, Figure 12), split into forced and needless.
 */
export function slotChanges(
  before: readonly number[],
  after: readonly number[],
  removed: ReadonlySet<number>,
  joined: ReadonlySet<number> = new Set(),
): SlotChanges {
  const moved: { slot: number; from: number; to: number }[] = [];
  let forced = 0;
  before.forEach((from, slot) => {
    const to = after[slot]!;
    if (from === to) return;
    moved.push({ slot, from, to });
    if (removed.has(from) || joined.has(to)) forced++;
  });
  return { size: before.length, moved, forced, needless: moved.length - forced };
}
