/** Every Pod to every Pod for one port: the NetworkPolicy matrix the lab draws. */
import type { Pod, Protocol } from "../model";
import { evaluateConnection, podKey, type PolicyVerdict, type PolicyWorld, type PolicyWrongModel } from "./evaluate";

export interface MatrixCell {
  readonly from: string;
  readonly to: string;
  readonly verdict: PolicyVerdict;
}

export function policyMatrix(world: PolicyWorld, pods: readonly Pod[], port: number, protocol: Protocol, model: PolicyWrongModel | null = null): MatrixCell[][] {
  return pods.map((from) => pods.map((to) => ({
    from: podKey(from), to: podKey(to),
    verdict: evaluateConnection(world, { from: { kind: "pod", pod: from }, to: { kind: "pod", pod: to }, port, protocol }, model),
  })));
}

/** The pairs (from→to) a world lets through, for the invariants the tests check. */
export function reachablePairs(world: PolicyWorld, pods: readonly Pod[], port: number, protocol: Protocol): Set<string> {
  const out = new Set<string>();
  for (const row of policyMatrix(world, pods, port, protocol)) for (const c of row) if (c.verdict.allowed) out.add(`${c.from}>${c.to}`);
  return out;
}
