type QuestionRuntime = typeof import("./question-runtime");
let loading: Promise<QuestionRuntime> | null = null;

/**
 * Loads the question template and the simulator (fetched the first time it is asked for; later calls
 * share it). A failed load — the network dropped — is forgotten, so the next call tries again.
 */
export function loadQuestionRuntime(): Promise<QuestionRuntime> {
  loading ??= import("./question-runtime").catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
