import type { SiteId } from "../geo";

/**
 * The shapes of the BGP model: a topology (autonomous systems, the cities their routers sit in, the
 * sessions between them and the relationship each session carries), announcements, and the routes
 * and decisions the engine computes. One router per AS per city; every router of an AS holds an iBGP
 * session with every other (a full mesh, RFC 4271 §9.1.1 — no route reflectors or confederations).
 */

export type Asn = number;
/** A router: `${asn}@${city}`, e.g. "13335@paris". */
export type RouterName = string;

/** What a neighbouring AS is to this one, as an operator's policy sees it. */
export type Relationship = "customer" | "peer" | "provider";

/** How an AS acts on route-origin validation (RFC 6811 §5 leaves the policy to the operator). */
export type RovMode = "off" | "drop-invalid" | "depref-invalid";
/** RFC 6811 §2 validation states. */
export type RovState = "Valid" | "Invalid" | "NotFound";
/**
 * Supplied by the caller (the RPKI model): the validation state of `prefix` originated by
 * `originAsn` (the right-most AS of the path; null where the path is empty). AS_SET origins
 * (RFC 6811 §2: they validate as NotFound or Invalid) are out of scope: the model has no AS_SETs.
 */
export type OriginValidator = (prefix: string, originAsn: Asn | null) => RovState;

export type AsKind = "content" | "tier1" | "transit" | "access" | "route-server" | "attacker";

export interface AsSpec {
  readonly asn: Asn;
  readonly name: string;
  readonly kind: AsKind;
  /** The cities it has a router in. */
  readonly cities: readonly SiteId[];
  /** Route-origin validation at import from eBGP neighbours; "off" when absent. */
  readonly rov?: RovMode;
  /** One line on who this is in the model (shown in the lab and the CLI). */
  readonly note?: string;
}

/**
 * An eBGP session between the two ASes' routers in `city`.
 * - `transit`: `customer` buys transit from `provider`.
 * - `peer`: settlement-free peering (a private interconnect or a bilateral session at an IXP).
 * - `route-server`: `member` peers with an IXP's route server, which passes each member's routes on
 *   to the others without adding its own ASN to the path or changing the next hop (RFC 7947 §2.2).
 */
export type SessionSpec =
  | { readonly kind: "transit"; readonly provider: Asn; readonly customer: Asn; readonly city: SiteId }
  | { readonly kind: "peer"; readonly a: Asn; readonly b: Asn; readonly city: SiteId }
  | { readonly kind: "route-server"; readonly routeServer: Asn; readonly member: Asn; readonly city: SiteId };

/**
 * A per-session override at AS `at` towards its neighbour `neighbor` (in `city`, or on every session
 * between them): `prepend` extra copies of its own ASN on what it sends, the `med` it sends, and the
 * `localPref` it gives what it receives (instead of the relationship's default).
 */
export interface PolicySpec {
  readonly at: Asn;
  readonly neighbor: Asn;
  readonly city?: SiteId;
  readonly prepend?: number;
  readonly med?: number;
  readonly localPref?: number;
}

export interface Topology {
  readonly ases: readonly AsSpec[];
  readonly sessions: readonly SessionSpec[];
  readonly policies?: readonly PolicySpec[];
}

/** BGP's ORIGIN attribute (RFC 4271 §5.1.1); lower is preferred. */
export type OriginCode = "igp" | "egp" | "incomplete";

/**
 * A prefix originated by `asn` from its routers in `cities` (all of its cities when absent).
 * `pathSuffix` puts ASNs after the announcer's own in the path it sends — how a forged-origin hijack
 * claims another AS as origin ("64511 13335"). `prepend` adds extra copies of the announcer's ASN on
 * every eBGP session; `med` is sent with it.
 */
export interface Announcement {
  readonly prefix: string;
  readonly asn: Asn;
  readonly cities?: readonly SiteId[];
  readonly origin?: OriginCode;
  readonly prepend?: number;
  readonly med?: number;
  readonly pathSuffix?: readonly Asn[];
}

export interface Router {
  readonly name: RouterName;
  readonly asn: Asn;
  readonly city: SiteId;
  /** BGP Identifier (RFC 4271 §4.2), written as an IPv4 address; also the session address (loopback peering). */
  readonly routerId: string;
  readonly routerIdValue: number;
  readonly isRouteServer: boolean;
}

/** How a route reached the router holding it. */
export type SessionKind = "ebgp" | "ibgp" | "local";

export interface Route {
  readonly prefix: string;
  /** As received: left-most is the neighbouring AS, right-most the origin. Empty when originated here. */
  readonly asPath: readonly Asn[];
  readonly origin: OriginCode;
  /** MULTI_EXIT_DISC; null when the neighbour sent none (compared as 0, RFC 4271 §9.1.2.2 c). */
  readonly med: number | null;
  readonly localPref: number;
  /** The session the route came over: the neighbour router, its AS and BGP Identifier. */
  readonly from: {
    readonly router: RouterName;
    readonly asn: Asn;
    readonly kind: SessionKind;
    /** What the neighbour is to this AS (eBGP only; a route server's members are peers). */
    readonly relationship: Relationship | null;
    readonly routerId: string;
    readonly routerIdValue: number;
    /** Set when the route came through an IXP route server (its ASN). */
    readonly viaRouteServer: Asn | null;
  };
  /** The router a packet matching this route is handed to next (itself when originated here). */
  readonly nextHop: RouterName;
  /** IGP cost from this router to the next hop: great-circle km inside the AS, 0 for eBGP and local. */
  readonly igpCost: number;
  /** How the route entered this AS: decides where it may be exported (Gao–Rexford). */
  readonly learnedAs: "local" | Relationship;
  /** Not a BGP attribute: the router that originated the announcement (the anycast site). */
  readonly originRouter: RouterName;
  /** The validation state at import (when a validator was given), whatever the AS does with it. */
  readonly rov: RovState | null;
}

export type DecisionRule =
  | "local-origin"
  | "local-pref"
  | "as-path-length"
  | "origin"
  | "med"
  | "ebgp-over-ibgp"
  | "igp-cost"
  | "router-id"
  | "neighbor-address";

/** One comparison of the decision process: the value each remaining candidate has, and who lost. */
export interface DecisionStep {
  readonly rule: DecisionRule;
  readonly label: string;
  /** Candidate index → the value compared, as text ("300", "3356 13335", "igp", "1,264 km"). */
  readonly values: readonly { readonly candidate: number; readonly value: string }[];
  readonly kept: readonly number[];
  readonly eliminated: readonly number[];
  /** This comparison left a single route. */
  readonly decisive: boolean;
  readonly note: string;
}

export interface RejectedRoute {
  readonly route: Route;
  readonly reason: "as-path-loop" | "rov-invalid" | "own-prefix";
  readonly detail: string;
}

export interface Decision {
  readonly router: RouterName;
  readonly prefix: string;
  /** Every route that passed import, in a stable order (the indexes the steps use). */
  readonly candidates: readonly Route[];
  /** Routes refused at import, with the reason. */
  readonly rejected: readonly RejectedRoute[];
  readonly steps: readonly DecisionStep[];
  readonly best: Route | null;
  readonly bestIndex: number | null;
  /** The rule that left one route; "only-route" with one candidate; null with none. */
  readonly decidedBy: DecisionRule | "only-route" | null;
}

/** One entry compared in a longest-prefix-match lookup. */
export interface FibEntryCheck {
  readonly prefix: string;
  readonly length: number;
  readonly matches: boolean;
  readonly nextHop: RouterName;
}

export interface FibLookup {
  readonly router: RouterName;
  readonly address: string;
  readonly checks: readonly FibEntryCheck[];
  /** The longest matching prefix, or null (no route: the packet is dropped). */
  readonly match: string | null;
  readonly route: Route | null;
}

/** One router on a packet's way, with the FIB lookup it made. */
export interface ForwardingHop {
  readonly router: RouterName;
  readonly lookup: FibLookup;
}

export interface ForwardingPath {
  readonly hops: readonly ForwardingHop[];
  /** Where it ended: delivered at an originating router, dropped for want of a route, or looped. */
  readonly outcome: "delivered" | "no-route" | "loop";
  /** The router that delivered it (the site that answered), when delivered. */
  readonly deliveredAt: RouterName | null;
}
