import { seededRandom } from "../../../sim/random";
import { hostHeaderCases, type HostHeaderCase } from "../../../sim/edge/dns-host-header";
import { GOOGLE } from "../../../sim/edge/google-edge";
import type { Choice, Template, Why } from "../../engine/types";
import { LESSON, misconceptionAnswers } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * A client connects to the load balancer's address directly with some Host header: what comes back?
 * The key is read off the flagship trace (`hostHeaderCases`, which runs `computeTrace("cloudflare-gke",
 * { cloudflare: "bypassed", host, … })`); the tls-at-pod model's answer is the same case run under it.
 */
const ID = "host-header-answer";
const CASE_IDS: readonly HostHeaderCase["id"][] = ["matching", "unknown-host", "ip-literal", "matching-cloud-armor", "unknown-cloud-armor"];

function params(seed: number): Record<string, string> {
  if (seed === 0) return { case: "unknown-host" };
  return { case: pick(seededRandom(seed), CASE_IDS) };
}

/** The option a case's status and author make. */
function optionOf(c: HostHeaderCase): string {
  if (c.status.startsWith("200")) return "pod-200";
  if (c.status.startsWith("403")) return "armor-403";
  if (c.status.startsWith("404")) return "default-404";
  throw new Error(`no option for ${c.status}`);
}

const cachedCases = new Map<string, HostHeaderCase[]>();
function casesUnder(model: string | null): HostHeaderCase[] {
  const k = String(model);
  if (!cachedCases.has(k)) cachedCases.set(k, hostHeaderCases(model));
  return cachedCases.get(k)!;
}

export const hostHeaderAnswer: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "The Host header at the load balancer",
  lesson: LESSON,
  concepts: ["url-map", "gfe", "origin-protection"],
  file: "src/quiz/bank/dns/host-header-answer.ts",
  source: "seed 000, question on the Host header",
  params,
  variant(seed) {
    const p = params(seed);
    const c = casesUnder(null).find((x) => x.id === p.case)!;
    const key = { choice: optionOf(c) };
    const right = (id: string) => id === key.choice;
    const options: Choice[] = orderedChoices(orderRandom(seed, ID), [
      { id: "pod-200", text: "200 OK: the URL map routes it to the web Pods" },
      { id: "default-404", text: "404 Not Found from the URL map's default service (GKE's default backend)" },
      { id: "armor-403", text: "403 Forbidden from the Cloud Armor security policy" },
      { id: "refused", text: "The TCP connection is refused: Google accepts connections only for domains its customers have verified" },
    ]);
    const whys: Record<string, Why> = {
      "pod-200": { why: right("pod-200") ? `${c.by}: ${c.note}` : c.matchedRule === null ? "No host rule matches this Host, so the request never reaches the web backend service." : "The request matches the rule but something in front of the backend service answers first.", step: c.step },
      "default-404": { why: right("default-404") ? `${c.by}. ${c.note}` : c.matchedRule ? `The Host matches the rule ${c.matchedRule}, so the default service is not involved.` : "The default service would answer, but something else answers first.", step: c.step },
      "armor-403": { why: right("armor-403") ? `${c.by}. ${c.note}` : c.protection === "none" ? "No Cloud Armor policy is attached in this case; nothing here denies with 403." : "The policy is attached to the web Service's backend service, and this request never reaches it: the URL map sends it to the default service.", step: c.step },
      refused: { why: "The load balancer's address accepts TCP connections from anyone; Google does not check domain ownership. What it does with the request is decided by the URL map from the Host header.", step: "request:gfe" },
    };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `www.example.com is served by GKE Ingress behind Cloudflare; the Ingress has one rule, for host www.example.com. A script skips Cloudflare and connects straight to the load balancer's address ${GOOGLE.vip} on port 443, ignoring certificate errors, ` +
        `and sends GET / with Host: ${c.host}. ${c.protection === "cloud-armor" ? "The web Service's backend service has a Cloud Armor policy that allows only Cloudflare's published ranges." : "No Cloud Armor policy is attached."} What does the script get back?`,
      exhibits: [{ kind: "settings", chips: [
        { key: "to", label: "Connects to", value: `${GOOGLE.vip}:443 (skipping Cloudflare)` },
        { key: "host", label: "Host header", value: c.host },
        { key: "protection", label: "Origin protection", value: c.protection === "cloud-armor" ? "Cloud Armor allow-list" : "none" },
      ] }],
      view: { options },
      key,
      rubric: { options: whys },
      misconceptions: misconceptionAnswers<"single-choice">(["tls-at-pod"], (model) => ({ choice: optionOf(casesUnder(model).find((x) => x.id === c.id)!) }), key),
      hints: [
        "The load balancer does not know who owns a domain; what does it compare the Host header with?",
        "Where is a Cloud Armor policy attached, and which requests pass through that place?",
      ],
      explanation:
        "The GFE terminates TLS, reads the Host header and matches it against the URL map GKE built from the Ingress: a match goes to the web backend service (where its Cloud Armor policy, if any, is checked), anything else to the default service, whose default backend answers 404. " +
        "A 403 comes only from a denying policy, not from the Host check — and the Host check stops nobody who sends the right name.",
      lab: { page: "/lessons/life-of-a-packet/", lab: "journey", query: { "scenario.cloudflare": "bypassed", "scenario.host": c.id === "ip-literal" ? "api.example.com" : c.host, "scenario.origin-protection": c.protection } },
    };
  },
};
