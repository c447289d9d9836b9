import { flagshipOutcome, type Trace } from "../../../sim/index";
import { GFE_DEFAULT_BACKEND, GFE_URL_MAP } from "../../../sim/edge/gfe";
import { GOOGLE } from "../../../sim/edge/google-edge";
import { certificateNameCovers } from "../../../sim/net/dns-name";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import {
  CITIES, LESSON, hop, ingressExhibit, journeyLab, journeyTrace, listing, misconceptionAnswers, requireEvent, settingsExhibit, siteName,
} from "./shared";
import type { SiteId } from "../../../sim/index";
import { orderedChoices, orderRandom, pick, pickWeighted, shuffle } from "../draw";

/**
 * The Host header and the 404: the GFE matches Host and path against the URL map, and a Host with no
 * rule goes to the map's default service (on GKE Ingress, a small server that answers 404 to
 * everything). The learner names what the browser gets and who decides it; the key is the trace's
 * outcome, the step that wrote it, and the URL map's verdict.
 */
const ID = "host-header-status";

/** Names a user might type: the one the Ingress routes, other names under the zone's wildcard, the apex. */
const HOSTS: readonly (readonly [string, number])[] = [
  ["www.example.com", 3], ["api.example.com", 1], ["example.com", 1], ["shop.example.com", 1], ["static.example.com", 1],
];

function params(seed: number): Record<string, string> {
  if (seed === 0) return { host: "api.example.com", cloudflare: "on", city: "paris" };
  const random = seededRandom(seed);
  return {
    host: pickWeighted(random, HOSTS),
    cloudflare: pickWeighted(random, [["on", 2], ["off", 1], ["bypassed", 1]] as const),
    city: pick(random, CITIES),
  };
}

type Outcome = "pod-200" | "default-404";

/** What the browser got, as one of the options: a Pod's answer or the default service's 404; null for anything else. */
function classify(trace: Trace): Outcome | null {
  const outcome = flagshipOutcome(trace);
  if (outcome.at === "response:pod" && outcome.status.startsWith("200")) return "pod-200";
  const urlMap = trace.hops.find((h) => h.id === "request:gfe")?.events.find((e) => e.type === "url-map");
  if (outcome.at === "response:gfe" && outcome.status.startsWith("404") && urlMap?.type === "url-map" && urlMap.matchedRule === null) return "default-404";
  return null;
}

export const hostHeaderStatus: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "The Host header and the 404",
  lesson: LESSON,
  concepts: ["url-map", "gfe", "cdn-proxy"],
  file: "src/quiz/bank/journey/host-header-status.ts",
  source: "seed 000, question 7",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const host = p.host!;
    const city = siteName(p.city as SiteId);
    const proxied = p.cloudflare === "on";
    const key = classify(trace);
    if (!key) throw new Error(`${ID}: unexpected outcome ${flagshipOutcome(trace).status} for ${JSON.stringify(p)}`);
    const outcome = flagshipOutcome(trace);

    const gfeHop = hop(trace, "request:gfe");
    const gfeName = gfeHop.device.name;
    const urlMap = requireEvent(gfeHop, "url-map");
    const frontHop = hop(trace, proxied ? "request:cf-edge" : "request:gfe");
    const frontTls = requireEvent(frontHop, "tls-terminate");
    const coveringName = frontTls.certificate.split(", ").find((name) => certificateNameCovers(name, host));
    if (!coveringName) throw new Error(`${ID}: ${frontTls.certificate} does not cover ${host}, yet TLS ended at ${frontHop.id}`);
    const routed = urlMap.matchedRule !== null;
    const pick7 = routed ? requireEvent(gfeHop, "lb-select").chosen : null;
    const ruleText = routed ? `its rule "${urlMap.matchedRule}" sends it to the backend service ${urlMap.backendService}` : `it has no rule for ${host}`;

    const texts: Record<string, string> = {
      "pod-200": "200 OK from a Pod of the web Deployment, which the GFE picks from the web Service's NEG",
      "default-404": `404 Not Found from the URL map's default service: ${gfeName} finds no host rule for ${host}`,
      "gfe-403": `403 Forbidden from ${gfeName}: the load balancer refuses any Host its Ingress does not list`,
      "app-404": `404 Not Found from the web application in a Pod, which has no page for the Host ${host}`,
      tls: proxied
        ? `No HTTP response at all: Cloudflare's edge in ${city} fails the TLS handshake, because its certificate does not cover ${host}`
        : `No HTTP response at all: ${gfeName} fails the TLS handshake, because the load balancer's certificate does not cover ${host}`,
    };
    const whys: Record<string, Why> = {
      "pod-200": routed
        ? { why: `Right. The GFE matches Host ${host} and path ${urlMap.path} against the URL map: ${ruleText}, whose NEG holds the web Pods; it picks ${pick7} and the Pod answers 200 OK.`, step: outcome.at }
        : { why: `The GFE sends only what matches a host rule to the web Service's NEG. The URL map has no rule for ${host}, so the request goes to the default service and no web Pod ever sees it.`, step: gfeHop.id },
      "default-404": routed
        ? { why: `The URL map does have a rule for ${host} (${urlMap.matchedRule}), so the default service is not involved: the request reaches a web Pod, which answers 200 OK.`, step: gfeHop.id }
        : { why: `Right. After terminating TLS, ${gfeName} reads Host ${host} and finds no host rule, so the URL map's default service answers: on GKE Ingress that is ${GFE_DEFAULT_BACKEND}, a small server that answers 404 to every request. The status is decided at the GFE's URL map, not by the application.`, step: outcome.at },
      "gfe-403": {
        why: `Nothing on this path answers 403. With no Cloud Armor policy, the URL map does not reject anything: ${routed ? `${host} matches its rule and reaches a Pod` : `an unmatched Host goes to the default service, which answers 404`}.`,
        step: gfeHop.id,
      },
      "app-404": routed
        ? { why: `The web application does serve this Host: the Pod answers 200 OK.`, step: outcome.at }
        : { why: `The request never reaches a web Pod. The URL map found no rule for ${host} and sent it to its default service (${GFE_DEFAULT_BACKEND}), a separate server, not the web Deployment.`, step: gfeHop.id },
      tls: {
        why: `The handshake succeeds: ${frontHop.device.name} presents a certificate for ${frontTls.certificate}, and its name ${coveringName} covers ${host}. The Host is read only after TLS ends, at the HTTP layer.`,
        step: frontHop.id,
      },
    };

    const order = orderRandom(seed, ID);
    const other: Outcome = key === "pod-200" ? "default-404" : "pod-200";
    const distractors = shuffle(order, ["gfe-403", "app-404", "tls"]).slice(0, 2);
    const ids = [key, other, ...distractors];
    const options: Choice[] = orderedChoices(order, ids.map((id) => ({ id, text: texts[id]! })));

    const how = proxied
      ? `Every name in example.com has a DNS record for the load balancer's address ${GOOGLE.vip}, proxied by Cloudflare, so the browser connects to Cloudflare's edge in ${city}.`
      : p.cloudflare === "off"
        ? `Every name in example.com has a DNS-only record for the load balancer's address ${GOOGLE.vip}, so the browser in ${city} connects to it directly.`
        : `The zone is proxied by Cloudflare, but a script in ${city} that already knows the load balancer's address ${GOOGLE.vip} connects to it directly, sending SNI and Host ${host} and skipping certificate checks.`;
    const gfeTls = requireEvent(gfeHop, "tls-terminate");
    const names = (cert: string) => listing(cert.split(", "));
    const certs = proxied
      ? `Cloudflare's edge certificate covers ${names(frontTls.certificate)}; the load balancer's covers ${names(gfeTls.certificate)}.`
      : `The load balancer's certificate covers ${names(gfeTls.certificate)}.`;

    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `A request for https://${host}/ is sent. ${how} ${certs} The cluster has the one Ingress below and no Cloud Armor policy. ` +
        "What comes back, and which device decides it?",
      exhibits: [settingsExhibit(p, ["host", "cloudflare", "city"]), ingressExhibit()],
      view: { options },
      key: { choice: key },
      rubric: { options: Object.fromEntries(ids.map((id) => [id, whys[id]!])) },
      misconceptions: misconceptionAnswers<"single-choice">(["tls-at-pod"], (model) => {
        const believed = classify(journeyTrace(p, seed, model));
        return believed && ids.includes(believed) ? { choice: believed } : null;
      }, { choice: key }),
      hints: [
        "Which device in the path is the first to read the HTTP Host header, and what does it compare it against?",
        `Does the Ingress name ${host}? If not, what does a URL map do with a request that matches no host rule?`,
      ],
      explanation:
        `TLS ends ${proxied ? "at Cloudflare's edge and again " : ""}at the GFE, and only then is the Host header readable. The GFE ` +
        `evaluates the URL map GKE built from the Ingress: hosts ${GFE_URL_MAP.host}, path ${GFE_URL_MAP.pathPrefix}* to the web Service; everything else to the default service. ` +
        (routed
          ? `${host} matches, so the GFE picks a healthy endpoint of the web Service's NEG and the Pod answers 200 OK${proxied ? ", which Cloudflare relays" : ""}. `
          : `${host} matches nothing, so the default service (${GFE_DEFAULT_BACKEND}) answers 404 Not Found${proxied ? ", and Cloudflare relays it" : ""}; the web Pods never see the request. `) +
        "The Host rule is routing, not protection: anyone who knows the load balancer's address can send the right Host and reach the Pods, which is why origins behind Cloudflare need an allow-list or authenticated origin pulls.",
      lab: journeyLab("leg-3", p),
    };
  },
};
