import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iptablesSave, kubeProxyIptables, kubeProxyIptablesOnHost, syncProxyRules } from "../../../../src/sim/kube/iptables";
import { asKernelSaves, kernelRule } from "../../../../src/sim/kube/iptables/kernel-form";
import { sortedOrder } from "../../../../src/sim/kube/iptables/save";
import type { ClusterState, EndpointSlice, Service } from "../../../../src/sim/kube/model";
import { SYNTHETIC_PROXY_CONFIG, syntheticCluster } from "../../../../src/sim/kube/synthetic";

/**
 * `kubeProxyIptables` writes each per-Service chain's rules only when iptables-save's listing reaches
 * that chain; `iptablesSave(syncProxyRules(…))` groups the rules kube-proxy wrote, in its write order.
 * The two must print the same dump for any cluster.
 */
const arbitraryCluster = fc
  .record({
    services: fc.array(
      fc.record({
        type: fc.constantFrom("ClusterIP", "NodePort", "LoadBalancer"),
        named: fc.boolean(),
        ports: fc.integer({ min: 1, max: 2 }),
        protocol: fc.constantFrom("TCP", "UDP", "SCTP"),
        external: fc.constantFrom("Cluster", "Local"),
        internal: fc.constantFrom("Cluster", "Local"),
        affinity: fc.boolean(),
        sourceRanges: fc.boolean(),
        externalIP: fc.boolean(),
        endpoints: fc.array(
          fc.record({ node: fc.integer({ min: 0, max: 2 }), host: fc.integer({ min: 2, max: 9 }), ready: fc.boolean(), terminating: fc.boolean(), serving: fc.boolean() }),
          { maxLength: 6 },
        ),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    masqueradeAll: fc.boolean(),
    nodePortAddresses: fc.constantFrom([], ["10.128.0.0/16"], ["127.0.0.0/8", "10.128.0.10/32"]),
  })
  .map(({ services, masqueradeAll, nodePortAddresses }): ClusterState => {
    const base = syntheticCluster({ services: 0, endpointsPerService: 0, nodes: 3 });
    const svcs: Service[] = [];
    const slices: EndpointSlice[] = [];
    services.forEach((s, i) => {
      const name = `svc-${i}`;
      const ports = Array.from({ length: s.ports }, (_, p) => ({
        name: s.named || p > 0 ? `p${p}` : "",
        protocol: s.protocol,
        port: 80 + p,
        targetPort: 8080 + p,
        nodePort: s.type === "ClusterIP" ? null : 30000 + i * 4 + p,
        appProtocol: null,
      }));
      svcs.push({
        kind: "Service",
        metadata: { name, namespace: "default", labels: {} },
        type: s.type,
        clusterIP: `10.96.0.${10 + i}`,
        clusterIPs: [`10.96.0.${10 + i}`],
        ipFamilies: ["IPv4"],
        selector: null,
        ports,
        sessionAffinity: s.affinity ? "ClientIP" : "None",
        sessionAffinityTimeoutSeconds: null,
        externalTrafficPolicy: s.type === "ClusterIP" ? null : s.external,
        internalTrafficPolicy: s.internal,
        loadBalancerSourceRanges: s.type === "LoadBalancer" && s.sourceRanges ? ["203.0.113.0/24", "10.128.0.0/16"] : [],
        externalIPs: s.externalIP ? ["192.0.2.10"] : [],
        healthCheckNodePort: s.type === "LoadBalancer" ? 32000 + i : null,
        externalName: null,
        loadBalancerIngress: s.type === "LoadBalancer" ? [{ ip: `198.51.100.${i}`, hostname: null, ipMode: "VIP" }] : [],
      });
      slices.push({
        kind: "EndpointSlice",
        metadata: { name: `${name}-abcde`, namespace: "default", labels: {} },
        serviceName: name,
        addressType: "IPv4",
        ports: ports.map((p) => ({ name: p.name, protocol: p.protocol, port: p.targetPort, appProtocol: null })),
        endpoints: s.endpoints.map((e) => ({
          addresses: [`10.4.${e.node}.${e.host}`],
          conditions: { ready: e.ready, serving: e.ready || e.serving, terminating: !e.ready && e.terminating },
          nodeName: `node-${e.node + 1}`,
          zone: null,
          hostname: null,
          targetRef: null,
        })),
      });
    });
    return { ...base, services: svcs, endpointSlices: slices, proxyConfig: { ...SYNTHETIC_PROXY_CONFIG, iptables: { ...SYNTHETIC_PROXY_CONFIG.iptables, masqueradeAll }, nodePortAddresses } };
  });

describe("iptables-save, written chain by chain", () => {
  it("prints what grouping kube-proxy's restore input prints, for any cluster", () => {
    fc.assert(
      fc.property(arbitraryCluster, fc.boolean(), (state, randomFully) => {
        const host = { randomFully };
        expect(kubeProxyIptablesOnHost(state, "IPv4", host).text).toBe(iptablesSave(syncProxyRules(state, "IPv4", host)).text);
      }),
      { numRuns: 150 },
    );
  });

  it("prints the same in large-cluster mode (no per-endpoint comments) and for NodePorts", () => {
    const state = syntheticCluster({ services: 300, endpointsPerService: 4, nodePortEvery: 3 });
    const dump = kubeProxyIptables(state);
    const grouped = iptablesSave(syncProxyRules(state, "IPv4", {}));
    expect(dump.text).toBe(grouped.text);
    expect([dump.ruleCount, dump.chainCount]).toEqual([grouped.ruleCount, grouped.chainCount]);
    expect(dump.text.split("\n").filter((l) => l.startsWith("-A ")).length).toBe(dump.ruleCount);
  });
});

describe("asKernelSaves", () => {
  it("reads quoted arguments as iptables-restore does: escapes, empty and unterminated quotes", () => {
    expect(kernelRule('-A X -m comment --comment "a \\"b\\" c" -j DROP')).toBe('-A X -m comment --comment "a \\"b\\" c" -j DROP');
    expect(kernelRule('-A X -m comment --comment "" -j DROP')).toBe('-A X -m comment --comment "" -j DROP');
    expect(kernelRule('-A X -m comment --comment "open -j DROP')).toBe('-A X -m comment --comment "open -j DROP"');
    expect(kernelRule('-A X -m comment --comment "back\\\\slash" -j DROP')).toBe('-A X -m comment --comment "back\\\\slash" -j DROP');
  });

  it("lists a chain declared twice twice, and ends with one newline even when empty", () => {
    expect(asKernelSaves("")).toBe("\n");
    expect(asKernelSaves("*nat\n:X - [0:0]\n-A X -j DROP\n:X - [0:0]\n-A X -j ACCEPT\nCOMMIT\n")).toBe(
      "*nat\n:X - [0:0]\n:X - [0:0]\n-A X -j ACCEPT\n-A X -j ACCEPT\nCOMMIT\n",
    );
  });
});

describe("sortedOrder", () => {
  it("orders names as a stable comparison sort does: shared prefixes, prefixes of one another, repeats, any character", () => {
    const name = fc.oneof(
      fc.constantFrom("KUBE-SERVICES", "KUBE-SVC-", "KUBE-SVC-A", "KUBE-SVC-AB", "KUBE-SEP-2Z", "KUBE-", "", "INPUT"),
      fc.string({ maxLength: 30 }).map((s) => `KUBE-SEP-${s}`),
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.string({ minLength: 60, maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.array(name, { maxLength: 40 }), (names) => {
        const expected = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
        expect([...sortedOrder(names)]).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
