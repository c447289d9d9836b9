import { useMachine } from "@xstate/react";
import { useEffect, useRef } from "react";
import { FAULT_OPTIONS, troubleshootMachine } from "../../machines/troubleshoot.machine";
import { LAB_CASES, labCase } from "../../sim/kube/troubleshoot/cases";
import { replaceSearch } from "../steplab/url";
import "../../styles/troubleshoot.css";
import { useIgnoredLinkKeys } from "../lab/ignored-link-keys";

export interface TroubleshootLabProps {
  /** Unique on the page; names the lab's URL key (`<labId>.case`) and its anchor (#lab-<labId>). */
  readonly labId?: string;
  /** The case to open when the address names none. */
  readonly initialCase?: string;
}

function caseFromAddress(labId: string, fallback: string): string {
  if (typeof window === "undefined") return fallback;
  const id = new URLSearchParams(window.location.search).get(`${labId}.case`);
  return id !== null && labCase(id) ? id : fallback;
}

/** A broken cluster, a shell whose every output the model computes, and "name the fault". */
export default function TroubleshootLab({ labId = "troubleshoot", initialCase = LAB_CASES[0]!.id }: TroubleshootLabProps) {
  const ignoredLinkKeys = useIgnoredLinkKeys(labId, ["case"]);
  // The server renders `initialCase`; the case the address names is opened right after hydration, so
  // the first client render matches the server's HTML.
  const [snapshot, send] = useMachine(troubleshootMachine, { input: { caseId: initialCase } });
  // The model and the grader load on the first interaction with the lab, not with the page.
  const loading = useRef(false);
  const loadEngine = () => {
    if (loading.current) return;
    loading.current = true;
    void import("./engine").then(({ troubleshootEngine }) => send({ type: "ENGINE_READY", engine: troubleshootEngine }));
  };
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    const named = caseFromAddress(labId, initialCase);
    if (named !== initialCase) send({ type: "CHOOSE_CASE", caseId: named });
  }, [labId, initialCase, send]);
  const c = snapshot.context;
  const trouble = labCase(c.caseId)!;
  const outputRef = useRef<HTMLDivElement>(null);
  const ids = {
    title: `lab-${labId}-title`, input: `lab-${labId}-command`, error: `lab-${labId}-command-error`, help: `lab-${labId}-command-help`,
    chooser: `lab-${labId}-case`, faults: `lab-${labId}-faults`,
  };

  const written = useRef<string | null>(null);
  useEffect(() => {
    // The first render shows the default case: writing it would erase the case the address names.
    if (written.current === null) { written.current = c.caseId; return; }
    if (written.current === c.caseId) return;
    written.current = c.caseId;
    const timer = window.setTimeout(() => {
      const q = new URLSearchParams(window.location.search);
      q.set(`${labId}.case`, c.caseId);
      replaceSearch(`?${q.toString()}`);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [labId, c.caseId]);

  useEffect(() => {
    const el = outputRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [c.transcript.length]);

  return (
    <section className="lab troubleshoot-lab" id={`lab-${labId}`} aria-labelledby={ids.title} data-pagefind-ignore="all" onFocusCapture={loadEngine} onPointerDownCapture={loadEngine}>
      <h3 id={ids.title}>Troubleshooting lab</h3>
      {ignoredLinkKeys && <p role="alert" className="error">{ignoredLinkKeys}</p>}
      <div className="ts-case">
        <label htmlFor={ids.chooser}>Broken cluster</label>
        <select id={ids.chooser} value={c.caseId} onChange={(e) => send({ type: "CHOOSE_CASE", caseId: e.target.value })}>
          {LAB_CASES.map((k, i) => <option key={k.id} value={k.id}>{`Case ${i + 1}: ${k.title}`}</option>)}
        </select>
      </div>
      <p className="ts-report"><strong>Reported:</strong> {trouble.report} <span className="ts-hint">The failing request: <code>{trouble.probe}</code></span></p>

      <div className="ts-terminal" ref={outputRef} tabIndex={0} role="region" aria-label="Terminal output">
        {c.transcript.length === 0 ? <p className="ts-empty">No output yet. Type <code>help</code>, or start with the failing request.</p> : null}
        {c.transcript.map((t, i) => (
          <div key={i} className="ts-entry">
            <pre className="ts-command"><span aria-hidden="true">$ </span>{t.command}</pre>
            <pre className="ts-output">{t.output}</pre>
          </div>
        ))}
      </div>

      <form className="ts-prompt" onSubmit={(e) => { e.preventDefault(); send({ type: "RUN" }); }}>
        <label htmlFor={ids.input}>Command</label>
        <div className="ts-prompt-row">
          <input
            id={ids.input}
            type="text"
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            value={c.input}
            placeholder="kubectl get svc,endpoints -o wide"
            aria-invalid={c.inputError !== null}
            aria-describedby={c.inputError !== null ? `${ids.error} ${ids.help}` : ids.help}
            onChange={(e) => send({ type: "TYPE", text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === "ArrowUp") { e.preventDefault(); send({ type: "HISTORY_UP" }); }
              else if (e.key === "ArrowDown") { e.preventDefault(); send({ type: "HISTORY_DOWN" }); }
            }}
          />
          <button type="submit">Run</button>
          <button type="button" onClick={() => send({ type: "CLEAR" })}>Clear</button>
        </div>
        {c.inputError !== null ? <p id={ids.error} className="ts-error field-error">{c.inputError}</p> : null}
        <p id={ids.help} className="ts-hint">Enter runs; the up and down arrows walk your history. kubectl reads the cluster; iptables-save, ipvsadm, conntrack and tcpdump run on node-a; curl, nslookup, dig, ping and ip run in the client Pod.</p>
      </form>

      <fieldset className="ts-faults" aria-describedby={`${ids.faults}-note`}>
        <legend>Name the fault</legend>
        <p id={`${ids.faults}-note`} className="ts-hint">Graded by the course's interview engine; the reason comes from the model.</p>
        {FAULT_OPTIONS.map((o) => (
          <label key={o.id} className="ts-choice">
            <input type="radio" name={`${labId}-fault`} value={o.id} checked={c.choice === o.id} onChange={() => send({ type: "PICK", choice: o.id })} />
            {o.text}
          </label>
        ))}
        <button type="button" onClick={() => send({ type: "CHECK" })}>Check</button>
        {c.verdict === null && c.choice === null && c.announcement === "Pick the fault first." ? <p className="ts-error">Pick the fault first.</p> : null}
        {c.verdict ? (
          <div className={`outcome ${c.verdict.correct ? "outcome-ok" : "outcome-bad"}`}>
            <p><strong className="outcome-status">{c.verdict.correct ? "Right." : "Not quite."}</strong> {c.verdict.message}</p>
          </div>
        ) : null}
      </fieldset>
      <p className="visually-hidden" aria-live="polite">{c.announcement}</p>
    </section>
  );
}
