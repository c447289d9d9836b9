import type { SiteId } from "../../../sim/index";
import { GOOGLE } from "../../../sim/edge/google-edge";
import { seededRandom } from "../../../sim/random";
import type { FieldSpec, Template } from "../../engine/types";
import { CITIES, LESSON, hop, http, innerIpv4, innerTcp, journeyLab, journeyTrace, requireEvent, settingsExhibit, siteName } from "./shared";
import { pick, pickWeighted } from "../draw";

/**
 * The header after the Cloudflare edge: the edge is a proxy, so what leaves it is a new connection —
 * Cloudflare's egress address to the load balancer's, port 443 — and the browser survives only in
 * X-Forwarded-For. The key is the packet the trace's `request:cf-edge` hop sends.
 */
const ID = "header-after-cloudflare";

function params(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", host: "www.example.com" };
  const random = seededRandom(seed);
  return { city: pick(random, CITIES), host: pickWeighted(random, [["www.example.com", 3], ["api.example.com", 1], ["shop.example.com", 1]] as const) };
}

export const headerAfterCloudflare: Template<"predict-header"> = {
  id: ID,
  kind: "predict-header",
  title: "The packet Cloudflare's edge sends to Google",
  lesson: LESSON,
  concepts: ["cdn-proxy", "tls-termination"],
  file: "src/quiz/bank/journey/header-after-cloudflare.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const trace = journeyTrace({ ...p, cloudflare: "on" }, seed);
    const city = siteName(p.city as SiteId);
    const edge = hop(trace, "request:cf-edge");
    // The packet as the edge's network stack receives it: Unimog's tunnel, if any, removed.
    const arrived = hop(trace, "request:cf-unimog").in;
    const inIp = innerIpv4(arrived);
    const inTcp = innerTcp(arrived);
    const inHttp = http(arrived);
    const outIp = innerIpv4(edge.out);
    const outTcp = innerTcp(edge.out);
    const outHttp = http(edge.out);
    if (!outHttp?.host || !outHttp.forwardedFor) throw new Error(`${ID}: the edge's request carries no Host or X-Forwarded-For`);
    const originate = requireEvent(edge, "tls-originate");
    const terminate = requireEvent(edge, "tls-terminate");

    const fields: FieldSpec[] = [
      { id: "src-ip", label: "IPv4 source", type: "ip", placeholder: "192.0.2.10" },
      { id: "dst-ip", label: "IPv4 destination", type: "ip", placeholder: "192.0.2.20" },
      { id: "dst-port", label: "TCP destination port", type: "port", placeholder: "8443" },
      { id: "host", label: "HTTP Host header", type: "name", placeholder: "host.example.net" },
      { id: "xff", label: "X-Forwarded-For", type: "ip", placeholder: "192.0.2.30" },
    ];
    const key = { "src-ip": outIp.src, "dst-ip": outIp.dst, "dst-port": String(outTcp.dstPort), host: outHttp.host, xff: outHttp.forwardedFor };

    return {
      template: ID, kind: "predict-header", seed, title: this.title,
      prompt:
        `A browser in ${city} requests https://${p.host}/ through Cloudflare, whose DNS record for the name is proxied with origin ${GOOGLE.vip}, ` +
        `the load balancer's address. The packet below reaches ${edge.device.name}, which terminates TLS and, with nothing cached, ` +
        "pulls the page from the origin. Fill in the headers of the request as it leaves Cloudflare's edge towards Google.",
      exhibits: [
        settingsExhibit({ ...p, cloudflare: "on" }, ["city", "host", "cloudflare"]),
        {
          kind: "packet",
          title: `As it reaches ${edge.device.name}`,
          rows: [
            ["IPv4 source", inIp.src],
            ["IPv4 destination", inIp.dst],
            ["TTL", String(inIp.ttl)],
            ["TCP ports", `${inTcp.srcPort} → ${inTcp.dstPort}`],
            ["TLS", `SNI ${terminate.sni}, server certificate ${terminate.certificate}`],
            ["HTTP", `${inHttp?.requestLine ?? "GET /"}, Host: ${inHttp?.host ?? p.host}`],
          ],
        },
        {
          kind: "text",
          text: [
            "Addresses in play:",
            `${inIp.src}: the browser`,
            `${inIp.dst}: Cloudflare's anycast address for the zone`,
            `${outIp.src}: the address this Cloudflare site opens origin connections from`,
            `${originate.server}: the load balancer's forwarding rule (the DNS record's origin)`,
          ].join("\n"),
        },
      ],
      view: { after: { step: edge.id, name: edge.device.name }, fields },
      key: { fields: key },
      rubric: {
        fields: {
          "src-ip": { why: `The edge is a proxy: it ended the browser's connection and opens its own, from Cloudflare's egress address ${outIp.src}. The browser's ${inIp.src} is not on this packet's IP header.`, step: edge.id },
          "dst-ip": { why: `The origin is the DNS record's target, the load balancer's anycast address ${outIp.dst}; Cloudflare's own anycast address ${inIp.dst} was only where the browser connected.`, step: edge.id },
          "dst-port": { why: `Cloudflare pulls over HTTPS (SSL/TLS mode Full (strict)), so a new TLS session to ${originate.server} on port ${outTcp.dstPort}.`, step: edge.id },
          host: { why: `The Host is the name the browser asked for, ${outHttp.host}; Cloudflare passes it on so that the load balancer's URL map can route on it.`, step: edge.id },
          xff: { why: `Because the IP source is now Cloudflare's, the edge records the address that connected to it — the browser's ${outHttp.forwardedFor} — in X-Forwarded-For (and in CF-Connecting-IP).`, step: edge.id },
        },
      },
      misconceptions: [],
      hints: [
        "Does Cloudflare's edge forward the browser's packet, or open a connection of its own?",
        "If the IP source changes, where can the origin still learn the browser's address?",
      ],
      explanation:
        `Cloudflare's edge ends the browser's TCP connection and TLS session (${inIp.src} → ${inIp.dst}:443) and opens a new one to the origin: ` +
        `from ${outIp.src} to ${outIp.dst}, port ${outTcp.dstPort}, with SNI and Host ${outHttp.host}. Nothing of the browser's IP header survives; ` +
        `its address travels in X-Forwarded-For: ${outHttp.forwardedFor}, and the TTL starts again at ${outIp.ttl} because this is a new packet.`,
      lab: journeyLab("leg-1", { ...p, cloudflare: "on" }),
    };
  },
};
