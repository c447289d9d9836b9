import { useMachine } from "@xstate/react";
import { useEffect } from "react";
import { FIREWALL_LINK_KEYS, firewallLabMachine } from "../../machines/firewall-lab.machine";
import { formatFirewallRule } from "../../sim/kube/policy/firewall";
import { useIgnoredLinkKeys } from "../lab/ignored-link-keys";
import { onDemand } from "../on-demand";
import "../../styles/firewall.css";

interface Props {
  /** The lab's id in the page URL (`firewall.client`, `.ranges`, `.etp`, `.policy`, `.gke`, `.rules`, `.step`) and its anchor. */
  labId?: string;
  /** The client address shown first. */
  client?: string;
  /** The Service's externalTrafficPolicy shown first. */
  trafficPolicy?: "Cluster" | "Local";
}

/** kube-proxy's rule writer and the netfilter walker: their own chunk, fetched when a trace first gets past the VPC firewall. */
const loadWalker = onDemand(() => import("../../sim/kube/policy/firewall-walk"));

const LAYER_TITLES: Readonly<Record<string, string>> = {
  "load-balancer": "Load balancer and health checks",
  "vpc-firewall": "VPC firewall at the node",
  "kube-proxy": "kube-proxy (iptables)",
  "traffic-policy": "externalTrafficPolicy",
  "network-policy": "NetworkPolicy at the Pod",
};

/**
 * An external client's packet to a GKE LoadBalancer Service, layer by layer, with the rule that
 * decided at each: edit the client, loadBalancerSourceRanges, externalTrafficPolicy, the
 * NetworkPolicy, GKE's own firewall rules and your own rules, and watch where it is dropped.
 */
export default function FirewallLab({ labId = "firewall", client, trafficPolicy }: Props) {
  const ignoredLinkKeys = useIgnoredLinkKeys(labId, FIREWALL_LINK_KEYS);
  const [snapshot, send] = useMachine(firewallLabMachine, { input: { ...(client ? { client } : {}), ...(trafficPolicy ? { trafficPolicy } : {}) } });
  const { context } = snapshot;
  const id = (part: string) => `${labId}-${part}`;

  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const get = (k: string) => q.get(`${labId}.${k}`);
    if (FIREWALL_LINK_KEYS.some((k) => get(k) !== null)) {
      send({ type: "LOAD_STATE", client: get("client"), ranges: get("ranges"), etp: get("etp"), policy: get("policy"), gke: get("gke"), rules: get("rules"), step: get("step") });
    }
  }, [labId, send]);

  const pending = context.pending;
  useEffect(() => {
    if (!pending) return;
    let current = true;
    loadWalker().then(
      (m) => { if (current) send({ type: "WALKER_READY", walk: m.externalWalk }); },
      (error: unknown) => { if (current) send({ type: "WALKER_FAILED", message: error instanceof Error ? error.message : String(error) }); },
    );
    return () => { current = false; };
  }, [pending, send]);

  const r = context.result;
  const shown = r.layers.slice(0, context.step);
  const reached = r.layers.filter((l) => l.verdict !== "not-reached").length;
  const decidingIndex = r.droppedAt ? r.layers.findIndex((l) => l.layer === r.droppedAt!.layer) : reached - 1;
  const err = (field: "client" | "ranges") => context.errors[field];

  return (
    <section className="lab firewall-lab" id={`lab-${labId}`} aria-labelledby={id("title")}>
      <h3 id={id("title")}>Where is the packet dropped?</h3>
      {ignoredLinkKeys && <p role="alert" className="error">{ignoredLinkKeys}</p>}
      {context.errors.link && <p role="alert" className="error">{context.errors.link}</p>}
      <p className="meta">
        A client connects to <code>shop/web</code>, a LoadBalancer Service on 203.0.113.10:443 whose only Pod runs on node-b. A NetworkPolicy admits
        198.51.100.0/24 on 8443.
      </p>
      <div className="controls firewall-controls">
        <label htmlFor={id("client")}>
          Client address
          <input id={id("client")} type="text" inputMode="decimal" size={16} spellCheck={false} autoComplete="off" value={context.clientText}
            aria-invalid={err("client") ? true : undefined} aria-describedby={err("client") ? id("client-error") : undefined}
            onChange={(e) => send({ type: "SET_CLIENT", text: e.target.value })} />
          {err("client") && <span className="error" id={id("client-error")}>{err("client")}</span>}
        </label>
        <label htmlFor={id("ranges")}>
          loadBalancerSourceRanges (comma-separated; empty = none)
          <input id={id("ranges")} type="text" size={24} spellCheck={false} autoComplete="off" value={context.rangesText}
            aria-invalid={err("ranges") ? true : undefined} aria-describedby={err("ranges") ? id("ranges-error") : undefined}
            onChange={(e) => send({ type: "SET_RANGES", text: e.target.value })} />
          {err("ranges") && <span className="error" id={id("ranges-error")}>{err("ranges")}</span>}
        </label>
        <label htmlFor={id("etp")}>
          externalTrafficPolicy
          <select id={id("etp")} value={context.trafficPolicy} onChange={(e) => send({ type: "SET_TRAFFIC_POLICY", value: e.target.value as "Cluster" | "Local" })}>
            <option value="Cluster">Cluster</option>
            <option value="Local">Local</option>
          </select>
        </label>
        <label className="firewall-check" htmlFor={id("policy")}>
          <input id={id("policy")} type="checkbox" checked={context.policy} onChange={(e) => send({ type: "SET_POLICY", on: e.target.checked })} />
          NetworkPolicy web-from-office
        </label>
        <label className="firewall-check" htmlFor={id("gke")}>
          <input id={id("gke")} type="checkbox" checked={context.gkeRules} onChange={(e) => send({ type: "SET_GKE_RULES", on: e.target.checked })} />
          GKE creates the Service's firewall rules
        </label>
      </div>

      <fieldset className="firewall-rules">
        <legend>Your VPC firewall rules</legend>
        <p className="small">Each rule: <code>NAME,PRIORITY,allow|deny,CIDR[+CIDR…],PROTO[:PORTS][+…]</code>. Lower priority numbers win; deny wins a tie.</p>
        {context.rules.length === 0 && <p className="small">None yet.</p>}
        {context.rules.map((row, i) => (
          <div className="firewall-rule-row" key={i}>
            <label htmlFor={id(`rule-${i}`)}>
              Rule {i + 1}
              <input id={id(`rule-${i}`)} type="text" spellCheck={false} autoComplete="off" value={row.text}
                aria-invalid={row.error ? true : undefined} aria-describedby={row.error ? id(`rule-${i}-error`) : undefined}
                onChange={(e) => send({ type: "EDIT_RULE", index: i, text: e.target.value })} />
              {row.error && <span className="error" id={id(`rule-${i}-error`)}>{row.error}</span>}
            </label>
            <button type="button" onClick={() => send({ type: "REMOVE_RULE", index: i })}>Remove rule {i + 1}</button>
          </div>
        ))}
        <button type="button" onClick={() => send({ type: "ADD_RULE" })}>Add a rule</button>
      </fieldset>

      {pending && <p className="meta">Loading kube-proxy's rules for this node…</p>}
      <div className={`outcome ${r.delivered ? "outcome-ok" : "outcome-bad"}`} aria-busy={pending || undefined}>
        <p>
          <span className="outcome-label">Outcome: </span>
          <strong className="outcome-status">{r.delivered ? "✓ delivered" : "✗ dropped"}</strong>
          {" — "}
          {r.delivered ? `to ${r.endpoint} via ${r.node}; the Pod sees ${r.sourceSeenByPod}` : `at ${r.droppedAt!.layer} by ${r.droppedAt!.rule}`}
        </p>
      </div>

      <div className="firewall-stepper" role="group" aria-label="Step through the layers">
        <button type="button" onClick={() => send({ type: "STEP_BACK" })} disabled={context.step <= 1}>Previous layer</button>
        <span className="small">Layer {context.step} of {reached} reached</span>
        <button type="button" onClick={() => send({ type: "STEP_FORWARD" })} disabled={context.step >= reached}>Next layer</button>
        <button type="button" onClick={() => send({ type: "SHOW_ALL" })} disabled={context.step >= reached}>Show all</button>
      </div>
      <ol className="firewall-layers">
        {shown.map((l, i) => (
          <li key={l.layer} className={`firewall-layer firewall-${l.verdict}${i === decidingIndex ? " firewall-deciding" : ""}`}>
            <p>
              <strong>{LAYER_TITLES[l.layer]}</strong>{" "}
              <span className="firewall-verdict">{l.verdict === "pass" ? "✓ pass" : l.verdict === "drop" ? "✗ drop" : "– not reached"}</span>
              {i === decidingIndex && <span className="firewall-deciding-tag"> (deciding layer)</span>}
            </p>
            {l.rule && <p className="small">Rule: <code>{l.rule}</code></p>}
            <p className="small firewall-detail">{l.detail}</p>
          </li>
        ))}
      </ol>
      <details className="firewall-all-rules">
        <summary>VPC firewall rules in force ({r.rules.length} + the implied deny)</summary>
        <ul className="small">
          {r.rules.map((rule) => <li key={rule.name}><code>{formatFirewallRule(rule)}</code>{rule.origin === "gke" ? " (GKE)" : ""}</li>)}
          <li><code>implied-deny-ingress,65535,deny,0.0.0.0/0,all</code> (implied)</li>
        </ul>
      </details>
      <div aria-live="polite" className="visually-hidden">{context.announcement}</div>
    </section>
  );
}
