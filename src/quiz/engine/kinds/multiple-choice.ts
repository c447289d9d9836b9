import * as z from "zod/mini";
import type { QuizResult, Variant } from "../types";
import { graded, incomplete, invalid, quoted, readAnswer, sentences, whyOf } from "./shared";

/**
 * Multiple choice: tick every option that holds. The score is
 *
 *     max(0, right ticks ÷ options that hold − wrong ticks ÷ options that do not)
 *
 * Each right tick earns its share of the options that hold and each wrong tick costs its share of
 * those that do not, so ticking everything scores exactly 0 however the options are split (the
 * simpler (right − wrong) ÷ |key| still gives 2/3 for ticking all four when three hold), and ticking
 * at random scores 0 on average. Leaving out a right option costs only its own share.
 */

const MultipleAnswerSchema = z.object({ choices: z.array(z.string()) });
const FORM = 'the options ticked, as { "choices": ["<option id>", …] }.';

/** The score above; `optionCount` is how many options the question offers. */
export function multipleChoiceScore(key: ReadonlySet<string>, given: ReadonlySet<string>, optionCount: number): number {
  let right = 0;
  for (const id of given) if (key.has(id)) right++;
  const wrong = given.size - right;
  const holds = Math.max(1, key.size);
  const fails = Math.max(1, optionCount - key.size);
  return Math.max(0, right / holds - wrong / fails);
}

export function gradeMultipleChoice(variant: Variant<"multiple-choice">, answer: unknown): QuizResult {
  const read = readAnswer(MultipleAnswerSchema, answer, FORM);
  if (!read.ok) return read.result;
  const { options } = variant.view;
  if (read.answer.choices.length === 0) return incomplete("Tick every option that holds; none is ticked yet.");
  const unknown = read.answer.choices.find((id) => !options.some((o) => o.id === id));
  if (unknown !== undefined) return invalid("One of the ticked options is not on offer in this question; tick options from the list.", "choices");

  const given = new Set(read.answer.choices);
  const key = new Set(variant.key.choices);
  const notes: string[] = [];
  let departure: { part: string; step: string | null; message: string } | null = null;
  for (const option of options) {
    const why = whyOf(variant.rubric.options, option.id);
    const ticked = given.has(option.id);
    const holds = key.has(option.id);
    const text = quoted(option.text);
    if (ticked && holds) notes.push(sentences(`${text} holds`, why?.why));
    else if (ticked) notes.push(sentences(`You ticked ${text}, but it does not hold`, why?.why));
    else if (holds) notes.push(sentences(`${text} holds too, and you left it unticked`, why?.why));
    else continue;
    if (ticked !== holds && departure === null) departure = { part: option.id, step: why?.step ?? null, message: notes.at(-1)! };
  }
  return graded(
    variant,
    [{ id: "choices", label: "Options ticked", earned: multipleChoiceScore(key, given, options.length), weight: 1, notes }],
    departure,
    (other) => Array.isArray(other.choices) && sameSet(given, new Set(other.choices)),
  );
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
