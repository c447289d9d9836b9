import { greatCircleKm, site, type SiteId, type Trace } from "../../../sim/index";
import { GOOGLE_EDGE_SITES, REGIONS } from "../../../sim/scenarios/cloudflare-gke";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import {
  CITIES, LESSON, countWord, REGION_NAMES, hop, innerIpv4, journeyLab, journeyTrace, km, misconceptionAnswers, paramLabel, requireEvent, settingsExhibit, siteName,
} from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * The middle mile: what carries Cloudflare's origin pull into Google. Cloudflare's border router holds
 * a route to Google's prefix over a private interconnect at every site, all equally preferred, so the
 * route over the border router's own session beats those learned over iBGP, and the packet changes networks once, in the user's city. Each statement's truth is
 * computed from legs 2 and 3 of the trace: the route Cloudflare's router chose, the TTL the GFE sees,
 * the addresses and the TLS session the packet carries.
 */
const ID = "middle-mile";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", region: "us-central1" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), region: pick(random, REGION_NAMES) };
}

interface Statement {
  readonly id: string;
  readonly text: string;
  /** Whether the trace bears it out; null when the trace lacks what it needs (a wrong model's path). */
  readonly holds: (t: Trace) => boolean | null;
  readonly why: (t: Trace) => Why;
}

/** What a statement reads, or null when the trace has no such hop (as under some wrong models). */
function safely<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

export const middleMile: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "The middle mile: from Cloudflare into Google",
  lesson: LESSON,
  concepts: ["peering", "anycast", "cdn-proxy"],
  file: "src/quiz/bank/journey/middle-mile.ts",
  source: "seed 000, question 8",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const city = siteName(p.city as SiteId);
    const region = REGIONS[p.region as keyof typeof REGIONS];

    const edgeOut = (t: Trace) => innerIpv4(hop(t, "request:cf-edge").out);
    const gfeIn = (t: Trace) => innerIpv4(hop(t, "request:gfe").in);
    const route = (t: Trace) => requireEvent(hop(t, "request:cf-router"), "anycast-route");
    const routers = (t: Trace) => {
      const from = t.hops.findIndex((h) => h.id === "request:cf-edge");
      const to = t.hops.findIndex((h) => h.id === "request:gfe");
      return t.hops.slice(from + 1, to).filter((h) => h.device.kind === "router");
    };
    const ttlDrop = (t: Trace) => edgeOut(t).ttl - gfeIn(t).ttl;
    const browserIp = innerIpv4(hop(trace, "request:browser").out).src;
    const isp = hop(trace, "request:isp-router");
    const ispRouters = innerIpv4(isp.in).ttl - innerIpv4(isp.out).ttl;
    const e = route(trace);
    const best = e.candidates.find((c) => c.site === e.chosen)!;
    const runnerUp = e.candidates.find((c) => c.site !== e.chosen);
    const pni = requireEvent(hop(trace, "request:cf-router"), "forward").via;
    const near = [...GOOGLE_EDGE_SITES].sort((a, b) => greatCircleKm(site(a), site(region.site)) - greatCircleKm(site(b), site(region.site)))[0]!;
    const gfeName = hop(trace, "request:gfe").device.name;
    const routerNames = routers(trace).map((h) => h.device.name);
    const drop = ttlDrop(trace);
    const cloudflareAs = requireEvent(isp, "anycast-route").originAs;

    const statements: Record<string, Statement> = {
      "enters-here": {
        id: "enters-here",
        text: `It enters Google's network in ${city}, over a private interconnect between Cloudflare's border router and Google's edge router there.`,
        holds: (t) => safely(() => route(t).chosen === p.city && /interconnect/.test(requireEvent(hop(t, "request:cf-router"), "forward").via)),
        why: () => ({ why: `Cloudflare's border router in ${city} hands the packet to Google by ${pni}; the next hop is ${hop(trace, "request:google-router").device.name}.`, step: "request:cf-router" }),
      },
      "enters-near-region": {
        id: "enters-near-region",
        text: `It crosses the public internet from ${city} and enters Google's network at ${siteName(near)}, the Google edge site nearest the cluster in ${p.region}.`,
        holds: (t) => safely(() => route(t).chosen === near),
        why: () => ({
          why: `Cloudflare's router chose the exit in ${siteName(e.chosen)}, not ${siteName(near)}: its routes to ${e.prefix} tie on local preference, AS path, origin and MED, and the one over its own session with Google beats those learned over iBGP from Cloudflare's other sites (${siteName(near)}'s among them, ${km(e.candidates.find((c) => c.site === near)?.igpCost ?? 0)} away inside Cloudflare's network). The distance to the cluster is covered afterwards, on Google's backbone.`,
          step: "request:cf-router",
        }),
      },
      transit: {
        id: "transit",
        text: `Cloudflare reaches Google through a transit provider: its best route to ${e.prefix} has an AS path two networks long.`,
        holds: (t) => safely(() => {
          const r = route(t);
          const chosen = r.candidates.find((c) => c.site === r.chosen);
          return chosen?.learnedFrom === "transit" || (chosen?.asPathLength ?? 1) >= 2;
        }),
        why: () => ({ why: `The chosen route was learned from a ${best.learnedFrom}, with an AS path of ${best.asPathLength} (Google's AS${e.originAs} alone): no network sits between Cloudflare and Google.`, step: "request:cf-router" }),
      },
      "routers-true": {
        id: "routers-true",
        text: `Between Cloudflare's edge and the GFE, ${drop === 1 ? "one router decrements" : `${countWord(drop)} routers decrement`} its TTL: ${routerNames.join(" and ")}.`,
        holds: (t) => safely(() => ttlDrop(t) === drop && routers(t).length === drop),
        why: () => ({ why: `The packet leaves Cloudflare's edge with TTL ${edgeOut(trace).ttl} and the GFE receives it with ${gfeIn(trace).ttl}: ${routerNames.join(" and ")} each take one. Maglev tunnels the packet in GRE and leaves the inner TTL alone.`, step: "request:gfe" }),
      },
      "routers-false": {
        id: "routers-false",
        text: `Like the browser's packet, it crosses ${countWord(ispRouters)} routers of the ISP and transit networks between Cloudflare's edge and the GFE, each decrementing its TTL.`,
        holds: (t) => safely(() => ttlDrop(t) === ispRouters),
        why: () => ({ why: `Only ${countWord(drop)} routers are in the way (${routerNames.join(" and ")}): the TTL goes from ${edgeOut(trace).ttl} at Cloudflare's edge to ${gfeIn(trace).ttl} at the GFE. The ${countWord(ispRouters)} are the ISP's and transit's, on the browser's side of Cloudflare (leg 1).`, step: "request:gfe" }),
      },
      "hot-potato": {
        id: "hot-potato",
        text: `Cloudflare's routes to ${e.prefix} tie on local preference and AS-path length at every exit, so it hands the packet to Google at the nearest exit ("hot potato").`,
        holds: (t) => safely(() => {
          const r = route(t);
          const first = r.candidates[0]!;
          const tie = r.candidates.every((c) => c.localPref === first.localPref && c.asPathLength === first.asPathLength);
          return tie && r.candidates.every((c) => c.distanceKm >= r.candidates.find((x) => x.site === r.chosen)!.distanceKm);
        }),
        why: () => ({
          why: `All ${e.candidates.length} routes come from private peering with Google, with local preference ${best.localPref ?? "—"} and AS path ${best.asPathLength ?? "—"}; the tie goes on through origin and MED, then eBGP beats iBGP: the route over the border router's own session to ${siteName(e.chosen)} wins over ${runnerUp ? `${siteName(runnerUp.site)}'s and the others',` : "the others,"} learned over iBGP from Cloudflare's other sites. Same effect as the nearest exit: Google gets the packet as early as possible.`,
          step: "request:cf-router",
        }),
      },
      "vip-dst": {
        id: "vip-dst",
        text: `Its destination is the load balancer's address ${edgeOut(trace).dst}, and the GFE still finds that address in the inner header after Maglev's tunnel.`,
        holds: (t) => safely(() => edgeOut(t).dst === gfeIn(t).dst),
        why: () => ({ why: `Cloudflare's edge sends to ${edgeOut(trace).dst}; Maglev wraps the packet in GRE to reach ${gfeName} and the inner destination stays ${gfeIn(trace).dst}, which is why the GFE can answer from it directly.`, step: "request:maglev" }),
      },
      "src-browser": {
        id: "src-browser",
        text: `Its IP source is still the browser's address ${browserIp}, so Google's edge sees who the user is.`,
        holds: (t) => safely(() => edgeOut(t).src === browserIp),
        why: () => ({ why: `Cloudflare's edge opened a connection of its own: the source is ${edgeOut(trace).src}, one of Cloudflare's egress addresses. The browser's address travels only in X-Forwarded-For.`, step: "request:cf-edge" }),
      },
      "tls-browser": {
        id: "tls-browser",
        text: "It travels inside the browser's own TLS session, which Cloudflare forwards without decrypting.",
        holds: (t) => safely(() => hop(t, "request:cf-edge").out?.layers.some((l) => l.kind === "tls" && l.client === "browser") ?? false),
        why: () => ({ why: `The browser's session ended at Cloudflare's edge (TLS termination #1). This packet is on Cloudflare's own session to the load balancer, which the GFE terminates (#2).`, step: "request:cf-edge" }),
      },
    };

    const random = orderRandom(seed, ID);
    const ids = [
      "enters-here",
      near !== e.chosen ? pick(random, ["enters-near-region", "transit"]) : "transit",
      pick(random, ["routers-true", "routers-false"]),
      pick(random, ["hot-potato", "vip-dst"]),
      pick(random, ["src-browser", "tls-browser"]),
    ];
    const chosenStatements = ids.map((id) => statements[id]!);
    const truths = (t: Trace) => {
      const values = chosenStatements.map((s) => s.holds(t));
      return values.some((v) => v === null) ? null : chosenStatements.filter((_, i) => values[i]).map((s) => s.id);
    };
    const key = truths(trace);
    if (!key) throw new Error(`${ID}: the real trace lacks a hop a statement reads`);
    const options = orderedChoices(random, chosenStatements.map((s) => ({ id: s.id, text: s.text })));
    const regionLabel = paramLabel("region", p.region!).value;

    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt:
        `A browser in ${city} requests https://www.example.com/ through Cloudflare; the GKE cluster runs in ${regionLabel}. ` +
        `Cloudflare's edge in ${city} has no cached copy to serve (the page is not eligible for caching), so it sends the request on to the load balancer's address. ` +
        "Which statements about that request, between Cloudflare's edge and the GFE, are true? Select all that apply.",
      exhibits: [settingsExhibit(p, ["city", "region"])],
      view: { options },
      key: { choices: key },
      rubric: {
        options: Object.fromEntries(chosenStatements.map((s) => {
          const w = s.why(trace);
          return [s.id, { why: `${key.includes(s.id) ? "True" : "False"}. ${w.why}`, step: w.step }];
        })),
      },
      misconceptions: misconceptionAnswers<"multiple-choice">(["tls-at-pod"], (model) => {
        const believed = safely(() => truths(journeyTrace(p, seed, model)));
        return believed ? { choices: believed } : null;
      }, { choices: key }, (a, b) => [...a.choices].sort().join() === [...b.choices].sort().join()),
      hints: [
        "Cloudflare's border router holds a route to Google's prefix at each of its sites. What sets them apart, if anything?",
        "Compare the TTL as the packet leaves Cloudflare's edge with the TTL the GFE sees in the inner header.",
      ],
      explanation:
        `Cloudflare's edge ends the browser's TLS and opens its own connection from ${edgeOut(trace).src} to ${edgeOut(trace).dst}. ` +
        `Its border router knows Google's prefix ${e.prefix} through private interconnects at every site, all equally preferred, so hot-potato routing ` +
        `hands the packet over in ${siteName(e.chosen)}: one link from AS${cloudflareAs} to AS${e.originAs}, no transit in between, ${countWord(drop)} routers in all before the GFE. ` +
        `The rest of the way to ${p.region} is covered later, by the GFE's own connection on Google's backbone.`,
      lab: journeyLab("leg-2", p),
    };
  },
};
