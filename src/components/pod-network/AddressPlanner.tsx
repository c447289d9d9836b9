import { TextField } from "../lab/TextField";
import { useEffect } from "react";
import { useMachine } from "@xstate/react";
import { addressPlannerMachine, type PlannerField } from "../../machines/address-planner.machine";
import "../../styles/pod-network.css";

const FIELDS: { field: PlannerField; label: string; hint: string }[] = [
  { field: "podRange", label: "Pod range (secondary range, CIDR)", hint: "e.g. 10.4.0.0/14" },
  { field: "maxPods", label: "Maximum Pods per node (8–256)", hint: "110" },
  { field: "nodeRange", label: "Node subnet (primary range, CIDR; optional)", hint: "e.g. 10.128.0.0/20" },
  { field: "serviceRange", label: "Service range (CIDR; optional)", hint: "e.g. 10.8.0.0/20" },
];

const n = (x: number) => x.toLocaleString("en");

export interface AddressPlannerProps {
  /** The lab's id on the page: its URL keys are `<labId>.preset`, `<labId>.podRange` … */
  readonly labId?: string;
  /** A named starting point: default, small-subnet, too-small, overlap. */
  readonly preset?: string;
}

/** Type a cluster's ranges and max Pods per node; see each node's block, how many nodes fit, and why GKE would refuse. */
export default function AddressPlanner({ labId = "planner", preset }: AddressPlannerProps) {
  const [snapshot, send] = useMachine(addressPlannerMachine, { input: { preset } });
  const { texts, errors, plan, linkError } = snapshot.context;

  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const given = Object.fromEntries(FIELDS.flatMap(({ field }) => {
      const v = query.get(`${labId}.${field}`);
      return v === null ? [] : [[field, v]];
    }));
    const named = query.get(`${labId}.preset`)?.trim() || undefined;
    const known = new Set(["preset", ...FIELDS.map((f) => f.field)]);
    const ignored = [...new Set([...query.keys()].filter((k) => k.startsWith(`${labId}.`) && !known.has(k.slice(labId.length + 1)) && query.get(k)!.trim() !== "").map((k) => k.slice(labId.length + 1)))].slice(0, 5);
    if (named || ignored.length || Object.keys(given).length) send({ type: "LOAD", preset: named, texts: given, ignored });
  }, [labId, send]);

  return (
    <section className="lab pn-lab" id={`lab-${labId}`} aria-labelledby={`${labId}-title`}>
      <h3 id={`${labId}-title`}>Address planner</h3>
      {linkError && <p role="alert" className="error">{linkError}</p>}
      <div className="controls">
        {FIELDS.map(({ field, label, hint }) => {
          const error = errors[field];
          const id = `${labId}-${field}`;
          return <TextField key={field} id={id} label={label} hint={hint} numeric={field === "maxPods"} value={texts[field]} error={error} onChange={(text) => send({ type: "CHANGE", field, text })} />;
        })}
      </div>
      <div aria-live="polite" className="pn-result">
        {plan ? (
          <>
            <p className={`pn-verdict${plan.refused ? " pn-bad" : ""}`}>
              <strong>{plan.refused ? "Refused:" : "Accepted:"}</strong>
              {plan.refused
                ? `${plan.problems.length} problem${plan.problems.length === 1 ? "" : "s"}, shown at the field${plan.problems.length === 1 ? "" : "s"} to change.`
                : `up to ${n(plan.maxNodes)} nodes (limited by the ${plan.limitedBy === "pod-range" ? "Pod range" : "node subnet"}), ${n(plan.maxPodsTotal)} Pods.`}
            </p>
            <dl>
              <dt>Per-node Pod range</dt>
              <dd>{plan.perNodeRange}: {plan.perNodeAddresses} addresses ≥ 2 × {plan.maxPods} = {2 * plan.maxPods}</dd>
              <dt>Node blocks in the Pod range</dt>
              <dd>{n(plan.nodesByPodRange)} ({plan.podRange.cidr}, {n(plan.podRange.addresses)} addresses, {plan.podRange.space.label})</dd>
              {plan.nodesBySubnet !== null && (
                <>
                  <dt>Nodes the subnet holds</dt>
                  <dd>{n(plan.nodeRange!.addresses)} − 4 reserved = {n(plan.nodesBySubnet)}</dd>
                </>
              )}
              {plan.serviceAddresses !== null && (
                <>
                  <dt>ClusterIPs</dt>
                  <dd>{n(plan.serviceAddresses)} ({plan.serviceRange!.cidr} less network and broadcast)</dd>
                </>
              )}
            </dl>
            {plan.firstNodeBlocks.length > 0 && (
              <>
                <p className="meta">First node blocks:</p>
                <ul className="pn-blocks">
                  {plan.firstNodeBlocks.map((b, i) => <li key={b}>node {i + 1}: {b}</li>)}
                  {plan.nodesByPodRange > plan.firstNodeBlocks.length && <li>…</li>}
                </ul>
              </>
            )}
            {plan.notes.map((note) => <p key={note} className="meta">{note}</p>)}
          </>
        ) : (
          <p className="meta">Fix the highlighted field to see the plan.</p>
        )}
      </div>
    </section>
  );
}
