import { useMachine } from "@xstate/react";
import { useEffect, useRef } from "react";
import { selectedCell, sslMatrixDefaults, sslMatrixMachine, sslMatrixParams } from "../../machines/ssl-matrix.machine";
import {
  ORIGIN_CERTS, ORIGIN_LISTENERS, SSL_MODES, VISITOR_SCHEMES, labelOf,
  type OriginCert, type OriginListener, type SslMode, type VisitorScheme,
} from "../../sim/tls/cloudflare-ssl/inputs";
import { useLabProgress } from "../lab/lab-progress";
import { writeLabState } from "../lab/url-state";
import { replaceSearch } from "../steplab/url";
import { ACTOR_LABEL, GRADE_VIEW, cellLabel, hopText } from "./ssl-matrix-view";
import "../../styles/tls-ssl.css";

export interface SslModeMatrixProps {
  /** Id of the lab on its page: its anchor is `lab-<labId>`, its URL keys `<labId>.mode`, `.cert`, `.listener`, `.visitor`, `.https`, `.step`. */
  readonly labId?: string;
  /** The lab's heading; unique on the page (it names the lab's landmark). */
  readonly title?: string;
  /** The cell selected at first (default strict × valid). */
  readonly mode?: SslMode;
  readonly cert?: OriginCert;
  readonly listener?: OriginListener;
  readonly visitor?: VisitorScheme;
  readonly alwaysUseHttps?: boolean;
}

const URL_KEYS = ["mode", "cert", "listener", "visitor", "https", "step"];

/**
 * Cloudflare's encryption modes against origin certificates: every cell a run of the model, and a button that
 * opens that cell's trace as a stepper.
 */
export default function SslModeMatrix({ labId = "ssl-matrix", title = "SSL/TLS encryption modes × origin certificates", mode, cert, listener, visitor, alwaysUseHttps }: SslModeMatrixProps) {
  const [snapshot, send] = useMachine(sslMatrixMachine, { input: { mode, cert, listener, visitor, alwaysUseHttps } });
  const { context } = snapshot;
  const selected = selectedCell(context).result;
  const steps = selected.steps;
  const step = steps[context.cursor]!;
  const total = steps.length;
  const atEnd = context.cursor === total - 1;
  useLabProgress(labId, context.cursor, total);
  const id = (s: string) => `${labId}-${s}`;

  // A link opens the lab where it points; read after hydration so server and first client render agree.
  const loaded = useRef(false);
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const get = (k: string) => q.get(`${labId}.${k}`);
    const unknownKeys = [...q.keys()].filter((k) => k.startsWith(`${labId}.`) && !URL_KEYS.includes(k.slice(labId.length + 1)));
    if (URL_KEYS.some((k) => get(k) !== null) || unknownKeys.length > 0) {
      send({ type: "LOAD_STATE", mode: get("mode"), cert: get("cert"), listener: get("listener"), visitor: get("visitor"), https: get("https"), step: get("step"), unknownKeys });
    }
    loaded.current = true;
  }, [labId, send]);

  // Keep the address a permalink to what is on screen.
  useEffect(() => {
    if (!loaded.current) return;
    const timer = window.setTimeout(() => {
      replaceSearch(writeLabState(window.location.search, labId, sslMatrixParams(context), sslMatrixDefaults(context), context.cursor === 0 ? 0 : step.id));
    }, 0);
    return () => window.clearTimeout(timer);
  }, [labId, context.mode, context.cert, context.settings, context.cursor]);

  const onStepKey = (e: React.KeyboardEvent) => {
    const type = ({ ArrowRight: "NEXT", ArrowLeft: "PREV", Home: "FIRST", End: "LAST" } as const)[e.key as "ArrowRight"];
    if (!type || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    send({ type });
  };

  const visitorHop = hopText(selected.hops.visitorEdge, "visitor-edge");
  const originHop = hopText(selected.hops.edgeOrigin, "edge-origin");
  const grade = GRADE_VIEW[selected.outcome.grade];

  return (
    <section className="lab ssl-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>{title}</h3>
      <div role="alert" className="ssl-alerts">
        {context.linkProblems.map((note) => <p key={note} className="error">{note}</p>)}
      </div>

      <div className="ssl-controls">
        <fieldset>
          <legend>What the origin listens on</legend>
          {ORIGIN_LISTENERS.map((o) => (
            <label key={o.value}>
              <input type="radio" name={id("listener")} value={o.value} checked={context.settings.listener === o.value}
                onChange={() => send({ type: "SET_LISTENER", listener: o.value })} />
              {o.label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>The visitor types</legend>
          {VISITOR_SCHEMES.map((o) => (
            <label key={o.value}>
              <input type="radio" name={id("visitor")} value={o.value} checked={context.settings.visitor === o.value}
                onChange={() => send({ type: "SET_VISITOR", visitor: o.value })} />
              {o.label}www.example.com
            </label>
          ))}
          <label>
            <input type="checkbox" checked={context.settings.alwaysUseHttps} onChange={(e) => send({ type: "SET_ALWAYS_HTTPS", on: e.target.checked })} />
            Always Use HTTPS (Cloudflare)
          </label>
        </fieldset>
      </div>

      <p className="ssl-legend" id={id("legend")}>
        <span><span aria-hidden="true">{GRADE_VIEW.secure.icon}</span> page, both hops encrypted, origin authenticated</span>
        <span><span aria-hidden="true">{GRADE_VIEW.weak.icon}</span> page, but a hop in clear text or the origin unchecked</span>
        <span><span aria-hidden="true">{GRADE_VIEW.broken.icon}</span> no page</span>
      </p>
      <div className="ssl-table-scroll" role="region" aria-labelledby={`${id("title")} ${id("caption")}`} tabIndex={0}>
        <table className="ssl-table" aria-describedby={id("legend")}>
          <caption id={id("caption")}>Outcome by encryption mode (rows) and origin certificate (columns); choose a cell for its trace</caption>
          <thead>
            <tr>
              <th scope="col">Mode</th>
              {context.matrix.certs.map((c) => <th key={c} scope="col">{labelOf(ORIGIN_CERTS, c)}</th>)}
            </tr>
          </thead>
          <tbody>
            {context.matrix.rows.map((row, r) => (
              <tr key={context.matrix.modes[r]}>
                <th scope="row">{labelOf(SSL_MODES, context.matrix.modes[r]!)}</th>
                {row.map((c) => {
                  const on = c.mode === context.mode && c.cert === context.cert;
                  return (
                    <td key={c.cert}>
                      <button type="button" className={`ssl-cell ssl-${c.result.outcome.grade}`} aria-pressed={on}
                        aria-label={cellLabel(c.mode, c.cert, c.result)} onClick={() => send({ type: "SELECT", mode: c.mode, cert: c.cert })}>
                        <span aria-hidden="true" className="ssl-icon">{GRADE_VIEW[c.result.outcome.grade].icon}</span>
                        <span aria-hidden="true">{c.result.outcome.short}</span>
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className={`ssl-outcome ssl-outcome-${selected.outcome.grade}`}>
        <h4 id={id("cell")}>
          {labelOf(SSL_MODES, context.mode)} × {labelOf(ORIGIN_CERTS, context.cert)}:{" "}
          <span aria-hidden="true">{grade.icon}</span> {selected.outcome.status ?? selected.outcome.short} ({grade.word})
        </h4>
        <p>{selected.outcome.shown}</p>
        <dl className="ssl-hops">
          <div><dt>Visitor ↔ Cloudflare</dt><dd><strong>{visitorHop.headline}</strong> — {visitorHop.detail}</dd></div>
          <div><dt>Cloudflare ↔ origin</dt><dd><strong>{originHop.headline}</strong> — {originHop.detail}</dd></div>
        </dl>
      </div>

      <div className="stepper" role="group" aria-label="Step through this cell's trace" onKeyDown={onStepKey}>
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "FIRST" })} disabled={context.cursor === 0}>« Start</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "PREV" })} disabled={context.cursor === 0}>‹ Back</button>
        <button type="button" aria-keyshortcuts="ArrowRight" className="primary" onClick={() => send({ type: "NEXT" })} disabled={atEnd}>Next ›</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => send({ type: "LAST" })} disabled={atEnd}>End »</button>
        <span className="position">Step {context.cursor + 1} of {total}</span>
      </div>

      <div className="ssl-body">
        <ol className="ssl-steps" aria-label="Steps of the trace" onKeyDown={onStepKey}>
          {steps.map((s, i) => (
            <li key={s.id}>
              <button type="button" aria-current={i === context.cursor ? "step" : undefined} onClick={() => send({ type: "GOTO", index: i })}>
                <span className="ssl-step-n">{i + 1}.</span> <span className={`ssl-actor ssl-actor-${s.actor}`}>{ACTOR_LABEL[s.actor]}</span>
                <code className="ssl-step-id">{s.id}</code>
              </button>
            </li>
          ))}
        </ol>
        <div className="ssl-detail">
          <p aria-live="polite" className="ssl-now">
            <strong>Step {context.cursor + 1} of {total}, {ACTOR_LABEL[step.actor]}:</strong> {step.what}
          </p>
          <p><span className="ssl-why">Why: </span>{step.why}</p>
          {step.checks && (
            <ul className="ssl-checks" aria-label="Full (strict) checks, as the X.509 engine ran them">
              {step.checks.map((c, n) => (
                <li key={n} className={c.ok ? "ok" : "failed"}>
                  <span aria-hidden="true">{c.ok ? "✓" : "✗"}</span> <strong>{c.ok ? "passed" : "failed"}: {c.check}</strong>
                  {c.certificate === null ? "" : ` (certificate ${c.certificate})`} — {c.detail}
                  <span className="ssl-rule">{c.rule}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
