import { useMachine } from "@xstate/react";
import { useEffect, useRef, type KeyboardEvent } from "react";
import {
  currentHop, currentMessages, handshakeStepperMachine, isStale, type HandshakeSettingSpec,
} from "../../machines/handshake-stepper.machine";
import type { ProxyCertificate } from "../../sim/tls/handshake/sni";
import type { JourneyTls, TlsMessage } from "../../sim/tls/handshake/types";
import { READABLE_NAMES, whoCanRead } from "../../sim/tls/handshake/visibility";
import { READABLES } from "../../sim/tls/handshake/types";
import "../../styles/tls-handshake.css";
import { readSharedSettings, writeSharedSettings } from "../journey/shared-settings";
import { useLabProgress } from "../lab/lab-progress";
import { onDemand } from "../on-demand";
import { useSimulatorWhileWaiting } from "../steplab/load-simulator";
import { replaceSearch } from "../steplab/url";

export interface HandshakeStepperProps {
  /** Unique on the page: names the lab's URL keys (`<labId>.hop`, `<labId>.step`) and its anchor (#lab-<labId>). */
  labId: string;
  title: string;
  /** The flagship settings offered, with the flagship's labels (handed over at build time). */
  settings: readonly HandshakeSettingSpec[];
  /** What the lab opens on (the flagship's defaults for those settings, plus any `start`). */
  defaults: Readonly<Record<string, string>>;
  /** The flagship's own defaults: the address carries only what differs from them. */
  flagshipDefaults: Readonly<Record<string, string>>;
  /** Journeys computed when the site was built, by settings key (`HandshakeStepper.astro` fills it in). */
  initial: Readonly<Record<string, JourneyTls>>;
  /** The target HTTPS proxy's certificates for the SNI chooser, the first the primary. */
  certificates: readonly ProxyCertificate[];
}

type HandshakeSimulator = typeof import("./handshake-simulator");
const loadHandshakeSimulator = onDemand<HandshakeSimulator>(() => import("./handshake-simulator"));

const FLAGSHIP_PAGE = "/lessons/life-of-a-packet/";
const PROTECTION_LABEL = { clear: "In clear", "handshake-keys": "Encrypted (handshake keys)", "application-keys": "Encrypted (application keys)" } as const;
const LEVEL_LABEL = { yes: "Reads", no: "Cannot", absent: "Not there" } as const;

/** A link to the flagship's whole-journey lab at a step, on these settings. */
function flagshipHref(settings: Readonly<Record<string, string>>, flagshipDefaults: Readonly<Record<string, string>>, step: string): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(settings)) if (flagshipDefaults[k] !== v) query.set(`scenario.${k}`, v);
  query.set("journey.step", step);
  return `${FLAGSHIP_PAGE}?${query.toString()}#lab-journey`;
}

function MessageView({ message }: { message: TlsMessage }) {
  return (
    <div className={`hs-message hs-${message.protection}`}>
      <h4>
        {message.name} <span className="hs-dir">{message.from === "client" ? "client → server" : "server → client"}</span>
      </h4>
      <p className="hs-meta">
        From {message.sender} · <strong>{PROTECTION_LABEL[message.protection]}</strong> · {message.rfc}
      </p>
      <table className="hs-fields">
        <caption className="visually-hidden">What {message.name} carries, and whether an on-path observer reads each field</caption>
        <thead>
          <tr><th scope="col">Field</th><th scope="col">Value on this hop</th><th scope="col">Observer reads it?</th></tr>
        </thead>
        <tbody>
          {message.fields.map((f) => (
            <tr key={f.name}>
              <th scope="row"><code>{f.name}</code></th>
              <td>{f.value}</td>
              <td>{f.visible ? "Yes" : "No"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hs-observer"><strong>On the path:</strong> {message.observer}</p>
    </div>
  );
}

/**
 * The TLS 1.3 handshake at each termination of the flagship journey, message by message, with what an
 * on-path observer reads of each; who can read what on the whole journey; and which certificate a load
 * balancer holding several presents for a name. It opens on the journey computed when the site was
 * built and loads the flagship's simulator only for settings that were not. Everything shown is read
 * from the handshake-stepper machine; every control sends it an event.
 */
export default function HandshakeStepper({ labId, title, settings, defaults, flagshipDefaults, initial, certificates }: HandshakeStepperProps) {
  const [snapshot, send] = useMachine(handshakeStepperMachine, { input: { settings, defaults, known: initial, certificates } });
  const { context } = snapshot;
  const urlLoaded = useRef(false);

  useSimulatorWhileWaiting(
    context.waiting,
    send,
    (simulator: HandshakeSimulator) => ({ type: "SIMULATOR_LOADED" as const, compute: simulator.computeJourney }),
    (error) => ({ type: "SIMULATOR_FAILED" as const, error }),
    loadHandshakeSimulator,
  );

  // Open on what the address names, once, after hydration: the page's shared flagship settings and this lab's hop and step.
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const scenario = readSharedSettings(window.location.search);
    const hop = query.get(`${labId}.hop`);
    const step = query.get(`${labId}.step`);
    if (Object.keys(scenario).length > 0 || hop !== null || step !== null) send({ type: "OPEN_LINK", scenario, hop, step });
    urlLoaded.current = true;
  }, []);

  const hop = currentHop(context);
  const messages = currentMessages(context);
  const message = messages[context.step];

  // Keep the address a permalink: the shared settings, then this lab's hop and step.
  useEffect(() => {
    if (!urlLoaded.current) return;
    const timer = window.setTimeout(() => {
      const shared: Record<string, string> = { ...readSharedSettings(window.location.search) };
      for (const [k, v] of Object.entries(context.chosen)) {
        if (flagshipDefaults[k] === v) delete shared[k];
        else shared[k] = v;
      }
      const query = new URLSearchParams(writeSharedSettings(window.location.search, shared));
      query.delete(`${labId}.hop`);
      query.delete(`${labId}.step`);
      if (hop && hop.id !== context.journey?.hops[0]?.id) query.set(`${labId}.hop`, hop.id);
      if (message && context.step > 0) query.set(`${labId}.step`, message.id);
      const text = query.toString();
      replaceSearch(text ? `?${text}` : "");
    }, 0);
    return () => window.clearTimeout(timer);
  }, [labId, context.chosen, context.hop, context.step]);

  useLabProgress(labId, context.step, messages.length);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    if (e.key === "ArrowRight") send({ type: "NEXT" });
    else if (e.key === "ArrowLeft") send({ type: "BACK" });
    else if (e.key === "Home") send({ type: "FIRST" });
    else return;
    e.preventDefault();
  };

  const id = (part: string) => `lab-${labId}-${part}`;
  const journey = context.journey;
  const stale = isStale(context);
  const rows = journey ? whoCanRead(journey) : [];

  return (
    <section className="lab handshake-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>{title}</h3>
      {(context.linkErrors.length > 0 || context.errors.simulator) && (
        <div role="alert" className="error hs-alert">
          {context.linkErrors.map((e) => <p key={e}>{e}</p>)}
          {context.errors.simulator && <p>{context.errors.simulator}</p>}
        </div>
      )}
      <div className="controls">
        {settings.map((s) => {
          const error = context.errors[s.key];
          const fieldId = id(s.key);
          const value = context.drafts[s.key] ?? context.chosen[s.key] ?? "";
          return (
            <label key={s.key} htmlFor={fieldId}>
              {s.label}
              {s.values.length > 0 ? (
                <select id={fieldId} value={value} onChange={(e) => send({ type: "SET_SETTING", key: s.key, value: e.target.value })}>
                  {s.values.map((v) => <option key={v.value} value={v.value}>{v.label}</option>)}
                </select>
              ) : (
                <input
                  key={context.chosen[s.key]} id={fieldId} type="text" spellCheck={false} autoComplete="off" defaultValue={value}
                  aria-invalid={error ? true : undefined} aria-describedby={error ? id(`${s.key}-error`) : undefined}
                  onKeyDown={(e) => { if (e.key === "Enter") send({ type: "SET_SETTING", key: s.key, value: e.currentTarget.value }); }}
                  onBlur={(e) => send({ type: "SET_SETTING", key: s.key, value: e.currentTarget.value })}
                />
              )}
              {error && <span className="error" id={id(`${s.key}-error`)}>{error}</span>}
            </label>
          );
        })}
        <button type="button" className="hs-reset" onClick={() => send({ type: "RESET" })}>Reset settings</button>
      </div>

      <p className="hs-outcome" aria-live="polite">
        {context.waiting ? "Computing the journey for these settings…" : stale ? "Showing the last journey that could be computed." : journey?.outcome}
      </p>

      {journey && hop && message && (
        <div className={stale ? "hs-body stale" : "hs-body"} aria-busy={context.waiting || undefined}>
          <fieldset className="hs-hops">
            <legend>TLS session</legend>
            {journey.hops.map((h) => (
              <label key={h.id}>
                <input type="radio" name={id("hop")} value={h.id} checked={h.id === hop.id} onChange={() => send({ type: "SET_HOP", hop: h.id })} />
                {h.title}{h.failure ? ` (fails: ${h.failure.alert})` : ""}
              </label>
            ))}
            {journey.hops.length === 1 && journey.params.cloudflare === "on" && journey.hops[0]!.failure === null && (
              <p className="hs-note">Cloudflare answered without opening a connection to Google, so there is no second termination on this request.</p>
            )}
          </fieldset>

          <dl className="hs-summary">
            <dt>Connection</dt><dd><code>{hop.client.socket}</code> → <code>{hop.server.socket}</code></dd>
            <dt>SNI sent</dt><dd><code>{hop.sni}</code></dd>
            <dt>ALPN</dt><dd>offers {hop.alpnOffered.join(", ")}; {hop.failure ? "never chosen" : `${hop.alpnChosen} chosen`}</dd>
            <dt>Certificate</dt><dd>{hop.certificate ? `${hop.certificate.names.join(", ")} — ${hop.certificate.issuer}` : "none presented"}</dd>
            <dt>Client's check</dt><dd>{hop.verification}</dd>
            <dt>Cost</dt>
            <dd>
              {hop.connection.cold
                ? `Opened for this request: ${hop.connection.roundTrips} round trips (TCP, then TLS 1.3) at ${hop.connection.rttMs} ms each.`
                : "Warm: the connection was opened earlier with this handshake and is reused, so this request pays no round trip for it."}
            </dd>
            <dt>In the journey lab</dt>
            <dd>{hop.steps.map((s, i) => <span key={s}>{i > 0 && ", "}<a href={flagshipHref(journey.params, flagshipDefaults, s)}><code>{s}</code></a></span>)}</dd>
          </dl>

          <div className="hs-stepper-area" onKeyDown={onKey}>
            <div className="stepper" role="group" aria-label="Step through the handshake">
              <button type="button" onClick={() => send({ type: "FIRST" })} disabled={context.step === 0} aria-keyshortcuts="Home">« Start</button>
              <button type="button" onClick={() => send({ type: "BACK" })} disabled={context.step === 0} aria-keyshortcuts="ArrowLeft">◀ Back</button>
              <button type="button" className="primary" onClick={() => send({ type: "NEXT" })} disabled={context.step >= messages.length - 1} aria-keyshortcuts="ArrowRight">Next ▶</button>
              <span className="position">Message {context.step + 1} of {messages.length}</span>
            </div>
            <p className="visually-hidden" aria-live="polite" aria-atomic="true">{context.announcement}</p>
            <div className="hs-steps">
              <ol className="hs-list">
                {messages.map((m, i) => (
                  <li key={`${m.id}-${i}`} className={`hs-${m.from}`}>
                    <button type="button" aria-current={i === context.step ? "step" : undefined} onClick={() => send({ type: "GO_TO", step: i })}>
                      <span className="hs-arrow" aria-hidden="true">{m.from === "client" ? "→" : "←"}</span>
                      <span>{m.name}</span>
                      <span className="hs-badge">{m.protection === "clear" ? "clear" : "encrypted"}</span>
                      <span className="visually-hidden">, from the {m.from}</span>
                    </button>
                  </li>
                ))}
              </ol>
              <MessageView message={message} />
            </div>
          </div>

          <h4 id={id("who-title")}>Who can read what on this journey</h4>
          <div className="table-scroll hs-who-wrap" tabIndex={0} role="region" aria-labelledby={id("who-title")}>
            <table className="hs-who">
              <caption className="visually-hidden">For each party on the path, what it can read of the request; computed from where TLS ends on this journey</caption>
              <thead>
                <tr><th scope="col">Party</th>{READABLES.map((r) => <th scope="col" key={r}>{READABLE_NAMES[r]}</th>)}</tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.party}>
                    <th scope="row">{row.name}{row.note && <p className="hs-note">{row.note}</p>}</th>
                    {READABLES.map((r) => (
                      <td key={r} className={`hs-cell hs-${row.cells[r].level}`}>
                        <strong>{LEVEL_LABEL[row.cells[r].level]}</strong> <span>{row.cells[r].text}</span>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      <h4 id={id("sni-title")}>One load balancer, several certificates: which one does it present?</h4>
      <div className="hs-sni" role="group" aria-labelledby={id("sni-title")}>
        <ol className="hs-certs">
          {context.certificates.map((c, i) => (
            <li key={c.name} className={context.choice?.index === i ? "chosen" : undefined}>
              <span><code>{c.name}</code>{i === 0 && <strong> (primary)</strong>}{context.choice?.index === i && <strong> — presented</strong>}</span>
              <span className="hs-names">{c.names.join(", ")}</span>
              {i > 0 && <button type="button" onClick={() => send({ type: "MAKE_PRIMARY", index: i })}>Make primary</button>}
            </li>
          ))}
        </ol>
        <label htmlFor={id("sni")}>
          Name the client connects to (sent as SNI; an IP address sends none)
          <input
            id={id("sni")} type="text" spellCheck={false} autoComplete="off" value={context.sniText}
            aria-invalid={context.sniError ? true : undefined} aria-describedby={context.sniError ? id("sni-error") : undefined}
            onChange={(e) => send({ type: "SET_SNI", text: e.target.value })}
          />
        </label>
        {context.sniError && <p className="error" id={id("sni-error")}>{context.sniError}</p>}
        {context.choice && (
          <div className={context.choice.accepted ? "outcome" : "outcome outcome-bad"}>
            <p>{context.choice.rule}</p>
            <p><strong>{context.choice.accepted ? "Accepted." : "Refused."}</strong> {context.choice.clientCheck}</p>
          </div>
        )}
      </div>
    </section>
  );
}
