/**
 * The Kubernetes documentation's Ingress path-matching examples, row by row: the table under "Examples" in
 * https://kubernetes.io/docs/concepts/services-networking/ingress/ (section "Path types" → "Examples"), and
 * its "Multiple matches" rule (longest path first, then Exact over Prefix). Each row becomes one Ingress
 * whose paths each send to their own Service, with a default backend; "No" means the default backend took it.
 */
import { describe, expect, it } from "vitest";
import { matchIngress } from "../../../../src/sim/kube/l7/ingress";
import type { Ingress, IngressPathType } from "../../../../src/sim/kube/l7/ingress-read";
import { parseRouteRequest } from "../../../../src/sim/kube/l7/request";

type Row = readonly [kind: string, paths: readonly (readonly [string, IngressPathType])[], requests: readonly string[], matches: boolean, winner?: string];

const P = "Prefix" as const;
const E = "Exact" as const;
/** [Kind, Path(s), Request path(s), Matches?, (which path wins)] as the documentation's table has them. */
const TABLE: readonly Row[] = [
  ["Prefix", [["/", P]], ["/", "/anything", "/a/b/c"], true],
  ["Exact", [["/foo", E]], ["/foo"], true],
  ["Exact", [["/foo", E]], ["/bar"], false],
  ["Exact", [["/foo", E]], ["/foo/"], false],
  ["Exact", [["/foo/", E]], ["/foo"], false],
  ["Prefix", [["/foo", P]], ["/foo", "/foo/"], true],
  ["Prefix", [["/foo/", P]], ["/foo", "/foo/"], true],
  ["Prefix", [["/aaa/bb", P]], ["/aaa/bbb"], false],
  ["Prefix", [["/aaa/bbb", P]], ["/aaa/bbb"], true],
  ["Prefix", [["/aaa/bbb/", P]], ["/aaa/bbb"], true], // ignores trailing slash
  ["Prefix", [["/aaa/bbb", P]], ["/aaa/bbb/"], true], // matches trailing slash
  ["Prefix", [["/aaa/bbb", P]], ["/aaa/bbb/ccc"], true], // matches subpath
  ["Prefix", [["/aaa/bbb", P]], ["/aaa/bbbxyz"], false], // does not match string prefix
  ["Prefix", [["/", P], ["/aaa", P]], ["/aaa/ccc"], true, "/aaa"],
  ["Prefix", [["/", P], ["/aaa", P], ["/aaa/bbb", P]], ["/aaa/bbb"], true, "/aaa/bbb"],
  ["Prefix", [["/", P], ["/aaa", P], ["/aaa/bbb", P]], ["/ccc"], true, "/"],
  ["Prefix", [["/aaa", P]], ["/ccc"], false], // uses default backend
  ["Mixed", [["/foo", P], ["/foo", E]], ["/foo"], true, "/foo Exact"],
];

function ingressOf(paths: Row[1]): Ingress {
  return {
    name: "docs", namespace: "default", className: "gce", tls: [],
    defaultBackend: { service: "default-backend", port: 80 },
    rules: [{ host: null, paths: paths.map(([path, pathType]) => ({ path, pathType, backend: { service: `${path} ${pathType}`, port: 80 } })) }],
  };
}

describe("Kubernetes Ingress concept page, path-matching examples", () => {
  for (const [kind, paths, requests, matches, winner] of TABLE) {
    for (const path of requests) {
      it(`${kind} ${paths.map((p) => p[0]).join(", ")} ← ${path}: ${matches ? "match" : "no match"}`, () => {
        const decision = matchIngress([ingressOf(paths)], parseRouteRequest(`http://example.com${path}`));
        expect(decision.status).toBe(200);
        if (!matches) {
          expect(decision.backend?.service).toBe("default-backend");
          expect(decision.rule?.ruleIndex).toBe(-1);
          return;
        }
        const want = winner === undefined ? `${paths[0]![0]} ${paths[0]![1]}` : winner.includes(" ") ? winner : `${winner} Prefix`;
        expect(decision.backend?.service).toBe(want);
      });
    }
  }

  it("without spec.defaultBackend, no match is a 404 from the controller's default backend", () => {
    const ing = { ...ingressOf([["/aaa", P]]), defaultBackend: null };
    const decision = matchIngress([ing], parseRouteRequest("http://example.com/ccc"));
    expect(decision).toMatchObject({ status: 404, backend: null, rule: null });
  });

  it("the wrong model 'Prefix is a string prefix' takes /aaa/bbbxyz for /aaa/bbb — the row the table says No to", () => {
    const decision = matchIngress([ingressOf([["/aaa/bbb", P]])], parseRouteRequest("http://example.com/aaa/bbbxyz"), { model: "prefix-is-string-prefix" });
    expect(decision.backend?.service).toBe("/aaa/bbb Prefix");
  });
});

describe("Ingress hosts (Kubernetes Ingress concept page, 'Hostname wildcards')", () => {
  const ing: Ingress = {
    name: "hosts", namespace: "default", className: null, tls: [], defaultBackend: null,
    rules: [
      { host: "foo.bar.com", paths: [{ path: "/", pathType: P, backend: { service: "exact", port: 80 } }] },
      { host: "*.foo.com", paths: [{ path: "/", pathType: P, backend: { service: "wild", port: 80 } }] },
    ],
  };
  it.each([
    ["foo.bar.com", "exact"],
    ["bar.foo.com", "wild"],
    ["Bar.FOO.com", "wild"],
    ["baz.bar.foo.com", null], // a wildcard covers one label only
    ["foo.com", null], // and not the bare domain
  ])("%s → %s", (host, service) => {
    const d = matchIngress([ing], parseRouteRequest(`http://${host}/`));
    expect(d.backend?.service ?? null).toBe(service);
    if (service === null) expect(d.status).toBe(404);
  });

  it("the wrong model 'wildcard-any-depth' lets *.foo.com take baz.bar.foo.com", () => {
    expect(matchIngress([ing], parseRouteRequest("http://baz.bar.foo.com/"), { model: "wildcard-any-depth" }).backend?.service).toBe("wild");
  });
});
