import { computeTrace, flagshipOutcome, type Trace } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Choice, Exhibit, Template, Why } from "../../engine/types";
import { CITIES, settingsExhibit, siteName, type Params } from "../journey/shared";
import type { SiteId } from "../../../sim/index";
import { cachedComparison, compareLab, LESSON } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * A diagnosis of a botched removal: the record was switched to DNS only and browsers now fail. The
 * variant's settings carry one thing that was right behind the proxy — a lock-down that admits only
 * Cloudflare, or a certificate only Cloudflare accepts — and the learner
 * names it from what curl shows. The key is read from the DNS-only trace: the event that ended the
 * request (a Cloud Armor block, the alert the GFE or the browser sent).
 */
const ID = "why-dns-only-fails";

const LEFTOVERS: Readonly<Record<string, Params>> = {
  "armor-allowlist": { "origin-protection": "cloud-armor" },
  "aop-mtls": { "origin-protection": "mtls" },
  "origin-ca": { "origin-cert": "origin-ca" },
};

function params(seed: number): Params {
  if (seed === 0) return { leftover: "armor-allowlist", city: "paris" };
  const random = seededRandom(seed);
  return { leftover: pick(random, Object.keys(LEFTOVERS)), city: pick(random, CITIES) };
}
const scenarioParams = (p: Params): Params => ({ city: p.city!, ...LEFTOVERS[p.leftover!] });

type Cause = "cloud-armor-allowlist" | "mtls-required" | "untrusted-ca" | "no-certificate" | "dns-cached" | "vpc-firewall";

/** The cause, read from the event that ended the DNS-only request. */
function causeOf(t: Trace): Cause {
  const events = t.hops.flatMap((h) => h.events);
  const block = events.find((e) => e.type === "waf" && e.verdict === "block");
  if (block) return "cloud-armor-allowlist";
  const alert = events.find((e) => e.type === "tls-alert");
  if (alert?.type === "tls-alert") {
    if (alert.alert.startsWith("certificate_required")) return "mtls-required";
    if (alert.sentBy === "browser") return "untrusted-ca";
    if (alert.sentBy === "gfe") return "no-certificate";
  }
  throw new Error(`${ID}: the DNS-only trace ended with ${flagshipOutcome(t).status}, which no option explains`);
}

const TEXT: Record<Cause, string> = {
  "cloud-armor-allowlist": "The Cloud Armor policy still allows only Cloudflare's address ranges",
  "mtls-required": "The load balancer still demands a client certificate that only Cloudflare presents",
  "untrusted-ca": "The load balancer's certificate comes from a CA that browsers do not trust",
  "no-certificate": "The load balancer has no issued certificate for the name",
  "dns-cached": "Resolvers still hand out Cloudflare's address, so browsers never reach Google",
  "vpc-firewall": "The VPC firewall rule admits only Google's proxy ranges, not browsers",
};

/** The issuer of the certificate the GFE presented, as its hop says. */
function issuerShown(t: Trace): string {
  for (const e of t.hops.flatMap((h) => h.events)) {
    const m = e.type === "respond" ? /issued by ([^)]+)\)/.exec(e.by) : null;
    if (m) return m[1]!;
  }
  return "?";
}

/** What `curl -sv` reports, read from the DNS-only trace: the status, or the alert and which side sent it. */
function curlExhibit(t: Trace): Exhibit {
  const o = flagshipOutcome(t);
  const events = t.hops.flatMap((h) => h.events);
  const dns = events.find((e) => e.type === "dns-resolve");
  const alert = events.find((e) => e.type === "tls-alert");
  const connect = `*   Trying ${dns?.type === "dns-resolve" ? dns.answer : "?"}:443...\n* Connected to www.example.com`;
  const text = alert?.type === "tls-alert"
    ? alert.sentBy === "browser"
      ? `${connect}\n* Server certificate:\n*  issuer: ${issuerShown(t)}\n* SSL certificate problem: unable to get local issuer certificate\n* TLS alert sent by curl: ${alert.alert}`
      : `${connect}\n* TLS alert received from server: ${alert.alert}\n* TLS handshake failed; no HTTP request sent`
    : `${connect}\n* SSL connection using TLSv1.3\n< HTTP/1.1 ${o.status}`;
  return { kind: "output", command: "curl -sv https://www.example.com/ -o /dev/null", text };
}

export const whyDnsOnlyFails: Template<"diagnosis"> = {
  id: ID,
  kind: "diagnosis",
  title: "Switched to DNS only, and the site broke",
  lesson: LESSON,
  concepts: ["origin-protection", "cloud-armor", "tls-termination", "cdn-proxy"],
  file: "src/quiz/bank/compare/why-dns-only-fails.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const settings = scenarioParams(p);
    const c = cachedComparison(settings);
    const off = computeTrace("cloudflare-gke", c.traces.without!);
    const bypass = computeTrace("cloudflare-gke", c.traces.bypass!);
    const on = computeTrace("cloudflare-gke", c.traces.with!);
    const cause = causeOf(off);
    const outcome = flagshipOutcome(off);
    const offered: Cause[] = ["cloud-armor-allowlist", "mtls-required", "untrusted-ca", "no-certificate", "dns-cached", "vpc-firewall"];
    const options: Choice[] = orderedChoices(orderRandom(seed, ID), offered.map((id) => ({ id, text: TEXT[id] })));
    const dnsAnswer = c.figures.dnsWithout;
    const block = off.hops.flatMap((h) => h.events).find((e) => e.type === "waf" && e.verdict === "block");
    const whys: Record<string, Why> = {
      "cloud-armor-allowlist": cause === "cloud-armor-allowlist"
        ? { why: `The GFE evaluated the backend service's security policy and denied the browser (${block?.type === "waf" ? block.rule : "default deny"}). Right behind the proxy, wrong without it.`, step: "request:gfe" }
        : { why: "No security policy blocked the request in the DNS-only trace.", step: "request:gfe" },
      "mtls-required": cause === "mtls-required"
        ? { why: "The target HTTPS proxy's server TLS policy requires a client certificate chaining to Cloudflare's origin-pull CA; browsers have none, so the GFE ends the handshake with certificate_required.", step: "request:gfe" }
        : { why: "The load balancer asked for no client certificate here.", step: "request:gfe" },
      "untrusted-ca": cause === "untrusted-ca"
        ? { why: "The GFE presented a Cloudflare Origin CA certificate. Cloudflare accepted it in Full (strict); a browser's trust store does not hold that root, so the browser ends the handshake.", step: "response:browser" }
        : { why: "The certificate presented (if any) chains to a public CA, or was never presented.", step: "request:gfe" },
      "no-certificate": cause === "no-certificate"
        ? { why: "The GFE has no issued certificate to present, so it fails the handshake.", step: "request:gfe" }
        : { why: "The load balancer does have an issued certificate for the name in this variant.", step: "request:gfe" },
      "dns-cached": { why: `curl connected to ${dnsAnswer}, the load balancer's own address: DNS already points at Google, and the failure comes from Google's side.`, step: "request:browser" },
      "vpc-firewall": { why: "The VPC firewall sits between the GFE and the nodes. Browsers never reach it: the GFE is the proxy, and its connections come from the ranges the rule admits.", step: "request:backbone" },
    };
    const proxiedOk = flagshipOutcome(on).status;
    return {
      template: ID, kind: "diagnosis", seed, title: this.title,
      prompt:
        `www.example.com worked behind Cloudflare (${proxiedOk} for a browser in ${siteName(p.city as SiteId)}). The team switched the record to DNS only to take Cloudflare out of the path, ` +
        `and browsers now fail. From the output below, what is wrong?`,
      // Only the city: the settings that broke it are what the learner diagnoses.
      exhibits: [settingsExhibit(settings, ["city"]), curlExhibit(off)],
      view: { options },
      key: { choice: cause },
      rubric: { options: whys },
      misconceptions: [],
      hints: [
        "Which address did curl connect to? Whose side is the failure on?",
        outcome.status.startsWith("TLS alert") ? "The handshake failed: who sent the alert, and what was each side missing?" : "An HTTP status came back: which device on Google's side answers with it, and on what rule?",
      ],
      explanation:
        `The DNS-only request ends with ${outcome.status}: ${outcome.summary} ` +
        `Proxied, the same setting was ${cause === "cloud-armor-allowlist" || cause === "mtls-required" ? `the lock-down that kept clients from going around Cloudflare (a direct client got ${flagshipOutcome(bypass).status})` : "invisible, because only Cloudflare ever met the load balancer's certificate"}. ` +
        "Removing Cloudflare starts on Google's side: a certificate browsers trust, the lock-down lifted, then the record.",
      lab: compareLab(settings),
    };
  },
};
