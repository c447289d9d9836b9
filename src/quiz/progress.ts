import * as z from "zod/mini";

/**
 * What a learner's browser keeps: attempts per question, a spaced-repetition card per template × concept,
 * how far each lab was stepped and which lessons were read. Versioned so a later release can read what
 * an earlier one wrote; a record that cannot be read is kept aside by the caller, never overwritten.
 *
 * Version history:
 * - 1: `{ version: 1, questions: { [questionId]: { attempts: { seed, score, at }[] } } }`.
 * - 2: adds `hints`, `revealed` and `rating` to attempts, `cards`, and the optional `labs` and `lessons`.
 *   Reading a version-1 record keeps every attempt as it was and starts with no cards; cards appear at
 *   the next review of each template, or at once with `seedCardsFromAttempts` for callers that know the
 *   templates' concepts (this module does not import the question bank, which would pull the simulator
 *   into every page that shows saved progress).
 */
export const PROGRESS_VERSION = 2;

const count = () => z.number().check(z.int(), z.nonnegative());
const isoTime = () => z.iso.datetime({ offset: true });

export const AttemptSchema = z.object({
  /** Question variant seed. */
  seed: count(),
  /** Score of the attempt's first graded check, 0 to 1. */
  score: z.number().check(z.gte(0), z.lte(1)),
  /** ISO time of the attempt (version-1 records may hold any text here, and are kept as they are). */
  at: z.string(),
  /** Hints shown during the attempt. */
  hints: z.optional(count()),
  /** Whether the key was revealed. */
  revealed: z.optional(z.boolean()),
  /** The FSRS rating the review was given (1 Again … 4 Easy), self-rated for open questions. */
  rating: z.optional(z.number().check(z.int(), z.gte(1), z.lte(4))),
});

/** A ts-fsrs card as JSON: the scheduler's fields as they are, dates as ISO strings. */
export const StoredCardSchema = z.object({
  /** When the card is next due. */
  due: isoTime(),
  /** Days until recall probability falls to 90 %. */
  stability: z.number().check(z.nonnegative()),
  /** 1 (easy) to 10 (hard); 0 for a card never reviewed. */
  difficulty: z.number().check(z.gte(0), z.lte(10)),
  elapsed_days: count(),
  scheduled_days: count(),
  learning_steps: count(),
  reps: count(),
  lapses: count(),
  /** 0 New, 1 Learning, 2 Review, 3 Relearning. */
  state: z.number().check(z.int(), z.gte(0), z.lte(3)),
  /** When it was last reviewed; absent for a card never reviewed. */
  last_review: z.optional(isoTime()),
});

export const ProgressV1Schema = z.object({
  version: z.literal(1),
  questions: z.record(z.string(), z.object({ attempts: z.array(AttemptSchema) })),
});

export const ProgressSchema = z.object({
  version: z.literal(2),
  /** Attempts per template id, oldest first. */
  questions: z.record(z.string(), z.object({ attempts: z.array(AttemptSchema) })),
  /** Spaced-repetition cards by `<templateId>::<conceptId>`. */
  cards: z.record(z.string().check(z.regex(/::/, "a card key is <templateId>::<conceptId>")), StoredCardSchema),
  /**
   * Per lab (`<lesson slug>#<labId>`): the furthest position the learner has stepped to, counted from 1,
   * and how many positions the lab had then (absent in records from before it was kept).
   */
  labs: z.optional(z.record(z.string(), z.object({ stepped: count(), steps: z.optional(count()) }))),
  /** Per lesson slug: when it was first marked read. */
  lessons: z.optional(z.record(z.string(), z.object({ readAt: isoTime() }))),
});

export type Progress = z.output<typeof ProgressSchema>;
export type ProgressV1 = z.output<typeof ProgressV1Schema>;
export type Attempt = z.output<typeof AttemptSchema>;
export type StoredCard = z.output<typeof StoredCardSchema>;

import { PROGRESS_KEY } from "./progress-key";
export { PROGRESS_KEY };
export const EMPTY_PROGRESS: Progress = { version: 2, questions: {}, cards: {} };
/** The most attempts kept per question; older ones are dropped first. */
export const MAX_ATTEMPTS = 50;

/** Where a record that cannot be read is kept: `packet-lab:progress:unreadable:<ISO time>`. */
export function unreadableKey(now: Date): string {
  return `${PROGRESS_KEY}:unreadable:${now.toISOString()}`;
}

export type LoadedProgress =
  | { ok: true; progress: Progress; migratedFrom: 1 | null }
  | { ok: false; progress: Progress; message: string };

/** A version-1 record as version 2: every attempt kept, in order; no cards yet (see the module comment). */
export function migrateV1(v1: ProgressV1): Progress {
  return { version: 2, questions: v1.questions, cards: {} };
}

/**
 * One zod issue in words. `zod/mini` ships no messages (every issue says "Invalid input" unless a
 * check names its own), so the common codes are spelt out here.
 */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.message && issue.message !== "Invalid input") return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "int" ? "expected a whole number" : `expected ${issue.expected}`;
    case "too_small":
      return `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}`;
    case "invalid_format":
      return issue.format === "datetime" ? "expected an ISO 8601 time" : `expected the ${issue.format} format`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
    case "invalid_key":
      return issue.issues[0] ? `bad key: ${describeIssue(issue.issues[0] as z.core.$ZodIssue)}` : "bad key";
    default:
      return issue.message || "unexpected value";
  }
}

function issueText(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const where = path.length ? ` at ${path.join(".")}` : "";
  return `${where}: ${issue ? describeIssue(issue) : "unknown problem"}`;
}

type Parsed = { ok: true; progress: Progress; migratedFrom: 1 | null } | { ok: false; problem: "newer" | "shape"; detail: string };

/** A parsed JSON value as a stored record of any version this code knows. */
function parseRecord(raw: unknown): Parsed {
  const version = typeof raw === "object" && raw !== null && "version" in raw ? (raw as { version: unknown }).version : undefined;
  if (typeof version === "number" && Number.isInteger(version) && version > PROGRESS_VERSION) {
    return { ok: false, problem: "newer", detail: `version ${version}` };
  }
  if (version === 1) {
    const v1 = ProgressV1Schema.safeParse(raw);
    if (!v1.success) return { ok: false, problem: "shape", detail: issueText(v1.error) };
    return { ok: true, progress: migrateV1(v1.data), migratedFrom: 1 };
  }
  const v2 = ProgressSchema.safeParse(raw);
  if (!v2.success) return { ok: false, problem: "shape", detail: issueText(v2.error) };
  return { ok: true, progress: v2.data, migratedFrom: null };
}

/**
 * Reads stored text. Nothing stored is a fresh start; a version-1 record is migrated (`migratedFrom: 1`,
 * and the caller should save the result); a broken record, or one written by a newer release, is reported
 * with `ok: false` so the caller keeps it aside (`unreadableKey`) instead of overwriting it.
 */
export function loadProgress(stored: string | null): LoadedProgress {
  if (stored === null) return { ok: true, progress: EMPTY_PROGRESS, migratedFrom: null };
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return { ok: false, progress: EMPTY_PROGRESS, message: "Your saved progress is not valid JSON." };
  }
  const parsed = parseRecord(raw);
  if (parsed.ok) return parsed;
  const message =
    parsed.problem === "newer"
      ? `Your saved progress was written by a newer Packet Lab (record ${parsed.detail}; this page reads up to version ${PROGRESS_VERSION}).`
      : `Your saved progress has an unexpected shape${parsed.detail}.`;
  return { ok: false, progress: EMPTY_PROGRESS, message };
}

/** Adds an attempt, keeping the newest MAX_ATTEMPTS. */
export function recordAttempt(progress: Progress, questionId: string, attempt: Attempt): Progress {
  const attempts = [...(progress.questions[questionId]?.attempts ?? []), attempt].slice(-MAX_ATTEMPTS);
  return { ...progress, questions: { ...progress.questions, [questionId]: { attempts } } };
}

export { recordLabStepped, recordLessonRead } from "./course-progress";

export const EXPORT_FORMAT = "packet-lab-progress";

/** The export file: a record, stamped with what it is, its version and when it was written. */
export const ProgressExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(2),
  exportedAt: isoTime(),
  progress: ProgressSchema,
});

/**
 * The text of an export file, indented for people who open it.
 *
 * @example exportProgress(progress, new Date()) // '{\n  "format": "packet-lab-progress",\n  "version": 2, …'
 */
export function exportProgress(progress: Progress, now: Date): string {
  return JSON.stringify({ format: EXPORT_FORMAT, version: PROGRESS_VERSION, exportedAt: now.toISOString(), progress }, null, 2);
}

export type ImportedProgress = { ok: true; progress: Progress; migratedFrom: 1 | null } | { ok: false; message: string };

/**
 * Reads an export file (or a bare stored record, version 1 or 2, copied out of the browser). Never throws:
 * every file that cannot be used gets a message that says why — not JSON, JSON that is not ours, ours
 * from a newer release, or ours but damaged (and where).
 */
export function importProgress(text: string): ImportedProgress {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: "This file is not JSON, so it is not a Packet Lab progress export." };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, message: "This file holds JSON, but not a Packet Lab progress export (that is a JSON object)." };
  }
  const fields = raw as Record<string, unknown>;
  if (!("format" in fields)) {
    // A bare record, as kept in the browser under PROGRESS_KEY.
    if (!("version" in fields) || !("questions" in fields)) {
      return { ok: false, message: `This JSON file is not a Packet Lab progress export: it has no "format": "${EXPORT_FORMAT}".` };
    }
    return fromParsed(parseRecord(raw), "saved progress");
  }
  if (fields.format !== EXPORT_FORMAT) {
    const other = typeof fields.format === "string" ? ` (its format is "${fields.format.slice(0, 60)}")` : "";
    return { ok: false, message: `This JSON file is not a Packet Lab progress export${other}.` };
  }
  const version = fields.version;
  if (typeof version === "number" && Number.isInteger(version) && version > PROGRESS_VERSION) {
    return {
      ok: false,
      message: `This export was written by a newer Packet Lab (version ${version}); this page reads up to version ${PROGRESS_VERSION}. Nothing was imported.`,
    };
  }
  const parsed = ProgressExportSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `This Packet Lab export is damaged${issueText(parsed.error)}. Nothing was imported.` };
  return { ok: true, progress: parsed.data.progress, migratedFrom: null };
}

function fromParsed(parsed: Parsed, what: string): ImportedProgress {
  if (parsed.ok) return parsed;
  if (parsed.problem === "newer") {
    return { ok: false, message: `This ${what} was written by a newer Packet Lab (${parsed.detail}); this page reads up to version ${PROGRESS_VERSION}. Nothing was imported.` };
  }
  return { ok: false, message: `This ${what} is damaged${parsed.detail}. Nothing was imported.` };
}

const attemptId = (a: Attempt): string => JSON.stringify([a.seed, a.at]);

function timeOrLast(at: string): number {
  const t = Date.parse(at);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function mergeAttempts(a: readonly Attempt[], b: readonly Attempt[]): Attempt[] {
  if (a.length === 0) return [...b];
  const known = new Set(a.map(attemptId));
  const added = b.filter((x) => !known.has(attemptId(x)));
  if (added.length === 0) return [...a];
  // Oldest first, as recorded; an attempt without a readable time goes after the dated ones. Not trimmed
  // to MAX_ATTEMPTS here (the next recorded attempt does that), so an import never loses history.
  return [...a, ...added].map((x, i) => ({ x, i })).sort((p, q) => timeOrLast(p.x.at) - timeOrLast(q.x.at) || p.i - q.i).map((p) => p.x);
}

function laterCard(a: StoredCard, b: StoredCard): StoredCard {
  const ta = a.last_review === undefined ? Number.NEGATIVE_INFINITY : Date.parse(a.last_review);
  const tb = b.last_review === undefined ? Number.NEGATIVE_INFINITY : Date.parse(b.last_review);
  if (tb > ta) return b;
  if (tb === ta && b.reps > a.reps) return b;
  return a;
}

function mergeRecords<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>, pick: (x: T, y: T) => T): Record<string, T> {
  const out: Record<string, T> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    out[key] = mine === undefined ? value : pick(mine, value);
  }
  return out;
}

/**
 * Two records as one (an import merged into what this browser holds): attempts united by (template, seed,
 * time), each card the one reviewed last, each lab the furthest stepped, each lesson the earliest read.
 * Merging a record into an empty one gives it back unchanged, so export → clear → import round-trips.
 */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const questions = mergeRecords(a.questions, b.questions, (x, y) => ({ attempts: mergeAttempts(x.attempts, y.attempts) }));
  const merged: Progress = { version: 2, questions, cards: mergeRecords(a.cards, b.cards, laterCard) };
  if (a.labs || b.labs) merged.labs = mergeRecords(a.labs ?? {}, b.labs ?? {}, (x, y) => (y.stepped > x.stepped ? y : x));
  if (a.lessons || b.lessons) {
    merged.lessons = mergeRecords(a.lessons ?? {}, b.lessons ?? {}, (x, y) => (Date.parse(y.readAt) < Date.parse(x.readAt) ? y : x));
  }
  return merged;
}
