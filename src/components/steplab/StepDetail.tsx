import { currentStep, currentSub, type StepCursor } from "../../machines/step-lab.machine";
import { failedMatch, isRuleTried, RuleText } from "./rule-text";

/** Compares a label and its explanation without punctuation ("mangle PREROUTING: policy ACCEPT"). */
const same = (text: string) => text.replace(/[:\s]+/g, " ").trim();

/** A verdict in words: a rule matches or not; anything else happens (or is skipped). */
function verdictWords(kind: string, taken: boolean, ruleTried: boolean): string {
  if (ruleTried) return taken ? "matched" : "not matched";
  if (kind === "skip") return "skipped";
  return taken ? "taken" : "not taken";
}

/**
 * The step under the cursor: where it is, what happened there, and the current decision and why.
 * A rule is printed whole and wrapped — its target and the match that failed are usually at the end
 * of a long line — with the failed match marked.
 */
export function StepDetail({ cursor, labId }: { cursor: StepCursor; labId: string }) {
  const step = currentStep(cursor);
  const sub = currentSub(cursor);
  if (!step || !cursor.trace) return null;
  const stage = cursor.trace.stages.find((s) => s.id === step.stage);
  const isRule = sub ? /^-[AI] /.test(sub.label) : false;
  const ruleTried = sub ? isRuleTried(sub) : false;
  return (
    <div className="step-detail">
      <h4 id={`lab-${labId}-step`}>
        {cursor.trace.steps.indexOf(step) + 1}. {step.node.name}
      </h4>
      <p className="meta">
        {stage?.title ?? step.stage}
        {step.node.place ? ` · ${step.node.place}` : ""}
        {stage ? ` — ${stage.summary}` : ""}
      </p>
      {sub && (
        <div className={`sub-now ${sub.taken ? "taken" : "skipped"}`}>
          <p className="sub-now-head">
            <span className="sub-kind">{sub.kind}</span>{" "}
            <strong>{verdictWords(sub.kind, sub.taken, ruleTried)}</strong> · decision {(cursor.sub ?? 0) + 1} of {step.sub.length}
          </p>
          <p className="sub-now-label">
            <code>{isRule ? <RuleText text={sub.label} failed={sub.taken ? null : failedMatch(sub.detail)} /> : sub.label}</code>
          </p>
          {sub.detail.trim() && same(sub.detail) !== same(sub.label) && <p className="sub-now-detail">{sub.detail.trim()}</p>}
        </div>
      )}
      {step.events.length > 0 && (
        <ul className="events" aria-label="What happens at this node">
          {step.events.map((e, i) => (
            <li key={i}>{e.text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
