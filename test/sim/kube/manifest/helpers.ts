import { expect } from "vitest";
import { loadManifests, ManifestError, type LoadedCluster, type ManifestFile } from "../../../../src/sim/kube/manifest/index";

/** A Node so that loads which are not about nodes have "this node". */
export const nodeA = `apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    topology.kubernetes.io/zone: zone-a
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.11
`;

export const nodeB = `apiVersion: v1
kind: Node
metadata:
  name: node-b
  labels:
    topology.kubernetes.io/zone: zone-b
status:
  addresses:
  - type: InternalIP
    address: 10.0.1.12
`;

export const pinToNodeA = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
hostnameOverride: node-a
`;

/** Loads one file plus node-a in a second file. */
export function load(text: string, extra: readonly ManifestFile[] = [{ name: "node.yaml", text: nodeA }]): LoadedCluster {
  return loadManifests([{ name: "test.yaml", text }, ...extra]);
}

/** The formatted problems a load throws (fails the test when it does not throw a ManifestError). */
export function problemsOf(files: readonly ManifestFile[]): string[] {
  try {
    loadManifests(files);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).message.split("\n");
  }
  throw new Error("expected a ManifestError");
}

export function problemsIn(text: string): string[] {
  return problemsOf([{ name: "test.yaml", text }, { name: "node.yaml", text: nodeA }]);
}

/** "line:column" of the n-th occurrence (1-based) of needle in text, to check what a problem points at. */
export function at(text: string, needle: string, occurrence = 1): string {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" occurs fewer than ${occurrence} times`);
  }
  const before = text.slice(0, index).split("\n");
  return `${before.length}:${(before[before.length - 1] ?? "").length + 1}`;
}

/** A Pod manifest with the usual status, as `kubectl get pod -o yaml` shows the parts we read. */
export function pod(options: {
  name: string; node?: string; ip?: string; ready?: boolean; labels?: string; ports?: string; phase?: string;
  deleting?: boolean; hostNetwork?: boolean; namespace?: string;
}): string {
  const lines = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    `  name: ${options.name}`,
    ...(options.namespace === undefined ? [] : [`  namespace: ${options.namespace}`]),
    `  labels: ${options.labels ?? "{ app: web }"}`,
    ...(options.deleting === true ? ["  deletionTimestamp: \"2025-01-01T00:00:00Z\""] : []),
    "spec:",
    `  nodeName: ${options.node ?? "node-a"}`,
    ...(options.hostNetwork === true ? ["  hostNetwork: true"] : []),
    "  containers:",
    "  - name: app",
    "    image: registry.example/app:1",
    `    ports: ${options.ports ?? "[{ name: http, containerPort: 8080 }]"}`,
    "status:",
    `  phase: ${options.phase ?? "Running"}`,
    ...(options.ip === undefined ? [] : [`  podIPs: [{ ip: "${options.ip}" }]`]),
    `  conditions: [{ type: Ready, status: "${options.ready === false ? "False" : "True"}" }]`,
  ];
  return `${lines.join("\n")}\n`;
}
