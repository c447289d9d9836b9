import { useMachine } from "@xstate/react";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { urlMapTesterMachine, SERIES_SECONDS, type BackendKind, type TextField, type UrlMapTesterInput } from "../../machines/url-map-tester.machine";
import type { EndpointHealth } from "../../sim/edge/backend-service";
import { WEB_PODS } from "../../sim/edge/gfe-examples";
import type { SiteId } from "../../sim/geo";
import { onDemand } from "../on-demand";

// The YAML parser is some 30 KB: fetched only when a learner first edits a YAML field.
const loadReaders = onDemand(() => import("../../sim/edge/gfe-yaml"));

const HEALTH: readonly EndpointHealth[] = ["HEALTHY", "UNHEALTHY", "DRAINING", "UNKNOWN"];
const GFES: readonly { id: SiteId; label: string }[] = [
  { id: "paris", label: "Paris" }, { id: "new-york", label: "New York" }, { id: "tokyo", label: "Tokyo" }, { id: "sao-paulo", label: "São Paulo" },
];
const STAGE: Record<string, string> = { "url-map": "URL map", "cloud-armor": "Cloud Armor", backend: "Backend" };
const VERDICT: Record<string, string> = {
  match: "match", "no-match": "no match", outranked: "matches, outranked", chosen: "chosen", skipped: "skipped", full: "full", info: "health", preview: "preview only",
};

export interface UrlMapTesterProps extends UrlMapTesterInput {
  /** Distinguishes several testers on one page (element ids). */
  readonly id?: string;
}

/** Paste a URL map and a security policy, send a request, and step through the GFE's decision. */
export default function UrlMapTester({ id = "url-map-tester", ...input }: UrlMapTesterProps) {
  const [snapshot, send] = useMachine(urlMapTesterMachine, { input });
  const c = snapshot.context;
  const r = c.result;
  const listRef = useRef<HTMLOListElement>(null);
  const moved = useRef(false);

  const fetchReaders = () => {
    loadReaders().then(
      (m) => send({ type: "READERS_LOADED", readers: { readUrlMapYaml: m.readUrlMapYaml, readSecurityPolicyYaml: m.readSecurityPolicyYaml } }),
      (e: unknown) => send({ type: "READERS_FAILED", message: e instanceof Error ? e.message : "network error" }),
    );
  };
  useEffect(() => {
    if (c.pending) fetchReaders();
    // fetchReaders is stable in effect: it only sends events.
  }, [c.pending]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    listRef.current?.querySelector<HTMLElement>('[aria-current="step"]')?.focus();
  }, [c.cursor]);

  const step = (to: "next" | "previous" | "first" | "last") => {
    moved.current = true;
    send({ type: "STEP", to });
  };
  const onListKey = (e: KeyboardEvent) => {
    const to = ({ ArrowDown: "next", ArrowRight: "next", ArrowUp: "previous", ArrowLeft: "previous", Home: "first", End: "last" } as const)[e.key as "Home"];
    if (!to) return;
    e.preventDefault();
    step(to);
  };

  const text = (field: TextField, label: string, opts: { hint?: string; area?: number; note?: string } = {}) => {
    const error = c.errors[field];
    const fid = `${id}-${field}`;
    const problems = field === "urlMap" || field === "policy" ? c.yamlProblems[field] : undefined;
    const common = {
      id: fid, spellCheck: false, autoComplete: "off", value: c.texts[field], placeholder: opts.hint,
      "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${fid}-error` : opts.note ? `${fid}-note` : undefined,
      onChange: (e: { target: { value: string } }) => send({ type: "CHANGE", field, text: e.target.value }),
    } as const;
    return (
      <label htmlFor={fid} className={opts.area ? "gfe-area" : undefined}>
        {label}
        {opts.area ? <textarea {...common} rows={opts.area} onFocus={opts.area > 4 ? fetchReaders : undefined} /> : <input type="text" {...common} />}
        {opts.note && !error && <span className="meta" id={`${fid}-note`}>{opts.note}</span>}
        {error && (
          <span className="error" id={`${fid}-error`}>
            {problems ? (
              <>
                {problems.length} problem{problems.length > 1 ? "s" : ""}:
                <ul>{problems.map((p, i) => <li key={i}>line {p.line}: {p.field && <code>{p.field}</code>} {p.message}</li>)}</ul>
              </>
            ) : error}
          </span>
        )}
      </label>
    );
  };

  const current = r?.steps[Math.min(c.cursor, r.steps.length - 1)];
  const target = r?.decision.target;
  return (
    <section className="lab gfe-lab" id={`lab-${id}`} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>URL-map tester</h3>
      <p className="meta">A GKE Ingress's URL map and the Cloud Armor policy on its backend services. Change the request, the client or the Pods' health and follow what the GFE decides.</p>

      <fieldset className="controls">
        <legend>Request</legend>
        {text("url", "URL", { hint: "https://www.example.com/path?query" })}
        {text("host", "Host header (empty: the URL's host)", { hint: "e.g. example.com" })}
        {text("method", "Method")}
        {text("headers", "Headers, one Name: value per line", { area: 2 })}
      </fieldset>

      <fieldset className="controls">
        <legend>Client, as Cloud Armor sees it</legend>
        {text("sourceIp", "Source address (what connects to the GFE)")}
        {text("region", "Region code of that address")}
        {text("rate", "Requests per second", { note: `the policy sees ${SERIES_SECONDS} s of them` })}
      </fieldset>

      <fieldset className="controls">
        <legend>Backends</legend>
        <label htmlFor={`${id}-kind`}>
          Backends of the web and api services
          <select id={`${id}-kind`} value={c.backendKind} onChange={(e) => send({ type: "SET_BACKEND_KIND", kind: e.target.value as BackendKind })}>
            <option value="neg">Zonal NEGs (container-native)</option>
            <option value="instance-group">Instance groups (nodes, NodePort)</option>
          </select>
        </label>
        <label htmlFor={`${id}-gfe`}>
          GFE that takes the request
          <select id={`${id}-gfe`} value={c.gfe} onChange={(e) => send({ type: "SET_GFE", gfe: e.target.value as SiteId })}>
            {GFES.map((g) => <option key={g.id} value={g.id}>{g.label}</option>)}
          </select>
        </label>
        {WEB_PODS.map((p, i) => (
          <label key={p.pod} htmlFor={`${id}-health-${i}`}>
            {p.pod} ({p.zone})
            <select id={`${id}-health-${i}`} value={c.health[i]} onChange={(e) => send({ type: "SET_HEALTH", index: i, health: e.target.value as EndpointHealth })}>
              {HEALTH.map((h) => <option key={h} value={h}>{h}</option>)}
            </select>
          </label>
        ))}
      </fieldset>

      <details className="gfe-yaml">
        <summary>Edit the URL map (gcloud compute url-maps export)</summary>
        {text("urlMap", "URL map YAML", { area: 14 })}
      </details>
      <details className="gfe-yaml">
        <summary>Edit the security policy (gcloud compute security-policies export)</summary>
        {text("policy", "Security policy YAML", { area: 14 })}
      </details>
      {c.errors.readers && <p className="error" role="alert">{c.errors.readers}</p>}

      <div className="gfe-outcome" aria-live="polite">
        {c.pending && <p className="meta">Loading the YAML reader…</p>}
        {r && (
          <>
            {c.stale && <p className="meta"><strong>Earlier result</strong> — fix the highlighted field to update it.</p>}
            <p className="gfe-status">
              <strong className={r.status.startsWith("200") ? "ok" : "bad"}>{r.status}</strong> from {r.answeredBy}
            </p>
            <p>
              <span className="meta">URL map: </span>
              {r.decision.decidedBy}
              {target?.kind === "service" && r.decision.fellBack && " (the default)"}
            </p>
            {r.armor && (
              <p>
                <span className="meta">Cloud Armor ({r.armor.policy}), {r.armor.requests} requests over {SERIES_SECONDS} s: </span>
                {r.armor.allowed} let through
                {r.armor.byRule.filter((b) => b.status !== null).map((b) => `; ${b.count} answered ${b.status} by ${b.label}`).join("")}. This request: {r.armor.last.rule.label}, {r.armor.last.outcome}.
              </p>
            )}
            {r.backend && r.backend.hops.length > 0 && (
              <ol className="gfe-hops" aria-label="Hops from the GFE to the Pod">
                {r.backend.hops.map((h, i) => <li key={i}>{h.from} → {h.to}: {h.what}</li>)}
              </ol>
            )}
          </>
        )}
      </div>

      {r && current && (
        <div className="gfe-steps">
          <div className="stepper">
            <button type="button" onClick={() => step("first")} disabled={c.cursor === 0}>First</button>
            <button type="button" onClick={() => step("previous")} disabled={c.cursor === 0}>Previous</button>
            <button type="button" onClick={() => step("next")} disabled={c.cursor >= r.steps.length - 1}>Next</button>
            <button type="button" onClick={() => step("last")} disabled={c.cursor >= r.steps.length - 1}>Last</button>
            <span className="position" aria-live="polite">
              Decision {c.cursor + 1} of {r.steps.length}: {STAGE[current.stage]}, {current.label} — {VERDICT[current.verdict] ?? current.verdict}
            </span>
          </div>
          <ol className="gfe-step-list" ref={listRef} onKeyDown={onListKey} aria-label="The GFE's decisions, in order (arrow keys move)">
            {r.steps.map((s, i) => (
              <li
                key={i}
                tabIndex={i === c.cursor ? 0 : -1}
                aria-current={i === c.cursor ? "step" : undefined}
                className={`gfe-step v-${s.verdict}`}
                onClick={() => {
                  moved.current = true;
                  const delta = i - c.cursor;
                  for (let k = 0; k < Math.abs(delta); k++) send({ type: "STEP", to: delta > 0 ? "next" : "previous" });
                }}
              >
                <span className="gfe-tag">{STAGE[s.stage]} · {VERDICT[s.verdict] ?? s.verdict}</span> <code>{s.label}</code>
                {i === c.cursor && <span className="gfe-why">{s.why}</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
