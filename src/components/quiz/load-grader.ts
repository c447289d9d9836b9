import { onDemand } from "../on-demand";

/** The grader: a small chunk of its own, fetched at the first "Check answer", so a page opens without it. */
export const loadGrader = onDemand(() => import("../../quiz/trace-grader"));
