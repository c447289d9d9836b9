import { seededRandom } from "../../../sim/random";
import { formatAsn } from "../../../sim/rpki/asn";
import { formatPrefix, parsePrefix, type IpPrefix } from "../../../sim/rpki/prefix";
import { parseAsPath, routeOrigin, vrpIndex, whyVrp, ROV_STATES, type RovState } from "../../../sim/rpki/rov";
import { formatVrp, makeVrp, type Vrp } from "../../../sim/rpki/vrp";
import type { Template } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";
import { LESSON, LESSON_PAGE, LAB_ID } from "./shared";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * Route-origin validation by hand: a VRP set (as Routinator's CSV prints it) and a route with its
 * AS_PATH; which RFC 6811 state? The key is src/sim/rpki's validator; the `maxlength-ignored` wrong
 * model is the same validator with maxLength left out.
 */
const ID = "rov-state";

const HOLDERS = [
  { prefix: "34.98.0.0/16", asn: 15169 },
  { prefix: "104.16.0.0/13", asn: 13335 },
  { prefix: "198.51.100.0/22", asn: 64500 },
  { prefix: "2001:db8::/32", asn: 64496 },
  { prefix: "2001:db8:4000::/36", asn: 4200000001 },
] as const;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { holder: 0, maxExtra: 0, extra: "none", routeExtra: 8, origin: "holder", path: "sequence", where: "inside" };
  const r = seededRandom(seed);
  return {
    holder: Math.floor(r() * HOLDERS.length),
    maxExtra: pick(r, [0, 0, 2, 4, 8]),
    extra: pick(r, ["none", "none", "as0", "second-origin", "more-specific"]),
    routeExtra: pick(r, [0, 0, 2, 4, 8, 9]),
    origin: pick(r, ["holder", "holder", "other", "second"]),
    path: pick(r, ["sequence", "sequence", "sequence", "as-set"]),
    where: pick(r, ["inside", "inside", "inside", "outside"]),
  };
}

const OTHER_ASN = 64511;
const SECOND_ASN = 64499;

function setup(p: Record<string, string | number>): { vrps: Vrp[]; route: IpPrefix; path: string; origin: number | null } {
  const holder = HOLDERS[p.holder as number]!;
  const base = parsePrefix(holder.prefix);
  const max = base.family === 4 ? 32 : 128;
  const vrps: Vrp[] = [makeVrp(holder.prefix, Math.min(base.length + (p.maxExtra as number), max), holder.asn)];
  const routeLength = Math.min(base.length + (p.routeExtra as number), max);
  // "outside": the sibling block, the holder's prefix with its last bit flipped — near, but not covered.
  const route: IpPrefix =
    base.family === 4
      ? { family: 4, network: p.where === "outside" ? (base.network ^ (1 << (32 - base.length))) >>> 0 : base.network, length: routeLength }
      : { family: 6, network: p.where === "outside" ? base.network ^ (1n << BigInt(128 - base.length)) : base.network, length: routeLength };
  if (p.extra === "as0") vrps.push(makeVrp(holder.prefix, max, 0));
  if (p.extra === "second-origin") vrps.push(makeVrp(holder.prefix, Math.min(base.length + 8, max), SECOND_ASN));
  if (p.extra === "more-specific") vrps.push(makeVrp(formatPrefix({ ...route, length: Math.min(routeLength + 1, max) } as IpPrefix), Math.min(routeLength + 1, max), OTHER_ASN));
  const originAsn = p.origin === "holder" ? holder.asn : p.origin === "second" ? SECOND_ASN : OTHER_ASN;
  const path = p.path === "as-set" ? `3356 64511 {${originAsn},64510}` : `3356 ${originAsn === holder.asn ? "" : "64511 "}${originAsn}`.replace("64511 64511", "64511");
  return { vrps, route, path, origin: routeOrigin(parseAsPath(path)) };
}

export const rovState: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Valid, Invalid or NotFound?",
  lesson: LESSON,
  concepts: ["rpki-rov"],
  file: "src/quiz/bank/rpki/rov-state.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const { vrps, route, path, origin } = setup(p);
    const index = vrpIndex(vrps);
    const result = index.validate(route, origin);
    const wrong = index.validate(route, origin, "maxlength-ignored");
    const routeText = formatPrefix(route);
    const originText = origin === null ? "NONE (the path ends in an AS_SET)" : formatAsn(origin);
    const reasons = result.covering.map((v) => `${formatVrp(v)}: ${whyVrp(v, route, origin)}`);
    const because: Record<RovState, string> = {
      Valid: result.matching.length
        ? `at least one VRP covers ${routeText}, allows its length and names its origin ${originText}`
        : `no VRP both covers ${routeText} within its maxLength and names ${originText}`,
      Invalid: result.covering.length && !result.matching.length
        ? `VRPs cover ${routeText} but none matches (${reasons.join("; ")})`
        : result.matching.length ? "a VRP matches, so it is Valid" : "no VRP covers it, so it cannot be Invalid",
      NotFound: result.covering.length ? `${result.covering.length} VRP${result.covering.length === 1 ? " covers" : "s cover"} it` : `no VRP's prefix contains ${routeText}`,
    };
    const options = orderedChoices(
      orderRandom(seed, ID),
      ROV_STATES.map((s) => ({ id: s.toLowerCase(), text: s })),
    );
    const rubric = Object.fromEntries(
      ROV_STATES.map((s) => [s.toLowerCase(), { why: s === result.state ? `${s}: ${because[s]}.` : `Not ${s}: ${because[s]}.`, step: null }]),
    );
    const key = { choice: result.state.toLowerCase() };
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `A router doing route-origin validation holds the VRPs below. It receives a route for ${routeText} with AS_PATH ${path}. What is the route's RFC 6811 validation state?`,
      exhibits: [
        { kind: "output", command: "cat vrps.csv   # the relying party's export", text: `ASN,IP Prefix,Max Length,Trust Anchor\n${index.vrps.map((v) => `${formatAsn(v.asn)},${formatPrefix(v.prefix)},${v.maxLength},ripe`).join("\n")}` },
        { kind: "text", text: `Route: ${routeText}\nAS_PATH: ${path}` },
      ],
      view: { options },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"single-choice">(["maxlength-ignored"], () => ({ choice: wrong.state.toLowerCase() }), key),
      hints: [
        "Which AS is the origin? It is read from one end of the AS_PATH — and an AS_SET there changes things.",
        "First list the VRPs that cover the route (their prefix contains it), then check each one's maxLength and ASN.",
      ],
      explanation:
        `The origin AS is the right-most ASN of the final AS_SEQUENCE: here ${originText}. ` +
        (result.covering.length
          ? `Covering VRPs: ${reasons.join("; ")}. `
          : `No VRP's prefix contains ${routeText}. `) +
        `So the route is ${result.state}: Valid needs a VRP that covers it, allows its length (route length ≤ maxLength) and names its origin (never AS0); Invalid means covered but unmatched; NotFound means not covered at all (RFC 6811 §2).`,
      lab: { page: LESSON_PAGE, lab: LAB_ID, query: { [`${LAB_ID}.kind`]: "sub-prefix", [`${LAB_ID}.roa`]: "custom" } },
    };
  },
};
