import { greatCircleKm, site, type SiteId } from "../../../sim/geo";
import type { AnycastRouteEvent } from "../../../sim/edge/anycast";
import { seededRandom } from "../../../sim/random";
import type { FieldSpec, Template, Why } from "../../engine/types";
import { CITIES, LESSON, REGION_NAMES, countWord, hop, journeyLab, journeyTrace, paramLabel, requireEvent, settingsExhibit, siteName } from "./shared";
import { pick, pickWeighted } from "../draw";

/**
 * Which sites the anycast decisions reach: the user's ISP picks a site for Cloudflare's prefix (or,
 * without Cloudflare, Google's), and Cloudflare's border router picks one for Google's. The keys are the
 * `anycast-route` events' chosen sites; the rubric gives the BGP decision (the rule that decided) for each.
 */
const ID = "anycast-sites";
// The events carry the BGP model's fields (src/sim/edge/anycast.ts): the deciding rule, the announcing sites.

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "tokyo", region: "us-central1", cloudflare: "on" };
  const random = seededRandom(seed);
  return {
    city: pick(random, CITIES),
    region: pick(random, REGION_NAMES),
    cloudflare: pickWeighted(random, [["on", 3], ["off", 1]] as const),
  };
}

export const anycastSites: Template<"fill-in"> = {
  id: ID,
  kind: "fill-in",
  title: "Which sites the anycast routes lead to, and why",
  lesson: LESSON,
  concepts: ["anycast", "peering"],
  file: "src/quiz/bank/journey/anycast-sites.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const proxied = p.cloudflare === "on";
    const city = siteName(p.city as SiteId);
    const isp = hop(trace, "request:isp-router");
    const first = requireEvent(isp, "anycast-route") as AnycastRouteEvent;
    const cfRouter = proxied ? hop(trace, "request:cf-router") : null;
    const second = cfRouter ? (requireEvent(cfRouter, "anycast-route") as AnycastRouteEvent) : null;

    // An example of the form that cannot be an answer: the furthest site where no user of the course lives.
    const farthest = (e: AnycastRouteEvent) => [...e.sites].filter((s) => !(CITIES as readonly string[]).includes(s))
      .sort((a, b) => greatCircleKm(site(p.city as SiteId), site(b)) - greatCircleKm(site(p.city as SiteId), site(a)))[0]!;
    const placeholder = `a city, e.g. ${siteName(farthest(first))}`;
    const fields: FieldSpec[] = proxied
      ? [
          { id: "cloudflare-site", label: "Cloudflare site that receives the browser's packets", type: "name", placeholder },
          { id: "google-site", label: "Google edge site where Cloudflare's request enters Google", type: "name", placeholder },
        ]
      : [{ id: "google-site", label: "Google edge site that receives the browser's packets", type: "name", placeholder }];
    const key: Record<string, string> = proxied
      ? { "cloudflare-site": siteName(first.chosen), "google-site": siteName(second!.chosen) }
      : { "google-site": siteName(first.chosen) };
    const whys: Record<string, Why> = proxied
      ? {
          "cloudflare-site": { why: first.why, step: isp.id },
          "google-site": { why: second!.why, step: cfRouter!.id },
        }
      : { "google-site": { why: first.why, step: isp.id } };

    const region = paramLabel("region", p.region!).value;
    const setup = proxied
      ? `Cloudflare announces its anycast prefix from ${countWord(first.sites.length)} sites and Google from ${countWord(second!.sites.length)}, ${city} among both. The user's ISP peers with both only in ${city} (directly, or through an IXP route server) and reaches their other sites through a transit provider; Cloudflare has private interconnects with Google at every one of its sites.`
      : `The record is DNS only, so the browser connects straight to the load balancer's anycast address, which Google announces from ${countWord(first.sites.length)} edge sites, ${city} among them. The user's ISP peers with Google only in ${city} and reaches its other sites through a transit provider.`;

    return {
      template: ID, kind: "fill-in", seed, title: this.title,
      prompt: `A browser in ${city} opens https://www.example.com/; the GKE cluster runs in ${region}. ${setup} ` +
        (proxied ? "Where do the two anycast decisions on the way in lead?" : "Where does the anycast decision on the way in lead?"),
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region"])],
      view: { fields },
      key: { fields: key },
      rubric: { fields: whys },
      misconceptions: [],
      hints: [
        "An anycast decision is an ordinary BGP best-path choice, made by the router that holds several routes to one prefix.",
        "BGP compares local preference before AS-path length, and both before eBGP over iBGP and the cost to the exit. Which routes are learned from a peer?",
      ],
      explanation:
        (proxied
          ? `The ISP prefers the route it learned from its own peer (local preference beats any distance), so the browser reaches Cloudflare in ${siteName(first.chosen)}. ` +
            `Cloudflare's routes to Google all come over private interconnects and tie on local preference, AS path, origin and MED; its border router in ${siteName(second!.chosen)} learned one over its own eBGP session and the rest over iBGP from Cloudflare's other sites, and eBGP beats iBGP, so it hands the packet over right there. `
          : `The ISP prefers the route it learned from its own peer (local preference beats any distance), so the browser reaches Google's edge in ${siteName(first.chosen)}. `) +
        `${proxied ? "Neither decision looks" : "The decision does not look"} at where the cluster is: the ${region} data centre is reached afterwards, on Google's backbone, by the GFE's own connection.`,
      lab: journeyLab(proxied ? "leg-2" : "leg-1", p),
    };
  },
};
