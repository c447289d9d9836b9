import type { ReactNode } from "react";
import type { Trace } from "../../sim/core/trace";

const BAD = /drop|reject|refus|unreach|timeout|timed out|error|fail|blackhole/i;

/** A summary that quotes a rule ("… drops the packet: -A KUBE-PROXY-FIREWALL …") shows the rule as code. */
function summaryText(summary: string): ReactNode {
  const at = summary.search(/(?:^|\s)-[AI] \S+/);
  if (at < 0) return summary;
  const start = summary[at] === "-" ? at : at + 1;
  return (
    <>
      {summary.slice(0, start)}
      <code className="outcome-rule">{summary.slice(start)}</code>
    </>
  );
}

/**
 * What came of the whole walk, and a way to go to the step where it was decided. The status reads as
 * the simulator gives it ("delivered", or the kernel's verdict, DROP or REJECT); the summary already
 * names where, so the button only says which step.
 */
export function OutcomeBanner({ trace, onGo }: { trace: Trace; onGo: (stepId: string) => void }) {
  const { outcome } = trace;
  const index = trace.steps.findIndex((s) => s.id === outcome.at);
  const bad = BAD.test(outcome.status);
  return (
    <div className={`outcome ${bad ? "outcome-bad" : "outcome-ok"}`}>
      <p>
        <span className="outcome-label">Outcome:</span> <strong className="outcome-status">{outcome.status}</strong>
        {" — "}
        {summaryText(outcome.summary)}
        {index >= 0 && (
          <>
            {" "}
            <button type="button" className="link-button outcome-go" onClick={() => onGo(outcome.at)}>
              Go to step {index + 1}
              <span className="visually-hidden">: {trace.steps[index]!.node.name}</span>
            </button>
          </>
        )}
      </p>
    </div>
  );
}
