import * as z from "zod/mini";
import { convertNumeric, formatNumeric, parseNumeric } from "../equivalence";
import type { QuizResult, Variant } from "../types";
import { graded, incomplete, readAnswer, sentences, invalid } from "./shared";

/**
 * Numeric: a number, with or without a unit the grader converts ("0.036 s" where ms are asked for).
 * Right when |answer − value| ≤ max(absolute, relative × |value|); a unit of the wrong kind, or text
 * that is no number, is `invalid` with what was expected.
 */

const NumericAnswerSchema = z.object({ value: z.union([z.number(), z.string()]) });
const FORM = 'a number or a number with a unit, as { "value": 36 } or { "value": "36 ms" }.';

/** The tolerance around `value`, with a hair more so that a conversion's rounding never decides. */
export function tolerance(value: number, absolute: number, relative: number): number {
  return Math.max(absolute, relative * Math.abs(value)) + 1e-9 * Math.max(1, Math.abs(value));
}

export function gradeNumeric(variant: Variant<"numeric">, answer: unknown): QuizResult {
  const shaped = readAnswer(NumericAnswerSchema, answer, FORM);
  if (!shaped.ok) return shaped.result;
  const { unit, value: expected, absolute, relative, why } = variant.rubric;
  // A bare number means the unit the learner was shown; the rubric may keep its value in another of the same kind.
  const inUnit = (text: number | string): { ok: true; value: number } | { ok: false; message: string } => {
    const inView = parseNumeric(text, variant.view.unit);
    if (!inView.ok) return inView;
    return { ok: true, value: convertNumeric(inView.value, variant.view.unit, unit) ?? inView.value };
  };
  const raw = shaped.answer.value;
  if (typeof raw === "string" && raw.trim() === "") return incomplete(`Enter a number for ${variant.view.label}.`, "value");
  const parsed = inUnit(raw);
  if (!parsed.ok) return invalid(parsed.message, "value");

  const given = parsed.value;
  const right = Math.abs(given - expected) <= tolerance(expected, absolute, relative);
  const margin = Math.max(absolute, relative * Math.abs(expected));
  const within = margin > 0 ? ` (anything within ${formatNumeric(margin, unit)} of it counts)` : "";
  const note = right
    ? sentences(`${formatNumeric(given, unit)} is right`, why.why)
    : sentences(`The trace gives ${formatNumeric(expected, unit)}${within}, not ${formatNumeric(given, unit)}`, why.why);
  return graded(
    variant,
    [{ id: "value", label: variant.view.label, earned: right ? 1 : 0, weight: 1, notes: [note] }],
    right ? null : { part: "value", step: why.step, message: note },
    (other) => {
      const theirs = typeof other.value === "number" || typeof other.value === "string" ? inUnit(other.value) : null;
      return theirs !== null && theirs.ok && Math.abs(given - theirs.value) <= tolerance(theirs.value, absolute, relative);
    },
  );
}
