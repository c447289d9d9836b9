import type { Progress } from "./progress";
import { PROGRESS_KEY } from "./progress-key";

/**
 * The course map's view of saved progress — lessons read, labs stepped through, questions mastered —
 * and the two marks a lesson page makes. No schema here (the practice page validates the record and
 * reports a damaged one): these functions read a record only far enough to count, and a page script
 * can use them without shipping zod or the scheduler.
 */

/** Marks a lesson read (the first time only). */
export function recordLessonRead(progress: Progress, slug: string, at: string): Progress {
  if (progress.lessons?.[slug]) return progress;
  return { ...progress, lessons: { ...progress.lessons, [slug]: { readAt: at } } };
}

/** Records how far a lab (`<lesson slug>#<labId>`) was stepped, keeping the furthest. */
export function recordLabStepped(progress: Progress, lab: string, stepped: number, steps?: number): Progress {
  if ((progress.labs?.[lab]?.stepped ?? -1) >= stepped) return progress;
  return { ...progress, labs: { ...progress.labs, [lab]: steps === undefined ? { stepped } : { stepped, steps } } };
}

/** ts-fsrs's State.Review: a card that has left the learning steps. */
const REVIEW_STATE = 2;

/**
 * The saved record as far as the course map needs it, or null when there is none or it is not a
 * version-2 record (the practice page reports and keeps aside anything it cannot read).
 */
export function peekProgress(text: string | null): Progress | null {
  if (text === null) return null;
  try {
    const record: unknown = JSON.parse(text);
    if (typeof record !== "object" || record === null || (record as { version?: unknown }).version !== 2) return null;
    const r = record as Partial<Progress>;
    if (typeof r.questions !== "object" || r.questions === null || typeof r.cards !== "object" || r.cards === null) return null;
    return record as Progress;
  } catch {
    return null;
  }
}

/**
 * Applies a mark to the record in `storage` and saves it: a fresh record when there is none, nothing
 * at all when what is stored cannot be read (it stays as it is, for the practice page to report).
 */
export function markProgress(storage: Pick<Storage, "getItem" | "setItem">, mark: (progress: Progress) => Progress): void {
  const text = storage.getItem(PROGRESS_KEY);
  const current = text === null ? ({ version: 2, questions: {}, cards: {} } satisfies Progress) : peekProgress(text);
  if (current === null) return;
  const next = mark(current);
  if (next !== current) storage.setItem(PROGRESS_KEY, JSON.stringify(next));
}

export interface LessonItems {
  readonly slug: string;
  /** Lab ids on the lesson page that step through a trace. */
  readonly labs: readonly string[];
  /** Ids of the question templates tagged with the lesson. */
  readonly questions: readonly string[];
}

export interface LessonProgress {
  readonly read: boolean;
  /** Labs stepped to their last position. */
  readonly labsDone: number;
  /** Labs stepped at least once past their first position. */
  readonly labsStarted: number;
  readonly questionsTried: number;
  /** Questions whose latest attempt scored full marks and whose every card has left the learning steps. */
  readonly questionsMastered: number;
}

/** What the learner has done of one lesson. */
export function lessonProgress(progress: Progress, lesson: LessonItems): LessonProgress {
  const labs = lesson.labs.map((id) => progress.labs?.[`${lesson.slug}#${id}`]).filter((l) => l !== undefined);
  const cards = Object.entries(progress.cards);
  let tried = 0;
  let mastered = 0;
  for (const id of lesson.questions) {
    const attempts = progress.questions[id]?.attempts ?? [];
    if (attempts.length === 0) continue;
    tried++;
    const own = cards.filter(([key]) => key.startsWith(`${id}::`));
    if (attempts.at(-1)!.score === 1 && own.length > 0 && own.every(([, card]) => card.state === REVIEW_STATE)) mastered++;
  }
  return {
    read: progress.lessons?.[lesson.slug] !== undefined,
    labsDone: labs.filter((l) => l.steps !== undefined && l.stepped >= l.steps).length,
    labsStarted: labs.length,
    questionsTried: tried,
    questionsMastered: mastered,
  };
}

/** "Read · 2 of 5 labs stepped through · 1 of 6 questions mastered", or null when there is nothing to say. */
export function describeLessonProgress(p: LessonProgress, lesson: LessonItems): string | null {
  if (!p.read && p.labsStarted === 0 && p.questionsTried === 0) return null;
  const parts = [p.read ? "Read" : "Not finished reading"];
  if (lesson.labs.length > 0) {
    const partly = p.labsStarted - p.labsDone;
    parts.push(`${p.labsDone} of ${lesson.labs.length} labs stepped through${partly > 0 ? ` (${partly} started)` : ""}`);
  }
  if (lesson.questions.length > 0) parts.push(`${p.questionsMastered} of ${lesson.questions.length} questions mastered`);
  return parts.join(" · ");
}
