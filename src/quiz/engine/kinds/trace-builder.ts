import * as z from "zod/mini";
import { longestCommonSubsequence, setAgreement } from "../../grade";
import { orderedRows } from "../../trace-grader";
import type { Choice, PartScore, QuizResult, RubricOf, Variant } from "../types";
import { graded, incomplete, invalid, list, own, quoted, readAnswer, sentences, textOf, type Departure } from "./shared";

/**
 * Trace builder: the hops a packet passes, in order, each with the marks the question asks about
 * (`view.marks`: where TLS ends, where an anycast decision is made, where the packet is NATed …).
 * This generalises "trace the request" (`src/quiz/trace-grader.ts`) from its two fixed marks to any:
 * the order earns `weights.order` as the longest common subsequence over the longer list, and each
 * mark its weight as the agreement (Jaccard) between the hops that carry it in the key and in the answer.
 *
 * A device may appear on a path more than once (a hairpin through the same node); a hop is therefore
 * known by its item and which occurrence of that item it is ("node-a#2"), and marks are compared per occurrence.
 */

const TraceAnswerSchema = z.object({ hops: z.array(z.object({ item: z.string(), marks: z.array(z.string()) })) });
const FORM = 'the hops in order, as { "hops": [{ "item": "<option id>", "marks": ["<mark id>", …] }, …] }.';

type Hop = { readonly item: string; readonly marks: readonly string[] };
type RubricHop = RubricOf["trace-builder"]["hops"][number];
type TraceVariant = Variant<"trace-builder">;

/** "item#n" for the n-th time an item appears in a list of hops. */
function occurrences(hops: readonly Hop[]): string[] {
  const seen = new Map<string, number>();
  return hops.map((h) => {
    const n = (seen.get(h.item) ?? 0) + 1;
    seen.set(h.item, n);
    return `${h.item}#${n}`;
  });
}

function carrying(hops: readonly Hop[], mark: string): Set<string> {
  const keys = occurrences(hops);
  return new Set(hops.flatMap((h, i) => (h.marks.includes(mark) ? [keys[i]!] : [])));
}

/** Marks with their share of the score, in the order the question lists them; weights are scaled to sum to 1 with the order's. */
function weighting(variant: TraceVariant): { order: number; marks: { mark: Choice; weight: number }[] } {
  const weightOf = (id: string): number => {
    const w = own(variant.rubric.weights, id);
    return typeof w === "number" && Number.isFinite(w) && w > 0 ? w : 0;
  };
  const sum = weightOf("order") + variant.view.marks.reduce((s, m) => s + weightOf(m.id), 0);
  if (sum === 0) return { order: 1, marks: variant.view.marks.map((mark) => ({ mark, weight: 0 })) };
  return { order: weightOf("order") / sum, marks: variant.view.marks.map((mark) => ({ mark, weight: weightOf(mark.id) / sum })) };
}

/** Whether two paths would score the same: the same hops in order, and the same hops carrying each scored mark. */
function samePath(a: readonly Hop[], b: readonly Hop[], scored: readonly string[]): boolean {
  if (a.length !== b.length || a.some((h, i) => h.item !== b[i]!.item)) return false;
  return scored.every((m) => {
    const x = carrying(a, m);
    const y = carrying(b, m);
    return x.size === y.size && [...x].every((k) => y.has(k));
  });
}

export function gradeTraceBuilder(variant: TraceVariant, answer: unknown): QuizResult {
  const read = readAnswer(TraceAnswerSchema, answer, FORM);
  if (!read.ok) return read.result;
  const given = read.answer.hops;
  const { options, marks } = variant.view;
  if (given.length === 0) return incomplete("Add the hops the packet passes through, in order, starting where it starts.");
  if (given.length === 1 && variant.key.hops.length > 1) return incomplete("A packet on this path passes more than one device: keep adding hops.");
  for (const [i, hop] of given.entries()) {
    if (!options.some((o) => o.id === hop.item)) return invalid(`Hop ${i + 1} names a device that is not on offer; choose from the list.`, `hop-${i + 1}`);
    if (hop.marks.some((m) => !marks.some((k) => k.id === m))) return invalid(`Hop ${i + 1} carries a mark this question does not ask about.`, `hop-${i + 1}`);
  }

  const key = variant.key.hops;
  const weights = weighting(variant);
  const scored = weights.marks.filter((m) => m.weight > 0).map((m) => m.mark.id);
  const name = (id: string) => textOf(options, id);
  const expectedItems = key.map((h) => h.item);
  const givenItems = given.map((h) => h.item);
  const parts: PartScore[] = [
    {
      id: "order", label: "Hops in order", weight: weights.order,
      earned: longestCommonSubsequence(expectedItems, givenItems) / Math.max(expectedItems.length, givenItems.length),
      notes: orderNotes(variant, given, name),
    },
    ...weights.marks.map(({ mark, weight }) => markPart(variant, given, mark, weight, name)),
  ];
  return graded(variant, parts, departure(variant, given, scored, name), (other) => Array.isArray(other.hops) && samePath(given, other.hops, scored));
}

/** The rubric's sentences for the key's hop at `index` (the rubric lists the key's hops in order). */
function rubricHop(variant: TraceVariant, index: number): RubricHop | undefined {
  const hop = variant.rubric.hops[index];
  return hop?.item === variant.key.hops[index]?.item ? hop : variant.rubric.hops.find((h) => h.item === variant.key.hops[index]?.item);
}

function offPathWhy(variant: TraceVariant, item: string): { why: string; step: string | null } {
  return own(variant.rubric.offPath, item) ?? { why: "", step: null };
}

function orderNotes(variant: TraceVariant, given: readonly Hop[], name: (id: string) => string): string[] {
  const key = variant.key.hops;
  const keyItems = key.map((h) => h.item);
  const kept = orderedRows(keyItems, given.map((h) => h.item));
  const notes: string[] = [];
  const counted = new Map<string, number>();
  given.forEach((hop, position) => {
    const n = (counted.get(hop.item) ?? 0) + 1;
    counted.set(hop.item, n);
    if (!keyItems.includes(hop.item)) notes.push(sentences(`${name(hop.item)} is not on this path`, offPathWhy(variant, hop.item).why));
    else if (keyItems.filter((i) => i === hop.item).length < n) notes.push(sentences(`${name(hop.item)} is on the path fewer times than you have it`));
    else if (!kept.has(position)) {
      const index = keyItems.indexOf(hop.item);
      const before = key[index - 1];
      notes.push(sentences(`${name(hop.item)} is on the path but not here: the packet meets it ${before ? `right after ${name(before.item)}` : "first"}, as hop ${index + 1}`));
    }
  });
  const givenCount = (item: string) => given.filter((h) => h.item === item).length;
  const seen = new Map<string, number>();
  key.forEach((hop, index) => {
    const n = (seen.get(hop.item) ?? 0) + 1;
    seen.set(hop.item, n);
    if (givenCount(hop.item) < n) notes.push(sentences(`${name(hop.item)} is missing`, rubricHop(variant, index)?.role));
  });
  if (notes.length === 0) notes.push("Every hop is there, in the order the trace has them.");
  return notes;
}

function markPart(variant: TraceVariant, given: readonly Hop[], mark: Choice, weight: number, name: (id: string) => string): PartScore {
  const key = variant.key.hops;
  const expected = carrying(key, mark.id);
  const answered = carrying(given, mark.id);
  const keyOccurrences = occurrences(key);
  const notes: string[] = [];
  const reason = (occurrence: string): string | undefined => {
    const index = keyOccurrences.indexOf(occurrence);
    return index < 0 ? undefined : own(rubricHop(variant, index)?.marks, mark.id);
  };
  const itemOf = (occurrence: string) => occurrence.slice(0, occurrence.lastIndexOf("#"));
  for (const k of expected) if (!answered.has(k)) notes.push(sentences(`${quoted(mark.text)} belongs at ${name(itemOf(k))}`, reason(k)));
  for (const k of answered) {
    if (expected.has(k)) continue;
    const onPath = keyOccurrences.includes(k);
    notes.push(sentences(`${quoted(mark.text)} does not belong at ${name(itemOf(k))}`, onPath ? reason(k) : `${name(itemOf(k))} is not on this path`));
  }
  if (notes.length === 0) {
    const at = [...expected].map((k) => name(itemOf(k)));
    notes.push(at.length ? `${quoted(mark.text)} is marked at ${list(at)}, and only there.` : `${quoted(mark.text)} belongs at no hop of this path, and you marked none.`);
  }
  return { id: mark.id, label: mark.text, earned: setAgreement(expected, answered), weight, notes };
}

/** The first hop position where the answer leaves the trace: a missing or extra hop, a different device, a wrong scored mark. */
function departure(variant: TraceVariant, given: readonly Hop[], scored: readonly string[], name: (id: string) => string): Departure | null {
  const key = variant.key.hops;
  const marks = variant.view.marks;
  for (let i = 0; i < Math.max(key.length, given.length); i++) {
    const part = `hop-${i + 1}`;
    const at = `Hop ${i + 1}`;
    const expected = key[i];
    const hop = given[i];
    const rubric = rubricHop(variant, i);
    if (expected === undefined) {
      const last = key.at(-1)!;
      const off = key.some((h) => h.item === hop!.item) ? "" : offPathWhy(variant, hop!.item).why;
      return { part, step: rubricHop(variant, key.length - 1)?.step ?? null, message: sentences(`${at}: the path ends at ${name(last.item)}; nothing comes after it`, off) };
    }
    if (hop === undefined) return { part, step: rubric?.step ?? null, message: sentences(`${at}: your path stops, but the trace goes on to ${name(expected.item)}`, rubric?.role) };
    if (hop.item !== expected.item) {
      const later = key.findIndex((h) => h.item === hop.item);
      const why = later < 0 ? offPathWhy(variant, hop.item).why : `${name(hop.item)} comes at hop ${later + 1}`;
      return { part, step: rubric?.step ?? null, message: sentences(`${at}: the trace has ${name(expected.item)} here, not ${name(hop.item)}`, why) };
    }
    for (const mark of marks) {
      if (!scored.includes(mark.id) || expected.marks.includes(mark.id) === hop.marks.includes(mark.id)) continue;
      const set = expected.marks.includes(mark.id);
      const verdict = set ? `${quoted(mark.text)} belongs here` : `${quoted(mark.text)} does not belong here`;
      return { part, step: rubric?.step ?? null, message: sentences(`${at} (${name(expected.item)}): ${verdict}`, own(rubric?.marks, mark.id)) };
    }
  }
  return null;
}
