import { labCase, LAB_CASES } from "../sim/kube/troubleshoot/cases";
import { diagnose, FAULT_CHOICES } from "../sim/kube/troubleshoot/diagnose";
import { loadCase, type CaseCluster } from "../sim/kube/troubleshoot/probe";
import { runCommand, type ShellMemory as SimMemory } from "../sim/kube/troubleshoot/shell";
import type { Engine, Grade } from "./troubleshoot.machine";

/**
 * The troubleshooting lab's model as the machine's `Engine`: each case's cluster loaded once, commands
 * run through the lab's shell. Kept out of the machine's module so a page can load it on demand.
 */
const clusters = new Map<string, CaseCluster>();

export function clusterOf(caseId: string): CaseCluster {
  const known = labCase(caseId) ?? LAB_CASES[0]!;
  return clusters.get(known.id) ?? clusters.set(known.id, loadCase(known)).get(known.id)!;
}

/** Grades against the model's own diagnosis (the island swaps in the interview engine's grader). */
export const modelGrade: Grade = (caseId, choice) => {
  const key = diagnose(clusterOf(caseId));
  const correct = choice === key;
  return { correct, message: correct ? "That is the fault." : `Not this: the model names "${FAULT_CHOICES[key]}".`, misconception: null };
};

export function simEngine(grade: Grade = modelGrade): Engine {
  return {
    run: (caseId, line, memory) => runCommand(clusterOf(caseId), line, (memory as SimMemory | null) ?? { last: null }),
    grade,
  };
}
