import { useMachine } from "@xstate/react";
import { useEffect, useRef } from "react";
import { positionIndex, positionsOf, stepLabOnDemand } from "../../machines/step-lab.machine";
import { useLabProgress } from "../lab/lab-progress";
import type { Trace } from "../../sim/core/trace";
import "../../styles/steplab.css";
import { ChainView } from "./ChainView";
import { useStepListKeys } from "./keys";
import { useSimulatorWhileWaiting, type KnownCosts } from "./load-simulator";
import { NatView } from "./NatView";
import { OutcomeBanner } from "./OutcomeBanner";
import { PcapDownload } from "./PcapDownload";
import { StepDetail } from "./StepDetail";
import { StepList } from "./StepList";
import { Stepper } from "./Stepper";
import { hasStepLabState, readStepLabState, scheduleStepLabState } from "./url";

export interface StepLabProps {
  /** Unique on the page; names the lab's URL keys (`<labId>.step` …) and its anchor (#lab-<labId>). */
  labId: string;
  title: string;
  /** An in-cluster scenario id (see `KUBE_SCENARIOS`). */
  scenarioId: string;
  /** The preset to open with; the scenario's "default" when absent. */
  preset?: string;
  /** "nat": the packet before/after each translation and the conntrack table; "chain": the rule-by-rule walk. */
  view?: "nat" | "chain";
  /** What the lab opens with, computed when the site is built: `KubeLab.astro` fills it in. */
  initial: StepLabInitial;
}

/** A lab's build-time data: everything it shows until the learner asks for something new. */
export interface StepLabInitial {
  /** The scenario's description, shown under the title. */
  readonly description: string;
  /** Each preset's trace at seed 0, by preset name, in the scenario's order. */
  readonly traces: Readonly<Record<string, Trace>>;
  /** The "grow the cluster" figures for each size offered (chain view only; empty otherwise). */
  readonly costs: readonly KnownCosts[];
}

const DEFAULT_SERVICES = 1000;

/**
 * A lab over one in-cluster walk: presets, an outcome banner, a stepper, the list of steps and their
 * decisions, and the chosen view. Everything shown is read from the step-lab machine; everything the
 * learner does is an event sent to it.
 */
export default function StepLab({ labId, title, scenarioId, preset, view = "nat", initial }: StepLabProps) {
  // The lab opens on the build-time traces; the simulator is loaded only for an input that has
  // none (a permalink's own input, another seed). Each preset's input is its name, which the
  // simulator reads as that preset.
  const [snapshot, send] = useMachine(stepLabOnDemand, {
    input: {
      scenarioId,
      presets: Object.fromEntries(Object.keys(initial.traces).map((name) => [name, name])),
      ...(preset ? { preset } : {}),
      services: DEFAULT_SERVICES,
      known: initial.traces,
    },
  });
  const { context } = snapshot;
  useLabProgress(labId, context.trace ? positionIndex(context.trace, context) : -1, context.trace ? positionsOf(context.trace).length : 0);
  const { listRef, onKeyDown } = useStepListKeys(context, send);
  const playing = snapshot.hasTag("playing");
  const urlLoaded = useRef(false);

  // An input is waiting for the simulator: load it (its own chunk, fetched once) and send it in.
  useSimulatorWhileWaiting(
    context.waiting,
    send,
    (simulator) => ({ type: "SIMULATOR_LOADED" as const, compute: simulator.computeKubeTrace }),
    (error) => ({ type: "SIMULATOR_FAILED" as const, error }),
  );

  // Open at the state the URL names, once, after hydration.
  useEffect(() => {
    const state = readStepLabState(window.location.search, labId);
    if (hasStepLabState(state)) send({ type: "LOAD_STATE", ...state });
    urlLoaded.current = true;
  }, [labId, send]);

  // Keep the address bar a permalink to what is on screen.
  useEffect(() => {
    if (!urlLoaded.current || !context.trace) return;
    const atFirst = positionIndex(context.trace, context) <= 0;
    return scheduleStepLabState(labId, () => ({
      preset: context.preset !== context.initialPreset ? context.preset : null,
      input: null,
      stepId: atFirst ? null : context.stepId,
      sub: atFirst || !context.sub ? null : context.sub,
      services: context.services !== DEFAULT_SERVICES ? context.services : null,
      // The seed the trace on screen was computed at (a link's bad seed is not kept).
      seed: context.seed !== 0 ? String(context.seed) : null,
    }));
  }, [labId, context.trace, context.preset, context.initialPreset, context.stepId, context.sub, context.services, context.seed]);



  const jump = (stepId: string, sub: number | null) => send(sub === null ? { type: "JUMP_TO_STEP", stepId } : { type: "JUMP_TO_SUB", stepId, sub });
  const headingId = `lab-${labId}-title`;
  const presetNames = Object.keys(context.presets);
  const errorEntries = Object.entries(context.errors);
  const errorId = (key: string) => `lab-${labId}-error-${key}`;

  return (
    <section className="lab step-lab" id={`lab-${labId}`} aria-labelledby={headingId} onKeyDown={onKeyDown} data-pagefind-ignore="all">
      <h3 id={headingId}>{title}</h3>
      {initial.description && <p className="meta">{initial.description}</p>}
      {presetNames.length > 1 && (
        <div className="controls" role="group" aria-label="Scenario settings">
          <label>
            Starting point
            <select
              value={context.preset ?? ""}
              onChange={(e) => send({ type: "SET_INPUT", preset: e.target.value })}
              aria-invalid={context.errors.preset ? true : undefined}
              aria-describedby={context.errors.preset ? errorId("preset") : undefined}
            >
              {context.preset === null && <option value="">(edited)</option>}
              {presetNames.map((name) => (
                <option key={name} value={name}>
                  {name.replace(/[-_]/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => send({ type: "RESET" })}>
            Reset
          </button>
        </div>
      )}
      {errorEntries.map(([key, message]) => (
        <p key={key} className="error" id={errorId(key)} role="alert">
          {message}
        </p>
      ))}
      {context.seed !== 0 && (
        <p className="meta" data-lab-seed={context.seed}>
          Seed {context.seed}: the source port and every random draw are the ones this seed makes (the link named it).
        </p>
      )}
      {context.waiting && (
        <p className="meta" role="status">
          Computing the walk for these settings…
        </p>
      )}
      {context.trace && (
        <>
          <OutcomeBanner trace={context.trace} onGo={(stepId) => send({ type: "JUMP_TO_STEP", stepId })} />
          <Stepper
            cursor={context}
            onFirst={() => send({ type: "FIRST" })}
            onBack={() => send({ type: "STEP_BACK" })}
            onForward={() => send({ type: "STEP_FORWARD" })}
            onLast={() => send({ type: "LAST" })}
            onTogglePlay={() => send({ type: "TOGGLE_PLAY" })}
            playing={playing}
          />
          {/* The view comes first: on a phone it sits right under the stepper, the list below it. */}
          <div className="step-lab-body">
            <div className="step-view">
              <StepDetail cursor={context} labId={labId} />
              {view === "chain" ? (
                <ChainView
                  cursor={context}
                  labId={labId}
                  labTitle={title}
                  services={context.services}
                  onServices={(services) => send({ type: "SET_SERVICES", services })}
                  knownCosts={initial.costs}
                />
              ) : (
                <NatView cursor={context} labId={labId} labTitle={title} onJump={jump} />
              )}
            </div>
            <StepList cursor={context} label="Steps and decisions" listRef={listRef} onJump={jump} />
          </div>
          <p className="meta keys-hint">
            Keys: ← → or ↑ ↓ step one decision, Page Up / Page Down one step, Home and End go to either end.{" "}
            <PcapDownload trace={context.trace} label="Download the packets (.pcapng)" />
          </p>
        </>
      )}
    </section>
  );
}
