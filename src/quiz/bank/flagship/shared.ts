import { flagshipOutcome, hopsOf, type Hop, type Trace } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Choice } from "../../engine/types";
import { CITIES, journeyTrace, REGION_NAMES, type Params } from "../journey/shared";
import { pick } from "../draw";

/**
 * What the flagship templates (`bank/flagship/`) share beyond the journey helpers they reuse
 * (`bank/journey/shared.ts`): drawing a variant whose request reaches a Pod, naming devices as the
 * trace names them, and reading the facts the wrong models change.
 */

export {
  CITIES, LESSON, REGION_NAMES, eventOf, hop, innerIpv4, innerTcp, journeyLab, journeyTrace, listing, misconceptionAnswers,
  requireEvent, settingsExhibit, siteName, type Params,
} from "../journey/shared";

/** The lesson page's settings a reaching variant varies, in the order chips show them. */
export const REACH_KEYS = ["city", "cloudflare", "region"] as const;

/**
 * A variant whose request reaches a Pod: the city, whether Cloudflare proxies, the region. Seed 0 is
 * the lesson's own (Paris, proxied, us-central1).
 */
export function reachParams(seed: number, extra: (random: () => number) => Params = () => ({})): Params {
  if (seed === 0) return { city: "paris", cloudflare: "on", region: "us-central1" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), cloudflare: pick(random, ["on", "off"]), region: pick(random, REGION_NAMES), ...extra(random) };
}

/** A device of the trace as an option: its id, its name in this variant. */
export const deviceChoice = (h: Hop): Choice => ({ id: h.device.id, text: h.device.name });

/** The trace's request hops, in order. */
export const requestHops = (t: Trace): Hop[] => hopsOf(t, "request");
/** The trace's response hops, in order. */
export const responseHops = (t: Trace): Hop[] => hopsOf(t, "response");

/** The hop ids where a TLS session ends on the request, in order. */
export function tlsEnds(t: Trace): Hop[] {
  return requestHops(t).filter((h) => h.events.some((e) => e.type === "tls-terminate"));
}

/** The hop that wrote what the browser finally got (the core outcome's step). */
export function answeredBy(t: Trace): Hop {
  const at = flagshipOutcome(t).at;
  const found = t.hops.find((h) => h.id === at);
  if (!found) throw new Error(`no hop ${at}`);
  return found;
}

/** Traces are pure functions of (params, seed, model): a variant that reads several facts off one trace computes it once. */
const cache = new Map<string, Trace>();
export function cachedTrace(params: Params, seed: number, model: string | null = null): Trace {
  const key = JSON.stringify([params, seed, model]);
  let t = cache.get(key);
  if (!t) {
    if (cache.size > 2000) cache.clear();
    t = journeyTrace(params, seed, model);
    cache.set(key, t);
  }
  return t;
}
