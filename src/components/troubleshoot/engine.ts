import { simEngine } from "../../machines/troubleshoot-engine";
import type { Engine, Grade } from "../../machines/troubleshoot.machine";
import { faultVariant } from "../../quiz/bank/troubleshoot/shared";
import { gradeAnswer } from "../../quiz/engine/grade";
import type { Variant } from "../../quiz/engine/types";
import { LAB_CASES, labCase } from "../../sim/kube/troubleshoot/cases";

/**
 * The lab's engine, loaded on the learner's first interaction (the model and the grader are most of
 * the lab's weight): the shell from the machines layer, and grading through the interview engine —
 * the case as a "name the fault" variant, the answer through gradeAnswer, the reason from its rubric.
 */
const variants = new Map<string, Variant<"diagnosis">>();

const engineGrade: Grade = (caseId, choice) => {
  const trouble = labCase(caseId) ?? LAB_CASES[0]!;
  const variant = variants.get(trouble.id) ?? variants.set(trouble.id, faultVariant(`fault-${trouble.family}`, trouble.title, trouble, 0)).get(trouble.id)!;
  const result = gradeAnswer(variant, { choice });
  const correct = result.type === "graded" && result.score === 1;
  const why = variant.rubric.options[choice]?.why ?? (result.type === "graded" ? "" : result.message);
  const misconception = result.type === "graded" ? result.misconception : null;
  return {
    correct,
    message: correct ? why : `${why}${misconception ? ` (${misconception.name}: ${misconception.whyWrong})` : ""}`,
    misconception: misconception?.id ?? null,
  };
};

export const troubleshootEngine: Engine = simEngine(engineGrade);
