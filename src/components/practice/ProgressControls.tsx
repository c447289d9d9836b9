import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { exportProgress, importProgress, type Progress } from "../../quiz/progress";
import { seedCardsFromAttempts } from "../../quiz/srs";
import { dueCount } from "../../quiz/srs";
import { clearStoredProgress, importIntoStored, type ConceptsOf, type StoredProgress } from "./progress-store";
import { progressSummary } from "./progress-view";

interface Props {
  /** null until the browser's record has been read (the server-rendered page knows nothing of it). */
  readonly progress: Progress | null;
  readonly conceptsOf: ConceptsOf;
  readonly onStored: (stored: StoredProgress) => void;
}

type Message = { readonly ok: boolean; readonly text: string } | null;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Progress lives in this browser only: export it as a file, import a file back (merged with what is
 * here: nothing is lost), or clear it after a confirmation.
 */
export function ProgressControls({ progress, conceptsOf, onStored }: Props) {
  const [importMessage, setImportMessage] = useState<Message>(null);
  const [clearMessage, setClearMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const clearRef = useRef<HTMLButtonElement>(null);
  const refocusClear = useRef(false);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (refocusClear.current) clearRef.current?.focus();
    refocusClear.current = false;
  }, [confirming]);

  const summary = progress ? progressSummary(progress) : null;
  const due = progress ? dueCount(progress, new Date()) : 0;

  const download = () => {
    if (!progress) return;
    const now = new Date();
    const blob = new Blob([exportProgress(progress, now)], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `packet-lab-progress-${now.toISOString().slice(0, 10)}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has its own copy; the URL is released once the click has been handled.
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  };

  const upload = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    file.text().then(
      (text) => {
        const imported = importProgress(text);
        input.value = "";
        if (!imported.ok) {
          setImportMessage({ ok: false, text: `${file.name}: ${imported.message}` });
          return;
        }
        const stored = importIntoStored(new Date(), seedCardsFromAttempts(imported.progress, conceptsOf), conceptsOf);
        onStored(stored);
        const added = progressSummary(imported.progress);
        setClearMessage(null);
        setImportMessage({
          ok: true,
          text: `Imported ${file.name}: ${plural(added.answers, "answer")} to ${plural(added.questions, "question")}, merged with what this browser had.`,
        });
      },
      () => setImportMessage({ ok: false, text: `${file.name} could not be read.` }),
    );
  };

  const clear = () => {
    onStored(clearStoredProgress());
    setImportMessage(null);
    setClearMessage("Progress cleared: this browser no longer remembers any answer or review.");
    refocusClear.current = true;
    setConfirming(false);
  };

  return (
    <section className="progress-controls" aria-labelledby="progress-title">
      <h2 id="progress-title">Your progress</h2>
      <p>
        {summary === null
          ? "Reading what this browser has saved…"
          : summary.answers === 0
            ? "Nothing saved yet: answers you check are remembered in this browser, and nowhere else."
            : `This browser remembers ${plural(summary.answers, "answer")} to ${plural(summary.questions, "question")}; ${plural(due, "review")} due today.`}
      </p>
      <div className="progress-actions">
        <button type="button" onClick={download} aria-disabled={!progress}>
          Export progress as a file
        </button>
        <div className="import">
          <label htmlFor="progress-import">Import progress from a file</label>
          <input id="progress-import" type="file" accept="application/json,.json" onChange={upload} aria-describedby="progress-import-message" />
          <p id="progress-import-message" className={importMessage?.ok === false ? "message is-error" : "message"} role="status">
            {importMessage?.text}
          </p>
        </div>
        <div className="clear">
          {confirming ? (
            <div role="group" aria-labelledby="clear-question" className="confirm">
              <p id="clear-question">
                Delete every answer and review saved in this browser? Export first if you want to keep them; this cannot be undone.
              </p>
              <button type="button" ref={confirmRef} className="danger" onClick={clear}>
                Yes, clear my progress
              </button>{" "}
              <button
                type="button"
                onClick={() => {
                  refocusClear.current = true;
                  setConfirming(false);
                }}
              >
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" ref={clearRef} onClick={() => setConfirming(true)} aria-disabled={!progress}>
              Clear progress…
            </button>
          )}
          <p className="message" role="status">
            {clearMessage}
          </p>
        </div>
      </div>
    </section>
  );
}
