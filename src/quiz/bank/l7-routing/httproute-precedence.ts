import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { labFor, LESSON, routeOnce, serviceOptions, serviceRubric } from "./shared";

/**
 * An HTTPRoute whose rules overlap, and one request: which backend does the Gateway send it to? The key is the
 * Gateway API precedence as src/sim/kube/l7/gateway.ts implements it (and the conformance suite checks);
 * `first-rule-wins` and `prefix-is-string-prefix` are that matcher under the wrong models.
 */
const ID = "httproute-precedence";

interface RuleRow { readonly match: string; readonly service: string }
const RULES: readonly RuleRow[] = [
  { match: "{ method: POST }", service: "api-post" },
  { match: "{ path: { type: PathPrefix, value: /orders } }", service: "orders" },
  { match: "{ method: PATCH }", service: "api-patch" },
  { match: "{ headers: [{ name: version, value: two }] }", service: "api-v2" },
  { match: "{ path: { type: Exact, value: /orders } }", service: "orders-exact" },
  { match: "{ path: { type: PathPrefix, value: /orders/archive }, headers: [{ name: version, value: two }] }", service: "archive-v2" },
];
const REQUESTS: readonly (readonly [method: string, path: string, header: string | null])[] = [
  ["PATCH", "/orders/7", null],
  ["PATCH", "/", "version:two"],
  ["GET", "/", "version:two"],
  ["POST", "/orders", null],
  ["GET", "/orders/archive/2023", "version:two"],
  ["GET", "/orders/archive/2023", null],
  ["GET", "/ordersheet", "version:two"],
  ["DELETE", "/ordersheet", null],
  ["POST", "/orders/", "version:two"],
];

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { request: 0, rotate: 0 };
  const r = seededRandom(seed);
  return { request: Math.floor(r() * REQUESTS.length), rotate: pick(r, [0, 1, 2, 3, 4, 5]) };
}

function yamlOf(rules: readonly RuleRow[]): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: external, namespace: shop }
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners: [{ name: http, port: 80, protocol: HTTP }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api, namespace: shop }
spec:
  parentRefs: [{ name: external }]
  rules:
${rules.map((r) => `  - matches: [${r.match}]\n    backendRefs: [{ name: ${r.service}, port: 8080 }]`).join("\n")}
`;
}

export const httproutePrecedence: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which HTTPRoute rule wins?",
  lesson: LESSON,
  concepts: ["gateway-api", "ingress-routing"],
  file: "src/quiz/bank/l7-routing/httproute-precedence.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const k = p.rotate as number;
    const rules = [...RULES.slice(k), ...RULES.slice(0, k)];
    const [method, path, header] = REQUESTS[p.request as number]!;
    const yaml = yamlOf(rules);
    const url = `http://shop.example.com${path}`;
    const headers = header === null ? [] : [header];
    const real = routeOnce(yaml, url, method, headers);
    const services = RULES.map((r) => r.service);
    const key = { choice: real.choice };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `The Gateway and HTTPRoute below are applied. A client sends ${method} ${url}${header === null ? " with no extra headers" : ` with the header ${header.replace(":", ": ")}`}. Which Service receives it?`,
      exhibits: [{ kind: "output", command: "kubectl get gateway,httproute -n shop -o yaml   # spec only", text: yaml.trimEnd() }],
      view: { options: orderedChoices(orderRandom(seed, ID), serviceOptions(services, "None: the Gateway answers 404")) },
      key,
      rubric: { options: serviceRubric(real, services, (service) => rules.findIndex((r) => r.service === service)) },
      misconceptions: misconceptionAnswers<"single-choice">(["first-rule-wins", "prefix-is-string-prefix"], (model) => ({ choice: routeOnce(yaml, url, method, headers, model as "first-rule-wins").choice }), key),
      hints: [
        "Find every match that holds. A match with no path still carries the default PathPrefix /.",
        "Rank them in the spec's order: an Exact path, then the longest PathPrefix, then a method match, then the most header matches. Only a full tie falls back to the order of the rules.",
      ],
      explanation:
        `${real.decision.summary} Across all matches the Gateway API ranks an Exact path first, then the longest PathPrefix (compared element by element), then a method match, then the number of header matches and then of query-parameter matches; only when all of that ties do route age, name and finally rule order decide.`,
      lab: labFor(yaml, url, method, headers),
    };
  },
};
