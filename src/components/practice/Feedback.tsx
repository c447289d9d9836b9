import type { QuizResult } from "../../quiz/engine/types";

type Graded = Extract<QuizResult, { type: "graded" }>;

const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * A graded answer's feedback: the score, what each part earned and why, the wrong model the answer
 * matches when there is one, and where the answer first leaves the trace with a link to that hop in
 * the lab.
 */
export function Feedback({ result, idBase }: { result: Graded; idBase: string }) {
  const { score, parts, misconception, firstDeparture } = result;
  return (
    <div className="result">
      <p className="score">Score: {percent(score)}</p>
      {firstDeparture === null ? (
        <p className="all-right">Every part matches the computed trace.</p>
      ) : (
        <p className="departure">
          <strong>Where it first departs:</strong> {firstDeparture.message}
          {firstDeparture.href !== null && (
            <>
              {" "}
              <a href={firstDeparture.href} className="departure-link">
                Open this hop in the lab
              </a>
            </>
          )}
        </p>
      )}
      {misconception && (
        <section className="misconception" aria-labelledby={`${idBase}-misconception`}>
          <h4 id={`${idBase}-misconception`}>This is a known misconception: {misconception.name}</h4>
          <p>
            <strong>The belief:</strong> {misconception.belief}
          </p>
          <p>
            <strong>Why it is wrong:</strong> {misconception.whyWrong}
          </p>
        </section>
      )}
      {parts.length > 0 && (
        <ul className="parts">
          {parts.map((p) => (
            <li key={p.id} className={p.earned >= 1 ? "is-right" : "is-wrong"}>
              <strong className="verdict-label">
                {p.earned >= 1 ? "✓" : "✗"} {p.label}: {percent(p.earned)}
              </strong>
              {p.notes.map((note, i) => (
                <span key={i} className="note-line">
                  {" "}
                  {note}
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
