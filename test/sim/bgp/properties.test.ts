import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANYCAST_SITES, CLOUDFLARE_ASN, CLOUDFLARE_PREFIX, DEFAULT_TOPOLOGY, GOOGLE_ASN, GOOGLE_PREFIX } from "../../../src/sim/bgp/default-topology";
import { simulate, type BgpNetwork } from "../../../src/sim/bgp/engine";
import type { Announcement, Asn, Relationship, Topology } from "../../../src/sim/bgp/types";
import type { SiteId } from "../../../src/sim/geo";

/**
 * Properties of the engine on the default internet, over random anycast footprints, extra
 * announcements (more-specifics from access networks) and random processing orders: Gao–Rexford
 * policies guarantee one stable outcome (no dispute wheel), so the order of announcements and of
 * sessions must not matter; every chosen path is valley-free and loop-free; a withdrawn site is
 * never where a packet ends up.
 */
const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 60);

/** What `b` is to `a` for every adjacent pair, route-server members counting as peers. */
function relationships(t: Topology): Map<string, Relationship> {
  const rel = new Map<string, Relationship>();
  const members = new Map<string, Asn[]>();
  for (const s of t.sessions) {
    if (s.kind === "transit") { rel.set(`${s.customer}>${s.provider}`, "provider"); rel.set(`${s.provider}>${s.customer}`, "customer"); }
    else if (s.kind === "peer") { rel.set(`${s.a}>${s.b}`, "peer"); rel.set(`${s.b}>${s.a}`, "peer"); }
    else members.set(`${s.routeServer}@${s.city}`, [...(members.get(`${s.routeServer}@${s.city}`) ?? []), s.member]);
  }
  for (const list of members.values()) for (const a of list) for (const b of list) if (a !== b && !rel.has(`${a}>${b}`)) rel.set(`${a}>${b}`, "peer");
  return rel;
}

/**
 * Valley-free: read from the origin towards the holder, each AS learned the route from a customer
 * (uphill) any number of times, then from at most one peer, then from providers (downhill) only.
 */
function valleyFree(holder: Asn, path: readonly Asn[], rel: Map<string, Relationship>): boolean {
  const ases = [holder, ...path].filter((a, i, all) => i === 0 || a !== all[i - 1]);
  let phase = 0; // 0 uphill, 1 after the peer link, 2 downhill
  for (let i = ases.length - 1; i > 0; i--) {
    const learnedFrom = rel.get(`${ases[i - 1]}>${ases[i]}`);
    if (!learnedFrom) return false;
    if (learnedFrom === "customer") { if (phase !== 0) return false; }
    else if (learnedFrom === "peer") { if (phase !== 0) return false; phase = 1; }
    else phase = 2;
  }
  return true;
}

const shuffle = <T,>(list: readonly T[], keys: readonly number[]) =>
  list.map((x, i) => ({ x, k: keys[i % keys.length]! * 1000 + i })).sort((a, b) => a.k - b.k).map((e) => e.x);

const footprint = fc.subarray([...ANYCAST_SITES], { minLength: 1 });
const extraOrigins = fc.subarray([3215, 2516, 7922, 64500, 64501, 64502] as Asn[], { maxLength: 3 });
const scenario = fc.record({ cf: footprint, google: footprint, extra: extraOrigins, order: fc.array(fc.nat(1000), { minLength: 1, maxLength: 64 }) });

function announcementsOf(s: { cf: SiteId[]; google: SiteId[]; extra: Asn[] }): Announcement[] {
  return [
    { prefix: CLOUDFLARE_PREFIX, asn: CLOUDFLARE_ASN, cities: s.cf },
    { prefix: GOOGLE_PREFIX, asn: GOOGLE_ASN, cities: s.google },
    // More-specifics inside Cloudflare's block from access networks (hijack-shaped, not an anycast).
    ...s.extra.map((asn, i) => ({ prefix: `104.18.${32 + i}.0/24`, asn })),
  ];
}

const state = (net: BgpNetwork) => net.routers.map((r) => JSON.stringify(net.rib(r.name)));

describe(`BGP on the default internet over ${RUNS} random footprints and processing orders`, () => {
  const rel = relationships(DEFAULT_TOPOLOGY);

  it("converges to the same routes whatever order announcements and sessions are processed in", () => {
    fc.assert(fc.property(scenario, (s) => {
      const a = simulate(DEFAULT_TOPOLOGY, announcementsOf(s));
      const reordered: Topology = { ...DEFAULT_TOPOLOGY, sessions: shuffle(DEFAULT_TOPOLOGY.sessions, s.order) };
      const b = simulate(reordered, shuffle(announcementsOf(s), s.order));
      expect(state(b)).toEqual(state(a));
    }), { numRuns: RUNS });
  });

  it("every chosen path is valley-free and contains no loop", () => {
    fc.assert(fc.property(scenario, (s) => {
      const net = simulate(DEFAULT_TOPOLOGY, announcementsOf(s));
      for (const r of net.routers) {
        for (const route of net.rib(r.name)) {
          expect(new Set(route.asPath.filter((a, i, all) => i === 0 || a !== all[i - 1])).size).toBe(route.asPath.filter((a, i, all) => i === 0 || a !== all[i - 1]).length);
          if (route.from.kind !== "local") expect(route.asPath).not.toContain(r.asn);
          expect(valleyFree(r.asn, route.asPath, rel), `${r.name}: ${route.asPath.join(" ")}`).toBe(true);
        }
      }
    }), { numRuns: RUNS });
  });

  it("a withdrawn site is never reached, and re-convergence after withdrawal equals a fresh run", () => {
    fc.assert(fc.property(scenario, fc.subarray([...ANYCAST_SITES], { minLength: 1 }), (s, gone) => {
      const net = simulate(DEFAULT_TOPOLOGY, announcementsOf(s));
      const withdrawn = gone.filter((c) => s.cf.includes(c));
      net.withdraw(CLOUDFLARE_PREFIX, CLOUDFLARE_ASN, withdrawn);
      net.run();
      const left = s.cf.filter((c) => !withdrawn.includes(c));
      const fresh = simulate(DEFAULT_TOPOLOGY, announcementsOf({ ...s, cf: left }).filter((a) => a.cities === undefined || a.cities.length > 0));
      expect(state(net)).toEqual(state(fresh));
      for (const r of net.routers) {
        if (r.isRouteServer) continue;
        const path = net.forward(r.name, "104.20.0.1");
        if (path.outcome === "delivered") expect(withdrawn).not.toContain(net.router(path.deliveredAt!).city);
        // A site with only peering sessions (São Paulo) is invisible outside its peers' customer cones.
        else expect(path.outcome).toBe("no-route");
      }
    }), { numRuns: RUNS });
  });
});
