import * as z from "zod/mini";
import type { QuizResult, Variant } from "../types";
import { graded, incomplete, invalid, quoted, readAnswer, sentences, type Departure } from "./shared";

/**
 * Open explanation, self-checked: the learner writes an answer, then ticks the checklist items it
 * covers. The score is the share ticked; the text is kept but not graded, and no misconception is
 * inferred from a self-assessment.
 */

const OpenAnswerSchema = z.object({ text: z.optional(z.string()), checked: z.array(z.string()) });
const FORM = 'the checklist items your answer covers, as { "text": "…", "checked": ["<item id>", …] }.';

export function gradeOpen(variant: Variant<"open">, answer: unknown): QuizResult {
  const read = readAnswer(OpenAnswerSchema, answer, FORM);
  if (!read.ok) return read.result;
  const { checked, text } = read.answer;
  const { checklist } = variant.view;
  if (checked.length === 0 && (text ?? "").trim() === "") return incomplete("Write your answer first, then tick the checklist items it covers.");
  if (checked.some((id) => !checklist.some((c) => c.id === id))) return invalid("A ticked item is not on this question's checklist.", "checked");

  const weight = 1 / Math.max(1, checklist.length);
  let departure: Departure | null = null;
  const parts = checklist.map((item) => {
    const why = Object.hasOwn(variant.rubric.checklist, item.id) ? variant.rubric.checklist[item.id] : undefined;
    const covered = checked.includes(item.id);
    const note = covered ? sentences(`Covered: ${item.text}`, why?.why) : sentences(`Not covered: ${item.text}`, why?.why);
    if (!covered && departure === null) departure = { part: item.id, step: why?.step ?? null, message: sentences(`Your answer leaves out ${quoted(item.text)}`, why?.why) };
    return { id: item.id, label: item.text, earned: covered ? 1 : 0, weight, notes: [note] };
  });
  return graded(variant, parts, departure, null);
}
