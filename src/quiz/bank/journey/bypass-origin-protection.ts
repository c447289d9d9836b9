import { flagshipOutcome, type SiteId, type Trace } from "../../../sim/index";
import { GOOGLE_PROXY_RANGES, INGRESS_FIREWALL_RULE } from "../../../sim/scenarios/cloudflare-gke";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import {
  CITIES, LESSON, eventOf, hop, innerIpv4, journeyLab, journeyTrace, listing, misconceptionAnswers, paramLabel,
  settingsExhibit, siteName,
} from "./shared";
import { orderedChoices, orderRandom, pick, pickWeighted, shuffle } from "../draw";

/**
 * Origin protection: a client that knows the load balancer's address goes around Cloudflare. Without
 * protection it reaches the Pod; a Cloud Armor allow-list of Cloudflare's ranges answers 403 at the
 * GFE; authenticated origin pulls (mTLS) end the handshake. The key is what the trace's outcome shows
 * and who produced it; the distractors name the other places people expect the block to happen.
 */
const ID = "bypass-origin-protection";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { "origin-protection": "cloud-armor", host: "www.example.com", city: "paris" };
  const random = seededRandom(seed);
  return {
    "origin-protection": pick(random, ["none", "cloud-armor", "mtls"]),
    host: pickWeighted(random, [["www.example.com", 3], ["api.example.com", 1]] as const),
    city: pick(random, CITIES),
  };
}

type Outcome = "pod" | "armor-403" | "mtls" | "default-404";

/** How the prompt states each protection setting. */
const PROTECTION_SETUP: Readonly<Record<string, string>> = {
  none: "Nothing at the load balancer is set up to protect the origin.",
  "cloud-armor": "A Cloud Armor policy on the web Service's backend service allows only Cloudflare's published address ranges.",
  mtls: "The load balancer requires authenticated origin pulls: a client certificate issued by Cloudflare's origin-pull CA (mTLS).",
};

/** What ended the bypassing request, as one of the options; null for anything else. */
function classify(t: Trace): Outcome | null {
  const outcome = flagshipOutcome(t);
  const gfe = t.hops.find((h) => h.id === "request:gfe");
  if (outcome.at === "response:pod" && outcome.status.startsWith("200")) return "pod";
  if (outcome.at === "request:gfe" && /certificate_required/.test(outcome.status)) return "mtls";
  const waf = gfe ? eventOf(gfe, "waf") : undefined;
  if (outcome.at === "response:gfe" && outcome.status.startsWith("403") && waf?.verdict === "block") return "armor-403";
  const urlMap = gfe ? eventOf(gfe, "url-map") : undefined;
  if (outcome.at === "response:gfe" && outcome.status.startsWith("404") && urlMap?.matchedRule === null) return "default-404";
  return null;
}

export const bypassOriginProtection: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Going around Cloudflare: what stops it?",
  lesson: LESSON,
  concepts: ["origin-protection", "cdn-proxy", "gfe"],
  file: "src/quiz/bank/journey/bypass-origin-protection.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const scenario = { ...p, cloudflare: "bypassed" };
    const trace = journeyTrace(scenario, seed);
    const key = classify(trace);
    if (!key) throw new Error(`${ID}: unexpected outcome ${flagshipOutcome(trace).status} for ${JSON.stringify(scenario)}`);
    const protection = p["origin-protection"]!;
    const host = p.host!;
    const city = siteName(p.city as SiteId);
    const scriptIp = innerIpv4(hop(trace, "request:browser").out).src;
    const vip = innerIpv4(hop(trace, "request:browser").out).dst;
    const gfeHop = hop(trace, "request:gfe");
    const gfeName = gfeHop.device.name;
    const urlMap = eventOf(gfeHop, "url-map");
    const routed = urlMap ? urlMap.matchedRule !== null : host === "www.example.com";
    const picked = gfeHop.events.find((e) => e.type === "lb-select" && e.layer === "L7");
    const protectionLabel = paramLabel("origin-protection", protection).value;

    const texts: Record<string, string> = {
      pod: "The Pod answers 200 OK: nothing between the script and the Pod checks where the request came from",
      "armor-403": `Cloud Armor at ${gfeName} answers 403 Forbidden, because ${scriptIp} is not in Cloudflare's address ranges`,
      mtls: `${gfeName} ends the TLS handshake (certificate_required): the script has no client certificate from Cloudflare's origin-pull CA`,
      "default-404": `The URL map's default service answers 404 Not Found, because no host rule matches ${host}`,
      "vpc-firewall": "The VPC firewall drops it before it reaches the node, because its rule admits only Cloudflare's address ranges",
      "cf-waf": "Cloudflare's WAF blocks it, because the zone is proxied and the script did not come through Cloudflare's DNS",
      unreachable: `Nothing answers: with the record proxied, ${vip} is hidden and accepts no connections from the internet`,
    };
    const happened: Record<Outcome, string> = {
      pod: `the request reaches a Pod, which answers 200 OK`,
      "armor-403": `Cloud Armor at the GFE answers 403`,
      mtls: `the GFE ends the TLS handshake for want of a client certificate`,
      "default-404": `the URL map's default service answers 404`,
    };
    const whys: Record<string, Why> = {
      pod: key === "pod"
        ? { why: `Right. Nothing checks the client: Host ${host} matches the URL map's rule, ${gfeName} picks ${picked?.type === "lb-select" ? picked.chosen : "a healthy endpoint"}, and the Pod answers 200 OK. A proxied DNS record hides the address from lookups, not from the internet.`, step: "response:pod" }
        : { why: `It never reaches a Pod: ${happened[key]}.`, step: gfeHop.id },
      "armor-403": key === "armor-403"
        ? { why: `Right. The security policy on the web Service's backend service allows only Cloudflare's published ranges; ${scriptIp} is not among them, so its default rule denies the request with 403 at the GFE.`, step: "response:gfe" }
        : protection !== "cloud-armor"
          ? { why: `No Cloud Armor policy is attached in this setup (origin protection: ${protectionLabel}).`, step: gfeHop.id }
          : key === "default-404"
            ? { why: `The policy is attached to the web Service's backend service. The URL map has no rule for ${host}, so the request goes to the default service, which the policy does not cover: the default service answers 404.`, step: gfeHop.id }
            : { why: `Cloud Armor never judged it: ${happened[key]}.`, step: gfeHop.id },
      mtls: key === "mtls"
        ? { why: `Right. The load balancer's server TLS policy demands a client certificate that chains to Cloudflare's origin-pull CA. The script presents none, so ${gfeName} ends the handshake with certificate_required and no HTTP request is ever sent. Only Cloudflare, pulling for this zone, holds such a certificate.`, step: "request:gfe" }
        : { why: `The load balancer does not ask for a client certificate in this setup (origin protection: ${protectionLabel}), so the handshake completes; the script skips verifying the server's certificate.`, step: gfeHop.id },
      "default-404": key === "default-404"
        ? { why: `Right. ${host} has no host rule, so the URL map's default service answers 404 Not Found${protection === "cloud-armor" ? "; the Cloud Armor policy, attached to the web Service's backend service, never sees this request" : ""}.`, step: "response:gfe" }
        : routed
          ? { why: `${host} matches the URL map's rule, so the default service is not involved.`, step: gfeHop.id }
          : { why: `The GFE never reads the Host: ${happened[key]} first.`, step: gfeHop.id },
      "vpc-firewall": {
        why: `The Ingress's firewall rule ${INGRESS_FIREWALL_RULE.name} admits ${listing([...GOOGLE_PROXY_RANGES])}, Google's proxy ranges, not Cloudflare's. Packets reach the nodes only on the GFE's own connections, so the client's address never gets to the VPC and no VPC rule can tell Cloudflare from anyone else.` +
          (key === "pod" ? "" : ` Here the request does not even get that far: ${happened[key]}.`),
        step: key === "pod" ? "request:backbone" : gfeHop.id,
      },
      "cf-waf": { why: `The script connects straight to ${vip}: the trace has no Cloudflare hop at all, so no Cloudflare rule can see it.`, step: "request:isp-router" },
      unreachable: { why: `The load balancer's address is announced to the whole internet; the script's packets reach ${gfeName} in ${siteName(gfeHop.device.location)}. Proxying changes only what DNS answers.`, step: gfeHop.id },
    };

    const random = orderRandom(seed, ID);
    const outcomes: Outcome[] = ["pod", "armor-403", "mtls", "default-404"];
    const others = shuffle(random, outcomes.filter((o) => o !== key && (o !== "default-404" || !routed))).slice(0, 2);
    const distractor = pick(random, ["vpc-firewall", "cf-waf", "unreachable"]);
    const ids = [key, ...others, distractor];
    const options = orderedChoices(random, ids.map((id) => ({ id, text: texts[id]! })));

    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `The zone's DNS record is proxied by Cloudflare, but a script in ${city} knows the load balancer's address, ${vip}. ` +
        `It connects to it directly, sends SNI and Host ${host}, and does not verify the server's certificate. ` +
        `${PROTECTION_SETUP[protection]} What happens to the request, and what stops it, if anything?`,
      exhibits: [settingsExhibit(scenario, ["cloudflare", "origin-protection", "host", "city"])],
      view: { options },
      key: { choice: key },
      rubric: { options: Object.fromEntries(ids.map((id) => [id, whys[id]!])) },
      misconceptions: misconceptionAnswers<"single-choice">(["tls-at-pod"], (model) => {
        const believed = classify(journeyTrace(scenario, seed, model));
        return believed && ids.includes(believed) ? { choice: believed } : null;
      }, { choice: key }),
      hints: [
        "Cloudflare only sees traffic that comes through Cloudflare. Which devices does this script's request meet?",
        "Of those, which ones can tell Cloudflare's connections from anyone else's — by address, or by a certificate?",
      ],
      explanation:
        `Proxying hides the load balancer's address from DNS, but ${vip} is still announced to the internet, so the script's request reaches ${gfeName} directly. ` +
        `Here ${happened[key]}. Only two things can tell Cloudflare's connections apart at the load balancer: the source address, which a Cloud Armor policy can allow-list ` +
        "against Cloudflare's published ranges, and a client certificate, which authenticated origin pulls (mTLS) require. Nothing further in — not the VPC firewall, not the Pod — " +
        "sees the client's address as a packet source, because the GFE opens its own connection from Google's proxy ranges. And a Host rule is routing, not protection.",
      lab: journeyLab("bypass", scenario),
    };
  },
};
