import { cidrContains, parseCidr, parseIpv4, type SiteId, type Trace } from "../../../sim/index";
import { GOOGLE_PROXY_RANGES } from "../../../sim/scenarios/cloudflare-gke";
import { seededRandom } from "../../../sim/random";
import type { Template, Why } from "../../engine/types";
import {
  CITIES, LESSON, REGION_NAMES, hop, http, innerIpv4, journeyLab, journeyTrace, misconceptionAnswers, paramLabel, settingsExhibit, siteName,
} from "./shared";
import { orderedChoices, orderRandom, pick, pickWeighted } from "../draw";

/**
 * Where the client's address survives: every proxy opens a new connection, so the Pod's peer is the
 * GFE, and the browser's address reaches the Pod only in X-Forwarded-For, written by the first proxy
 * and appended to by the next. Each statement's truth is read from the trace: the packet the Pod
 * receives, and the header as each proxy sends it on. The wrong models' traces (a Cloud NAT gateway
 * translating inbound, a TLS session no proxy can read) make other statements true, which is how
 * their answers are computed.
 */
const ID = "forwarded-for-chain";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", cloudflare: "on", region: "us-central1" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), cloudflare: pickWeighted(random, [["on", 2], ["off", 1]] as const), region: pick(random, REGION_NAMES) };
}

/** A statement's truth, or null when the trace lacks a hop it reads. */
function safely(read: () => boolean): boolean | null {
  try {
    return read();
  } catch {
    return null;
  }
}

const entries = (xff: string | undefined): string[] => (xff ? xff.split(",").map((e) => e.trim()) : []);

export const forwardedForChain: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Who wrote X-Forwarded-For",
  lesson: LESSON,
  concepts: ["cdn-proxy", "gfe", "neg"],
  file: "src/quiz/bank/journey/forwarded-for-chain.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace(p, seed);
    const proxied = p.cloudflare === "on";
    const city = siteName(p.city as SiteId);
    const podIn = (t: Trace) => hop(t, "request:pod").in;
    const src = innerIpv4(podIn(trace)).src;
    const podXff = entries(http(podIn(trace))?.forwardedFor);
    const browserIp = innerIpv4(hop(trace, "request:browser").out).src;
    const gfeHop = hop(trace, "request:gfe");
    const vip = innerIpv4(gfeHop.in).dst;
    const connectedToGfe = innerIpv4(gfeHop.in).src;
    const range = GOOGLE_PROXY_RANGES.find((r) => cidrContains(parseCidr(r), parseIpv4(src)));
    if (!range) throw new Error(`${ID}: the Pod's peer ${src} is not in Google's proxy ranges`);
    const node = hop(trace, "request:node");
    const nodeAddress = /\((\d+\.\d+\.\d+\.\d+),/.exec(node.device.name)?.[1];
    if (!nodeAddress) throw new Error(`${ID}: no address in the node's name ${node.device.name}`);
    const natAddress = innerIpv4(podIn(journeyTrace(p, seed, "cloud-nat-inbound"))).src;
    const firstProxy = proxied ? "request:cf-edge" : "request:gfe";
    const firstProxyName = hop(trace, firstProxy).device.name;

    interface Statement { readonly text: string; readonly holds: (t: Trace) => boolean | null; readonly why: Why }
    const podSource = (t: Trace) => innerIpv4(podIn(t)).src;
    const statements: Record<string, Statement> = {
      "proxy-src": {
        text: `The packets' source is ${src}, the GFE's own address from Google's proxy range ${range}.`,
        holds: (t) => safely(() => podSource(t) === src),
        why: { why: `${gfeHop.device.name} ends the front connection and opens one of its own to the Pod, from ${src}.`, step: "request:pod" },
      },
      "nat-src": {
        text: `The packets' source is ${natAddress}, the address of the region's Cloud NAT gateway.`,
        holds: (t) => safely(() => podSource(t) === natAddress),
        why: { why: `Cloud NAT translates only connections that instances open outwards, never inbound ones; the Pod sees the GFE's ${src}.`, step: "request:backbone" },
      },
      "node-src": {
        text: `The packets' source is ${nodeAddress}, the node's own address, after kube-proxy masquerades them.`,
        holds: (t) => safely(() => podSource(t) === nodeAddress),
        why: { why: `The NEG endpoint is the Pod's own address, so the node only routes the packet to the Pod's veth; its conntrack entry shows no translation and the source stays ${src}.`, step: node.id },
      },
      "browser-src": {
        text: `The packets' source is the browser's own address, ${browserIp}.`,
        holds: (t) => safely(() => podSource(t) === browserIp),
        why: { why: `The browser's connection ends at ${proxied ? "Cloudflare's edge" : "the GFE"}; the Pod's packets come from ${src}.`, step: "request:pod" },
      },
      "first-proxy-wrote": {
        text: `${firstProxyName} wrote the first X-Forwarded-For entry, ${browserIp}: the address that had connected to it.`,
        holds: (t) => safely(() => entries(http(hop(t, "request:browser").out)?.forwardedFor).length === 0 && entries(http(hop(t, firstProxy).out)?.forwardedFor)[0] === browserIp),
        why: { why: `The browser sends no X-Forwarded-For. ${firstProxyName} adds one as it opens its own connection, naming ${browserIp}, the peer of the connection it ended.`, step: firstProxy },
      },
      "browser-wrote": {
        text: `The browser put its own address, ${browserIp}, in X-Forwarded-For, and each proxy passed it on.`,
        holds: (t) => safely(() => entries(http(hop(t, "request:browser").out)?.forwardedFor).includes(browserIp)),
        why: { why: `The browser's request carries no X-Forwarded-For at all: the header is each proxy's record of who connected to it, written by the proxies.`, step: "request:browser" },
      },
      "gfe-appended": {
        text: `The GFE appended ${connectedToGfe} and ${vip}: the address that connected to it, then its own forwarding-rule address.`,
        holds: (t) => safely(() => {
          const out = entries(http(hop(t, "request:gfe").out)?.forwardedFor);
          return out.at(-2) === connectedToGfe && out.at(-1) === vip;
        }),
        why: { why: `The load balancer adds two entries: the peer of the connection it terminated (${connectedToGfe}) and the forwarding rule's address (${vip}). The Pod receives X-Forwarded-For: ${podXff.join(", ")}.`, step: gfeHop.id },
      },
      "last-is-client": {
        text: `The last X-Forwarded-For entry the Pod receives is the browser's address, ${browserIp}.`,
        holds: (t) => safely(() => entries(http(podIn(t))?.forwardedFor).at(-1) === browserIp),
        why: { why: `Proxies append, so the browser's address comes first; the last entry is the load balancer's own, ${podXff.at(-1)}.`, step: "request:pod" },
      },
      "no-xff": {
        text: "No header carries the browser's address to the Pod; only a packet's source could, and that belongs to the last proxy.",
        holds: (t) => safely(() => !entries(http(podIn(t))?.forwardedFor).includes(browserIp)),
        why: { why: `The Pod receives X-Forwarded-For: ${podXff.join(", ")}, which starts with the browser's ${browserIp}.`, step: "request:pod" },
      },
    };

    const random = orderRandom(seed, ID);
    const ids = [
      "proxy-src",
      pick(random, ["nat-src", "node-src", "browser-src"]),
      "first-proxy-wrote",
      pick(random, ["browser-wrote", "no-xff"]),
      pick(random, ["gfe-appended", "last-is-client"]),
    ];
    const chosen = ids.map((id) => [id, statements[id]!] as const);
    const truths = (t: Trace): string[] | null => {
      const values = chosen.map(([, s]) => s.holds(t));
      return values.some((v) => v === null) ? null : chosen.filter((_, i) => values[i]).map(([id]) => id);
    };
    const key = truths(trace);
    if (!key) throw new Error(`${ID}: the real trace lacks a hop a statement reads`);
    const region = paramLabel("region", p.region!).value;

    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt:
        `A browser in ${city} requests https://www.example.com/ ${proxied ? "through Cloudflare" : "directly (the DNS record is not proxied)"}. The site runs on GKE in ${region} ` +
        `behind an Ingress with container-native load balancing; the load balancer's address is ${vip}. The web application logs the source address of each connection and ` +
        "the X-Forwarded-For header. Which statements about what the Pod receives are true? Select all that apply.",
      exhibits: [settingsExhibit(p, ["city", "cloudflare", "region"])],
      view: { options: orderedChoices(random, chosen.map(([id, s]) => ({ id, text: s.text }))) },
      key: { choices: key },
      rubric: { options: Object.fromEntries(chosen.map(([id, s]) => [id, { why: `${key.includes(id) ? "True" : "False"}. ${s.why.why}`, step: s.why.step }])) },
      misconceptions: misconceptionAnswers<"multiple-choice">(["cloud-nat-inbound", "tls-at-pod"], (model) => {
        const believed = truths(journeyTrace(p, seed, model));
        return believed ? { choices: believed } : null;
      }, { choices: key }, (a, b) => [...a.choices].sort().join() === [...b.choices].sort().join()),
      hints: [
        "Each proxy ends a TCP connection and opens a new one. Whose address is the source of the last one?",
        "X-Forwarded-For is written by proxies, not by browsers. Does each proxy replace it, or add to it?",
      ],
      explanation:
        `${proxied ? "Cloudflare's edge and the GFE each" : "The GFE"} end${proxied ? "" : "s"} one connection and open${proxied ? "" : "s"} another, so the Pod's peer is the GFE at ${src}, from Google's proxy range ${range}; ` +
        `nothing on the node translates it, because the NEG endpoint is the Pod's own address. The browser's ${browserIp} travels in X-Forwarded-For: ${firstProxyName} wrote it, ` +
        `and the GFE appended ${connectedToGfe} and its own ${vip}, so the Pod receives "${podXff.join(", ")}". Proxies append, so the client is the first entry — but anyone can send a ` +
        "forged header, so an application should count entries from the right, trusting only those its own proxies added.",
      lab: journeyLab("leg-4", p),
    };
  },
};
