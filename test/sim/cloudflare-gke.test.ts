import { describe, expect, it } from "vitest";
import {
  cidrContains, computeTrace, EVENT_TYPES, eventsOfType, formatFiveTuple, getScenario, hopsOf, InputError, parameterSpace,
  parseCidr, parseIpv4, totalMs, type Hop, type HttpLayer, type Trace, type TraceEvent,
} from "../../src/sim/index";
import type { AnycastRouteEvent } from "../../src/sim/edge/anycast";
import { CLOUDFLARE_SITES, gfeSourceAddress, GOOGLE_EDGE_SITES, isCloudflareAddress } from "../../src/sim/scenarios/cloudflare-gke";

const scenario = getScenario("cloudflare-gke");
const combos = parameterSpace(scenario);
const label = (p: Record<string, string>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(" ");
const trace = (params: Record<string, string> = {}, seed = 0) => computeTrace("cloudflare-gke", params, seed);

const request = (t: Trace) => hopsOf(t, "request");
const response = (t: Trace) => hopsOf(t, "response");
const hop = (t: Trace, id: string, direction: "request" | "response" = "request") => t.hops.find((h) => h.device.id === id && h.direction === direction);
const reachesPod = (t: Trace) => hop(t, "pod") !== undefined;
const httpAtBrowser = (t: Trace) => t.hops.at(-1)!.in?.layers.find((l): l is HttpLayer => l.kind === "http") ?? null;
const events = <T extends TraceEvent["type"]>(h: Hop | undefined, type: T) => (h?.events ?? []).filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
const PROXY_RANGES = ["35.191.0.0/16", "130.211.0.0/22"].map(parseCidr);
const inProxyRanges = (address: string) => PROXY_RANGES.some((r) => cidrContains(r, parseIpv4(address)));

describe("cloudflare-gke: invariants over every parameter combination", () => {
  it("has the combinations its parameters imply", () => {
    expect(combos).toHaveLength(scenario.params.reduce((n, p) => n * p.values.length, 1));
  });

  // One pass over the whole space; each check records the combination it failed for.
  const failures: string[] = [];
  const check = (ok: boolean, what: string, params: Record<string, string>) => {
    if (!ok && failures.length < 20) failures.push(`${what} — ${label(params)}`);
  };
  for (const params of combos) {
    const t = trace(params);
    const terminations = eventsOfType(t, "tls-terminate");
    check(terminations.every((x, i) => x.event.ordinal === i + 1), "TLS terminations are numbered in order", params);
    check(eventsOfType(t, "dnat").length === 0 && eventsOfType(t, "snat").length === 0, "the NEG path never translates an address", params);

    // The way back retraces the way in, less the L4 balancers (Maglev and Unimog answer by direct server return).
    const forward = request(t).map((h) => h.device.id);
    const back = response(t).map((h) => h.device.id);
    check(JSON.stringify(back) === JSON.stringify([...forward].reverse().filter((id) => id !== "maglev" && id !== "cf-unimog")), "response retraces the request less the L4 balancers", params);
    check(response(t).every((h) => h.leg === 5), "every response hop is leg 5", params);

    // Packets line up: what one hop sends is what the next receives.
    for (let i = 1; i < t.hops.length; i++) {
      const [a, b] = [t.hops[i - 1]!, t.hops[i]!];
      if (b.in !== null && a.out !== null) check(JSON.stringify(a.out) === JSON.stringify(b.in), `hop ${i + 1} receives what hop ${i} sent`, params);
    }

    // Warm connections unless told otherwise; the node's conntrack entry is never created by the request.
    check((eventsOfType(t, "handshake").length > 0) === (params.connections === "cold" && reachesPod(t)) || params.connections === "cold", "no handshakes on warm connections", params);
    check(eventsOfType(t, "conntrack").every((c) => c.event.state === "established"), "the node's conntrack entry is already established", params);

    // cf-cache-status at the browser says what the cache lookup said, whenever Cloudflare relays or serves.
    const lookup = eventsOfType(t, "cache").find((c) => c.hop.direction === "request")?.event.result;
    const header = httpAtBrowser(t)?.cacheStatus;
    const cloudflareError = /^52[56]/.test(httpAtBrowser(t)?.status ?? "");
    if (params.cloudflare === "on" && lookup && !cloudflareError) check(header === lookup, `cf-cache-status ${header} matches the lookup ${lookup}`, params);
    if (params.cloudflare !== "on") check(header === undefined && lookup === undefined, "no Cloudflare cache without Cloudflare", params);
    if (params["cache-rule"] === "none" && lookup) check(lookup === "DYNAMIC", "without a Cache Rule the page is DYNAMIC", params);
    for (const { event } of eventsOfType(t, "cache")) {
      if (event.result === "STORE") check(params["cache-rule"] === "cache-everything", "only an eligible response is stored", params);
    }

    // An unhealthy Pod is never chosen; with none healthy, none is chosen.
    for (const { event } of eventsOfType(t, "lb-select")) {
      if (event.layer !== "L7") continue;
      if (params["pod-health"] === "all-unhealthy") check(event.chosen === null, "no backend picked when all fail", params);
      else check(event.chosen !== null && event.candidates.some((c) => c.id === event.chosen && c.detail.endsWith("healthy") && !c.detail.includes("failing")), "a healthy candidate is chosen", params);
      if (params["pod-health"] === "target-unhealthy") check(event.chosen !== "10.4.1.5:8080", "the failing Pod is skipped", params);
    }

    // The Pod sees a GFE address from one of the two proxy ranges.
    const podIn = hop(t, "pod")?.in?.layers[0];
    if (podIn?.kind === "ipv4") check(inProxyRanges(podIn.src), `Pod source ${podIn.src} is a proxy address`, params);
  }

  it("holds for all of them", () => {
    expect(failures).toEqual([]);
  });

  it("uses only the event vocabulary", () => {
    const used = new Set(combos.slice(0, 3000).flatMap((p) => trace(p).hops.flatMap((h) => h.events.map((e) => e.type))));
    for (const type of used) expect(EVENT_TYPES).toContain(type);
  });
});

describe("the flagship trace", () => {
  const t = trace();

  it("visits the devices of the five legs in order, Unimog and Google's edge router included", () => {
    expect(request(t).map((h) => [h.leg, h.device.id])).toEqual([
      [1, "browser"], [1, "isp-router"], [1, "cf-unimog"], [1, "cf-edge"], [2, "cf-router"], [3, "google-router"], [3, "maglev"],
      [3, "gfe"], [4, "backbone"], [4, "node"], [4, "pod"],
    ]);
  });

  it("counts every load-balancing decision: ECMP twice, Unimog, Maglev and the GFE", () => {
    const lb = eventsOfType(t, "lb-select").map((x) => [x.hop.device.id, x.event.layer]);
    expect(lb).toEqual([["cf-unimog", "L3"], ["cf-unimog", "L4"], ["google-router", "L3"], ["maglev", "L4"], ["gfe", "L7"]]);
    const direct = eventsOfType(trace({ cloudflare: "off" }), "lb-select").map((x) => x.event.layer);
    expect(direct).toEqual(["L3", "L4", "L7"]);
    const unimog = events(hop(t, "cf-unimog"), "lb-select")[1]!;
    expect(unimog.algorithm).toMatch(/Unimog.*XDP/);
  });

  it("delivers to a Pod with the destination untouched since the GFE, from a GFE proxy address", () => {
    const gfe = hop(t, "gfe")!;
    const pod = hop(t, "pod")!;
    const dst = (gfe.out!.layers[0] as { dst: string }).dst;
    expect(["10.4.1.5", "10.4.2.7", "10.4.3.9"]).toContain(dst);
    expect(pod.in!.layers[0]).toMatchObject({ kind: "ipv4", dst });
    expect(pod.in!.layers.some((l) => l.kind === "tls")).toBe(false);
  });

  it("carries the user's address to the Pod only in X-Forwarded-For", () => {
    expect(hop(t, "pod")!.in!.layers.at(-1)).toMatchObject({ kind: "http", forwardedFor: "198.51.100.23, 162.158.84.17, 34.98.10.5" });
    expect(hop(trace({ cloudflare: "off" }), "pod")!.in!.layers.at(-1)).toMatchObject({ forwardedFor: "198.51.100.23, 34.98.10.5" });
  });

  it("names flows with formatFiveTuple, read back from the packet the node tracks", () => {
    const node = hop(t, "node")!;
    const [l3, l4] = node.out!.layers as unknown as [{ src: string; dst: string }, { srcPort: number; dstPort: number }];
    const tuple = formatFiveTuple({ protocol: "tcp", srcIp: l3.src, srcPort: l4.srcPort, dstIp: l3.dst, dstPort: l4.dstPort });
    expect(events(node, "conntrack")[0]!.tuple).toBe(tuple);
  });

  it("resolves DNS to Cloudflare with the proxy on and to Google without it", () => {
    expect(eventsOfType(t, "dns-resolve")[0]!.event.answer).toBe("104.18.32.7");
    expect(eventsOfType(trace({ cloudflare: "off" }), "dns-resolve")[0]!.event.answer).toBe("34.98.10.5");
    expect(eventsOfType(trace({ cloudflare: "bypassed" }), "dns-resolve")).toHaveLength(0);
  });

  it("encapsulates three ways: GUE inside Cloudflare, GRE from Maglev, Geneve across the VPC", () => {
    const protocols = eventsOfType(t, "encap").map((e) => [e.hop.device.id, e.event.protocol]);
    expect(protocols).toContainEqual(["maglev", "gre"]);
    expect(protocols).toContainEqual(["backbone", "geneve"]);
    expect(hop(t, "maglev")!.out!.layers.map((l) => l.kind)).toEqual(["ipv4", "gre", "ipv4", "tcp", "tls", "http"]);
    // Unimog encapsulates only when the server the router chose does not own the connection.
    const seeds = Array.from({ length: 20 }, (_, s) => trace({}, s));
    expect(seeds.some((x) => events(hop(x, "cf-unimog"), "encap")[0]?.protocol === "gue")).toBe(true);
  });

  it("crosses the ocean on Google's backbone: never faster than light in fibre over a published distance", () => {
    // Paris–Tokyo is about 9,710 km great-circle (a published figure, not the model's own computation).
    const tokyo = trace({ region: "asia-northeast1" });
    const backbone = events(hop(tokyo, "backbone"), "forward")[0]!;
    expect(backbone.distanceKm).toBeGreaterThan(9600);
    expect(backbone.distanceKm).toBeLessThan(9800);
    expect(totalMs(request(tokyo))).toBeGreaterThanOrEqual(9600 / 200);
    expect(totalMs(response(tokyo))).toBeGreaterThanOrEqual(9600 / 200);
  });

  it("puts the Pod elsewhere when the backend region changes", () => {
    const eu = trace({ region: "europe-west1" });
    expect(hop(eu, "node")!.device.location).toBe("saint-ghislain");
    expect(totalMs(request(eu))).toBeLessThan(totalMs(request(t)));
  });
});

describe("issue 5.1: Cloudflare caching", () => {
  it("answers / DYNAMIC without a Cache Rule, whatever Cache-Control says and whatever the cache setting", () => {
    for (const cache of ["miss", "hit", "expired"]) {
      const t = trace({ cache });
      expect(events(hop(t, "cf-edge"), "cache")[0]).toMatchObject({ result: "DYNAMIC" });
      expect(reachesPod(t)).toBe(true);
      expect(httpAtBrowser(t)).toMatchObject({ status: "200 OK", cacheControl: "public, max-age=60", cacheStatus: "DYNAMIC" });
      expect(eventsOfType(t, "cache").some((c) => c.event.result === "STORE")).toBe(false);
    }
  });

  it("with Cache Everything: MISS stores for the origin's max-age, HIT answers at the edge, EXPIRED refetches", () => {
    const miss = trace({ "cache-rule": "cache-everything" });
    expect(httpAtBrowser(miss)).toMatchObject({ cacheStatus: "MISS" });
    expect(events(hop(miss, "cf-edge", "response"), "cache")[0]).toMatchObject({ result: "STORE", ttlSeconds: 60 });
    const hit = trace({ "cache-rule": "cache-everything", cache: "hit" });
    expect(request(hit).at(-1)!.device.id).toBe("cf-edge");
    expect(httpAtBrowser(hit)).toMatchObject({ status: "200 OK", cacheStatus: "HIT" });
    const expired = trace({ "cache-rule": "cache-everything", cache: "expired" });
    expect(reachesPod(expired)).toBe(true);
    expect(httpAtBrowser(expired)).toMatchObject({ cacheStatus: "EXPIRED" });
  });

  it("stores the default backend's 404 (3 minutes) only where the page is eligible, and never a 502", () => {
    const eligible = trace({ "cache-rule": "cache-everything", host: "api.example.com" });
    expect(events(hop(eligible, "cf-edge", "response"), "cache")[0]).toMatchObject({ result: "STORE", ttlSeconds: 180 });
    const dynamic = trace({ host: "api.example.com" });
    expect(events(hop(dynamic, "cf-edge", "response"), "cache")[0]).toMatchObject({ result: "DYNAMIC" });
    const bad = trace({ "cache-rule": "cache-everything", "pod-health": "all-unhealthy" });
    expect(events(hop(bad, "cf-edge", "response"), "cache")[0]).toMatchObject({ result: "MISS" });
    expect(httpAtBrowser(bad)).toMatchObject({ status: "502 Bad Gateway", cacheStatus: "MISS" });
  });
});

describe("issue 5.2: the classic Application Load Balancer", () => {
  const l7 = (t: Trace) => eventsOfType(t, "lb-select").find((x) => x.event.layer === "L7")!.event;

  it("says which load balancer GKE Ingress provisions", () => {
    expect(scenario.description).toContain("classic Application Load Balancer");
    expect(l7(trace()).algorithm).toMatch(/RATE.*waterfall by region.*zonal NEGs/);
  });

  it("lets each GFE choose on its own: no round-robin sequence across seeds, every healthy Pod used", () => {
    const chosen = Array.from({ length: 60 }, (_, seed) => l7(trace({}, seed)).chosen);
    const pods = ["10.4.1.5:8080", "10.4.2.7:8080", "10.4.3.9:8080"];
    expect(chosen.every((c, seed) => c === pods[seed % 3])).toBe(false);
    for (const p of pods) expect(chosen.filter((c) => c === p).length).toBeGreaterThan(8);
    expect(l7(trace()).why).toContain("no shared round-robin counter");
  });

  it("names the 502 as the classic load balancer logs it", () => {
    const t = trace({ "pod-health": "all-unhealthy" });
    expect(events(hop(t, "gfe", "response"), "respond")[0]).toMatchObject({ status: "502 Bad Gateway", by: expect.stringContaining("failed_to_pick_backend") });
  });
});

describe("issue 5.3: proxy source ranges and the Ingress firewall rule", () => {
  it("sends proxied traffic from both 35.191.0.0/16 and 130.211.0.0/22", () => {
    const sources = Array.from({ length: 40 }, (_, seed) => (hop(trace({}, seed), "pod")!.in!.layers[0] as { src: string }).src);
    expect(sources.every(inProxyRanges)).toBe(true);
    expect(sources.some((s) => s.startsWith("35.191."))).toBe(true);
    expect(sources.some((s) => s.startsWith("130.211."))).toBe(true);
    expect(gfeSourceAddress("gfe-par-1")).toBe(gfeSourceAddress("gfe-par-1"));
  });

  it("lets them in by the rule ingress-gce creates, and says health checks use the same ranges", () => {
    const t = trace();
    const rule = eventsOfType(t, "firewall")[0]!.event;
    expect(rule.rule).toMatch(/^k8s-fw-l7--[0-9a-f]{16}$/);
    expect(rule.sources).toBe("35.191.0.0/16, 130.211.0.0/22");
    expect(eventsOfType(t, "health-check")[0]!.event.probeSources).toBe("35.191.0.0/16 and 130.211.0.0/22");
  });
});

describe("issue 5.4 and 5.8: the load balancer's certificate behind the orange cloud", () => {
  const originate = (t: Trace) => eventsOfType(t, "tls-originate")[0]?.event;

  it("works by default, proxied or not, with a Certificate Manager certificate", () => {
    expect(reachesPod(trace())).toBe(true);
    expect(reachesPod(trace({ cloudflare: "off" }))).toBe(true);
    expect(originate(trace())).toMatchObject({ verified: true });
  });

  it("accepts a Cloudflare Origin CA certificate in Full (strict), which a browser going direct refuses", () => {
    const t = trace({ "origin-cert": "origin-ca" });
    expect(originate(t)).toMatchObject({ verified: true, verification: expect.stringContaining("Origin CA, which strict mode accepts") });
    expect(originate(t)!.verification).toMatch(/unexpired, and names www\.example\.com/);
    const direct = trace({ cloudflare: "off", "origin-cert": "origin-ca" });
    expect(reachesPod(direct)).toBe(false);
    expect(events(direct.hops.at(-1), "tls-alert")[0]).toMatchObject({ alert: "unknown_ca (48)", sentBy: "browser" });
  });

  it("shows what a ManagedCertificate created while proxied gives the user: Cloudflare's 525", () => {
    const t = trace({ "origin-cert": "managed-proxied" });
    expect(reachesPod(t)).toBe(false);
    expect(originate(t)).toMatchObject({ verified: false, verification: expect.stringContaining("FAILED_NOT_VISIBLE") });
    expect(httpAtBrowser(t)).toMatchObject({ status: "525 SSL Handshake Failed" });
    expect(reachesPod(trace({ "origin-cert": "managed-issued-dns-only" }))).toBe(true);
  });

  it("refuses a certificate that does not cover the name with 526", () => {
    const t = trace({ "origin-cert": "managed-issued-dns-only", host: "shop.example.com" });
    expect(httpAtBrowser(t)).toMatchObject({ status: "526 Invalid SSL Certificate" });
  });
});

describe("issue 5.5: the bypass, and what closes it", () => {
  it("reaches the Pod straight from the client when nothing closes it", () => {
    const t = trace({ cloudflare: "bypassed" });
    expect(request(t).map((h) => h.device.id)).not.toContain("cf-edge");
    expect(reachesPod(t)).toBe(true);
    expect(hop(t, "pod")!.in!.layers.at(-1)).toMatchObject({ forwardedFor: "198.51.100.23, 34.98.10.5" });
  });

  it("is refused 403 by a Cloud Armor allow-list of Cloudflare's ranges, which lets Cloudflare through", () => {
    const t = trace({ cloudflare: "bypassed", "origin-protection": "cloud-armor" });
    expect(reachesPod(t)).toBe(false);
    expect(httpAtBrowser(t)).toMatchObject({ status: "403 Forbidden" });
    expect(eventsOfType(t, "waf")[0]!.event).toMatchObject({ verdict: "block" });
    expect(reachesPod(trace({ "origin-protection": "cloud-armor" }))).toBe(true);
    expect(isCloudflareAddress("162.158.84.17")).toBe(true);
    expect(isCloudflareAddress("198.51.100.23")).toBe(false);
    // The policy sits on the web Service's backend service; the default backend is not covered.
    expect(httpAtBrowser(trace({ cloudflare: "bypassed", "origin-protection": "cloud-armor", host: "api.example.com" }))).toMatchObject({ status: "404 Not Found" });
  });

  it("fails the handshake under authenticated origin pulls, which Cloudflare passes", () => {
    const t = trace({ cloudflare: "bypassed", "origin-protection": "mtls" });
    expect(reachesPod(t)).toBe(false);
    expect(events(hop(t, "gfe"), "tls-alert")[0]).toMatchObject({ alert: "certificate_required (116)" });
    expect(reachesPod(trace({ "origin-protection": "mtls" }))).toBe(true);
  });
});

describe("issue 5.6: warm connections by default, a cold start at its real cost", () => {
  it("opens nothing on the default trace and reuses the GFE's backend connection", () => {
    const t = trace();
    expect(eventsOfType(t, "handshake")).toHaveLength(0);
    expect(events(hop(t, "gfe"), "forward")[0]!.via).toContain("kept-alive");
    expect(events(hop(t, "node"), "conntrack")[0]).toMatchObject({ state: "established" });
  });

  it("charges two round trips per TLS segment and one for the GFE's plain-HTTP connection", () => {
    const cold = trace({ connections: "cold" });
    const shakes = eventsOfType(cold, "handshake").map((x) => [x.hop.device.id, x.event.protocol, x.event.roundTrips]);
    expect(shakes).toEqual([["browser", "tcp+tls1.3", 2], ["cf-edge", "tcp+tls1.3", 2], ["gfe", "tcp", 1]]);
    const gfeToPod = eventsOfType(cold, "handshake").at(-1)!.event;
    expect(gfeToPod.rttMs).toBeGreaterThan(70); // Paris to Iowa and back
    const extra = totalMs(request(cold)) - totalMs(request(trace()));
    const charged = eventsOfType(cold, "handshake").reduce((s, x) => s + x.event.roundTrips * x.event.rttMs, 0);
    expect(extra).toBeCloseTo(charged, 2);
  });
});

describe("issue 5.7: the node routes each Pod by a /32 to its veth", () => {
  it("prints the route as the node holds it, not a /24", () => {
    const via = events(hop(trace(), "node"), "forward")[0]!.via;
    expect(via).toMatch(/^route 10\.4\.\d\.\d dev gke[0-9a-f]{11} scope link/);
    expect(via).not.toMatch(/\/24/);
    expect(via).toContain("Dataplane V2");
  });
});

describe("issue 5.9 / 8: anycast is BGP best-path selection on the simulated internet", () => {
  it("the ISP's choice is decided by local preference (its peer beats its transit provider), Cloudflare's by eBGP over iBGP", () => {
    const [isp, cf] = eventsOfType(trace({ city: "tokyo" }), "anycast-route").map((x) => x.event as AnycastRouteEvent);
    expect(isp!.rule).toBe("local-pref");
    expect(isp!.why).toContain("local preference decides");
    expect(isp!.chosen).toBe("tokyo");
    // KDDI holds two routes: the private interconnect with Cloudflare (peer) and one through NTT (its provider).
    expect(isp!.candidates.map((c) => c.learnedFrom)).toEqual(["peer", "transit"]);
    expect([...isp!.sites].sort()).toEqual([...CLOUDFLARE_SITES].sort());
    expect(cf!.rule).toBe("ebgp-over-ibgp");
    expect(cf!.why).toContain("eBGP beats iBGP");
    // One route per Google site: the local interconnect over eBGP, the others over iBGP from Cloudflare's other sites.
    expect(new Set(cf!.candidates.map((c) => c.site))).toEqual(new Set(GOOGLE_EDGE_SITES));
    expect(cf!.candidates[0]).toMatchObject({ site: "tokyo", session: "ebgp", asPath: [15169] });
  });

  it("names the router, the path and the nearest site; BGP's choice matches geography in the flagship's four cities", () => {
    for (const city of ["paris", "tokyo", "sao-paulo", "new-york"]) {
      for (const cloudflare of ["on", "off"]) {
        const [first] = eventsOfType(trace({ city, cloudflare }), "anycast-route").map((x) => x.event as AnycastRouteEvent);
        expect(first!.chosen).toBe(city);
        expect(first!.nearestSite).toBe(city);
        expect(first!.path.at(-1)).toBe(`${cloudflare === "on" ? 13335 : 15169}@${city}`);
      }
    }
  });
});

describe("a free Host", () => {
  it("takes any DNS name, normalised, and lets the URL map decide", () => {
    const t = trace({ host: "Shop.Example.com." });
    expect(t.params.host).toBe("shop.example.com");
    expect(eventsOfType(t, "url-map")[0]!.event).toMatchObject({ host: "shop.example.com", matchedRule: null });
    expect(httpAtBrowser(t)).toMatchObject({ status: "404 Not Found" });
  });

  it("fails at Cloudflare's edge for a name no edge certificate covers (two labels under a one-label wildcard)", () => {
    const t = trace({ host: "a.b.example.com" });
    expect(request(t).at(-1)!.device.id).toBe("cf-edge");
    expect(eventsOfType(t, "tls-alert")[0]!.event.why).toContain("exactly one label");
  });

  it.each([
    ["exa mple.com", 'label 1 ("exa mple") has " "'],
    ["localhost", "at least two labels"],
    ["-bad.example.com", "starts or ends with a hyphen"],
    ["10.0.0.1", "IP address"],
    ["", "no host name given"],
  ])("rejects %j with a reason naming the parameter", (host, reason) => {
    expect(() => trace({ host })).toThrow(InputError);
    expect(() => trace({ host })).toThrow(new RegExp(`^host=.*${reason.replace(/[()"]/g, ".")}`));
  });
});

describe("determinism and inputs", () => {
  it("gives the same trace byte for byte for the same parameters and seed", () => {
    expect(JSON.stringify(trace({ city: "tokyo" }, 42))).toBe(JSON.stringify(trace({ city: "tokyo" }, 42)));
    expect(JSON.stringify(trace({}, 0))).not.toBe(JSON.stringify(trace({}, 1)));
  });

  it("rejects unknown scenarios, parameters and values with a reason", () => {
    expect(() => computeTrace("nope")).toThrow(/no such scenario; there is cloudflare-gke/);
    expect(() => trace({ town: "paris" })).toThrow(/has no parameter "town"/);
    expect(() => trace({ city: "lyon" })).toThrow(/city must be one of paris, tokyo, sao-paulo, new-york/);
    expect(() => computeTrace("cloudflare-gke", {}, -1)).toThrow(/a seed is a whole number/);
  });

  it("still reads every old permalink value", () => {
    for (const [key, value] of [["cache", "hit"], ["cache", "miss"], ["cloudflare", "off"], ["host", "api.example.com"]] as const) {
      expect(() => trace({ [key]: value })).not.toThrow();
    }
  });
});
