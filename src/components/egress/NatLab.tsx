import { TextField } from "../lab/TextField";
import { useEffect } from "react";
import { useMachine } from "@xstate/react";
import { DESTINATION_KINDS, NAT_TEXT_FIELDS, natLabMachine, type NatTextField } from "../../machines/nat-lab.machine";
import { destinationOf, type EgressSetup } from "../../sim/kube/egress/path";
import "../../styles/egress.css";

const FIELDS: Readonly<Record<NatTextField, { label: string; hint: string; numeric: boolean }>> = {
  vms: { label: "VMs (GKE nodes) the gateway serves", hint: "3", numeric: true },
  natIps: { label: "NAT IP addresses", hint: "1", numeric: true },
  minPorts: { label: "Min ports per VM", hint: "64 static, 32 dynamic", numeric: true },
  maxPorts: { label: "Max ports per VM (dynamic only; optional)", hint: "65536", numeric: true },
  connections: { label: "Concurrent connections from node-0", hint: "70", numeric: true },
  to: { label: "…all to one destination (IP:PORT/PROTO)", hint: "8.8.8.8:443/tcp", numeric: false },
};

const NAT_COVERAGE: Readonly<Record<EgressSetup["nat"], string>> = {
  none: "No Cloud NAT gateway",
  primary: "Cloud NAT for the node (primary) range",
  all: "Cloud NAT for node and Pod ranges",
};

const PATH_KEYS = ["destination", "pga", "nat", "from", "masquerade"] as const;
const KNOWN_KEYS = ["preset", ...NAT_TEXT_FIELDS, "dynamic", "eim", "inbound", ...PATH_KEYS];
const SHOWN_PORTS = 256;
const n = (x: number) => x.toLocaleString("en");

export interface NatLabProps {
  /** The lab's id on the page: its URL keys are `<labId>.preset`, `<labId>.vms` … */
  readonly labId?: string;
  /** A named starting point: default, full, dynamic, no-pga. */
  readonly preset?: string;
}

function readBool(v: string): boolean | null {
  return v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : null;
}

/** Size a Cloud NAT gateway, fill one node's port table towards OUT_OF_RESOURCES, and choose a destination to see which way a packet leaves. */
export default function NatLab({ labId = "nat", preset }: NatLabProps) {
  const [snapshot, send] = useMachine(natLabMachine, { input: { preset } });
  const { texts, dynamic, eim, errors, run, path, trace, inbound, linkError } = snapshot.context;

  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const get = (k: string) => query.get(`${labId}.${k}`)?.trim() || undefined;
    const invalid: string[] = [];
    const texts = Object.fromEntries(NAT_TEXT_FIELDS.flatMap((f) => (get(f) === undefined ? [] : [[f, get(f)!]])));
    const bool = (k: string) => {
      const v = get(k);
      if (v === undefined) return undefined;
      const b = readBool(v);
      if (b === null) invalid.push(k);
      return b ?? undefined;
    };
    const setup: Partial<{ -readonly [K in keyof EgressSetup]: EgressSetup[K] }> = {};
    const destination = get("destination");
    if (destination !== undefined) {
      if ((DESTINATION_KINDS as readonly string[]).includes(destination)) setup.destination = destination as EgressSetup["destination"];
      else invalid.push("destination");
    }
    const nat = get("nat");
    if (nat !== undefined) {
      if (nat === "none" || nat === "primary" || nat === "all") setup.nat = nat;
      else invalid.push("nat");
    }
    const from = get("from");
    if (from !== undefined) {
      if (from === "pod" || from === "node") setup.from = from;
      else invalid.push("from");
    }
    const pga = bool("pga");
    if (pga !== undefined) setup.pga = pga;
    const masquerade = bool("masquerade");
    if (masquerade !== undefined) setup.masquerade = masquerade;
    const dyn = bool("dynamic");
    const e = bool("eim");
    const inb = bool("inbound");
    const named = get("preset");
    const ignored = [...new Set([...query.keys()].filter((k) => k.startsWith(`${labId}.`) && !KNOWN_KEYS.includes(k.slice(labId.length + 1)) && query.get(k)!.trim() !== "").map((k) => k.slice(labId.length + 1)))].slice(0, 5);
    if (named || ignored.length || invalid.length || Object.keys(texts).length || Object.keys(setup).length || dyn !== undefined || e !== undefined || inb !== undefined) {
      send({ type: "LOAD", preset: named, texts, dynamic: dyn, eim: e, path: setup, inbound: inb, ignored, invalid });
    }
  }, [labId, send]);

  const node0 = run?.vms[0];
  const used = new Set<string>();
  if (run) for (const c of run.connections) if (c.nat && c.vm === 0) used.add(`${c.nat.ip}:${c.nat.port}`);
  const ports = node0 ? node0.blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => ({ ip: b.natIp, port: b.first + i }))) : [];
  const requested = run?.connections.length ?? 0;
  const dest = destinationOf(path.destination);

  return (
    <section className="lab eg-lab" id={`lab-${labId}`} aria-labelledby={`${labId}-title`}>
      <h3 id={`${labId}-title`}>Cloud NAT ports and paths</h3>
      {linkError && <p role="alert" className="error">{linkError}</p>}
      <h4>The gateway</h4>
      <div className="controls">
        {NAT_TEXT_FIELDS.map((field) => {
          const { label, hint, numeric } = FIELDS[field];
          const error = errors[field];
          const id = `${labId}-${field}`;
          return <TextField key={field} id={id} label={label} hint={hint} numeric={numeric} value={texts[field]} error={error} onChange={(text) => send({ type: "CHANGE", field, text })} />;
        })}
      </div>
      <div className="eg-checks">
        <label htmlFor={`${labId}-dynamic`}>
          <input id={`${labId}-dynamic`} type="checkbox" checked={dynamic} onChange={() => send({ type: "TOGGLE", field: "dynamic" })} />
          Dynamic port allocation
        </label>
        <label htmlFor={`${labId}-eim`}>
          <input id={`${labId}-eim`} type="checkbox" checked={eim} aria-invalid={errors.eim ? true : undefined} aria-describedby={errors.eim ? `${labId}-eim-error` : undefined} onChange={() => send({ type: "TOGGLE", field: "eim" })} />
          Endpoint-independent mapping
        </label>
        {errors.eim && <span className="error" id={`${labId}-eim-error`}>{errors.eim}</span>}
      </div>
      <div aria-live="polite" className="eg-result">
        {run && node0 ? (
          <>
            <p className={`eg-verdict${run.firstDrop ? " eg-bad" : ""}`}>
              <strong>{run.firstDrop ? "Dropped:" : "All fit:"}</strong>
              {run.firstDrop
                ? `${n(run.translated)} of ${n(requested)} connections translated; connection #${n(run.firstDrop.index + 1)} is the first dropped — ${run.firstDrop.drop!.reason}: ${run.firstDrop.drop!.why}.`
                : `all ${n(requested)} connections translated.`}
            </p>
            <dl>
              <dt>Ports per NAT IP</dt>
              <dd>64,512 (1024–65535), {n(run.totalPorts)} in all</dd>
              <dt>VMs per NAT IP</dt>
              <dd>{n(run.vmsPerNatIp)} (64,512 ÷ {run.config.minPorts})</dd>
              <dt>NAT IPs needed</dt>
              <dd>{Number.isFinite(run.natIpsNeeded) ? n(run.natIpsNeeded) : "—"} for {n(run.vms.length)} VMs ({run.config.natIps} configured{run.vms.some((v) => v.ports === 0) ? `; ${n(run.vms.filter((v) => v.ports === 0).length)} ${run.vms.filter((v) => v.ports === 0).length === 1 ? "VM gets" : "VMs get"} no ports` : ""})</dd>
              <dt>node-0 holds</dt>
              <dd>{node0.ports ? `${n(node0.ports)} ports: ${node0.blocks.map((b) => `${b.natIp}:${b.first}–${b.first + b.count - 1}`).join(", ")}` : "no ports"}</dd>
            </dl>
            {run.config.notes.map((note) => <p key={note} className="meta">{note}</p>)}
            {ports.length > 0 && (
              <>
                <p className="meta" id={`${labId}-ports-caption`}>node-0's port table{ports.length > SHOWN_PORTS ? ` (first ${SHOWN_PORTS} of ${n(ports.length)})` : ""}: ✓ carries a connection to {texts.to}, · free.</p>
                <ul className="eg-ports" aria-labelledby={`${labId}-ports-caption`}>
                  {ports.slice(0, SHOWN_PORTS).map(({ ip, port }) => {
                    const busy = used.has(`${ip}:${port}`);
                    return <li key={`${ip}:${port}`} className={busy ? "eg-used" : "eg-free"}>{port}<span aria-hidden="true">{busy ? " ✓" : " ·"}</span><span className="visually-hidden">{busy ? " in use" : " free"}</span></li>;
                  })}
                </ul>
              </>
            )}
          </>
        ) : (
          <p className="meta">Fix the highlighted field to see the port table.</p>
        )}
      </div>

      <h4>Which way does a packet leave?</h4>
      <div className="controls">
        <label htmlFor={`${labId}-destination`}>
          Destination
          <select id={`${labId}-destination`} value={path.destination} onChange={(ev) => send({ type: "SET_PATH", setup: { destination: ev.target.value as EgressSetup["destination"] } })}>
            {DESTINATION_KINDS.map((k) => {
              const d = destinationOf(k);
              return <option key={k} value={k}>{d.label}{d.host !== d.label ? ` (${d.host})` : ""}</option>;
            })}
          </select>
        </label>
        <label htmlFor={`${labId}-nat`}>
          Cloud NAT
          <select id={`${labId}-nat`} value={path.nat} onChange={(ev) => send({ type: "SET_PATH", setup: { nat: ev.target.value as EgressSetup["nat"] } })}>
            {(Object.keys(NAT_COVERAGE) as EgressSetup["nat"][]).map((k) => <option key={k} value={k}>{NAT_COVERAGE[k]}</option>)}
          </select>
        </label>
        <label htmlFor={`${labId}-from`}>
          Sender
          <select id={`${labId}-from`} value={path.from} onChange={(ev) => send({ type: "SET_PATH", setup: { from: ev.target.value as EgressSetup["from"] } })}>
            <option value="pod">A Pod (10.4.1.5)</option>
            <option value="node">The node itself (10.128.0.2)</option>
          </select>
        </label>
      </div>
      <div className="eg-checks">
        <label htmlFor={`${labId}-pga`}>
          <input id={`${labId}-pga`} type="checkbox" checked={path.pga} onChange={() => send({ type: "SET_PATH", setup: { pga: !path.pga } })} />
          Private Google Access on the subnet
        </label>
        <label htmlFor={`${labId}-masquerade`}>
          <input id={`${labId}-masquerade`} type="checkbox" checked={path.masquerade} onChange={() => send({ type: "SET_PATH", setup: { masquerade: !path.masquerade } })} />
          ip-masq-agent masquerades (GKE default)
        </label>
        <button type="button" aria-pressed={inbound} onClick={() => send({ type: "INBOUND", on: !inbound })}>
          {inbound ? "Back to the outbound packet" : "Send an unsolicited inbound packet"}
        </button>
      </div>
      <div aria-live="polite" className="eg-result">
        <p className={`eg-verdict${trace.outcome === "no-route" || trace.outcome === "dropped-inbound" ? " eg-bad" : ""}`}>
          <strong>{inbound ? "Inbound:" : `${dest.host}:`}</strong>
          {trace.summary}
        </p>
        <ol className="eg-steps">
          {trace.steps.map((s) => (
            <li key={s.id}>
              <span className="eg-where">{s.where}</span> {s.text}
              {s.packet && <span className="eg-packet"> {s.packet.src} → {s.packet.dst}</span>}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
