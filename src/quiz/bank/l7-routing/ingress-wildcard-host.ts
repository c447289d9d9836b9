import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { orderedChoices, orderRandom } from "../draw";
import { labFor, LESSON, routeOnce, serviceOptions, serviceRubric } from "./shared";

/**
 * Ingress host rules: an exact host, a `*.` wildcard and (sometimes) a rule for every host. Which Service gets a
 * request for a given host? The key is src/sim/kube/l7/ingress.ts; `wildcard-any-depth` is the same matcher with
 * the Gateway API's wildcard depth.
 */
const ID = "ingress-wildcard-host";

const HOSTS = ["shop.example.com", "SHOP.example.com", "eu.example.com", "eu.shop.example.com", "example.com", "shop.example.net", "a.b.c.example.com"] as const;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { host: 3, catchAll: 0 };
  const r = seededRandom(seed);
  return { host: Math.floor(r() * HOSTS.length), catchAll: r() < 0.5 ? 1 : 0 };
}

function yamlOf(catchAll: boolean): string {
  const rule = (host: string | null, svc: string) =>
    `  - ${host === null ? "" : `host: "${host}"\n    `}http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service: { name: ${svc}, port: { number: 80 } }`;
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: sites }
spec:
  rules:
${[rule("shop.example.com", "shop"), rule("*.example.com", "regional"), ...(catchAll ? [rule(null, "catch-all")] : [])].join("\n")}
`;
}

export const ingressWildcardHost: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which Ingress host rule takes it?",
  lesson: LESSON,
  concepts: ["ingress-routing"],
  file: "src/quiz/bank/l7-routing/ingress-wildcard-host.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const host = HOSTS[p.host as number]!;
    const catchAll = p.catchAll === 1;
    const yaml = yamlOf(catchAll);
    const url = `http://${host}/`;
    const real = routeOnce(yaml, url, "GET", []);
    const services = ["shop", "regional", "catch-all"];
    const key = { choice: real.choice };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `An Ingress controller serves the Ingress below (no spec.defaultBackend). A client asks for ${url}. Which Service receives it?`,
      exhibits: [{ kind: "output", command: "kubectl get ingress sites -o yaml   # spec only", text: yaml.trimEnd() }],
      view: { options: orderedChoices(orderRandom(seed, ID), serviceOptions(services, "None: the default backend answers 404")) },
      key,
      rubric: { options: serviceRubric(real, services) },
      misconceptions: misconceptionAnswers<"single-choice">(["wildcard-any-depth"], (model) => ({ choice: routeOnce(yaml, url, "GET", [], model as "wildcard-any-depth").choice }), key),
      hints: [
        "Host names compare without regard to case. An exact host rule beats a wildcard.",
        "How many labels may stand in front of the suffix in an Ingress wildcard host? And does the wildcard cover the bare suffix?",
      ],
      explanation:
        `${real.decision.summary} In an Ingress, *.example.com covers exactly one label in front of example.com — not example.com itself and not a.b.example.com (the Gateway API's wildcard does cover several). A rule without a host applies only when no host rule covers the request${catchAll ? "" : "; this Ingress has none, so an uncovered host gets the default backend's 404"}.`,
      lab: labFor(yaml, url, "GET", []),
    };
  },
};
