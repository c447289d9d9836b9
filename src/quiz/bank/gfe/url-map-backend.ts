import { parseHttpRequest } from "../../../sim/edge/gfe-request";
import { decodeUrlMap, matchUrlMap, type UrlMapDecision } from "../../../sim/edge/url-map";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import { exportYaml, labAt, LESSON } from "./shared";
import { orderedChoices, orderRandom, pick, shuffle } from "../draw";

/**
 * Which backend service a request reaches under a URL map whose path rules overlap and are listed in
 * a seeded order. The key is the matcher's decision; the first-path-rule-wins model's answer (rules
 * tried in listing order) is its misconception.
 */
const ID = "url-map-backend";
const DEFAULT = "k8s1-3f9a7c2e-kube-system-default-http-backend-80-1c2d3e4f";
const RULES = [
  { paths: ["/*"], service: "shop-frontend" },
  { paths: ["/api/*"], service: "shop-api" },
  { paths: ["/api/v2/*"], service: "shop-api-v2" },
  { paths: ["/checkout", "/checkout/*"], service: "shop-checkout" },
] as const;
const SERVICES = [...RULES.map((r) => r.service), "marketing-site", DEFAULT] as const;
const PATHS = ["/api/v2/cart", "/api/v1/cart", "/checkout", "/checkout/pay", "/checkoutx", "/", "/API/v2/cart", "/api/v2/cart?coupon=/checkout"] as const;
const HOSTS = ["shop.example.com", "SHOP.Example.com", "shop.example.com:443", "blog.example.com", "example.com"] as const;

function params(seed: number) {
  if (seed === 0) return { order: "0,1,2,3", path: "/api/v2/cart", host: "shop.example.com" };
  const random = seededRandom(seed);
  return { order: shuffle(random, [0, 1, 2, 3]).join(","), path: pick(random, PATHS), host: pick(random, HOSTS) };
}

function mapFor(order: string) {
  return {
    name: "k8s2-um-4ff6qdzk-shop-shop-ingress-2kq7d8mz",
    defaultService: DEFAULT,
    hostRules: [
      { hosts: ["shop.example.com"], pathMatcher: "shop" },
      { hosts: ["*.example.com"], pathMatcher: "marketing" },
    ],
    pathMatchers: [
      { name: "shop", defaultService: DEFAULT, pathRules: order.split(",").map((i) => RULES[Number(i)]!).map((r) => ({ paths: [...r.paths], service: r.service })) },
      { name: "marketing", defaultService: "marketing-site" },
    ],
  };
}

const serviceOf = (d: UrlMapDecision) => (d.target.kind === "service" ? d.target.name : "redirect");

export const urlMapBackend: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which backend service does the URL map pick?",
  lesson: LESSON,
  concepts: ["url-map", "gfe"],
  file: "src/quiz/bank/gfe/url-map-backend.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const raw = mapFor(p.order);
    const map = decodeUrlMap(raw);
    const request = parseHttpRequest({ url: p.path, host: p.host });
    const real = matchUrlMap(map, request);
    const wrong = matchUrlMap(map, request, { model: "first-path-rule-wins" });
    const key = serviceOf(real);
    const options = orderedChoices(orderRandom(seed, ID), SERVICES.map((s) => ({ id: s, text: s === DEFAULT ? `${s} (GKE's default backend)` : s })));
    const why = (s: string): Why => {
      if (s === key) return { why: `Right: ${real.decidedBy}.`, step: null };
      if (s === serviceOf(wrong)) return { why: `${s} is what you get by trying the rules in the order they are listed; the URL map compares every path and the longest match wins, whatever the order. ${real.decidedBy}.`, step: null };
      return { why: `Not this one: ${real.decidedBy}.`, step: null };
    };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `The shop's GKE Ingress produced the URL map below. A request arrives at the load balancer for ${p.path} with Host: ${p.host}. Which backend service does the GFE send it to?`,
      exhibits: [{ kind: "output", command: `gcloud compute url-maps export ${raw.name} --global`, text: exportYaml(raw) }],
      view: { options },
      key: { choice: key },
      rubric: { options: Object.fromEntries(SERVICES.map((s) => [s, why(s)])) },
      misconceptions: serviceOf(wrong) !== key ? [{ misconception: "first-path-rule-wins", answer: { choice: serviceOf(wrong) } }] : [],
      hints: [
        "First the Host picks a host rule (the port and the letter case do not matter; an exact name beats a wildcard), then the path matcher looks at the path without its query string.",
        "Path rules are not tried top to bottom: of all the paths that match, the longest wins. /a/* covers /a/ and below, not /a itself.",
      ],
      explanation: `The GFE matches the Host against the host rules first — ${real.hostRule ? `${real.hostRule.pattern} matches ${request.host}` : `nothing matches ${request.host}`} — and then the path ${real.path} against that path matcher's rules, where the longest matching path wins regardless of listing order. ${real.decidedBy}.`,
      lab: labAt({ url: p.path, host: p.host, urlMapYaml: exportYaml(raw) }),
    };
  },
};
