import { EXAMPLE_URL_MAP, WEB_BACKEND } from "../../../sim/edge/gfe-examples";
import { parseHttpRequest } from "../../../sim/edge/gfe-request";
import { decodeUrlMap, isGkeDefaultBackend, matchUrlMap } from "../../../sim/edge/url-map";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import { exportYaml, labAt, LESSON } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * What a request with another Host header gets from a GKE Ingress's load balancer: the URL map's
 * decision for the Host, read off the matcher (404 from the default backend, or the web Pod when the
 * Host differs only in case or port). Corrects the source's claim that an unknown Host gets a 403.
 */
const ID = "unknown-host-status";
const HOSTS = ["example.com", "api.example.com", "www.example.org", "WWW.Example.COM", "www.example.com:443", "shop.example.com"] as const;
type Outcome = "ok" | "default-404" | "armor-403" | "gfe-502" | "misdirected-421" | "tls-failure";
const TEXT: Record<Outcome, string> = {
  ok: "200 OK from one of the web Pods",
  "default-404": "404 Not Found from GKE's default backend (kube-system/default-http-backend)",
  "armor-403": "403 Forbidden from Cloud Armor",
  "gfe-502": "502 Bad Gateway from the GFE (no backend to pick)",
  "misdirected-421": "421 Misdirected Request from the GFE",
  "tls-failure": "A TLS handshake failure: no certificate for that name",
};

function params(seed: number) {
  return { host: seed === 0 ? "example.com" : pick(seededRandom(seed), HOSTS) };
}

export const unknownHostStatus: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "A Host the Ingress has no rule for",
  lesson: LESSON,
  concepts: ["url-map", "gfe", "cloud-armor"],
  file: "src/quiz/bank/gfe/unknown-host-status.ts",
  params,
  variant(seed) {
    const { host } = params(seed);
    const d = matchUrlMap(decodeUrlMap(EXAMPLE_URL_MAP), parseHttpRequest({ url: "https://www.example.com/", host }));
    const key: Outcome = isGkeDefaultBackend(d.target) ? "default-404" : d.target.kind === "service" && d.target.name === WEB_BACKEND ? "ok" : "gfe-502";
    const ids = Object.keys(TEXT) as Outcome[];
    const options = orderedChoices(orderRandom(seed, ID), ids.map((id) => ({ id, text: TEXT[id] })));
    const reason: Record<Outcome, string> = {
      ok: key === "ok" ? `The Host matches the rule for www.example.com once lower-cased and without its port: ${d.decidedBy}.` : `No rule sends ${host} to the web service: ${d.decidedBy}.`,
      "default-404": key === "default-404" ? `No host rule matches ${d.host}, so the URL map's default service answers: on GKE Ingress that is kube-system/default-http-backend, which says 404. ${d.decidedBy}.` : `A host rule does match (${d.hostRule?.pattern}), so the default backend is not involved.`,
      "armor-403": "Cloud Armor's policy is attached to the web Service's backend service; the default backend has none here, and nothing in this policy denies this request. An unknown Host is a routing miss, not a security verdict.",
      "gfe-502": "The GFE answers 502 only when it cannot pick a healthy backend; both the web service and the default backend have healthy endpoints here.",
      "misdirected-421": "The connection's SNI (www.example.com) has a certificate, and the GFE does not refuse a Host that differs from the SNI with 421; it routes on the Host.",
      "tls-failure": "curl connects to https://www.example.com/, so the SNI is www.example.com and the certificate covers it; only the Host header differs, and it is read after the handshake.",
    };
    const whys: Record<string, Why> = Object.fromEntries(ids.map((id) => [id, { why: reason[id], step: null }]));
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `www.example.com is served by a GKE Ingress whose URL map is below (its certificate covers www.example.com). Someone runs curl -H 'Host: ${host}' https://www.example.com/. What comes back?`,
      exhibits: [{ kind: "output", command: `gcloud compute url-maps export ${EXAMPLE_URL_MAP.name} --global`, text: exportYaml(EXAMPLE_URL_MAP) }],
      view: { options },
      key: { choice: key },
      rubric: { options: whys },
      misconceptions: [],
      hints: [
        "curl sends the SNI from the URL but the Host header you give it: the handshake and the routing look at different names.",
        "The URL map compares host names without the port and without regard to case. What is its defaultService on GKE?",
      ],
      explanation: `The TLS handshake uses the SNI www.example.com, which the certificate covers; the GFE then routes on the Host header, ${host}. ${d.decidedBy}. ${key === "default-404" ? "GKE points the URL map's default at kube-system/default-http-backend, a small server that answers 404 — not a 403, which would be a security policy's verdict." : "Host names are compared case-insensitively and without the port, so this is the routed host."}`,
      lab: labAt({ url: "https://www.example.com/", host }),
    };
  },
};
