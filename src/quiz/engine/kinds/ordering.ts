import * as z from "zod/mini";
import { longestCommonSubsequence } from "../../grade";
import { orderedRows } from "../../trace-grader";
import type { QuizResult, Variant } from "../types";
import { graded, incomplete, invalid, list, quoted, readAnswer, sentences, textOf, whyOf, type Departure } from "./shared";

/**
 * Ordering: put the items in sequence. An answer is compared with each accepted order
 * (`rubric.orders`; the key when there are none) and the best one counts: under `all-or-nothing`
 * only an exact match earns marks, under `lcs` the share kept in sequence — the longest common
 * subsequence over the longer of the two lists, so an item that belongs in no order costs as much
 * as one left out.
 */

const OrderingAnswerSchema = z.object({ order: z.array(z.string()) });
const FORM = 'the items in order, as { "order": ["<item id>", …] }.';

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** LCS ÷ the longer length: 1 only for the same sequence. */
export function orderAgreement(expected: readonly string[], given: readonly string[]): number {
  const longer = Math.max(expected.length, given.length);
  return longer === 0 ? 1 : longestCommonSubsequence(expected, given) / longer;
}

/** The accepted order closest to `given` (the first of equals), with its agreement. */
export function bestOrder(orders: readonly (readonly string[])[], given: readonly string[]): { order: readonly string[]; agreement: number } {
  let best = { order: orders[0] ?? [], agreement: -1 };
  for (const order of orders) {
    const agreement = orderAgreement(order, given);
    if (agreement > best.agreement) best = { order, agreement };
  }
  return best;
}

export function gradeOrdering(variant: Variant<"ordering">, answer: unknown): QuizResult {
  const read = readAnswer(OrderingAnswerSchema, answer, FORM);
  if (!read.ok) return read.result;
  const given = read.answer.order;
  const { items } = variant.view;
  if (given.length === 0) return incomplete("Put the items in order; none is placed yet.");
  if (given.some((id) => !items.some((i) => i.id === id))) return invalid("The order names an item this question does not offer; use the items listed.", "order");
  const twice = given.find((id, i) => given.indexOf(id) !== i);
  if (twice !== undefined) return invalid(`${quoted(textOf(items, twice))} is placed twice; each item has one place in the sequence.`, "order");

  const orders = variant.rubric.orders.length ? variant.rubric.orders : [variant.key.order];
  // When every accepted order uses every item, an answer that leaves some out is unfinished, not wrong.
  if (orders.every((o) => items.every((i) => o.includes(i.id)))) {
    const unplaced = items.filter((i) => !given.includes(i.id));
    if (unplaced.length) return incomplete(`Place every item: ${list(unplaced.map((i) => quoted(i.text)))} ${unplaced.length === 1 ? "is" : "are"} not placed yet.`);
  }

  const { order, agreement } = bestOrder(orders, given);
  const exact = same(order, given);
  const earned = variant.rubric.strategy === "all-or-nothing" ? (exact ? 1 : 0) : agreement;
  return graded(
    variant,
    [{ id: "order", label: "Order", earned, weight: 1, notes: orderNotes(variant, order, given) }],
    exact ? null : departure(variant, order, given),
    (other) => Array.isArray(other.order) && same(other.order, given),
  );
}

function orderNotes(variant: Variant<"ordering">, order: readonly string[], given: readonly string[]): string[] {
  const { items } = variant.view;
  const why = (id: string) => whyOf(variant.rubric.items, id)?.why;
  const kept = orderedRows(order, given);
  const notes: string[] = [];
  given.forEach((id, position) => {
    const text = quoted(textOf(items, id));
    const place = order.indexOf(id);
    if (place < 0) notes.push(sentences(`${text} does not belong in this sequence`, why(id)));
    else if (!kept.has(position)) {
      const after = order[place - 1];
      notes.push(sentences(`${text} is out of place: it comes ${after === undefined ? "first" : `right after ${quoted(textOf(items, after))}`}`, why(id)));
    }
  });
  for (const id of order) if (!given.includes(id)) notes.push(sentences(`${quoted(textOf(items, id))} is missing`, why(id)));
  if (notes.length === 0) notes.push("Every item is in its place.");
  return notes;
}

/** The first position where the answer leaves the order it matches best. */
function departure(variant: Variant<"ordering">, order: readonly string[], given: readonly string[]): Departure {
  const { items } = variant.view;
  const why = (id: string) => whyOf(variant.rubric.items, id);
  let i = 0;
  while (i < order.length && i < given.length && order[i] === given[i]) i++;
  const at = `Position ${i + 1}`;
  const expected = order[i];
  const placed = given[i];
  if (expected === undefined) {
    const last = order.at(-1);
    const ends = last === undefined ? "The sequence is empty" : `The sequence ends with ${quoted(textOf(items, last))}`;
    return { part: "order", step: why(placed!)?.step ?? null, message: sentences(`${at}: ${ends}; ${quoted(textOf(items, placed!))} does not belong after it`, why(placed!)?.why) };
  }
  const expectedText = quoted(textOf(items, expected));
  const message = placed === undefined
    ? sentences(`${at}: the sequence goes on with ${expectedText}`, why(expected)?.why)
    : sentences(`${at}: ${expectedText} comes here, not ${quoted(textOf(items, placed))}`, why(expected)?.why);
  return { part: "order", step: why(expected)?.step ?? null, message };
}
