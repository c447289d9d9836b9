import { useMachine } from "@xstate/react";
import { useEffect, useId, useMemo, type KeyboardEvent } from "react";
import { AS_NAMES, bgpLabMachine, bgpLabView, LAB_PREFIXES, LAB_ROUTERS, type LabPrefix } from "../../machines/bgp-lab.machine";
import { RULE_LABELS } from "../../sim/bgp/decision";
import { ANYCAST_SITES } from "../../sim/bgp/default-topology";
import type { Route, RouterName } from "../../sim/bgp/types";
import { site, type SiteId } from "../../sim/geo";
import "../../styles/bgp.css";

export interface BgpLabProps {
  /** Which part to show: the best-path stepper, the anycast map, or both. */
  readonly view?: "decision" | "anycast" | "both";
  /** The router the stepper starts at (ASN@city), e.g. "3356@madrid". */
  readonly router?: string;
  readonly prefix?: LabPrefix;
  /** The lab's id on the page: its anchor is `#lab-<labId>` (questions link there). */
  readonly labId?: string;
}

const cityName = (id: SiteId) => site(id).name;
const routerLabel = (r: RouterName) => {
  const [asn, city] = r.split("@");
  return `AS${asn} ${AS_NAMES.get(Number(asn)) ?? ""} — ${cityName(city as SiteId)}`;
};
const pathText = (r: Route) => (r.asPath.length ? r.asPath.join(" ") : "originated here");

/** BGP's best-path selection at one router, rule by rule, then its FIB; and where anycast takes each city. */
export default function BgpLab({ view = "both", router, prefix, labId }: BgpLabProps) {
  const [snapshot, send] = useMachine(bgpLabMachine, { input: { ...(router ? { router } : {}), ...(prefix ? { prefix } : {}) } });
  const c = snapshot.context;
  const v = useMemo(() => bgpLabView(c), [c]);
  const id = useId();
  const lab = labId ?? (view === "anycast" ? "anycast" : "bgp");
  // Settings a link carries (`?bgp.router=3215@paris&bgp.step=3`), read once the page is interactive.
  useEffect(() => {
    const values: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(window.location.search)) if (key.startsWith(`${lab}.`)) values[key.slice(lab.length + 1)] = value;
    if (Object.keys(values).length) send({ type: "LINK", values, labId: lab });
  }, [lab, send]);
  const d = v.decision;
  const ruleSteps = d.steps.length;
  const shownRules = Math.min(c.step, ruleSteps);
  const shownFib = Math.max(0, c.step - ruleSteps);
  const out = new Set(d.steps.slice(0, shownRules).flatMap((s) => s.eliminated));
  const current = c.step === 0 ? null : c.step <= ruleSteps ? d.steps[c.step - 1]! : null;
  const fibCheck = c.step > ruleSteps && v.fib ? v.fib.checks[c.step - ruleSteps - 1] : null;
  const done = c.step >= v.totalSteps;
  const p = LAB_PREFIXES[c.prefix];

  const status = current
    ? `Rule ${c.step} of ${ruleSteps}, ${current.label}: ${current.eliminated.length ? `removes ${current.eliminated.map((i) => `route ${i + 1}`).join(", ")}` : "all tie"}${current.decisive ? "; one route left, it is the best" : ""}.`
    : fibCheck
      ? `FIB entry ${c.step - ruleSteps} of ${v.fib!.checks.length}: ${fibCheck.prefix} ${fibCheck.matches ? "matches" : "does not match"} ${v.address}.${done ? ` Longest match: ${v.fib!.match ?? "none, the packet is dropped"}.` : ""}`
      : `${d.candidates.length} route${d.candidates.length === 1 ? "" : "s"} to ${d.prefix} at ${c.router}. Step forward to compare them.`;

  const withdrawn = c.withdrawn[c.prefix];
  // Arrow keys, Home and End step the decision while focus is on the stepper or the routes (not in a field).
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).closest("input, select, textarea")) return;
    const event = ({ ArrowRight: "STEP_FORWARD", ArrowLeft: "STEP_BACK", Home: "STEP_RESET", End: "STEP_END" } as const)[e.key as "ArrowRight"];
    if (!event) return;
    e.preventDefault();
    send({ type: event });
  };
  const decisionPart = (
    <div className="bgp-decision" onKeyDown={onKeyDown}>
      <div className="controls">
        <label htmlFor={`${id}-router`}>
          Router
          <select id={`${id}-router`} value={c.router} onChange={(e) => send({ type: "SELECT_ROUTER", router: e.target.value })}>
            {LAB_ROUTERS.map((r) => <option key={r} value={r}>{routerLabel(r)}</option>)}
          </select>
        </label>
        <label htmlFor={`${id}-address`}>
          Destination address
          <input
            id={`${id}-address`} type="text" spellCheck={false} autoComplete="off" value={c.addressText} placeholder={p.address}
            aria-invalid={c.addressError ? true : undefined} aria-describedby={c.addressError ? `${id}-address-error` : undefined}
            onChange={(e) => send({ type: "SET_ADDRESS", text: e.target.value })}
          />
          {c.addressError && <span className="error" id={`${id}-address-error`}>{c.addressError}</span>}
        </label>
      </div>
      <div className="stepper" role="group" aria-label="Step through the decision">
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "STEP_RESET" })} disabled={c.step === 0}>Start</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "STEP_BACK" })} disabled={c.step === 0}>Back</button>
        <button type="button" aria-keyshortcuts="ArrowRight" className="primary" onClick={() => send({ type: "STEP_FORWARD" })} disabled={done}>Next rule</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => send({ type: "STEP_END" })} disabled={done}>End</button>
        <span className="position">Step {c.step} of {v.totalSteps}</span>
      </div>
      <p className="bgp-status" aria-live="polite">{status}</p>
      <ol className="bgp-candidates" aria-label={`Routes to ${d.prefix} at ${c.router}`}>
        {d.candidates.map((r, i) => {
          const gone = out.has(i);
          const won = shownRules === ruleSteps && c.step > 0 && i === d.bestIndex || (ruleSteps === 0 && i === d.bestIndex);
          return (
            <li key={r.from.router} className={gone ? "out" : won ? "best" : undefined}>
              <span className="bgp-tag">{gone ? "✗ out" : won ? "★ best" : "• in"}</span>{" "}
              <strong>Route {i + 1}</strong>: AS path <code>{pathText(r)}</code>, from {r.from.router} ({r.from.kind === "local" ? "this router" : r.from.kind === "ibgp" ? "iBGP" : `eBGP, ${r.learnedAs}${r.from.viaRouteServer ? " via route server" : ""}`}),
              local-pref {r.localPref}, MED {r.med ?? "none"}, origin {r.origin.toUpperCase()}, IGP cost {r.igpCost.toLocaleString("en-US")} km, leads to {cityName(r.originRouter.split("@")[1] as SiteId)}
              {current && current.values.some((x) => x.candidate === i) && (
                <span className="bgp-value"> — {current.label}: {current.values.find((x) => x.candidate === i)!.value}{current.eliminated.includes(i) ? " (eliminated)" : ""}</span>
              )}
            </li>
          );
        })}
      </ol>
      {d.rejected.length > 0 && (
        <p className="muted small">Refused at import: {d.rejected.map((r) => `${r.route.from.router} (${r.detail})`).join("; ")}.</p>
      )}
      {current && <p className="bgp-note">{current.note}</p>}
      {shownRules === ruleSteps && c.step > 0 && <p className="bgp-note"><strong>Decided by {d.decidedBy ? RULE_LABELS[d.decidedBy] : "—"}.</strong> {v.explanation}</p>}
      {shownFib > 0 && v.fib && (
        <>
          <h4>FIB: longest-prefix match for {v.address}</h4>
          <ol className="bgp-fib">
            {v.fib.checks.slice(0, shownFib).map((f) => (
              <li key={f.prefix}>{f.matches ? "✓ match" : "✗ no match"}: <code>{f.prefix}</code> (/{f.length}) → next hop {f.nextHop}</li>
            ))}
          </ol>
          {done && (
            <p>
              {v.fib.match ? <>Longest match <code>{v.fib.match}</code>. </> : "No route: the packet is dropped. "}
              {v.path && v.path.hops.length > 0 && <>Path: {v.path.hops.map((h) => h.router).join(" → ")} ({v.path.outcome === "delivered" ? `delivered at ${v.path.deliveredAt}` : v.path.outcome}).</>}
            </p>
          )}
        </>
      )}
    </div>
  );

  const anycastPart = (
    <div className="bgp-anycast">
      <fieldset className="bgp-sites">
        <legend>{p.name} sites announcing {p.prefix} (untick to withdraw)</legend>
        {ANYCAST_SITES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={!withdrawn.includes(s)} onChange={() => send({ type: "TOGGLE_SITE", site: s })} /> {cityName(s)}
          </label>
        ))}
      </fieldset>
      <table className="bgp-map">
        <caption>Where each city's packets for {p.address} land</caption>
        <thead><tr><th scope="col">User city</th><th scope="col">BGP takes it to</th><th scope="col">Nearest site</th><th scope="col">Why</th></tr></thead>
        <tbody aria-live="polite">
          {v.anycast.map((o) => (
            <tr key={o.city} className={o.agrees ? undefined : "differs"}>
              <th scope="row">{cityName(o.city)}</th>
              <td>{o.reached ? `${cityName(o.reached)} (${o.reachedKm!.toLocaleString("en-US")} km)` : "no route"}</td>
              <td>{o.nearest ? cityName(o.nearest) : "—"}{o.agrees ? " (same)" : " — differs"}</td>
              <td className="small">{o.rule ? `${RULE_LABELS[o.rule]}${o.decidingRouter ? ` at ${o.decidingRouter}` : ""}` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <section className="lab bgp-lab" id={`lab-${lab}`} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{view === "anycast" ? "Anycast map" : "BGP best-path stepper"}</h3>
      {c.linkProblems.length > 0 && (
        <div role="alert" className="error">
          {c.linkProblems.map((m) => <p key={m}>{m}</p>)}
        </div>
      )}
      <div className="controls" role="radiogroup" aria-label="Prefix">
        {(Object.keys(LAB_PREFIXES) as LabPrefix[]).map((k) => (
          <label key={k} className="inline">
            <input type="radio" name={`${id}-prefix`} checked={c.prefix === k} onChange={() => send({ type: "SELECT_PREFIX", prefix: k })} />{" "}
            {LAB_PREFIXES[k].name} {LAB_PREFIXES[k].prefix}
          </label>
        ))}
      </div>
      {view !== "anycast" && decisionPart}
      {view !== "decision" && anycastPart}
    </section>
  );
}
