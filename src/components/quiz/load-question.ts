import { onDemand } from "../on-demand";

/** The question template and the simulator, fetched the first time a new variant is asked for. */
export const loadQuestionRuntime = onDemand(() => import("./question-runtime"));
