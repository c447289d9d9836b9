import { useEffect, useRef } from "react";
import type { Progress } from "../../quiz/progress";
import { conceptMastery } from "../../quiz/srs";
import { deckParam, variantSearch, type Catalogue, type QuestionEntry } from "./catalogue";

/** One question of a mock interview, as it went. */
export interface MockItem {
  readonly entry: QuestionEntry;
  /** The variant asked (null for a question the interview did not reach). */
  readonly seed: number | null;
  /** The first graded score, or null when the question was skipped or not reached. */
  readonly score: number | null;
  readonly status: "not reached" | "skipped" | "answered" | "revealed";
  /** Where to go back to: the lab at the answer's first departure, or the variant's lab. */
  readonly labHref: string | null;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

const STATUS: Record<MockItem["status"], string> = {
  "not reached": "Not reached",
  skipped: "Skipped",
  answered: "",
  revealed: "Answer revealed",
};

/**
 * The end of a mock interview: each question's score with a link back into the lab, then each concept
 * the interview touched — how this interview went on it, and how well the schedule says it is held now.
 */
export function MockSummary({ items, catalogue, progress, timedOut, onAgain }: { items: readonly MockItem[]; catalogue: Catalogue; progress: Progress; timedOut: boolean; onAgain: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const total = items.reduce((sum, i) => sum + (i.score ?? 0), 0) / Math.max(1, items.length);
  const answered = items.filter((i) => i.status === "answered").length;
  const mastery = conceptMastery(progress, new Date());
  const concepts = [...new Set(items.flatMap((i) => i.entry.concepts))];
  const conceptRows = concepts.map((id) => {
    const scored = items.filter((i) => i.entry.concepts.includes(id));
    const score = scored.reduce((sum, i) => sum + (i.score ?? 0), 0) / scored.length;
    return { id, label: catalogue.concepts[id] ?? id, questions: scored.length, score, recall: mastery[id] };
  });

  return (
    <section className="mock-summary" aria-labelledby="summary-title">
      <h2 id="summary-title" ref={headingRef} tabIndex={-1}>
        Interview summary
      </h2>
      {timedOut && <p className="message">Time ran out: the questions not reached count as zero.</p>}
      <p className="score">Overall: {percent(total)}</p>
      <p>
        {answered} of {items.length} questions answered. Each score is your first check's: what you knew before any feedback.
      </p>
      <div className="table-scroll">
        <table className="summary-questions">
          <caption>Score per question</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Question</th>
              <th scope="col">Score</th>
              <th scope="col">Go back</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <th scope="row">{item.entry.title}</th>
                <td>
                  {item.score === null ? "—" : percent(item.score)}
                  {STATUS[item.status] && <span className="meta"> ({STATUS[item.status]})</span>}
                </td>
                <td>
                  {item.labHref && (
                    <a href={item.labHref}>
                      Open the lab<span className="visually-hidden">: {item.entry.title}</span>
                    </a>
                  )}
                  {item.labHref && item.seed !== null && " · "}
                  {item.seed !== null && (
                    <a href={variantSearch(item.entry.id, item.seed)}>
                      Try this variant again<span className="visually-hidden">: {item.entry.title}</span>
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table className="summary-concepts">
          <caption>Per concept</caption>
          <thead>
            <tr>
              <th scope="col">Concept</th>
              <th scope="col">This interview</th>
              <th scope="col">Recall now</th>
              <th scope="col">Practise</th>
            </tr>
          </thead>
          <tbody>
            {conceptRows.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.label}</th>
                <td>
                  {percent(c.score)} <span className="meta">over {c.questions === 1 ? "1 question" : `${c.questions} questions`}</span>
                </td>
                <td>{c.recall && c.recall.reviewed > 0 ? percent(c.recall.retrievability) : "not yet reviewed"}</td>
                <td>
                  <a href={`?deck=${encodeURIComponent(deckParam({ type: "concept", id: c.id }))}`}>
                    Deck<span className="visually-hidden">: {c.label}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="meta">Recall now is the spaced-repetition model's estimate of the chance you would answer this concept's questions today, averaged over its questions.</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onAgain}>
          Another interview
        </button>
        <a href="/practice/">Back to the decks</a>
      </div>
    </section>
  );
}
