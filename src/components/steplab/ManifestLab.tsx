import { useMachine } from "@xstate/react";
import { useEffect, useRef } from "react";
import { isExample, linkFields, manifestLabOnDemand, type ManifestField, type PasteResult } from "../../machines/manifest-lab.machine";
import { positionIndex, positionsOf } from "../../machines/step-lab.machine";
import { useLabProgress } from "../lab/lab-progress";
import { encodeLabInput } from "../../sim/core/permalink";
import "../../styles/steplab.css";
import { ChainView } from "./ChainView";
import { useStepListKeys } from "./keys";
import { loadKubeSimulator, useSimulatorWhileWaiting } from "./load-simulator";
import { OutcomeBanner } from "./OutcomeBanner";
import { StepDetail } from "./StepDetail";
import { StepList } from "./StepList";
import { Stepper } from "./Stepper";
import { hasStepLabState, readStepLabState, scheduleStepLabState } from "./url";
import { YamlProblems } from "./YamlProblems";

export interface ManifestLabProps {
  /** Unique on the page; names the lab's URL keys (`<labId>.in` holds the pasted input) and its anchor. */
  labId: string;
  title: string;
  /** The example's rules and walk, computed when the site is built: `KubeManifestLab.astro` fills it in. */
  initial: PasteResult;
}

const DEFAULT_SERVICES = 1000;

/**
 * "Paste your own": a Service (and its EndpointSlices) in YAML and a packet in; the rules kube-proxy
 * writes for them and the packet's walk through those rules out. Each field shows its own error; a
 * YAML problem is shown at its line; the last good rules stay on screen while an edit is broken.
 */
export default function ManifestLab({ labId, title, initial }: ManifestLabProps) {
  // The lab opens on the build-time example; the simulator is loaded when the learner is about to
  // edit (a field gets focus) or an input needs it (a permalink's own manifest).
  const [snapshot, send] = useMachine(manifestLabOnDemand, { input: { services: DEFAULT_SERVICES, known: initial } });
  const { context } = snapshot;
  useLabProgress(labId, context.trace ? positionIndex(context.trace, context) : -1, context.trace ? positionsOf(context.trace).length : 0);
  const { listRef, onKeyDown } = useStepListKeys(context, send);
  const urlLoaded = useRef(false);
  const editor = useRef<HTMLTextAreaElement>(null);

  // An input is waiting for the simulator: load it (its own chunk, fetched once) and send it in.
  useSimulatorWhileWaiting(
    context.waiting,
    send,
    (simulator) => ({ type: "SIMULATOR_LOADED" as const, paste: simulator.pasteKubeManifest }),
    (error) => ({ type: "SIMULATOR_FAILED" as const, error }),
  );

  /**
   * The learner is about to edit (a field has focus): load the simulator now, so the first edit is
   * computed at once. A failure here is left for that edit to report.
   */
  const prepare = () => {
    if (context.paste) return;
    loadKubeSimulator().then(
      (simulator) => send({ type: "SIMULATOR_LOADED", paste: simulator.pasteKubeManifest }),
      () => {},
    );
  };

  useEffect(() => {
    const state = readStepLabState(window.location.search, labId);
    if (hasStepLabState(state)) send({ type: "LOAD_STATE", input: state.input, stepId: state.stepId, sub: state.sub, services: state.services });
    urlLoaded.current = true;
  }, [labId, send]);

  useEffect(() => {
    if (!urlLoaded.current) return;
    const atFirst = !context.trace || positionIndex(context.trace, context) <= 0;
    return scheduleStepLabState(labId, () => ({
      preset: null,
      input: isExample(context) ? null : encodeLabInput(linkFields(context)),
      stepId: atFirst ? null : context.stepId,
      sub: atFirst || !context.sub ? null : context.sub,
      services: context.services !== DEFAULT_SERVICES ? context.services : null,
      // The paste lab's seed travels inside its encoded input.
      seed: null,
    }));
  }, [labId, context]);



  const goToLine = (line: number, column: number) => {
    const box = editor.current;
    if (!box) return;
    const lines = box.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, column - 1);
    box.focus();
    box.setSelectionRange(start, start);
  };

  const id = (part: string) => `lab-${labId}-${part}`;
  const edit = (field: ManifestField) => (e: { target: { value: string } }) => send({ type: "EDIT", field, value: e.target.value });
  const fieldError = (field: Exclude<ManifestField, "yaml">) => {
    const message = context.errors[field];
    return {
      "aria-invalid": message ? true : undefined,
      "aria-describedby": message ? id(`${field}-error`) : undefined,
    } as const;
  };
  const yamlProblems = context.errors.yaml ?? [];
  const headingId = id("title");

  return (
    <section className="lab step-lab manifest-lab" id={`lab-${labId}`} aria-labelledby={headingId} onKeyDown={onKeyDown} data-pagefind-ignore="all">
      <h3 id={headingId}>{title}</h3>
      {context.errors.link && (
        <p className="error" role="alert">
          {context.errors.link}
        </p>
      )}
      {context.errors.simulator && (
        <p className="error" role="alert">
          {context.errors.simulator}
        </p>
      )}
      <div className="paste-form" onFocus={prepare}>
        <div className="yaml-field">
          <label htmlFor={id("yaml")}>Kubernetes YAML (Services, EndpointSlices or Pods, and Nodes)</label>
          <textarea
            id={id("yaml")}
            ref={editor}
            value={context.yaml}
            onChange={edit("yaml")}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            rows={16}
            aria-invalid={yamlProblems.length ? true : undefined}
            aria-describedby={yamlProblems.length ? id("yaml-error") : undefined}
          />
          {yamlProblems.length > 0 && <YamlProblems id={id("yaml-error")} yaml={context.yaml} problems={yamlProblems} onGoToLine={goToLine} />}
        </div>
        <fieldset className="packet-fields">
          <legend>The packet</legend>
          <label>
            Source IP
            <input type="text" value={context.src} onChange={edit("src")} spellCheck={false} autoComplete="off" {...fieldError("src")} />
          </label>
          {context.errors.src && <p className="error" id={id("src-error")}>{context.errors.src}</p>}
          <label>
            Destination IP:PORT
            <input type="text" value={context.dst} onChange={edit("dst")} spellCheck={false} autoComplete="off" {...fieldError("dst")} />
          </label>
          {context.errors.dst && <p className="error" id={id("dst-error")}>{context.errors.dst}</p>}
          <label>
            Protocol
            <select value={context.protocol} onChange={edit("protocol")} {...fieldError("protocol")}>
              {!["tcp", "udp", "sctp"].includes(context.protocol) && <option value={context.protocol}>{context.protocol}</option>}
              <option value="tcp">tcp</option>
              <option value="udp">udp</option>
              <option value="sctp">sctp</option>
            </select>
          </label>
          {context.errors.protocol && <p className="error" id={id("protocol-error")}>{context.errors.protocol}</p>}
          <label>
            Seed (picks the random draws)
            <input type="text" inputMode="numeric" value={context.seed} onChange={edit("seed")} autoComplete="off" {...fieldError("seed")} />
          </label>
          {context.errors.seed && <p className="error" id={id("seed-error")}>{context.errors.seed}</p>}
          <button type="button" onClick={() => send({ type: "RESET" })}>
            Back to the example
          </button>
        </fieldset>
      </div>
      {context.stale && context.trace && (
        <p className="stale-note" role="status">
          Showing the rules and walk for your last valid input; fix the problem above to update them.
        </p>
      )}
      {context.waiting && (
        <p className="stale-note" role="status">
          Computing the rules and the walk for your input…
        </p>
      )}
      {context.rules !== null && (
        <details className="rules-text">
          <summary>All the rules kube-proxy writes for this manifest (iptables-save)</summary>
          <pre tabIndex={0} aria-label="Generated rules, iptables-save">{context.rules}</pre>
        </details>
      )}
      {context.trace && (
        <div className={context.stale || context.waiting ? "result stale" : "result"}>
          <OutcomeBanner trace={context.trace} onGo={(stepId) => send({ type: "JUMP_TO_STEP", stepId })} />
          <Stepper
            cursor={context}
            onFirst={() => send({ type: "FIRST" })}
            onBack={() => send({ type: "STEP_BACK" })}
            onForward={() => send({ type: "STEP_FORWARD" })}
            onLast={() => send({ type: "LAST" })}
          />
          <div className="step-lab-body">
            <StepList
              cursor={context}
              label="Steps and decisions"
              listRef={listRef}
              onJump={(stepId, sub) => send(sub === null ? { type: "JUMP_TO_STEP", stepId } : { type: "JUMP_TO_SUB", stepId, sub })}
            />
            <div className="step-view">
              <StepDetail cursor={context} labId={labId} />
              <ChainView
                cursor={context}
                labId={labId}
                labTitle={title}
                services={context.services}
                onServices={(services) => send({ type: "SET_SERVICES", services })}
                costs={false}
              />
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
