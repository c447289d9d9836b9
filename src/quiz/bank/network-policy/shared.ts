/**
 * What the NetworkPolicy questions share: the lab's Pods, policies written as YAML a learner would
 * apply, the simulator run over them, and the link that opens the matrix lab on exactly those policies.
 */
import { encodeLabInput } from "../../../sim/core/permalink";
import type { Protocol } from "../../../sim/kube/model";
import { evaluateConnection, type PolicyVerdict, type PolicyWrongModel } from "../../../sim/kube/policy/evaluate";
import { loadPolicyCluster, type PolicyCluster } from "../../../sim/kube/policy/load";
import { policyPods } from "../../../sim/kube/policy/presets";
import { policyTrace } from "../../../sim/kube/policy/trace";
import type { Exhibit, LabLink } from "../../engine/types";

export const LESSON = "network-policy";

export function clusterOf(policies: string): PolicyCluster {
  return loadPolicyCluster([{ name: "pods.yaml", text: policyPods }, { name: "policies.yaml", text: policies }]);
}

export interface Conn {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
}

function endpoints(cluster: PolicyCluster, conn: Conn) {
  const find = (key: string) => {
    const pod = cluster.pods.find((p) => `${p.metadata.namespace}/${p.metadata.name}` === key);
    if (pod === undefined) throw new Error(`no Pod ${key} in the lab's cluster`);
    return { kind: "pod" as const, pod };
  };
  return { from: find(conn.from), to: find(conn.to), port: conn.port, protocol: conn.protocol };
}

export function verdictOf(cluster: PolicyCluster, conn: Conn, model: PolicyWrongModel | null = null): PolicyVerdict {
  return evaluateConnection(cluster, endpoints(cluster, conn), model);
}

/** The trace's outcome step: "egress", "ingress" (where it was dropped) or "delivered". */
export function outcomeStep(cluster: PolicyCluster, conn: Conn, model: PolicyWrongModel | null = null): string {
  return policyTrace(cluster, endpoints(cluster, conn), model).trace.outcome.at;
}

export function policiesExhibit(policies: string): Exhibit {
  return { kind: "output", command: "cat policies.yaml", text: policies.trimEnd() };
}

export function policyLab(policies: string, conn: Conn): LabLink {
  return {
    page: `/lessons/${LESSON}/`,
    lab: "policy",
    query: {
      "policy.in": encodeLabInput({ policies }),
      "policy.port": String(conn.port),
      "policy.protocol": conn.protocol,
      "policy.from": conn.from,
      "policy.to": conn.to,
    },
  };
}

export const connText = (c: Conn) => `${c.from} → ${c.to}:${c.port}/${c.protocol}`;
