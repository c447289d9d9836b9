import { useMachine } from "@xstate/react";
import { useEffect } from "react";
import { ROUTE_LINK_KEYS, routeLinkOf, routeMatcherMachine, type Via } from "../../machines/route-matcher.machine";
import { replaceSearch } from "../steplab/url";
import { onDemand } from "../on-demand";
import { ROUTE_MODELS, type RouteDecision, type RouteModel } from "../../sim/kube/l7/decision";
import { ROUTE_PRESETS } from "../../sim/kube/l7/presets";
import "../../styles/l7.css";
import { useIgnoredLinkKeys } from "../lab/ignored-link-keys";

const loadYamlReader = onDemand(() => import("./route-yaml"));

export interface RouteMatcherProps {
  /** Id of the preset to start from (ingress-paths, gateway-split, gateway-namespaces). */
  readonly preset?: string;
  /** A prefix for element ids, when a page shows the lab twice. */
  readonly labId?: string;
}

function verdictText(d: RouteDecision): string {
  if (d.status === null) return "Connection refused: nothing listens there.";
  if (d.backend === null) return `${d.status}: no backend.`;
  return `${d.status} → ${d.backendNamespace}/${d.backend.service}:${d.backend.port}`;
}

function Steps({ d }: { d: RouteDecision }) {
  return (
    <>
      <h4>How it was decided</h4>
      <ol className="candidates">
        {d.steps.map((s, i) => (
          <li key={i} data-taken={s.taken}>
            <span className="mark" data-taken={s.taken} aria-hidden="true">{s.taken ? "✓" : "·"}</span>
            <span className="visually-hidden">{s.taken ? "taken: " : "not taken: "}</span>
            <span className="label">[{s.kind}] {s.label}</span>
            <span className="detail">{s.detail}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

/** Paste an Ingress or a Gateway with HTTPRoutes, send a request, see which backend takes it and why. */
export default function RouteMatcher({ preset, labId = "route" }: RouteMatcherProps) {
  const ignoredLinkKeys = useIgnoredLinkKeys(labId, ROUTE_LINK_KEYS);
  const [snapshot, send] = useMachine(routeMatcherMachine, { input: { preset } });
  const c = snapshot.context;
  // Open what the link carries (`route.url=…&route.in=…`), once, after the first render.
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const get = (key: string) => query.get(`${labId}.${key}`);
    if (ROUTE_LINK_KEYS.some((k) => get(k) !== null)) {
      send({ type: "LOAD_STATE", link: { preset: get("preset"), input: get("in"), url: get("url"), method: get("method"), headers: get("headers"), via: get("via"), model: get("model") } });
    }
  }, [labId, send]);
  // Keep the address bar on what the lab shows, so the learner can share it; untouched until the first change.
  useEffect(() => {
    if (c.revision === 0) return;
    const timer = window.setTimeout(() => {
      const query = new URLSearchParams(window.location.search);
      for (const key of [...query.keys()]) if (key.startsWith(`${labId}.`)) query.delete(key);
      for (const [key, value] of Object.entries(routeLinkOf(c))) query.set(`${labId}.${key}`, value);
      const text = query.toString();
      replaceSearch(text ? `?${text}` : "");
    }, 0);
    return () => window.clearTimeout(timer);
  }, [c.revision, labId]); // eslint-disable-line react-hooks/exhaustive-deps
  const waiting = c.needsParser && c.parser === null;
  useEffect(() => {
    if (!waiting) return;
    let current = true;
    loadYamlReader().then(
      (m) => current && send({ type: "PARSER_READY", parser: m.parseL7 }),
      (error: unknown) => current && send({ type: "PARSER_FAILED", message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [waiting, send]);
  const id = (f: string) => `${labId}-${f}`;
  const field = (name: "url" | "method" | "headers", label: string, hint: string, multiline = false) => {
    const error = c.errors[name];
    const value = name === "url" ? c.urlText : name === "method" ? c.methodText : c.headersText;
    const common = {
      id: id(name),
      value,
      spellCheck: false,
      autoComplete: "off",
      placeholder: hint,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? `${id(name)}-error` : undefined,
    } as const;
    return (
      <label htmlFor={id(name)} className={`${name}-field`}>
        {label}
        {multiline
          ? <textarea {...common} rows={2} onChange={(e) => send({ type: "CHANGE", field: name, text: e.target.value })} />
          : <input type="text" {...common} onChange={(e) => send({ type: "CHANGE", field: name, text: e.target.value })} />}
        {error && <span className="error" id={`${id(name)}-error`}>{error}</span>}
      </label>
    );
  };
  return (
    <section className="lab route-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>Route matcher</h3>
      {ignoredLinkKeys && <p role="alert" className="error">{ignoredLinkKeys}</p>}
      {c.linkError && <p role="alert" className="error">{c.linkError}</p>}
      <div className="presets" role="group" aria-label="Start from a preset">
        {ROUTE_PRESETS.map((p) => (
          <button key={p.id} type="button" aria-pressed={c.presetId === p.id && c.yamlText === p.yaml} onClick={() => send({ type: "PRESET", id: p.id })}>
            {p.title}
          </button>
        ))}
      </div>
      <label htmlFor={id("yaml")} className="yaml-field">
        Manifests (Ingress, or Gateway + HTTPRoutes; Services and Namespaces optional)
        <textarea
          id={id("yaml")}
          value={c.yamlText}
          spellCheck={false}
          onChange={(e) => send({ type: "CHANGE", field: "yaml", text: e.target.value })}
          aria-invalid={c.errors.yaml ? true : undefined}
          aria-describedby={c.errors.yaml ? `${id("yaml")}-error` : undefined}
        />
        {c.errors.yaml && (
          <span id={`${id("yaml")}-error`}>
            <span className="visually-hidden">{c.errors.yaml}</span>
            <ul className="problems" aria-hidden="true">
              {c.yamlProblems.length > 0
                ? c.yamlProblems.map((p, i) => <li key={i}>line {p.line}, column {p.column}: {p.message}</li>)
                : <li>{c.errors.yaml}</li>}
            </ul>
          </span>
        )}
      </label>
      <div className="controls">
        {field("method", "Method", "GET")}
        {field("url", "URL", "http://shop.example.com/cart")}
        {field("headers", "Headers (one Name: value a line)", "version: two", true)}
        <label htmlFor={id("via")}>
          Front door
          <select
            id={id("via")}
            value={c.via}
            onChange={(e) => send({ type: "SET_VIA", via: e.target.value as Via })}
            aria-invalid={c.errors.via ? true : undefined}
            aria-describedby={c.errors.via ? `${id("via")}-error` : undefined}
          >
            <option value="auto">whichever is pasted</option>
            <option value="ingress">the Ingress</option>
            <option value="gateway">the Gateway</option>
          </select>
          {c.errors.via && <span className="error" id={`${id("via")}-error`}>{c.errors.via}</span>}
        </label>
        <label htmlFor={id("model")}>
          Compare with a wrong model
          <select id={id("model")} value={c.model ?? ""} onChange={(e) => send({ type: "SET_MODEL", model: e.target.value === "" ? null : (e.target.value as RouteModel) })}>
            <option value="">none</option>
            {Object.entries(ROUTE_MODELS).map(([key, text]) => <option key={key} value={key}>{text}</option>)}
          </select>
        </label>
      </div>
      <div aria-live="polite">
        {c.decision ? (
          <div className="verdict" data-status={c.decision.status ?? "none"}>
            <p>
              Result: <strong>{verdictText(c.decision)}</strong>
            </p>
            <p>{c.decision.summary}</p>
            {c.wrong && (
              <p>
                The wrong model ({ROUTE_MODELS[c.model!]}) would say: <strong>{verdictText(c.wrong)}</strong>
                {c.wrong.backend?.service === c.decision.backend?.service && c.wrong.status === c.decision.status ? " — the same answer for this request; try another." : " — a different answer."}
              </p>
            )}
          </div>
        ) : (
          <p className="meta">{waiting ? "Reading the YAML…" : "Fix the highlighted field to see which backend takes the request."}</p>
        )}
      </div>
      {c.decision && <Steps d={c.decision} />}
      {c.decision && c.decision.notes.length + c.warnings.length > 0 && (
        <ul className="notes">
          {[...c.decision.notes, ...c.warnings].map((n, i) => <li key={i}>{n}</li>)}
        </ul>
      )}
    </section>
  );
}
