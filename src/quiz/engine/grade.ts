import { gradeChoice } from "./kinds/choice";
import { gradeFields } from "./kinds/fields";
import { gradeMultipleChoice } from "./kinds/multiple-choice";
import { gradeNumeric } from "./kinds/numeric";
import { gradeOpen } from "./kinds/open";
import { gradeOrdering } from "./kinds/ordering";
import { gradeTraceBuilder } from "./kinds/trace-builder";
import type { AnyVariant, QuizResult } from "./types";

/**
 * Grades an answer to any variant. Pure and synchronous, with no simulator: the variant carries the
 * key and rubric. The answer is `unknown` because it arrives as JSON (from the practice page, from
 * `quiz grade --answer`); whatever it holds, the result is one of
 *
 * - `invalid`: not in the kind's shape, an option or field the question does not have, or a value
 *   that cannot be read (`part` says where, so the page can show the message there);
 * - `incomplete`: nothing chosen, placed or filled in yet (no score: not answered is not wrong);
 * - `graded`: the score, one part per thing scored with a sentence on each, the first place the
 *   answer leaves the trace with a link to that step in the lab, and the misconception it matches.
 *
 * Each kind's rule lives in `kinds/<kind>.ts`.
 *
 * @example gradeAnswer(variant, variant.key) // { type: "graded", score: 1, firstDeparture: null, misconception: null, … }
 * @example gradeAnswer(variant, { choice: "" }) // { type: "incomplete", message: "Choose the option that holds." }
 */
export function gradeAnswer(variant: AnyVariant, answer: unknown): QuizResult {
  // No answer at all (a card checked before anything was entered) is not yet answered, not malformed.
  if (answer === null || answer === undefined) return notAnswered(variant);
  switch (variant.kind) {
    case "single-choice":
    case "diagnosis":
      return gradeChoice(variant, answer);
    case "multiple-choice":
      return gradeMultipleChoice(variant, answer);
    case "ordering":
      return gradeOrdering(variant, answer);
    case "fill-in":
    case "predict-header":
      return gradeFields(variant, answer);
    case "numeric":
      return gradeNumeric(variant, answer);
    case "trace-builder":
      return gradeTraceBuilder(variant, answer);
    case "open":
      return gradeOpen(variant, answer);
    default:
      return { type: "invalid", message: `This question is of a kind the grader does not know ("${String((variant as { kind?: unknown }).kind)}").`, part: null };
  }
}

/** What to say to a learner who has not answered yet, at the first part to fill in where there is one. */
function notAnswered(variant: AnyVariant): QuizResult {
  switch (variant.kind) {
    case "fill-in":
    case "predict-header": {
      const first = variant.view.fields[0];
      return first ? { type: "incomplete", message: `Fill in ${first.label} first.`, part: first.id } : { type: "incomplete", message: "Fill in the fields first." };
    }
    case "numeric":
      return { type: "incomplete", message: `Enter a number for ${variant.view.label}.`, part: "value" };
    case "single-choice":
    case "diagnosis":
      return { type: "incomplete", message: "Choose one option first." };
    case "multiple-choice":
      return { type: "incomplete", message: "Tick every option that holds first." };
    case "ordering":
      return { type: "incomplete", message: "Put the items in order first." };
    case "trace-builder":
      return { type: "incomplete", message: "Add the hops the packet passes through, in order, first." };
    default:
      return { type: "incomplete", message: "Write your answer first." };
  }
}
