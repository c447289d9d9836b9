type Grader = typeof import("../../quiz/trace-grader");
let loading: Promise<Grader> | null = null;

/**
 * Loads the grader (a small chunk of its own, fetched at the first "Check answer"; later calls share
 * it), so a page opens without it. A failed load is forgotten, so the next call tries again.
 */
export function loadGrader(): Promise<Grader> {
  loading ??= import("../../quiz/trace-grader").catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
