import { computeTrace, type SiteId } from "../../../sim/index";
import { innerIpv4, requestHop } from "../../../sim/edge/compare-read";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { CITIES, paramLabel, settingsExhibit, siteName, type Params } from "../journey/shared";
import { cachedComparison, compareLab, LESSON } from "./shared";
import { pick } from "../draw";

/**
 * Which address an attacker learns from DNS with the record proxied and with it DNS only, and which
 * address a client going around Cloudflare actually connects to (the origin's, hidden from DNS only).
 * All three are read from the comparison's traces: the two DNS answers and the bypassing client's
 * destination.
 */
const ID = "dns-addresses";

function params(seed: number): Params {
  if (seed === 0) return { city: "paris", "origin-protection": "none" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), "origin-protection": pick(random, ["none", "cloud-armor", "mtls"]) };
}

export const dnsAddresses: Template<"fill-in"> = {
  id: ID,
  kind: "fill-in",
  title: "What DNS tells an attacker, with and without the proxy",
  lesson: LESSON,
  concepts: ["dns", "cdn-proxy", "origin-protection"],
  file: "src/quiz/bank/compare/dns-addresses.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const c = cachedComparison(p);
    const bypass = computeTrace("cloudflare-gke", c.traces.bypass!);
    const browser = requestHop(bypass, "browser")!;
    const origin = innerIpv4(browser, "out")?.dst ?? "";
    const exposed = c.rows.find((r) => r.id === "exposed")!;
    const dns = c.rows.find((r) => r.id === "dns-answer")!;
    return {
      template: ID, kind: "fill-in", seed, title: this.title,
      prompt:
        "www.example.com's A record at Cloudflare points at the load balancer's reserved address and is proxied. An attacker in " +
        `${siteName(p.city as SiteId)} runs \`dig +short www.example.com\`, later again after the record is switched to DNS only, and also tries to reach the origin without going through Cloudflare. ` +
        `The origin's protection: ${paramLabel("origin-protection", p["origin-protection"]!).value}. ` +
        "Which address does each lookup return, and which address does a client going around Cloudflare connect to?",
      exhibits: [
        settingsExhibit({ ...p, cloudflare: "on" }, ["city", "cloudflare", "origin-protection"]),
        { kind: "output", command: "gcloud compute addresses list --global --format='table(name,address)'", text: `NAME        ADDRESS\nweb-static  ${origin}` },
      ],
      view: {
        fields: [
          { id: "proxied", label: "dig answer while proxied", type: "ip", placeholder: "203.0.113.10" },
          { id: "dns-only", label: "dig answer with DNS only", type: "ip", placeholder: "203.0.113.10" },
          { id: "bypass", label: "Address a client going around Cloudflare connects to", type: "ip", placeholder: "203.0.113.10" },
        ],
      },
      key: { fields: { proxied: c.figures.dnsWith, "dns-only": c.figures.dnsWithout, bypass: origin } },
      rubric: {
        fields: {
          proxied: { why: `Proxied, Cloudflare's nameservers answer with its own anycast address: ${dns.with.text}.`, step: "request:browser" },
          "dns-only": { why: `DNS only, the record is answered as written: ${dns.without.text}.`, step: "request:browser" },
          bypass: { why: `The origin is the load balancer's address whether DNS names it or not. ${exposed.with.text}`, step: browser.id },
        },
      },
      misconceptions: [],
      hints: [
        "A proxied record is an instruction to Cloudflare's own nameservers. What do they answer with?",
        "The exhibit lists the address the load balancer was given. Does proxying the DNS record change whether it answers?",
      ],
      explanation:
        `Proxied, DNS hands out ${c.figures.dnsWith}, one of Cloudflare's anycast addresses; DNS only, it hands out ${c.figures.dnsWithout}. ` +
        `The origin at ${origin} was reachable throughout: proxying hides it from DNS, not from the internet. ${exposed.note}`,
      lab: compareLab(p),
    };
  },
};
