import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ebpfServiceMaps } from "../../../src/sim/kube/ebpf/index";
import { kubeProxyIptables } from "../../../src/sim/kube/iptables/index";
import { kubeProxyIpvs } from "../../../src/sim/kube/ipvs/index";
import {
  categorizeEndpoints,
  portExternallyAccessible,
  usesClusterEndpoints,
  usesLocalEndpoints,
  type CategorizableEndpoint,
  type ServicePortPolicy,
} from "../../../src/sim/kube/endpoints";
import { cluster, endpoint, port as svcPort, service, slice, TEST_NODE } from "./ipvs/fixtures";

/**
 * pkg/proxy/topology.go `CategorizeEndpoints`, shared by the iptables, IPVS and eBPF modes. The cases
 * follow topology_test.go's TestCategorizeEndpoints where the model can express them (it has no
 * topology hints); the property restates the Go function's definitions, independently written.
 */
interface Ep extends CategorizableEndpoint {
  readonly name: string;
}

const ep = (name: string, state: "ready" | "terminating" | "not-serving" | "not-ready", isLocal = false): Ep => ({
  name,
  isLocal,
  ready: state === "ready",
  serving: state === "ready" || state === "terminating",
  terminating: state === "terminating" || state === "not-serving",
});

const port = (p: Partial<ServicePortPolicy> = {}): ServicePortPolicy => ({
  nodePort: 0,
  loadBalancerVIPs: [],
  externalIPs: [],
  externalPolicyLocal: false,
  internalPolicyLocal: false,
  ...p,
});

const names = (eps: readonly Ep[]) => eps.map((e) => e.name);

describe("categorizeEndpoints (CategorizeEndpoints)", () => {
  it("Cluster policy: the ready endpoints, local or not", () => {
    const eps = [ep("a", "ready", true), ep("b", "not-ready"), ep("c", "ready"), ep("d", "terminating")];
    const r = categorizeEndpoints(eps, port());
    expect(names(r.clusterEndpoints)).toEqual(["a", "c"]);
    expect(r.localEndpoints).toEqual([]);
    expect(r.allReachableEndpoints).toBe(r.clusterEndpoints);
    expect(r.hasAnyEndpoints).toBe(true);
  });

  it("no ready endpoint anywhere: falls back to the serving terminating ones, never to not-serving ones", () => {
    const r = categorizeEndpoints([ep("a", "terminating"), ep("b", "not-serving"), ep("c", "not-ready")], port());
    expect(names(r.clusterEndpoints)).toEqual(["a"]);
    expect(r.hasAnyEndpoints).toBe(true);
    expect(categorizeEndpoints([ep("b", "not-serving"), ep("c", "not-ready")], port()).hasAnyEndpoints).toBe(false);
  });

  it("internalTrafficPolicy Local: this node's ready endpoints, and hasAnyEndpoints even with none here", () => {
    const eps = [ep("a", "ready", true), ep("b", "ready"), ep("c", "terminating", true)];
    const r = categorizeEndpoints(eps, port({ internalPolicyLocal: true }));
    expect(r.clusterEndpoints).toEqual([]);
    expect(names(r.localEndpoints)).toEqual(["a"]);
    expect(r.allReachableEndpoints).toBe(r.localEndpoints);
    const remoteOnly = categorizeEndpoints([ep("b", "ready")], port({ internalPolicyLocal: true }));
    expect(remoteOnly.localEndpoints).toEqual([]);
    expect(remoteOnly.allReachableEndpoints).toEqual([]);
    expect(remoteOnly.hasAnyEndpoints).toBe(true);
  });

  it("externalTrafficPolicy Local on a NodePort: both lists; local ready ones are already among the cluster ones", () => {
    const eps = [ep("a", "ready", true), ep("b", "ready")];
    const r = categorizeEndpoints(eps, port({ nodePort: 30080, externalPolicyLocal: true }));
    expect(names(r.clusterEndpoints)).toEqual(["a", "b"]);
    expect(names(r.localEndpoints)).toEqual(["a"]);
    expect(r.allReachableEndpoints).toBe(r.clusterEndpoints);
  });

  it("external Local with only a terminating local endpoint: all reachable is remote ready plus local terminating, in input order", () => {
    const eps = [ep("a", "ready"), ep("b", "terminating", true), ep("c", "terminating"), ep("d", "ready")];
    const r = categorizeEndpoints(eps, port({ loadBalancerVIPs: ["203.0.113.1"], externalPolicyLocal: true }));
    expect(names(r.clusterEndpoints)).toEqual(["a", "d"]);
    expect(names(r.localEndpoints)).toEqual(["b"]);
    expect(names(r.allReachableEndpoints)).toEqual(["a", "b", "d"]);
  });

  it("externalTrafficPolicy Local means nothing without a way in from outside", () => {
    const p = port({ externalPolicyLocal: true });
    expect(portExternallyAccessible(p)).toBe(false);
    expect(usesLocalEndpoints(p)).toBe(false);
    expect(usesClusterEndpoints(p)).toBe(true);
  });

  it("agrees with the Go definitions for any endpoints and policies", () => {
    const endpoint = fc.record({
      isLocal: fc.boolean(),
      ready: fc.boolean(),
      serving: fc.boolean(),
      terminating: fc.boolean(),
    });
    const policy = fc.record({
      nodePort: fc.constantFrom(0, 30080),
      loadBalancerVIPs: fc.constantFrom([], ["203.0.113.1"]),
      externalIPs: fc.constantFrom([], ["192.0.2.1"]),
      externalPolicyLocal: fc.boolean(),
      internalPolicyLocal: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(endpoint, { maxLength: 8 }), policy, (raw, p) => {
        const eps = raw.map((e, i) => ({ ...e, name: `ep${i}` }));
        const r = categorizeEndpoints(eps, p);
        const accessible = p.nodePort !== 0 || p.loadBalancerVIPs.length > 0 || p.externalIPs.length > 0;
        const usesCluster = !p.internalPolicyLocal || (accessible && !p.externalPolicyLocal);
        const usesLocal = p.internalPolicyLocal || (accessible && p.externalPolicyLocal);
        const servingTerminating = (e: Ep) => e.serving && e.terminating;
        const ready = eps.filter((e) => e.ready);
        const cluster = !usesCluster ? [] : ready.length > 0 ? ready : eps.filter(servingTerminating);
        const localReady = eps.filter((e) => e.isLocal && e.ready);
        const local = !usesLocal ? [] : localReady.length > 0 ? localReady : eps.filter((e) => e.isLocal && servingTerminating(e));
        // Go's union through a map, put back in input order.
        const union = eps.filter((e) => cluster.includes(e) || local.includes(e));
        expect(names(r.clusterEndpoints)).toEqual(names(cluster));
        expect(names(r.localEndpoints)).toEqual(names(local));
        expect(names(r.allReachableEndpoints)).toEqual(names(usesLocal ? union : cluster));
        const anyUsable = eps.some((e) => e.ready || servingTerminating(e));
        expect(r.hasAnyEndpoints).toBe(usesLocal ? anyUsable : cluster.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe("one merge of EndpointSlices for every mode", () => {
  it("an endpoint listed in two slices is the local copy in iptables, IPVS and eBPF alike", () => {
    // EndpointSliceCache keeps the first copy of an "ip:port" unless a later one is on this node:
    // here the first copy (another node, not ready) would leave the Service with no endpoint.
    const state = cluster({
      services: [service("ns", "web", { clusterIP: "172.30.0.10", ports: [svcPort({ port: 80, targetPort: 8080 })] })],
      slices: [
        slice("ns", "web", 1, [endpoint("10.180.0.5", { nodeName: "other-node", ready: false, serving: false })], [{ port: 8080 }]),
        slice("ns", "web", 2, [endpoint("10.180.0.5", { nodeName: TEST_NODE })], [{ port: 8080 }]),
      ],
    });
    expect(kubeProxyIptables(state).text).toContain("-j DNAT --to-destination 10.180.0.5:8080");
    const vs = kubeProxyIpvs(state).virtualServers.find((v) => v.address === "172.30.0.10")!;
    expect(vs.realServers.map((r) => `${r.address}:${r.port}`)).toEqual(["10.180.0.5:8080"]);
    const maps = ebpfServiceMaps(state);
    expect(maps.backends.map((b) => [`${b.address}:${b.port}`, b.local])).toEqual([["10.180.0.5:8080", true]]);
  });
});
