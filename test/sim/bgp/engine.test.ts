import { describe, expect, it } from "vitest";
import { anycastOutcomes } from "../../../src/sim/bgp/anycast";
import {
  CLOUDFLARE_PREFIX, DEFAULT_ANNOUNCEMENTS, DEFAULT_TOPOLOGY, USER_ROUTERS,
} from "../../../src/sim/bgp/default-topology";
import { BgpNetwork, simulate } from "../../../src/sim/bgp/engine";
import { canonicalPrefix, parsePrefix } from "../../../src/sim/bgp/prefix";
import type { Topology } from "../../../src/sim/bgp/types";
import { InputError } from "../../../src/sim/net/errors";

/**
 * The BGP engine against the behaviour RFC 4271 (decision process, loop prevention, MED), RFC 7947
 * (route servers), Gao & Rexford (valley-free export) and RFC 6811 §5 (what a router does with
 * Invalid) describe, on small topologies built for each rule, and on the default internet.
 */

const cf = "104.18.32.7";

describe("the decision process, in RFC 4271's order", () => {
  it("local preference beats a shorter AS path: a customer route four ASes long wins over a provider route of one", () => {
    // AS 10 buys transit from 20; 40 originates and is reached through 10's customer chain 30 → 31 → 32.
    const t: Topology = {
      ases: [10, 20, 30, 31, 32, 40].map((asn) => ({ asn, name: `AS${asn}`, kind: "transit" as const, cities: ["london" as const] })),
      sessions: [
        { kind: "transit", provider: 20, customer: 10, city: "london" },
        { kind: "transit", provider: 20, customer: 40, city: "london" },
        { kind: "transit", provider: 10, customer: 30, city: "london" },
        { kind: "transit", provider: 30, customer: 31, city: "london" },
        { kind: "transit", provider: 31, customer: 32, city: "london" },
        { kind: "transit", provider: 32, customer: 40, city: "london" },
      ],
    };
    const d = simulate(t, [{ prefix: "192.0.2.0/24", asn: 40 }]).decision("10@london", "192.0.2.0/24");
    expect(d.best!.asPath).toEqual([30, 31, 32, 40]);
    expect(d.decidedBy).toBe("local-pref");
    expect(d.steps[0]).toMatchObject({ rule: "local-pref", decisive: true });
  });

  it("MED is compared only between routes from the same neighbouring AS; eBGP then beats iBGP", () => {
    // AS 10 (London, Paris) hears 40's prefix from AS 20 in both cities (MED 50 in London, 10 in Paris)
    // and from AS 30 in London with MED 100.
    const t: Topology = {
      ases: [
        { asn: 10, name: "AS10", kind: "transit", cities: ["london", "paris"] },
        { asn: 20, name: "AS20", kind: "transit", cities: ["london", "paris"] },
        { asn: 30, name: "AS30", kind: "transit", cities: ["london"] },
        { asn: 40, name: "AS40", kind: "access", cities: ["london"] },
      ],
      sessions: [
        { kind: "transit", provider: 20, customer: 10, city: "london" },
        { kind: "transit", provider: 20, customer: 10, city: "paris" },
        { kind: "transit", provider: 30, customer: 10, city: "london" },
        { kind: "transit", provider: 20, customer: 40, city: "london" },
        { kind: "transit", provider: 30, customer: 40, city: "london" },
      ],
      policies: [
        { at: 20, neighbor: 10, city: "london", med: 50 },
        { at: 20, neighbor: 10, city: "paris", med: 10 },
        { at: 30, neighbor: 10, med: 100 },
      ],
    };
    const d = simulate(t, [{ prefix: "192.0.2.0/24", asn: 40 }]).decision("10@london", "192.0.2.0/24");
    const med = d.steps.find((s) => s.rule === "med")!;
    const byFrom = (router: string) => d.candidates.findIndex((c) => c.from.router === router);
    expect(med.eliminated).toEqual([byFrom("20@london")]);
    // AS 30's route survives MED although its MED (100) is the highest: it has no rival from AS 30.
    expect(med.kept).toContain(byFrom("30@london"));
    expect(d.best!.from.router).toBe("30@london");
    expect(d.decidedBy).toBe("ebgp-over-ibgp");
  });

  it("hot potato: with everything else equal, the nearest exit by IGP cost wins", () => {
    const net = simulate(DEFAULT_TOPOLOGY, DEFAULT_ANNOUNCEMENTS);
    const d = net.decision("3356@madrid", CLOUDFLARE_PREFIX);
    expect(d.decidedBy).toBe("igp-cost");
    expect(d.best!.nextHop).toBe("3356@london");
    const igp = d.steps.find((s) => s.rule === "igp-cost")!;
    expect(igp.values.map((v) => v.value)).toContain("1,263 km");
  });

  it("the lowest origin code wins when paths are equally long", () => {
    const t: Topology = {
      ases: [10, 20, 30, 40].map((asn) => ({ asn, name: `AS${asn}`, kind: "transit" as const, cities: ["london" as const] })),
      sessions: [
        { kind: "transit", provider: 10, customer: 20, city: "london" },
        { kind: "transit", provider: 10, customer: 30, city: "london" },
        { kind: "transit", provider: 20, customer: 40, city: "london" },
        { kind: "transit", provider: 30, customer: 40, city: "london" },
      ],
    };
    const net = new BgpNetwork(t);
    net.announce({ prefix: "192.0.2.0/24", asn: 40, origin: "incomplete" });
    net.run();
    expect(net.decision("10@london", "192.0.2.0/24").decidedBy).toBe("router-id");
    net.announce({ prefix: "198.51.100.0/24", asn: 20, origin: "incomplete" });
    net.announce({ prefix: "198.51.100.0/24", asn: 30, origin: "igp" });
    net.run();
    const d = net.decision("10@london", "198.51.100.0/24");
    expect(d.decidedBy).toBe("origin");
    expect(d.best!.asPath).toEqual([30]);
  });
});

describe("loop prevention, export policy, route servers", () => {
  const net = simulate(DEFAULT_TOPOLOGY, DEFAULT_ANNOUNCEMENTS);

  it("a router refuses a path that contains its own AS", () => {
    // Lumen hands Cloudflare's own prefix back to it (a customer gets everything); Cloudflare refuses it.
    const rejected = net.decision("13335@london", CLOUDFLARE_PREFIX).rejected;
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.reason === "as-path-loop" && r.route.asPath.includes(13335))).toBe(true);
  });

  it("valley-free: a tier-1 does not pass a peer's route to another peer (Arelion learns Cloudflare only via peers)", () => {
    for (const router of ["1299@london", "1299@new-york"]) {
      for (const r of net.decision(router, CLOUDFLARE_PREFIX).candidates) expect(r.learnedAs).toBe("peer");
    }
    // Cogent's routes to Cloudflare: never through Arelion, which would have to export a peer route to a peer.
    for (const r of net.decision("174@london", CLOUDFLARE_PREFIX).candidates) expect(r.asPath[0]).not.toBe(1299);
  });

  it("a route server adds no ASN and leaves the next hop alone (RFC 7947)", () => {
    const viaRs = net.decision("3215@paris", CLOUDFLARE_PREFIX).candidates.find((c) => c.from.viaRouteServer !== null)!;
    expect(viaRs.asPath).toEqual([13335]);
    expect(viaRs.nextHop).toBe("13335@paris");
    expect(viaRs.from.router).toBe("64510@paris");
    expect(net.forward("3215@paris", cf).hops.map((h) => h.router)).toEqual(["3215@paris", "13335@paris"]);
  });
});

describe("the FIB: longest-prefix match", () => {
  it("a more-specific prefix wins whatever the attributes of the shorter one's route", () => {
    const net = simulate(DEFAULT_TOPOLOGY, [...DEFAULT_ANNOUNCEMENTS, { prefix: "104.18.32.0/24", asn: 64500, prepend: 5 }]);
    const lookup = net.fibLookup("2516@tokyo", cf);
    expect(lookup.match).toBe("104.18.32.0/24");
    expect(lookup.route!.asPath.length).toBeGreaterThan(6);
    expect(lookup.checks.filter((c) => c.matches).map((c) => c.prefix)).toEqual(["104.18.32.0/24", "104.16.0.0/13"]);
    expect(net.forward("2516@tokyo", cf).deliveredAt).toBe("64500@madrid");
    expect(net.fibLookup("2516@tokyo", "104.19.0.1").match).toBe("104.16.0.0/13");
  });

  it("an AS that filters its own address space (RFC 7454 §6.1.3) keeps its addresses when someone announces a /24 inside them", () => {
    const hijack = [...DEFAULT_ANNOUNCEMENTS, { prefix: "104.18.32.0/24", asn: 64500 }];
    // Without the filter Cloudflare's own routers follow the more-specific like everyone else.
    const open = simulate(DEFAULT_TOPOLOGY, hijack);
    expect(open.forward("13335@london", cf).deliveredAt).toBe("64500@madrid");
    const filtered = simulate(DEFAULT_TOPOLOGY, hijack, { ownPrefixes: { 13335: ["104.16.0.0/13"] } });
    for (const router of filtered.routers.filter((r) => r.asn === 13335)) {
      expect(filtered.bestRoute(router.name, "104.18.32.0/24")).toBeNull();
      expect(filtered.forward(router.name, cf).deliveredAt).toBe(router.name);
      const rejected = filtered.decision(router.name, "104.18.32.0/24").rejected;
      expect(rejected.every((r) => r.reason === "own-prefix")).toBe(true);
    }
    // Nobody else is protected by Cloudflare's filter, and a prefix outside its space is accepted.
    expect(filtered.forward("2516@tokyo", cf).deliveredAt).toBe("64500@madrid");
    const outside = simulate(DEFAULT_TOPOLOGY, [...hijack, { prefix: "198.51.100.0/24", asn: 64500 }], { ownPrefixes: { 13335: ["104.16.0.0/13"] } });
    expect(outside.bestRoute("13335@london", "198.51.100.0/24")).not.toBeNull();
  });

  it("works for IPv6 prefixes too", () => {
    const net = simulate(DEFAULT_TOPOLOGY, [{ prefix: "2606:4700::/32", asn: 13335 }]);
    expect(net.fibLookup("2516@tokyo", "2606:4700::6810:84e5").match).toBe("2606:4700::/32");
    expect(canonicalPrefix("2606:4700:0:0::/32")).toBe("2606:4700::/32");
    expect(() => parsePrefix("104.16.0.1/13")).toThrow(/104\.16\.0\.0\/13/);
  });
});

describe("route-origin validation hook", () => {
  const hijack = { prefix: "104.18.32.0/24", asn: 64500 };
  const validator = (prefix: string, origin: number | null) =>
    prefix === "104.18.32.0/24" || prefix === CLOUDFLARE_PREFIX ? (origin === 13335 ? "Valid" as const : "Invalid" as const) : "NotFound" as const;

  it("drop-invalid refuses the Invalid route at import; depref-invalid keeps it at a lower preference; off ignores the state", () => {
    const drop = simulate(DEFAULT_TOPOLOGY, [...DEFAULT_ANNOUNCEMENTS, hijack], { validator, rov: { 3356: "drop-invalid" } });
    expect(drop.bestRoute("3356@madrid", hijack.prefix)).toBeNull();
    expect(drop.decision("3356@madrid", hijack.prefix).rejected[0]).toMatchObject({ reason: "rov-invalid" });
    expect(drop.forward("64500@madrid", cf).deliveredAt).toBe("64500@madrid");

    const depref = simulate(DEFAULT_TOPOLOGY, [...DEFAULT_ANNOUNCEMENTS, hijack], { validator, rov: { 2516: "depref-invalid" } });
    // KDDI has only the Invalid route for the /24, so it keeps it (lower preference does not remove the more-specific).
    expect(depref.bestRoute("2516@tokyo", hijack.prefix)).toMatchObject({ localPref: 50, rov: "Invalid" });

    const off = simulate(DEFAULT_TOPOLOGY, [...DEFAULT_ANNOUNCEMENTS, hijack], { validator });
    expect(off.bestRoute("2516@tokyo", hijack.prefix)).toMatchObject({ rov: "Invalid" });
    expect(off.bestRoute("2516@tokyo", CLOUDFLARE_PREFIX)).toMatchObject({ rov: "Valid" });
  });

  it("a forged origin (the attacker appends the victim's ASN) validates as the victim's", () => {
    const net = simulate(DEFAULT_TOPOLOGY, [...DEFAULT_ANNOUNCEMENTS, { ...hijack, pathSuffix: [13335] }], { validator, rov: { 3356: "drop-invalid" } });
    expect(net.bestRoute("3356@madrid", hijack.prefix)).toMatchObject({ asPath: [64500, 13335], rov: "Valid" });
  });
});

describe("anycast on the default internet", () => {
  const net = simulate(DEFAULT_TOPOLOGY, DEFAULT_ANNOUNCEMENTS);
  const outcomes = anycastOutcomes(net, CLOUDFLARE_PREFIX, cf, USER_ROUTERS);
  const by = (city: string) => outcomes.find((o) => o.city === city)!;

  it("the flagship's cities reach their own city's site, decided by local preference", () => {
    for (const city of ["paris", "tokyo", "sao-paulo", "new-york"]) expect(by(city)).toMatchObject({ reached: city, nearest: city, agrees: true, rule: "local-pref" });
  });

  it("Madrid reaches London, not the nearer Paris: hot potato inside its transit provider", () => {
    expect(by("madrid")).toMatchObject({ reached: "london", nearest: "paris", agrees: false, decidingRouter: "3356@madrid", rule: "igp-cost" });
    expect(by("madrid").why).toMatch(/hot potato/);
  });

  it("Johannesburg reaches Paris, though São Paulo is nearer: the AS path through the Paris route server is shorter", () => {
    expect(by("johannesburg")).toMatchObject({ reached: "paris", nearest: "sao-paulo", agrees: false, decidingRouter: "174@london", rule: "as-path-length" });
  });

  it("the nearest-site misconception is a model that can be run: it predicts Paris for Madrid", () => {
    const wrong = anycastOutcomes(net, CLOUDFLARE_PREFIX, cf, USER_ROUTERS, "anycast-nearest-site");
    expect(wrong.find((o) => o.city === "madrid")!.reached).toBe("paris");
  });

  it("withdrawing a site fails traffic over, and re-convergence matches a fresh run without it", () => {
    const live = simulate(DEFAULT_TOPOLOGY, DEFAULT_ANNOUNCEMENTS);
    live.withdraw(CLOUDFLARE_PREFIX, 13335, ["paris"]);
    live.run();
    const fresh = simulate(DEFAULT_TOPOLOGY, [{ prefix: CLOUDFLARE_PREFIX, asn: 13335, cities: ["london", "frankfurt", "tokyo", "singapore", "sao-paulo", "miami", "new-york", "los-angeles"] }, DEFAULT_ANNOUNCEMENTS[1]!]);
    for (const r of live.routers) expect(live.bestRoute(r.name, CLOUDFLARE_PREFIX)).toEqual(fresh.bestRoute(r.name, CLOUDFLARE_PREFIX));
    const paris = anycastOutcomes(live, CLOUDFLARE_PREFIX, cf, { paris: "3215@paris" })[0]!;
    expect(paris.reached).not.toBe("paris");
    expect(paris.reached).toBe(live.forward("3215@paris", cf).deliveredAt!.split("@")[1]);
    expect(live.decision("3215@paris", CLOUDFLARE_PREFIX).candidates.every((c) => c.learnedAs === "provider")).toBe(true);
  });
});

describe("bad input and policies that do not converge", () => {
  it("names the field that is wrong", () => {
    expect(() => simulate({ ...DEFAULT_TOPOLOGY, sessions: [...DEFAULT_TOPOLOGY.sessions, { kind: "peer", a: 3215, b: 2516, city: "paris" }] }, [])).toThrow(/sessions\[\d+\]\.city.*AS2516 has no router in paris/);
    expect(() => simulate(DEFAULT_TOPOLOGY, [{ prefix: "10.0.0.0/8", asn: 99 }])).toThrow(InputError);
  });

  it("stops a dispute wheel (Griffin's BAD GADGET) instead of running for ever", () => {
    // 1, 2, 3 each prefer the route through the next one round the ring over their own direct route.
    const t: Topology = {
      ases: [100, 1, 2, 3].map((asn) => ({ asn, name: `AS${asn}`, kind: "transit" as const, cities: ["london" as const] })),
      sessions: [
        { kind: "transit", provider: 1, customer: 100, city: "london" },
        { kind: "transit", provider: 2, customer: 100, city: "london" },
        { kind: "transit", provider: 3, customer: 100, city: "london" },
        { kind: "peer", a: 1, b: 2, city: "london" },
        { kind: "peer", a: 2, b: 3, city: "london" },
        { kind: "peer", a: 3, b: 1, city: "london" },
      ],
      policies: [{ at: 1, neighbor: 2, localPref: 400 }, { at: 2, neighbor: 3, localPref: 400 }, { at: 3, neighbor: 1, localPref: 400 }],
    };
    expect(() => simulate(t, [{ prefix: "192.0.2.0/24", asn: 100 }], { maxUpdates: 2000 })).toThrow(/did not converge/);
  });
});
