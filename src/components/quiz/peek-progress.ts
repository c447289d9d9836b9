import { PROGRESS_KEY } from "../../quiz/progress-key";

/** One saved attempt as the card shows it. */
export interface PeekedAttempt {
  readonly score: number;
}

/**
 * The attempts saved for one question, read straight from the stored JSON without the schema: the card
 * shows a count and a best score as it opens, and the schema (zod, with the migration and the keeping
 * aside of an unreadable record) loads only when an attempt is saved — or at once when the record looks
 * damaged (`suspect`), so that it is reported as the page opens. Nothing here writes.
 */
export function peekAttempts(questionId: string): { readonly attempts: readonly PeekedAttempt[]; readonly suspect: boolean } {
  let stored: string | null;
  try {
    stored = localStorage.getItem(PROGRESS_KEY);
  } catch {
    return { attempts: [], suspect: false };
  }
  if (stored === null) return { attempts: [], suspect: false };
  let record: unknown;
  try {
    record = JSON.parse(stored);
  } catch {
    // Not JSON: the schema's reader must see it, to keep it aside and say so.
    return { attempts: [], suspect: true };
  }
  const shaped = record as { version?: unknown; questions?: Record<string, { attempts?: unknown }> } | null;
  if (typeof shaped !== "object" || shaped === null || typeof shaped.version !== "number" || typeof shaped.questions !== "object") return { attempts: [], suspect: true };
  const attempts = shaped.questions?.[questionId]?.attempts;
  if (attempts === undefined) return { attempts: [], suspect: false };
  if (!Array.isArray(attempts)) return { attempts: [], suspect: true };
  const scored = attempts.flatMap((a: unknown) => {
    const score = (a as { score?: unknown } | null)?.score;
    return typeof score === "number" && score >= 0 && score <= 1 ? [{ score }] : [];
  });
  return { attempts: scored, suspect: scored.length !== attempts.length };
}
