import { loadProgress, mergeProgress, PROGRESS_KEY, unreadableKey, type Progress } from "../../quiz/progress";
import { seedCardsFromAttempts } from "../../quiz/srs";

/** Progress as this browser holds it, and anything the learner must be told about it. */
export interface StoredProgress {
  readonly progress: Progress;
  /**
   * Set when the stored record could not be read — it was moved aside under another key, never
   * dropped — or when the browser does not let the page save.
   */
  readonly warning: string | null;
}

/** A template's concepts, or null for a template no longer in the bank. */
export type ConceptsOf = (template: string) => readonly string[] | null;

/**
 * Reads the stored record. One that cannot be read is copied under `unreadableKey(now)` before a new
 * record replaces it, and the learner is told where it went. A version-1 record is migrated, given the
 * cards its dated attempts imply (`conceptsOf` names each template's concepts), and saved as version 2.
 */
export function readStoredProgress(now: Date, conceptsOf: ConceptsOf = () => null): StoredProgress {
  let stored: string | null;
  try {
    stored = localStorage.getItem(PROGRESS_KEY);
  } catch {
    return { progress: loadProgress(null).progress, warning: "This browser does not let the page save progress: answers are graded but not remembered." };
  }
  const loaded = loadProgress(stored);
  if (loaded.ok && loaded.migratedFrom === null) return { progress: loaded.progress, warning: null };
  if (loaded.ok) {
    const progress = seedCardsFromAttempts(loaded.progress, conceptsOf);
    try {
      localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    } catch {
      // Still readable next time as version 1.
    }
    return { progress, warning: null };
  }
  const aside = unreadableKey(now);
  try {
    localStorage.setItem(aside, stored ?? "");
    localStorage.setItem(PROGRESS_KEY, JSON.stringify(loaded.progress));
  } catch {
    return { progress: loaded.progress, warning: `${loaded.message} It could not be set aside either, so it was left as it is and nothing new will be saved.` };
  }
  return { progress: loaded.progress, warning: `${loaded.message} The old record was kept under “${aside}” in this browser's storage, and a new one was started.` };
}

/**
 * Applies `change` to what is stored now (read again first, so another tab's reviews are kept) and
 * saves the result; returns it with any problem to report. Saving is best effort: a grade is shown
 * whether or not it could be stored.
 */
export function updateStoredProgress(now: Date, change: (progress: Progress) => Progress, conceptsOf?: ConceptsOf): StoredProgress {
  const current = readStoredProgress(now, conceptsOf);
  const progress = change(current.progress);
  try {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return { progress, warning: current.warning };
  } catch {
    return { progress, warning: current.warning ?? "This browser did not let the page save this review (storage may be full or disabled)." };
  }
}

/** Adds what a file held to what is stored: nothing already here is lost. */
export const importIntoStored = (now: Date, imported: Progress, conceptsOf?: ConceptsOf) =>
  updateStoredProgress(now, (progress) => mergeProgress(progress, imported), conceptsOf);

/** Forgets every review in this browser (records kept aside earlier stay where they are). */
export function clearStoredProgress(): StoredProgress {
  try {
    localStorage.removeItem(PROGRESS_KEY);
    return { progress: loadProgress(null).progress, warning: null };
  } catch {
    return { progress: loadProgress(null).progress, warning: "This browser did not let the page clear its storage." };
  }
}
