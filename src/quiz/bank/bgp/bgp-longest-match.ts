import { siteName } from "../../../sim/bgp/anycast";
import { USER_ROUTERS } from "../../../sim/bgp/default-topology";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import { asName, cityOf, DECISION_LAB, LESSON, network, routerText } from "./shared";
import { orderRandomXor, pick, shuffle } from "../draw";

/**
 * A more-specific prefix against the covering anycast /13: the key is where the FIB's longest-prefix
 * match sends a packet (the engine's `forward`), whatever the AS path of either route.
 */
const ID = "bgp-longest-match";
const SPECIFICS = ["104.18.32.0/24", "104.18.32.0/20", "104.18.0.0/15"] as const;
const ANNOUNCERS = [64500, 64501, 64502, 7922, 3215] as const;
const ADDRESSES = { inside: "104.18.32.7", outside: "104.20.1.1" } as const;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { specific: "104.18.32.0/24", announcer: 64500, prepend: 4, viewer: "2516@tokyo", address: "inside" };
  const random = seededRandom(seed);
  const announcer = pick(random, ANNOUNCERS);
  const viewer = pick(random, Object.values(USER_ROUTERS).filter((r) => !r!.startsWith(`${announcer}@`)))!;
  return { specific: pick(random, SPECIFICS), announcer, prepend: Math.floor(random() * 6), viewer, address: random() < 0.7 ? "inside" : "outside" };
}

export const bgpLongestMatch: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "A more-specific prefix against a shorter AS path",
  lesson: LESSON,
  concepts: ["bgp-best-path", "anycast"],
  file: "src/quiz/bank/bgp/bgp-longest-match.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const specific = p.specific as string;
    const announcer = p.announcer as number;
    const viewer = p.viewer as string;
    const address = ADDRESSES[p.address as keyof typeof ADDRESSES];
    const net = network("cloudflare", [], [{ prefix: specific, asn: announcer, prepend: p.prepend as number }]);
    const path = net.forward(viewer, address);
    const lookup = path.hops[0]!.lookup;
    const covering = net.bestRoute(viewer, "104.16.0.0/13")!;
    const mine = net.bestRoute(viewer, specific);
    const at = path.deliveredAt;
    const key = at === null ? "drop" : Number(at.split("@")[0]) === announcer ? "specific" : "covering";
    const announcerName = `${asName(announcer)} (AS${announcer})`;
    const cloudflareCity = at && key === "covering" ? siteName(cityOf(at)) : siteName(cityOf(covering.originRouter));
    const options: Choice[] = shuffle(orderRandomXor(seed, ID), [
      { id: "specific", text: `To ${announcerName}, which announced ${specific}` },
      { id: "covering", text: `To Cloudflare in ${cloudflareCity}, over the route to 104.16.0.0/13` },
      { id: "shorter", text: `To whichever of the two has the shorter AS path` },
      { id: "drop", text: "Nowhere: the two overlapping routes conflict and the router drops the packet" },
    ]);
    const covers = lookup.checks.find((c) => c.prefix === specific)?.matches ?? false;
    const why: Record<string, Why> = {
      specific: { why: key === "specific" ? `Right: ${address} falls inside ${specific}, a longer prefix than /13, so the FIB picks it whatever its AS path (${mine ? mine.asPath.join(" ") : "—"}) or local preference.` : `No: ${address} is not inside ${specific}, so that route does not match at all.`, step: null },
      covering: { why: key === "covering" ? `Right: ${address} is outside ${specific}; only 104.16.0.0/13 matches, and its best route leads to Cloudflare in ${cloudflareCity}.` : `No: the /13 matches too, but ${specific} is longer and also matches: the longest match wins before any attribute is compared.`, step: null },
      shorter: { why: `No: AS-path length only chooses among routes to the same prefix. ${covers ? `Here the /13's route has ${covering.asPath.length} AS${covering.asPath.length === 1 ? "" : "es"} and the ${specific.split("/")[1]}'s has ${mine?.asPath.length ?? "—"}, and the longer prefix wins regardless.` : `Here only one prefix matches ${address}.`}`, step: null },
      drop: { why: `No: overlapping prefixes are normal; the FIB holds both and takes the longest that matches.`, step: null },
    };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `Cloudflare announces 104.16.0.0/13 from its sites. ${announcerName} announces ${specific}${(p.prepend as number) > 0 ? `, prepending its own AS ${p.prepend} extra times` : ""}. ` +
        `Where does ${routerText(viewer)} send a packet for ${address}?`,
      exhibits: [{
        kind: "output", command: `npm run sim -- bgp --announce ${specific}@${announcer} --from ${viewer} --address ${address}`,
        text: net.rib(viewer).map((r) => `${r.prefix.padEnd(16)} path ${r.asPath.join(" ")}  locprf ${r.localPref}`).join("\n"),
      }],
      view: { options },
      key: { choice: key },
      rubric: { options: why },
      misconceptions: [],
      hints: ["Forwarding looks up the destination address, not a route's attributes.", "Which of the installed prefixes contain the address, and which is longest?"],
      explanation: `The router's FIB holds a route per prefix. For ${address} it checks each prefix, longest first: ${lookup.checks.map((c) => `${c.prefix} ${c.matches ? "matches" : "does not match"}`).join(", ")}. The longest match, ${lookup.match}, decides; local preference and AS-path length only ranked routes to that same prefix. The packet goes ${path.hops.map((h) => h.router).join(" → ")}.`,
      lab: DECISION_LAB,
    };
  },
};
