import { wireBytes, type Hop, type Packet, type SiteId } from "../../../sim/index";
import { seededRandom } from "../../../sim/random";
import type { Exhibit, Template } from "../../engine/types";
import {
  cachedTrace, CITIES, hop, journeyLab, LESSON, misconceptionAnswers, REGION_NAMES, requireEvent, settingsExhibit, siteName, type Params,
} from "./shared";
import { pick } from "../draw";

/**
 * Bytes on the wire: how much an encapsulation on the path adds (Maglev's GRE, Unimog's GUE, the VPC's
 * Geneve), or how long the packet is as it leaves that device. The key is `wireBytes` of the trace's
 * packets — real header sizes, checked against the pcap export — and the encap-free model's answer
 * (nothing added) is computed the same way under that model.
 */
const ID = "encapsulation-bytes";

/** The hops that encapsulate, each with the tunnel's name as the lesson writes it. */
const TUNNELS: Readonly<Record<string, string>> = {
  "request:maglev": "Maglev's GRE tunnel to the GFE",
  "request:cf-unimog": "Unimog's GUE tunnel to the server that owns the connection",
  "request:backbone": "the VPC's tunnel to the node (Geneve standing in for Andromeda's)",
  "response:node": "the VPC's tunnel back to the GFE's host (Geneve standing in for Andromeda's)",
};

function params(seed: number): Params {
  const random = seededRandom(seed);
  const base = seed === 0
    ? { city: "paris", cloudflare: "on", region: "us-central1" }
    : { city: pick(random, CITIES), cloudflare: pick(random, ["on", "off"]), region: pick(random, REGION_NAMES) };
  const tunnels = Object.keys(TUNNELS).filter((id) => {
    const h = cachedTrace(base, 0).hops.find((x) => x.id === id);
    return h?.events.some((e) => e.type === "encap");
  });
  return { ...base, at: seed === 0 ? "request:maglev" : pick(random, tunnels), ask: seed === 0 ? "added" : pick(random, ["added", "size"]) };
}

/** The scenario's own settings (the question's extra choices left out), for the trace and the lab. */
const scenarioParams = (p: Params): Params => Object.fromEntries(Object.entries(p).filter(([k]) => k !== "at" && k !== "ask"));

/** A packet as the inspector lists it: each header's fields, outermost first, and its total length. */
function packetExhibit(title: string, packet: Packet): Exhibit {
  const rows: [string, string][] = [];
  for (const l of packet.layers) {
    if (l.kind === "ipv4") rows.push(["IPv4", `${l.src} → ${l.dst}, TTL ${l.ttl}`]);
    else if (l.kind === "tcp") rows.push(["TCP", `${l.srcPort} → ${l.dstPort}`]);
    else if (l.kind === "udp") rows.push(["UDP", `${l.srcPort} → ${l.dstPort}`]);
    else if (l.kind === "tls") rows.push(["TLS", `session ${l.client} ↔ ${l.server}, SNI ${l.sni}`]);
    else if (l.kind === "http") rows.push(["HTTP", l.requestLine ? `${l.requestLine}, Host ${l.host}` : `${l.status}`]);
    else rows.push([l.kind.toUpperCase(), "header"]);
  }
  rows.push(["IPv4 total length", `${wireBytes(packet)} bytes`]);
  return { kind: "packet", title, rows };
}

/** The number the question asks for, as a trace under a model counts it. */
function answerOf(h: Hop, ask: string, model: string | null): number {
  const out = wireBytes(h.out!, model);
  return ask === "added" ? out - wireBytes(h.in!, model) : out;
}

export const encapsulationBytes: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "Bytes an encapsulation adds",
  lesson: LESSON,
  concepts: ["vpc-overlay", "l4-load-balancing"],
  file: "src/quiz/bank/flagship/encapsulation-bytes.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const sp = scenarioParams(p);
    const trace = cachedTrace(sp, 0);
    const h = hop(trace, p.at!);
    const encap = requireEvent(h, "encap");
    const value = answerOf(h, p.ask!, null);
    const added = answerOf(h, "added", null);
    const tunnel = TUNNELS[h.id]!;
    const outerKinds = h.out!.layers.slice(0, h.out!.layers.findIndex((l, i) => i > 0 && l.kind === "ipv4")).map((l) => l.kind);
    const headerList = outerKinds.map((k) => ({ ipv4: "an outer IPv4 header (20 bytes)", udp: "UDP (8)", gre: "GRE (4)", gue: "GUE (4)", geneve: "Geneve (8)", vxlan: "VXLAN (8) and an inner Ethernet header (14)" } as Record<string, string>)[k] ?? k);
    const question = p.ask === "added"
      ? `How many bytes does ${h.device.name} add to each packet when it wraps it in ${tunnel}?`
      : `The packet below arrives at ${h.device.name}, which sends it on in ${tunnel}. How many bytes long is the IP packet it sends?`;
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A user in ${siteName(sp.city as SiteId)} loads https://www.example.com/ (${sp.cloudflare === "on" ? "through Cloudflare" : "no Cloudflare"}; the cluster runs in ${sp.region}). ` +
        `${question} Count IP packets as a capture shows them (no Ethernet framing on the wire); headers carry no options. ` +
        `The tunnel runs from ${encap.outerSrc} to ${encap.outerDst}.`,
      exhibits: [settingsExhibit(sp, ["city", "cloudflare", "region"]), packetExhibit(`The packet as it arrives at ${h.device.name}`, h.in!)],
      view: { unit: "bytes", label: p.ask === "added" ? "Bytes added" : "IP packet length" },
      key: { value },
      rubric: {
        value, unit: "bytes", absolute: 0, relative: 0,
        why: {
          why: `The tunnel adds ${headerList.join(", ")}: ${added} bytes${p.ask === "added" ? "" : `, so the ${wireBytes(h.in!)}-byte packet leaves as ${value} bytes`}. The inner packet is carried unchanged.`,
          step: h.id,
        },
      },
      misconceptions: misconceptionAnswers<"numeric">(["encap-free"], (model) => ({ value: answerOf(hop(cachedTrace(sp, 0, model), h.id), p.ask!, model) }), { value }),
      hints: [
        "An encapsulation keeps the whole inner packet and puts new headers in front of it. Which headers does this tunnel need to reach the far end?",
        "A tunnel across an IP network needs an outer IP header; GRE sits right on it, while GUE and Geneve ride in UDP.",
      ],
      explanation:
        `${h.device.name} keeps the packet as it is and puts ${headerList.join(", ")} in front, addressed ${encap.outerSrc} → ${encap.outerDst}: ${added} bytes more on every packet. ` +
        "So the largest inner packet that fits the path's MTU shrinks by as much: an encapsulation is never free.",
      lab: journeyLab(h.id.startsWith("request:cf") ? "leg-1" : h.id === "request:maglev" ? "leg-3" : h.id.startsWith("request") ? "leg-4" : "leg-5", sp),
    };
  },
};
