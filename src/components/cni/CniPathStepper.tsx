import { useEffect, useRef, type KeyboardEvent } from "react";
import { useMachine } from "@xstate/react";
import { cniPathMachine } from "../../machines/cni-path.machine";
import { CNI_IDS, CNI_NAMES, CNI_OVERLAYS, PATH_KINDS, type CniHop, type CniId, type CniPath, type Overlay, type PathKind } from "../../sim/kube/cni/path";
import { useIgnoredLinkKeys } from "../lab/ignored-link-keys";
import { useLabProgress } from "../lab/lab-progress";
import "../../styles/pod-network.css";
import "../../styles/cni.css";

const PATH_TEXT: Record<PathKind, string> = {
  "same-node": "Pod to Pod, same node",
  "cross-node": "Pod to Pod, across nodes",
  "host-network": "hostNetwork Pod to a Pod on another node",
  "same-pod": "container to container in one Pod",
};

const OVERLAY_TEXT: Record<Overlay, string> = { none: "none (native routing)", vxlan: "VXLAN", geneve: "Geneve", ipip: "IP-in-IP" };

export interface CniPathStepperProps {
  /** The lab's id on the page: its URL keys are `<labId>.cni`, `.path`, `.overlay`, `.step`. */
  readonly labId?: string;
  /** gke-legacy, kubenet, calico, dataplane-v2. */
  readonly cni?: CniId;
  /** same-node, cross-node, host-network, same-pod. */
  readonly path?: PathKind;
  /** none, vxlan, geneve, ipip (as the CNI allows). */
  readonly overlay?: Overlay;
}

type Region = "a-client" | "a-local" | "a-root" | "a-tunnel" | "a-eth0" | "wire" | "b-eth0" | "b-tunnel" | "b-root" | "b-web" | "a-bridge" | "b-bridge";

/** Where in the diagram a hop happens. */
function regionOf(h: CniHop, p: CniPath): Region {
  const side = h.node === "node-b" ? "b" : "a";
  switch (h.kind) {
    case "send": return p.path === "host-network" ? "a-root" : "a-client";
    case "loopback": return "a-client";
    case "deliver": return p.path === "same-pod" ? "a-client" : p.path === "same-node" ? "a-local" : "b-web";
    case "wire": return "wire";
    case "encap": return "a-tunnel";
    case "decap": return "b-tunnel";
    case "bridge": return "a-bridge";
    case "veth": return side === "a" ? "a-root" : "b-root";
    case "route": return p.cni === "kubenet" ? `${side}-bridge` : `${side}-root`;
    case "ebpf": return `${side}-root`;
  }
}

const REGION_TEXT: Record<Region, string> = {
  "a-client": "Pod client's namespace", "a-local": "Pod web-local's namespace", "a-root": "node-a's root namespace", "a-tunnel": "node-a's tunnel device",
  "a-eth0": "node-a's eth0", wire: "the VPC between the nodes", "b-eth0": "node-b's eth0", "b-tunnel": "node-b's tunnel device", "b-root": "node-b's root namespace",
  "b-web": "Pod web's namespace", "a-bridge": "node-a's cbr0 bridge", "b-bridge": "node-b's cbr0 bridge",
};

function Box({ id, here, x, y, w, h, label, sub }: { id: Region; here: Region; x: number; y: number; w: number; h: number; label: string; sub?: string }) {
  const on = id === here;
  return (
    <g className={on ? "cni-here" : undefined}>
      <rect x={x} y={y} width={w} height={h} rx={4} className="cni-box" strokeDasharray={on ? "5 3" : undefined} />
      <text x={x + 4} y={y + 12} className="cni-label">{on ? "▶ " : ""}{label}</text>
      {sub && <text x={x + 4} y={y + 24} className="cni-sub">{sub}</text>}
    </g>
  );
}

function Diagram({ p, hop }: { p: CniPath; hop: CniHop }) {
  const here = regionOf(hop, p);
  const tunnel = p.overlay !== "none";
  const bridge = p.cni === "kubenet";
  const vethA = p.cni === "kubenet" ? "veth…" : p.cni === "calico" ? "cali…" : p.cni === "dataplane-v2" ? "lxc…" : "gke…";
  return (
    <svg className="cni-diagram" viewBox="0 0 360 228" role="img" aria-label={`Two nodes, node-a and node-b, their Pods and the VPC between them; the current hop is in ${REGION_TEXT[here]}.`}>
      <rect x={2} y={2} width={174} height={186} rx={6} className="cni-node" />
      <text x={8} y={16} className="cni-label">node-a 10.128.0.2</text>
      <rect x={184} y={2} width={174} height={186} rx={6} className="cni-node" />
      <text x={190} y={16} className="cni-label">node-b 10.128.0.3</text>
      <Box id="a-client" here={here} x={8} y={24} w={78} h={40} label="client" sub={p.path === "same-pod" ? "lo · 2 containers" : p.path === "host-network" ? "(Pod unused)" : "eth0 10.4.0.5"} />
      <Box id="a-local" here={here} x={92} y={24} w={78} h={40} label="web-local" sub="eth0 10.4.0.7" />
      <Box id="b-web" here={here} x={190} y={24} w={78} h={40} label="web" sub="eth0 10.4.1.9" />
      <line x1={47} y1={64} x2={47} y2={78} className="cni-link" />
      <line x1={131} y1={64} x2={131} y2={78} className="cni-link" />
      <line x1={229} y1={64} x2={229} y2={78} className="cni-link" />
      <text x={50} y={75} className="cni-sub">{vethA}</text>
      {bridge
        ? <Box id="a-bridge" here={here} x={8} y={78} w={162} h={26} label="cbr0 bridge 10.4.0.1" />
        : null}
      <Box id="a-root" here={here} x={8} y={bridge ? 108 : 78} w={162} h={bridge ? 30 : 60} label="root namespace" sub={p.cni === "dataplane-v2" ? "eBPF on the veth / eth0" : p.path === "host-network" ? "hostNetwork Pod's sockets" : "routes, iptables"} />
      {bridge
        ? <Box id="b-bridge" here={here} x={190} y={78} w={162} h={26} label="cbr0 bridge 10.4.1.1" />
        : null}
      <Box id="b-root" here={here} x={190} y={bridge ? 108 : 78} w={162} h={bridge ? 30 : 60} label="root namespace" sub={p.cni === "dataplane-v2" ? "eBPF on eth0" : "routes, iptables"} />
      {tunnel && <Box id="a-tunnel" here={here} x={8} y={142} w={78} h={22} label={p.overlay === "ipip" ? "tunl0" : p.cni === "calico" ? "vxlan.calico" : `cilium_${p.overlay}`} />}
      {tunnel && <Box id="b-tunnel" here={here} x={190} y={142} w={78} h={22} label={p.overlay === "ipip" ? "tunl0" : p.cni === "calico" ? "vxlan.calico" : `cilium_${p.overlay}`} />}
      <text x={120} y={178} className="cni-sub">eth0</text>
      <text x={302} y={178} className="cni-sub">eth0</text>
      <g className={here === "wire" ? "cni-here" : undefined}>
        <line x1={130} y1={188} x2={130} y2={206} className="cni-link" />
        <line x1={312} y1={188} x2={312} y2={206} className="cni-link" />
        <line x1={130} y1={206} x2={312} y2={206} className={here === "wire" ? "cni-wire cni-wire-on" : "cni-wire"} strokeDasharray={here === "wire" ? "6 3" : undefined} />
        <text x={150} y={222} className="cni-label">{here === "wire" ? "▶ " : ""}VPC {tunnel ? "(sees node addresses)" : "(sees Pod addresses)"}</text>
      </g>
    </svg>
  );
}

function Bytes({ p }: { p: CniPath }) {
  const enc = p.encapsulation!;
  return (
    <div className="cni-bytes">
      <p>
        The example packet's outer headers: {enc.frameOverhead} bytes in front of the Pod's IP packet, {enc.mtuOverhead} of them counted against the MTU
        (the outer Ethernet header is the link's own framing).
      </p>
      {enc.layers.map((l) => (
        <table key={l.name} className="cni-fields">
          <caption>{l.name}: {l.bytes} bytes{l.countsAgainstMtu ? "" : " (outside the MTU)"}</caption>
          <thead><tr><th scope="col">Field</th><th scope="col">Bytes</th><th scope="col">Means</th></tr></thead>
          <tbody>
            {l.fields.map((f) => (
              <tr key={`${f.offset}-${f.name}`}><th scope="row">+{f.offset} {f.name}</th><td className="cni-hex">{f.hex}</td><td>{f.meaning}</td></tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}

/** One packet's path under a CNI: choose the CNI, the path and the overlay, and step through the hops with a diagram of the two nodes. */
export default function CniPathStepper({ labId = "cni", cni, path, overlay }: CniPathStepperProps) {
  const [snapshot, send] = useMachine(cniPathMachine, { input: { ...(cni ? { cni } : {}), ...(path ? { path } : {}), ...(overlay ? { overlay } : {}) } });
  const ignored = useIgnoredLinkKeys(labId, ["cni", "path", "overlay", "step"]);
  const c = snapshot.context;
  const p = c.result;
  const hops = p.hops;
  const hop = hops[c.step]!;
  useLabProgress(labId, c.step, hops.length);
  const overlayStep = p.encapsulation !== null && (hop.kind === "encap" || hop.kind === "wire" || hop.kind === "decap");

  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const read = (k: string) => {
      const v = query.get(`${labId}.${k}`);
      return v === null || v.trim() === "" ? undefined : v;
    };
    const link = { cni: read("cni"), path: read("path"), overlay: read("overlay"), step: read("step") };
    if (Object.values(link).some((v) => v !== undefined)) {
      send({ type: "LOAD_LINK", ...Object.fromEntries(Object.entries(link).filter(([, v]) => v !== undefined)) });
    }
  }, [labId, send]);

  // Focus follows the cursor while the learner steps from the list, so the arrow keys keep working.
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const ol = list.current;
    if (ol && ol.contains(document.activeElement)) ol.querySelector<HTMLButtonElement>('[aria-current="step"]')?.focus();
  }, [c.step]);

  const onKeyDown = (e: KeyboardEvent) => {
    const event = ({ ArrowRight: "NEXT", ArrowDown: "NEXT", ArrowLeft: "PREV", ArrowUp: "PREV", Home: "FIRST", End: "LAST" } as const)[e.key as "Home"];
    if (!event) return;
    e.preventDefault();
    send({ type: event });
  };

  return (
    <section className="lab pn-lab cni-lab" id={`lab-${labId}`} aria-labelledby={`${labId}-title`}>
      <h3 id={`${labId}-title`}>CNI path stepper: one packet, hop by hop</h3>
      {c.linkError && <p role="alert" className="error">{c.linkError}</p>}
      {ignored && <p role="alert" className="error">{ignored}</p>}
      <div className="controls">
        <label htmlFor={`${labId}-cni`}>
          CNI
          <select id={`${labId}-cni`} value={c.cni} onChange={(e) => send({ type: "SET_CNI", cni: e.target.value })}>
            {CNI_IDS.map((id) => <option key={id} value={id}>{CNI_NAMES[id]}</option>)}
          </select>
        </label>
        <label htmlFor={`${labId}-path`}>
          Path
          <select id={`${labId}-path`} value={c.path} onChange={(e) => send({ type: "SET_PATH", path: e.target.value })}>
            {PATH_KINDS.map((k) => <option key={k} value={k}>{PATH_TEXT[k]}</option>)}
          </select>
        </label>
        <label htmlFor={`${labId}-overlay`}>
          Overlay
          <select id={`${labId}-overlay`} value={c.overlay} disabled={CNI_OVERLAYS[c.cni].length === 1} aria-describedby={`${labId}-overlay-note`} onChange={(e) => send({ type: "SET_OVERLAY", overlay: e.target.value })}>
            {CNI_OVERLAYS[c.cni].map((o) => <option key={o} value={o}>{OVERLAY_TEXT[o]}</option>)}
          </select>
          <span className="cni-note" id={`${labId}-overlay-note`}>
            {CNI_OVERLAYS[c.cni].length === 1 ? "This CNI never encapsulates." : c.cni === "dataplane-v2" ? "GKE runs Dataplane V2 natively; VXLAN and Geneve are upstream Cilium's tunnel modes." : "Calico: BGP-routed, IP-in-IP or VXLAN."}
          </span>
        </label>
      </div>
      <p className="pn-verdict" aria-live="polite">{p.summary}</p>
      <Diagram p={p} hop={hop} />
      <div className="stepper" role="group" aria-label="Step through the packet's hops">
        <button type="button" aria-keyshortcuts="Home" onClick={() => send({ type: "FIRST" })} disabled={c.step === 0}>« First</button>
        <button type="button" aria-keyshortcuts="ArrowLeft" onClick={() => send({ type: "PREV" })} disabled={c.step === 0}>‹ Previous</button>
        <button type="button" aria-keyshortcuts="ArrowRight" onClick={() => send({ type: "NEXT" })} disabled={c.step === hops.length - 1}>Next ›</button>
        <button type="button" aria-keyshortcuts="End" onClick={() => send({ type: "LAST" })} disabled={c.step === hops.length - 1}>Last »</button>
        <span className="position">Hop {c.step + 1} of {hops.length}</span>
      </div>
      <ol className="pn-steps" ref={list} onKeyDown={onKeyDown}>
        {hops.map((h, i) => (
          <li key={h.id}>
            <button type="button" aria-current={i === c.step ? "step" : undefined} onClick={() => send({ type: "GOTO", step: i })}>
              {i + 1}. {h.node} · {h.namespace} · {h.iface}{h.decrementsTtl ? " (TTL − 1)" : ""}
            </button>
          </li>
        ))}
      </ol>
      <div className="pn-step-detail" aria-live="polite">
        <p><strong>Hop {c.step + 1}: {h(hop)}</strong></p>
        <p>{hop.what}</p>
        <dl className="cni-facts">
          <dt>Decided by</dt><dd className="pn-packet">{hop.decidedBy}</dd>
          <dt>Packet</dt><dd className="pn-packet">{hop.src} → {hop.dst}, TTL {hop.ttl}{hop.decrementsTtl ? " (one taken off here)" : ""}</dd>
          {hop.outer && <><dt>Outer header</dt><dd className="pn-packet">{hop.outer.src} → {hop.outer.dst}, TTL {hop.outer.ttl}, {hop.outer.protocol}</dd></>}
        </dl>
        {hop.sub.length > 0 && <ul>{hop.sub.map((s, i) => <li key={i}><strong>{s.label}</strong>: {s.detail}</li>)}</ul>}
      </div>
      {overlayStep && <Bytes p={p} />}
    </section>
  );
}

function h(hop: CniHop): string {
  return `${hop.node === "VPC" ? "the VPC" : hop.node}, ${hop.namespace === "VPC" ? "on the wire" : `${hop.namespace} namespace`}${hop.iface !== "—" ? `, ${hop.iface}` : ""}`;
}
