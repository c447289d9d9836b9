import { InputError } from "../net/errors";
import type { SiteId } from "../geo";
import { bestOf, candidateOrder, decide, originAs } from "./decision";
import { canonicalPrefix, formatPrefix, parseAddress, parsePrefix, prefixCovers, type IpPrefix } from "./prefix";
import { compileTopology, INVALID_LOCAL_PREF, LOCAL_PREF, routerName, type CompiledTopology, type Neighbor } from "./topology";
import type {
  Announcement, Asn, Decision, FibEntryCheck, FibLookup, ForwardingHop, ForwardingPath, OriginCode, OriginValidator,
  RejectedRoute, Relationship, RovMode, Route, Router, RouterName, Topology,
} from "./types";

/**
 * The propagation engine: announcements spread over the sessions until nothing changes.
 *
 * Processing order (deterministic): announcements and withdrawals put the originating routers on a
 * FIFO queue of (router, prefix) in the order they were made; taking one off, the router reruns the
 * decision process for that prefix and, if its best route changed, sends an update (or a withdrawal)
 * to each neighbour — iBGP peers first, in the AS's city order, then eBGP sessions in the order the
 * topology lists them — skipping a neighbour that already has exactly that route. Each neighbour that
 * received something joins the back of the queue (once). The run ends when the queue is empty.
 *
 * Policies (Gao & Rexford 2001): local preference customer > peer > provider; a route learned from a
 * customer (or originated) is exported to everyone, one learned from a peer or provider only to
 * customers — so every path is "valley-free". Under those rules BGP converges, and to the same routes
 * whatever order updates are processed in (no "dispute wheel", Griffin, Shepherd & Wilfong 2002). A
 * local-pref override that prefers a peer or provider over a customer can break that: such policies
 * can oscillate for ever (the model stops and says so), or settle in an order-dependent state.
 *
 * Simplifications: one router per AS per city; iBGP is a full mesh with next-hop-self on every
 * router, and the IGP cost between two routers of an AS is their great-circle distance; every
 * route is advertised at once (no MRAI timer, no route-flap damping); only the best path is
 * advertised (no ADD-PATH); an AS's routers export over eBGP only the routes that router itself
 * originates or learned over eBGP — so an anycast site whose routers stop announcing disappears from
 * the internet's view even though the rest of its network still knows the prefix over iBGP.
 */

export interface NetworkOptions {
  /** Route-origin validation, supplied by the RPKI model. Without it no route has a validation state. */
  readonly validator?: OriginValidator;
  /** Per-AS ROV overrides (on top of each AS's `rov`). */
  readonly rov?: Readonly<Record<number, RovMode>>;
  /** Give up after this many updates (a policy that never converges). */
  readonly maxUpdates?: number;
  /**
   * Each AS's own address space, as its inbound prefix-list holds it: routes from eBGP neighbours for these
   * prefixes or anything inside them are refused (RFC 7454 §6.1.3: do not accept your own prefixes from outside).
   * Static configuration, as in a real router, not derived from what the AS happens to announce.
   */
  readonly ownPrefixes?: Readonly<Record<number, readonly string[]>>;
}

/** An update on the wire: what one router sends another for a prefix. */
interface Update {
  readonly asPath: readonly Asn[];
  readonly origin: OriginCode;
  readonly med: number | null;
  readonly nextHop: RouterName;
  /** iBGP only: LOCAL_PREF travels inside an AS, never across (RFC 4271 §5.1.5). */
  readonly localPref: number | null;
  readonly learnedAs: Route["learnedAs"] | null;
  readonly originRouter: RouterName;
  readonly rov: Route["rov"];
}

const updateKey = (u: Update | null) => (u ? `${u.asPath.join(" ")}|${u.origin}|${u.med}|${u.nextHop}|${u.localPref}|${u.learnedAs}|${u.originRouter}|${u.rov}` : "");

export class BgpNetwork {
  readonly topology: CompiledTopology;
  private readonly options: NetworkOptions;
  private readonly adjIn: Map<string, Map<number, Route>>[];
  private readonly rejectedIn: Map<string, Map<number, RejectedRoute>>[];
  private readonly local: Map<string, Route>[];
  private readonly localPrepend: Map<string, number>[];
  private readonly best: Map<string, Route>[];
  private readonly sent: Map<string, Map<number, string>>[];
  private readonly reverse: Map<number, Neighbor>[];
  private readonly ownPrefixes: Map<number, IpPrefix[]>;
  private readonly queue: [number, string][] = [];
  private queued = new Set<string>();
  private readonly fromCache = new Map<string, Route["from"]>();
  private head = 0;
  /** Updates sent so far (one per neighbour per change), across every run. */
  updates = 0;

  constructor(topology: Topology | CompiledTopology, options: NetworkOptions = {}) {
    this.topology = "routers" in topology ? topology : compileTopology(topology);
    this.options = options;
    this.ownPrefixes = new Map(Object.entries(options.ownPrefixes ?? {}).map(([asn, list]) => [Number(asn), list.map((p) => parsePrefix(p) as IpPrefix)]));
    const n = this.topology.routers.length;
    const maps = <T>() => Array.from({ length: n }, () => new Map<string, T>());
    this.adjIn = maps();
    this.rejectedIn = maps();
    this.local = maps();
    this.localPrepend = maps();
    this.best = maps();
    this.sent = maps();
    this.reverse = this.topology.neighbors.map(() => new Map());
    this.topology.neighbors.forEach((list, i) => list.forEach((nb) => this.reverse[nb.router]!.set(i, this.topology.neighbors[nb.router]!.find((x) => x.router === i)!)));
  }

  get routers(): readonly Router[] {
    return this.topology.routers;
  }

  router(name: RouterName): Router {
    const i = this.topology.index.get(name);
    if (i === undefined) throw new InputError(name, "no such router in the topology (routers are named ASN@city, e.g. 13335@paris)");
    return this.topology.routers[i]!;
  }

  private indexOf(name: RouterName): number {
    this.router(name);
    return this.topology.index.get(name)!;
  }

  private routersOf(asn: Asn, cities: readonly SiteId[] | undefined, where: string): number[] {
    const as = this.topology.ases.get(asn);
    if (!as) throw new InputError(where, `AS${asn} is not in the topology`);
    const list = cities ?? as.cities;
    return list.map((c) => {
      const i = this.topology.index.get(routerName(asn, c));
      if (i === undefined) throw new InputError(where, `AS${asn} has no router in ${c}`);
      return i;
    });
  }

  private enqueue(r: number, prefix: string): void {
    const key = `${r}|${prefix}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push([r, prefix]);
  }

  /**
   * Originates `a.prefix` at AS `a.asn`'s routers in `a.cities` (all of its routers by default).
   * Call `run()` to propagate.
   *
   * @example net.announce({ prefix: "104.16.0.0/13", asn: 13335 }); net.run();
   */
  announce(a: Announcement): void {
    const prefix = canonicalPrefix(a.prefix);
    const where = `announcement ${a.prefix}@AS${a.asn}`;
    if (a.prepend !== undefined && (!Number.isInteger(a.prepend) || a.prepend < 0 || a.prepend > 10)) throw new InputError(where, "prepend is a whole number from 0 to 10");
    for (const asn of a.pathSuffix ?? []) if (!Number.isInteger(asn) || asn < 0 || asn > 4294967295) throw new InputError(where, `${asn} is not an AS number`);
    for (const r of this.routersOf(a.asn, a.cities, where)) {
      const router = this.topology.routers[r]!;
      const path = [...(a.pathSuffix ?? [])];
      this.local[r]!.set(prefix, {
        prefix, asPath: path, origin: a.origin ?? "igp", med: a.med ?? null, localPref: LOCAL_PREF.customer,
        from: { router: router.name, asn: router.asn, kind: "local", relationship: null, routerId: router.routerId, routerIdValue: router.routerIdValue, viaRouteServer: null },
        nextHop: router.name, igpCost: 0, learnedAs: "local", originRouter: router.name,
        rov: this.options.validator ? this.options.validator(prefix, path.length ? path[path.length - 1]! : router.asn) : null,
      });
      this.localPrepend[r]!.set(prefix, a.prepend ?? 0);
      this.enqueue(r, prefix);
    }
  }

  /** Stops originating `prefix` at AS `asn`'s routers in `cities` (all by default). Call `run()`. */
  withdraw(prefix: string, asn: Asn, cities?: readonly SiteId[]): void {
    const p = canonicalPrefix(prefix);
    for (const r of this.routersOf(asn, cities, `withdrawal ${prefix}@AS${asn}`)) {
      if (this.local[r]!.delete(p)) this.enqueue(r, p);
    }
  }

  /**
   * Propagates until nothing changes. Returns how many (router, prefix) recomputations and updates it took.
   *
   * @throws InputError when the policies do not converge within `maxUpdates`
   */
  run(): { processed: number; updates: number } {
    const max = this.options.maxUpdates ?? 200_000;
    let processed = 0;
    const startUpdates = this.updates;
    while (this.head < this.queue.length) {
      const [r, prefix] = this.queue[this.head++]!;
      this.queued.delete(`${r}|${prefix}`);
      this.process(r, prefix);
      processed++;
      if (this.updates - startUpdates > max) {
        throw new InputError("policies", `BGP did not converge after ${max} updates: the local-preference overrides break the customer > peer > provider order somewhere, and the routes chase each other (a "dispute wheel")`);
      }
    }
    this.queue.length = 0;
    this.head = 0;
    return { processed, updates: this.updates - startUpdates };
  }

  /** The routes the router holds for `prefix`; `sorted` puts them in `candidateOrder` (the decision view's). */
  private candidates(r: number, prefix: string, sorted = true): Route[] {
    const list: Route[] = [];
    const own = this.local[r]!.get(prefix);
    if (own) list.push(own);
    const learned = this.adjIn[r]!.get(prefix);
    if (learned) for (const route of learned.values()) list.push(route);
    // The best route does not depend on the order (every rule compares the whole set), so the hot path skips the sort.
    return sorted ? list.sort(candidateOrder) : list;
  }

  private process(r: number, prefix: string): void {
    const router = this.topology.routers[r]!;
    const cands = this.candidates(r, prefix, false);
    if (!router.isRouteServer) {
      const next = bestOf(cands);
      const prev = this.best[r]!.get(prefix);
      // Routes are replaced, never mutated, and only when an update changed: the same object is the same route.
      if (prev === next || (prev === undefined && next === null)) return;
      if (next) this.best[r]!.set(prefix, next);
      else this.best[r]!.delete(prefix);
    }
    const sentFor = this.sent[r]!.get(prefix) ?? new Map<number, string>();
    this.sent[r]!.set(prefix, sentFor);
    for (const nb of this.topology.neighbors[r]!) {
      const update = this.exportTo(r, nb, prefix, cands);
      const key = updateKey(update);
      if ((sentFor.get(nb.router) ?? "") === key) continue;
      if (key) sentFor.set(nb.router, key);
      else sentFor.delete(nb.router);
      this.updates++;
      this.receive(nb.router, r, prefix, update);
    }
  }

  /** What router `r` sends neighbour `nb` for `prefix`, or null (nothing, or a withdrawal). */
  private exportTo(r: number, nb: Neighbor, prefix: string, cands: readonly Route[]): Update | null {
    const me = this.topology.routers[r]!;
    if (nb.fromRouteServer) {
      // RFC 7947: a route server passes on its best route among those not learned from this client
      // (a RIB per client, §2.3.2.1, avoids hiding paths), leaving AS_PATH, NEXT_HOP and MED as they were.
      const b = bestOf(cands.filter((c) => this.topology.index.get(c.from.router) !== nb.router));
      return b ? { asPath: b.asPath, origin: b.origin, med: b.med, nextHop: b.nextHop, localPref: null, learnedAs: null, originRouter: b.originRouter, rov: null } : null;
    }
    const b = this.best[r]!.get(prefix);
    if (!b) return null;
    if (nb.kind === "ibgp") {
      // Full mesh: what came over iBGP is not passed on over iBGP (RFC 4271 §9.1.1).
      if (b.from.kind === "ibgp") return null;
      return { asPath: b.asPath, origin: b.origin, med: b.med, nextHop: me.name, localPref: b.localPref, learnedAs: b.learnedAs, originRouter: b.originRouter, rov: b.rov };
    }
    // A site announces only what it originates or learned over eBGP itself.
    if (b.from.kind === "ibgp" && b.learnedAs === "local") return null;
    // Valley-free export: customer and own routes to everyone; peer and provider routes only to customers.
    if (b.learnedAs !== "local" && b.learnedAs !== "customer" && nb.relationship !== "customer") return null;
    const copies = 1 + nb.prepend + (b.from.kind === "local" ? this.localPrepend[r]!.get(prefix) ?? 0 : 0);
    return {
      asPath: [...Array<Asn>(copies).fill(me.asn), ...b.asPath], origin: b.origin,
      // MED is not passed from one neighbouring AS to another (RFC 4271 §5.1.4): only what this AS sets.
      med: nb.med ?? (b.from.kind === "local" ? b.med : null),
      nextHop: me.name, localPref: null, learnedAs: null, originRouter: b.originRouter, rov: null,
    };
  }

  private rovMode(asn: Asn): RovMode {
    return this.options.rov?.[asn] ?? this.topology.ases.get(asn)?.rov ?? "off";
  }

  /** The `from` of a route router `at` learns from `from`: built once per session. */
  private fromInfo(at: number, from: number): Route["from"] {
    const key = `${at}|${from}`;
    let info = this.fromCache.get(key);
    if (!info) {
      const sender = this.topology.routers[from]!;
      const nb = this.reverse[at]!.get(from)!;
      info = {
        router: sender.name, asn: sender.asn, kind: nb.kind, relationship: nb.relationship, routerId: sender.routerId,
        routerIdValue: sender.routerIdValue, viaRouteServer: nb.toRouteServer ? sender.asn : null,
      };
      this.fromCache.set(key, info);
    }
    return info;
  }

  private receive(at: number, from: number, prefix: string, u: Update | null): void {
    let adj = this.adjIn[at]!.get(prefix);
    if (!adj) this.adjIn[at]!.set(prefix, (adj = new Map()));
    adj.delete(from);
    this.rejectedIn[at]!.get(prefix)?.delete(from);
    this.enqueue(at, prefix);
    if (!u) return;
    const me = this.topology.routers[at]!;
    const nb = this.reverse[at]!.get(from)!;
    const fromInfo = this.fromInfo(at, from);
    if (nb.kind === "ibgp") {
      adj.set(from, {
        prefix, asPath: u.asPath, origin: u.origin, med: u.med, nextHop: u.nextHop, originRouter: u.originRouter, from: fromInfo,
        localPref: u.localPref!, learnedAs: u.learnedAs!, igpCost: nb.cost, rov: u.rov,
      });
      return;
    }
    const relationship = nb.relationship as Relationship;
    const origin = u.asPath.length ? u.asPath[u.asPath.length - 1]! : null;
    const rov = this.options.validator ? this.options.validator(prefix, origin) : null;
    const mode = rov === "Invalid" ? this.rovMode(me.asn) : "off";
    const route: Route = {
      prefix, asPath: u.asPath, origin: u.origin, med: u.med, nextHop: u.nextHop, originRouter: u.originRouter, from: fromInfo,
      localPref: mode === "depref-invalid" ? INVALID_LOCAL_PREF : nb.localPref ?? LOCAL_PREF[relationship], learnedAs: relationship, igpCost: 0, rov,
    };
    // Loop prevention (RFC 4271 §9.1.2): a path that already contains this AS is refused.
    if (u.asPath.includes(me.asn)) {
      this.reject(at, from, prefix, { route, reason: "as-path-loop", detail: `the path ${u.asPath.join(" ")} already contains AS${me.asn}` });
      return;
    }
    const own = this.ownPrefixes.get(me.asn)?.find((p) => prefixCovers(p, parsePrefix(prefix)));
    if (own !== undefined) {
      this.reject(at, from, prefix, { route, reason: "own-prefix", detail: `${prefix} is inside AS${me.asn}'s own ${formatPrefix(own)}; its inbound filter refuses its own address space from neighbours` });
      return;
    }
    if (mode === "drop-invalid") {
      this.reject(at, from, prefix, { route, reason: "rov-invalid", detail: `RPKI Invalid for origin AS${origin}; AS${me.asn} drops Invalid routes` });
      return;
    }
    adj.set(from, route);
  }

  private reject(at: number, from: number, prefix: string, r: RejectedRoute): void {
    let rej = this.rejectedIn[at]!.get(prefix);
    if (!rej) this.rejectedIn[at]!.set(prefix, (rej = new Map()));
    rej.set(from, r);
  }

  /** The routers that originate `prefix` now (the anycast sites), in topology order. */
  originsOf(prefix: string): RouterName[] {
    const p = canonicalPrefix(prefix);
    return this.topology.routers.filter((_, i) => this.local[i]!.has(p)).map((r) => r.name);
  }

  /** The prefixes anyone holds a route for, sorted. */
  prefixes(): string[] {
    const all = new Set<string>();
    for (const m of this.best) for (const p of m.keys()) all.add(p);
    return [...all].sort();
  }

  /** The router's chosen route for `prefix` (its Loc-RIB), or null. */
  bestRoute(router: RouterName, prefix: string): Route | null {
    return this.best[this.indexOf(router)]!.get(canonicalPrefix(prefix)) ?? null;
  }

  /** Every route the router holds for `prefix` and the decision process over them, step by step. */
  decision(router: RouterName, prefix: string): Decision {
    const r = this.indexOf(router);
    const p = canonicalPrefix(prefix);
    const rejected = [...(this.rejectedIn[r]!.get(p)?.values() ?? [])].sort((a, b) => candidateOrder(a.route, b.route));
    return decide(router, p, this.candidates(r, p), rejected);
  }

  /** The router's Loc-RIB: its best route for each prefix, by prefix. */
  rib(router: RouterName): Route[] {
    return [...this.best[this.indexOf(router)]!.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
  }

  /**
   * Longest-prefix match over the router's installed routes, every entry checked in turn (longest
   * first): a more-specific prefix wins whatever the attributes of the routes for the shorter one.
   *
   * @example net.fibLookup("3215@paris", "104.18.32.7").match // "104.16.0.0/13"
   */
  fibLookup(router: RouterName, address: string): FibLookup {
    const target = parseAddress(address);
    const entries = this.rib(router).map((route) => ({ route, p: parsePrefix(route.prefix) as IpPrefix }));
    entries.sort((a, b) => b.p.length - a.p.length || (a.route.prefix < b.route.prefix ? -1 : 1));
    const checks: FibEntryCheck[] = entries.map(({ route, p }) => ({ prefix: route.prefix, length: p.length, matches: prefixCovers(p, target), nextHop: route.nextHop }));
    const hit = entries.find(({ p }) => prefixCovers(p, target));
    return { router, address, checks, match: hit?.route.prefix ?? null, route: hit?.route ?? null };
  }

  /** Follows a packet for `address` from `router`, lookup by lookup, to the router that originates the matching prefix. */
  forward(router: RouterName, address: string): ForwardingPath {
    const hops: ForwardingHop[] = [];
    const seen = new Set<RouterName>();
    let at = router;
    for (;;) {
      if (seen.has(at)) return { hops, outcome: "loop", deliveredAt: null };
      seen.add(at);
      const lookup = this.fibLookup(at, address);
      hops.push({ router: at, lookup });
      if (!lookup.route) return { hops, outcome: "no-route", deliveredAt: null };
      if (lookup.route.from.kind === "local") return { hops, outcome: "delivered", deliveredAt: at };
      at = lookup.route.nextHop;
    }
  }
}

export { originAs };



/**
 * Builds the network, makes every announcement in order and runs to convergence.
 *
 * @example simulate(DEFAULT_TOPOLOGY, DEFAULT_ANNOUNCEMENTS).bestRoute("2516@tokyo", "104.16.0.0/13")
 */
export function simulate(topology: Topology | CompiledTopology, announcements: readonly Announcement[], options: NetworkOptions = {}): BgpNetwork {
  const net = new BgpNetwork(topology, options);
  for (const a of announcements) net.announce(a);
  net.run();
  return net;
}
