import type { Trace } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import { innerIpv4 } from "../journey/shared";
import {
  cachedTrace, CITIES, eventOf, hop, journeyLab, LESSON, misconceptionAnswers, REGION_NAMES, requestHops,
  requireEvent, settingsExhibit, siteName, tlsEnds, type Params,
} from "./shared";
import type { SiteId } from "../../../sim/index";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * Question 5 of the source material: what changes when Cloudflare is taken out of the path. Every
 * statement is a comparison of two traces of the same variant, `cloudflare=on` and `cloudflare=off`,
 * and is offered whether it holds or not; the key is the statements that hold. The tls-at-pod model's
 * answer is the same comparison made between the two traces under that model.
 */
const ID = "remove-cloudflare";

function params(seed: number): Params {
  if (seed === 0) return { city: "paris", region: "us-central1" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), region: pick(random, REGION_NAMES) };
}

interface Statement {
  readonly id: string;
  readonly text: string;
  readonly holds: boolean;
  readonly why: string;
  readonly step: string;
}

const dnsAnswer = (t: Trace) => requireEvent(hop(t, "request:browser"), "dns-resolve").answer;
const firstCert = (t: Trace) => {
  const first = tlsEnds(t)[0];
  return first ? requireEvent(first, "tls-terminate") : null;
};
const wafs = (t: Trace) => requestHops(t).flatMap((h) => h.events.filter((e) => e.type === "waf").map(() => h));

/** The statements, each judged by comparing the two traces. */
function statements(on: Trace, off: Trace): Statement[] {
  const onEnds = tlsEnds(on);
  const offEnds = tlsEnds(off);
  const onCert = firstCert(on);
  const offCert = firstCert(off);
  const onGoogle = hop(on, "request:google-router").device.location;
  const offGoogle = hop(off, "request:google-router").device.location;
  const onPodSrc = innerIpv4(hop(on, "request:pod").in).src;
  const offPodSrc = innerIpv4(hop(off, "request:pod").in).src;
  const hasMaglev = (t: Trace) => requestHops(t).some((h) => h.device.id === "maglev");
  const gfeEnds = (t: Trace) => tlsEnds(t).some((h) => h.device.id === "gfe");
  const onWaf = wafs(on);
  const offWaf = wafs(off);
  return [
    {
      id: "dns", text: "DNS now answers with the load balancer's own address instead of an address of Cloudflare's",
      holds: dnsAnswer(on) !== dnsAnswer(off),
      why: `With the proxy on, DNS answers ${dnsAnswer(on)}; with it off, ${dnsAnswer(off)}.`, step: "request:browser",
    },
    {
      id: "tls-count", text: "The request meets one TLS termination fewer",
      holds: offEnds.length === onEnds.length - 1,
      why: `TLS ends at ${onEnds.map((h) => h.device.name).join(" and ") || "no proxy"} with the proxy, at ${offEnds.map((h) => h.device.name).join(" and ") || "no proxy"} without it.`,
      step: (offEnds[0] ?? hop(off, "request:browser")).id,
    },
    {
      id: "certificate", text: "The browser is shown the load balancer's certificate instead of Cloudflare's edge certificate",
      holds: !!onCert && !!offCert && onCert.issuer !== offCert.issuer,
      why: onCert && offCert
        ? `The browser's session ends at ${onEnds[0]!.device.name} under a certificate issued by ${onCert.issuer} with the proxy, and at ${offEnds[0]!.device.name} under one issued by ${offCert.issuer} without it.`
        : "The browser's session is with the same party either way.",
      step: (offEnds[0] ?? hop(off, "request:browser")).id,
    },
    {
      id: "exposed", text: "Anyone can now learn the origin's address by looking up the name",
      holds: dnsAnswer(off) === innerIpv4(hop(off, "request:gfe").in).dst && dnsAnswer(on) !== dnsAnswer(off),
      why: `Without the proxy the public record is the load balancer's address ${dnsAnswer(off)}. (With it, the address is hidden from DNS only: the load balancer was reachable directly all along.)`,
      step: "request:browser",
    },
    {
      id: "waf", text: "Filtering that Cloudflare's WAF did must now be done by something on Google's side, such as a Cloud Armor policy",
      holds: onWaf.length > 0 && offWaf.length === 0,
      why: onWaf.length > 0
        ? `With the proxy on, ${onWaf[0]!.device.name} runs the WAF; without it no device on the path filters the request until a Cloud Armor policy is attached to the backend service.`
        : "No WAF runs on either path in this picture.",
      step: (onWaf[0] ?? hop(on, "request:gfe")).id,
    },
    {
      id: "entry",
      text: onGoogle !== offGoogle
        ? `The packets now enter Google's network in a different city (${siteName(offGoogle)} rather than ${siteName(onGoogle)})`
        : "The packets now enter Google's network at a different edge site than before",
      holds: onGoogle !== offGoogle,
      why: onGoogle !== offGoogle
        ? `Cloudflare handed the request to Google at ${siteName(onGoogle)}; the user's ISP reaches Google's anycast address at ${siteName(offGoogle)}.`
        : `Both Cloudflare's interconnect and the user's ISP reach Google's edge at ${siteName(onGoogle)}: the nearest site announcing the address is the same.`,
      step: "request:google-router",
    },
    {
      id: "maglev", text: "The request no longer passes through Maglev",
      holds: hasMaglev(on) && !hasMaglev(off),
      why: "Maglev sits in front of the GFEs at every Google edge site; whoever connects to the load balancer's address passes it.",
      step: "request:maglev",
    },
    {
      id: "pod-source", text: "The Pod now sees the browser's address as the source of its packets",
      holds: onPodSrc !== offPodSrc,
      why: `The GFE still opens its own connection to the Pod: the source is a GFE proxy address (${offPodSrc}) either way.`,
      step: "request:pod",
    },
    {
      id: "gfe-tls", text: "The GFE no longer terminates TLS",
      holds: gfeEnds(on) && !gfeEnds(off),
      why: "The GFE terminates TLS either way: it must read Host and path to apply the URL map, whoever the client is.",
      step: "request:gfe",
    },
  ];
}

export const removeCloudflare: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "What changes without Cloudflare",
  lesson: LESSON,
  concepts: ["cdn-proxy", "tls-termination", "origin-protection", "dns"],
  file: "src/quiz/bank/flagship/remove-cloudflare.ts",
  source: "seed 000, question 5",
  params,
  variant(seed) {
    const p = params(seed);
    const on = cachedTrace({ ...p, cloudflare: "on" }, 0);
    const off = cachedTrace({ ...p, cloudflare: "off" }, 0);
    const all = statements(on, off);
    // Every statement that holds, and enough that do not to make six options.
    const order = orderRandom(seed, ID);
    const wrong = all.filter((s) => !s.holds);
    const chosen = [...all.filter((s) => s.holds), ...wrong.slice(0, Math.max(2, 6 - all.filter((s) => s.holds).length))];
    const options: Choice[] = orderedChoices(order, chosen.map((s) => ({ id: s.id, text: s.text })));
    const whys: Record<string, Why> = Object.fromEntries(chosen.map((s) => [s.id, { why: s.why, step: s.step }]));
    const key = { choices: chosen.filter((s) => s.holds).map((s) => s.id) };
    const offered = new Set(chosen.map((s) => s.id));
    const dns = eventOf(hop(off, "request:browser"), "dns-resolve");
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt:
        `www.example.com is served by a GKE cluster in ${p.region} behind Google's external Application Load Balancer, and its DNS record is proxied by Cloudflare. ` +
        `For a user in ${siteName(p.city as SiteId)}, what changes if the record is switched to DNS only (Cloudflare's proxy removed)? Select every statement that holds.`,
      exhibits: [settingsExhibit({ ...p, cloudflare: "on" }, ["city", "region", "cloudflare"])],
      view: { options },
      key,
      rubric: { options: whys },
      misconceptions: misconceptionAnswers<"multiple-choice">(["tls-at-pod"], (model) => {
        const believed = statements(cachedTrace({ ...p, cloudflare: "on" }, 0, model), cachedTrace({ ...p, cloudflare: "off" }, 0, model));
        return { choices: believed.filter((s) => s.holds && offered.has(s.id)).map((s) => s.id) };
      }, key, (a, b) => [...a.choices].sort().join() === [...b.choices].sort().join()),
      hints: [
        "Trace both versions of the request side by side: who answers DNS, and which device does the browser's TLS session end at?",
        "Which devices are Google's and stay on the path whoever connects to the load balancer?",
      ],
      explanation:
        `Without the proxy, ${dns?.authority ?? "the zone's nameservers"} answer ${dnsAnswer(off)}, so the browser connects to Google's edge itself: one TLS termination (the GFE's) instead of two, ` +
        "the load balancer's certificate instead of Cloudflare's, and an origin address anyone can look up. Whatever Cloudflare's WAF and cache did must move to Google's side (Cloud Armor, Cloud CDN) or be dropped. " +
        "Everything from Google's edge inwards is unchanged: Maglev, the GFE's TLS and URL map, and the GFE's own connection to the Pod.",
      lab: journeyLab("journey", { ...p, cloudflare: "off" }),
    };
  },
};
