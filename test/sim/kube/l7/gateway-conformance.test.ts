/**
 * Conformance: every case of kubernetes-sigs/gateway-api's HTTPRoute matching tests
 * (../shared/conformance/gateway-api-httproute-matching.json — httproute-matching, -across-routes,
 * -path-match-order, -exact-path-matching, -header-matching, -method-matching, -query-param-matching)
 * run through the same loader and matcher the CLI and the lab use. The routes go in as the suite's JSON
 * (JSON is YAML), beside the suite's Gateway. No case is skipped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRouteRequest } from "../../../../src/sim/kube/l7/request";
import { loadL7 } from "../../../../src/sim/kube/l7/load";
import { routeObjects } from "../../../../src/sim/kube/l7/route";

interface Case { request: { path: string; host?: string; method?: string; headers?: Record<string, string> }; expect: { backend?: string; statusCode?: number }; comment?: string }
interface Suite { name: string; cases: Case[]; routes: unknown[] }
const data = JSON.parse(readFileSync(join(__dirname, "../../../../../shared/conformance/gateway-api-httproute-matching.json"), "utf8")) as {
  suites: Suite[]; gateway: { name: string; namespace: string; listeners: unknown[] }; request_defaults: { method: string };
};

const gatewayDoc = JSON.stringify({
  apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway",
  metadata: { name: data.gateway.name, namespace: data.gateway.namespace },
  spec: { gatewayClassName: "conformance", listeners: data.gateway.listeners },
});
/** The address a client uses when a case names no host: routes without hostnames accept any. */
const GATEWAY_ADDRESS = "192.0.2.10";

describe.each(data.suites.map((s) => [s.name, s] as const))("%s", (_name, suite) => {
  const objects = loadL7([{ name: `${suite.name}.yaml`, text: [gatewayDoc, ...suite.routes.map((r) => JSON.stringify(r))].join("\n---\n") }]);
  it.each(suite.cases.map((c) => [`${c.request.method ?? data.request_defaults.method} ${c.request.host ?? ""}${c.request.path} ${JSON.stringify(c.request.headers ?? {})}`, c] as const))("%s", (_label, c) => {
    const request = parseRouteRequest(`http://${c.request.host ?? GATEWAY_ADDRESS}${c.request.path}`, {
      method: c.request.method ?? data.request_defaults.method,
      headers: Object.entries(c.request.headers ?? {}).map(([k, v]) => `${k}:${v}`),
    });
    const decision = routeObjects(objects, request);
    if (c.expect.backend !== undefined) {
      expect(decision.status).toBe(200);
      expect(decision.backend?.service).toBe(c.expect.backend);
      expect(decision.backendNamespace).toBe(data.gateway.namespace);
    } else {
      expect(decision.status).toBe(c.expect.statusCode);
      expect(decision.backend).toBeNull();
    }
  });
});
