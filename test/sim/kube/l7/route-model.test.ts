/**
 * The parts of the L7 model the conformance suites do not reach: manifest problems at their lines, GKE's
 * reading of ImplementationSpecific, several certificates by SNI, Gateway listeners, allowedRoutes,
 * hostname intersection and precedence, weights and the 500s, ReferenceGrant.
 */
import { describe, expect, it } from "vitest";
import { ManifestError } from "../../../../src/sim/kube/manifest/index";
import { intersectHostnames } from "../../../../src/sim/kube/l7/host";
import { parseRouteRequest } from "../../../../src/sim/kube/l7/request";
import { loadL7, routeManifests } from "../../../../src/sim/kube/l7/load";
import { routeObjects } from "../../../../src/sim/kube/l7/route";
import { InputError } from "../../../../src/sim/net/errors";
import { PRESET_OBJECTS } from "../../../../src/sim/kube/l7/preset-objects";
import { ROUTE_PRESETS } from "../../../../src/sim/kube/l7/presets";

const route = (yaml: string, url: string, opts: { method?: string; headers?: string[]; seed?: number } = {}) =>
  routeManifests([{ name: "in.yaml", text: yaml }], parseRouteRequest(url, opts), { seed: opts.seed ?? 0 });

const GKE_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: { kubernetes.io/ingress.class: gce-internal }
spec:
  tls:
  - { hosts: [www.example.com], secretName: www-tls }
  - { hosts: [api.example.com], secretName: api-tls }
  rules:
  - http:
      paths:
      - { path: /videos/*, pathType: ImplementationSpecific, backend: { service: { name: videos, port: { number: 80 } } } }
      - { path: /videos, pathType: ImplementationSpecific, backend: { service: { name: video-index, port: { number: 80 } } } }
`;

describe("Ingress on GKE", () => {
  it("reads ImplementationSpecific as a URL-map path rule: /videos/* is 'starts with /videos/', /videos is exact", () => {
    expect(route(GKE_INGRESS, "http://x.test/videos/hd").backend?.service).toBe("videos");
    expect(route(GKE_INGRESS, "http://x.test/videos/").backend?.service).toBe("videos");
    expect(route(GKE_INGRESS, "http://x.test/videos").backend?.service).toBe("video-index");
    expect(route(GKE_INGRESS, "http://x.test/videos2").status).toBe(404);
  });

  it("says an internal Ingress needs a proxy-only subnet", () => {
    expect(route(GKE_INGRESS, "http://x.test/").notes.join(" ")).toMatch(/proxy-only subnet.*REGIONAL_MANAGED_PROXY/);
  });

  it("chooses the certificate by SNI, the first (primary) when none covers the name, and refuses HTTPS without spec.tls", () => {
    const tlsStep = (url: string) => route(GKE_INGRESS, url).steps.find((s) => s.kind === "tls")?.label;
    expect(tlsStep("https://api.example.com/")).toContain("api-tls");
    expect(tlsStep("https://other.example.org/")).toContain("www-tls");
    const noTls = GKE_INGRESS.replace(/  tls:\n(  - .*\n)+/, "");
    expect(route(noTls, "https://api.example.com/").status).toBeNull();
  });

  it("puts API-server validation problems at their lines", () => {
    const bad = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: bad }
spec:
  rules:
  - host: "foo.*.com"
    http:
      paths:
      - path: cart
        pathType: Prefix
        backend: { service: { name: cart, port: { number: 80 } } }
      - path: /x
        backend: { service: { name: x, port: { number: 80 } } }
`;
    let error: unknown;
    try {
      route(bad, "http://a.test/");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const problems = (error as ManifestError).problems.map((p) => [p.line, p.path, p.message]);
    expect(problems).toEqual([
      [6, "spec.rules[0].host", expect.stringMatching(/wildcard must be the whole first label/)],
      [9, "spec.rules[0].http.paths[0].path", expect.stringMatching(/must be an absolute path/)],
      [12, "spec.rules[0].http.paths[1].pathType", expect.stringMatching(/Required value/)],
    ]);
  });

  it("checks backends against the Services given: a missing one is 503", () => {
    const svc = "---\napiVersion: v1\nkind: Service\nmetadata: { name: videos }\nspec: { selector: { app: v }, ports: [{ port: 80 }] }\n";
    expect(route(GKE_INGRESS + svc, "http://x.test/videos/hd").status).toBe(200);
    const d = route(GKE_INGRESS + svc, "http://x.test/videos");
    expect(d.status).toBe(503);
    expect(d.summary).toMatch(/no Service default\/video-index/);
  });
});

const GW = (listeners: string, extra = "") => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: infra }
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners:
${listeners}
${extra}`;

const ROUTE = (ns: string, name: string, body: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: ${ns} }
spec:
  parentRefs: [{ name: gw, namespace: infra }]
${body}`;

describe("Gateway API", () => {
  it("admits routes by allowedRoutes: Same refuses another namespace, Selector reads the Namespace's labels", () => {
    const same = GW("  - { name: http, port: 80, protocol: HTTP }") + ROUTE("shop", "r", "  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n");
    const d = route(same, "http://a.test/");
    expect(d.status).toBe(404);
    expect(d.steps.find((s) => s.kind === "attach")?.detail).toMatch(/from: Same/);
    const sel = GW("  - { name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: Selector, selector: { matchLabels: { shared-gateway: \"true\" } } } } }")
      + ROUTE("shop", "r", "  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n");
    expect(route(sel, "http://a.test/").status).toBe(404);
    const ns = "---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: { shared-gateway: \"true\" } }\n";
    expect(route(sel + ns, "http://a.test/")).toMatchObject({ status: 200, backend: { service: "web", port: 80 }, backendNamespace: "shop" });
  });

  it("picks the most specific listener and lets a more specific hostname outrank a longer path", () => {
    const yaml = GW("  - { name: any, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }")
      + ROUTE("a", "wild", "  hostnames: [\"*.example.com\"]\n  rules: [{ matches: [{ path: { type: PathPrefix, value: /api/v1 } }], backendRefs: [{ name: wild, port: 80 }] }]\n")
      + ROUTE("b", "exact", "  hostnames: [shop.example.com]\n  rules: [{ backendRefs: [{ name: exact, port: 80 }] }]\n");
    expect(route(yaml, "http://shop.example.com/api/v1/x").backend?.service).toBe("exact");
    expect(route(yaml, "http://a.b.example.com/api/v1/x").backend?.service).toBe("wild");
    expect(route(yaml, "http://a.b.example.com/other").status).toBe(404);
  });

  it("intersects hostnames: a listener *.example.com keeps the route's names under it and drops the rest", () => {
    expect(intersectHostnames("*.example.com", ["test.example.com", "test.example.net"])).toEqual(["test.example.com"]);
    expect(intersectHostnames("foo.example.com", ["*.example.com"])).toEqual(["foo.example.com"]);
    expect(intersectHostnames("foo.example.com", ["bar.example.com"])).toBeNull();
    expect(intersectHostnames(null, [])).toEqual([]);
  });

  it("draws by weight with the seed, 500 when every weight is 0, and 500 for a cross-namespace ref without a ReferenceGrant", () => {
    const split = GW("  - { name: http, port: 80, protocol: HTTP }") + ROUTE("infra", "split", "  rules: [{ backendRefs: [{ name: v1, port: 80, weight: 90 }, { name: v2, port: 80, weight: 10 }] }]\n");
    const counts: Record<string, number> = {};
    const objects = loadL7([{ name: "in.yaml", text: split }]);
    const request = parseRouteRequest("http://a.test/");
    for (let seed = 0; seed < 400; seed++) {
      const s = routeObjects(objects, request, { seed }).backend!.service;
      counts[s] = (counts[s] ?? 0) + 1;
    }
    expect(counts["v1"]).toBeGreaterThan(320);
    expect(counts["v2"]).toBeGreaterThan(15);
    expect(route(split, "http://a.test/", { seed: 7 })).toEqual(route(split, "http://a.test/", { seed: 7 }));
    const zero = split.replace("weight: 90", "weight: 0").replace("weight: 10", "weight: 0");
    expect(route(zero, "http://a.test/")).toMatchObject({ status: 500, backend: null });
    const cross = GW("  - { name: http, port: 80, protocol: HTTP }") + ROUTE("infra", "x", "  rules: [{ backendRefs: [{ name: db, namespace: data, port: 80 }] }]\n");
    expect(route(cross, "http://a.test/").status).toBe(500);
    const grant = "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: { name: g, namespace: data }\nspec:\n  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra }]\n  to: [{ group: \"\", kind: Service }]\n";
    expect(route(cross + grant, "http://a.test/")).toMatchObject({ status: 200, backendNamespace: "data" });
  });

  it("refuses a connection no listener takes, and asks which front door when both an Ingress and a Gateway are given", () => {
    const yaml = GW("  - { name: http, port: 80, protocol: HTTP }") + ROUTE("infra", "r", "  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n");
    expect(route(yaml, "https://a.test/").status).toBeNull();
    expect(() => route(yaml + "---\n" + GKE_INGRESS, "http://a.test/")).toThrow(InputError);
  });
});

describe("the lab's pre-read presets", () => {
  it.each(ROUTE_PRESETS.map((p) => [p.id, p] as const))("%s: PRESET_OBJECTS is what loadL7 reads from its YAML", (id, p) => {
    expect(PRESET_OBJECTS[id]).toEqual(JSON.parse(JSON.stringify(loadL7([{ name: "pasted.yaml", text: p.yaml }]))));
  });
});
