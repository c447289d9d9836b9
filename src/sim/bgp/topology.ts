import { greatCircleKm, site, SITES, type SiteId } from "../geo";
import { InputError } from "../net/errors";
import type { Asn, AsSpec, PolicySpec, Relationship, Router, RouterName, Topology } from "./types";

/**
 * A topology compiled for the engine: every router, its sessions (iBGP full mesh inside each AS,
 * then the eBGP sessions in the order the topology lists them), and the per-session policy.
 */

/**
 * Local preference by relationship: customer over peer over provider (Gao & Rexford 2001, §4: an AS
 * earns money on customer routes, none on peer routes and pays for provider routes). The numbers
 * are conventional, not a standard; only their order matters.
 */
export const LOCAL_PREF = { customer: 300, peer: 200, provider: 100 } as const;
/** What a `depref-invalid` AS gives an RPKI-Invalid route: below every relationship's default. */
export const INVALID_LOCAL_PREF = 50;

export interface Neighbor {
  readonly router: number;
  readonly kind: "ebgp" | "ibgp";
  /** What the neighbour is to this router's AS; null on iBGP. A route server is a "peer" to its members. */
  readonly relationship: Relationship | null;
  /** This end is a route server's client: the neighbour is the route server. */
  readonly toRouteServer: boolean;
  /** This end is the route server: the neighbour is a member. */
  readonly fromRouteServer: boolean;
  readonly prepend: number;
  readonly med: number | null;
  readonly localPref: number | null;
  /** IGP cost to the neighbour: km inside the AS on iBGP, 0 on eBGP. */
  readonly cost: number;
}

export interface CompiledTopology {
  readonly spec: Topology;
  readonly ases: ReadonlyMap<Asn, AsSpec>;
  readonly routers: readonly Router[];
  readonly index: ReadonlyMap<RouterName, number>;
  readonly neighbors: readonly (readonly Neighbor[])[];
}

export const routerName = (asn: Asn, city: SiteId): RouterName => `${asn}@${city}`;

const SITE_IDS = Object.keys(SITES) as SiteId[];

function checkCity(city: unknown, where: string): SiteId {
  if (typeof city !== "string" || !(city in SITES)) {
    throw new InputError(where, `unknown city ${JSON.stringify(city)}; the model knows ${SITE_IDS.join(", ")}`);
  }
  return city as SiteId;
}

/**
 * Checks a topology and builds the routers and sessions. Router ids are 10.<AS index>.<city index>.1
 * (loopbacks in the model; they only break ties).
 *
 * @throws InputError naming the AS or session that is wrong (unknown AS, a city the AS is not in, …)
 */
export function compileTopology(spec: Topology): CompiledTopology {
  const ases = new Map<Asn, AsSpec>();
  const routers: Router[] = [];
  const index = new Map<RouterName, number>();
  spec.ases.forEach((as, ai) => {
    const where = `ases[${ai}]`;
    if (!Number.isInteger(as.asn) || as.asn < 1 || as.asn > 4294967295) throw new InputError(`${where}.asn`, `${as.asn} is not an AS number (1 to 4294967295)`);
    if (ases.has(as.asn)) throw new InputError(`${where}.asn`, `AS${as.asn} is listed twice`);
    if (!as.cities.length) throw new InputError(`${where}.cities`, `AS${as.asn} needs at least one city`);
    ases.set(as.asn, as);
    as.cities.forEach((c, ci) => {
      const city = checkCity(c, `${where}.cities[${ci}]`);
      const name = routerName(as.asn, city);
      if (index.has(name)) throw new InputError(`${where}.cities[${ci}]`, `AS${as.asn} lists ${city} twice`);
      const cityIndex = SITE_IDS.indexOf(city);
      const routerIdValue = ((10 << 24) | ((ai + 1) << 16) | ((cityIndex + 1) << 8) | 1) >>> 0;
      index.set(name, routers.length);
      routers.push({
        name, asn: as.asn, city, isRouteServer: as.kind === "route-server",
        routerId: `10.${ai + 1}.${cityIndex + 1}.1`, routerIdValue,
      });
    });
  });

  const neighbors: Neighbor[][] = routers.map(() => []);
  const km = (a: number, b: number) => Math.round(greatCircleKm(site(routers[a]!.city), site(routers[b]!.city)));
  // iBGP full mesh, in city order.
  routers.forEach((r, i) => {
    routers.forEach((o, j) => {
      if (i !== j && r.asn === o.asn && !r.isRouteServer) {
        neighbors[i]!.push({ router: j, kind: "ibgp", relationship: null, toRouteServer: false, fromRouteServer: false, prepend: 0, med: null, localPref: null, cost: km(i, j) });
      }
    });
  });

  const policies = spec.policies ?? [];
  policies.forEach((p, pi) => {
    const where = `policies[${pi}]`;
    if (!ases.has(p.at)) throw new InputError(`${where}.at`, `AS${p.at} is not in the topology`);
    if (!ases.has(p.neighbor)) throw new InputError(`${where}.neighbor`, `AS${p.neighbor} is not in the topology`);
    if (p.city !== undefined) checkCity(p.city, `${where}.city`);
    if (p.prepend !== undefined && (!Number.isInteger(p.prepend) || p.prepend < 0 || p.prepend > 10)) throw new InputError(`${where}.prepend`, "prepend is a whole number from 0 to 10");
    if (p.med !== undefined && (!Number.isInteger(p.med) || p.med < 0 || p.med > 4294967295)) throw new InputError(`${where}.med`, "MED is a whole number from 0 to 4294967295");
    if (p.localPref !== undefined && (!Number.isInteger(p.localPref) || p.localPref < 0 || p.localPref > 4294967295)) throw new InputError(`${where}.localPref`, "local preference is a whole number from 0 to 4294967295");
  });
  const policyAt = (at: Asn, neighbor: Asn, city: SiteId): PolicySpec | undefined =>
    policies.find((p) => p.at === at && p.neighbor === neighbor && p.city === city) ?? policies.find((p) => p.at === at && p.neighbor === neighbor && p.city === undefined);

  const seen = new Set<string>();
  spec.sessions.forEach((s, si) => {
    const where = `sessions[${si}]`;
    const city = checkCity(s.city, `${where}.city`);
    const [a, b, relOfBAtA, relOfAAtB] =
      s.kind === "transit" ? [s.customer, s.provider, "provider", "customer"] as const
        : s.kind === "peer" ? [s.a, s.b, "peer", "peer"] as const
          : [s.member, s.routeServer, "peer", "peer"] as const;
    for (const [asn, field] of [[a, s.kind === "transit" ? "customer" : s.kind === "peer" ? "a" : "member"], [b, s.kind === "transit" ? "provider" : s.kind === "peer" ? "b" : "routeServer"]] as const) {
      if (!ases.has(asn)) throw new InputError(`${where}.${field}`, `AS${asn} is not in the topology`);
      if (!index.has(routerName(asn, city))) throw new InputError(`${where}.city`, `AS${asn} has no router in ${city}`);
    }
    if (a === b) throw new InputError(where, `a session joins two different ASes (AS${a} twice)`);
    const isRs = (asn: Asn) => ases.get(asn)!.kind === "route-server";
    if (s.kind === "route-server" && !isRs(b)) throw new InputError(`${where}.routeServer`, `AS${b} is not a route server (kind "route-server")`);
    if (s.kind !== "route-server" && (isRs(a) || isRs(b))) throw new InputError(where, "a route server takes only route-server sessions");
    const key = `${Math.min(a, b)}-${Math.max(a, b)}@${city}`;
    if (seen.has(key)) throw new InputError(where, `AS${a} and AS${b} already have a session in ${city}`);
    seen.add(key);
    const ra = index.get(routerName(a, city))!;
    const rb = index.get(routerName(b, city))!;
    const end = (me: Asn, other: Asn, otherRouter: number, relationship: Relationship, toRs: boolean, fromRs: boolean): Neighbor => {
      const p = policyAt(me, other, city);
      return { router: otherRouter, kind: "ebgp", relationship, toRouteServer: toRs, fromRouteServer: fromRs, prepend: p?.prepend ?? 0, med: p?.med ?? null, localPref: p?.localPref ?? null, cost: 0 };
    };
    const rs = s.kind === "route-server";
    neighbors[ra]!.push(end(a, b, rb, relOfBAtA, rs, false));
    neighbors[rb]!.push(end(b, a, ra, relOfAAtB, false, rs));
  });

  return { spec, ases, routers, index, neighbors };
}
