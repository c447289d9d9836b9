import { useMachine } from "@xstate/react";
import { useEffect, useRef, useState } from "react";
import { attemptMachine } from "../../machines/attempt.machine";
import { labHref, type AnswerOf, type AnyVariant, type QuizResult } from "../../quiz/engine/types";
import { Rating, type Grade } from "../../quiz/srs";
import { MultipleChoice, SingleChoice } from "./answers/ChoiceAnswer";
import { FieldsAnswer, NumericAnswer, type FieldProblem } from "./answers/FieldsAnswer";
import { OpenAnswer } from "./answers/OpenAnswer";
import { OrderingAnswer } from "./answers/OrderingAnswer";
import { TraceBuilderAnswer } from "./answers/TraceBuilderAnswer";
import { Exhibits } from "./Exhibits";
import { Feedback } from "./Feedback";
import { KeyView } from "./KeyView";

/** What one attempt at a variant comes to, for the schedule: recorded once per variant shown. */
export interface AttemptReview {
  /** The first graded check's score (0 when the key was revealed before any). */
  readonly score: number;
  readonly hints: number;
  readonly revealed: boolean;
  /** Open questions only: the learner's own rating. */
  readonly selfRating?: Grade;
  /** Where a wrong first answer left the trace: the summary of a mock interview links there. */
  readonly departureHref: string | null;
}

/** The attempt machine's output when the learner moves on. */
export interface AttemptOutcome {
  readonly score: number;
  readonly attempts: number;
  readonly hintsShown: number;
  readonly revealed: boolean;
}

export interface QuestionCardProps {
  readonly variant: AnyVariant;
  readonly grade: (variant: AnyVariant, answer: unknown) => QuizResult;
  /** "Question 2 of 5", "Due today: 3 left" — or null. */
  readonly position: string | null;
  /** The page's query that opens exactly this variant (`?q=…&seed=…`). */
  readonly shareSearch: string;
  /** What this browser remembers of the template ("Reviewed twice; next due in 3 days"), or null. */
  readonly history: string | null;
  readonly nextLabel: string;
  readonly onReview: (review: AttemptReview) => void;
  readonly onNext: (outcome: AttemptOutcome) => void;
  /** Move focus to the question's heading when it appears (a new question replaced the old one). */
  readonly focusHeading: boolean;
}

const SELF_RATINGS: readonly { rating: Grade; label: string; meaning: string }[] = [
  { rating: Rating.Again, label: "Again", meaning: "I missed the main point" },
  { rating: Rating.Hard, label: "Hard", meaning: "I got there with gaps" },
  { rating: Rating.Good, label: "Good", meaning: "I covered it" },
  { rating: Rating.Easy, label: "Easy", meaning: "I covered it without effort" },
];

/**
 * One question of any kind, from its variant's `view`: the prompt and exhibits, the answer widget for
 * its kind, Check / Hint / Reveal / Next, and the feedback. The attempt (answer, result, attempts,
 * hints shown, revealed) lives in `attemptMachine`; this component sends it events and renders it.
 */
export function QuestionCard({ variant, grade, position, shareSearch, history, nextLabel, onReview, onNext, focusHeading }: QuestionCardProps) {
  const [snapshot, send] = useMachine(attemptMachine, {
    input: { hints: variant.hints.length, grade: (answer: unknown) => grade(variant, answer) },
  });
  const { answer, hintsShown, revealed, firstScore } = snapshot.context;
  const result = snapshot.context.result as QuizResult | null;
  const graded = result?.type === "graded" ? result : null;
  // A value that cannot be read, or a field still empty, is flagged at that field (aria-invalid, its message tied to it).
  const open = variant.kind === "open";
  const openText = open ? ((answer as AnswerOf["open"] | null)?.text ?? "").trim() : "";
  const problem: FieldProblem | null =
    result?.type === "invalid" ? { part: result.part, message: result.message } : result?.type === "incomplete" && result.part !== undefined ? { part: result.part, message: result.message } : null;
  const canAnswer = snapshot.can({ type: "ANSWER", answer: null });
  const idBase = `q-${variant.template}-${variant.seed}`.replace(/[^\w-]/g, "-");
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** Open questions: the model answer is shown once the learner asks to compare (not machine state: a view choice). */
  const [comparing, setComparing] = useState(false);
  const [openNudge, setOpenNudge] = useState(false);
  const selfRating = useRef<Grade | undefined>(undefined);
  const reviewed = useRef(false);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    if (focusHeading) headingRef.current?.focus();
  }, [focusHeading]);

  // The schedule hears of the attempt once: at its first graded check, or when the key is revealed first.
  useEffect(() => {
    if (reviewed.current) return;
    if (typeof firstScore === "number") {
      reviewed.current = true;
      const departure = graded?.firstDeparture?.href ?? null;
      onReview({ score: firstScore, hints: hintsShown, revealed, departureHref: departure, ...(selfRating.current === undefined ? {} : { selfRating: selfRating.current }) });
    } else if (revealed) {
      reviewed.current = true;
      onReview({ score: 0, hints: hintsShown, revealed: true, departureHref: variant.lab ? labHref(variant.lab) : null });
    }
  }, [firstScore, revealed, hintsShown, graded, onReview, variant.lab]);

  const finished = useRef(false);
  useEffect(() => {
    if (snapshot.status !== "done" || finished.current) return;
    finished.current = true;
    onNext(snapshot.output as AttemptOutcome);
  }, [snapshot.status, snapshot.output, onNext]);

  const answerWith = (next: unknown) => send({ type: "ANSWER", answer: next });
  const check = () => {
    if (!can({ type: "CHECK" })) return;
    // An ordering nobody has moved is still an answer: the items in the order shown.
    if (variant.kind === "ordering" && answer === null) answerWith({ order: variant.view.items.map((i) => i.id) });
    send({ type: "CHECK" });
  };
  const can = (event: Parameters<typeof send>[0]) => snapshot.can(event);
  /** Sends an event the machine accepts now; a button that cannot act stays focusable (aria-disabled) and does nothing. */
  const sendIf = (event: Parameters<typeof send>[0]) => {
    if (can(event)) send(event);
  };
  const rate = (rating: Grade) => {
    if (!can({ type: "CHECK" })) return;
    selfRating.current = rating;
    if (answer === null) answerWith({ checked: [] });
    send({ type: "CHECK" });
  };
  const copy = () => {
    const link = new URL(shareSearch, location.href).href;
    navigator.clipboard.writeText(link).then(
      () => setCopied("Link copied."),
      () => setCopied(`This browser did not allow copying; the link is ${link}`),
    );
  };

  const locked = !canAnswer;
  const body = (() => {
    switch (variant.kind) {
      case "single-choice":
        return <SingleChoice idBase={idBase} legend="Choose one answer" options={variant.view.options} answer={answer as AnswerOf["single-choice"] | null} onAnswer={answerWith} locked={locked} />;
      case "diagnosis":
        return <SingleChoice idBase={idBase} legend="What is the cause?" options={variant.view.options} answer={answer as AnswerOf["diagnosis"] | null} onAnswer={answerWith} locked={locked} />;
      case "multiple-choice":
        return <MultipleChoice idBase={idBase} options={variant.view.options} answer={answer as AnswerOf["multiple-choice"] | null} onAnswer={answerWith} locked={locked} />;
      case "ordering":
        return <OrderingAnswer idBase={idBase} items={variant.view.items} answer={answer as AnswerOf["ordering"] | null} onAnswer={answerWith} locked={locked} />;
      case "fill-in":
        return <FieldsAnswer idBase={idBase} fields={variant.view.fields} answer={answer as AnswerOf["fill-in"] | null} onAnswer={answerWith} problem={problem} locked={locked} />;
      case "predict-header":
        return (
          <>
            <p className="hint">The header as it leaves {variant.view.after.name}:</p>
            <FieldsAnswer idBase={idBase} fields={variant.view.fields} answer={answer as AnswerOf["predict-header"] | null} onAnswer={answerWith} problem={problem} locked={locked} />
          </>
        );
      case "numeric":
        return <NumericAnswer idBase={idBase} label={variant.view.label} unit={variant.view.unit} answer={answer as AnswerOf["numeric"] | null} onAnswer={answerWith} problem={problem} locked={locked} />;
      case "trace-builder":
        return <TraceBuilderAnswer idBase={idBase} options={variant.view.options} marks={variant.view.marks} answer={answer as AnswerOf["trace-builder"] | null} onAnswer={answerWith} locked={locked} />;
      case "open":
        return (
          <OpenAnswer
            idBase={idBase}
            checklist={variant.view.checklist}
            modelAnswer={variant.rubric.modelAnswer}
            answer={answer as AnswerOf["open"] | null}
            onAnswer={answerWith}
            comparing={comparing || revealed}
            locked={locked}
            nudge={openNudge && openText === "" && !comparing ? "Write your answer first: the model answer appears once you have." : null}
          />
        );
    }
  })();

  const headingId = `${idBase}-title`;
  const hintsLeft = variant.hints.length - hintsShown;

  return (
    <article className="question practice-card" aria-labelledby={headingId} data-template={variant.template} data-seed={variant.seed}>
      {position && <p className="card-position">{position}</p>}
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        {variant.title}
      </h3>
      <p className="meta">
        Variant {variant.seed} · <a href={shareSearch}>Link to this variant</a>{" "}
        <button type="button" className="link-button" onClick={copy}>
          Copy link
        </button>
        <span role="status" className="copied">
          {copied}
        </span>
      </p>
      <Exhibits exhibits={variant.exhibits} idBase={idBase} />
      <p className="prompt">{variant.prompt}</p>

      <div className="answer-area">{body}</div>

      {hintsShown > 0 && (
        <ol className="hints" aria-label="Hints">
          {variant.hints.slice(0, hintsShown).map((h, i) => (
            <li key={i}>{h}</li>
          ))}
        </ol>
      )}

      <div className="actions">
        {open && !comparing && !revealed ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setOpenNudge(openText === "");
              if (openText !== "") setComparing(true);
            }}
          >
            Compare with the model answer
          </button>
        ) : open ? (
          <div className="self-rating" role="group" aria-labelledby={`${idBase}-rate`}>
            <p id={`${idBase}-rate`} className="hint">
              How well did you recall it?
            </p>
            {SELF_RATINGS.map((r) => (
              <button key={r.rating} type="button" onClick={() => rate(r.rating)} aria-disabled={!can({ type: "CHECK" })}>
                {r.label}
                <span className="visually-hidden">: {r.meaning}</span>
              </button>
            ))}
          </div>
        ) : (
          <button type="button" className="primary" onClick={check} aria-disabled={!can({ type: "CHECK" })}>
            Check
          </button>
        )}
        <button type="button" onClick={() => sendIf({ type: "HINT" })} aria-disabled={!can({ type: "HINT" })}>
          {hintsLeft > 0 ? `Hint (${hintsLeft} left)` : "No more hints"}
        </button>
        <button type="button" onClick={() => sendIf({ type: "REVEAL" })} aria-disabled={!can({ type: "REVEAL" })}>
          Reveal the answer
        </button>
        {can({ type: "RETRY" }) && (
          <button type="button" onClick={() => send({ type: "RETRY" })}>
            Try again
          </button>
        )}
        {can({ type: "NEXT" }) && (
          <button type="button" className="next" onClick={() => sendIf({ type: "NEXT" })}>
            {graded || revealed ? nextLabel : "Skip this question"}
          </button>
        )}
      </div>

      <div className="feedback" aria-live="polite">
        {result && result.type !== "graded" && <p className="message">{result.message}</p>}
        {graded && <Feedback result={graded} idBase={idBase} />}
        {(graded || revealed) && variant.explanation && (
          <div className="explanation">
            <h4>Why</h4>
            <p>{variant.explanation}</p>
          </div>
        )}
        {revealed && !open && (
          <div className="revealed">
            <h4>The answer</h4>
            <KeyView variant={variant} />
          </div>
        )}
        {(graded || revealed) && variant.lab && (
          <p>
            <a href={labHref(variant.lab)}>Open this variant in the lab</a>
          </p>
        )}
      </div>
      {history && <p className="meta history">{history}</p>}
    </article>
  );
}
