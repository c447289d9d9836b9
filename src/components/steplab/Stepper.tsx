import { currentStep, currentSub, cursorProgress, type StepCursor } from "../../machines/step-lab.machine";
import { isRuleTried } from "./rule-text";

interface Props {
  cursor: StepCursor;
  onFirst: () => void;
  onBack: () => void;
  onForward: () => void;
  onLast: () => void;
  /** Play/pause; no play button when absent. */
  onTogglePlay?: (() => void) | undefined;
  playing?: boolean;
}

/** Where the cursor is, in words, for the live region: "Step 2 of 6, decision 5 of 19: …". */
export function announce(cursor: StepCursor): string {
  const step = currentStep(cursor);
  const sub = currentSub(cursor);
  if (!step || !cursor.trace) return "Nothing to step through.";
  const { index, total } = cursorProgress(cursor);
  const stepNo = cursor.trace.steps.indexOf(step) + 1;
  const head = `${index} of ${total} · step ${stepNo}: ${step.node.name}`;
  if (!sub || cursor.sub === null) return head;
  const verdict = isRuleTried(sub) ? (sub.taken ? "matched" : "not matched") : sub.taken ? "taken" : "not taken";
  return `${head}, decision ${cursor.sub + 1} of ${step.sub.length}: ${sub.kind} ${verdict}`;
}

/** The stepper's buttons and the position, announced politely as it changes. */
export function Stepper({ cursor, onFirst, onBack, onForward, onLast, onTogglePlay, playing = false }: Props) {
  const { atStart, atEnd, total } = cursorProgress(cursor);
  const none = total === 0;
  return (
    <div className="stepper" role="group" aria-label="Step through the walk">
      <button type="button" onClick={onFirst} disabled={none || atStart} aria-keyshortcuts="Home">
        « <span className="optional-label">Start</span>
      </button>
      <button type="button" onClick={onBack} disabled={none || atStart} aria-keyshortcuts="ArrowLeft">
        ◀ <span>Back</span>
      </button>
      {onTogglePlay && (
        <button type="button" className="primary" onClick={onTogglePlay} disabled={total <= 1} aria-pressed={playing}>
          {playing ? "❚❚ Pause" : "▶ Play"}
        </button>
      )}
      <button type="button" onClick={onForward} disabled={none || atEnd} aria-keyshortcuts="ArrowRight">
        <span>Next</span> ▶
      </button>
      <button type="button" onClick={onLast} disabled={none || atEnd} aria-keyshortcuts="End">
        <span className="optional-label">End</span> »
      </button>
      <span className="position" aria-live="polite" aria-atomic="true">
        {announce(cursor)}
      </span>
    </div>
  );
}
