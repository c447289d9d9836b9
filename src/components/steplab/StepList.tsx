import type { Ref } from "react";
import type { StepCursor } from "../../machines/step-lab.machine";
import { isRuleTried, subStepSummary } from "./rule-text";

interface Props {
  cursor: StepCursor;
  /** Go to a step (its first sub-step) or to one of its sub-steps. */
  onJump: (stepId: string, sub: number | null) => void;
  /** The list element, which scrolls to keep the current entry in view. */
  listRef: Ref<HTMLOListElement>;
  label: string;
}

/**
 * The walk: steps grouped by stage; the current step opens into its decisions (a node's netfilter
 * walk has forty or more, so only the step being read is expanded). One tab stop for the whole list
 * (roving tabindex): only the current entry is tabbable; the arrow keys move the cursor and focus
 * follows. The current entry is marked with aria-current and a filled background; keyboard focus
 * draws its own outline, so the two never look alike. Rules carry ✓ or ✗; a decision's full text is
 * in its tooltip and in the step detail.
 */
export function StepList({ cursor, onJump, listRef, label }: Props) {
  const trace = cursor.trace;
  if (!trace) return null;
  const stageTitle = new Map(trace.stages.map((s) => [s.id, s.title]));
  let lastStage = "";
  return (
    <ol className="step-list" aria-label={label} ref={listRef}>
      {trace.steps.map((step, stepIndex) => {
        const heading = step.stage !== lastStage ? (stageTitle.get(step.stage) ?? step.stage) : null;
        lastStage = step.stage;
        const isStep = step.id === cursor.stepId;
        const plainCurrent = isStep && step.sub.length === 0;
        return (
          <li key={step.id} className={isStep ? "in-step" : undefined}>
            {heading && <div className="stage-heading" aria-hidden="true">{heading}</div>}
            <button
              type="button"
              className="step-entry"
              tabIndex={plainCurrent ? 0 : -1}
              aria-current={plainCurrent ? "step" : undefined}
              data-current={plainCurrent || undefined}
              onClick={() => onJump(step.id, step.sub.length ? 0 : null)}
            >
              <span className="step-number" aria-hidden="true">{stepIndex + 1}</span>
              <span>
                {step.node.name}
                {step.sub.length > 0 && !isStep && <span className="step-count"> · {step.sub.length} decision{step.sub.length === 1 ? "" : "s"}</span>}
                <span className="visually-hidden">{`, ${stageTitle.get(step.stage) ?? step.stage}`}{step.sub.length > 0 && isStep ? `, ${step.sub.length} decision${step.sub.length === 1 ? "" : "s"}` : ""}</span>
              </span>
            </button>
            {isStep && step.sub.length > 0 && (
              <ol className="sub-list">
                {step.sub.map((sub, i) => {
                  const current = cursor.sub === i;
                  const verdict = isRuleTried(sub) ? (sub.taken ? "taken" : "skipped") : null;
                  const summary = subStepSummary(sub);
                  return (
                    <li key={i}>
                      <button
                        type="button"
                        className={`sub-entry${verdict ? ` ${verdict}` : ""}`}
                        tabIndex={current ? 0 : -1}
                        aria-current={current ? "step" : undefined}
                        data-current={current || undefined}
                        title={sub.label === summary ? undefined : sub.label}
                        onClick={() => onJump(step.id, i)}
                      >
                        <span className="sub-kind">{sub.kind}</span>
                        <span className="sub-label">{summary}</span>
                        {verdict && (
                          <span className="sub-verdict">
                            <span aria-hidden="true">{verdict === "taken" ? "✓" : "✗"}</span>
                            <span className="visually-hidden">{verdict === "taken" ? ", matched" : ", not matched"}</span>
                          </span>
                        )}
                      </button>
                    </li>
                  );
                })}
              </ol>
            )}
          </li>
        );
      })}
    </ol>
  );
}
