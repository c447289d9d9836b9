import { fibreMs, greatCircleKm, site, type SiteId } from "./geo";
import type { Packet } from "./net/packet";

/** What a device is, which decides how the course draws and explains it. */
export type DeviceKind =
  | "client"
  | "router"
  | "cdn-edge"
  | "l4-lb"
  /** An L4 balancer that is an XDP program on every server rather than a box of its own (Cloudflare's Unimog). */
  | "xdp-lb"
  | "gfe"
  | "sdn-fabric"
  | "node"
  | "pod";

export interface Device {
  /** Stable across parameter changes where the role is the same, so questions can name it. */
  readonly id: string;
  readonly kind: DeviceKind;
  readonly location: SiteId;
  /** A person's name for it, e.g. "Cloudflare edge (Paris)". */
  readonly name: string;
}

/** The journey's five legs, as the course numbers them. */
export type Leg = 1 | 2 | 3 | 4 | 5;
export const LEGS: readonly Leg[] = [1, 2, 3, 4, 5];
export const LEG_NAMES: Record<Leg, string> = {
  1: "User to the CDN edge",
  2: "CDN to Google (the middle mile)",
  3: "Google's edge: ECMP, Maglev and the GFE",
  4: "GFE to the Pod",
  5: "The way back",
};

export type Direction = "request" | "response";

/**
 * A leg as a stage of the journey (the core's `Stage`, with the course's leg number). The stages
 * belong to the scenario: every trace of the flagship has these five, whichever of them it reaches.
 */
export interface LegStage {
  /** Stable: "leg-1" … "leg-5"; a core trace's steps name their stage by it. */
  readonly id: string;
  readonly leg: Leg;
  readonly title: string;
  /** One sentence: what happens in this leg. */
  readonly summary: string;
}

export const LEG_STAGES: readonly LegStage[] = [
  { id: "leg-1", leg: 1, title: LEG_NAMES[1], summary: "The browser resolves the name and its ISP carries the packet to the nearest site announcing the address, where the first proxy terminates TLS." },
  { id: "leg-2", leg: 2, title: LEG_NAMES[2], summary: "Cloudflare opens its own connection to the load balancer's address and hands it to Google over a private interconnect." },
  { id: "leg-3", leg: 3, title: LEG_NAMES[3], summary: "Google's edge router spreads flows over Maglevs, Maglev picks a GFE by consistent hashing, and the GFE terminates TLS, applies the URL map and picks a Pod." },
  { id: "leg-4", leg: 4, title: LEG_NAMES[4], summary: "Google's backbone carries the request in the VPC's overlay to the node, which routes it to the Pod's veth." },
  { id: "leg-5", leg: 5, title: LEG_NAMES[5], summary: "The answer retraces the proxies' connections; the L4 balancers are not on the way back (direct server return)." },
];

/** A candidate a load balancer or a routing decision considered. */
export interface Candidate {
  readonly id: string;
  readonly detail: string;
}

/**
 * The fixed vocabulary of things that happen at a hop. Questions and graders key on `type`;
 * new kinds are added, never renamed. Each carries the facts a learner needs to explain it.
 */
export type TraceEvent =
  | { readonly type: "dns-resolve"; readonly name: string; readonly answer: string; readonly authority: string; readonly note: string }
  | {
      readonly type: "anycast-route";
      readonly prefix: string;
      readonly originAs: number;
      /**
       * The routes the router holds for the prefix (from the BGP model, `src/sim/bgp`), best first:
       * each with the site it leads to and the attributes the decision process compared.
       */
      readonly candidates: readonly {
        readonly site: SiteId;
        readonly distanceKm: number;
        readonly localPref?: number;
        readonly asPathLength?: number;
        readonly learnedFrom?: "peer" | "transit" | "customer";
        readonly asPath?: readonly number[];
        readonly session?: "ebgp" | "ibgp" | "local";
        /** The router the route was learned from (`ASN@city`). */
        readonly neighbor?: string;
        readonly nextHop?: string;
        /** IGP cost to the next hop, in km of the AS's own network. */
        readonly igpCost?: number;
        readonly med?: number | null;
        readonly origin?: "igp" | "egp" | "incomplete";
      }[];
      readonly chosen: SiteId;
      readonly why: string;
      /** The router the packet entered (`ASN@city`). */
      readonly router?: string;
      /** The router whose decision picked the exit (it may be further along than `router`), or null. */
      readonly decidingRouter?: string | null;
      /** The decision-process rule that decided (`local-pref`, `ebgp-over-ibgp` …), or null. */
      readonly rule?: string | null;
      /** The routers the packet crosses to the site. */
      readonly path?: readonly string[];
      /** Every site announcing the prefix. */
      readonly sites?: readonly SiteId[];
      /** The announcing site nearest the router on the map, which BGP need not pick. */
      readonly nearestSite?: SiteId;
    }
  | { readonly type: "tls-terminate"; readonly ordinal: number; readonly certificate: string; readonly issuer: string; readonly client: string; readonly sni: string }
  | { readonly type: "tls-originate"; readonly server: string; readonly sni: string; readonly verification: string; readonly verified: boolean }
  /** A web application firewall or security policy (Cloudflare's WAF, Google Cloud Armor). */
  | { readonly type: "waf"; readonly ruleset: string; readonly verdict: "allow" | "block"; readonly rule?: string }
  /**
   * A CDN cache decision. `result` uses Cloudflare's `cf-cache-status` values where the event is the
   * lookup (HIT, MISS, EXPIRED, DYNAMIC, BYPASS); STORE marks the response being written to cache.
   */
  | { readonly type: "cache"; readonly key: string; readonly result: CacheResult; readonly ttlSeconds?: number; readonly why: string }
  | {
      readonly type: "lb-select";
      /** L3 for ECMP (a router hashing flows over equal-cost next hops), L4 and L7 for balancers. */
      readonly layer: "L3" | "L4" | "L7";
      readonly algorithm: string;
      readonly candidates: readonly Candidate[];
      readonly chosen: string | null;
      readonly why: string;
    }
  | {
      readonly type: "url-map";
      readonly host: string;
      readonly path: string;
      readonly matchedRule: string | null;
      readonly backendService: string | null;
    }
  | { readonly type: "health-check"; readonly endpoints: readonly { readonly ip: string; readonly healthy: boolean }[]; readonly probeSources: string }
  | { readonly type: "encap"; readonly protocol: TunnelProtocol; readonly outerSrc: string; readonly outerDst: string; readonly note: string }
  | { readonly type: "decap"; readonly protocol: TunnelProtocol }
  | { readonly type: "dnat"; readonly from: string; readonly to: string }
  | { readonly type: "snat"; readonly from: string; readonly to: string }
  | { readonly type: "conntrack"; readonly state: "new" | "established"; readonly tuple: string; readonly nat: "none" | "dnat" | "snat"; readonly note?: string }
  | { readonly type: "forward"; readonly to: string; readonly via: string; readonly distanceKm?: number }
  | { readonly type: "deliver"; readonly to: string }
  | { readonly type: "respond"; readonly status: string; readonly by: string }
  /**
   * Opening a connection before the request can be sent (a cold start): TCP alone costs one round
   * trip, TCP then a full TLS 1.3 handshake two. `rttMs` is the modelled round trip to `peer`.
   */
  | { readonly type: "handshake"; readonly protocol: "tcp" | "tcp+tls1.3"; readonly peer: string; readonly roundTrips: number; readonly rttMs: number; readonly note: string }
  /** A VPC firewall rule evaluated for the packet (Andromeda enforces it at the destination VM's host). */
  | { readonly type: "firewall"; readonly rule: string; readonly action: "allow" | "deny"; readonly sources: string; readonly ports: string; readonly note: string }
  /** A TLS handshake that fails: the alert that ends it (RFC 8446 §6) and who sent it. */
  | { readonly type: "tls-alert"; readonly alert: string; readonly sentBy: string; readonly why: string };

/** Cloudflare's cf-cache-status values the model produces, plus STORE for writing a response to cache. */
export type CacheResult = "HIT" | "MISS" | "EXPIRED" | "DYNAMIC" | "BYPASS" | "STORE";

export type TunnelProtocol = "gre" | "geneve" | "vxlan" | "gue";

export type TraceEventType = TraceEvent["type"];

/** Every event type, in the order the course introduces them. */
export const EVENT_TYPES: readonly TraceEventType[] = [
  "dns-resolve", "anycast-route", "tls-terminate", "tls-originate", "waf", "cache", "lb-select",
  "url-map", "health-check", "encap", "decap", "dnat", "snat", "conntrack", "forward", "deliver", "respond",
  "handshake", "firewall", "tls-alert",
];

export interface Hop {
  /**
   * Stable within a trace and across parameter changes where the role is the same: the direction and
   * the device's id ("request:gfe", "response:cf-edge"). Links, answer keys and saved progress point here.
   */
  readonly id: string;
  readonly direction: Direction;
  readonly leg: Leg;
  readonly device: Device;
  /** The packet as it arrived; null where the device originates it. */
  readonly in: Packet | null;
  /** The packet as it left; null where the device consumes it. */
  readonly out: Packet | null;
  readonly events: readonly TraceEvent[];
  /** Fibre time from the previous hop's location, in ms (0 at the same site). */
  readonly propagationMs: number;
  /** Modelled work at the device, in ms. */
  readonly processingMs: number;
  /** propagationMs + processingMs. */
  readonly timeMs: number;
}

export interface Trace {
  readonly scenario: string;
  readonly params: Readonly<Record<string, string>>;
  readonly seed: number;
  /**
   * The wrong model the trace was computed under (`edge/models.ts`); absent for the real behaviour,
   * so a real trace's JSON keeps the contract's keys.
   */
  readonly model?: string;
  readonly hops: readonly Hop[];
  /**
   * The scenario's stages (the five legs). Not enumerable, so not in the JSON: the stages are the
   * scenario's, the same for every run, and the public contract's top-level keys stay
   * `scenario, params, seed, hops`. Code reads them here; a trace that went through JSON has none.
   */
  readonly stages: readonly LegStage[];
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The id a hop gets: its direction and its device's role ("request:gfe"). */
export function hopId(direction: Direction, deviceId: string): string {
  return `${direction}:${deviceId}`;
}

/**
 * Collects hops in order, gives each its stable id (checking that no device is visited twice in one
 * direction), and charges each the fibre time from where the previous one was.
 */
export class TraceBuilder {
  private readonly hops: Hop[] = [];
  private last: SiteId | null = null;

  add(hop: Omit<Hop, "id" | "propagationMs" | "timeMs">): void {
    const id = hopId(hop.direction, hop.device.id);
    if (this.hops.some((h) => h.id === id)) throw new Error(`hop id "${id}" used twice`);
    const km = this.last ? greatCircleKm(site(this.last), site(hop.device.location)) : 0;
    const propagationMs = round3(fibreMs(km));
    const processingMs = round3(hop.processingMs);
    this.hops.push({ id, ...hop, processingMs, propagationMs, timeMs: round3(propagationMs + processingMs) });
    this.last = hop.device.location;
  }

  build(scenario: string, params: Readonly<Record<string, string>>, seed: number, stages: readonly LegStage[] = LEG_STAGES, model: string | null = null): Trace {
    const fields: Omit<Trace, "stages"> = { scenario, params, seed, ...(model === null ? {} : { model }), hops: this.hops };
    return Object.defineProperty(fields, "stages", { value: stages, enumerable: false }) as Trace;
  }
}

/** The hop with this id, or undefined when the trace did not reach it. */
export function hopById(trace: Trace, id: string): Hop | undefined {
  return trace.hops.find((h) => h.id === id);
}

/** Hops of one direction, in order. */
export function hopsOf(trace: Trace, direction: Direction): Hop[] {
  return trace.hops.filter((h) => h.direction === direction);
}

/** Total modelled time of the hops given, in ms. */
export function totalMs(hops: readonly Hop[]): number {
  return round3(hops.reduce((sum, h) => sum + h.timeMs, 0));
}

/** All events of a type across the trace, with the hop each happened at. */
export function eventsOfType<T extends TraceEventType>(
  trace: Trace,
  type: T,
): { hop: Hop; hopIndex: number; event: Extract<TraceEvent, { type: T }> }[] {
  const found: { hop: Hop; hopIndex: number; event: Extract<TraceEvent, { type: T }> }[] = [];
  trace.hops.forEach((hop, hopIndex) => {
    for (const event of hop.events) {
      if (event.type === type) found.push({ hop, hopIndex, event: event as Extract<TraceEvent, { type: T }> });
    }
  });
  return found;
}
