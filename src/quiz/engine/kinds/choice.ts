import * as z from "zod/mini";
import type { QuizResult, Variant } from "../types";
import { graded, incomplete, invalid, quoted, readAnswer, sentences, textOf, whyOf } from "./shared";

/**
 * Single choice and diagnosis: one option is right. Full marks or none; the note is the chosen
 * option's own `why`, so a wrong pick is told what that option would mean and where the trace shows otherwise.
 */

const ChoiceAnswerSchema = z.object({ choice: z.string() });
const FORM = 'one option, as { "choice": "<option id>" }.';

export function gradeChoice(variant: Variant<"single-choice"> | Variant<"diagnosis">, answer: unknown): QuizResult {
  const read = readAnswer(ChoiceAnswerSchema, answer, FORM);
  if (!read.ok) return read.result;
  const { choice } = read.answer;
  const { options } = variant.view;
  const what = variant.kind === "diagnosis" ? "the diagnosis the evidence points to" : "the option that holds";
  if (choice.trim() === "") return incomplete(`Choose ${what}.`);
  if (!options.some((o) => o.id === choice)) return invalid("That choice is not one of this question's options; choose one from the list.", "choice");

  const right = choice === variant.key.choice;
  const chosen = whyOf(variant.rubric.options, choice);
  const keyWhy = whyOf(variant.rubric.options, variant.key.choice);
  const chosenText = quoted(textOf(options, choice));
  const keyText = quoted(textOf(options, variant.key.choice));
  const notes = right
    ? [sentences(chosen?.why ?? `${chosenText} is what the trace shows`)]
    : [sentences(chosen?.why ?? `${chosenText} is not what the trace shows`), sentences(`The answer is ${keyText}`, keyWhy?.why)];
  const label = variant.kind === "diagnosis" ? "Diagnosis" : "Choice";
  return graded(
    variant,
    [{ id: "choice", label, earned: right ? 1 : 0, weight: 1, notes }],
    right ? null : { part: choice, step: chosen?.step ?? keyWhy?.step ?? null, message: sentences(`Not ${chosenText}`, chosen?.why ?? `the answer is ${keyText}`) },
    (other) => other.choice === choice,
  );
}
