import { anycastOutcomes, siteName } from "../../../sim/bgp/anycast";
import { ANYCAST_SITES, USER_CITY_IDS, USER_ROUTERS } from "../../../sim/bgp/default-topology";
import { RULE_LABELS } from "../../../sim/bgp/decision";
import type { SiteId } from "../../../sim/geo";
import { seededRandom } from "../../../sim/random";
import type { Choice, MisconceptionAnswer, Template, Why } from "../../engine/types";
import { ANYCAST_LAB, asName, LESSON, network, PREFIXES, routerText, type PrefixKey } from "./shared";
import { orderRandomXor, pick, shuffle } from "../draw";

/**
 * Which anycast site a user city reaches, and — where it differs — why not the nearest: the key is the
 * site the packet is delivered at when followed FIB by FIB from the city's access router; the
 * nearest-site misconception's answer is the same question run under `anycast-nearest-site`.
 */
const ID = "bgp-anycast-site";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "madrid", prefix: "cloudflare", withdrawn: "" };
  const random = seededRandom(seed);
  const city = pick(random, USER_CITY_IDS);
  const prefix = pick(random, ["cloudflare", "cloudflare", "google"] as const);
  const withdrawn = random() < 0.5 ? pick(random, ANYCAST_SITES.filter((s) => s !== city)) : random() < 0.5 && ANYCAST_SITES.includes(city) ? city : "";
  return { city, prefix, withdrawn };
}

export const bgpAnycastSite: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which anycast site does this city reach?",
  lesson: LESSON,
  concepts: ["anycast", "bgp-best-path", "bgp-policy"],
  file: "src/quiz/bank/bgp/bgp-anycast-site.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const which = p.prefix as PrefixKey;
    const city = p.city as SiteId;
    const withdrawn = p.withdrawn ? [p.withdrawn as SiteId] : [];
    const net = network(which, withdrawn);
    const router = USER_ROUTERS[city]!;
    const [o] = anycastOutcomes(net, PREFIXES[which].prefix, PREFIXES[which].address, { [city]: router });
    const [wrong] = anycastOutcomes(net, PREFIXES[which].prefix, PREFIXES[which].address, { [city]: router }, "anycast-nearest-site");
    const live = ANYCAST_SITES.filter((s) => !withdrawn.includes(s));
    const key = o!.reached ?? "none";
    const random = orderRandomXor(seed, ID);
    const others = shuffle(random, live.filter((s) => s !== key && s !== o!.nearest));
    const picked = [...new Set([key, ...(o!.nearest ? [o!.nearest] : []), ...others])].slice(0, 5);
    const ids = key === "none" ? picked : picked.filter((s) => s !== "none");
    const options: Choice[] = shuffle(random, [
      ...ids.filter((s) => s !== "none").map((s) => ({ id: s, text: siteName(s as SiteId) })),
      { id: "none", text: `Nowhere: ${asName(Number(router.split("@")[0]))} has no route to ${PREFIXES[which].prefix}` },
    ]);
    const why: Record<string, Why> = {};
    for (const opt of options) {
      why[opt.id] = {
        why: opt.id === key
          ? `Right: ${o!.why}`
          : opt.id === "none"
            ? `No: ${routerText(router)} holds a route to ${PREFIXES[which].prefix}; the packet is delivered in ${o!.reached ? siteName(o!.reached) : "—"}.`
            : opt.id === o!.nearest
              ? `No: ${siteName(opt.id as SiteId)} is the nearest site on the map, but BGP does not measure that distance. ${o!.rule ? `The choice is made by ${RULE_LABELS[o!.rule]} at ${o!.decidingRouter ?? router}.` : ""}`
              : `No: no router on the way has a best route leading to ${siteName(opt.id as SiteId)}; the path is ${o!.path?.hops.map((h) => h.router).join(" → ") ?? "—"}.`,
        step: null,
      };
    }
    const misconceptions: MisconceptionAnswer<"single-choice">[] =
      wrong!.reached && wrong!.reached !== key && options.some((x) => x.id === wrong!.reached) ? [{ misconception: "anycast-nearest-site", answer: { choice: wrong!.reached } }] : [];
    const gone = withdrawn.length ? ` ${PREFIXES[which].name}'s ${siteName(withdrawn[0]!)} site has withdrawn its announcement.` : "";
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `${PREFIXES[which].name} announces ${PREFIXES[which].prefix} from ${live.map(siteName).join(", ")}.${gone} ` +
        `A user in ${siteName(city)} sits behind ${routerText(router)}. Which site do the user's packets to ${PREFIXES[which].address} reach?`,
      exhibits: [{ kind: "text", text: `${asName(Number(router.split("@")[0]))}: ${net.topology.ases.get(Number(router.split("@")[0]))?.note ?? ""}` }],
      view: { options },
      key: { choice: key },
      rubric: { options: why },
      misconceptions,
      hints: [
        "Follow the packet: the user's ISP picks its best route, then each network on the way picks its own.",
        "Local preference (who pays whom) and AS-path length come before any network's own idea of the nearest exit; the distance to the site is never compared.",
      ],
      explanation: o!.why,
      // The anycast map opens on this variant's prefix with the same site withdrawn.
      lab: { ...ANYCAST_LAB, query: { "anycast.prefix": which, ...(p.withdrawn ? { "anycast.withdrawn": p.withdrawn } : {}) } },
    };
  },
};
