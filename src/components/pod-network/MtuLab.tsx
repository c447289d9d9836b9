import { TextField } from "../lab/TextField";
import { useEffect, type KeyboardEvent } from "react";
import { useMachine } from "@xstate/react";
import { CNIS } from "../../sim/kube/mtu/cni";
import { mtuLabMachine, type MtuTextField } from "../../machines/mtu-lab.machine";
import type { MtuUnit } from "../../sim/kube/mtu/path";
import "../../styles/pod-network.css";

const TEXT_FIELDS: { field: MtuTextField; label: string; hint: string }[] = [
  { field: "nodeMtu", label: "Node (VPC) MTU, 1300–8896", hint: "1460" },
  { field: "podMtu", label: "Pod interface MTU (blank: the CNI's)", hint: "the CNI's" },
  { field: "size", label: "Packet size in bytes (blank: full size)", hint: "full size" },
  { field: "linkMtu", label: "On-premises link MTU", hint: "1400" },
];

const STATUS_TEXT: Record<string, string> = {
  delivered: "Delivered",
  "delivered-after-pmtud": "Delivered after path MTU discovery",
  "delivered-fragmented": "Delivered in fragments",
  "black-hole": "Black hole: the transfer hangs",
  "not-sent": "Not sent",
};

function packetText(u: MtuUnit | null): string {
  if (!u) return "—";
  return `${u.proto.toUpperCase()} ${u.src} → ${u.dst}, ${u.bytes} bytes${u.outerBytes ? ` (${u.outerBytes} with the overlay)` : ""}, DF=${u.df ? 1 : 0}${u.note ? `, ${u.note}` : ""}`;
}

export interface MtuLabProps {
  /** The lab's id on the page: its URL key is `<labId>.preset`. */
  readonly labId?: string;
  /** vxlan-right, vxlan-pmtud, black-hole, fragments, on-prem, on-prem-black-hole. */
  readonly preset?: string;
}

/** A live packet from a Pod: choose the CNI, MTUs, size, DF and ICMP filtering, and step through what happens. */
export default function MtuLab({ labId = "mtu", preset }: MtuLabProps) {
  const [snapshot, send] = useMachine(mtuLabMachine, { input: { preset } });
  const c = snapshot.context;
  const steps = c.result.trace.steps;
  const current = steps[c.step]!;
  const bad = c.result.status === "black-hole" || c.result.status === "not-sent";

  // Arrow keys, Home and End move the cursor while focus is in the step list (as the buttons' shortcuts say).
  const onKeyDown = (e: KeyboardEvent) => {
    const event = ({ ArrowRight: "NEXT", ArrowDown: "NEXT", ArrowLeft: "PREV", ArrowUp: "PREV", Home: "FIRST", End: "LAST" } as const)[e.key as "Home"];
    if (!event) return;
    e.preventDefault();
    send({ type: event });
  };

  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const named = query.get(`${labId}.preset`)?.trim();
    if (named) send({ type: "LOAD", preset: named });
    const cni = query.get(`${labId}.cni`);
    if (cni && CNIS.some((c) => c.id === cni)) send({ type: "SET_CNI", cni });
    for (const { field } of TEXT_FIELDS) {
      const text = query.get(`${labId}.${field}`);
      if (text !== null) send({ type: "CHANGE", field, text });
    }
    const step = query.get(`${labId}.step`)?.trim();
    if (step) send({ type: "LOAD_STEP", id: step });
  }, [labId, send]);

  return (
    <section className="lab pn-lab" id={`lab-${labId}`} aria-labelledby={`${labId}-title`}>
      <h3 id={`${labId}-title`}>MTU lab: one packet from a Pod</h3>
      {c.linkError && <p role="alert" className="error">{c.linkError}</p>}
      <div className="controls">
        <label htmlFor={`${labId}-cni`}>
          CNI
          <select id={`${labId}-cni`} value={c.cni} onChange={(e) => send({ type: "SET_CNI", cni: e.target.value })}>
            {CNIS.map((cni) => <option key={cni.id} value={cni.id}>{cni.name}</option>)}
          </select>
        </label>
        <label htmlFor={`${labId}-destination`}>
          Destination
          <select id={`${labId}-destination`} value={c.destination} onChange={(e) => send({ type: "SET_DESTINATION", destination: e.target.value as "pod" | "on-prem" })}>
            <option value="pod">a Pod on another node</option>
            <option value="on-prem">a server on premises</option>
          </select>
        </label>
        {TEXT_FIELDS.filter(({ field }) => field !== "linkMtu" || c.destination === "on-prem").map(({ field, label, hint }) => {
          const error = c.errors[field];
          const id = `${labId}-${field}`;
          return <TextField key={field} id={id} label={label} hint={hint} numeric value={c.texts[field]} error={error} onChange={(text) => send({ type: "CHANGE", field, text })} />;
        })}
      </div>
      <div className="pn-checks">
        <label>
          <input type="checkbox" checked={c.df} onChange={() => send({ type: "TOGGLE", flag: "df" })} /> Don't Fragment (DF) set
        </label>
        <label>
          <input type="checkbox" checked={c.icmpFiltered} onChange={() => send({ type: "TOGGLE", flag: "icmpFiltered" })} /> A firewall drops ICMP
        </label>
      </div>
      <p className="meta">
        Pod MTU {c.result.podMtu}
        {c.result.overhead ? `, overlay ${c.result.overhead} bytes` : ", no overlay on this path"}; path MTU {c.result.pathMtu}.
        {Object.keys(c.errors).length > 0 && " (Showing the last valid trace until the highlighted field is fixed.)"}
      </p>
      <p className={`pn-verdict${bad ? " pn-bad" : ""}`} aria-live="polite">
        <strong>{STATUS_TEXT[c.result.status]}.</strong>
        {c.result.trace.outcome.summary}
      </p>
      <div className="stepper" role="group" aria-label="Step through the packet's path">
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "FIRST" })} disabled={c.step === 0}>« First</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "PREV" })} disabled={c.step === 0}>‹ Previous</button>
        <button type="button" aria-keyshortcuts="ArrowRight" onClick={() => send({ type: "NEXT" })} disabled={c.step === steps.length - 1}>Next ›</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => send({ type: "LAST" })} disabled={c.step === steps.length - 1}>Last »</button>
        <span className="position">Step {c.step + 1} of {steps.length}</span>
      </div>
      <ol className="pn-steps" onKeyDown={onKeyDown}>
        {steps.map((s, i) => (
          <li key={s.id}>
            <button type="button" aria-current={i === c.step ? "step" : undefined} onClick={() => send({ type: "GOTO", step: i })}>
              {i + 1}. {s.node.name} — {s.events[0]?.type ?? s.stage}
            </button>
          </li>
        ))}
      </ol>
      <div className="pn-step-detail" aria-live="polite">
        <p><strong>Step {c.step + 1}: {current.node.name}</strong></p>
        <ul>
          {current.events.map((e, i) => <li key={i}>{e.text}</li>)}
          {current.sub.map((sub, i) => <li key={`s${i}`}><span className="pn-packet">{sub.label}</span>: {sub.detail}</li>)}
        </ul>
        <p className="pn-packet">in: {packetText(current.in)}</p>
        <p className="pn-packet">out: {packetText(current.out)}</p>
      </div>
    </section>
  );
}
