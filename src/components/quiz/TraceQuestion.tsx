import { useMachine } from "@xstate/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { assign } from "xstate";
import { hopAnswerMachine } from "../../machines/hop-answer.machine";
import type { GradeResult } from "../../quiz/grade";
import { loadProgress, PROGRESS_KEY, recordAttempt, type Progress } from "../../quiz/progress";
import { answerKey, gradeTraceAnswer, makeQuestion, QUESTION_ID, questionTrace, SCENARIO_ID } from "../../quiz/trace-the-request";
import { getScenario, scenarioDefaults } from "../../sim/index";
import { labLink } from "../lab/url-state";

export interface TraceQuestionProps {
  /** Variant to open with; 0 is the canonical Paris question. */
  seed?: number;
  /** Page holding the whole-journey lab (id "journey") that explanations link into. */
  labPath: string;
  /** Offer a "new variant" button. */
  variants?: boolean;
}

/** Reads saved progress; a record that cannot be read is set aside under another key, not lost. */
function readProgress(): { progress: Progress; warning: string | null } {
  try {
    const stored = localStorage.getItem(PROGRESS_KEY);
    const loaded = loadProgress(stored);
    if (loaded.ok) return { progress: loaded.progress, warning: null };
    const aside = `${PROGRESS_KEY}:unreadable:${Date.now()}`;
    localStorage.setItem(aside, stored ?? "");
    localStorage.removeItem(PROGRESS_KEY);
    return { progress: loaded.progress, warning: `${loaded.message} It was kept under “${aside}” and a new record was started.` };
  } catch {
    return { progress: loadProgress(null).progress, warning: "This browser does not allow saving progress; answers are graded but not remembered." };
  }
}

function QuestionBody({ seed, labPath, onNext }: { seed: number; labPath: string; onNext: (() => void) | null }) {
  const question = useMemo(() => makeQuestion(seed), [seed]);
  const trace = useMemo(() => questionTrace(question), [question]);
  const known = useMemo(() => new Set(question.options.map((o) => o.id)), [question]);
  const names = useMemo(() => new Map(question.options.map((o) => [o.id, o.name])), [question]);
  const machine = useMemo(
    () =>
      hopAnswerMachine.provide({
        actions: { grade: assign({ result: ({ context }) => gradeTraceAnswer(context, trace, known) }) },
      }),
    [trace, known],
  );
  const [snapshot, send] = useMachine(machine, { input: {} });
  const result = snapshot.context.result as GradeResult | null;
  const [reveal, setReveal] = useState(false);
  const [saved, setSaved] = useState<{ progress: Progress; warning: string | null } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => setSaved(readProgress()), []);

  // Record each graded attempt.
  useEffect(() => {
    if (result?.type !== "graded") return;
    const current = readProgress();
    const progress = recordAttempt(current.progress, QUESTION_ID, { seed, score: result.score, at: new Date().toISOString() });
    try {
      localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    } catch {
      // Saving is best effort; the grade is shown either way.
    }
    setSaved({ progress, warning: current.warning });
  }, [result, seed]);

  // After a move, keep keyboard focus on the same row.
  useEffect(() => {
    const focus = snapshot.context.focus;
    if (focus === null) return;
    const active = document.activeElement;
    if (!listRef.current?.contains(active)) return;
    const action = active?.getAttribute("data-action");
    const row = listRef.current.querySelectorAll("li")[focus];
    (row?.querySelector<HTMLElement>(`[data-action="${action}"]:not(:disabled)`) ?? row?.querySelector<HTMLElement>("input"))?.focus();
  }, [snapshot.context.hops, snapshot.context.focus]);

  const defaults = scenarioDefaults(getScenario(SCENARIO_ID));
  const linkTo = (hop: number) => labLink(labPath, "journey", { ...defaults, ...question.params }, defaults, hop);
  const attempts = saved?.progress.questions[QUESTION_ID]?.attempts ?? [];
  const hops = snapshot.context.hops;
  const pool = question.options.filter((o) => !hops.some((h) => h.device === o.id));
  const headingId = `question-${seed}-title`;

  return (
    <section className="question" aria-labelledby={headingId}>
      <h3 id={headingId}>Interview question: trace the request{seed ? ` (variant ${seed})` : ""}</h3>
      <p>{question.prompt}</p>
      {saved?.warning && <p className="message" role="alert">{saved.warning}</p>}
      <h4>Devices</h4>
      <ul className="pool" aria-label="Devices to add">
        {pool.map((o) => (
          <li key={o.id}>
            <button type="button" onClick={() => send({ type: "ADD_HOP", device: o.id })} aria-label={`Add ${o.name}`}>
              + {o.name}
            </button>
          </li>
        ))}
      </ul>
      <h4>Your answer, in order</h4>
      {hops.length === 0 && <p className="meta">Nothing yet: add devices from the list above, starting with the browser.</p>}
      <ol className="answer" ref={listRef}>
        {hops.map((h, i) => {
          const name = names.get(h.device) ?? h.device;
          return (
            <li key={h.device}>
              <div className="answer-row">
                <span className="name">{name}</span>
                <label>
                  <input type="checkbox" checked={h.tls} onChange={() => send({ type: "TOGGLE_MARK", position: i, mark: "tls" })} /> TLS ends here
                </label>
                <label>
                  <input type="checkbox" checked={h.anycast} onChange={() => send({ type: "TOGGLE_MARK", position: i, mark: "anycast" })} /> anycast decides here
                </label>
                <button type="button" data-action="up" onClick={() => send({ type: "MOVE_UP", position: i })} disabled={i === 0} aria-label={`Move ${name} up`}>↑</button>
                <button type="button" data-action="down" onClick={() => send({ type: "MOVE_DOWN", position: i })} disabled={i === hops.length - 1} aria-label={`Move ${name} down`}>↓</button>
                <button type="button" data-action="remove" onClick={() => send({ type: "REMOVE_HOP", position: i })} aria-label={`Remove ${name}`}>✕</button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="stepper">
        <button type="button" className="primary" onClick={() => send({ type: "SUBMIT" })}>Check answer</button>
        <button type="button" onClick={() => send({ type: "CLEAR" })} disabled={hops.length === 0}>Clear</button>
        {onNext && <button type="button" onClick={onNext}>New variant</button>}
      </div>
      <div aria-live="polite">
        {result && result.type !== "graded" && <p className="message">{result.message}</p>}
        {result?.type === "graded" && (
          <div className="result">
            <p className="score">Score: {Math.round(result.score * 100)}%</p>
            <ul>
              {result.parts.map((p) => (
                <li key={p.id}>
                  <span className={p.earned === 1 ? "part-ok" : undefined}>
                    {p.label}: {Math.round(p.earned * 100)}% (weight {Math.round(p.weight * 100)}%)
                  </span>
                  {p.notes.length > 0 && <ul>{p.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
                </li>
              ))}
            </ul>
            {result.firstDeparture ? (
              <p className="departure">
                <strong>Where it departs from the trace.</strong> {result.firstDeparture.message}{" "}
                {result.firstDeparture.traceHop !== null && <a href={linkTo(result.firstDeparture.traceHop)}>See that hop in the lab</a>}
              </p>
            ) : (
              <p className="part-ok">Every hop and mark matches the computed trace.</p>
            )}
            <button type="button" onClick={() => setReveal((r) => !r)} aria-expanded={reveal}>
              {reveal ? "Hide" : "Show"} the computed answer
            </button>
            {reveal && (
              <ol>
                {answerKey(trace).hops.map((h, i) => (
                  <li key={h.device}>
                    <a href={linkTo(i)}>{names.get(h.device)}</a>
                    {h.tls ? " — TLS terminates" : ""}
                    {h.anycast ? " — anycast decides" : ""}
                  </li>
                ))}
              </ol>
            )}
          </div>
        )}
      </div>
      {attempts.length > 0 && (
        <p className="meta">
          Attempts saved in this browser: {attempts.length}; best {Math.round(Math.max(...attempts.map((a) => a.score)) * 100)}%.
        </p>
      )}
    </section>
  );
}

/** Question 1 as an island: one variant at a time, graded against its computed trace. */
export default function TraceQuestion({ seed = 0, labPath, variants = false }: TraceQuestionProps) {
  const [current, setCurrent] = useState(seed);
  return (
    <QuestionBody
      key={current}
      seed={current}
      labPath={labPath}
      onNext={variants ? () => setCurrent((s) => (s + 1) % 1000) : null}
    />
  );
}
