import { FIBRE_KM_PER_MS, greatCircleKm, hopsOf, site, type SiteId } from "../../../sim/index";
import { GOOGLE_EDGE_SITES, REGIONS } from "../../../sim/scenarios/cloudflare-gke";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { CITIES, LESSON, REGION_NAMES, hop, journeyLab, journeyTrace, km, listing, paramLabel, requireEvent, settingsExhibit, siteName } from "./shared";
import { pick } from "../draw";

/**
 * "Double anycast" and latency: both anycast decisions land in the user's own city, so the only
 * long stretch of the request is Google's backbone from there to the cluster's region. The learner
 * adds up the fibre time; the key is the trace's own sum of propagation delays, browser to Pod.
 */
const ID = "long-haul-fibre-time";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", region: "us-central1", cloudflare: "on" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), region: pick(random, REGION_NAMES), cloudflare: pick(random, ["on", "on", "off"]) };
}

/** The Google edge site nearest a place (where someone who thinks traffic enters Google "near the data centre" would put it). */
function nearestEdgeSite(to: SiteId): SiteId {
  return [...GOOGLE_EDGE_SITES].sort((a, b) => greatCircleKm(site(a), site(to)) - greatCircleKm(site(b), site(to)))[0]!;
}

export const longHaulFibreTime: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "Double anycast: where the long haul is, and what it costs",
  lesson: LESSON,
  concepts: ["anycast", "latency", "peering"],
  file: "src/quiz/bank/journey/long-haul-fibre-time.ts",
  source: "seed 000, question 2",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const proxied = p.cloudflare === "on";
    const request = hopsOf(trace, "request");
    const toPod = request.slice(0, request.findIndex((h) => h.id === "request:pod") + 1);
    const fibreMs = Math.round(toPod.reduce((sum, h) => sum + h.propagationMs, 0) * 100) / 100;

    const user = p.city as SiteId;
    const region = REGIONS[p.region as keyof typeof REGIONS];
    const firstAnycast = requireEvent(hop(trace, "request:isp-router"), "anycast-route");
    const secondAnycast = proxied ? requireEvent(hop(trace, "request:cf-router"), "anycast-route") : null;
    const gfe = hop(trace, "request:gfe");
    const backbone = hop(trace, "request:backbone");
    const longKm = requireEvent(backbone, "forward").distanceKm ?? 0;

    // Distances to read from: the real long haul, and the detour someone would take who thinks the
    // packet crosses the public internet to a Google site near the data centre first.
    const near = nearestEdgeSite(region.site);
    const rows = [
      `${siteName(user)} – ${siteName(region.site)}: ${km(greatCircleKm(site(user), site(region.site)))}`,
      ...(near !== user
        ? [
            `${siteName(user)} – ${siteName(near)}: ${km(greatCircleKm(site(user), site(near)))}`,
            `${siteName(near)} – ${siteName(region.site)}: ${km(greatCircleKm(site(near), site(region.site)))}`,
          ]
        : []),
    ];
    const via = proxied ? "Cloudflare (the record is proxied) and Google's external Application Load Balancer" : "Google's external Application Load Balancer (the record is DNS only)";
    const sites = listing(GOOGLE_EDGE_SITES.map(siteName));
    const landings = proxied
      ? `The ISP's route to Cloudflare's prefix leads to ${siteName(firstAnycast.chosen)}, and Cloudflare's route to Google's prefix leads to ${siteName(secondAnycast!.chosen)}`
      : `The ISP's route to Google's prefix leads to ${siteName(firstAnycast.chosen)}`;

    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A browser in ${siteName(user)} fetches https://www.example.com/ through ${via}; the GKE cluster runs in ${paramLabel("region", p.region!).value}. ` +
        `${proxied ? "Cloudflare and Google each announce their" : "Google announces its"} anycast prefix from ${sites}. ` +
        `Counting only light in fibre at ${FIBRE_KM_PER_MS} km per millisecond over great-circle distances — no queues, no processing, ` +
        "no access network — how long does the request take, one way, from the browser to the Pod?",
      exhibits: [
        settingsExhibit(p, ["city", "cloudflare", "region"]),
        { kind: "text", text: `Great-circle distances:\n${rows.join("\n")}` },
      ],
      view: { unit: "ms", label: "One-way fibre time, browser to Pod" },
      key: { value: fibreMs },
      rubric: {
        value: fibreMs, unit: "ms", absolute: 0.5, relative: 0.03,
        why: {
          why:
            `${landings}: every hop up to ${gfe.device.name} is in ${siteName(gfe.device.location)}. What remains is ` +
            `Google's backbone from there to ${siteName(region.site)}, ${km(longKm)}, so ${km(longKm)} ÷ ${FIBRE_KM_PER_MS} km/ms ≈ ${fibreMs} ms.`,
          step: backbone.id,
        },
      },
      misconceptions: [],
      hints: [
        proxied ? "Two anycast decisions are made on the way in. Does either of them send the packet towards the cluster?" : "Where does the ISP's route to Google's anycast prefix lead: near the user, or near the cluster?",
        "Once the packet is inside Google's network, which single stretch covers most of the distance?",
      ],
      explanation:
        `${landings}${proxied ? ": both decisions stay local" : ""}, so the packet never crosses the public internet beyond ${siteName(user)}. ` +
        `The GFE there opens its own connection to the Pod, and that request crosses Google's private backbone to ${siteName(region.site)}: ` +
        `${km(longKm)} of great-circle distance, about ${fibreMs} ms at ${FIBRE_KM_PER_MS} km/ms. Real cables run longer than the great circle, so this is a floor. ` +
        (near !== user
          ? `Entering Google near the data centre instead (at ${siteName(near)}) would not shorten the trip; it would move most of it onto transit networks that Google does not control.`
          : "The user is already next to the region, so the whole request stays within a few kilometres."),
      lab: journeyLab("journey", p),
    };
  },
};
