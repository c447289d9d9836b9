import { useMachine } from "@xstate/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { currentStep, currentSub, highlightedRow, positionIndex, positionsOf, stepLabOnDemand } from "../../machines/step-lab.machine";
import { useLabProgress } from "../lab/lab-progress";
import type { Step, Trace } from "../../sim/core/trace";
import { site, SITES, type SiteId } from "../../sim/geo";
import { journeyMap } from "../../sim/scenarios/journey-view";
import "../../styles/steplab.css";
import "../../styles/journey.css";
import { readLabState } from "../lab/url-state";
import { DecisionTableView } from "../steplab/DecisionTableView";
import { useStepListKeys } from "../steplab/keys";
import { onDemand } from "../on-demand";
import { useSimulatorWhileWaiting } from "../steplab/load-simulator";
import { OutcomeBanner } from "../steplab/OutcomeBanner";
import { PcapDownload } from "../steplab/PcapDownload";
import { StepList } from "../steplab/StepList";
import { Stepper } from "../steplab/Stepper";
import { replaceSearch } from "../steplab/url";
import { JourneyMap } from "./JourneyMap";
import { PacketInspector } from "./PacketInspector";
import { readSharedSettings, shareSettings, sharedSettings, useSharedSettings, writeSharedSettings } from "./shared-settings";
import { sharedTrace } from "./trace-blocks";

/** A setting the lab offers, as the scenario declares it (handed over at build time). */
export interface JourneySetting {
  readonly key: string;
  readonly label: string;
  readonly description: string;
  readonly values: readonly { readonly value: string; readonly label: string }[];
  /** A free-text setting (the Host): typed, with the values as suggestions. */
  readonly free?: { readonly hint: string } | undefined;
}

export interface JourneyLabProps {
  /** Unique on the page; names the lab's URL keys (`<labId>.step`) and its anchor (#lab-<labId>). */
  labId: string;
  title: string;
  scenarioId: string;
  /** Legs (1–5) to show; all when absent. */
  legs?: number[];
  /** Settings offered as controls; all when absent. */
  controls?: string[];
  /** Follow the lesson's shared settings (default), or keep this lab's own. */
  shared?: boolean;
  /** What the lab opens with, computed when the site is built: `JourneyLab.astro` fills it in. */
  initial: {
    readonly settings: readonly JourneySetting[];
    readonly defaults: Readonly<Record<string, string>>;
    /** The trace of the defaults, cut to the lab's legs: the name of the page's block that holds it (trace-blocks.ts). */
    readonly traceKey: string;
  };
}

const loadJourneySimulator = onDemand(() => import("./journey-simulator"));

const hops = (n: number) => `${n} hop${n === 1 ? "" : "s"}`;
const placeName = (place: string | undefined) => (place && place in SITES ? site(place as SiteId).name : null);
const direction = (step: Step): "request" | "response" => (step.id.startsWith("response:") ? "response" : "request");

/**
 * A lab over the flagship journey: settings, what came of the request, the picture, a stepper, the
 * steps and their decisions, and the packet inspector. It opens on the trace computed at build time
 * and loads the simulator only when a setting changes. Labs on one page share their settings (the
 * lesson's scenario) unless `shared` is false. Everything shown is read from the step-lab machine;
 * everything the learner does is an event sent to it.
 */
export default function JourneyLab({ labId, title, scenarioId, legs, controls, shared = true, initial }: JourneyLabProps) {
  const { settings, defaults } = initial;
  const initialTrace = useMemo(() => sharedTrace(initial.traceKey), [initial.traceKey]);
  const stageIds = useMemo(() => (legs ?? []).map((l) => `leg-${l}`), [legs]);
  const [snapshot, send] = useMachine(stepLabOnDemand, {
    input: { scenarioId, presets: { default: defaults }, preset: "default", known: { default: initialTrace }, tickMs: 1200 },
  });
  const { context } = snapshot;
  useLabProgress(labId, context.trace ? positionIndex(context.trace, context) : -1, context.trace ? positionsOf(context.trace).length : 0);
  const { listRef, onKeyDown } = useStepListKeys(context, send);
  const input = (context.input ?? defaults) as Readonly<Record<string, string>>;
  const playing = snapshot.hasTag("playing");
  const urlLoaded = useRef(false);
  /** A link's hop number (from before step ids), and the trace it must not be resolved against (the one on screen before the link's settings were applied). */
  const pendingIndex = useRef<{ index: number; notIn: Trace | null } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [narrow, setNarrow] = useState(false);

  useSimulatorWhileWaiting(
    context.waiting,
    send,
    (simulator) => ({ type: "SIMULATOR_LOADED" as const, compute: simulator.journeyTraceFor(stageIds) }),
    (error) => ({ type: "SIMULATOR_FAILED" as const, error }),
    loadJourneySimulator,
  );

  /** Sets fields to reach `wanted`, sending only what differs. */
  const apply = (wanted: Readonly<Record<string, string>>, current: Readonly<Record<string, string>>) => {
    for (const [key, value] of Object.entries(wanted)) if (current[key] !== value) send({ type: "SET_INPUT", field: key, value });
  };

  // Another lab changed the lesson's settings: follow them.
  const inputRef = useRef(input);
  inputRef.current = input;
  useSharedSettings(scenarioId, labId, shared, (next) => apply({ ...defaults, ...next }, inputRef.current));

  // Open at the state the URL names (and the lesson's settings), once, after hydration.
  useEffect(() => {
    const own = readLabState(window.location.search, labId);
    const fromPage = shared ? { ...readSharedSettings(window.location.search), ...sharedSettings(scenarioId) } : {};
    const wanted = { ...defaults, ...fromPage, ...own.params };
    // Seed the page's shared settings from the address (the first lab to hydrate does it; later ones find them set).
    if (shared) shareSettings(scenarioId, labId, { ...fromPage, ...own.params }, defaults);
    const changes = Object.entries(wanted).filter(([k, v]) => defaults[k] !== v).length;
    apply(wanted, defaults);
    if (typeof own.step === "string") {
      // Through the machine's link check: a step this trace does not have is said at the lab, not ignored.
      const sub = Number(new URLSearchParams(window.location.search).get(`${labId}.sub`));
      send({ type: "LOAD_STATE", stepId: own.step, sub: Number.isInteger(sub) && sub >= 1 ? sub - 1 : null });
    } else if (typeof own.step === "number") pendingIndex.current = { index: own.step, notIn: changes ? initialTrace : null };
    urlLoaded.current = true;
    const media = window.matchMedia("(max-width: 760px)");
    setNarrow(media.matches);
    // Runs once: the URL is read on arrival only.
  }, []);

  // A link from before step ids named a hop by its position: resolve it once its trace is in.
  useEffect(() => {
    const pending = pendingIndex.current;
    if (pending === null || context.waiting || !context.trace) return;
    // Still the trace from before the link's settings — unless they failed, and it is all there is.
    if (context.trace === pending.notIn && Object.keys(context.errors).length === 0) return;
    const step = context.trace.steps[pending.index];
    pendingIndex.current = null;
    // A position past the end is reported like an unknown step id (the link's own number, counted from 1).
    send(step ? { type: "JUMP_TO_STEP", stepId: step.id } : { type: "LOAD_STATE", stepId: String(pending.index + 1) });
  }, [context.trace, context.waiting, send]);

  // Keep the address bar a permalink to what is on screen.
  useEffect(() => {
    if (!urlLoaded.current || !context.trace) return;
    const timer = window.setTimeout(() => {
      const query = new URLSearchParams(window.location.search);
      for (const key of [...query.keys()]) if (key.startsWith(`${labId}.`)) query.delete(key);
      const changed = Object.fromEntries(Object.entries(input).filter(([k, v]) => defaults[k] !== v));
      if (!shared) for (const [k, v] of Object.entries(changed)) query.set(`${labId}.${k}`, v);
      const trace = context.trace!;
      if (positionIndex(trace, context) > 0 && context.stepId) {
        query.set(`${labId}.step`, context.stepId);
        if (context.sub !== null && context.sub > 0) query.set(`${labId}.sub`, String(context.sub + 1));
      }
      let search = query.toString() ? `?${query.toString()}` : "";
      if (shared) search = writeSharedSettings(search, sharedSettings(scenarioId));
      replaceSearch(search);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [labId, context.trace, context.stepId, context.sub, input, shared]);


  // "Link copied." says so for a moment, then goes.
  useEffect(() => {
    if (!copied || copied.startsWith("http")) return;
    const timer = window.setTimeout(() => setCopied(null), 2500);
    return () => window.clearTimeout(timer);
  }, [copied]);

  const setSetting = (key: string, value: string) => {
    if (input[key] === value) return;
    send({ type: "SET_INPUT", field: key, value });
    if (shared) shareSettings(scenarioId, labId, { [key]: value }, defaults);
  };

  const resetSettings = () => {
    send({ type: "RESET" });
    if (shared) shareSettings(scenarioId, labId, Object.fromEntries(Object.keys(sharedSettings(scenarioId)).map((k) => [k, defaults[k]!])), defaults);
  };


  const copyLink = async () => {
    const url = `${window.location.origin}${window.location.pathname}${window.location.search}#lab-${labId}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied("Link copied.");
    } catch {
      setCopied(url);
    }
  };

  const trace = context.trace;
  const step = currentStep(context);
  const sub = currentSub(context);
  const table = highlightedRow(context);
  const map = useMemo(() => (trace ? journeyMap(trace) : null), [trace]);
  const inScope = useMemo(() => new Set(trace?.steps.map((s) => s.node.id) ?? []), [trace]);
  const offered = settings.filter((s) => !controls || controls.includes(s.key));
  const changedSettings = settings.filter((s) => input[s.key] !== undefined && input[s.key] !== defaults[s.key]);
  const valueLabel = (s: JourneySetting, value: string) => s.values.find((v) => v.value === value)?.label ?? value;
  const errorEntries = Object.entries(context.errors);
  const errorId = (key: string) => `lab-${labId}-error-${key}`;
  const headingId = `lab-${labId}-title`;
  const totals = (dir: "request" | "response") => {
    const steps = trace?.steps.filter((s) => direction(s) === dir) ?? [];
    return { ms: steps.reduce((sum, s) => sum + (s.time?.ms ?? 0), 0), count: steps.length };
  };
  const there = { request: totals("request"), response: totals("response") };

  return (
    <section className="lab step-lab journey-lab" id={`lab-${labId}`} aria-labelledby={headingId} onKeyDown={onKeyDown}>
      <h3 id={headingId}>{title}</h3>
      <div data-pagefind-ignore="all">
        <details className="settings" open={!narrow}>
          <summary>
            <span className="settings-title">Settings</span>
            {changedSettings.length === 0 ? (
              <span className="chip">the lesson's defaults</span>
            ) : (
              changedSettings.map((s) => (
                <span key={s.key} className="chip changed">
                  {s.label}: {valueLabel(s, input[s.key]!)}
                </span>
              ))
            )}
          </summary>
          <div className="controls" role="group" aria-label="Scenario settings">
            {offered.map((s) => {
              const invalid = context.errors[s.key] ? true : undefined;
              const describedBy = invalid ? errorId(s.key) : undefined;
              if (s.free) {
                const commit = (value: string) => setSetting(s.key, value.trim());
                return (
                  <label key={s.key}>
                    <span className="control-label">{s.label}</span>
                    <input
                      key={input[s.key]}
                      type="text"
                      defaultValue={input[s.key]}
                      list={`lab-${labId}-${s.key}-suggestions`}
                      placeholder={s.free.hint}
                      spellCheck={false}
                      autoCapitalize="none"
                      onBlur={(e) => commit(e.currentTarget.value)}
                      onKeyDown={(e) => {
                        if (e.key === "Enter") commit(e.currentTarget.value);
                      }}
                      aria-invalid={invalid}
                      aria-describedby={describedBy}
                    />
                    <datalist id={`lab-${labId}-${s.key}-suggestions`}>
                      {s.values.map((v) => (
                        <option key={v.value} value={v.value}>
                          {v.label}
                        </option>
                      ))}
                    </datalist>
                    {context.errors[s.key] && (
                      <span className="error" id={errorId(s.key)} role="alert">
                        {context.errors[s.key]}
                      </span>
                    )}
                  </label>
                );
              }
              return (
                <label key={s.key}>
                  <span className="control-label">{s.label}</span>
                  <select value={input[s.key]} onChange={(e) => setSetting(s.key, e.target.value)} aria-invalid={invalid} aria-describedby={describedBy}>
                    {s.values.map((v) => (
                      <option key={v.value} value={v.value}>
                        {v.label}
                      </option>
                    ))}
                  </select>
                  {context.errors[s.key] && (
                    <span className="error" id={errorId(s.key)} role="alert">
                      {context.errors[s.key]}
                    </span>
                  )}
                </label>
              );
            })}
            <div className="settings-actions">
              <button type="button" onClick={resetSettings} disabled={changedSettings.length === 0}>
                Reset settings
              </button>
              <button type="button" className="copy-link" onClick={copyLink}>
                Copy link
              </button>
              {trace && trace.steps.length > 0 && <PcapDownload trace={trace} label="Download .pcapng" />}
              {shared && <span className="meta">Shared with the other labs on this page.</span>}
            </div>
          </div>
        </details>
        {copied && (
          <p className="copied" role="status">
            {copied.startsWith("http") ? (
              <>
                Copy this link: <code>{copied}</code>
              </>
            ) : (
              copied
            )}
          </p>
        )}
        {errorEntries
          .filter(([key]) => !settings.some((s) => s.key === key && offered.includes(s)))
          .map(([key, message]) => (
            <p key={key} className="error" id={errorId(key)} role="alert">
              {message}
            </p>
          ))}
        {context.waiting && (
          <p className="meta" role="status">
            Computing the journey for these settings…
          </p>
        )}
        {trace && <OutcomeBanner trace={trace} onGo={(stepId) => send({ type: "JUMP_TO_STEP", stepId })} />}
        {map && (
          <JourneyMap
            map={map}
            at={step ? { device: step.node.id, direction: direction(step) } : null}
            inScope={inScope}
            onPick={(stepId) => send({ type: "JUMP_TO_STEP", stepId })}
            labTitle={title}
          />
        )}
        {trace && trace.steps.length === 0 && (
          <p className="empty-leg">
            With these settings the request never takes {legs?.length === 1 ? `leg ${legs[0]}` : "these legs"}.{" "}
            {input.cloudflare === "off" || input.cloudflare === "bypassed" ? "Without Cloudflare in the way there is no middle mile: the client reaches Google's edge directly. " : ""}
            {trace.outcome.summary}
          </p>
        )}
        {trace && trace.steps.length > 0 && (
          <>
            <div className="stepper-row">
              <Stepper
                cursor={context}
                onFirst={() => send({ type: "FIRST" })}
                onBack={() => send({ type: "STEP_BACK" })}
                onForward={() => send({ type: "STEP_FORWARD" })}
                onLast={() => send({ type: "LAST" })}
                onTogglePlay={() => send({ type: "TOGGLE_PLAY" })}
                playing={playing}
              />
            </div>
            <div className="step-lab-body journey-body">
              {step && (
                <div className="step-view">
                  <h4 id={`lab-${labId}-step`}>
                    {trace.steps.indexOf(step) + 1}. {step.node.name}
                  </h4>
                  <p className="meta">
                    <span className={`dir dir-${direction(step)}`}>{direction(step) === "request" ? "→ request" : "← response"}</span>
                    {placeName(step.node.place) ? ` · ${placeName(step.node.place)}` : ""}
                    {` · ${trace.stages.find((s) => s.id === step.stage)?.title ?? step.stage}`}
                    {step.time ? ` · +${step.time.ms.toFixed(1)} ms to get here` : ""}
                    {step.time && step.time.fibreMs > 0 ? ` (${step.time.fibreMs.toFixed(1)} ms of it in fibre from the previous device)` : ""}
                  </p>
                  {sub && (
                    <div className={`sub-now ${sub.taken ? "taken" : "skipped"}`}>
                      <p className="sub-now-head">
                        <span className="sub-kind">{sub.kind}</span> <strong>{sub.label}</strong> · decision {(context.sub ?? 0) + 1} of {step.sub.length}
                      </p>
                      {sub.detail.trim() && <p className="sub-now-detail">{sub.detail.trim()}</p>}
                    </div>
                  )}
                  {table && <DecisionTableView table={table.table} current={table.row} inLab={title} />}
                  <PacketInspector step={step} />
                  {step.events.length > 0 && (
                    <>
                      <h5>What happens here</h5>
                      <ul className="events">
                        {step.events.map((e, i) => (
                          <li key={i}>{e.text}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
              )}
              <StepList cursor={context} label="Hops and decisions" listRef={listRef} onJump={(stepId, s) => send(s === null ? { type: "JUMP_TO_STEP", stepId } : { type: "JUMP_TO_SUB", stepId, sub: s })} />
            </div>
            <p className="meta keys-hint">
              {legs?.length ? "In this lab: " : ""}
              {there.request.count ? `request ${there.request.ms.toFixed(1)} ms over ${hops(there.request.count)}` : ""}
              {there.request.count && there.response.count ? "; " : ""}
              {there.response.count ? `response ${there.response.ms.toFixed(1)} ms over ${hops(there.response.count)}` : ""}. Keys: ← → step, Page Up /
              Page Down by hop, Home and End to either end.
            </p>
          </>
        )}
      </div>
    </section>
  );
}
