import { useMachine } from "@xstate/react";
import { useEffect, useRef } from "react";
import { policyMatrixMachine } from "../../machines/policy-matrix.machine";
import type { Protocol } from "../../sim/kube/model";
import { policyPresets } from "../../sim/kube/policy/presets";
import { onDemand } from "../on-demand";
import "../../styles/policy.css";
import { useIgnoredLinkKeys } from "../lab/ignored-link-keys";

interface Props {
  /** The preset shown first: none, default-deny, allow-frontend, and-or-trap, and-peer, dns-blocked, dns-allowed. */
  preset?: string;
  /** The lab's id in the page URL (`policy.preset=…` or `policy.in=…`, `policy.port`, `policy.protocol`, `policy.from=NS/POD&policy.to=NS/POD`) and its anchor. */
  labId?: string;
}

/** The YAML reader for pasted policies: its own chunk, fetched on the first edit, never at mount. */
const loadParser = onDemand(() => import("../../sim/kube/policy/parse"));

const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];
const short = (key: string) => key.split("/")[1] ?? key;

/**
 * Which Pod may reach which: a grid of Pods × Pods for one port under the chosen policies; each cell
 * opens the trace of its delivery or drop (which direction, which policy, which rule).
 */
export default function PolicyMatrix({ preset = "default-deny", labId = "policy" }: Props) {
  const ignoredLinkKeys = useIgnoredLinkKeys(labId, ["preset", "in", "port", "protocol", "from", "to"]);
  const [snapshot, send] = useMachine(policyMatrixMachine, { input: { preset } });
  const { context } = snapshot;
  const textRef = useRef<HTMLTextAreaElement>(null);
  const traceRef = useRef<HTMLDivElement>(null);
  const id = (part: string) => `${labId}-${part}`;

  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const get = (k: string) => q.get(`${labId}.${k}`);
    if (["preset", "in", "from", "port", "protocol"].some((k) => get(k) !== null)) {
      send({ type: "LOAD_STATE", preset: get("preset"), input: get("in"), port: get("port"), protocol: get("protocol"), from: get("from"), to: get("to") });
    }
  }, [labId, send]);

  const parsing = context.parsing;
  useEffect(() => {
    if (parsing === null) return;
    let current = true;
    loadParser().then(
      (parser) => { if (current) send({ type: "PARSED", text: parsing, result: parser.parsePolicies(parsing) }); },
      (error: unknown) => { if (current) send({ type: "PARSER_FAILED", message: error instanceof Error ? error.message : String(error) }); },
    );
    return () => { current = false; };
  }, [parsing, send]);

  const goTo = (line: number, column: number) => {
    const el = textRef.current;
    if (el === null) return;
    const lines = el.value.split("\n");
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    el.focus();
    el.setSelectionRange(offset, offset);
  };

  const problems = context.errors.policies;
  const { matrix, trace } = context;
  return (
    <section className="lab policy-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>NetworkPolicy matrix</h3>
      {ignoredLinkKeys && <p role="alert" className="error">{ignoredLinkKeys}</p>}
      <p className="meta">Rows send, columns receive. Choose a cell to see which direction let it through or dropped it.</p>
      <div className="controls">
        <label htmlFor={id("preset")}>
          Preset cluster
          <select id={id("preset")} value={context.presetId} onChange={(e) => send({ type: "PRESET", id: e.target.value })}>
            {policyPresets.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
            {context.presetId === "custom" && <option value="custom">Your own policies</option>}
          </select>
        </label>
        <label htmlFor={id("port")}>
          Destination port
          <input id={id("port")} type="text" inputMode="numeric" size={6} spellCheck={false} autoComplete="off" value={context.portText}
            aria-invalid={context.errors.port ? true : undefined} aria-describedby={context.errors.port ? id("port-error") : undefined}
            onChange={(e) => send({ type: "CHANGE_PORT", text: e.target.value })} />
          {context.errors.port && <span className="error" id={id("port-error")}>{context.errors.port}</span>}
        </label>
        <label htmlFor={id("protocol")}>
          Protocol
          <select id={id("protocol")} value={context.protocol} onChange={(e) => send({ type: "CHANGE_PROTOCOL", protocol: e.target.value as Protocol })}>
            {PROTOCOLS.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
      </div>
      {context.errors.link && <p className="error">{context.errors.link}</p>}
      <p className="meta">{policyPresets.find((p) => p.id === context.presetId)?.summary ?? "Your own policies, applied to the lab's Pods."}</p>

      <div className="policy-grid-scroll">
        <table className="policy-grid">
          <caption className="visually-hidden">Connections on {matrix.port}/{matrix.protocol}: rows are sources, columns destinations</caption>
          <thead>
            <tr>
              <th scope="col"><span className="visually-hidden">From \ to</span></th>
              {matrix.pods.map((p) => <th scope="col" key={p} title={p}><span className="policy-ns">{p.split("/")[0]}/</span>{short(p)}</th>)}
            </tr>
          </thead>
          <tbody>
            {matrix.pods.map((from, i) => (
              <tr key={from}>
                <th scope="row" title={from}><span className="policy-ns">{from.split("/")[0]}/</span>{short(from)}</th>
                {matrix.pods.map((to, j) => {
                  const v = matrix.cells[i]![j]!;
                  const selected = context.selected?.from === from && context.selected.to === to;
                  const where = v.allowed ? "" : !v.egress.allowed ? " at egress" : " at ingress";
                  return (
                    <td key={to}>
                      <button type="button" className={`policy-cell ${v.allowed ? "policy-ok" : "policy-bad"}`} aria-pressed={selected}
                        onClick={() => { send({ type: "SELECT_CELL", from, to }); requestAnimationFrame(() => traceRef.current?.focus()); }}>
                        <span className="visually-hidden">{from} to {to}: </span>
                        <span aria-hidden="true">{v.allowed ? "✓" : "✗"}</span>
                        <span className="policy-cell-word">{v.allowed ? "ok" : "drop"}</span>
                        <span className="visually-hidden">{v.allowed ? " (allowed)" : ` (denied${where})`}</span>
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div aria-live="polite" className="visually-hidden">{context.announcement}</div>

      {trace && context.selected && (
        <div className="policy-trace" ref={traceRef} tabIndex={-1} aria-labelledby={id("trace-title")}>
          <h4 id={id("trace-title")}>{context.selected.from} → {context.selected.to}:{matrix.port}/{matrix.protocol}</h4>
          <div className={`outcome ${trace.outcome.status === "delivered" ? "outcome-ok" : "outcome-bad"}`}>
            <p><span className="outcome-label">Outcome: </span><strong className="outcome-status">{trace.outcome.status === "delivered" ? "✓ delivered" : "✗ dropped"}</strong> — {trace.outcome.summary}</p>
          </div>
          <ol className="policy-steps">
            {trace.steps.map((step) => (
              <li key={step.id}>
                <strong>{trace.stages.find((s) => s.id === step.stage)?.title}</strong> — {step.node.name}
                {step.events.map((e, k) => <p key={k} className="small">{e.text}</p>)}
                {step.sub.length > 0 && (
                  <ul className="policy-subs">
                    {step.sub.map((sub, k) => (
                      <li key={k} className={sub.taken ? "taken" : "skipped"}>
                        <span className="sub-kind">{sub.kind}</span> <code>{sub.label}</code>{" "}
                        <span className="policy-verdict">{sub.taken ? "✓ applies" : "✗ no match"}</span>
                        <span className="small policy-detail">{sub.detail}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => send({ type: "CLOSE_TRACE" })}>Close trace</button>
        </div>
      )}

      <details className="policy-edit" open={context.presetId === "custom" || problems !== undefined}>
        <summary>Edit or paste your own policies</summary>
        <label htmlFor={id("yaml")} className="policy-yaml-label">
          NetworkPolicy YAML (the lab's Pods and Namespaces stay as they are; add Namespaces to give them labels)
        </label>
        <textarea id={id("yaml")} ref={textRef} rows={14} spellCheck={false} value={context.policiesText}
          aria-invalid={problems ? true : undefined} aria-describedby={problems ? id("yaml-problems") : undefined}
          onChange={(e) => send({ type: "EDIT_POLICIES", text: e.target.value })} />
        {problems && (
          <div id={id("yaml-problems")} className="policy-problems">
            <p className="error">{problems.length === 1 ? "The policies have a problem (the matrix shows the last policies that loaded):" : `The policies have ${problems.length} problems (the matrix shows the last policies that loaded):`}</p>
            <ul>
              {problems.map((p, k) => (
                <li key={k}>
                  <button type="button" className="link-button" onClick={() => goTo(p.line, p.column)}>Line {p.line}, column {p.column}</button>
                  {": "}{p.path && <code>{p.path}</code>} {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </details>
    </section>
  );
}
