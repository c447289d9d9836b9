/**
 * Properties of the matchers that must hold for any configuration, not only the published cases.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchGateway, type GatewayInput } from "../../../../src/sim/kube/l7/gateway";
import type { HttpRoute, HttpRouteMatch, HttpRouteRule } from "../../../../src/sim/kube/l7/gateway-read";
import { matchIngress } from "../../../../src/sim/kube/l7/ingress";
import type { Ingress, IngressPath } from "../../../../src/sim/kube/l7/ingress-read";
import { prefixPathMatches } from "../../../../src/sim/kube/l7/path";
import { parseRouteRequest } from "../../../../src/sim/kube/l7/request";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const segment = fc.constantFrom("a", "b", "ab", "v1", "v2");
const path = fc.array(segment, { minLength: 0, maxLength: 3 }).map((s) => `/${s.join("/")}`);
const reqPath = fc.tuple(path, fc.boolean()).map(([p, slash]) => (slash && p !== "/" ? `${p}/` : p));

const match = fc.record({
  type: fc.constantFrom("Exact" as const, "PathPrefix" as const),
  value: path,
  method: fc.option(fc.constantFrom("GET", "POST"), { nil: null }),
  header: fc.option(fc.constantFrom("one", "two"), { nil: null }),
}).map((m): HttpRouteMatch => ({
  path: { type: m.type, value: m.value }, pathGiven: true, method: m.method,
  headers: m.header === null ? [] : [{ type: "Exact", name: "version", value: m.header }], queryParams: [],
}));
const rule = fc.tuple(fc.array(match, { minLength: 1, maxLength: 2 }), fc.constantFrom("s1", "s2", "s3"))
  .map(([matches, svc]): HttpRouteRule => ({ matches, matchesGiven: true, backendRefs: [{ group: "", kind: "Service", name: svc, namespace: null, port: 80, weight: 1 }], filters: 0 }));
const request = fc.record({ path: reqPath, method: fc.constantFrom("GET", "POST"), version: fc.option(fc.constantFrom("one", "two"), { nil: null }) })
  .map((r) => parseRouteRequest(`http://a.test${r.path}`, { method: r.method, headers: r.version === null ? [] : [`version:${r.version}`] }));

function gatewayWith(rules: readonly HttpRouteRule[]): GatewayInput {
  const route: HttpRoute = { name: "r", namespace: "infra", created: null, parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: null, name: "gw", sectionName: null, port: null }], hostnames: [], rules };
  return { gateway: { name: "gw", namespace: "infra", gatewayClassName: "x", listeners: [{ name: "http", hostname: null, port: 80, protocol: "HTTP", from: "Same", selector: null, kinds: [], certificateRefs: [] }] }, classes: [], routes: [route], grants: [], namespaces: [] };
}

describe("Gateway API precedence", () => {
  it("adding a PathPrefix rule never changes a request an Exact match already decides", () => {
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), rule.map((r) => ({ ...r, matches: r.matches.map((m) => ({ ...m, path: { type: "PathPrefix" as const, value: m.path.value } })) })), fc.nat(3), request, (rules, extra, at, req) => {
      const before = matchGateway(gatewayWith(rules), req);
      fc.pre(before.candidates.find((c) => c.won)?.rule.text.includes(": Exact ") === true);
      const after = matchGateway(gatewayWith([...rules.slice(0, at), extra, ...rules.slice(at)]), req);
      expect(after.backend).toEqual(before.backend);
    }), { numRuns: RUNS });
  });

  it("the rule that wins matches the request, and no other matching rule outranks it on the spec's key", () => {
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 5 }), request, (rules, req) => {
      const d = matchGateway(gatewayWith(rules), req);
      const won = d.candidates.filter((c) => c.won);
      expect(won.length).toBe(d.status === 404 ? 0 : 1);
      if (d.status === 404) expect(d.candidates.every((c) => !c.matched)).toBe(true);
      else expect(won[0]!.matched).toBe(true);
    }), { numRuns: RUNS });
  });
});

describe("Ingress precedence", () => {
  const ipath = fc.record({ path, pathType: fc.constantFrom("Exact" as const, "Prefix" as const) });
  it("the order of paths never changes the backend (distinct paths): longest match, then Exact over Prefix", () => {
    fc.assert(fc.property(fc.uniqueArray(ipath, { minLength: 1, maxLength: 6, selector: (p) => `${p.pathType} ${p.path.replace(/\/$/, "") || "/"}` }), reqPath, fc.nat(), (paths, p, shift) => {
      const withBackends: IngressPath[] = paths.map((x) => ({ ...x, backend: { service: `${x.pathType} ${x.path}`, port: 80 } }));
      const rotated = [...withBackends.slice(shift % paths.length), ...withBackends.slice(0, shift % paths.length)];
      const ing = (ps: IngressPath[]): Ingress => ({ name: "i", namespace: "d", className: null, tls: [], defaultBackend: null, rules: [{ host: null, paths: ps }] });
      const req = parseRouteRequest(`http://a.test${p}`);
      expect(matchIngress([ing(rotated)], req).backend).toEqual(matchIngress([ing(withBackends)], req).backend);
    }), { numRuns: RUNS });
  });
});

describe("element-wise prefix", () => {
  it("a prefix that matches a path matches everything under it, and is always a string prefix too", () => {
    fc.assert(fc.property(path, reqPath, segment, (prefix, p, more) => {
      if (!prefixPathMatches(prefix, p)) return;
      expect(prefixPathMatches(prefix, `${p.replace(/\/$/, "")}/${more}`)).toBe(true);
      expect(p.startsWith(prefix.replace(/\/$/, "")) || prefix === "/").toBe(true);
    }), { numRuns: RUNS });
  });
});
