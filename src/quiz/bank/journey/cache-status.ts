import { flagshipOutcome, type SiteId, type Trace } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import { CITIES, LESSON, eventOf, hop, http, journeyLab, journeyTrace, misconceptionAnswers, settingsExhibit, siteName } from "./shared";
import { orderedChoices, orderRandom, pick, pickWeighted } from "../draw";

/**
 * `cf-cache-status` for a cache setting, and who answers. Cloudflare caches by file extension, so `/`
 * is DYNAMIC unless a Cache Rule makes it eligible; then what the site holds decides between MISS, HIT
 * and EXPIRED. The key is the header the browser receives in the trace; each option's consequence (who
 * answers, what is stored and for how long) is read from a trace run with the setting that produces it.
 */
const ID = "cache-status";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { "cache-rule": "none", cache: "hit", city: "paris" };
  const random = seededRandom(seed);
  return {
    "cache-rule": pickWeighted(random, [["none", 1], ["cache-everything", 2]] as const),
    cache: pick(random, ["miss", "hit", "expired"]),
    city: pick(random, CITIES),
  };
}

type Status = "DYNAMIC" | "MISS" | "HIT" | "EXPIRED" | "BYPASS";
const STATUSES: readonly Status[] = ["DYNAMIC", "MISS", "HIT", "EXPIRED", "BYPASS"];
const optionId = (s: Status) => s.toLowerCase();

/** The settings under which the model produces each status (BYPASS it never does: its origin never opts out). */
const PRODUCED_BY: Readonly<Record<Exclude<Status, "BYPASS">, Readonly<Record<string, string>>>> = {
  DYNAMIC: { "cache-rule": "none", cache: "miss" },
  MISS: { "cache-rule": "cache-everything", cache: "miss" },
  HIT: { "cache-rule": "cache-everything", cache: "hit" },
  EXPIRED: { "cache-rule": "cache-everything", cache: "expired" },
};

/** The `cf-cache-status` the browser received. */
function received(t: Trace): string | undefined {
  return http(hop(t, "response:browser").in)?.cacheStatus;
}

export const cacheStatus: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "cf-cache-status, and who answers",
  lesson: LESSON,
  concepts: ["cdn-cache", "cdn-proxy"],
  file: "src/quiz/bank/journey/cache-status.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const city = siteName(p.city as SiteId);
    const eligible = p["cache-rule"] === "cache-everything";
    const state = p.cache!;
    const got = received(trace);
    if (!got || !STATUSES.includes(got as Status)) throw new Error(`${ID}: the browser received cf-cache-status ${got ?? "(none)"}`);
    const key = got as Status;
    const edgeIn = hop(trace, "request:cf-edge");
    const lookup = eventOf(edgeIn, "cache");
    if (!lookup) throw new Error(`${ID}: no cache lookup at the edge`);

    // What each status means for this city: who answers, and what the edge stores, from a trace that produces it.
    const produced = Object.fromEntries(
      (Object.entries(PRODUCED_BY) as [Exclude<Status, "BYPASS">, Record<string, string>][]).map(([s, setting]) => {
        const t = s === key ? trace : journeyTrace({ ...p, ...setting }, seed);
        const outcome = flagshipOutcome(t);
        const store = t.hops.find((h) => h.id === "response:cf-edge")?.events.find((e) => e.type === "cache");
        return [s, { trace: t, at: outcome.at, status: outcome.status, ttl: store?.type === "cache" && store.result === "STORE" ? store.ttlSeconds ?? null : null }];
      }),
    ) as Record<Exclude<Status, "BYPASS">, { trace: Trace; at: string; status: string; ttl: number | null }>;
    const origin = http(hop(produced.DYNAMIC.trace, "response:pod").out);
    const cacheControl = origin?.cacheControl;
    if (!cacheControl) throw new Error(`${ID}: the origin's answer carries no Cache-Control`);

    const who = (s: Exclude<Status, "BYPASS">) =>
      produced[s].at === "response:pod" ? `the Pod's ${produced[s].status} comes back through Cloudflare` : `Cloudflare's edge in ${city} answers from its cache and Google never sees the request`;
    const kept = (s: Exclude<Status, "BYPASS">) => (produced[s].ttl !== null ? `, and the edge keeps it for ${produced[s].ttl} s` : s === "DYNAMIC" ? ", and nothing is stored" : "");
    const texts: Record<Status, string> = {
      DYNAMIC: `DYNAMIC: ${who("DYNAMIC")}${kept("DYNAMIC")}`,
      MISS: `MISS: ${who("MISS")}${kept("MISS")}`,
      HIT: `HIT: ${who("HIT")}${kept("HIT")}`,
      EXPIRED: `EXPIRED: ${who("EXPIRED")}${kept("EXPIRED")}`,
      BYPASS: "BYPASS: the Pod's answer comes back through Cloudflare, and its Cache-Control keeps the edge from storing it",
    };

    const stored = state === "hit" ? "a fresh copy" : state === "expired" ? "a copy whose time to live has run out" : "no copy";
    const notEligible = "without a Cache Rule Cloudflare caches by file extension and / has none, so it never looks in the cache for it";
    const whyNot: Record<Status, string> = {
      DYNAMIC: `The Cache Rule makes / eligible, so Cloudflare does look in its cache; DYNAMIC is for requests that are not eligible at all.`,
      MISS: eligible
        ? `MISS means no stored copy; this site holds ${stored}.`
        : `MISS needs an eligible URL with nothing stored; ${notEligible}.`,
      HIT: eligible
        ? `HIT needs a fresh stored copy; this site holds ${stored}, so the request goes to the origin.`
        : `Whatever the site holds, ${notEligible}: a stored copy cannot be a HIT.`,
      EXPIRED: eligible
        ? `EXPIRED means a stored copy past its time to live; this site holds ${stored}.`
        : `EXPIRED needs an eligible URL; ${notEligible}.`,
      BYPASS: `The origin does not opt out: it answers with Cache-Control: ${cacheControl}, which allows caching. BYPASS is for an eligible URL that the origin (Cache-Control: private or no-store) or the request excludes.`,
    };
    const rubricFor = (s: Status): Why => (s === key
      ? { why: `Right. ${texts[s]}. ${eligible ? `The Cache Rule makes / eligible and the site holds ${stored}.` : `${notEligible[0]!.toUpperCase()}${notEligible.slice(1)}, whatever the origin's Cache-Control says.`}`, step: edgeIn.id }
      : { why: whyNot[s], step: s === "BYPASS" && trace.hops.some((h) => h.id === "response:pod") ? "response:pod" : edgeIn.id });

    const options = orderedChoices(orderRandom(seed, ID), STATUSES.map((s) => ({ id: optionId(s), text: texts[s] })));

    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt:
        `A browser in ${city} requests https://www.example.com/ through Cloudflare. ` +
        (eligible ? "The zone has a Cache Rule that makes this URL eligible for cache (Cache Everything). " : "The zone has no Cache Rules; Cloudflare's default caching applies. ") +
        `Cloudflare's site in ${city} holds ${stored} of the page, and the Pod answers with Cache-Control: ${cacheControl}. ` +
        "What cf-cache-status does the browser see, and what happens to the request?",
      exhibits: [settingsExhibit(p, ["cache-rule", "cache", "city"])],
      view: { options },
      key: { choice: optionId(key) },
      rubric: { options: Object.fromEntries(STATUSES.map((s) => [optionId(s), rubricFor(s)])) },
      misconceptions: misconceptionAnswers<"single-choice">(["tls-at-pod"], (model) => {
        const believed = received(journeyTrace(p, seed, model));
        return believed && STATUSES.includes(believed as Status) ? { choice: optionId(believed as Status) } : null;
      }, { choice: optionId(key) }),
      hints: [
        "Before Cloudflare looks at what it has stored, it decides whether this URL may be cached at all. What decides that for a path with no file extension?",
        "Once a URL is eligible, compare what the site holds: nothing, something fresh, or something stale.",
      ],
      explanation:
        (eligible
          ? `The Cache Rule makes https://www.example.com/ eligible, so the edge in ${city} looks it up and the result depends on what it holds: nothing is a MISS, a fresh copy a HIT, a stale one EXPIRED. `
          : `By default Cloudflare caches by file extension; / has none, so the request is DYNAMIC: passed to the origin and never stored, even though the origin says Cache-Control: ${cacheControl}. `) +
        `Here the browser sees cf-cache-status: ${key}. ` +
        (produced[key as Exclude<Status, "BYPASS">]?.at === "response:pod"
          ? `The request goes on to Google and the Pod writes the answer${produced[key as Exclude<Status, "BYPASS">]?.ttl ? `, which the edge stores for the origin's max-age of ${produced[key as Exclude<Status, "BYPASS">]!.ttl} s` : ""}.`
          : `The edge answers by itself, and legs 2 to 4 never happen.`),
      lab: journeyLab("leg-1", p),
    };
  },
};
