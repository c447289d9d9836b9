import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", "route", ...args], { encoding: "utf8" });

let dir = "";
const file = (name: string) => join(dir, name);

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
      - { path: /cart, pathType: Prefix, backend: { service: { name: cart, port: { number: 8080 } } } }
`;
const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners: [{ name: http, port: 80, protocol: HTTP }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api }
spec:
  parentRefs: [{ name: gw }]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /api } }]
    backendRefs: [{ name: api-v1, port: 8080 }]
  - matches: [{ path: { type: PathPrefix, value: /api }, headers: [{ name: version, value: two }] }]
    backendRefs: [{ name: api-v2, port: 8080 }]
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-route-"));
  writeFileSync(file("ingress.yaml"), INGRESS);
  writeFileSync(file("gateway.yaml"), GATEWAY);
  writeFileSync(file("bad.yaml"), "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: x }\nspec:\n  rules: [ {\n");
});

describe("npm run sim -- route", () => {
  it("prints the backend and the rule that decided", () => {
    const out = sim(file("ingress.yaml"), "--url", "http://shop.example.com/cart/items");
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^200 → shop\/cart:8080/);
    expect(out.stdout).toContain("rule: Ingress shop/shop rules[0] host shop.example.com, Prefix /cart");
  });

  it("--json has backend, status and rule", () => {
    const hit = JSON.parse(sim(file("gateway.yaml"), "--url", "http://a.test/api/x", "--header", "Version:two", "--json").stdout);
    expect(hit.backend).toEqual({ service: "api-v2", port: 8080 });
    expect(hit.status).toBe(200);
    expect(hit.rule).toMatchObject({ kind: "HTTPRoute", namespace: "default", name: "api", ruleIndex: 1, matchIndex: 0 });
  });

  it("--json: a path-element miss is a 404 with no backend and no rule", () => {
    const miss = JSON.parse(sim(file("gateway.yaml"), "--url", "http://a.test/apis", "--json").stdout);
    expect(miss).toMatchObject({ backend: null, status: 404, rule: null });
  });

  it("--model runs a wrong model", () => {
    const wrong = JSON.parse(sim(file("ingress.yaml"), "--url", "http://shop.example.com/cartoon", "--model", "prefix-is-string-prefix", "--json").stdout);
    expect(wrong.backend.service).toBe("cart");
  });

  it("--method is accepted and a Prefix never matches a longer element", () => {
    const right = JSON.parse(sim(file("ingress.yaml"), "--url", "http://shop.example.com/cartoon", "--method", "POST", "--json").stdout);
    expect(right.backend.service).toBe("web");
  });

  it.each([
    [["--url", "shop.example.com/cart"], /absolute http/],
    [["--url", "http://a.test/", "--header", "novalue"], /NAME:VALUE/],
    [["--url", "http://a.test/", "--method", "get me"], /HTTP method/],
    [[], /--url/],
  ])("refuses bad input %j with exit 2 and one line", (args, message) => {
    const out = sim(file("ingress.yaml"), ...args);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("puts YAML problems at file:line:column", () => {
    const out = sim(file("bad.yaml"), "--url", "http://a.test/");
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/bad\.yaml:\d+:\d+: YAML syntax error/);
  });

  it("asks which front door when both an Ingress and a Gateway are given", () => {
    const out = sim(file("ingress.yaml"), file("gateway.yaml"), "--url", "http://a.test/");
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--via ingress or --via gateway/);
  });

  it("--via picks the front door", () => {
    expect(sim(file("ingress.yaml"), file("gateway.yaml"), "--url", "http://a.test/api", "--via", "gateway").status).toBe(0);
  });
});
