import { currentStep, currentSub, type StepCursor } from "../../machines/step-lab.machine";

/** The step under the cursor: where it is, what happened there, and the current decision and why. */
export function StepDetail({ cursor, labId }: { cursor: StepCursor; labId: string }) {
  const step = currentStep(cursor);
  const sub = currentSub(cursor);
  if (!step || !cursor.trace) return null;
  const stage = cursor.trace.stages.find((s) => s.id === step.stage);
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
      {step.events.length > 0 && (
        <ul className="events">
          {step.events.map((e, i) => (
            <li key={i}>{e.text}</li>
          ))}
        </ul>
      )}
      {sub && (
        <div className={`sub-now ${sub.taken ? "taken" : "skipped"}`}>
          <p className="sub-now-head">
            <span className="sub-kind">{sub.kind}</span> {sub.taken ? "taken" : "not taken"} · decision {(cursor.sub ?? 0) + 1} of {step.sub.length}
          </p>
          <p className="sub-now-label"><code>{sub.label}</code></p>
          <p className="sub-now-detail">{sub.detail}</p>
        </div>
      )}
    </div>
  );
}
