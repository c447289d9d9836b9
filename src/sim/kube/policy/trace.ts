/**
 * One connection's policy decision as a core trace: the source's egress, the destination's ingress and
 * what happened, each rule looked at as a sub-step pointing at its row of the policies' table — so a
 * lab can say "dropped at the destination's ingress: isolated by shop/default-deny, no rule allows it".
 */
import { StepBuilder, type DecisionTable, type Stage, type SubStep, type Trace } from "../../core/trace";
import { describePeer, describePorts, endpointIp, endpointName, evaluateConnection, policyKey, type Connection, type DirectionVerdict, type PolicyVerdict, type PolicyWorld, type PolicyWrongModel } from "./evaluate";
import { formatSelector } from "./selector";
import type { NetworkPolicy } from "./types";

export const policyStages: readonly Stage[] = [
  { id: "egress", title: "Source egress", summary: "The policies selecting the source Pod for Egress decide whether it may send." },
  { id: "ingress", title: "Destination ingress", summary: "The policies selecting the destination Pod for Ingress decide whether it may receive." },
  { id: "result", title: "Result", summary: "Delivered when both ends allow; replies ride the tracked connection." },
];

/** `kubectl describe networkpolicy`-style lines, one per rule, so a sub-step can point at its row. */
export function policyRows(policies: readonly NetworkPolicy[], direction: "ingress" | "egress"): { rows: string[]; index: Map<string, number> } {
  const rows: string[] = [];
  const index = new Map<string, number>();
  for (const p of policies) {
    const type = direction === "ingress" ? "Ingress" : "Egress";
    if (!p.policyTypes.includes(type)) continue;
    const rules = direction === "ingress" ? p.ingress : p.egress;
    const head = `${policyKey(p)}  PodSelector: ${formatSelector(p.podSelector)}${p.policyTypesGiven ? "" : " (policyTypes defaulted)"}`;
    if (rules.length === 0) {
      index.set(`${policyKey(p)}#none`, rows.length);
      rows.push(`${head}  ${direction}: <none> (isolates, allows nothing)`);
    }
    rules.forEach((r, i) => {
      index.set(`${policyKey(p)}#${i}`, rows.length);
      const peers = r.peers === null ? "any" : r.peers.map((peer) => describePeer(peer, p.namespace)).join(" OR ");
      rows.push(`${head}  ${direction}[${i}]: ${direction === "ingress" ? "from" : "to"} ${peers}; ports ${describePorts(r.ports)}`);
    });
  }
  return { rows, index };
}

function subSteps(v: DirectionVerdict, table: string, index: Map<string, number>): SubStep[] {
  const subs: SubStep[] = [{
    kind: "select", label: v.selectedBy.length ? `selected by ${v.selectedBy.join(", ")}` : "selected by no policy",
    detail: v.reason, taken: v.selectedBy.length > 0,
  }];
  for (const c of v.checks) {
    const row = index.get(`${c.policy}#${c.rule ?? "none"}`);
    subs.push({ kind: "rule", label: c.rule === null ? `${c.policy} (no ${v.direction} rules)` : `${c.policy} ${v.direction}[${c.rule}]`,
      detail: c.detail, taken: c.matched, ...(row === undefined ? {} : { ref: { table, row } }) });
  }
  if (v.verdict === "denied") subs.push({ kind: "policy", label: "default deny", detail: "an isolated Pod drops what no rule allows", taken: true, ref: { table, row: null } });
  return subs;
}

export interface PolicyTraceResult {
  readonly verdict: PolicyVerdict;
  readonly trace: Trace;
}

/** The trace of one connection; the outcome names the step and policy where it was dropped, or "delivered". */
export function policyTrace(world: PolicyWorld, conn: Connection, model: PolicyWrongModel | null = null): PolicyTraceResult {
  const verdict = evaluateConnection(world, conn, model);
  const b = new StepBuilder(policyStages);
  const eg = policyRows(world.policies, "egress");
  const ing = policyRows(world.policies, "ingress");
  const egTable: DecisionTable = { id: "egress-rules", title: "Egress rules", format: "kubectl describe networkpolicy", rows: eg.rows };
  const inTable: DecisionTable = { id: "ingress-rules", title: "Ingress rules", format: "kubectl describe networkpolicy", rows: ing.rows };
  b.table(egTable);
  b.table(inTable);
  const unit = { kind: "connection", src: endpointIp(conn.from) ?? endpointName(conn.from), dst: `${endpointIp(conn.to) ?? endpointName(conn.to)}:${conn.port}/${conn.protocol}` };
  const fromNode = { id: "source", kind: conn.from.kind === "pod" ? "pod" : "external", name: endpointName(conn.from) };
  const toNode = { id: "destination", kind: conn.to.kind === "pod" ? "pod" : "external", name: endpointName(conn.to) };
  const word = (v: DirectionVerdict) => (v.verdict === "denied" ? "denied" : v.verdict === "allowed" ? "allowed" : v.verdict === "not-isolated" ? "not isolated" : "not governed");
  b.add({ id: "egress", stage: "egress", node: fromNode, in: null, out: verdict.egress.allowed ? unit : null,
    events: [{ type: verdict.egress.allowed ? "policy-allow" : "policy-drop", text: `egress ${word(verdict.egress)}: ${verdict.egress.reason}` }],
    sub: subSteps(verdict.egress, egTable.id, eg.index), tables: [egTable.id] });
  if (!verdict.egress.allowed) {
    return { verdict, trace: b.build({ scenario: "network-policy", input: { from: endpointName(conn.from), to: endpointName(conn.to), port: conn.port, protocol: conn.protocol }, seed: 0, model,
      outcome: { status: "DROP", at: "egress", summary: `dropped at the source's egress by ${verdict.egress.policy} (isolated; no egress rule allows ${endpointName(conn.to)} on ${conn.port}/${conn.protocol})` } }) };
  }
  b.add({ id: "ingress", stage: "ingress", node: toNode, in: unit, out: verdict.ingress.allowed ? unit : null,
    events: [{ type: verdict.ingress.allowed ? "policy-allow" : "policy-drop", text: `ingress ${word(verdict.ingress)}: ${verdict.ingress.reason}` }],
    sub: subSteps(verdict.ingress, inTable.id, ing.index), tables: [inTable.id] });
  const input = { from: endpointName(conn.from), to: endpointName(conn.to), port: conn.port, protocol: conn.protocol };
  if (!verdict.ingress.allowed) {
    return { verdict, trace: b.build({ scenario: "network-policy", input, seed: 0, model,
      outcome: { status: "DROP", at: "ingress", summary: `dropped at the destination's ingress by ${verdict.ingress.policy} (isolated; no ingress rule allows ${endpointName(conn.from)} on ${conn.port}/${conn.protocol})` } }) };
  }
  b.add({ id: "delivered", stage: "result", node: toNode, in: unit, out: null,
    events: [{ type: "delivered", text: "both ends allow it; the replies match the tracked connection and are not checked against policy again" }],
    sub: [], tables: [] });
  return { verdict, trace: b.build({ scenario: "network-policy", input, seed: 0, model,
    outcome: { status: "delivered", at: "delivered", summary: `delivered: egress ${word(verdict.egress)}, ingress ${word(verdict.ingress)}` } }) };
}
