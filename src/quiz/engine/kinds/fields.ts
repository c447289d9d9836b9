import * as z from "zod/mini";
import { normalise } from "../equivalence";
import type { FieldSpec, QuizResult, Variant } from "../types";
import { graded, incomplete, invalid, list, own, readAnswer, sentences, whyOf, type Departure } from "./shared";

/**
 * Fill-in and predict-header: one part per field, equal weights, each compared by its type's
 * equivalence (`equivalence.ts`), so `FD00:0:0::1` is right where the trace has `fd00::1`. A value
 * that cannot be read is `invalid` at that field; empty fields make the answer `incomplete`.
 */

const FieldsAnswerSchema = z.object({ fields: z.record(z.string(), z.string()) });
const FORM = 'a value for each field, as { "fields": { "<field id>": "<value>", … } }.';

type FieldsVariant = Variant<"fill-in"> | Variant<"predict-header">;

export function gradeFields(variant: FieldsVariant, answer: unknown): QuizResult {
  const read = readAnswer(FieldsAnswerSchema, answer, FORM);
  if (!read.ok) return read.result;
  const specs = variant.view.fields;
  const values = read.answer.fields;
  const unknown = Object.keys(values).find((id) => !specs.some((f) => f.id === id));
  if (unknown !== undefined) return invalid(`The answer fills in a field named "${unknown}", which this question does not have.`, null);

  const valueOf = (field: FieldSpec): string => own(values, field.id) ?? "";
  // Each given value is read once; the key and every misconception's value are compared with its canonical form.
  const canonicalGiven = new Map<string, string>();
  for (const field of specs) {
    const value = valueOf(field);
    if (value.trim() === "") continue;
    const read = normalise(field.type, value);
    if (!read.ok) return invalid(`${field.label}: ${read.message}`, field.id);
    canonicalGiven.set(field.id, read.value);
  }
  const empty = specs.filter((f) => !canonicalGiven.has(f.id));
  if (empty.length === specs.length) return incomplete(`Fill in ${list(specs.map((f) => f.label))}.`, specs[0]!.id);
  if (empty.length) return incomplete(`Fill in ${list(empty.map((f) => f.label))} as well.`, empty[0]!.id);
  const matches = (field: FieldSpec, other: unknown): boolean => {
    if (typeof other !== "string") return false;
    const read = normalise(field.type, other);
    return read.ok && read.value === canonicalGiven.get(field.id);
  };

  const weight = 1 / Math.max(1, specs.length);
  let departure: Departure | null = null;
  const parts = specs.map((field) => {
    const given = valueOf(field).trim();
    const expected = own(variant.key.fields, field.id) ?? "";
    const right = matches(field, expected);
    const why = whyOf(variant.rubric.fields, field.id);
    const shown = canonical(field, expected);
    const note = right ? sentences(why?.why ?? `${field.label} is ${shown}`) : sentences(`${field.label} is ${shown}, not ${given}`, why?.why);
    if (!right && departure === null) departure = { part: field.id, step: why?.step ?? fallbackStep(variant), message: lead(variant, note) };
    return { id: field.id, label: field.label, earned: right ? 1 : 0, weight, notes: [note] };
  });
  return graded(variant, parts, departure, (other) =>
    typeof other.fields === "object" && other.fields !== null && specs.every((f) => matches(f, own(other.fields, f.id))),
  );
}

/** The key as the learner would read it best: its canonical spelling when it has one. */
function canonical(field: FieldSpec, value: string): string {
  const read = normalise(field.type, value);
  return read.ok ? read.value : value.trim();
}

/** A predicted header is read after a hop; the first departure says which. */
function lead(variant: FieldsVariant, note: string): string {
  return variant.kind === "predict-header" ? `After ${variant.view.after.name}: ${note}` : note;
}

function fallbackStep(variant: FieldsVariant): string | null {
  return variant.kind === "predict-header" ? variant.view.after.step : null;
}
