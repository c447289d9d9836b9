import { site, type SiteId } from "../geo";
import type { Packet } from "../net/packet";
import { encapsulate } from "../net/packet";
import { formatFiveTuple } from "../net/ports";
import type { Device } from "../trace";
import { addHop, encapNote, type EdgeJourney } from "./journey";
import { maglevLookup, maglevTable } from "./maglev";
import { hash32, ipv4, tcpFlow, withTtl } from "./packets";

/**
 * Google's edge in front of the classic Application Load Balancer: the edge router spreads flows
 * over the site's Maglevs by ECMP, and Maglev picks a GFE by consistent hashing (Eisenbud et al.,
 * NSDI 2016) and tunnels the packet to it in GRE. On the way back the GFE answers from the VIP
 * itself (direct server return), so only the router is on the response path.
 */

/** AS15169 announces the load balancer's prefix from every edge site; the forwarding rule's reserved global address. */
export const GOOGLE = { asn: 15169, prefix: "34.98.0.0/16", vip: "34.98.10.5" } as const;

/** Google edge sites (points of presence) the model knows, each peering privately with Cloudflare. */
export const GOOGLE_EDGE_SITES: readonly SiteId[] = [
  "paris", "london", "frankfurt", "tokyo", "singapore", "sao-paulo", "miami", "new-york", "los-angeles",
];

/** What arrives at Google's edge: the packet, the connection it belongs to and the site anycast chose. */
export interface GoogleArrival {
  readonly packet: Packet;
  /** The address and port that connected to the VIP: Cloudflare's egress, or the client itself. */
  readonly fromIp: string;
  readonly fromPort: number;
  readonly site: SiteId;
}

/** What the request met at Google's edge, kept for the way back and for the GFE. */
export interface GoogleEdgeVisit extends GoogleArrival {
  readonly router: Device;
  /** The Maglev the router chose: on the way back only under the reply-retraces-all model. */
  readonly maglev: Device;
  /** The GFE Maglev chose, and the host address it is tunnelled to. */
  readonly gfe: { readonly name: string; readonly host: string; readonly device: Device };
  /** The packet as the GFE receives it, in Maglev's GRE tunnel. */
  readonly toGfe: Packet;
}

/** Leg 3's first two hops: the edge router (ECMP over Maglevs), then Maglev (a GFE by consistent hashing). */
export function googleEdge(j: EdgeJourney, arrival: GoogleArrival): GoogleEdgeVisit {
  const where = site(arrival.site).name;
  const pop = arrival.site.slice(0, 3);
  const flowKey = formatFiveTuple(tcpFlow(arrival.fromIp, arrival.fromPort, GOOGLE.vip, 443));
  const maglevNames = [1, 2, 3, 4].map((n) => `maglev-${pop}-${n}`);
  const maglevName = maglevNames[hash32(`google-ecmp|${flowKey}`) % maglevNames.length]!;
  const router: Device = { id: "google-router", kind: "router", location: arrival.site, name: `Google edge router (${where})` };
  const atMaglev = withTtl(arrival.packet, 1);
  addHop(j, "request", 3, router, arrival.packet, atMaglev, [
    {
      type: "lb-select", layer: "L3", algorithm: "ECMP (router hash of the 5-tuple)",
      candidates: maglevNames.map((name) => ({ id: name, detail: `announces ${GOOGLE.vip} to the router` })), chosen: maglevName,
      why: `Every Maglev in the site announces the VIP, so the router has ${maglevNames.length} equal-cost next hops and hashes each flow onto one: ${maglevName}. Which Maglev gets a flow does not matter, because they all build the same table.`,
    },
    { type: "forward", to: "maglev", via: "the site's fabric" },
  ]);

  // Every Maglev builds the same lookup table from the same GFE names, so any of them picks the same GFE.
  const gfeNames = [1, 2, 3, 4].map((n) => `gfe-${pop}-${n}`);
  const table = maglevTable(gfeNames);
  const pick = maglevLookup(table, flowKey);
  // Host addresses inside Google's sites are illustrative: Google does not publish them.
  const gfeHost = `10.255.1.${gfeNames.indexOf(pick.backend) + 1}`;
  const maglevHost = `10.255.0.${10 + maglevNames.indexOf(maglevName)}`;
  const maglev: Device = { id: "maglev", kind: "l4-lb", location: arrival.site, name: `Maglev (${where})` };
  const gfe: Device = { id: "gfe", kind: "gfe", location: arrival.site, name: `GFE ${pick.backend} (${where})` };
  const toGfe = encapsulate(atMaglev, [ipv4(maglevHost, gfeHost), { kind: "gre" }]);
  addHop(j, "request", 3, maglev, atMaglev, toGfe, [
    {
      type: "lb-select", layer: "L4", algorithm: "maglev",
      candidates: gfeNames.map((name, i) => ({ id: name, detail: `owns ${table.slotCounts[i]} of ${table.tableSize} table slots` })),
      chosen: pick.backend,
      why: `${maglevName} hashes the 5-tuple ${flowKey} (SipHash) to slot ${pick.slot} of ${table.tableSize}, which belongs to ${pick.backend}. Every Maglev computes the same table, so the flow stays on one GFE whichever Maglev gets its packets.`,
    },
    { type: "encap", protocol: "gre", outerSrc: maglevHost, outerDst: gfeHost, note: encapNote(j, "The inner packet keeps the VIP as its destination; the GFE will answer from the VIP directly.") },
    { type: "forward", to: "gfe", via: "the site's fabric" },
  ]);
  return { ...arrival, router, maglev, gfe: { name: pick.backend, host: gfeHost, device: gfe }, toGfe };
}

/** The edge router on the way back: towards Cloudflare's interconnect, or the ISP's peering. Returns the packet past it. */
export function googleRouterReturns(j: EdgeJourney, visit: GoogleEdgeVisit, fromGfe: Packet): Packet {
  if (j.model === "reply-retraces-all") {
    // The belief: the answer goes back through the Maglev that forwarded the request. In the real
    // site the GFE sends from the VIP straight to the router, and Maglev never sees a reply.
    addHop(j, "response", 5, visit.maglev, fromGfe, fromGfe, [
      { type: "forward", to: "google-router", via: "back through Maglev, as this model believes every reply retraces the request" },
    ]);
  }
  const pastRouter = withTtl(fromGfe, 1);
  addHop(j, "response", 5, visit.router, fromGfe, pastRouter, [
    { type: "forward", to: j.viaCloudflare ? "cf-router" : "isp-router", via: j.viaCloudflare ? "the private interconnect with Cloudflare" : "Google's peering with the ISP" },
  ]);
  return pastRouter;
}
