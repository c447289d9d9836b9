import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { onlyStages } from "../../src/sim/core/trace";
import { computeTrace, getScenario, toCoreTrace } from "../../src/sim/index";
import type { Packet } from "../../src/sim/net/packet";
import { changeLines, explainChanges } from "../../src/sim/net/packet-changes";
import { packetFields } from "../../src/sim/net/packet-diff";
import { journeyMap, stepChanges, stepNotes } from "../../src/sim/scenarios/journey-view";

const scenario = getScenario("cloudflare-gke");
/** Any combination of the flagship's settings (the Host among its suggestions) and a seed. */
const settings = fc.record(Object.fromEntries(scenario.params.map((p) => [p.key, fc.constantFrom(...p.values.map((v) => v.value))])) as Record<string, fc.Arbitrary<string>>);
const traces = fc.tuple(settings, fc.nat(1000)).map(([params, seed]) => toCoreTrace(computeTrace("cloudflare-gke", params, seed)));
const packets = (step: { in: unknown; out: unknown }) => ({
  before: step.in ? ({ layers: (step.in as { layers: Packet["layers"] }).layers } as Packet) : null,
  after: step.out ? ({ layers: (step.out as { layers: Packet["layers"] }).layers } as Packet) : null,
});

const base: Packet = {
  layers: [
    { kind: "ipv4", src: "10.0.0.1", dst: "10.96.0.10", ttl: 64 },
    { kind: "tcp", srcPort: 40000, dstPort: 80 },
    { kind: "http", requestLine: "GET /", host: "svc" },
  ],
};
const withIp = (p: Packet, change: Partial<{ src: string; dst: string; ttl: number }>): Packet => ({
  layers: p.layers.map((l) => (l.kind === "ipv4" ? { ...l, ...change } : l)),
});

describe("explainChanges: what kind of change a device made", () => {
  it("calls a DNAT and an SNAT rewrites in place, never a proxy's new connection", () => {
    const dnat = explainChanges(base, withIp(base, { dst: "10.4.1.5" }));
    expect(dnat.kind).toBe("forwarded");
    expect(dnat.changed.map((r) => [r.field, r.treatment])).toEqual([["dst", "rewritten"]]);
    const snat = explainChanges(base, withIp(base, { src: "10.128.0.2" }));
    expect(snat.changed.map((r) => r.treatment)).toEqual(["rewritten"]);
  });

  it("calls a change of both ends a proxy's new connection", () => {
    const proxied = explainChanges(base, {
      layers: [
        { kind: "ipv4", src: "35.191.0.9", dst: "10.4.1.5", ttl: 64 },
        { kind: "tcp", srcPort: 51000, dstPort: 8080 },
        { kind: "http", requestLine: "GET /", host: "svc" },
      ],
    });
    expect(proxied.kind).toBe("proxied");
    expect(new Set(proxied.changed.map((r) => r.treatment))).toEqual(new Set(["proxied"]));
  });

  it("keeps a removed outer header where it was, outermost first", () => {
    const inner = withIp(base, { ttl: 63 });
    const wrapped: Packet = { layers: [{ kind: "ipv4", src: "192.0.2.1", dst: "192.0.2.2", ttl: 64 }, { kind: "udp", srcPort: 5000, dstPort: 6081 }, { kind: "geneve", vni: 7 }, ...inner.layers] };
    const out = explainChanges(wrapped, inner);
    expect(out.changed.map((r) => `${r.layer} ${r.field} ${r.treatment}`).slice(0, 6)).toEqual([
      "outer ipv4 src removed", "outer ipv4 dst removed", "outer ipv4 ttl removed", "udp srcPort removed", "udp dstPort removed", "geneve vni removed",
    ]);
    expect(changeLines(out).map((l) => [l.label, l.whole])).toEqual([["outer ipv4", true], ["udp", true], ["geneve", true]]);
  });

  it("accounts for every field of both packets exactly once, in the packet's own order", () => {
    fc.assert(
      fc.property(traces, (trace) => {
        for (const step of trace.steps) {
          const { before, after } = packets(step);
          const c = explainChanges(before, after);
          const rows = [...c.changed, ...c.unchanged];
          const keys = new Set([...(before ? packetFields(before) : []), ...(after ? packetFields(after) : [])].map((f) => `${f.layer}.${f.field}`));
          expect(rows.length).toBe(keys.size);
          expect(new Set(rows.map((r) => `${r.layer}.${r.field}`))).toEqual(keys);
          // Within the changed rows and within the unchanged ones, the outgoing packet's fields keep its own order (outer to inner).
          if (after) {
            const order = packetFields(after).map((f) => `${f.layer}.${f.field}`);
            for (const list of [c.changed, c.unchanged]) {
              const at = list.map((r) => order.indexOf(`${r.layer}.${r.field}`)).filter((i) => i >= 0);
              expect(at).toEqual([...at].sort((a, b) => a - b));
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("the flagship through that lens", () => {
  it("routers only ever decrement the TTL; proxies never rewrite in place", () => {
    fc.assert(
      fc.property(traces, (trace) => {
        for (const step of trace.steps) {
          const c = stepChanges(step);
          if (step.node.kind === "router" && step.in && step.out) expect(c.ttlOnly || c.kind === "untouched").toBe(true);
          if ((step.node.kind === "cdn-edge" || step.node.kind === "gfe") && step.in && step.out) {
            expect(c.kind).toBe("proxied");
            expect(c.changed.some((r) => r.treatment === "rewritten")).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("says at the node that nothing DNATs (container-native NEG), and the destination is indeed unchanged", () => {
    fc.assert(
      fc.property(traces, (trace) => {
        const node = trace.steps.find((s) => s.id === "request:node");
        if (!node) return;
        const { before, after } = packets(node);
        const dst = (p: Packet | null) => p?.layers.filter((l) => l.kind === "ipv4").at(-1);
        expect(dst(after)?.kind === "ipv4" && dst(before)?.kind === "ipv4" ? (dst(after) as { dst: string }).dst : null).toBe((dst(before) as { dst: string }).dst);
        expect(stepNotes(node).join(" ")).toMatch(/Destination unchanged.*no.*DNAT|nothing here DNATs/);
      }),
      { numRuns: 100 },
    );
  });

  it("draws every device at one scale, links only between visited devices, and link times that add up to the trace's fibre time", () => {
    fc.assert(
      fc.property(traces, (trace) => {
        const map = journeyMap(trace);
        expect(map.nodes).toHaveLength(11);
        const onPath = new Set(map.nodes.filter((n) => n.onPath).map((n) => n.id));
        for (const l of map.links) {
          expect(onPath.has(l.from) && onPath.has(l.to)).toBe(true);
        }
        const fibre = trace.steps.filter((s) => s.id.startsWith("request:")).reduce((sum, s) => sum + (s.time?.fibreMs ?? 0), 0);
        expect(map.links.reduce((sum, l) => sum + l.ms, 0)).toBeCloseTo(fibre, 6);
        // TLS ends only where a proxy terminates it.
        for (const n of map.nodes) if (n.tlsEnds) expect(["cf-edge", "gfe"]).toContain(n.id);
      }),
      { numRuns: 150 },
    );
  });

  it("without Cloudflare, draws Cloudflare's devices as not on this path", () => {
    const map = journeyMap(toCoreTrace(computeTrace("cloudflare-gke", { cloudflare: "off" })));
    expect(map.nodes.filter((n) => !n.onPath).map((n) => n.id)).toEqual(["cf-unimog", "cf-edge", "cf-router"]);
  });

  it("cuts a trace to a lab's legs, keeping the outcome whole", () => {
    const whole = toCoreTrace(computeTrace("cloudflare-gke", { "pod-health": "all-unhealthy" }));
    const leg3 = onlyStages(whole, ["leg-3"]);
    expect(new Set(leg3.steps.map((s) => s.stage))).toEqual(new Set(["leg-3"]));
    expect(leg3.outcome).toEqual(whole.outcome);
    for (const t of leg3.tables) expect(leg3.steps.some((s) => s.tables.includes(t.id))).toBe(true);
  });
});
