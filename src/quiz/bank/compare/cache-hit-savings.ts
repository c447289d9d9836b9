import { computeTrace, type SiteId } from "../../../sim/index";
import { requestHop } from "../../../sim/edge/compare-read";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { CITIES, km, REGION_NAMES, settingsExhibit, siteName, type Params } from "../journey/shared";
import { cachedComparison, compareLab, LESSON } from "./shared";
import { pick } from "../draw";

/**
 * When the double anycast pays: a Cloudflare cache hit answers in the user's city, so it saves the
 * whole trip to the cluster that the DNS-only request makes. The learner estimates the saving from
 * the long haul's length and the Pod's time; the key is the comparison's own difference of the two
 * traces' first-byte times (DNS-only minus proxied).
 */
const ID = "cache-hit-savings";

function params(seed: number): Params {
  if (seed === 0) return { city: "paris", region: "us-central1" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), region: pick(random, REGION_NAMES) };
}

export const cacheHitSavings: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "What a cache hit saves over going direct",
  lesson: LESSON,
  concepts: ["cdn-cache", "latency", "anycast"],
  file: "src/quiz/bank/compare/cache-hit-savings.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const settings = { ...p, "cache-rule": "cache-everything", cache: "hit" };
    const c = cachedComparison(settings);
    const saved = Math.round(-c.figures.differenceMs * 10) / 10;
    // The DNS-only trace's long haul and the Pod's time, as the learner is given them.
    const off = computeTrace("cloudflare-gke", c.traces.without!);
    const backbone = requestHop(off, "backbone");
    const haul = backbone?.events.find((e) => e.type === "forward");
    const haulKm = haul?.type === "forward" ? haul.distanceKm ?? 0 : 0;
    const podMs = off.hops.find((h) => h.id === "response:pod")?.processingMs ?? 0;
    const firstByte = c.rows.find((r) => r.id === "first-byte")!;
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A page on www.example.com is eligible for Cloudflare's cache (a Cache Everything rule), and the Cloudflare site in ${siteName(p.city as SiteId)} holds a fresh copy. ` +
        `The cluster runs in ${p.region}. Connections are warm. About how many milliseconds sooner does a browser in ${siteName(p.city as SiteId)} get the first byte than it would with the record set to DNS only? ` +
        "Light in fibre covers 200 km per millisecond; ignore the access network and the small work at each device.",
      exhibits: [
        settingsExhibit(settings, ["city", "region", "cache-rule", "cache"]),
        { kind: "text", text: `Google's backbone from the edge site the user reaches to the cluster: ${km(haulKm)} (great circle).\nThe Pod takes about ${podMs.toFixed(0)} ms to answer.` },
      ],
      view: { unit: "ms", label: "Time saved by the cache hit" },
      key: { value: saved },
      rubric: {
        value: saved, unit: "ms", absolute: 2, relative: 0.05,
        why: {
          why: `Proxied with a hit: ${firstByte.with.text}. DNS only: ${firstByte.without.text}. The hit spares the backbone crossing both ways (2 × ${km(haulKm)} ÷ 200 km/ms) and the Pod's ${podMs.toFixed(0)} ms, less the little the proxy's own work costs.`,
          step: firstByte.without.steps[0] ?? null,
        },
      },
      misconceptions: [],
      hints: [
        "Where does the answer come from with the hit, and where without Cloudflare?",
        "The request and the answer each cross the long haul once. What does the Pod add?",
      ],
      explanation:
        `With the hit, Cloudflare's edge in ${siteName(p.city as SiteId)} answers by itself: ${firstByte.with.text}. Without the proxy every request goes to the cluster: ${firstByte.without.text}. ` +
        `The difference, ${saved.toFixed(1)} ms, is almost exactly the backbone there and back plus the Pod's time. On a miss there is no such saving — the proxy then costs a little — which is why "double anycast" alone makes nothing faster.`,
      lab: compareLab(settings),
    };
  },
};
