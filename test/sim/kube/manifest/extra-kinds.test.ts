/**
 * The manifest loader's extension point: a model that reads its own kinds (NetworkPolicy, Ingress, HTTPRoute…)
 * gets them in the same pass as Services and Pods, its problems at their file, line and column, and — when it
 * walks no node's rules — no demand for a Node.
 */
import { describe, expect, it } from "vitest";
import { loadManifests, ManifestError, type ExtraKind } from "../../../../src/sim/kube/manifest/index";

interface Policy { readonly name: string; readonly namespace: string; readonly podSelector: Readonly<Record<string, string>> }

const POLICY: ExtraKind<Policy> = {
  apiVersions: ["networking.k8s.io/v1"],
  read: (site, namespace) => {
    const podSelector = site.stringMap(["spec", "podSelector", "matchLabels"]) ?? {};
    if (site.get(["spec", "podSelector"]) === undefined) site.invalid(["spec", "podSelector"], "Required value");
    return { name: site.string(["metadata", "name"]) ?? "", namespace, podSelector };
  },
  name: (p) => p.name,
};

const file = (text: string) => [{ name: "p.yaml", text }];

describe("loadManifests with extra kinds", () => {
  it("reads them beside Services and Pods, in file order, without a Node when none is needed", () => {
    const { state, extra, warnings } = loadManifests(
      file(`apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c, image: nginx }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: a, namespace: shop }
spec: { podSelector: { matchLabels: { app: web } } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: b }
spec: { podSelector: {} }
`),
      { kinds: { NetworkPolicy: POLICY }, needNode: false },
    );
    expect(state.pods.map((p) => p.metadata.name)).toEqual(["web"]);
    expect(extra["NetworkPolicy"]).toEqual([
      { name: "a", namespace: "shop", podSelector: { app: "web" } },
      { name: "b", namespace: "default", podSelector: {} },
    ]);
    expect(warnings).toEqual([]);
  });

  it("puts a reader's problem, a wrong version and a duplicate name at their lines, all at once", () => {
    let error: unknown;
    try {
      loadManifests(
        file(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: a }
spec: {}
---
apiVersion: networking.k8s.io/v1beta1
kind: NetworkPolicy
metadata: { name: c }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: a }
spec: { podSelector: {} }
`),
        { kinds: { NetworkPolicy: POLICY }, needNode: false },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const problems = (error as ManifestError).problems.map((p) => [p.line, p.message]);
    expect(problems).toHaveLength(3);
    expect(problems[0]![0]).toBeLessThanOrEqual(4);
    expect(problems[0]![1]).toMatch(/Required value/);
    expect(problems[1]).toEqual([6, expect.stringMatching(/no matches for kind "NetworkPolicy" in version "networking.k8s.io\/v1beta1"/)]);
    expect(problems[2]![0]).toBeGreaterThanOrEqual(11);
    expect(problems[2]![1]).toMatch(/already exists/);
  });

  it("still asks kube-proxy's loads for a Node, and names the extra kinds among those it reads", () => {
    expect(() => loadManifests(file("apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n"), { kinds: { NetworkPolicy: POLICY } })).toThrow(/a Node is needed/);
    const { warnings } = loadManifests(file("apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n"), { kinds: { NetworkPolicy: POLICY }, needNode: false });
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining("KubeProxyConfiguration and NetworkPolicy")]);
  });
});
