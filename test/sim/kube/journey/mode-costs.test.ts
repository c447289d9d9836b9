import { describe, expect, it } from "vitest";
import { iptablesCost, lastServiceAddress, modeCosts, syntheticCluster } from "../../../../src/sim/kube/index";
import { kubeProxyIptables } from "../../../../src/sim/kube/iptables/index";
import { parseIptablesSave, walkPacket } from "../../../../src/sim/netfilter/index";

describe("the cost of each mode as Services grow", () => {
  it.each([[25, 3], [60, 1], [40, 5]])("iptables figures for %i Services × %i endpoints are what the generator writes and the walk evaluates", (services, endpoints) => {
    const state = syntheticCluster({ services, endpointsPerService: endpoints });
    const dump = kubeProxyIptables(state);
    const host = { localAddresses: ["127.0.0.1", "10.128.0.10"], interfaces: [{ name: "eth0", addresses: ["10.128.0.10"] }], routes: [{ dst: "0.0.0.0/0", dev: "eth0", src: "10.128.0.10" }] };
    const walk = walkPacket(parseIptablesSave(dump.text), { protocol: "tcp", src: "10.4.200.9", srcPort: 40000, dst: lastServiceAddress(dump.text), dstPort: 80 }, host, { seed: 1 });
    const cost = iptablesCost(services, endpoints);
    expect(cost.rulesWritten).toBe(dump.ruleCount);
    expect(cost.lookupsPerPacket).toBe(walk.rulesEvaluated);
  });

  it("iptables grows with Services; IPVS and eBPF lookups do not", () => {
    const [small, large] = [modeCosts(100, 3), modeCosts(10_000, 3)];
    const by = (costs: typeof small, mode: string) => costs.find((c) => c.mode === mode)!;
    expect(by(large, "iptables").lookupsPerPacket - by(small, "iptables").lookupsPerPacket).toBeGreaterThanOrEqual(9_900);
    expect(by(large, "iptables").rulesWritten).toBeGreaterThan(50 * by(small, "iptables").rulesWritten);
    expect(by(large, "ipvs").lookupsPerPacket).toBe(by(small, "ipvs").lookupsPerPacket);
    expect(by(large, "ebpf").lookupsPerPacket).toBe(by(small, "ebpf").lookupsPerPacket);
    expect(by(large, "ebpf").rulesWritten).toBe(0);
  });
});
