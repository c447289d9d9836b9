import { useMachine } from "@xstate/react";
import { useEffect, type KeyboardEvent } from "react";
import { acmeLabMachine, stepAnnouncement, type AcmeField } from "../../machines/acme-lab.machine";
import { useLabProgress } from "../lab/lab-progress";
import { CHALLENGES, TLS_ALPN_01, type ChallengeType } from "../../sim/tls/acme/challenge";
import { SAMPLE_KEYS } from "../../sim/tls/acme/sample-keys";
import { CAA_PRESET_LABELS, CAA_PRESETS, ISSUER_NAMES, ISSUERS, SCENARIO_INFO, SCENARIOS, type CaaPreset, type IssuerDomain, type ScenarioId } from "../../sim/tls/acme/scenarios";
import { CHALLENGE_LABELS, STEP_LABELS } from "./acme-lab-labels";
import "../../styles/tls-acme.css";

export interface AcmeLabProps {
  /** The lab's id on the page: its anchor is `lab-<labId>`, its URL keys `<labId>.scenario`, `.challenge`, `.caa`, `.ca`, `.step`. */
  readonly labId?: string;
  readonly scenario?: ScenarioId;
  readonly challenge?: ChallengeType;
  readonly caa?: CaaPreset;
  readonly ca?: IssuerDomain;
  /** The name ordered (default shop.example.com). */
  readonly domain?: string;
}

const FIELD_LABELS: Record<AcmeField, string> = { jwk: "Account public key (JWK)", token: "Challenge token", domain: "Name ordered" };

/** The ACME challenge lab: from an account key to the CA's check, step by step. */
export default function AcmeLab({ labId = "acme", scenario, challenge, caa, ca, domain }: AcmeLabProps) {
  const [snapshot, send] = useMachine(acmeLabMachine, { input: { scenario, challenge, caa, ca, domain } });
  const c = snapshot.context;
  const id = (s: string) => `${labId}-${s}`;
  const steps = c.check.steps;
  const step = steps[c.cursor]!;
  const atEnd = c.cursor === steps.length - 1;
  useLabProgress(labId, c.cursor, steps.length);

  // A link into the lab opens it there; read after hydration so server and first client render agree.
  useEffect(() => {
    const params: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(window.location.search)) if (key.startsWith(`${labId}.`)) params[key.slice(labId.length + 1)] = value;
    if (Object.keys(params).length) send({ type: "LOAD_LINK", params });
  }, [labId, send]);

  // Arrow keys and Home/End step the check while focus is on a stepper button or the step list.
  const onStepKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName !== "BUTTON" || e.altKey || e.ctrlKey || e.metaKey) return;
    const type = ({ ArrowRight: "NEXT", ArrowLeft: "PREV", Home: "FIRST", End: "LAST" } as const)[e.key as "ArrowRight"];
    if (!type) return;
    e.preventDefault();
    send({ type });
  };

  const field = (f: AcmeField, multiline = false) => {
    const error = c.errors[f];
    const common = {
      id: id(f),
      value: c.text[f],
      spellCheck: false,
      autoCapitalize: "off",
      autoComplete: "off",
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? id(`${f}-error`) : undefined,
    } as const;
    return (
      <div className="acme-field">
        <label htmlFor={id(f)}>{FIELD_LABELS[f]}</label>
        {multiline ? (
          <textarea {...common} rows={6} onChange={(e) => send({ type: "EDIT", field: f, text: e.target.value })} />
        ) : (
          <input {...common} type="text" onChange={(e) => send({ type: "EDIT", field: f, text: e.target.value })} />
        )}
        {error && (
          <p className="error acme-field-error" id={id(`${f}-error`)}>
            {error} <span className="acme-kept">(the lab keeps the last good value)</span>
          </p>
        )}
      </div>
    );
  };

  const m = c.material;
  return (
    <section className="lab acme-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>ACME challenge lab</h3>
      <div role="alert" className="acme-alert">
        {c.linkProblems.map((p) => <p key={p} className="error">{p}</p>)}
      </div>

      <fieldset className="acme-inputs">
        <legend>What the client has</legend>
        <div className="acme-field">
          <label htmlFor={id("key")}>Sample key</label>
          <select id={id("key")} value={c.keyId} onChange={(e) => send({ type: "PICK_KEY", id: e.target.value })}>
            {SAMPLE_KEYS.map((k) => <option key={k.id} value={k.id}>{k.label}</option>)}
            <option value="custom" disabled>Your own (pasted below)</option>
          </select>
        </div>
        {field("jwk", true)}
        <p className="meta">Public members only. Never paste an account's private key (a JWK with "d") into any page; this one stays in your browser either way.</p>
        <div className="acme-row">
          {field("token")}
          {field("domain")}
        </div>
      </fieldset>

      <div className="acme-material" aria-label="What the client prepares">
        <h4>What the client prepares</h4>
        <dl>
          <dt>Account key</dt>
          <dd>{c.account.description}; RFC 7638 hashes <code>{c.account.canonical.length > 120 ? `${c.account.canonical.slice(0, 120)}…` : c.account.canonical}</code></dd>
          <dt>Thumbprint</dt>
          <dd><code>{c.account.thumbprint}</code></dd>
          <dt>Key authorization</dt>
          <dd><code>{m.keyAuthorization}</code></dd>
          <dt>http-01</dt>
          <dd>
            {m.http01 ? (
              <>A file at <code>{m.http01.url}</code> (port 80) whose body is the key authorization itself.</>
            ) : (
              <>not offered for {m.identifier.ordered}</>
            )}
          </dd>
          <dt>dns-01</dt>
          <dd>
            {m.dns01 ? (
              <pre className="acme-record" tabIndex={0} aria-label="The dns-01 record, as dig prints it">{`${m.dns01.name}. 60 IN TXT "${m.dns01.value}"`}</pre>
            ) : (
              <>not offered for {m.identifier.ordered}</>
            )}
          </dd>
        </dl>
        {[...m.notes, ...c.account.notes].map((n) => <p key={n} className="meta">{n}</p>)}
        <details className="acme-more">
          <summary>And tls-alpn-01?</summary>
          <p>{TLS_ALPN_01}</p>
        </details>
      </div>

      <h4>The CA's check</h4>
      <div className="acme-settings">
        <div className="acme-field">
          <label htmlFor={id("scenario")}>Scenario</label>
          <select id={id("scenario")} value={c.settings.scenario} onChange={(e) => send({ type: "SET", key: "scenario", value: e.target.value })}>
            {SCENARIOS.map((s) => <option key={s} value={s}>{SCENARIO_INFO[s].title}</option>)}
          </select>
        </div>
        <fieldset>
          <legend>Challenge</legend>
          {CHALLENGES.map((ch) => (
            <label key={ch}>
              <input type="radio" name={id("challenge")} value={ch} checked={c.settings.challenge === ch} onChange={() => send({ type: "SET", key: "challenge", value: ch })} />
              {CHALLENGE_LABELS[ch]}
            </label>
          ))}
        </fieldset>
        <div className="acme-field">
          <label htmlFor={id("caa")}>CAA in the zone</label>
          <select id={id("caa")} value={c.settings.caa} onChange={(e) => send({ type: "SET", key: "caa", value: e.target.value })}>
            {CAA_PRESETS.map((p) => <option key={p} value={p}>{CAA_PRESET_LABELS[p]}</option>)}
          </select>
        </div>
        <div className="acme-field">
          <label htmlFor={id("ca")}>CA asked</label>
          <select id={id("ca")} value={c.settings.ca} onChange={(e) => send({ type: "SET", key: "ca", value: e.target.value })}>
            {ISSUERS.map((i) => <option key={i} value={i}>{ISSUER_NAMES[i]} ({i})</option>)}
          </select>
        </div>
      </div>
      <p className="meta">{SCENARIO_INFO[c.settings.scenario].summary}</p>

      <div className="stepper" role="group" aria-label="Step through the CA's check" onKeyDown={onStepKey}>
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "FIRST" })} disabled={c.cursor === 0}>« Start</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "PREV" })} disabled={c.cursor === 0}>‹ Back</button>
        <button type="button" aria-keyshortcuts="ArrowRight" className="primary" onClick={() => send({ type: "NEXT" })} disabled={atEnd}>Next ›</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => send({ type: "LAST" })} disabled={atEnd}>End »</button>
        <span className="position">Step {c.cursor + 1} of {steps.length}</span>
      </div>

      <div className="acme-body">
        <ol className="acme-steps" aria-label="The CA's steps" onKeyDown={onStepKey}>
          {steps.map((s, i) => (
            <li key={`${s.id}-${i}`}>
              <button type="button" aria-current={i === c.cursor ? "step" : undefined} onClick={() => send({ type: "GOTO", index: i })}>
                <span className="acme-n">{i + 1}.</span> {STEP_LABELS[s.id] ?? s.id}
                <span className={`acme-mark acme-mark-${s.ok === null ? "info" : s.ok ? "ok" : "bad"}`}>{s.ok === null ? "" : s.ok ? " ✓ passed" : " ✗ failed"}</span>
              </button>
            </li>
          ))}
        </ol>
        <div className="acme-detail">
          <p aria-live="polite" className="acme-now">{stepAnnouncement(c)}</p>
          <p><span className="acme-label">Who: </span>{step.actor}</p>
          <p><span className="acme-label">Sends or looks up: </span>{step.action}</p>
          <p><span className="acme-label">Gets: </span>{step.result}</p>
          <p><span className="acme-label">Why: </span>{step.why}</p>
        </div>
      </div>

      {atEnd && (
        <p className={`acme-outcome ${c.check.outcome === "issued" ? (c.check.misissued ? "acme-outcome-mis" : "acme-outcome-ok") : "acme-outcome-refused"}`}>
          <strong>{c.check.outcome === "issued" ? (c.check.misissued ? "Certificate issued — mis-issued" : "Certificate issued") : `Refused at step ${steps.length}`}</strong>
          {" — "}{c.check.verdict}
        </p>
      )}
      <details className="acme-more">
        <summary>What this model leaves out</summary>
        <p>Rate limits, finalisation and the CSR, authorization reuse, retries, DNSSEC, IPv6 paths and the real placement of a CA's perspectives (the five here are illustrative). The zone's apex is taken as the last two labels; public suffixes such as co.uk are not modelled.</p>
      </details>
    </section>
  );
}
