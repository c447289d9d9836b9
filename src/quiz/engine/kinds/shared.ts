import type * as z from "zod/mini";
import { MISCONCEPTIONS } from "../misconceptions";
import { labHref, type AnswerOf, type Choice, type FirstDeparture, type PartScore, type QuestionKind, type QuizResult, type Variant, type Why } from "../types";

/**
 * What every kind's grader shares: reading an unknown answer against its schema, building the
 * graded result (score, first departure with its lab link, the misconception the answer matches).
 */

export type Graded = Extract<QuizResult, { type: "graded" }>;
export type Departure = Omit<FirstDeparture, "href">;

export const incomplete = (message: string, part: string | null = null): QuizResult => (part === null ? { type: "incomplete", message } : { type: "incomplete", message, part });
export const invalid = (message: string, part: string | null): QuizResult => ({ type: "invalid", message, part });

/**
 * The part of the answer a schema issue points at: a hop position ("hop-3", counted from 1 as the
 * feedback speaks of hops), a field id, or the answer's top-level key.
 */
function partOf(path: readonly PropertyKey[]): string | null {
  const [top, next] = path;
  if (top === "hops" && typeof next === "number") return `hop-${next + 1}`;
  if (top === "fields" && typeof next === "string") return next;
  return typeof top === "string" ? top : null;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/**
 * The answer as the schema reads it, or an `invalid` result saying where it departs from `form`
 * (the answer's shape, written out for whoever builds one: the practice page, `quiz grade --answer`).
 */
export function readAnswer<T>(schema: z.ZodMiniType<T>, answer: unknown, form: string): { ok: true; answer: T } | { ok: false; result: QuizResult } {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return { ok: true, answer: parsed.data };
  const path = parsed.error.issues[0]?.path ?? [];
  const where = path.length ? `The answer's ${pathText(path)} is not in the form this question takes` : "The answer is not in the form this question takes";
  return { ok: false, result: invalid(`${where}: ${form}`, partOf(path)) };
}

/** An own entry of a record from a variant (never one inherited from Object.prototype, such as "constructor"). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, id: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, id) ? record[id] : undefined;
}

/** The `Why` of an option, item or field, or null when the rubric has none (a template bug the bank's tests catch). */
export const whyOf = (record: Readonly<Record<string, Why>> | undefined, id: string): Why | null => own(record, id) ?? null;

/** Display text of a choice by id; the id itself if the view lacks it. */
export function textOf(choices: readonly Choice[], id: string): string {
  return choices.find((c) => c.id === id)?.text ?? id;
}

/** Curly-quoted, as feedback quotes an option's text. */
export const quoted = (text: string): string => `“${text}”`;

/** Joins sentence fragments, each ending with a full stop. */
export function sentences(...parts: readonly (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => typeof p === "string" && p.trim() !== "")
    .map((p) => p.trim())
    .map((p) => (/[.!?]["”’)]?$/.test(p) ? p : `${p}.`))
    .join(" ");
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Weighted total, cleared of floating-point noise so a perfect answer scores exactly 1. */
function total(parts: readonly PartScore[]): number {
  const sum = parts.reduce((acc, p) => acc + p.earned * p.weight, 0);
  return Math.min(1, Math.max(0, Math.round(sum * 1e9) / 1e9));
}

/**
 * The graded result. A perfect score has no departure; a lesser one takes the first misconception
 * whose answer `sameAs` accepts (by the kind's own equivalence). Misconception ids that are not in
 * the catalogue are skipped rather than thrown over: grading must not fail on a template's bug.
 */
export function graded<K extends QuestionKind>(
  variant: Variant<K>,
  parts: readonly PartScore[],
  departure: Departure | null,
  sameAs: ((other: AnswerOf[K]) => boolean) | null,
): Graded {
  const score = total(parts);
  const firstDeparture = score === 1 || departure === null ? null : { ...departure, href: variant.lab ? labHref(variant.lab, departure.step) : null };
  let misconception: Graded["misconception"] = null;
  if (score < 1 && sameAs) {
    for (const m of variant.misconceptions) {
      const known = own(MISCONCEPTIONS, m.misconception);
      if (known && sameAs(m.answer)) {
        misconception = { id: known.id, name: known.name, belief: known.belief, whyWrong: known.whyWrong };
        break;
      }
    }
  }
  return { type: "graded", score, parts, firstDeparture, misconception };
}
