import type { Progress } from "../../quiz/progress";
import { conceptMastery, dueReviews } from "../../quiz/srs";
import { deckHref, type Catalogue } from "./catalogue";
import { templateHistory } from "./progress-view";

/** "1 question", "3 questions". */
export const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/** The due line when nothing is due: what the static list says first, and what a read record may say again. */
export const NOTHING_DUE = "Nothing is due today. Questions you answer come back when the schedule expects you to be about to forget them.";

/** Sets an element's text only when it changes, so an unchanged deck list costs no layout. */
function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/**
 * The child of `parent` with class `name`, made (as a span) when `text` is not null, removed when it is.
 * Everything is written as text: nothing read from storage becomes markup.
 */
function optionalSpan(parent: Element, name: string, text: string | null): void {
  let span = parent.querySelector(`:scope > .${name}`);
  if (text === null) {
    span?.remove();
    return;
  }
  if (!span) {
    span = parent.ownerDocument.createElement("span");
    span.className = name;
    parent.append(span);
  }
  setText(span, text);
}

/**
 * Writes what this browser remembers into the static deck list (DeckList.astro): the due count with
 * its link, each question's history ("Answered once in this browser, best 100%; next review
 * tomorrow."), each concept's recall. With `progress` null (not read yet) the list is left as built.
 */
export function fillDeckProgress(root: ParentNode, catalogue: Catalogue, progress: Progress | null, now: Date): void {
  const due = root.querySelector<HTMLElement>("[data-due]");
  if (due && progress) {
    const reviews = dueReviews(progress, now);
    const questions = new Set(reviews.map((r) => r.template)).size;
    const state = `${reviews.length}/${questions}`;
    if (due.dataset["due"] !== state) {
      due.dataset["due"] = state;
      if (reviews.length === 0) {
        due.textContent = NOTHING_DUE;
      } else {
        due.textContent = `${plural(reviews.length, "review")} due today, from ${plural(questions, "question")}. `;
        const link = due.ownerDocument.createElement("a");
        link.href = deckHref({ type: "due" });
        link.textContent = "Practise what is due";
        due.append(link);
      }
    }
  }
  const entries = new Map(catalogue.questions.map((q) => [q.id, q]));
  for (const item of root.querySelectorAll<HTMLElement>("[data-question]")) {
    const entry = entries.get(item.dataset["question"] ?? "");
    optionalSpan(item, "question-history", progress && entry ? templateHistory(progress, entry.id, entry.concepts, now) : null);
  }
  const mastery = progress ? conceptMastery(progress, now) : {};
  for (const meta of root.querySelectorAll<HTMLElement>("[data-concept]")) {
    const m = mastery[meta.dataset["concept"] ?? ""];
    optionalSpan(meta, "recall", m && m.reviewed > 0 ? ` · recall now ${Math.round(m.retrievability * 100)}%` : null);
  }
}
