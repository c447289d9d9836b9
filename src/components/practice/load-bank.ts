import { onDemand } from "../on-demand";

/** The bank and the grader, fetched the first time a question is opened; later questions share them. */
export const loadBank = onDemand(() => import("./bank-runtime"));

export type BankRuntime = Awaited<ReturnType<typeof loadBank>>;
