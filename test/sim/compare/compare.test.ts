/**
 * The with/without-Cloudflare comparison (`src/sim/edge/compare.ts`), checked against published
 * behaviour and against invariants that could break when the flagship's model changes underneath it
 * (anycast, timing, certificates): never against its own formulas.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareJourneys, COMPARE_SETTINGS, type Comparison, type CompareRowId } from "../../../src/sim/edge/compare";
import { isCloudflareAddress } from "../../../src/sim/edge/cloudflare";
import { computeTrace, getScenario, InputError } from "../../../src/sim/index";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const spec = (key: string) => getScenario("cloudflare-gke").params.find((p) => p.key === key)!.values.map((v) => v.value);
const settings = fc.record(Object.fromEntries(COMPARE_SETTINGS.map((k) => [k, fc.constantFrom(...spec(k))])) as Record<(typeof COMPARE_SETTINGS)[number], fc.Arbitrary<string>>);
const row = (c: Comparison, id: CompareRowId) => c.rows.find((r) => r.id === id)!;

describe("compareJourneys", () => {
  it("is a pure function of its settings and seed", () => {
    const a = JSON.stringify(compareJourneys({ city: "tokyo", connections: "cold" }, 7));
    expect(JSON.stringify(compareJourneys({ city: "tokyo", connections: "cold" }, 7))).toBe(a);
  });

  it("refuses the proxy setting (it sets it itself) and anything the flagship refuses", () => {
    expect(() => compareJourneys({ cloudflare: "on" })).toThrow(InputError);
    expect(() => compareJourneys({ city: "atlantis" })).toThrow(InputError);
  });

  it("proxied, DNS answers an address in Cloudflare's published ranges; DNS only, the load balancer's own (Cloudflare: proxy status)", () => {
    const c = compareJourneys();
    expect(isCloudflareAddress(c.figures.dnsWith)).toBe(true);
    expect(isCloudflareAddress(c.figures.dnsWithout)).toBe(false);
    // The address DNS hands out without the proxy is the one the GFE's packets are addressed to.
    const off = computeTrace("cloudflare-gke", c.traces.without!);
    const gfe = off.hops.find((h) => h.id === "request:gfe")!;
    const inner = gfe.in!.layers.filter((l) => l.kind === "ipv4").at(-1) as { dst: string };
    expect(inner.dst).toBe(c.figures.dnsWithout);
  });

  it("the user's address reaches the Pod in X-Forwarded-For: client first, then each proxy's peer, then the load balancer's address", () => {
    const c = compareJourneys({ city: "new-york" });
    const xff = (text: string) => /X-Forwarded-For: (.*)$/.exec(text)![1]!.split(", ");
    const withChain = xff(row(c, "client-address").with.text);
    const withoutChain = xff(row(c, "client-address").without.text);
    expect(withChain[0]).toBe(withoutChain[0]);
    expect(withChain).toHaveLength(3);
    expect(isCloudflareAddress(withChain[1]!)).toBe(true);
    expect(withChain[2]).toBe(c.figures.dnsWithout);
    expect(withoutChain).toEqual([withChain[0], c.figures.dnsWithout]);
  });

  it("a cache hit answers at Cloudflare's edge: faster than going to the origin, and Google is never on the path", () => {
    const c = compareJourneys({ city: "sao-paulo", region: "asia-northeast1", "cache-rule": "cache-everything", cache: "hit" });
    expect(c.figures.differenceMs).toBeLessThan(0);
    expect(row(c, "path").with.steps).not.toContain("request:google-router");
    expect(row(c, "outcome").with.steps).toEqual(["response:cf-edge"]);
  });

  it("origin lock-downs refuse a bypassing client behind the proxy, and refuse browsers once the proxy is gone", () => {
    for (const protection of ["cloud-armor", "mtls"]) {
      const c = compareJourneys({ "origin-protection": protection });
      expect(c.figures.lockdownBreaksWithout).toBe(true);
      expect(row(c, "lockdown").with.text).not.toMatch(/200 OK/);
      expect(row(c, "outcome").without.text).not.toMatch(/200 OK/);
      expect(c.traces["without-open"]?.["origin-protection"]).toBe("none");
    }
    const open = compareJourneys({ "origin-protection": "none" });
    expect(open.figures.lockdownBreaksWithout).toBe(false);
    expect(row(open, "exposed").with.text).toMatch(/200 OK/); // hidden from DNS, reachable all the same
  });

  it("with Cloud Armor in place, the proxied path meets two filters (Cloudflare's WAF, then Cloud Armor in the GFE)", () => {
    const c = compareJourneys({ "origin-protection": "cloud-armor" });
    expect(c.figures.wafWith).toEqual(["cf-edge", "gfe"]);
    expect(c.figures.wafWithout).toEqual([]);
  });

  it("holds its invariants for every combination of settings", () => {
    fc.assert(
      fc.property(settings, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (given, seed) => {
        const c = compareJourneys(given, seed);
        // Every cell names steps that exist in the trace it says it was read from.
        const hopIds = new Map(Object.entries(c.traces).map(([k, p]) => [k, new Set(computeTrace("cloudflare-gke", p, seed).hops.map((h) => h.id))]));
        for (const r of c.rows) {
          for (const side of [r.with, r.without]) {
            expect(hopIds.has(side.trace)).toBe(true);
            for (const s of side.steps) expect(hopIds.get(side.trace)!.has(s), `${r.id}: ${s} in ${side.trace}`).toBe(true);
          }
        }
        const cached = given["cache-rule"] === "cache-everything" && given.cache === "hit";
        const path = row(c, "path");
        const withIds = path.with.steps;
        const withoutIds = path.without.steps;
        if (!cached) {
          // Removing the proxy removes Cloudflare's devices and nothing of Google's or the cluster's.
          expect(withoutIds.filter((s) => !withIds.includes(s))).toEqual([]);
          expect(withIds.filter((s) => !withoutIds.includes(s)).every((s) => s.startsWith("request:cf-"))).toBe(true);
          // Every proxy that reads HTTP terminates TLS: Cloudflare's edge is one more.
          expect(c.figures.tlsWith).toBe(c.figures.tlsWithout + 1);
          // Cold, the proxy opens one more connection: TCP (1 round trip) + full TLS 1.3 handshake (1 more, RFC 8446 §2).
          if (given.connections === "cold") expect(row(c, "handshakes").with.value).toBe(row(c, "handshakes").without.value! + 2);
          // A proxy in the same city as Google's entry cannot make the trip shorter (the triangle inequality, plus its own work).
          const entries = row(c, "entry");
          if (!entries.differs) expect(c.figures.differenceMs).toBeGreaterThanOrEqual(0);
        } else {
          expect(c.figures.differenceMs).toBeLessThan(0);
        }
        // Without the proxy, Cloudflare's WAF is gone.
        expect(c.figures.wafWithout).not.toContain("cf-edge");
        expect(c.figures.wafWith[0]).toBe("cf-edge");
      }),
      { numRuns: RUNS },
    );
  });
});
