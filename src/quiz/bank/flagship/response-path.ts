import type { Template, Why, Choice } from "../../engine/types";
import {
  answeredBy, cachedTrace, journeyLab, LESSON, listing, misconceptionAnswers, reachParams, requestHops,
  responseHops, settingsExhibit, siteName, type Params,
} from "./shared";
import type { SiteId } from "../../../sim/index";
import { orderedChoices, orderRandom, pickWeighted } from "../draw";

/**
 * The response's path, in order. Items are the devices the response passes plus the request's
 * layer-4 balancers (Maglev, and Unimog behind Cloudflare), which it does not pass: direct server
 * return. The key is the trace's response hops; the reply-retraces-all model's order is read off the
 * same variant under that model. Graded by longest common subsequence.
 */
const ID = "response-path";

function params(seed: number): Params {
  return reachParams(seed, (random) => pickWeighted<Params>(random, [[{}, 4], [{ "pod-health": "all-unhealthy" }, 1]]));
}

export const responsePath: Template<"ordering"> = {
  id: ID,
  kind: "ordering",
  title: "The response's path",
  lesson: LESSON,
  concepts: ["direct-server-return", "l4-load-balancing", "gfe"],
  file: "src/quiz/bank/flagship/response-path.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = cachedTrace(p, 0);
    const back = responseHops(trace);
    const writer = answeredBy(trace);
    const onBack = new Set(back.map((h) => h.device.id));
    const balancers = requestHops(trace).filter((h) => (h.device.kind === "l4-lb" || h.device.kind === "xdp-lb") && !onBack.has(h.device.id));
    const items: Choice[] = [...back, ...balancers].map((h) => ({ id: h.device.id, text: h.device.name }));
    const order = back.map((h) => h.device.id);
    const whys: Record<string, Why> = {};
    back.forEach((h, i) => {
      const fwd = h.events.find((e) => e.type === "forward");
      whys[h.device.id] = {
        why: i === 0
          ? `${h.device.name} writes the response (${writer === h ? "the browser's answer starts here" : "it starts here"}).`
          : `${h.device.name} is on the way back${fwd?.type === "forward" ? `: it forwards to ${fwd.to} via ${fwd.via}` : ""}.`,
        step: h.id,
      };
    });
    for (const h of balancers) {
      whys[h.device.id] = {
        why: `${h.device.name} only forwards requests. The proxy behind it answers from the address the client connected to, straight to the router (direct server return), so the balancer never sees the reply.`,
        step: h.id,
      };
    }
    const key = { order };
    const city = siteName(p.city as SiteId);
    const health = p["pod-health"] === "all-unhealthy" ? " Every Pod behind the NEG is currently failing its health checks." : "";
    return {
      template: ID, kind: "ordering", seed, title: this.title,
      prompt:
        `A user in ${city} loads https://www.example.com/ (${p.cloudflare === "on" ? "proxied by Cloudflare" : "DNS straight to the load balancer, no Cloudflare"}; ` +
        `the cluster runs in ${p.region}).${health} Put in order the devices the response passes, from the device that writes it to the browser. ` +
        "Leave out any device the response does not pass.",
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region", "pod-health"])],
      view: { items: orderedChoices(orderRandom(seed, ID), items) },
      key,
      rubric: { strategy: "lcs", orders: [order], items: whys },
      misconceptions: misconceptionAnswers<"ordering">(["reply-retraces-all"], (model) => {
        const wrong = responseHops(cachedTrace(p, 0, model)).map((h) => h.device.id);
        return wrong.every((id) => whys[id]) ? { order: wrong } : null;
      }, key),
      hints: [
        "Which devices on the way in own a connection, and which only forward packets someone else's connection carries?",
        "Maglev and Unimog deliver to a proxy without changing the destination address. From which address does that proxy answer, and to whom?",
      ],
      explanation:
        `The response starts at ${writer.device.name} and passes ${listing(back.slice(1).map((h) => h.device.name))}. ` +
        `The layer-4 balancers (${listing(balancers.map((h) => h.device.name))}) are not on the way back: each hands the packet to a proxy without rewriting its destination, ` +
        "so the proxy answers from the anycast address or VIP itself and its reply goes straight to the router — direct server return. " +
        "Only devices that own a connection (the proxies) and the routers between them see the reply.",
      lab: journeyLab("leg-5", p),
    };
  },
};
