import type { Progress } from "../../quiz/progress";
import { conceptMastery, dueReviews } from "../../quiz/srs";
import { deckParam, KIND_LABELS, type Catalogue, type Deck } from "./catalogue";
import { templateHistory } from "./progress-view";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const deckHref = (deck: Deck) => `?deck=${encodeURIComponent(deckParam(deck))}`;

/**
 * The decks: what is due today, each lesson's questions, each concept's, and every question. Rendered
 * when the site is built from plain data (titles, kinds, concepts); once the browser's progress is read,
 * the due count, each question's history and each concept's recall are filled in.
 */
export function DeckChooser({ catalogue, progress }: { catalogue: Catalogue; progress: Progress | null }) {
  const now = new Date();
  const due = progress ? dueReviews(progress, now) : null;
  const dueQuestions = due ? new Set(due.map((d) => d.template)).size : 0;
  const mastery = progress ? conceptMastery(progress, now) : {};
  const lessons = catalogue.lessons.filter((l) => catalogue.questions.some((q) => q.lesson === l.slug));
  const concepts = Object.entries(catalogue.concepts)
    .map(([id, label]) => ({ id, label, count: catalogue.questions.filter((q) => q.concepts.includes(id)).length }))
    .filter((c) => c.count > 0);

  return (
    <section className="decks" aria-labelledby="decks-title">
      <h2 id="decks-title">Decks</h2>
      <div className="due-deck">
        <h3>Due today</h3>
        {due === null ? (
          <p className="meta">Reading this browser's schedule…</p>
        ) : due.length === 0 ? (
          <p className="due-summary">
            Nothing is due today. Questions you answer come back when the schedule expects you to be about to forget them.
          </p>
        ) : (
          <p className="due-summary">
            {plural(due.length, "review")} due today, from {plural(dueQuestions, "question")}.{" "}
            <a href={deckHref({ type: "due" })}>Practise what is due</a>
          </p>
        )}
      </div>

      <h3>By lesson</h3>
      {lessons.length === 0 && <p>No question has been written yet.</p>}
      <ul className="deck-list">
        {lessons.map((l) => {
          const questions = catalogue.questions.filter((q) => q.lesson === l.slug);
          return (
            <li key={l.slug} className="deck">
              <p className="deck-title">
                <a href={deckHref({ type: "lesson", slug: l.slug })}>
                  Lesson {l.number}: {l.title}
                </a>{" "}
                <span className="meta">({plural(questions.length, "question")})</span>
              </p>
              <ul className="deck-questions">
                {questions.map((q) => {
                  const history = progress ? templateHistory(progress, q.id, q.concepts, now) : null;
                  return (
                    <li key={q.id}>
                      <a href={`?q=${encodeURIComponent(q.id)}`}>{q.title}</a> <span className="kind-tag">{KIND_LABELS[q.kind]}</span>
                      <span className="concept-tags">
                        {q.concepts.map((c) => catalogue.concepts[c] ?? c).join(" · ")}
                      </span>
                      {history && <span className="question-history">{history}</span>}
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
      </ul>

      <h3>By concept</h3>
      <ul className="concept-decks">
        {concepts.map((c) => {
          const m = mastery[c.id];
          return (
            <li key={c.id}>
              <a href={deckHref({ type: "concept", id: c.id })}>{c.label}</a>{" "}
              <span className="meta">
                {plural(c.count, "question")}
                {m && m.reviewed > 0 ? ` · recall now ${Math.round(m.retrievability * 100)}%` : ""}
              </span>
            </li>
          );
        })}
      </ul>
      {catalogue.questions.length > 0 && (
        <p>
          <a href={deckHref({ type: "all" })}>Every question, in course order</a> <span className="meta">({plural(catalogue.questions.length, "question")})</span>
        </p>
      )}
    </section>
  );
}
