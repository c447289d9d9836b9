import { hopsOf, totalMs, type Hop, type SiteId, type Trace, type TraceEvent } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import {
  CITIES, LESSON, REGION_NAMES, countWord, journeyLab, journeyTrace, listing, misconceptionAnswers, paramLabel, settingsExhibit, siteName,
} from "./shared";
import { pick, pickWeighted } from "../draw";

/**
 * Cold against warm connections: on a cold start every connection on the way is opened for this
 * request — TCP, then TLS 1.3 where the segment is encrypted — before the request can cross it. TLS
 * ends near the user, so its round trips are short; the one that crosses the long haul is the GFE's
 * plain-HTTP connection to the Pod. The key is read from the trace's times (cold minus warm) or from
 * its `handshake` events.
 */
const ID = "cold-connections";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", region: "us-central1", cloudflare: "on", ask: "ms" };
  const random = seededRandom(seed);
  return {
    city: pick(random, CITIES),
    region: pick(random, REGION_NAMES),
    cloudflare: pickWeighted(random, [["on", 2], ["off", 1]] as const),
    ask: pick(random, ["ms", "round-trips"]),
  };
}

type Handshake = Extract<TraceEvent, { type: "handshake" }>;

/** The request's hops from the browser to the Pod. */
function toPod(t: Trace): Hop[] {
  const request = hopsOf(t, "request");
  const end = request.findIndex((h) => h.id === "request:pod");
  if (end < 0) throw new Error(`${ID}: the request never reaches the Pod`);
  return request.slice(0, end + 1);
}

function handshakes(t: Trace): { hop: Hop; e: Handshake }[] {
  return toPod(t).flatMap((hop) => hop.events.filter((e): e is Handshake => e.type === "handshake").map((e) => ({ hop, e })));
}

/** What a cold start adds: milliseconds (cold minus warm, as far as the Pod) or round trips of handshakes. */
function answerFor(scenario: Record<string, string>, seed: number, ask: string, model: string | null): number {
  const cold = journeyTrace({ ...scenario, connections: "cold" }, seed, model);
  if (ask === "round-trips") return handshakes(cold).reduce((sum, h) => sum + h.e.roundTrips, 0);
  const warm = journeyTrace({ ...scenario, connections: "warm" }, seed, model);
  return Math.round((totalMs(toPod(cold)) - totalMs(toPod(warm))) * 100) / 100;
}

const capital = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

const PROTOCOL = { tcp: "TCP only", "tcp+tls1.3": "TCP, then TLS 1.3" } as const;

export const coldConnections: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "What cold connections cost",
  lesson: LESSON,
  concepts: ["latency", "tls-termination"],
  file: "src/quiz/bank/journey/cold-connections.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const { ask, ...scenario } = p;
    const proxied = scenario.cloudflare === "on";
    const cold = journeyTrace({ ...scenario, connections: "cold" }, seed);
    const shakes = handshakes(cold);
    const value = answerFor(scenario, seed, ask!, null);
    const inMs = ask === "ms";
    const longest = [...shakes].sort((a, b) => b.e.rttMs - a.e.rttMs)[0];
    if (!longest) throw new Error(`${ID}: a cold start with no handshakes`);
    const city = siteName(scenario.city as SiteId);
    const region = paramLabel("region", scenario.region!).value;
    const party = (h: { hop: Hop; e: Handshake }) => `${h.hop.device.name} ↔ ${h.e.peer}`;
    const rtts = shakes.map((h) => `${party(h)}: ${h.e.rttMs} ms`);
    const sum = shakes.map((h) => `${PROTOCOL[h.e.protocol]} between ${h.hop.device.name} and ${h.e.peer}: ${h.e.roundTrips} × ${h.e.rttMs} ms`);
    // With the cluster next to the user, no handshake crosses any distance worth counting.
    const local = longest.e.rttMs < 1;
    const absolute = inMs ? 1 : 0;
    const relative = inMs ? 0.05 : 0;

    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A browser in ${city} requests https://www.example.com/ ${proxied ? "through Cloudflare" : "directly (DNS only)"}; the GKE cluster runs in ${region}. ` +
        `This time every connection on the way is cold: none is open, so each must be set up before the request can cross it. ` +
        `${proxied ? "The browser and Cloudflare, and Cloudflare and the load balancer, speak" : "The browser and the load balancer speak"} HTTPS with TLS 1.3; the GFE speaks plain HTTP/1.1 to the Pod. ` +
        (inMs
          ? "Using the round-trip times below (light in fibre only), how many milliseconds later does the request reach the Pod than it would on warm connections?"
          : "How many round trips are spent on handshakes before the request reaches the Pod?"),
      exhibits: [
        settingsExhibit({ ...scenario, connections: "cold" }, ["city", "cloudflare", "region", "connections"]),
        { kind: "text", text: `Round-trip times, light in fibre only (the model leaves out the access network):\n${rtts.join("\n")}` },
      ],
      view: inMs ? { unit: "ms", label: "Extra time before the request reaches the Pod" } : { unit: "count", label: "Round trips of handshakes" },
      key: { value },
      rubric: {
        value, unit: inMs ? "ms" : "count", absolute, relative,
        why: {
          why: `${sum.join("; ")}. ` + (inMs ? `In all ${value} ms` : `${capital(countWord(value))} round trips`) +
            (local ? ": every handshake here is local, and in the model none crosses more than a few kilometres." : `, and the costly one is the GFE's TCP handshake with the Pod across the long haul (${longest.e.rttMs} ms).`),
          step: longest.hop.id,
        },
      },
      misconceptions: misconceptionAnswers<"numeric">(["tls-at-pod"], (model) => ({ value: answerFor(scenario, seed, ask!, model) }), { value },
        (a, b) => Math.abs(Number(a.value) - Number(b.value)) <= Math.max(absolute, relative * Math.abs(Number(b.value)))),
      hints: [
        "Before data can flow, TCP needs one round trip; a full TLS 1.3 handshake needs one more. Which connections on this path are encrypted?",
        "Where does each connection start and end? Only one of them crosses the long distance to the region.",
      ],
      explanation:
        `Each proxy ends one connection and opens the next, so a cold start pays for ${listing(shakes.map((h) => `${h.e.protocol === "tcp" ? "a TCP handshake" : "TCP and TLS 1.3"} to ${h.e.peer}`))}. ` +
        (local
          ? `TLS is terminated close to the user and the cluster is next door, so every handshake stays within ${city}. `
          : `TLS is terminated close to the user, so its round trips stay inside ${city}; the one handshake that crosses to ${region} is the GFE's TCP connection to the Pod, ${longest.e.rttMs} ms. `) +
        "That is why GFEs (and Cloudflare) keep their upstream connections open and reuse them: on warm connections the request pays none of this. Real access networks add a few milliseconds per round trip on the browser's side.",
      lab: journeyLab("journey", { ...scenario, connections: "cold" }),
    };
  },
};
