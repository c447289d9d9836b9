import {
  longestCommonSubsequence, setAgreement,
  type Departure, type GradeResult, type MissingItem, type PartResult, type RowProblem, type RowVerdict,
} from "./grade";

/**
 * The grader of "trace the request", apart from the simulator: it reads a `TraceKey` — everything
 * the trace says about each hop, and why each other option is not on the path, computed by the
 * template (`trace-the-request.ts`) — so a page can hold the key as data and grade without loading
 * the simulator. Pure: the same answer and key always give the same result.
 */

export interface HopAnswer {
  readonly device: string;
  readonly tls: boolean;
  readonly anycast: boolean;
}
export interface TraceAnswer {
  readonly hops: readonly HopAnswer[];
}

/** The two marks a hop may carry, in the order the question lists them. */
export const MARKS = ["tls", "anycast"] as const;
export type Mark = (typeof MARKS)[number];

/** One hop of the computed answer, with the sentences the grader may need about it. */
export interface KeyHop {
  /** Option id (the trace's device id). */
  readonly device: string;
  readonly name: string;
  /** Core-trace step id of this hop (`request:gfe`), for links into the lab. */
  readonly step: string;
  readonly tls: boolean;
  readonly anycast: boolean;
  /** What this hop does on the way in: why it is on the path, here. One sentence. */
  readonly role: string;
  /** Why TLS does, or does not, end here. One sentence. */
  readonly tlsWhy: string;
  /** Why an anycast routing decision is, or is not, made here. One sentence. */
  readonly anycastWhy: string;
}

/** An option that is not on this variant's path: why, and the step of the trace that shows it. */
export interface OffPathOption {
  readonly name: string;
  readonly why: string;
  readonly step: string;
  readonly stepName: string;
}

export interface TraceKey {
  /** The request's hops, in order. */
  readonly hops: readonly KeyHop[];
  /** Every other option on offer, by id. */
  readonly offPath: Readonly<Record<string, OffPathOption>>;
}

/** A graded answer to "trace the request": the parts, the first departure, and a verdict on every row. */
export type TraceGradeResult =
  | Exclude<GradeResult, { type: "graded" }>
  | (Extract<GradeResult, { type: "graded" }> & {
      /** One verdict per row of the answer, in the answer's order. */
      readonly rows: readonly RowVerdict[];
      /** Hops of the key the answer leaves out, in the key's order. */
      readonly missing: readonly MissingItem[];
    });

const WEIGHTS = { order: 0.6, tls: 0.2, anycast: 0.2 };

/** Option names by id: the key's hops and the off-path options. */
export function optionNames(key: TraceKey): Map<string, string> {
  return new Map([...key.hops.map((h) => [h.device, h.name] as const), ...Object.entries(key.offPath).map(([id, o]) => [id, o.name] as const)]);
}

/**
 * Indices into `given` of one longest common subsequence with `expected`: the rows that keep the
 * trace's order. The others on the path are out of order. Ties keep the later rows, so of a swapped
 * pair the first row — where the answer first jumps ahead — is the one called out of order.
 */
export function orderedRows(expected: readonly string[], given: readonly string[]): Set<number> {
  const n = expected.length;
  const m = given.length;
  const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = expected[i] === given[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const kept = new Set<number>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (expected[i] === given[j]) {
      kept.add(j);
      i++;
      j++;
    } else if (table[i]![j + 1]! >= table[i + 1]![j]!) j++;
    else i++;
  }
  return kept;
}

function markProblems(given: HopAnswer, expected: KeyHop): { marks: Mark[]; sentences: string[]; missing: boolean } {
  const marks: Mark[] = [];
  const sentences: string[] = [];
  let missing = false;
  for (const mark of MARKS) {
    if (given[mark] === expected[mark]) continue;
    marks.push(mark);
    const why = mark === "tls" ? expected.tlsWhy : expected.anycastWhy;
    if (expected[mark]) missing = true;
    sentences.push(expected[mark] ? `${why} Mark it.` : why);
  }
  return { marks, sentences, missing };
}

function rowVerdict(position: number, given: HopAnswer, key: TraceKey, kept: ReadonlySet<number>): RowVerdict {
  const index = key.hops.findIndex((h) => h.device === given.device);
  if (index < 0) {
    const off = key.offPath[given.device]!;
    return {
      position, item: given.device, name: off.name, correct: false, problems: ["not-on-path"], marks: [],
      reason: off.why, step: off.step, stepName: off.stepName,
    };
  }
  const expected = key.hops[index]!;
  const problems: RowProblem[] = [];
  const sentences: string[] = [];
  if (!kept.has(position)) {
    problems.push("out-of-order");
    const after = key.hops[index - 1];
    sentences.push(`On the path, but not here: the packet meets it ${after ? `right after ${after.name}` : "first"}, as hop ${index + 1}.`);
  }
  const marks = markProblems(given, expected);
  if (marks.marks.length) problems.push(marks.missing ? "mark-missing" : "mark-extra");
  sentences.push(...marks.sentences);
  return {
    position, item: given.device, name: expected.name, correct: problems.length === 0, problems, marks: marks.marks,
    reason: problems.length ? sentences.join(" ") : expected.role, step: expected.step, stepName: expected.name,
  };
}

/**
 * Grades an answer against a key. "Not answered yet" (no hops, or one) is incomplete; a device not on
 * offer or given twice is invalid; anything else is graded: 60% for the order kept (the longest common
 * subsequence over the longer of the two lists), 20% each for the TLS and anycast marks (set agreement).
 *
 * @example gradeTraceKey(keyAnswer(key), key) // { type: "graded", score: 1, rows: [{ correct: true, … }, …], missing: [] }
 */
export function gradeTraceKey(answer: TraceAnswer, key: TraceKey): TraceGradeResult {
  if (answer.hops.length === 0) return { type: "incomplete", message: "Add the hops the request passes through, starting with the browser." };
  if (answer.hops.length < 2) return { type: "incomplete", message: "A request passes more than one device: keep adding hops." };
  const names = optionNames(key);
  const seen = new Set<string>();
  for (const hop of answer.hops) {
    if (!names.has(hop.device)) return { type: "invalid", message: "The answer names a device that is not on offer; remove it and choose from the list." };
    if (seen.has(hop.device)) return { type: "invalid", message: `${names.get(hop.device)} appears twice; a request passes each device once on its way in.` };
    seen.add(hop.device);
  }

  const expectedIds = key.hops.map((h) => h.device);
  const givenIds = answer.hops.map((h) => h.device);
  const kept = orderedRows(expectedIds, givenIds);
  const rows = answer.hops.map((hop, i) => rowVerdict(i, hop, key, kept));
  const missing: MissingItem[] = key.hops.flatMap((h, position) =>
    givenIds.includes(h.device) ? [] : [{ item: h.device, name: h.name, position, reason: h.role, step: h.step }],
  );

  const orderNotes: string[] = [];
  if (missing.length) orderNotes.push(`Missing: ${missing.map((m) => m.name).join(", ")}.`);
  const extra = rows.filter((r) => r.problems.includes("not-on-path"));
  if (extra.length) orderNotes.push(`Not on this path: ${extra.map((r) => r.name).join(", ")}.`);
  const moved = rows.filter((r) => r.problems.includes("out-of-order"));
  if (moved.length) orderNotes.push(`Out of order: ${moved.map((r) => r.name).join(", ")}.`);

  const markPart = (mark: Mark, label: string, what: string): PartResult => {
    const expected = new Set(key.hops.filter((h) => h[mark]).map((h) => h.device));
    const given = new Set(answer.hops.filter((h) => h[mark]).map((h) => h.device));
    const notes: string[] = [];
    for (const d of expected) if (!given.has(d)) notes.push(`${names.get(d)} has ${what} you did not mark.`);
    for (const d of given) if (!expected.has(d)) notes.push(`No ${what.replace(/^an? /, "")} at ${names.get(d)}.`);
    return { id: mark, label, earned: setAgreement(expected, given), weight: WEIGHTS[mark], notes };
  };
  const common = longestCommonSubsequence(expectedIds, givenIds);
  const parts: PartResult[] = [
    { id: "order", label: "Hops in order", earned: common / Math.max(expectedIds.length, givenIds.length), weight: WEIGHTS.order, notes: orderNotes },
    markPart("tls", "TLS terminations", "a TLS termination"),
    markPart("anycast", "Anycast decisions", "an anycast routing decision"),
  ];
  const score = Math.round(parts.reduce((sum, p) => sum + p.earned * p.weight, 0) * 1000) / 1000;
  return { type: "graded", score, parts, firstDeparture: firstDeparture(answer, key, names), rows, missing };
}

/** The computed answer, in the shape a learner gives one. */
export function keyAnswer(key: TraceKey): TraceAnswer {
  return { hops: key.hops.map(({ device, tls, anycast }) => ({ device, tls, anycast })) };
}

function firstDeparture(answer: TraceAnswer, key: TraceKey, names: ReadonlyMap<string, string>): Departure | null {
  const length = Math.max(answer.hops.length, key.hops.length);
  for (let i = 0; i < length; i++) {
    const given = answer.hops[i];
    const expected = key.hops[i];
    const at = `Hop ${i + 1}`;
    if (!expected) {
      const last = key.hops.at(-1)!;
      return { position: i, step: last.step, message: `${at}: the request ends at ${last.name}; nothing comes after it.` };
    }
    if (!given) return { position: i, step: expected.step, message: `${at}: the answer stops, but the trace goes on to ${expected.name}.` };
    if (given.device !== expected.device) {
      const givenName = names.get(given.device)!;
      const later = key.hops.findIndex((h) => h.device === given.device);
      const why = later < 0 ? key.offPath[given.device]!.why : `${givenName} comes at hop ${later + 1}.`;
      return { position: i, step: expected.step, message: `${at}: the trace has ${expected.name} here, not ${givenName}. ${why}` };
    }
    const marks = markProblems(given, expected);
    if (marks.sentences.length) return { position: i, step: expected.step, message: `${at}: ${marks.sentences[0]}` };
  }
  return null;
}
