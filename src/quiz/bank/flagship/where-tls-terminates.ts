import type { Hop } from "../../../sim/index";
import type { Template, Why } from "../../engine/types";
import {
  cachedTrace, deviceChoice, journeyLab, LESSON, listing, misconceptionAnswers, requestHops,
  requireEvent, settingsExhibit, siteName, tlsEnds, CITIES, REGION_NAMES, type Params,
} from "./shared";
import { seededRandom } from "../../../sim/random";
import type { SiteId } from "../../../sim/index";
import { orderedChoices, orderRandom, pick } from "../draw";

/**
 * Where TLS terminates: every device of this variant's request path is an option, and the key is the
 * hops whose trace shows a `tls-terminate` event. The tls-at-pod model's answer (the Pod alone) is
 * read off the same variant's trace under that model.
 */
const ID = "where-tls-terminates";

function params(seed: number): Params {
  if (seed === 0) return { city: "paris", cloudflare: "on", region: "us-central1" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), cloudflare: pick(random, ["on", "on", "off", "bypassed"]), region: pick(random, REGION_NAMES) };
}

/** Why a device that does not terminate TLS passes the session through, by what it is. */
function passesThrough(h: Hop): string {
  switch (h.device.kind) {
    case "client":
      return `${h.device.name} starts the session; it is the TLS client, not a terminator.`;
    case "router":
      return `${h.device.name} routes IP packets by their destination address and never looks inside the TLS records.`;
    case "xdp-lb":
    case "l4-lb":
      return `${h.device.name} is a layer-4 balancer: it hashes the addresses and ports and forwards (or tunnels) the packet, without the session's keys.`;
    case "sdn-fabric":
      return `${h.device.name} carries the GFE's connection to the Pod in the VPC's tunnel; it adds headers and reads none of the payload.`;
    case "node":
      return `${h.device.name} routes the packet to the Pod's veth; the GFE's connection to the Pod is plain HTTP, and the node only forwards it.`;
    case "pod":
      return `${h.device.name} receives plain HTTP from the GFE: the browser's session ended long before, at a proxy that had to read the request.`;
    default:
      return `${h.device.name} forwards the session without terminating it.`;
  }
}

export const whereTlsTerminates: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Where TLS terminates",
  lesson: LESSON,
  concepts: ["tls-termination", "cdn-proxy", "gfe"],
  file: "src/quiz/bank/flagship/where-tls-terminates.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = cachedTrace(p, 0);
    const path = requestHops(trace);
    const ends = tlsEnds(trace);
    const whys: Record<string, Why> = {};
    for (const h of path) {
      const t = h.events.find((e) => e.type === "tls-terminate");
      whys[h.device.id] = t?.type === "tls-terminate"
        ? {
            why: `Right: ${h.device.name} holds the key for ${t.certificate} (issued by ${t.issuer}), finishes the handshake that ${t.client === "browser" ? "the browser" : "Cloudflare's edge"} started for ${t.sni}, and reads the request${h.device.kind === "gfe" ? " to apply the URL map" : " to filter and cache it"}. TLS termination number ${t.ordinal}.`,
            step: h.id,
          }
        : { why: passesThrough(h), step: h.id };
    }
    const key = { choices: ends.map((h) => h.device.id) };
    const city = siteName(p.city as SiteId);
    const front = p.cloudflare === "on"
      ? "The site's DNS record is proxied by Cloudflare (orange cloud), in Full (strict) mode."
      : p.cloudflare === "off"
        ? "Cloudflare is not used: DNS points straight at the load balancer."
        : "The record is proxied by Cloudflare, but this client is a script that already knows the load balancer's address and connects to it directly.";
    const gfeTls = ends.find((h) => h.device.id === "gfe");
    const gfeCert = gfeTls ? requireEvent(gfeTls, "tls-terminate").certificate : "";
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt:
        `A user in ${city} loads https://www.example.com/. ${front} The GKE cluster in ${p.region} sits behind an Ingress with ` +
        "container-native load balancing. The request passes the devices below. Select every one at which a TLS session ends " +
        "(the device holds the private key and decrypts the request).",
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region"])],
      view: { options: orderedChoices(orderRandom(seed, ID), path.map(deviceChoice)) },
      key,
      rubric: { options: whys },
      misconceptions: misconceptionAnswers<"multiple-choice">(["tls-at-pod"], (model) => {
        const wrong = tlsEnds(cachedTrace(p, 0, model)).map((h) => h.device.id);
        return wrong.every((id) => whys[id]) && wrong.length > 0 ? { choices: wrong } : null;
      }, key, (a, b) => [...a.choices].sort().join() === [...b.choices].sort().join()),
      hints: [
        "A proxy that has to read the HTTP request — to cache it, filter it or route it by Host — must hold the session's key.",
        "How many separate TCP connections does the request travel on between the browser and the Pod?",
      ],
      explanation:
        `TLS ends ${ends.length === 1 ? "once" : `${ends.length} times`}: at ${listing(ends.map((h) => h.device.name))}. ` +
        (p.cloudflare === "on"
          ? "Cloudflare's edge must read the request to apply its WAF and cache, so it terminates the browser's session under its own edge certificate and opens a new one to the load balancer. "
          : "With no Cloudflare proxy on the way, the first device that needs the request is the GFE. ") +
        `The GFE must read Host and path to apply the URL map, so it terminates a session under the load balancer's certificate (${gfeCert}) and talks plain HTTP to the Pod over Google's network. ` +
        "Routers and the layer-4 balancers (Unimog, Maglev) forward packets without keys, and the Pod never sees the browser's TLS.",
      lab: journeyLab("journey", p),
    };
  },
};
