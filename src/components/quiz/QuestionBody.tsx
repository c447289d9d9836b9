import { useMachine } from "@xstate/react";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { assign } from "xstate";
import { hopAnswerMachine } from "../../machines/hop-answer.machine";
import type { RowVerdict } from "../../quiz/grade";
import type { TraceGradeResult } from "../../quiz/trace-grader";
import type { QuestionView, SettingChip } from "../../quiz/trace-the-request";
import { labLink } from "../lab/url-state";
import { loadGrader, loadSavedProgress } from "./load-grader";
import { useRoving } from "./roving";
import { peekAttempts, type PeekedAttempt } from "./peek-progress";
import type { SavedProgress } from "./saved-progress";
import { SettingsChips } from "./SettingsChips";

export interface QuestionBodyProps {
  readonly view: QuestionView;
  /** The variant shown before this one, whose settings the chips compare with. */
  readonly previous: readonly SettingChip[] | null;
  readonly labPath: string;
  /** "New variant", when offered: the button's state and what it does. */
  readonly next: { readonly state: "idle" | "loading" | "failed"; readonly go: () => void } | null;
  /** Move focus to the heading when shown (a new variant replaced the old). */
  readonly focusHeading: boolean;
}

/** Controls of an answer row, in tab-stop order (the link appears once the answer is checked). */
const ROW_COLUMNS = 6;
const PROBLEM_LABELS: Record<RowVerdict["problems"][number], string> = {
  "not-on-path": "not on this path",
  "out-of-order": "out of order",
  "mark-missing": "a mark missing",
  "mark-extra": "a wrong mark",
};

function verdictLabel(row: RowVerdict): string {
  if (row.correct) return "✓ Right";
  const marks = row.marks.map((m) => (m === "tls" ? "TLS mark" : "anycast mark"));
  const problems = row.problems.filter((p) => p === "not-on-path" || p === "out-of-order").map((p) => PROBLEM_LABELS[p]);
  return `✗ Wrong: ${[...problems, ...marks].join("; ")}`;
}

/** One variant of "trace the request": build the answer, check it, read every row's verdict. */
export function QuestionBody({ view, previous, labPath, next, focusHeading }: QuestionBodyProps) {
  const { key } = view;
  // The grader is fetched at the first check; SUBMIT is sent only once it is here.
  const grader = useRef<Awaited<ReturnType<typeof loadGrader>> | null>(null);
  const [checking, setChecking] = useState<"idle" | "loading" | "failed">("idle");
  const machine = useMemo(
    () => hopAnswerMachine.provide({ actions: { grade: assign({ result: ({ context }) => grader.current!.gradeTraceKey(context, key) }) } }),
    [key],
  );
  const [snapshot, send] = useMachine(machine, { input: {} });
  const result = snapshot.context.result as TraceGradeResult | null;
  const hops = snapshot.context.hops;
  const names = useMemo(() => new Map(view.options.map((o) => [o.id, o.name])), [view]);
  const pool = view.options.filter((o) => !hops.some((h) => h.device === o.id));
  const graded = result?.type === "graded" ? result : null;

  const [reveal, setReveal] = useState(false);
  const [saved, setSaved] = useState<SavedProgress | null>(null);
  /** Before anything is saved here: the stored attempts, peeked at without loading the schema. */
  const [peeked, setPeeked] = useState<readonly PeekedAttempt[]>([]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const poolRoving = useRoving<HTMLUListElement>(pool.length, 1);
  const answerRoving = useRoving<HTMLOListElement>(hops.length, graded ? ROW_COLUMNS : ROW_COLUMNS - 1);
  const missingRoving = useRoving<HTMLUListElement>(graded?.missing.length ?? 0, 1);
  const revealRoving = useRoving<HTMLOListElement>(key.hops.length, 1);
  /** Where focus goes after the list it was in changes under it (an added device, a moved or removed hop). */
  const pendingFocus = useRef<{ list: "pool"; index: number } | { list: "answer"; column: number } | null>(null);

  // The saved attempts are peeked at as the card opens; the saved-progress module (the zod schema, the
  // migration, keeping an unreadable record aside) loads only when an attempt is saved, so it is not part
  // of the lesson's opening JavaScript.
  useEffect(() => {
    const peek = peekAttempts(view.id);
    setPeeked(peek.attempts);
    if (!peek.suspect) return;
    let live = true;
    void loadSavedProgress().then((m) => live && setSaved(m.readProgress()));
    return () => {
      live = false;
    };
  }, [view.id]);
  useEffect(() => {
    if (focusHeading) headingRef.current?.focus();
  }, [focusHeading]);

  // Record each graded attempt.
  useEffect(() => {
    if (result?.type !== "graded") return;
    const attempt = { seed: view.seed, score: result.score, at: new Date().toISOString() };
    void loadSavedProgress().then((m) => setSaved(m.saveAttempt(view.id, attempt)));
  }, [result, view]);

  // After an edit, put focus back where the learner was: the same control of the moved hop, or the
  // device that took the added one's place.
  useLayoutEffect(() => {
    const pending = pendingFocus.current;
    pendingFocus.current = null;
    if (!pending) return;
    if (pending.list === "pool") {
      if (pool.length) poolRoving.focusCell(Math.min(pending.index, pool.length - 1), 0);
      return;
    }
    const row = snapshot.context.focus;
    if (row !== null) answerRoving.focusCell(row, pending.column);
    else poolRoving.focusCell(0, 0);
  });

  const linkTo = (step: string) => labLink(labPath, "journey", view.lab.params, view.lab.defaults, step);
  const attempts: readonly PeekedAttempt[] = saved?.progress.questions[view.id]?.attempts ?? peeked;
  const headingId = `question-${view.seed}-title`;
  const verdicts = graded?.rows;
  const check = () => {
    if (grader.current) return send({ type: "SUBMIT" });
    if (checking === "loading") return;
    setChecking("loading");
    loadGrader().then(
      (loaded) => {
        grader.current = loaded;
        setChecking("idle");
        send({ type: "SUBMIT" });
      },
      () => setChecking("failed"),
    );
  };
  const editRow = (column: number, event: Parameters<typeof send>[0]) => {
    pendingFocus.current = { list: "answer", column };
    send(event);
  };

  return (
    <section className="question" aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        Interview question: trace the request{view.seed ? ` (variant ${view.seed})` : ""}
      </h3>
      <SettingsChips settings={view.settings} previous={previous} />
      {/* Search indexes the heading and the prompt; the controls and feedback would only be noise in an excerpt. */}
      <p className="prompt">{view.prompt}</p>
      {saved?.warning && <p className="message" role="alert">{saved.warning}</p>}

      <div className="builder" data-pagefind-ignore="all">
        <div className="pool-panel">
          <h4 id={`${headingId}-pool`}>Devices</h4>
          <p className="hint" id={`${headingId}-pool-hint`}>Arrow keys move between devices; Enter adds one to your answer.</p>
          <ul className="pool" ref={poolRoving.ref} onKeyDown={poolRoving.onKeyDown} aria-labelledby={`${headingId}-pool`} aria-describedby={`${headingId}-pool-hint`}>
            {pool.map((o, i) => (
              <li key={o.id}>
                <button
                  type="button"
                  {...poolRoving.cell(i, 0)}
                  onClick={() => {
                    pendingFocus.current = { list: "pool", index: i };
                    send({ type: "ADD_HOP", device: o.id });
                  }}
                >
                  <span aria-hidden="true">+ </span>
                  <span className="visually-hidden">Add </span>
                  {o.name}
                </button>
              </li>
            ))}
          </ul>
          {pool.length === 0 && <p className="meta">Every device is in your answer.</p>}
        </div>

        <div className="answer-panel">
          <h4 id={`${headingId}-answer`}>Your answer, in order</h4>
          <p className="hint" id={`${headingId}-answer-hint`}>↑ ↓ move between hops, ← → between a hop's controls.</p>
          {hops.length === 0 && <p className="meta">Nothing yet: add devices from the list, starting with the browser.</p>}
          <ol className="answer" ref={answerRoving.ref} onKeyDown={answerRoving.onKeyDown} aria-labelledby={`${headingId}-answer`} aria-describedby={`${headingId}-answer-hint`}>
            {hops.map((h, i) => {
              const name = names.get(h.device) ?? "";
              const verdict = verdicts?.[i];
              const first = i === 0;
              const last = i === hops.length - 1;
              return (
                <li key={h.device} className={verdict ? (verdict.correct ? "is-right" : "is-wrong") : undefined}>
                  <span className="name">{name}</span>
                  <span className="row-controls">
                    <label className="mark">
                      <input type="checkbox" {...answerRoving.cell(i, 0)} checked={h.tls} onChange={() => editRow(0, { type: "TOGGLE_MARK", position: i, mark: "tls" })} />
                      TLS ends here
                    </label>
                    <label className="mark">
                      <input type="checkbox" {...answerRoving.cell(i, 1)} checked={h.anycast} onChange={() => editRow(1, { type: "TOGGLE_MARK", position: i, mark: "anycast" })} />
                      Anycast decides here
                    </label>
                    <button type="button" {...answerRoving.cell(i, 2)} aria-disabled={first} onClick={() => !first && editRow(2, { type: "MOVE_UP", position: i })}>
                      <span aria-hidden="true">↑ </span>Up<span className="visually-hidden">: {name}</span>
                    </button>
                    <button type="button" {...answerRoving.cell(i, 3)} aria-disabled={last} onClick={() => !last && editRow(3, { type: "MOVE_DOWN", position: i })}>
                      <span aria-hidden="true">↓ </span>Down<span className="visually-hidden">: {name}</span>
                    </button>
                    <button type="button" {...answerRoving.cell(i, 4)} onClick={() => editRow(4, { type: "REMOVE_HOP", position: i })}>
                      <span aria-hidden="true">✕ </span>Remove<span className="visually-hidden">: {name}</span>
                    </button>
                  </span>
                  {verdict && (
                    <p className="verdict">
                      <strong className="verdict-label">{verdictLabel(verdict)}.</strong> {verdict.reason}{" "}
                      <a href={linkTo(verdict.step)} {...answerRoving.cell(i, 5)}>
                        Open {verdict.stepName} in the lab
                      </a>
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      </div>

      <div className="actions" data-pagefind-ignore="all">
        <button type="button" className="primary" onClick={check} aria-disabled={checking === "loading"}>
          {checking === "loading" ? "Checking…" : "Check answer"}
        </button>
        <button type="button" onClick={() => send({ type: "CLEAR" })} disabled={hops.length === 0}>Clear</button>
        {next && (
          <button type="button" onClick={next.go} aria-disabled={next.state === "loading"}>
            {next.state === "loading" ? "Loading a new variant…" : "New variant"}
          </button>
        )}
      </div>
      {checking === "failed" && <p className="message" role="alert">The grader could not be loaded; check the connection and try again.</p>}
      {next?.state === "failed" && <p className="message" role="alert">The next variant could not be loaded; check the connection and try again.</p>}

      <div aria-live="polite" data-pagefind-ignore="all">
        {result && result.type !== "graded" && <p className="message">{result.message}</p>}
        {graded && (
          <div className="result">
            <p className="score">Score: {Math.round(graded.score * 100)}%</p>
            <p className="summary">
              {graded.rows.filter((r) => r.correct).length} of {graded.rows.length} rows right
              {graded.missing.length ? `; ${graded.missing.length} hop${graded.missing.length === 1 ? "" : "s"} missing` : ""}.{" "}
              {graded.parts.map((p) => `${p.label} ${Math.round(p.earned * 100)}%`).join(" · ")}
            </p>
            {graded.firstDeparture === null && <p className="all-right">Every hop and mark matches the computed trace.</p>}
            {graded.missing.length > 0 && (
              <>
                <h4>Missing from your answer</h4>
                <ul className="missing" ref={missingRoving.ref} onKeyDown={missingRoving.onKeyDown}>
                  {graded.missing.map((m, i) => (
                    <li key={m.item}>
                      <strong className="verdict-label">✗ Missing hop {m.position + 1}: {m.name}.</strong> {m.reason}{" "}
                      <a href={linkTo(m.step)} {...missingRoving.cell(i, 0)}>Open {m.name} in the lab</a>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <button type="button" onClick={() => setReveal((r) => !r)} aria-expanded={reveal}>
              {reveal ? "Hide" : "Show"} the computed answer
            </button>
            {reveal && (
              <ol className="computed" ref={revealRoving.ref} onKeyDown={revealRoving.onKeyDown}>
                {key.hops.map((h, i) => (
                  <li key={h.device}>
                    <a href={linkTo(h.step)} {...revealRoving.cell(i, 0)}>{h.name}</a>
                    {h.tls ? " — TLS ends here" : ""}
                    {h.anycast ? " — anycast decides here" : ""}
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
