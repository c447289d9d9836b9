import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeTrace, getScenario, InputError, toCoreTrace } from "../../src/sim/index";
import type { Packet } from "../../src/sim/net/packet";
import { explainChanges } from "../../src/sim/net/packet-changes";

/**
 * The flagship over random settings and seeds: 100,000 runs (the quality-gates issue asks for at least
 * that many in CI). Each run must not throw, and every invariant a learner relies on must hold.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 100_000);
const scenario = getScenario("cloudflare-gke");
const hosts = fc.oneof(
  fc.constantFrom(...scenario.params.find((p) => p.key === "host")!.values.map((v) => v.value)),
  fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]([a-z0-9-]{0,10}[a-z0-9])?){0,3}\.example\.(com|net)$/),
);
const settings = fc.record(
  Object.fromEntries(scenario.params.map((p) => [p.key, p.key === "host" ? hosts : fc.constantFrom(...p.values.map((v) => v.value))])) as Record<string, fc.Arbitrary<string>>,
);
const seeds = fc.integer({ min: 0, max: 0xffffffff });

const ttlOf = (p: Packet | null) => p?.layers.filter((l) => l.kind === "ipv4").at(-1);

describe(`the flagship journey over ${RUNS.toLocaleString("en")} random settings and seeds`, () => {
  it("always yields a whole, consistent trace", () => {
    fc.assert(
      fc.property(settings, seeds, (params, seed) => {
        const trace = computeTrace("cloudflare-gke", params, seed);
        const { hops } = trace;
        // A journey starts at the browser and ends there, with nothing arriving first or leaving last.
        expect(hops[0]!.id).toBe("request:browser");
        expect(hops[0]!.in).toBeNull();
        expect(hops.at(-1)!.id).toBe("response:browser");
        expect(hops.at(-1)!.out).toBeNull();
        const ids = new Set<string>();
        for (let i = 0; i < hops.length; i++) {
          const hop = hops[i]!;
          expect(ids.has(hop.id)).toBe(false);
          ids.add(hop.id);
          // What a hop receives is exactly what the one before it sent. Where the request turns into
          // the response, the answer starts afresh — except a TLS alert, sent by the device that ended
          // the handshake, whose hop consumed the request (the outcome names it).
          const previous = hops[i - 1];
          if (previous && previous.direction === hop.direction) expect(hop.in).toEqual(previous.out);
          else if (previous) expect(hop.in === null || (previous.out === null && hop.in.layers.some((l) => l.kind === "tls" && l.alert !== undefined))).toBe(true);
          expect(hop.timeMs).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(hop.timeMs)).toBe(true);
          // TTL: routers only lower it; only a device that builds a packet anew (a proxy, a tunnel's
          // outer header, an answering host) starts one at 64.
          if (hop.in && hop.out && hop.device.kind === "router") {
            const c = explainChanges(hop.in, hop.out);
            expect(c.ttlOnly || c.kind === "untouched").toBe(true);
            expect(ttlOf(hop.out)!.ttl).toBeLessThan(ttlOf(hop.in)!.ttl);
          }
        }
        // The core trace: its outcome names a step that exists, and the browser gets what that step says.
        const core = toCoreTrace(trace);
        expect(core.steps.some((s) => s.id === core.outcome.at)).toBe(true);
        expect(core.outcome.status).toMatch(/^(\d{3} |TLS alert )/);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);

  it("answers any text typed as the Host with a trace or an InputError, never anything else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), seeds, (host, seed) => {
        try {
          computeTrace("cloudflare-gke", { host }, seed);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: Math.max(1000, Math.floor(RUNS / 10)) },
    );
  });

  it("is deterministic: the same settings and seed give the same trace, byte for byte", () => {
    fc.assert(
      fc.property(settings, seeds, (params, seed) => {
        expect(JSON.stringify(computeTrace("cloudflare-gke", params, seed))).toBe(JSON.stringify(computeTrace("cloudflare-gke", params, seed)));
      }),
      { numRuns: Math.max(100, Math.floor(RUNS / 100)) },
    );
  });
});
