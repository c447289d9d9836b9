import { useMachine } from "@xstate/react";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { currentHop, traceLabMachine } from "../../machines/trace-lab.machine";
import { getScenario, hopsOf, scenarioDefaults, LEG_NAMES, LEGS, totalMs, type Leg } from "../../sim/index";
import { HopInspector } from "./HopInspector";
import { HopList } from "./HopList";
import { Topology } from "./Topology";
import { readLabState, writeLabState } from "./url-state";

export interface TraceLabProps {
  /** Unique on the page; names the lab's URL keys and its anchor (#lab-<id>). */
  labId: string;
  title: string;
  scenarioId: string;
  /** Legs to show; all when absent. */
  legs?: Leg[];
  /** Parameters offered as controls; all when absent. */
  controls?: string[];
}

/**
 * A lab: scenario controls, the journey picture, a stepper, the hop list and the hop inspector.
 * Everything it shows is read from the lab machine; everything it does is an event sent to it.
 */
export default function TraceLab({ labId, title, scenarioId, legs, controls }: TraceLabProps) {
  const scenario = getScenario(scenarioId);
  const defaults = useMemo(() => scenarioDefaults(scenario), [scenario]);
  const [snapshot, send] = useMachine(traceLabMachine, { input: { scenarioId, legs: legs ?? [] } });
  const { context } = snapshot;
  const current = currentHop(context);
  const playing = snapshot.hasTag("playing");
  const urlLoaded = useRef(false);
  const currentButton = useRef<HTMLButtonElement>(null);
  const followFocus = useRef(false);
  const [copied, setCopied] = useState<string | null>(null);

  // Open at the state the URL names, once, after hydration.
  useEffect(() => {
    const state = readLabState(window.location.search, labId);
    if (Object.keys(state.params).length || state.step !== null) send({ type: "LOAD_STATE", params: state.params, step: typeof state.step === "number" ? state.step : null });
    urlLoaded.current = true;
  }, [labId, send]);

  // Keep the URL in step with the lab, so the address bar is always a permalink.
  useEffect(() => {
    if (!urlLoaded.current) return;
    const search = writeLabState(window.location.search, labId, context.params, defaults, context.position);
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, "", url);
  }, [labId, context.params, context.position, defaults]);

  // The current hop stays visible in the list (scrolling the list, never the page), and when the
  // arrow keys moved it, focus follows.
  useEffect(() => {
    const button = currentButton.current;
    const list = button?.closest<HTMLElement>(".hop-list");
    if (button && list) {
      const top = button.offsetTop;
      const bottom = top + button.offsetHeight;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
    }
    if (followFocus.current) button?.focus({ preventScroll: true });
    followFocus.current = false;
  }, [context.position, context.trace]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest("select, input, textarea")) return;
    const keys: Record<string, () => void> = {
      ArrowRight: () => send({ type: "STEP_FORWARD" }),
      ArrowDown: () => send({ type: "STEP_FORWARD" }),
      ArrowLeft: () => send({ type: "STEP_BACK" }),
      ArrowUp: () => send({ type: "STEP_BACK" }),
      Home: () => send({ type: "RESET" }),
      End: () => send({ type: "JUMP_TO_HOP", hop: context.visible.at(-1) ?? 0 }),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    followFocus.current = target.closest(".hop-list") !== null;
    action();
  };

  const copyLink = async () => {
    const search = writeLabState(window.location.search, labId, context.params, defaults, context.position);
    const url = `${window.location.origin}${window.location.pathname}${search}#lab-${labId}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied("Link copied.");
    } catch {
      setCopied(url);
    }
  };

  const shown = legs?.length ? legs : LEGS;
  const inScope = new Set(context.visible.map((i) => context.trace.hops[i]!.device.id));
  const offered = scenario.params.filter((p) => !controls || controls.includes(p.key));
  const request = hopsOf(context.trace, "request");
  const response = hopsOf(context.trace, "response");
  const headingId = `lab-${labId}-title`;
  const servedFromCache = context.trace.hops.some((h) => h.events.some((e) => e.type === "cache" && e.result === "HIT"));
  const lastIn = request.at(-1);
  const endedEarly = lastIn && lastIn.device.id !== "pod" ? lastIn.device.name : null;

  return (
    <section className="lab" id={`lab-${labId}`} aria-labelledby={headingId} onKeyDown={onKeyDown}>
      <h3 id={headingId}>{title}</h3>
      <div className="controls" role="group" aria-label="Scenario settings">
        {offered.map((p) => {
          const invalid = context.error?.key === p.key || context.error?.key.startsWith(`${p.key}=`) || undefined;
          const describedBy = invalid ? `lab-${labId}-error` : undefined;
          if (p.free) {
            // A free parameter (the host name) is sent when the learner commits it (Enter or leaving
            // the field); the field keeps what they typed while an error explains what is wrong.
            const commit = (value: string) => {
              if (value !== context.params[p.key]) send({ type: "SET_PARAM", key: p.key, value });
            };
            return (
              <label key={p.key} title={p.description}>
                {p.label}
                <input
                  key={context.params[p.key]}
                  type="text"
                  defaultValue={context.params[p.key]}
                  list={`lab-${labId}-${p.key}-suggestions`}
                  placeholder={p.free.hint}
                  spellCheck={false}
                  autoCapitalize="none"
                  onBlur={(e) => commit(e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") commit(e.currentTarget.value);
                  }}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                />
                <datalist id={`lab-${labId}-${p.key}-suggestions`}>
                  {p.values.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.label}
                    </option>
                  ))}
                </datalist>
              </label>
            );
          }
          return (
            <label key={p.key} title={p.description}>
              {p.label}
              <select
                value={context.params[p.key]}
                onChange={(e) => send({ type: "SET_PARAM", key: p.key, value: e.target.value })}
                aria-invalid={invalid}
                aria-describedby={describedBy}
              >
                {p.values.map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.label}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
      {context.error && (
        <p className="error" id={`lab-${labId}-error`} role="alert">
          {context.error.message}
        </p>
      )}
      <Topology trace={context.trace} current={current?.hop ?? null} inScope={inScope} />
      <div className="stepper" role="group" aria-label="Step through the hops">
        <button type="button" onClick={() => send({ type: "RESET" })} disabled={!current}>
          « <span>Start</span>
        </button>
        <button type="button" onClick={() => send({ type: "STEP_BACK" })} disabled={!current || context.position === 0} aria-keyshortcuts="ArrowLeft">
          ◀ <span>Back</span>
        </button>
        <button type="button" className="primary" onClick={() => send({ type: "TOGGLE_PLAY" })} disabled={!current} aria-pressed={playing}>
          {playing ? "❚❚ Pause" : "▶ Play"}
        </button>
        <button
          type="button"
          onClick={() => send({ type: "STEP_FORWARD" })}
          disabled={!current || context.position >= context.visible.length - 1}
          aria-keyshortcuts="ArrowRight"
        >
          <span>Next</span> ▶
        </button>
        {shown.length > 1 &&
          shown.map((leg) => (
            <button
              key={leg}
              type="button"
              onClick={() => send({ type: "JUMP_TO_LEG", leg })}
              disabled={!context.visible.some((i) => context.trace.hops[i]!.leg === leg)}
              title={LEG_NAMES[leg]}
            >
              Leg {leg}
            </button>
          ))}
        <button type="button" onClick={copyLink}>
          Copy link
        </button>
        <span className="position" aria-live="polite">
          {current
            ? `Hop ${context.position + 1} of ${context.visible.length}: ${current.hop.device.name}`
            : "No hops in this leg"}
        </span>
      </div>
      {copied && (
        <p className="copied" role="status">
          {copied.startsWith("http") ? <>Copy this link: <code>{copied}</code></> : copied}
        </p>
      )}
      {current ? (
        <div className="lab-body">
          <HopList
            trace={context.trace}
            visible={context.visible}
            position={context.position}
            onSelect={(hop) => send({ type: "JUMP_TO_HOP", hop })}
            currentRef={currentButton}
          />
          <HopInspector hop={current.hop} index={current.index} labId={labId} />
        </div>
      ) : (
        <p className="empty-leg">
          With these settings the request never takes {shown.length === 1 ? `leg ${shown[0]} (${LEG_NAMES[shown[0]!]})` : "these legs"}.
          {context.params.cloudflare !== "on" ? " Without Cloudflare there is no middle mile: the client reaches Google's edge directly." : ""}
          {servedFromCache ? " Cloudflare answered from its cache, so nothing went further." : ""}
          {endedEarly && !servedFromCache ? ` The request stopped at ${endedEarly}; read its last step in the whole-journey lab.` : ""}
        </p>
      )}
      <p className="meta">
        Request {totalMs(request).toFixed(1)} ms one way over {request.length} hops; response {totalMs(response).toFixed(1)} ms over {response.length}.
        Use ← and → in the hop list to step.
      </p>
    </section>
  );
}
