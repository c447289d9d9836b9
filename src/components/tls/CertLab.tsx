import { useMachine } from "@xstate/react";
import { useEffect, useRef } from "react";
import {
  CERT_LAB_STEP_LABEL,
  certLabHighlighted,
  certLabMachine,
  certLabResults,
  certLabStep,
  type CertLabField,
  type CertLabStep,
} from "../../machines/cert-lab.machine";
import type { Verdict } from "../../sim/tls/x509/types";
import { useLabProgress } from "../lab/lab-progress";
import { readLabState, writeLabState } from "../lab/url-state";
import { onDemand } from "../on-demand";
import { certName, certRows, opensslVerifyCommand, resultsSummary } from "./cert-lab-view";

// The X.509 engine (@peculiar/x509 and WebCrypto) arrives only when the learner presses Verify: the samples'
// verdicts were computed at build time and come in as props, so stepping through them needs no X.509 code.
const loadVerifier = onDemand(() => import("./cert-lab-verify"));

/** A one-click case, generated and verified at build time (CertLab.astro). */
export interface CertLabSample {
  readonly id: string;
  readonly title: string;
  /** One sentence: what is broken and which rule catches it. */
  readonly what: string;
  /** Leaf first, then intermediates. */
  readonly chainPem: string;
  readonly rootsPem: string;
  readonly host: string;
  /** The instant it is validated at, ISO 8601. */
  readonly at: string;
  readonly verdict: Verdict;
}

export interface CertLabProps {
  /** Unique on the page: the lab's anchor is `#lab-<labId>`, its link keys `<labId>.sample` and `<labId>.step`. */
  readonly labId?: string;
  readonly samples: readonly CertLabSample[];
  /** The sample the lab opens on (default: the first). */
  readonly sample?: string;
}

const FIELD_LABEL: Readonly<Record<CertLabField, string>> = {
  chain: "Certificate chain (PEM, leaf first, then intermediates)",
  roots: "Trust anchors (PEM; empty: the samples' root)",
  host: "Host name or IP address to check (empty: no name check)",
  at: "Instant (ISO 8601 UTC, e.g. 2025-06-01T12:00:00Z; empty: now)",
};

/** Offers text as a file, made in the page (a Blob URL): nothing is fetched. */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-pem-file" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Replaces the address without a history entry, only when it changed. */
function replaceSearch(search: string): void {
  const { pathname, hash } = window.location;
  if (search !== window.location.search) window.history.replaceState(window.history.state, "", `${pathname}${search}${hash}`);
}

function stepMark(verdict: Verdict | null, step: CertLabStep, index: number): string {
  if (!verdict || step === "choosing") return "";
  if (step === "verdict") return verdict.result === "SUCCESS" ? "✓" : "✗";
  return certLabResults(verdict, index).every((r) => r.ok) ? "✓" : "✗";
}

/** Step through how a client validates a server's certificate chain, one check at a time; or paste your own. */
export default function CertLab({ labId = "certs", samples, sample }: CertLabProps) {
  const [snapshot, send] = useMachine(certLabMachine, {
    input: { samples: samples.map((s) => ({ id: s.id, title: s.title, verdict: s.verdict })), ...(sample ? { sample } : {}) },
  });
  const { context } = snapshot;
  const { verdict, steps, cursor, results, source, paste, errors } = context;
  const step = certLabStep(context);
  const total = steps.length;
  const id = (part: string) => `${labId}-${part}`;
  const current = source?.kind === "sample" ? samples.find((s) => s.id === source.id) ?? null : null;
  const defaultRoots = (samples.find((s) => s.id === "valid") ?? samples[0])?.rootsPem ?? "";
  const highlighted = certLabHighlighted(results);
  useLabProgress(labId, cursor, total);

  // A link into the lab (`?certs.sample=expired-leaf&certs.step=5#lab-certs`) opens it there; read after
  // hydration, so the server's markup (the default) and the first client render agree.
  const opened = useRef(true);
  useEffect(() => {
    const { params, step } = readLabState(window.location.search, labId);
    if (params.sample === undefined && step === null) return;
    send({ type: "LOAD_STATE", sample: params.sample ?? null, step: step === null ? null : typeof step === "number" ? String(step + 1) : step });
  }, [labId, send]);
  // Keep the address a permalink to the sample and step on screen; a pasted chain is never put in it.
  useEffect(() => {
    if (opened.current) {
      opened.current = false;
      return;
    }
    const timer = window.setTimeout(() => {
      const params: Record<string, string> = source?.kind === "sample" ? { sample: source.id } : {};
      replaceSearch(writeLabState(window.location.search, labId, params, { sample: samples[0]?.id ?? "" }, source?.kind === "sample" ? cursor : 0));
    }, 0);
    return () => window.clearTimeout(timer);
  }, [labId, source, cursor, samples]);

  // Reaching either end disables the button that got there; keep the keyboard in the stepper by moving focus to
  // the button that leads back (otherwise it falls to the page and the arrow keys stop stepping).
  const stepper = useRef<HTMLDivElement>(null);
  const keepFocus = useRef(false);
  useEffect(() => {
    if (!keepFocus.current) return;
    keepFocus.current = false;
    const active = document.activeElement;
    if (active && active !== document.body && !(active instanceof HTMLButtonElement && active.disabled)) return;
    const back = cursor === 0 ? "ArrowRight" : "ArrowLeft";
    stepper.current?.querySelector<HTMLButtonElement>(`button[aria-keyshortcuts="${back}"]:not(:disabled)`)?.focus();
  }, [cursor]);
  const move = (type: "NEXT" | "PREV" | "FIRST" | "LAST") => {
    keepFocus.current = true;
    send({ type });
  };
  const onStepKey = (e: React.KeyboardEvent) => {
    const type = ({ ArrowRight: "NEXT", ArrowLeft: "PREV", Home: "FIRST", End: "LAST" } as const)[e.key as "ArrowRight"];
    if (!type || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    move(type);
  };

  const verify = async () => {
    send({ type: "VERIFY_STARTED" });
    try {
      const { verifyPaste } = await loadVerifier();
      const outcome = await verifyPaste(snapshot.context.paste, defaultRoots);
      if (outcome.ok) send({ type: "LOAD_VERDICT", verdict: outcome.verdict, host: outcome.host, at: outcome.at });
      else {
        send({ type: "VERIFY_ERROR", field: outcome.field, message: outcome.message });
        document.getElementById(id(outcome.field))?.focus();
      }
    } catch (error) {
      send({ type: "VERIFY_ERROR", field: null, message: `The verifier could not run (${error instanceof Error ? error.message : String(error)}). Your text is still in the boxes; press Verify to try again.` });
    }
  };

  const announce =
    step === "choosing"
      ? `Step 1 of ${total}: ${CERT_LAB_STEP_LABEL.choosing}${verdict ? `, ${verdict.path.length} certificate${verdict.path.length === 1 ? "" : "s"} in the path built` : ""}.`
      : step === "verdict"
        ? `Step ${cursor + 1} of ${total}: verdict ${verdict?.message ?? ""}`
        : `Step ${cursor + 1} of ${total}: ${CERT_LAB_STEP_LABEL[step]}, ${resultsSummary(results)}. ${results.find((r) => !r.ok)?.detail ?? ""}`;

  const field = (name: CertLabField, multiline: boolean) => {
    const error = errors[name];
    const common = {
      id: id(name),
      value: paste[name],
      spellCheck: false,
      autoComplete: "off",
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? id(`${name}-error`) : undefined,
    } as const;
    return (
      <label className="cert-field" htmlFor={id(name)}>
        <span>{FIELD_LABEL[name]}</span>
        {multiline ? (
          <textarea {...common} rows={name === "chain" ? 6 : 3} onChange={(e) => send({ type: "EDIT", field: name, text: e.target.value })} />
        ) : (
          <input {...common} type="text" onChange={(e) => send({ type: "EDIT", field: name, text: e.target.value })} />
        )}
        {error && (
          <span className="error" id={id(`${name}-error`)} role="alert">
            {error.length > 400 ? `${error.slice(0, 400)}…` : error}
          </span>
        )}
      </label>
    );
  };

  return (
    <section className="lab cert-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>Certificate validation lab</h3>
      <p className="meta">
        Pick a sample chain (generated for this site: a root, an intermediate and leaves) or paste your own, then step through the checks a TLS
        client makes before it trusts the server.
      </p>
      {context.linkProblems.map((note) => (
        <p key={note} className="error" role="alert">
          {note}
        </p>
      ))}

      <fieldset className="cert-samples">
        <legend>Samples</legend>
        <div className="cert-sample-buttons">
          {samples.map((s) => (
            <button key={s.id} type="button" aria-pressed={source?.kind === "sample" && source.id === s.id} onClick={() => send({ type: "PICK_SAMPLE", id: s.id })}>
              {s.title}
            </button>
          ))}
        </div>
        {current && (
          <div className="cert-sample-about">
            <p>{current.what}</p>
            <p className="meta">
              Checked for host <code>{current.host || "(none)"}</code> at <code>{current.at}</code>. The same check with OpenSSL, on the files below:
            </p>
            <pre className="cert-command" tabIndex={0} aria-label="openssl verify command for this sample">
              <code>{opensslVerifyCommand(current)}</code>
            </pre>
            <div className="cert-sample-actions">
              <button type="button" onClick={() => download("chain.pem", current.chainPem)}>Download chain.pem</button>
              <button type="button" onClick={() => download("roots.pem", current.rootsPem)}>Download roots.pem</button>
              <button type="button" onClick={() => send({ type: "FILL_PASTE", paste: { chain: current.chainPem, roots: current.rootsPem, host: current.host, at: current.at } })}>
                Copy into the paste box
              </button>
            </div>
          </div>
        )}
        {source?.kind === "paste" && (
          <p className="cert-sample-about">
            Your pasted chain, checked {source.host ? <>for host <code>{source.host}</code></> : "with no host (no name check)"} at <code>{source.at}</code>.
          </p>
        )}
      </fieldset>

      <div className="stepper" role="group" aria-label="Step through the checks" onKeyDown={onStepKey} ref={stepper}>
        <button type="button" aria-keyshortcuts="Home" onClick={() => move("FIRST")} disabled={cursor === 0}>« Start</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => move("PREV")} disabled={cursor === 0}>‹ Back</button>
        <button type="button" aria-keyshortcuts="ArrowRight" className="primary" onClick={() => move("NEXT")} disabled={cursor >= total - 1}>Next ›</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => move("LAST")} disabled={cursor >= total - 1}>End »</button>
        <span className="position">Step {cursor + 1} of {total}</span>
      </div>
      <p className="cert-now" aria-live="polite">{announce}</p>

      <div className="cert-body">
        <ol className="cert-steps" aria-label="Checks" onKeyDown={onStepKey}>
          {steps.map((s, i) => {
            const mark = stepMark(verdict, s, i);
            return (
              <li key={`${i}-${s}`}>
                <button type="button" aria-current={i === cursor ? "step" : undefined} onClick={() => send({ type: "GOTO", index: i })}>
                  <span className="cert-step-n">{i + 1}.</span> {CERT_LAB_STEP_LABEL[s]}
                  {mark && <span className={`cert-mark ${mark === "✓" ? "ok" : "bad"}`}> {mark} {mark === "✓" ? (s === "verdict" ? "trusted" : "passed") : s === "verdict" ? "rejected" : "failed"}</span>}
                </button>
              </li>
            );
          })}
        </ol>

        <div className="cert-detail">
          <h4>{CERT_LAB_STEP_LABEL[step]}</h4>
          {step === "choosing" && (
            <p>
              {verdict
                ? `The path the client built, leaf first${verdict.path.at(-1)?.source === "roots" ? ", ending at a trust anchor" : " (it reached no trust anchor)"}. Press Next to run the checks in order.`
                : "Pick a sample or paste a chain."}
            </p>
          )}
          {results.length > 0 && (
            <ul className="cert-results">
              {results.map((r, i) => (
                <li key={`${r.check}-${r.certificate}-${r.field}-${i}`} className={r.ok ? "ok" : "bad"}>
                  <p>
                    <strong className="cert-status">{r.ok ? "✓ Pass" : "✗ Fail"}</strong>{" "}
                    {r.certificate === null || !verdict?.path[r.certificate] ? "the whole chain" : certName(r.certificate, verdict.path[r.certificate]!.source)} · <code>{r.field}</code>
                  </p>
                  <p>{r.detail}</p>
                  <p className="meta cert-rule">{r.rule}</p>
                </li>
              ))}
            </ul>
          )}
          {step === "verdict" && verdict && (
            <div className={`outcome ${verdict.result === "SUCCESS" ? "outcome-ok" : "outcome-bad"}`}>
              <p>
                <span className="outcome-label">Verdict: </span>
                <strong className="outcome-status">{verdict.result === "SUCCESS" ? "✓ SUCCESS — the client trusts this certificate" : "✗ FAILURE — the client refuses the connection"}</strong>
              </p>
              <p className="cert-message">{verdict.message}</p>
            </div>
          )}
        </div>
      </div>

      {verdict && (
        <>
          <h4 className="cert-path-title">
            Path built, leaf first ({verdict.path.length} certificate{verdict.path.length === 1 ? "" : "s"}, {verdict.path.at(-1)?.source === "roots" ? "ending at a trust anchor" : "no trust anchor reached"})
          </h4>
          <ol className="cert-path">
            {verdict.path.map((entry, i) => {
              const lit = highlighted.includes(i);
              return (
                <li key={`${entry.cert.fingerprint}-${i}`} className={`cert-card${lit ? " current" : ""}`} aria-current={lit ? "true" : undefined}>
                  <p className="cert-card-title">
                    <strong>{certName(i, entry.source)}</strong>
                    <span className="meta"> from {entry.source === "roots" ? `the trust store, #${entry.index}` : `the chain as sent, #${entry.index}`}</span>
                    {lit && <span className="cert-badge">checked now</span>}
                  </p>
                  <dl>
                    {certRows(entry.cert).map(([k, v]) => (
                      <div key={k}>
                        <dt>{k}</dt>
                        <dd>{v}</dd>
                      </div>
                    ))}
                  </dl>
                </li>
              );
            })}
          </ol>
        </>
      )}

      <form
        className="cert-paste"
        aria-labelledby={id("paste-title")}
        onSubmit={(e) => {
          e.preventDefault();
          void verify();
        }}
      >
        <h4 id={id("paste-title")}>Paste your own chain</h4>
        <p className="meta">
          Verified in this page with your browser's WebCrypto: the text you paste is never sent anywhere and never put in the address. Paste certificates
          only — never a private key.
        </p>
        {field("chain", true)}
        {field("roots", true)}
        <div className="cert-paste-row">
          {field("host", false)}
          {field("at", false)}
        </div>
        <button type="submit" className="primary" disabled={context.verifying}>
          {context.verifying ? "Verifying…" : "Verify"}
        </button>
        {context.problem && (
          <p className="error" role="alert">
            {context.problem}
          </p>
        )}
      </form>

      <details className="cert-simplified">
        <summary>What this lab leaves out</summary>
        <ul>
          <li>Revocation: no OCSP, CRL or CRLite lookups — a revoked certificate with a good signature passes here.</li>
          <li>Certificate Transparency: no check that the leaf carries signed certificate timestamps (SCTs), which Chrome and Safari require.</li>
          <li>AIA fetching: a missing intermediate is not downloaded from the leaf's Authority Information Access URL; the path must be built from what you paste.</li>
          <li>Certificate policies and policy constraints (policy OIDs), and the browsers' own root-store rules beyond RFC 5280.</li>
        </ul>
      </details>
    </section>
  );
}
