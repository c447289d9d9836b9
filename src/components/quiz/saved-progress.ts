import { loadProgress, PROGRESS_KEY, recordAttempt, type Attempt, type Progress } from "../../quiz/progress";

export interface SavedProgress {
  readonly progress: Progress;
  /** Set when the stored record could not be read (it was kept aside) or the browser cannot save. */
  readonly warning: string | null;
}

/** Reads saved progress; a record that cannot be read is set aside under another key, not lost. */
export function readProgress(): SavedProgress {
  try {
    const stored = localStorage.getItem(PROGRESS_KEY);
    const loaded = loadProgress(stored);
    if (loaded.ok) return { progress: loaded.progress, warning: null };
    const aside = `${PROGRESS_KEY}:unreadable:${Date.now()}`;
    localStorage.setItem(aside, stored ?? "");
    localStorage.removeItem(PROGRESS_KEY);
    return { progress: loaded.progress, warning: `${loaded.message} It was kept under “${aside}” and a new record was started.` };
  } catch {
    return { progress: loadProgress(null).progress, warning: "This browser does not allow saving progress; answers are graded but not remembered." };
  }
}

/** Adds an attempt to what is stored (re-read first, so another tab's attempts are kept). Saving is best effort. */
export function saveAttempt(questionId: string, attempt: Attempt): SavedProgress {
  const current = readProgress();
  const progress = recordAttempt(current.progress, questionId, attempt);
  try {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // The grade is shown either way.
  }
  return { progress, warning: current.warning };
}
