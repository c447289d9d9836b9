import { useMachine } from "@xstate/react";
import { useEffect, useRef, type KeyboardEvent } from "react";
import {
  BACKEND_KINDS,
  ENDPOINT_HEALTHS as HEALTH,
  URL_MAP_TESTER_GFES as GFES,
  urlMapTesterMachine,
  SERIES_SECONDS,
  type BackendKind,
  type TextField,
  type UrlMapTesterInput,
} from "../../machines/url-map-tester.machine";
import type { EndpointHealth } from "../../sim/edge/backend-service";
import { WEB_PODS } from "../../sim/edge/gfe-examples";
import type { SiteId } from "../../sim/geo";
import { onDemand } from "../on-demand";

// The YAML parser is some 30 KB: fetched (with the link codec) only when a learner first edits a YAML
// field or a link brings YAML.
const loadReaders = onDemand(() => import("./url-map-tester-module"));
// Reading and writing permalinks: fetched when a link is opened or the tester first changes, not before.
const loadLink = onDemand(() => import("./url-map-tester-link-module"));
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
  // The context the tester opened on: nothing to write until it changes.
  const opened = useRef(c);
  const mapDetails = useRef<HTMLDetailsElement>(null);
  const policyDetails = useRef<HTMLDetailsElement>(null);

  // A link into the tester (`?url-map-tester.host=example.com#lab-url-map-tester`) opens it there, read after
  // hydration so the server's markup and the first client render agree. A link with YAML waits for the reader.
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    if (![...query.keys()].some((k) => k.startsWith(`${id}.`))) return;
    const yaml = query.has(`${id}.map`) || query.has(`${id}.policy`);
    Promise.all([loadLink(), yaml ? loadReaders().catch(() => null) : null]).then(([link, readers]) => {
      if (readers) send({ type: "READERS_LOADED", readers: { readUrlMapYaml: readers.readUrlMapYaml, readSecurityPolicyYaml: readers.readSecurityPolicyYaml } });
      const patch = link.readUrlMapTesterLink(query, id, readers ? readers.decodeLabInput : null, { kinds: BACKEND_KINDS, healths: HEALTH, gfes: GFES });
      if (!patch) return;
      send({ type: "LOAD_STATE", patch });
      if (patch.texts.urlMap !== undefined || patch.linkErrors.urlMap) mapDetails.current?.setAttribute("open", "");
      if (patch.texts.policy !== undefined || patch.linkErrors.policy) policyDetails.current?.setAttribute("open", "");
    }, () => send({ type: "READERS_FAILED", message: "the code that opens this page's link did not load" }));
  }, [id, send]);

  // Keep the address bar a permalink to what is on screen; edited YAML is encoded with the reader's chunk.
  useEffect(() => {
    if (c === opened.current) return;
    let cancelled = false;
    const edited = c.texts.urlMap !== c.origin.texts.urlMap || c.texts.policy !== c.origin.texts.policy;
    const timer = window.setTimeout(() => {
      Promise.all([loadLink(), edited ? loadReaders().catch(() => null) : null]).then(([link, readers]) => {
        if (cancelled) return;
        const { params, defaults, step } = link.urlMapTesterLinkParams(c, readers ? readers.encodeLabInput : null);
        link.replaceSearch(link.writeLabState(window.location.search, id, params, defaults, step));
      }, () => undefined);
    }, 0);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [id, c]);

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

  // On the stepper's buttons the same keys move, and focus stays on the button pressed.
  const onStepperKey = (e: KeyboardEvent) => {
    const to = ({ ArrowRight: "next", ArrowLeft: "previous", Home: "first", End: "last" } as const)[e.key as "Home"];
    if (!to) return;
    e.preventDefault();
    send({ type: "STEP", to });
  };

  const text = (field: TextField, label: string, opts: { hint?: string; area?: number; note?: string } = {}) => {
    const error = c.errors[field] ?? (field === "urlMap" || field === "policy" ? c.linkErrors[field] : undefined);
    const fid = `${id}-${field}`;
    const problems = (field === "urlMap" || field === "policy") && c.errors[field] ? c.yamlProblems[field] : undefined;
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
          <span className="error" id={`${fid}-error`} role={c.errors[field] ? undefined : "alert"}>
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

  const linkError = (field: "kind" | "gfe" | "health") =>
    c.linkErrors[field] ? ({ "aria-invalid": true, "aria-describedby": `${id}-${field}-error` } as const) : {};
  const linkMessage = (field: "kind" | "gfe" | "health" | "step") =>
    c.linkErrors[field] ? <span className="error" id={`${id}-${field}-error`} role="alert">{c.linkErrors[field]}</span> : null;

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
          <select id={`${id}-kind`} value={c.backendKind} {...linkError("kind")} onChange={(e) => send({ type: "SET_BACKEND_KIND", kind: e.target.value as BackendKind })}>
            <option value="neg">Zonal NEGs (container-native)</option>
            <option value="instance-group">Instance groups (nodes, NodePort)</option>
          </select>
          {linkMessage("kind")}
        </label>
        <label htmlFor={`${id}-gfe`}>
          GFE that takes the request
          <select id={`${id}-gfe`} value={c.gfe} {...linkError("gfe")} onChange={(e) => send({ type: "SET_GFE", gfe: e.target.value as SiteId })}>
            {GFES.map((g) => <option key={g.id} value={g.id}>{g.label}</option>)}
          </select>
          {linkMessage("gfe")}
        </label>
        {WEB_PODS.map((p, i) => (
          <label key={p.pod} htmlFor={`${id}-health-${i}`}>
            {p.pod} ({p.zone})
            <select id={`${id}-health-${i}`} value={c.health[i]} {...linkError("health")} onChange={(e) => send({ type: "SET_HEALTH", index: i, health: e.target.value as EndpointHealth })}>
              {HEALTH.map((h) => <option key={h} value={h}>{h}</option>)}
            </select>
          </label>
        ))}
        {linkMessage("health")}
        {text("seed", "Seed of the GFE's random draws", { note: "the same seed, the same endpoint picked" })}
      </fieldset>

      <details className="gfe-yaml" ref={mapDetails}>
        <summary>Edit the URL map (gcloud compute url-maps export)</summary>
        {text("urlMap", "URL map YAML", { area: 14 })}
      </details>
      <details className="gfe-yaml" ref={policyDetails}>
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
          {linkMessage("step")}
          <div className="stepper" role="group" aria-label="Decisions" onKeyDown={onStepperKey} {...(c.linkErrors.step ? { "aria-describedby": `${id}-step-error` } : {})}>
            <button type="button" aria-keyshortcuts="Home" onClick={() => step("first")} disabled={c.cursor === 0}>First</button>
            <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => step("previous")} disabled={c.cursor === 0}>Previous</button>
            <button type="button" aria-keyshortcuts="ArrowRight" onClick={() => step("next")} disabled={c.cursor >= r.steps.length - 1}>Next</button>
            <button type="button" aria-keyshortcuts="End" onClick={() => step("last")} disabled={c.cursor >= r.steps.length - 1}>Last</button>
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
