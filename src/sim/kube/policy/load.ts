/**
 * Manifests → the policy model's world: Pods, Namespaces and NetworkPolicies from the same YAML, read
 * by the shared loader (every problem at its file:line:column), no Node needed.
 */
import { loadManifests, type ManifestFile, type ManifestProblem } from "../manifest/index";
import type { Pod } from "../model";
import type { PolicyWorld } from "./evaluate";
import { namespaceKind, networkPolicyKind } from "./read";
import type { NamespaceLabels, NetworkPolicy } from "./types";

export interface PolicyCluster extends PolicyWorld {
  readonly pods: readonly Pod[];
  readonly warnings: readonly ManifestProblem[];
}

/** @throws ManifestError listing every problem in the files */
export function loadPolicyCluster(files: readonly ManifestFile[]): PolicyCluster {
  const { state, extra, warnings } = loadManifests(files, { kinds: { NetworkPolicy: networkPolicyKind, Namespace: namespaceKind }, needNode: false });
  const policies = (extra["NetworkPolicy"] ?? []) as NetworkPolicy[];
  const given = (extra["Namespace"] ?? []) as NamespaceLabels[];
  const names = new Set([...given.map((n) => n.name), ...state.pods.map((p) => p.metadata.namespace), ...policies.map((p) => p.namespace)]);
  const namespaces = [...names].map((name) => given.find((n) => n.name === name) ?? { name, labels: { "kubernetes.io/metadata.name": name } });
  return { pods: state.pods, policies, namespaces, warnings };
}
