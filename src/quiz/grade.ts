/**
 * What a grader returns. "Not answered yet" is not "wrong": an incomplete answer is sent back with
 * a nudge and no score, an invalid one with what to fix, and only a well-formed answer is graded.
 */
export type GradeResult =
  | { readonly type: "incomplete"; readonly message: string }
  | { readonly type: "invalid"; readonly message: string }
  | {
      readonly type: "graded";
      /** 0 to 1. */
      readonly score: number;
      readonly parts: readonly PartResult[];
      /** The first place the answer leaves the trace; null for a perfect answer. */
      readonly firstDeparture: Departure | null;
    };

/** One graded part, kept separate so the learner sees which part lost marks. */
export interface PartResult {
  readonly id: string;
  readonly label: string;
  /** Share of the part earned, 0 to 1. */
  readonly earned: number;
  /** Weight of the part in the total; weights sum to 1. */
  readonly weight: number;
  readonly notes: readonly string[];
}

export interface Departure {
  /** 0-based position in the learner's answer. */
  readonly position: number;
  /** The step (core-trace step id, `request:gfe`) the answer should have had here, for a link into the lab. */
  readonly step: string | null;
  readonly message: string;
}

/**
 * What went wrong with one row of an ordered answer. A row can have several problems; the first is
 * the one its reason leads with.
 */
export type RowProblem = "not-on-path" | "out-of-order" | "mark-missing" | "mark-extra";

/** The verdict on one row of an ordered answer: right or wrong, with one sentence of why and where to look. */
export interface RowVerdict {
  /** 0-based position in the learner's answer. */
  readonly position: number;
  /** The option's id (never shown to the learner: `name` is). */
  readonly item: string;
  readonly name: string;
  readonly correct: boolean;
  readonly problems: readonly RowProblem[];
  /** Marks (by id, e.g. "tls") the row got wrong, in the order the question lists them. */
  readonly marks: readonly string[];
  /** Why the row is right where it is, or why it is wrong. */
  readonly reason: string;
  /** The step of the trace that shows it (core-trace step id), and that step's name. */
  readonly step: string;
  readonly stepName: string;
}

/** Something the answer should have had and does not. */
export interface MissingItem {
  readonly item: string;
  readonly name: string;
  /** 0-based position it has in the key. */
  readonly position: number;
  readonly reason: string;
  readonly step: string;
}

/** Length of the longest common subsequence: how much of the order survives. */
export function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Jaccard similarity of two sets: 1 when equal, lower for each missing or extra member; 1 for two empties. */
export function setAgreement(expected: ReadonlySet<string>, given: ReadonlySet<string>): number {
  const union = new Set([...expected, ...given]);
  if (union.size === 0) return 1;
  let both = 0;
  for (const x of expected) if (given.has(x)) both++;
  return both / union.size;
}
