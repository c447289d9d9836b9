import { useMachine } from "@xstate/react";
import { useCallback, useEffect, useState } from "react";
import { staticIpLintMachine, type StaticIpField, type StaticIpLabPreset } from "../../machines/static-ip-lint.machine";
import type { Finding, IngressOutcome } from "../../sim/edge/static-ip";
import { onDemand } from "../on-demand";
import "../../styles/dns.css";

type LinterModule = typeof import("./static-ip-linter-module");
/** The linter and its YAML parser, fetched the first time a learner is about to edit. */
const loadLinter: () => Promise<LinterModule> = onDemand(() => import("./static-ip-linter-module"));

const FIELDS: { field: StaticIpField; label: string; hint: string }[] = [
  { field: "ingress", label: "Ingress (YAML)", hint: "kubectl get ingress web -o yaml, or your manifest" },
  { field: "terraform", label: "Terraform (HCL)", hint: "the google_compute_global_address or google_compute_address resources" },
];

const SEVERITY_LABEL: Record<Finding["severity"], string> = { error: "Error", warning: "Warning", info: "Note", ok: "OK" };
const OUTCOME_LABEL: Record<IngressOutcome, string> = {
  "reserved-address": "uses the reserved address",
  "ephemeral-address": "gets an ephemeral address",
  "sync-error": "sync fails: no address",
  "address-conflict": "refused: address in use",
  "annotation-conflict": "refused: both annotations",
  unchecked: "not GKE's to decide",
};

export interface StaticIpLinterProps {
  readonly labId?: string;
  /** A preset id to open on (the first preset by default). */
  readonly preset?: string;
  /** The presets with their findings, computed at build time (`StaticIpLab.astro`). */
  readonly presets: readonly StaticIpLabPreset[];
}

/** Paste an Ingress and its Terraform: what GKE's Ingress controller will do with the address. */
export default function StaticIpLinter({ labId = "static-ip", preset, presets }: StaticIpLinterProps) {
  const [snapshot, send] = useMachine(staticIpLintMachine, { input: { presets, preset } });
  const { waiting, linter } = snapshot.context;
  const fetchLinter = useCallback(() => {
    loadLinter().then(
      (m) => send({ type: "LINTER_LOADED", linter: m.lintStaticIp }),
      () => send({ type: "LINTER_FAILED", message: "The linter could not be loaded (is the network down?). Edit again to retry." }),
    );
  }, [send]);
  // Texts waiting for the linter (an edit before it arrived, a link's texts) fetch it.
  useEffect(() => {
    if (waiting) fetchLinter();
  }, [waiting, fetchLinter]);
  // `?static-ip.preset=typo#lab-static-ip` opens a preset; `?static-ip.in=1.…` exact texts (a question's link),
  // decoded with the linter's chunk. Read after hydration; an unknown preset or unreadable link is ignored.
  // What a link asked for that the lab could not do, said in the lab (the lab keeps working on its example).
  const [linkNotes, setLinkNotes] = useState<string[]>([]);
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const id = q.get(`${labId}.preset`);
    const packed = q.get(`${labId}.in`);
    const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "?");
    const notes = [...q.keys()]
      .filter((k) => k.startsWith(`${labId}.`) && !["preset", "in"].includes(k.slice(labId.length + 1)))
      .map((k) => `The link's ${shown(k)} is not a setting of this lab (it reads ${labId}.preset and ${labId}.in); ignored.`);
    if (id !== null && id !== "" && !presets.some((p) => p.id === id)) {
      notes.push(`The link's ${labId}.preset=${shown(id)} is not one of this lab's examples (${presets.map((p) => p.id).join(", ")}); it opens on the first.`);
    }
    setLinkNotes(notes);
    if (packed !== null && packed !== "") {
      loadLinter().then((m) => {
        send({ type: "LINTER_LOADED", linter: m.lintStaticIp });
        try {
          const texts = m.decodeLabInput(packed) as { ingress?: unknown; terraform?: unknown };
          if (typeof texts.ingress === "string" && typeof texts.terraform === "string") send({ type: "LOAD_TEXTS", ingress: texts.ingress, terraform: texts.terraform });
          else throw new Error("not this lab's texts");
        } catch {
          setLinkNotes((now) => [...now, `The link's ${labId}.in could not be read as this lab's texts (it is damaged or from another lab); the lab stays on its example.`]);
        }
      }, () => send({ type: "LINTER_FAILED", message: "The linter could not be loaded to open this link's texts." }));
    } else if (id !== null && presets.some((p) => p.id === id)) send({ type: "LOAD_PRESET", id });
  }, [labId, send]);
  const { texts, errors, lint } = snapshot.context;
  const id = (s: string) => `${labId}-${s}`;
  const errorCount = lint.findings.filter((f) => f.severity === "error").length;
  const stale = errors.ingress.length > 0 || errors.terraform.length > 0;
  return (
    <section className="lab dns-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>Static-IP linter: the Ingress annotation and its Terraform</h3>
      {linkNotes.map((note) => (
        <p key={note} className="error" role="alert">{note}</p>
      ))}
      <div className="dns-presets" role="group" aria-labelledby={id("presets")}>
        <span id={id("presets")} className="dns-label">Load an example:</span>
        {presets.map((p) => (
          <button key={p.id} type="button" title={p.summary} aria-pressed={snapshot.context.preset === p.id} onClick={() => send({ type: "LOAD_PRESET", id: p.id })}>
            {p.label}
          </button>
        ))}
      </div>
      <div className="dns-texts">
        {FIELDS.map(({ field, label, hint }) => {
          const fieldErrors = errors[field];
          const fid = id(field);
          return (
            <div key={field} className="dns-text">
              <label htmlFor={fid}>{label}</label>
              <span className="meta" id={`${fid}-hint`}>{hint}</span>
              <textarea
                id={fid}
                rows={field === "ingress" ? 14 : 10}
                spellCheck={false}
                autoComplete="off"
                autoCapitalize="off"
                value={texts[field]}
                aria-invalid={fieldErrors.length > 0 ? true : undefined}
                aria-describedby={fieldErrors.length > 0 ? `${fid}-error ${fid}-hint` : `${fid}-hint`}
                onFocus={() => {
                  if (!linter) fetchLinter();
                }}
                onChange={(e) => send({ type: "EDIT", field, text: e.target.value })}
              />
              {fieldErrors.length > 0 && (
                <ul className="error dns-field-errors" id={`${fid}-error`}>
                  {fieldErrors.map((e) => <li key={`${e.line}:${e.message}`}>Line {e.line}: {e.message}</li>)}
                </ul>
              )}
            </div>
          );
        })}
      </div>

      <div aria-live="polite" className="dns-results">
        <p className="dns-summary">
          {errorCount === 0 ? "No errors." : `${errorCount} error${errorCount === 1 ? "" : "s"}.`}{" "}
          {lint.ingresses.map((i) => `Ingress ${i.name}: ${OUTCOME_LABEL[i.outcome]}.`).join(" ")}
          {stale && " (Showing the results for the last text that could be read; fix the marked lines.)"}
          {waiting && " Checking…"}
          {snapshot.context.loadError && ` ${snapshot.context.loadError}`}
        </p>
      </div>
      <ul className="dns-ingresses">
        {lint.ingresses.map((i) => (
          <li key={`${i.namespace}/${i.name}`}>
            <strong>{i.namespace}/{i.name}</strong> ({i.kind} load balancer): ADDRESS {i.address}.
            {i.event && <><br /><code className="dns-event">kubectl describe ingress {i.name}: {i.event}</code></>}
          </li>
        ))}
      </ul>
      <ol className="dns-findings" aria-label="Findings">
        {lint.findings.map((f, n) => (
          <li key={`${f.code}-${f.source}-${f.line}-${n}`} className={`dns-finding dns-${f.severity}`}>
            <p>
              <span className="dns-badge">{SEVERITY_LABEL[f.severity]}</span>{" "}
              <span className="dns-where">{f.source === "ingress" ? "Ingress" : "Terraform"}, line {f.line}:</span> <strong>{f.title}</strong>
            </p>
            <p>{f.detail}</p>
            {f.fix && (
              <>
                <p className="dns-label">Fix:</p>
                <pre tabIndex={0} aria-label={`Suggested fix for: ${f.title}`}>{f.fix}</pre>
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
