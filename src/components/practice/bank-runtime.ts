/**
 * What the practice page loads when a question is opened: every template with the simulator behind
 * it, and the grader. A chunk of its own (see `load-bank.ts`), so the page opens without either.
 */
export { findTemplate, makeVariant } from "../../quiz/bank/index";
export { gradeAnswer } from "../../quiz/engine/grade";
export { QuestionCard } from "./QuestionCard";
