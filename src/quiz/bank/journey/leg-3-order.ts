import { hopsOf, type Hop, type SiteId, type Trace, type TraceEvent } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import { CITIES, LESSON, journeyLab, journeyTrace, misconceptionAnswers, settingsExhibit, siteName } from "./shared";
import { orderRandom, pick, pickWeighted, shuffle } from "../draw";

/**
 * Leg 3 in order: the edge router's ECMP, Maglev, then the GFE's work — TLS, the URL map, Cloud Armor
 * when attached, the endpoint choice, a new connection when cold — and the request onto the backbone.
 * Each item is an event of the trace; the key is the order the trace records them in. Every step needs
 * what the one before produced (Maglev needs the packet, the URL map the decrypted Host, Cloud Armor
 * the backend service the URL map chose, the connection the endpoint), so the model allows one order.
 */
const ID = "leg-3-order";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", cloudflare: "on", "origin-protection": "cloud-armor", connections: "cold" };
  const random = seededRandom(seed);
  const cloudflare = pickWeighted(random, [["on", 2], ["off", 1]] as const);
  return {
    city: pick(random, CITIES),
    cloudflare,
    // Cloud Armor allows only Cloudflare's ranges, so it is attached only where Cloudflare is in front.
    "origin-protection": cloudflare === "on" ? pick(random, ["none", "cloud-armor"]) : "none",
    connections: pick(random, ["warm", "cold"]),
  };
}

/** The item an event of leg 3 stands for, or null for one the question leaves out (forwarding, tunnel headers, health reads). */
function itemOf(hop: Hop, e: TraceEvent): string | null {
  switch (e.type) {
    case "lb-select":
      return e.layer === "L3" ? "ecmp" : e.layer === "L4" ? "maglev" : "endpoint";
    case "tls-terminate":
      return "tls";
    case "url-map":
      return "url-map";
    case "waf":
      return "cloud-armor";
    case "handshake":
      return "handshake";
    case "forward":
      return hop.device.kind === "gfe" ? "to-pod" : null;
    default:
      return null;
  }
}

/** Leg 3's items in the order a trace records them, each with the hop it happened at (up to the node). */
function itemsInOrder(t: Trace): { id: string; hop: Hop }[] {
  const request = hopsOf(t, "request");
  const from = request.findIndex((h) => h.leg === 3);
  const to = request.findIndex((h) => h.device.kind === "node");
  if (from < 0 || to < 0) throw new Error(`${ID}: the request does not cross Google's edge to a node`);
  return request.slice(from, to).flatMap((hop) => hop.events.flatMap((e) => {
    const id = itemOf(hop, e);
    return id ? [{ id, hop }] : [];
  }));
}

export const leg3Order: Template<"ordering"> = {
  id: ID,
  kind: "ordering",
  title: "Leg 3 in order: ECMP, Maglev and the GFE",
  lesson: LESSON,
  concepts: ["l4-load-balancing", "gfe", "url-map"],
  file: "src/quiz/bank/journey/leg-3-order.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const proxied = p.cloudflare === "on";
    const items = itemsInOrder(trace);
    const order = items.map((i) => i.id);
    if (new Set(order).size !== order.length) throw new Error(`${ID}: an item occurs twice in ${order.join(", ")}`);
    const at = (id: string) => items.find((i) => i.id === id)!.hop;
    const gfe = at("tls");
    const endpoint = gfe.events.find((e): e is Extract<TraceEvent, { type: "lb-select" }> => e.type === "lb-select" && e.layer === "L7");
    const target = endpoint?.chosen ?? "the chosen Pod";

    const texts: Record<string, string> = {
      ecmp: "The edge router hashes the flow's 5-tuple onto one of the site's Maglevs (ECMP)",
      maglev: "A Maglev looks the 5-tuple up in its consistent-hashing table and tunnels the packet in GRE to a GFE",
      tls: `The GFE completes the TLS handshake with ${proxied ? "Cloudflare's edge" : "the browser"} and decrypts the request`,
      "url-map": "The GFE matches the Host header and path against the URL map and finds the backend service",
      "cloud-armor": "The backend service's Cloud Armor policy checks the connecting address against Cloudflare's ranges",
      endpoint: "The GFE picks an endpoint of the NEG among those passing their health checks",
      handshake: "The GFE opens a TCP connection to the chosen Pod (one round trip)",
      "to-pod": "The GFE sends the request onto Google's backbone, addressed to the Pod",
    };
    const reasons: Record<string, string> = {
      ecmp: "Every Maglev in the site announces the VIP, so the router is the first to choose: it spreads flows over them by hashing.",
      maglev: "Maglev receives what the router hands it and picks the GFE by consistent hashing; the GFE cannot act before the packet reaches it.",
      tls: "Nothing past Maglev can read the request until TLS ends: the Host and path are inside the encrypted stream.",
      "url-map": "The URL map needs the decrypted Host and path, so it follows TLS termination; it names the backend service the rest depends on.",
      "cloud-armor": "The security policy belongs to the backend service, so it is evaluated once the URL map has chosen that service, and before any endpoint is picked.",
      endpoint: `With the backend service known (and allowed), the GFE picks among its NEG's healthy endpoints: ${target}.`,
      handshake: "A cold connection can be opened only to an endpoint already chosen, and must be open before the request is sent.",
      "to-pod": "The request leaves the GFE last, on a connection to the chosen Pod.",
    };
    const whys: Record<string, Why> = Object.fromEntries(items.map((item, i) => [item.id, { why: `Step ${i + 1}, at ${item.hop.device.name}. ${reasons[item.id]}`, step: item.hop.id }]));

    // Shown in a seeded order, never already in the right one.
    const random = orderRandom(seed, ID);
    let shown = shuffle(random, order);
    if (shown.join() === order.join()) shown = [...shown.slice(1), shown[0]!];
    const choices: Choice[] = shown.map((id) => ({ id, text: texts[id]! }));

    const city = siteName(p.city as SiteId);
    return {
      template: ID, kind: "ordering", seed, title: this.title,
      prompt:
        `A browser in ${city} requests https://www.example.com/ ${proxied ? "through Cloudflare" : "directly (DNS only)"}; the request reaches Google's edge in ${siteName(gfe.device.location)}. ` +
        `${p["origin-protection"] === "cloud-armor" ? "A Cloud Armor policy allowing only Cloudflare's ranges is attached to the backend service. " : ""}` +
        `${p.connections === "cold" ? "No connection to the Pods is open yet. " : "The GFE's connections to the Pods are already open. "}` +
        "Put what happens to the request at Google's edge in order, from the packet's arrival at the edge router to its departure towards the Pod.",
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "origin-protection", "connections"])],
      view: { items: choices },
      key: { order },
      rubric: { strategy: "lcs", orders: [order], items: whys },
      misconceptions: misconceptionAnswers<"ordering">(["separate-lb-box"], (model) => {
        const believed = itemsInOrder(journeyTrace(p, seed, model)).map((i) => i.id);
        const sameItems = believed.length === order.length && new Set(believed).size === order.length && believed.every((id) => order.includes(id));
        return sameItems ? { order: believed } : null;
      }, { order }),
      hints: [
        "Which of these steps need to read the HTTP request, and what has to happen before anything can?",
        "The URL map chooses a backend service; which steps depend on knowing it?",
      ],
      explanation:
        "The edge router spreads flows over Maglevs by ECMP; Maglev hashes the flow to a GFE and tunnels it there in GRE. Everything after that is the GFE, which is the load balancer: " +
        "it ends TLS, because the URL map needs the Host and path; the URL map picks the backend service, which brings its security policy and its NEGs; the GFE picks a healthy endpoint, " +
        `${p.connections === "cold" ? "opens a connection to it, " : "reuses a connection it already has, "}and sends the request onto the backbone. No separate appliance picks the Pod after the GFE.`,
      lab: journeyLab("leg-3", p),
    };
  },
};
