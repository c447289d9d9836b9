import type { Choice, Template, Why } from "../../engine/types";
import {
  cachedTrace, hop, journeyLab, LESSON, listing, reachParams, requestHops, requireEvent, settingsExhibit, siteName, tlsEnds, type Params,
} from "./shared";
import type { SiteId } from "../../../sim/index";

/**
 * The whole journey, explained in the learner's words and self-checked against a checklist built from
 * this variant's trace: each TLS termination, each anycast decision, Maglev's choice, the NEG path to
 * the Pod and the direct-server-return reply — each with the step that shows it. The open kind infers
 * no misconception from a self-assessment, so the checklist's reasons name the wrong pictures instead.
 */
const ID = "explain-the-journey";

const params = (seed: number): Params => reachParams(seed);

export const explainTheJourney: Template<"open"> = {
  id: ID,
  kind: "open",
  title: "Explain the whole journey",
  lesson: LESSON,
  concepts: ["tls-termination", "anycast", "l4-load-balancing", "neg", "direct-server-return"],
  file: "src/quiz/bank/flagship/explain-the-journey.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = cachedTrace(p, 0);
    const items: Choice[] = [];
    const whys: Record<string, Why> = {};
    const add = (id: string, text: string, why: string, step: string) => {
      items.push({ id, text });
      whys[id] = { why, step };
    };
    for (const h of requestHops(trace)) {
      const route = h.events.find((e) => e.type === "anycast-route");
      if (route?.type === "anycast-route") {
        add(`anycast-${h.device.id}`, `${h.device.name} sends the packet for ${route.prefix} to ${siteName(route.chosen)}, one of ${route.sites?.length ?? route.candidates.length} sites announcing it (anycast)`, route.why, h.id);
      }
    }
    for (const h of tlsEnds(trace)) {
      const t = requireEvent(h, "tls-terminate");
      add(`tls-${h.device.id}`, `TLS ends at ${h.device.name} (certificate ${t.certificate}), which then opens its own connection onwards`,
        `Termination number ${t.ordinal}: the proxy must read the request, so the session from ${t.client === "browser" ? "the browser" : "Cloudflare's edge"} ends here, not at the Pod.`, h.id);
    }
    const maglev = hop(trace, "request:maglev");
    const maglevPick = requireEvent(maglev, "lb-select");
    add("maglev", `The Google edge router spreads flows over Maglevs, and Maglev hashes the 5-tuple to a GFE (${maglevPick.chosen}) and tunnels the packet to it in GRE`, maglevPick.why, maglev.id);
    const gfe = hop(trace, "request:gfe");
    const pick = requireEvent(gfe, "lb-select");
    const node = hop(trace, "request:node");
    add("neg", `The GFE picks a Pod from the NEG (${pick.chosen}) and connects to that address; the node routes it to the Pod's veth with no kube-proxy DNAT`,
      "A NEG lists Pod addresses, so the packet arrives at the node already addressed to the Pod: no Service rule matches and nothing is translated. There is no separate load-balancer box in the region either; the GFE is the load balancer.", node.id);
    const gfeBack = hop(trace, "response:gfe");
    add("dsr", `The reply skips Maglev${p.cloudflare === "on" ? " and Unimog" : ""}: the GFE answers from the VIP straight to the edge router (direct server return)`,
      "Only devices that own a connection and the routers see the reply; the layer-4 balancers forwarded the request without rewriting its destination, so the proxy answers around them.", gfeBack.id);

    const ends = tlsEnds(trace);
    const city = siteName(p.city as SiteId);
    return {
      template: ID, kind: "open", seed, title: this.title,
      prompt:
        `In an interview you are asked: "A user in ${city} types https://www.example.com/ into a browser. ` +
        `${p.cloudflare === "on" ? "The site is behind Cloudflare's proxy" : "DNS points straight at a Google Cloud load balancer"}, and the app runs on GKE in ${p.region} behind an Ingress with container-native load balancing. ` +
        'Walk me through what happens to the request and the response." Write your answer, then tick what it covers.',
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region"])],
      view: { checklist: items },
      key: { checked: items.map((i) => i.id) },
      rubric: {
        modelAnswer:
          `The browser resolves www.example.com${p.cloudflare === "on" ? " and gets Cloudflare's anycast address" : " and gets the load balancer's anycast VIP"}; its ISP routes to the nearest site announcing it. ` +
          `TLS ends ${ends.length === 1 ? "once" : `${ends.length} times`}, at ${listing(ends.map((h) => h.device.name))}: each proxy reads the request and opens a new connection onwards. ` +
          `At Google's edge, ECMP spreads flows over Maglevs and Maglev consistently hashes this one to ${maglevPick.chosen}, a GFE, in a GRE tunnel. ` +
          `The GFE applies the URL map, picks the healthy NEG endpoint ${pick.chosen} and sends plain HTTP over Google's backbone; the VPC tunnels it to the node, which routes it to the Pod's veth without any DNAT. ` +
          "The Pod answers the GFE; the GFE answers from the VIP straight to the edge router, bypassing Maglev (direct server return), and the response goes back through the proxies' connections to the browser.",
        checklist: whys,
      },
      misconceptions: [],
      hints: [
        "Go leg by leg: the user to the first network, that network to Google, inside Google's edge, to the Pod, and back.",
        "For each device, say whether it owns a connection (a proxy) or only forwards packets, and which of them decides something.",
      ],
      explanation:
        "A good answer names each decision and who makes it: BGP's choice of an anycast site, each TLS termination and the new connection after it, Maglev's consistent hash, the GFE's URL map and NEG choice, and the reply that skips the layer-4 balancers.",
      lab: journeyLab("journey", p),
    };
  },
};
