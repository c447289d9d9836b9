import * as z from "zod/mini";

/**
 * What a learner's browser keeps: attempts per question. Versioned so a later release can read
 * what an earlier one wrote; a record that cannot be read is kept aside, never overwritten.
 */
export const AttemptSchema = z.object({
  /** Question variant seed. */
  seed: z.number().check(z.int(), z.nonnegative()),
  /** 0 to 1. */
  score: z.number().check(z.gte(0), z.lte(1)),
  /** ISO time of the attempt. */
  at: z.string(),
});

export const ProgressSchema = z.object({
  version: z.literal(1),
  questions: z.record(z.string(), z.object({ attempts: z.array(AttemptSchema) })),
});

export type Progress = z.output<typeof ProgressSchema>;
export type Attempt = z.output<typeof AttemptSchema>;

export const PROGRESS_KEY = "packet-lab:progress";
export const EMPTY_PROGRESS: Progress = { version: 1, questions: {} };
/** The most attempts kept per question; older ones are summarised away first. */
export const MAX_ATTEMPTS = 50;

export type LoadedProgress = { ok: true; progress: Progress } | { ok: false; progress: Progress; message: string };

/** Reads stored text; a missing record is a fresh start, a broken one is reported. */
export function loadProgress(stored: string | null): LoadedProgress {
  if (stored === null) return { ok: true, progress: EMPTY_PROGRESS };
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return { ok: false, progress: EMPTY_PROGRESS, message: "Your saved progress is not valid JSON." };
  }
  const parsed = ProgressSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join(".")}` : "";
    return { ok: false, progress: EMPTY_PROGRESS, message: `Your saved progress has an unexpected shape${where}: ${issue?.message ?? "unknown"}.` };
  }
  return { ok: true, progress: parsed.data };
}

/** Adds an attempt, keeping the newest MAX_ATTEMPTS. */
export function recordAttempt(progress: Progress, questionId: string, attempt: Attempt): Progress {
  const attempts = [...(progress.questions[questionId]?.attempts ?? []), attempt].slice(-MAX_ATTEMPTS);
  return { ...progress, questions: { ...progress.questions, [questionId]: { attempts } } };
}
