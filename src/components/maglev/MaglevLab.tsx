import { useMachine } from "@xstate/react";
import { useEffect, useMemo, useRef } from "react";
import {
  labFlows,
  MAGLEV_LAB_LINK_KEYS,
  MAGLEV_LAB_MAX_GFES,
  MAGLEV_LAB_STORY_FLOWS,
  maglevLabMachine,
  maglevLabView,
  pct,
  type MaglevLabLinkState,
} from "../../machines/maglev-lab.machine";
import { onDemand } from "../on-demand";

// Reading and writing permalinks: fetched when a link is opened or the lab first changes, not before.
const loadLink = onDemand(() => import("./maglev-link-module"));
import type { HashingScheme } from "../../sim/edge/maglev-schemes";

export interface MaglevLabProps {
  /** The lab's id on the page: its anchor is `#lab-<labId>`. */
  readonly labId?: string;
  /** The GFEs the table starts with (up to 8 names). */
  readonly gfes?: readonly string[];
  /** The starting table size: a prime, at most 97. */
  readonly size?: number;
  /** Seed of the sample flows. */
  readonly seed?: number;
}

const SCHEME_LABEL: Record<HashingScheme, string> = { maglev: "Maglev", modulo: "hash mod N", rendezvous: "rendezvous" };

/** Add or remove a GFE and watch Maglev's table, each GFE's share and the flows that move, beside hash mod N and rendezvous. */
export default function MaglevLab({ labId = "maglev", gfes, size, seed }: MaglevLabProps) {
  const [snapshot, send] = useMachine(maglevLabMachine, { input: { ...(gfes ? { gfes } : {}), ...(size ? { size } : {}), ...(seed !== undefined ? { seed } : {}) } });
  const { context } = snapshot;
  const view = useMemo(() => maglevLabView(context), [context.size, context.gfes, context.previous, context.storyFlow, context.seed]);
  // The context the lab opened on: nothing to write until it changes.
  const opened = useRef(context);
  // A link into the lab (`?maglev.removed=gfe-2&maglev.step=takeover#lab-maglev`) opens it there. Read after
  // hydration, so the server's markup (the props' state) and the first client render agree.
  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const link: MaglevLabLinkState = Object.fromEntries(MAGLEV_LAB_LINK_KEYS.map((k) => [k, query.get(`${labId}.${k}`)]));
    if (Object.values(link).every((v) => v === null)) return;
    loadLink().then(
      (m) => send({ type: "LOAD_STATE", link, read: m.readMaglevLabLink }),
      () => send({ type: "LINK_FAILED" }),
    );
  }, [labId, send]);
  // Keep the address bar a permalink to what is on screen (soon after the event, not during it).
  useEffect(() => {
    if (context === opened.current) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      loadLink().then((m) => {
        if (cancelled) return;
        const { params, defaults, step } = m.maglevLabLinkParams(context, view.story.steps[context.storyStep]?.id ?? "");
        m.replaceSearch(m.writeLabState(window.location.search, labId, params, defaults, step));
      }, () => undefined);
    }, 0);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [labId, context, view]);
  const colour = (name: string) => `maglev-gfe-${Math.max(0, context.gfes.findIndex((g) => g.name === name)) % MAGLEV_LAB_MAX_GFES}`;
  const id = (part: string) => `${labId}-${part}`;
  const story = view.story;
  const step = Math.min(context.storyStep, story.steps.length - 1);
  const current = story.steps[step]!;
  const storyFlows = useMemo(() => labFlows(context.seed).slice(0, MAGLEV_LAB_STORY_FLOWS), [context.seed]);
  const shownMoved = (s: HashingScheme) => view.flows.filter((f) => f.schemes[s].moved).length;

  return (
    <section className="lab maglev-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>Maglev lab: remove or add a GFE</h3>
      <p className="meta">
        A Maglev table of {view.size} slots over the GFEs in service. Each change is compared with the set just before it.
      </p>

      <div className="controls">
        <label htmlFor={id("size")}>
          Table size M (a prime)
          <input
            id={id("size")}
            type="text"
            inputMode="numeric"
            spellCheck={false}
            autoComplete="off"
            value={context.sizeText}
            aria-invalid={context.errors.size ? true : undefined}
            aria-describedby={context.errors.size ? id("size-error") : undefined}
            onChange={(e) => send({ type: "SET_SIZE", text: e.target.value })}
          />
          {context.errors.size && (
            <span className="error" id={id("size-error")}>
              {context.errors.size} The lab keeps {view.size} slots.
            </span>
          )}
        </label>
        <form
          className="maglev-add"
          onSubmit={(e) => {
            e.preventDefault();
            send({ type: "ADD_GFE" });
          }}
        >
          <label htmlFor={id("name")}>
            New GFE name
            <input
              id={id("name")}
              type="text"
              spellCheck={false}
              autoComplete="off"
              placeholder="gfe-5"
              value={context.nameText}
              aria-invalid={context.errors.name ? true : undefined}
              aria-describedby={context.errors.name ? id("name-error") : undefined}
              onChange={(e) => send({ type: "SET_NAME", text: e.target.value })}
            />
            {context.errors.name && (
              <span className="error" id={id("name-error")}>
                {context.errors.name}
              </span>
            )}
          </label>
          <button type="submit">Add GFE</button>
        </form>
        <button type="button" onClick={() => send({ type: "RESET" })}>
          Reset
        </button>
      </div>

      <fieldset className="maglev-gfes" aria-describedby={context.errors.gfes ? id("gfes-error") : undefined}>
        <legend>GFEs (press to take one out of service or bring it back)</legend>
        {context.errors.gfes && (
          <p className="error" id={id("gfes-error")} role="alert">
            {context.errors.gfes}
          </p>
        )}
        {context.gfes.map((g) => {
          const last = g.live && view.live.length === 1;
          return (
            <button
              key={g.name}
              type="button"
              className={`maglev-gfe ${colour(g.name)}`}
              aria-pressed={g.live}
              disabled={last}
              title={last ? "Maglev needs at least one GFE" : undefined}
              onClick={() => send({ type: "TOGGLE_GFE", name: g.name })}
            >
              {g.name}: {g.live ? "in service" : "removed"}
            </button>
          );
        })}
      </fieldset>

      <p className="maglev-announce" aria-live="polite">
        {context.announcement}
      </p>

      <h4 id={id("table")}>Lookup table</h4>
      <p className="meta">
        {view.changed
          ? `${view.movedSlots} of ${view.size} slots changed owner since the last change (marked “was …”).`
          : "Slot by slot: the GFE each slot names. Remove a GFE to see which slots move."}
      </p>
      <ol className="maglev-slots" aria-labelledby={id("table")} start={0}>
        {view.slots.map((s) => (
          <li key={s.slot} className={`${colour(s.owner)}${s.was ? " moved" : ""}`}>
            <span className="slot-no">slot {s.slot}</span>
            <span className="slot-owner">{s.owner}</span>
            {s.was && <span className="slot-was">was {s.was}</span>}
          </li>
        ))}
      </ol>

      <table className="maglev-shares">
        <caption>Each GFE's share: ⌊M/N⌋ or ⌈M/N⌉ slots</caption>
        <thead>
          <tr>
            <th scope="col">GFE</th>
            <th scope="col">Slots</th>
            <th scope="col">Share</th>
            <th scope="col">Before</th>
          </tr>
        </thead>
        <tbody>
          {view.shares.map((s) => (
            <tr key={s.name}>
              <th scope="row">{s.name}</th>
              <td>{s.slots}</td>
              <td>{pct(s.slots / view.size)}</td>
              <td>{s.before === null ? "new" : s.before}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <table className="maglev-flows">
        <caption>Twelve sample flows: the GFE each scheme sends them to</caption>
        <thead>
          <tr>
            <th scope="col">Flow (client)</th>
            {(["maglev", "modulo", "rendezvous"] as const).map((s) => (
              <th scope="col" key={s}>
                {SCHEME_LABEL[s]} ({shownMoved(s)} moved)
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.flows.map((f, i) => (
            <tr key={f.key}>
              <th scope="row">
                F{i + 1} <span className="flow-key">{f.key.split(" ")[1]}</span>
              </th>
              {(["maglev", "modulo", "rendezvous"] as const).map((s) => {
                const m = f.schemes[s];
                return (
                  <td key={s} className={m.moved ? "moved" : undefined}>
                    {m.moved ? (
                      <>
                        {m.before} → {m.after} <strong>moved</strong>
                      </>
                    ) : (
                      m.after
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>

      <h4>Measured on 1,000 flows</h4>
      {view.changed ? (
        <ul className="maglev-measured">
          {view.measured.map((d) => (
            <li key={d.scheme}>
              <strong>{SCHEME_LABEL[d.scheme]}</strong>: {pct(d.movedShare)} of flows change GFE ({d.forced} had to, {d.needless} moved needlessly)
            </li>
          ))}
        </ul>
      ) : (
        <p className="meta">Nothing has changed yet: every scheme keeps every flow where it is.</p>
      )}

      <h4 id={id("story")}>ECMP and connection tracking, step by step</h4>
      <p className="meta">
        Four Maglevs announce the VIP; the router spreads flows over them by ECMP. Follow one connection while the Maglev
        carrying it is drained{view.changed ? ", after the GFE change above" : ""}.
      </p>
      <div className="controls">
        <label htmlFor={id("flow")}>
          Connection to follow
          <select
            id={id("flow")}
            value={context.storyFlow}
            aria-invalid={context.errors.flow ? true : undefined}
            aria-describedby={context.errors.flow ? id("flow-error") : undefined}
            onChange={(e) => send({ type: "SELECT_FLOW", index: Number(e.target.value) })}
          >
            {storyFlows.map((f, i) => (
              <option key={f.key} value={i}>
                F{i + 1}: {f.key}
              </option>
            ))}
          </select>
          {context.errors.flow && (
            <span className="error" id={id("flow-error")} role="alert">
              {context.errors.flow}
            </span>
          )}
        </label>
      </div>
      {context.errors.step && (
        <p className="error" id={id("step-error")} role="alert">
          {context.errors.step}
        </p>
      )}
      <div
        className="stepper"
        role="group"
        aria-label="Story steps"
        aria-describedby={context.errors.step ? id("step-error") : undefined}
        onKeyDown={(e) => {
          const move = ({ ArrowRight: "STORY_NEXT", ArrowLeft: "STORY_PREV", Home: "STORY_FIRST" } as const)[e.key as "Home"];
          if (!move) return;
          e.preventDefault();
          send({ type: move });
        }}
      >
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "STORY_FIRST" })} disabled={step === 0}>
          First
        </button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "STORY_PREV" })} disabled={step === 0}>
          Back
        </button>
        <button type="button" aria-keyshortcuts="ArrowRight" className="primary" onClick={() => send({ type: "STORY_NEXT" })} disabled={step === story.steps.length - 1}>
          Next
        </button>
        <span className="position">
          Step {step + 1} of {story.steps.length}
        </span>
      </div>
      <ol className="maglev-story" aria-labelledby={id("story")}>
        {story.steps.slice(0, step + 1).map((s, i) => (
          <li key={s.id} aria-current={i === step ? "step" : undefined} className={s.id === "outcome" ? (story.survived ? "ok" : "bad") : undefined}>
            <strong>{s.title}</strong> <span className="actor">({s.actor})</span>
            <p>{s.detail}</p>
          </li>
        ))}
      </ol>
      <table className="maglev-conntrack">
        <caption>Conntrack entries for F{context.storyFlow + 1} after step {step + 1}</caption>
        <thead>
          <tr>
            <th scope="col">Maglev</th>
            <th scope="col">Entry</th>
          </tr>
        </thead>
        <tbody>
          {current.entries.map((e) => (
            <tr key={e.maglev}>
              <th scope="row">{e.maglev}</th>
              <td>{e.backend ? `→ ${e.backend}` : "none"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
