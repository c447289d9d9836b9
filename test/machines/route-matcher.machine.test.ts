import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { routeLinkOf, routeMatcherMachine, type RouteLink } from "../../src/machines/route-matcher.machine";
import { loadL7 } from "../../src/sim/kube/l7/load";

const parseL7 = (text: string) => loadL7([{ name: "pasted.yaml", text }]);
import { GATEWAY_SPLIT_YAML, INGRESS_PATHS_YAML } from "../../src/sim/kube/l7/presets";

const start = (preset?: string) => initialTransition(routeMatcherMachine, { preset, parser: parseL7 })[0];

describe("route matcher machine", () => {
  it("starts on a preset with a decision computed synchronously", () => {
    const s = start();
    expect(s.context.presetId).toBe("ingress-paths");
    expect(s.context.decision?.backend).toEqual({ service: "cart", port: 8080 });
    expect(s.context.errors).toEqual({});
  });

  it("a request change moves the decision; the Exact path beats the Prefix of the same length", () => {
    const [s] = transition(routeMatcherMachine, start(), { type: "CHANGE", field: "url", text: "http://shop.example.com/cart" });
    expect(s.context.decision?.backend?.service).toBe("cart-summary");
    expect(s.context.revision).toBe(1);
  });

  it("a bad header is an error at that field only; the YAML's answer stays", () => {
    const [s] = transition(routeMatcherMachine, start("gateway-split"), { type: "CHANGE", field: "headers", text: "env canary" });
    expect(s.context.errors.headers).toMatch(/NAME:VALUE/);
    expect(s.context.errors.yaml).toBeUndefined();
    expect(s.context.decision).toBeNull();
    const [fixed] = transition(routeMatcherMachine, s, { type: "CHANGE", field: "headers", text: "env: canary" });
    expect(fixed.context.errors).toEqual({});
  });

  it("broken YAML lists its problems with lines, and the URL field stays valid", () => {
    const [s] = transition(routeMatcherMachine, start(), { type: "CHANGE", field: "yaml", text: INGRESS_PATHS_YAML.replace("pathType: Exact", "pathType: Exactly") });
    expect(s.context.yamlProblems).toEqual([expect.objectContaining({ line: 27, message: expect.stringMatching(/Unsupported value: "Exactly"/) })]);
    expect(s.context.errors.url).toBeUndefined();
  });

  it("runs a wrong model beside the real one", () => {
    const [a] = transition(routeMatcherMachine, start("gateway-split"), { type: "CHANGE", field: "url", text: "http://store.example.com/de/checkout" });
    const [b] = transition(routeMatcherMachine, a, { type: "SET_MODEL", model: "first-rule-wins" });
    expect(b.context.decision?.backend?.service).toBe("checkout");
    expect(["store-v1", "store-v2"]).toContain(b.context.wrong?.backend?.service);
  });

  it("asks for the front door when both kinds are pasted", () => {
    const [s] = transition(routeMatcherMachine, start(), { type: "CHANGE", field: "yaml", text: `${INGRESS_PATHS_YAML}---\n${GATEWAY_SPLIT_YAML}` });
    expect(s.context.errors.via).toMatch(/two different load balancers/);
    const [t] = transition(routeMatcherMachine, s, { type: "SET_VIA", via: "ingress" });
    expect(t.context.decision?.via).toBe("ingress");
  });

  it("starts from a parsed preset without the YAML parser, and asks for it on the first YAML edit", () => {
    const [s] = initialTransition(routeMatcherMachine, {});
    expect(s.context.parser).toBeNull();
    expect(s.context.needsParser).toBe(false);
    expect(s.context.decision?.backend?.service).toBe("cart");
    const [edited] = transition(routeMatcherMachine, s, { type: "CHANGE", field: "yaml", text: INGRESS_PATHS_YAML.replace("name: cart,", "name: basket,") });
    expect(edited.context.needsParser).toBe(true);
    expect(edited.context.decision).toBeNull();
    const [ready] = transition(routeMatcherMachine, edited, { type: "PARSER_READY", parser: parseL7 });
    expect(ready.context.needsParser).toBe(false);
    expect(ready.context.decision?.backend?.service).toBe("basket");
  });

  it("switches presets", () => {
    const [s] = transition(routeMatcherMachine, start(), { type: "PRESET", id: "gateway-namespaces" });
    expect(s.context.decision?.backend?.service).toBe("status-page");
  });

  describe("links", () => {
    const none: RouteLink = { preset: null, input: null, url: null, method: null, headers: null, via: null, model: null };
    const load = (link: Partial<RouteLink>, from = start()) => transition(routeMatcherMachine, from, { type: "LOAD_STATE", link: { ...none, ...link } })[0];

    it("a link written from a state reopens that state: pasted YAML, request and wrong model", () => {
      let s = start("gateway-split");
      s = transition(routeMatcherMachine, s, { type: "CHANGE", field: "yaml", text: GATEWAY_SPLIT_YAML.replace(/store\.example\.com/g, "shop.example.org") })[0];
      s = transition(routeMatcherMachine, s, { type: "CHANGE", field: "url", text: "http://shop.example.org/de/checkout" })[0];
      s = transition(routeMatcherMachine, s, { type: "SET_MODEL", model: "first-rule-wins" })[0];
      const link = routeLinkOf(s.context);
      expect(link.preset).toBeUndefined();
      expect(link.in).toMatch(/^1\./);
      const reopened = load({ input: link.in!, url: link.url ?? null, method: link.method ?? null, headers: link.headers ?? null, model: link.model ?? null });
      expect(reopened.context.linkError).toBeNull();
      expect(reopened.context.yamlText).toBe(s.context.yamlText);
      expect(reopened.context.decision).toEqual(s.context.decision);
      expect(reopened.context.wrong).toEqual(s.context.wrong);
    });

    it("a preset's own link names only the preset", () => {
      expect(routeLinkOf(start("gateway-namespaces").context)).toEqual({ preset: "gateway-namespaces" });
      expect(load({ preset: "gateway-namespaces" }).context.decision?.backend?.service).toBe("status-page");
    });

    it("each unusable value is named in one message, and what was usable still opens", () => {
      const s = load({ preset: "nope", url: "not a url", via: "sideways", model: "guess", method: "GET" });
      expect(s.context.linkError).toMatch(/preset "nope"/);
      expect(s.context.linkError).toMatch(/URL is not usable/);
      expect(s.context.linkError).toMatch(/front door "sideways"/);
      expect(s.context.linkError).toMatch(/wrong model "guess"/);
      expect(s.context.errors.url).toBeDefined();
      expect(s.context.presetId).toBe("ingress-paths");
    });

    it("a damaged input is refused with a message; the preset stays", () => {
      const s = load({ input: "1.garbage%%" });
      expect(s.context.linkError).toMatch(/could not be read/);
      expect(s.context.decision?.backend?.service).toBe("cart");
    });
  });
});
