import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kubeProxyIptables } from "../../../../src/sim/kube/iptables/index";
import { netfilterHost, nodeHost, syntheticCluster, type ClusterState } from "../../../../src/sim/kube/index";
import { ConntrackTable, parseIptablesSave, walkPacket } from "../../../../src/sim/netfilter/index";

/**
 * Properties of kube-proxy's rules as the netfilter model walks them, over random clusters: the rules
 * come from the generator, the walk from the netfilter model, so each property can fail if either is
 * wrong — none restates a formula of the code under test.
 */
function cluster(services: number, endpoints: number, nodes: number): { state: ClusterState; rules: ReturnType<typeof parseIptablesSave> } {
  const state = syntheticCluster({ services, endpointsPerService: endpoints, nodes });
  return { state, rules: parseIptablesSave(kubeProxyIptables(state).text) };
}

const client = { protocol: "tcp" as const, src: "10.4.250.9", srcPort: 41000 };

describe("kube-proxy's rules, walked", () => {
  it("every reply is translated back to the tuple the client sent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.nat(), fc.nat(), (services, endpoints, nodes, pick, seed) => {
        const { state, rules } = cluster(services, endpoints, nodes);
        const host = netfilterHost(nodeHost(state));
        const service = state.services[pick % services]!;
        const conntrack = new ConntrackTable();
        const sent = { ...client, dst: service.clusterIP!, dstPort: 80 };
        const walk = walkPacket(rules, sent, host, { seed, conntrack });
        expect(walk.verdict).toBe("DNAT");
        expect(walk.candidates).toContain(walk.chosen);
        conntrack.update(walk.conntrack!);
        const out = walk.packetOut!;
        const reply = walkPacket(rules, { protocol: "tcp", src: out.dst, srcPort: out.dstPort, dst: out.src, dstPort: out.srcPort }, host, { seed, conntrack });
        expect(reply.packetOut).toMatchObject({ src: sent.dst, srcPort: sent.dstPort, dst: sent.src, dstPort: sent.srcPort });
      }),
      { numRuns: 60 },
    );
  });

  it("chooses each ready endpoint equally often (chi-square over seeded draws)", () => {
    const endpoints = 5;
    const { state, rules } = cluster(1, endpoints, 3);
    const host = netfilterHost(nodeHost(state));
    const counts = new Map<string, number>();
    const draws = 5000;
    for (let seed = 0; seed < draws; seed++) {
      const walk = walkPacket(rules, { ...client, dst: state.services[0]!.clusterIP!, dstPort: 80 }, host, { seed });
      counts.set(walk.chosen!, (counts.get(walk.chosen!) ?? 0) + 1);
    }
    expect(counts.size).toBe(endpoints);
    const expected = draws / endpoints;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // df = 4: the 0.1% critical value is 18.47. kube-proxy's probabilities 1/5, 1/4, 1/3, 1/2, then
    // the last rule unconditionally, make the choice uniform; a wrong probability fails this.
    expect(chiSquare).toBeLessThan(18.47);
  });

  it("a Service with no endpoints is rejected, never delivered", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), fc.nat(), (services, pick, seed) => {
        const { state, rules } = cluster(services, 0, 2);
        const service = state.services[pick % services]!;
        const walk = walkPacket(rules, { ...client, dst: service.clusterIP!, dstPort: 80 }, netfilterHost(nodeHost(state)), { seed });
        expect(walk.verdict).toBe("REJECT");
        expect(walk.chosen).toBeNull();
        expect(walk.packetOut).toBeNull();
      }),
      { numRuns: 30 },
    );
  });
});
