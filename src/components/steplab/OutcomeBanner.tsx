import type { Trace } from "../../sim/core/trace";

const BAD = /drop|reject|refus|unreach|timeout|timed out|error|fail|blackhole/i;

/** What came of the whole walk and where it was decided, with a way to go there. */
export function OutcomeBanner({ trace, onGo }: { trace: Trace; onGo: (stepId: string) => void }) {
  const { outcome } = trace;
  const step = trace.steps.find((s) => s.id === outcome.at);
  return (
    <div className={`outcome ${BAD.test(outcome.status) ? "outcome-bad" : "outcome-ok"}`}>
      <p>
        <strong className="outcome-status">{outcome.status}</strong>
        {step && (
          <>
            {" at "}
            <button type="button" className="link-button" onClick={() => onGo(step.id)}>
              {step.node.name}
            </button>
          </>
        )}
        {": "}
        {outcome.summary}
      </p>
    </div>
  );
}
