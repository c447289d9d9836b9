import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom, pick } from "../draw";
import { labFor, LESSON, NOT_FOUND, routeOnce, serviceOptions, serviceRubric } from "./shared";

/**
 * An Ingress with several paths and one request: which Service gets it? The key is the L7 matcher
 * (src/sim/kube/l7/ingress.ts); `prefix-is-string-prefix` and `first-rule-wins` are the same matcher under
 * those wrong models.
 */
const ID = "ingress-path-winner";

type PathRow = readonly [path: string, pathType: "Prefix" | "Exact" | "ImplementationSpecific", service: string];
const SETS: readonly { readonly paths: readonly PathRow[]; readonly requests: readonly string[] }[] = [
  {
    paths: [["/", "Prefix", "storefront"], ["/cart", "Prefix", "cart"], ["/cart", "Exact", "cart-summary"], ["/cart/checkout", "Prefix", "checkout"]],
    requests: ["/cart", "/cart/", "/cartoon", "/cart/checkout/pay", "/Cart", "/cart/checkouts"],
  },
  {
    paths: [["/api", "Prefix", "api"], ["/api/v2", "Prefix", "api-v2"], ["/api/v2/health", "Exact", "health"]],
    requests: ["/api/v2/health", "/api/v2/health/", "/api/v2x", "/apis", "/api/v2/users", "/"],
  },
  {
    paths: [["/", "Prefix", "web"], ["/static/*", "ImplementationSpecific", "static"], ["/static", "Exact", "static-index"]],
    requests: ["/static", "/static/", "/static/css/site.css", "/staticfiles", "/about"],
  },
];

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { set: 0, request: 2, rotate: 0 };
  const r = seededRandom(seed);
  const set = Math.floor(r() * SETS.length);
  return { set, request: Math.floor(r() * SETS[set]!.requests.length), rotate: pick(r, [0, 1, 2]) };
}

function yamlOf(paths: readonly PathRow[]): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: gce
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
${paths.map(([path, type, svc]) => `      - path: ${path}\n        pathType: ${type}\n        backend:\n          service: { name: ${svc}, port: { number: 80 } }`).join("\n")}
`;
}

export const ingressPathWinner: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which Ingress path takes the request?",
  lesson: LESSON,
  concepts: ["ingress-routing", "url-map"],
  file: "src/quiz/bank/l7-routing/ingress-path-winner.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const set = SETS[p.set as number]!;
    const k = (p.rotate as number) % set.paths.length;
    const paths = [...set.paths.slice(k), ...set.paths.slice(0, k)];
    const path = set.requests[p.request as number]!;
    const yaml = yamlOf(paths);
    const url = `http://shop.example.com${path}`;
    const real = routeOnce(yaml, url, "GET", []);
    const services = set.paths.map((row) => row[2]);
    const key = { choice: real.choice };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `GKE serves the Ingress below (no spec.defaultBackend). A client sends GET ${url}. Which Service receives the request?`,
      exhibits: [{ kind: "output", command: "kubectl get ingress shop -o yaml   # spec only", text: yaml.trimEnd() }],
      view: { options: orderedChoices(orderRandom(seed, ID), serviceOptions(services, "None: the default backend answers 404")) },
      key,
      rubric: { options: serviceRubric(real, [...services]) },
      misconceptions: misconceptionAnswers<"single-choice">(["prefix-is-string-prefix", "first-rule-wins"], (model) => ({ choice: routeOnce(yaml, url, "GET", [], model as "first-rule-wins").choice }), key),
      hints: [
        "List the paths that match at all: Exact is the whole path, Prefix compares whole path elements, and on GKE a path ending in /* means 'starts with' what comes before the *.",
        "Among the matching paths, which is longest? At equal length, Exact beats Prefix. The order in the YAML does not matter.",
      ],
      explanation:
        `${real.decision.summary} ` +
        (real.choice === NOT_FOUND
          ? "No path matches, and the Ingress has no spec.defaultBackend, so GKE's default backend (default-http-backend in kube-system) answers 404. "
          : "") +
        "Prefix matching is element by element (/cart matches /cart/ and /cart/x, never /cartoon), Exact is byte for byte and case-sensitive, and the longest match wins whatever the listing order.",
      lab: labFor(yaml, url, "GET", []),
    };
  },
};
