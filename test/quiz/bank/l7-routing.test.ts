/**
 * The l7-routing templates (src/quiz/bank/l7-routing/), seeds 0…199 each (L7_SEEDS): the bank's common checks,
 * then facts checked against the Kubernetes documentation and the Gateway API spec independently of the templates.
 */
import { describe, expect, it } from "vitest";
import { L7_ROUTING_TEMPLATES } from "../../../src/quiz/bank/l7-routing/index";
import { areaChecks } from "./area-checks";
import { initialTransition, transition } from "xstate";
import { routeMatcherMachine } from "../../../src/machines/route-matcher.machine";
import { loadL7 } from "../../../src/sim/kube/l7/load";

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "l7-routing",
  folder: "l7-routing",
  templates: L7_ROUTING_TEMPLATES,
  seeds: { env: "L7_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 1 },
  lesson: "ingress-and-gateway-routing",
  labIds: ["route"],
  questionInExhibits: ["ingress-path-winner", "httproute-precedence", "ingress-wildcard-host"],
});

describe("l7-routing questions, checked independently", () => {
  it("ingress-path-winner: /cartoon never goes to the /cart Prefix backend, and /Cart is not /cart", () => {
    everySeed(template("ingress-path-winner"), (v) => {
      if (v.kind !== "single-choice") return "kind";
      if (v.prompt.includes("/cartoon") && v.key.choice !== "storefront") return `/cartoon → ${v.key.choice}`;
      if (v.prompt.includes("/Cart.") && v.key.choice !== "storefront") return `/Cart → ${v.key.choice}`;
      if (v.prompt.includes("/apis.") && v.key.choice !== "not-found") return `/apis → ${v.key.choice}`;
      if (v.prompt.includes("/static.") && v.key.choice !== "static-index") return `/static → ${v.key.choice}`;
      return null;
    });
  });

  it("httproute-precedence: the spec's conformance facts — a path beats a method, a method beats a header", () => {
    everySeed(template("httproute-precedence"), (v) => {
      if (v.kind !== "single-choice") return "kind";
      if (v.prompt.includes("PATCH http://shop.example.com/orders/7") && v.key.choice !== "orders") return `path over method: ${v.key.choice}`;
      if (v.prompt.includes("PATCH http://shop.example.com/ with the header version: two") && v.key.choice !== "api-patch") return `method over header: ${v.key.choice}`;
      if (v.prompt.includes("POST http://shop.example.com/orders with") && v.key.choice !== "orders-exact") return `exact over method: ${v.key.choice}`;
      return null;
    });
  });

  it("ingress-wildcard-host: a.b.c.example.com is never 'regional'", () => {
    everySeed(template("ingress-wildcard-host"), (v) => (v.kind === "single-choice" && v.prompt.includes("a.b.c.example.com") && v.key.choice === "regional" ? "wildcard depth" : null));
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["prefix-is-string-prefix", "first-rule-wins", "wildcard-any-depth"]) expect(used, id).toContain(id);
  });
});

describe("l7-routing questions open the route matcher on their own variant", () => {
  it("the lab link's manifest and request, loaded by the lab's machine, route to the key's backend", () => {
    for (const t of L7_ROUTING_TEMPLATES) {
      everySeed(t, (v) => {
        if (v.kind !== "single-choice" || !v.lab) return "no lab link";
        const q = v.lab.query;
        const get = (k: string) => q[`route.${k}`] ?? null;
        const [start] = initialTransition(routeMatcherMachine, { parser: (text: string) => loadL7([{ name: "pasted.yaml", text }]) });
        const [s] = transition(routeMatcherMachine, start, { type: "LOAD_STATE", link: { preset: get("preset"), input: get("in"), url: get("url"), method: get("method"), headers: get("headers"), via: get("via"), model: get("model") } });
        if (s.context.linkError !== null) return `link refused: ${s.context.linkError}`;
        const lab = s.context.decision?.backend?.service ?? "not-found";
        return lab === v.key.choice ? null : `lab says ${lab}, key ${v.key.choice}`;
      });
    }
  });
});
