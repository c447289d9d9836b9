import { useEffect, type KeyboardEvent } from "react";
import { useMachine } from "@xstate/react";
import {
  bgpRpkiLabMachine,
  labAnnouncement,
  ROV_MODES,
  type RoaChoice,
  type VrpField,
} from "../../machines/bgp-rpki-lab.machine";
import { ATTACKER_SITES, HIJACK_KINDS, HIJACK_LABELS, rovCapableAses, VICTIMS, type HijackKind, type Victim } from "../../sim/rpki/hijacks";
import { LAB_STAGES, STAGE_LABELS } from "../../sim/rpki/hijack-view";
import { whyVrp } from "../../sim/rpki/rov";
import { formatVrp } from "../../sim/rpki/vrp";
import { parsePrefix } from "../../sim/rpki/prefix";
import { RULE_LABELS } from "../../sim/bgp/decision";
import { siteName } from "../../sim/bgp/anycast";
import type { RovMode } from "../../sim/bgp/types";
import type { SiteId } from "../../sim/geo";
import "../../styles/rpki.css";

const roaLabels = (prefix: string): Record<RoaChoice, string> => ({
  minimal: `Minimal: ${prefix}, maxLength ${prefix.split("/")[1]} (RFC 9319)`,
  loose: `Loose: ${prefix}, maxLength 24`,
  none: "No ROA",
  custom: "The VRP typed below",
});
const ROV_LABELS: Record<RovMode, string> = { off: "no ROV", "drop-invalid": "drop Invalid", "depref-invalid": "lower Invalid's preference" };
const VRP_FIELDS: { field: VrpField; label: string; hint: string }[] = [
  { field: "prefix", label: "VRP prefix", hint: "34.98.0.0/16" },
  { field: "maxLength", label: "maxLength", hint: "16" },
  { field: "asn", label: "Origin ASN", hint: "AS15169" },
];
const CAPABLE = rovCapableAses();
const cityOf = (router: string) => siteName(router.slice(router.indexOf("@") + 1) as SiteId);

export interface BgpRpkiLabProps {
  /** The lab's id on the page: its URL keys are `<labId>.kind`, `.roa`, `.attacker`, `.rov`, `.router`. */
  readonly labId?: string;
  readonly kind?: HijackKind;
}

/** The BGP/RPKI lab: a hijack, the victim's ROA, ROV per AS, and where every network's packets land. */
export default function BgpRpkiLab({ labId = "rpki", kind }: BgpRpkiLabProps) {
  const [snapshot, send] = useMachine(bgpRpkiLabMachine, { input: kind ? { kind } : {} });
  const c = snapshot.context;
  const o = c.outcome;
  const v = c.view;
  const stage = LAB_STAGES[c.stage]!;
  const id = (s: string) => `${labId}-${s}`;

  useEffect(() => {
    const params: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(window.location.search)) if (key.startsWith(`${labId}.`)) params[key.slice(labId.length + 1)] = value;
    if (Object.keys(params).length) send({ type: "LOAD_LINK", params: kind && !params.kind ? { kind, ...params } : params });
  }, [labId, kind, send]);

  // Arrow keys and Home step through the stages while focus is on the stepper or the stage list
  // (never in a select or an input, where the arrows already mean something).
  const onStageKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName !== "BUTTON") return;
    if (e.key === "ArrowRight") send({ type: "STEP_FORWARD" });
    else if (e.key === "ArrowLeft") send({ type: "STEP_BACK" });
    else if (e.key === "Home") send({ type: "GO_TO_STAGE", stage: 0 });
    else return;
    e.preventDefault();
  };
  const routers = o.ases.flatMap((a) => a.routers.map((r) => ({ router: r.router, label: `AS${a.asn} ${a.name} — ${cityOf(r.router)}` })));
  const captured = o.cities.filter((x) => x.captured);
  const hv = o.hijackValidation;

  return (
    <section className="lab rpki-lab" aria-labelledby={id("title")} id={`lab-${labId}`}>
      <h3 id={id("title")}>Hijacks and route-origin validation</h3>
      <p className="meta">
        The victim announces {o.victim.prefix} from AS{o.victim.asn}; users want {o.victim.address}. The attacker is AS{o.attacker.asn}, a customer of AS
        {o.attacker.site.provider} in {cityOf(o.attacker.router)}.
      </p>
      {c.linkProblems.length > 0 && (
        <div role="alert" className="rpki-link-problems">
          {c.linkProblems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <div className="controls">
        <label htmlFor={id("kind")}>
          Hijack
          <select id={id("kind")} value={c.kind} onChange={(e) => send({ type: "SET_KIND", kind: e.target.value as HijackKind })}>
            {HIJACK_KINDS.map((k) => (
              <option key={k} value={k}>
                {HIJACK_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={id("victim")}>
          Victim
          <select id={id("victim")} value={c.victim} onChange={(e) => send({ type: "SET_VICTIM", victim: e.target.value as Victim["id"] })}>
            {Object.values(VICTIMS).map((vi) => (
              <option key={vi.id} value={vi.id}>
                {vi.name} (AS{vi.asn}, {vi.prefix})
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={id("roa")}>
          Victim's ROA
          <select id={id("roa")} value={c.roa} onChange={(e) => send({ type: "SET_ROA", roa: e.target.value as RoaChoice })}>
            {(Object.entries(roaLabels(o.victim.prefix)) as [RoaChoice, string][]).map(([r, label]) => (
              <option key={r} value={r}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={id("attacker")}>
          Attacker buys transit in
          <select id={id("attacker")} value={c.attacker} onChange={(e) => send({ type: "SET_ATTACKER", attacker: e.target.value as "frankfurt" | "singapore" })}>
            {Object.values(ATTACKER_SITES).map((s) => (
              <option key={s.id} value={s.id}>
                {siteName(s.city)} (from AS{s.provider})
              </option>
            ))}
          </select>
        </label>
      </div>

      <fieldset className="rpki-vrp">
        <legend>Type a VRP{c.roa === "custom" ? " (in use)" : " (used when the victim's ROA is “The VRP typed below”)"}</legend>
        {VRP_FIELDS.map(({ field, label, hint }) => {
          const error = c.vrpErrors[field];
          const fid = id(`vrp-${field}`);
          return (
            <label key={field} htmlFor={fid}>
              {label}
              <input
                id={fid}
                type="text"
                spellCheck={false}
                autoComplete="off"
                value={c.vrpText[field]}
                placeholder={hint}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${fid}-error` : undefined}
                onChange={(e) => send({ type: "EDIT_VRP", field, text: e.target.value })}
              />
              {error && (
                <span className="error" id={`${fid}-error`}>
                  {error}
                </span>
              )}
            </label>
          );
        })}
        <p className="meta">In force: {formatVrp(c.customVrp)}</p>
      </fieldset>

      <div className={`outcome ${captured.length ? "outcome-bad" : "outcome-ok"}`}>
        <p>
          <span className="outcome-label">Attacker's route: </span>
          {hv ? (
            <>
              <code>{hv.prefix}</code> with AS_PATH <code>{o.hijackPath!.join(" ")}</code> (origin AS{hv.origin}) is <strong>{hv.state}</strong> — {hv.covering.length} covering VRP
              {hv.covering.length === 1 ? "" : "s"}, {hv.matching.length} matching.
            </>
          ) : c.kind === "address-only" ? (
            "none: an address configured on a server is not a route; no router learns anything."
          ) : (
            "none."
          )}
        </p>
        <p>
          <span className="outcome-label">Captured: </span>
          <strong className="outcome-status">
            {Math.round(o.share.ases * 100)}% of ASes, {captured.length} of {o.cities.length} user cities
          </strong>
          {captured.length ? ` (${captured.map((x) => siteName(x.city)).join(", ")})` : ""}.
        </p>
      </div>

      <h4 id={id("map-title")}>Who routes where (packets for {o.victim.address})</h4>
      <div className="rpki-rov-all">
        <button type="button" onClick={() => send({ type: "SET_ROV_ALL", asns: CAPABLE.map((a) => a.asn), mode: "drop-invalid" })}>
          Every network drops Invalid
        </button>
        <button type="button" onClick={() => send({ type: "SET_ROV_ALL", asns: CAPABLE.map((a) => a.asn), mode: "depref-invalid" })}>
          Every network lowers Invalid
        </button>
        <button type="button" onClick={() => send({ type: "SET_ROV_ALL", asns: [], mode: "off" })}>
          No ROV anywhere
        </button>
      </div>
      <ul className="rpki-ases" aria-labelledby={id("map-title")}>
        {o.ases.map((a) => (
          <li key={a.asn} className="rpki-as">
            <div className="rpki-as-head">
              <span>
                <strong>AS{a.asn}</strong> {a.name}
              </span>
              <label htmlFor={id(`rov-${a.asn}`)}>
                <span className="visually-hidden">Route-origin validation at AS{a.asn}</span>
                <select id={id(`rov-${a.asn}`)} value={a.rov} onChange={(e) => send({ type: "SET_ROV", asn: a.asn, mode: e.target.value as RovMode })}>
                  {ROV_MODES.map((m) => (
                    <option key={m} value={m}>
                      {ROV_LABELS[m]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <ul className="rpki-routers">
              {a.routers.map((r) => {
                const last = r.path.hops[r.path.hops.length - 1];
                return (
                  <li key={r.router} className={r.captured ? "captured" : "safe"}>
                    {cityOf(r.router)}: {r.captured ? <strong>⚠ to the ATTACKER</strong> : r.path.outcome === "delivered" ? `✓ to ${o.victim.name} ${cityOf(last!.router)}` : `✗ ${r.path.outcome}`}{" "}
                    <span className="meta">(matched {r.matched ?? "nothing"})</span>
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>

      <h4 id={id("step-title")}>One router, step by step</h4>
      <div className="controls">
        <label htmlFor={id("router")}>
          Router
          <select id={id("router")} value={c.router} onChange={(e) => send({ type: "SELECT_ROUTER", router: e.target.value })}>
            {routers.map((r) => (
              <option key={r.router} value={r.router}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div onKeyDown={onStageKey}>
      <div className="stepper" role="group" aria-label="Stages at this router">
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "GO_TO_STAGE", stage: 0 })} disabled={c.stage === 0}>
          « Start
        </button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "STEP_BACK" })} disabled={c.stage === 0}>
          ‹ Back
        </button>
        <button type="button" className="primary" aria-keyshortcuts="ArrowRight" onClick={() => send({ type: "STEP_FORWARD" })} disabled={c.stage === LAB_STAGES.length - 1}>
          Next ›
        </button>
        <span className="position">
          Stage {c.stage + 1} of {LAB_STAGES.length}
        </span>
      </div>
      <ol className="rpki-stages">
        {LAB_STAGES.map((s, i) => (
          <li key={s}>
            <button type="button" aria-current={i === c.stage ? "step" : undefined} onClick={() => send({ type: "GO_TO_STAGE", stage: i })}>
              {STAGE_LABELS[s]}
              {i === c.stage ? " (shown)" : ""}
            </button>
          </li>
        ))}
      </ol>
      <div className="step-detail rpki-stage">
        <h5>
          {STAGE_LABELS[stage]} at AS{v.asn} {v.asName}, {cityOf(v.router)}
        </h5>
        <p>{v.sentences[stage]}</p>
        {stage === "validation" && hv && v.received !== "not-received" && (
          <div className="table-scroll">
            <table className="rpki-table">
              <caption className="visually-hidden">VRPs covering {hv.prefix}</caption>
              <thead>
                <tr>
                  <th scope="col">VRP</th>
                  <th scope="col">Against the route</th>
                </tr>
              </thead>
              <tbody>
                {hv.covering.length === 0 ? (
                  <tr>
                    <td colSpan={2}>No VRP covers it: NotFound.</td>
                  </tr>
                ) : (
                  hv.covering.map((vrp) => (
                    <tr key={formatVrp(vrp)}>
                      <td>
                        <code>{formatVrp(vrp)}</code>
                      </td>
                      <td>{whyVrp(vrp, parsePrefix(hv.prefix), hv.origin)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        )}
        {stage === "best-path" && v.decision && v.decision.candidates.length > 0 && (
          <>
            <ol className="rpki-candidates" start={0}>
              {v.decision.candidates.map((r, i) => (
                <li key={i}>
                  #{i}: path <code>{r.asPath.join(" ") || "(originated here)"}</code>, local-pref {r.localPref}, from {r.from.router} ({r.from.kind}){" "}
                  {r.originRouter === o.attacker.router ? <strong>— attacker's route</strong> : ""}
                  {v.decision!.bestIndex === i ? <strong> — chosen</strong> : ""}
                </li>
              ))}
            </ol>
            <ul className="rpki-steps">
              {v.decision.steps.map((st, i) => (
                <li key={i}>
                  {RULE_LABELS[st.rule]}: {st.values.map((x) => `#${x.candidate} ${x.value}`).join(", ")}
                  {st.eliminated.length ? ` — eliminates ${st.eliminated.map((e) => `#${e}`).join(", ")}` : " — no difference"}
                  {st.decisive ? " (decides)" : ""}
                </li>
              ))}
            </ul>
          </>
        )}
        {stage === "fib" && (
          <>
            <ul className="rpki-fib">
              {v.lookup.checks.map((ch) => (
                <li key={ch.prefix}>
                  <code>{ch.prefix}</code> {ch.matches ? (ch.prefix === v.lookup.match ? "✓ longest match" : "✓ matches, shorter") : "✗ does not contain the address"}
                </li>
              ))}
            </ul>
            <p>
              Path: {v.fate.path.hops.map((h) => h.router).join(" → ")} ({v.fate.captured ? "the attacker" : v.fate.path.outcome})
            </p>
          </>
        )}
      </div>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {labAnnouncement(c)}
      </p>
    </section>
  );
}
