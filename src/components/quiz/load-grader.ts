import { onDemand } from "../on-demand";

/** The grader: a small chunk of its own, fetched at the first "Check answer", so a page opens without it. */
export const loadGrader = onDemand(() => import("../../quiz/trace-grader"));

/** Saved progress and its schema: fetched when the question card comes into view, not while the lesson opens. */
export const loadSavedProgress = onDemand(() => import("./saved-progress"));
