import { describe, expect, it } from "vitest";
import { kubeProxyIpvs, type IptablesRule, type VirtualServer } from "../../../../src/sim/kube/ipvs";
import { cluster, endpoint, port, service, slice, TEST_NODE } from "./fixtures";

/**
 * Ported from kubernetes/kubernetes pkg/proxy/ipvs/proxier_test.go (TestNodePortIPv4 and the
 * session-affinity / load-balancer / external-IP tests): the same Services and EndpointSlices, and
 * the same expectations on virtual servers, destinations, ipset entries and the jump/match-set of
 * each rule in a chain (checkIptables compares those two fields, in order, nat rules before filter
 * rules for a chain name both tables use). The fake proxier there has no local-traffic detector, so
 * these states leave clusterCIDR empty.
 */

/** The FakeIPVS view: "PROTO ip:port" → scheduler, persistence and destinations. */
function ipvsState(virtualServers: readonly VirtualServer[]) {
  return Object.fromEntries(
    virtualServers.map((vs) => [
      `${vs.protocol} ${vs.address}:${vs.port}`,
      {
        scheduler: vs.scheduler,
        persistent: vs.persistentTimeout,
        dests: vs.realServers.map((rs) => `${rs.address}:${rs.port} w${rs.weight}`).sort(),
      },
    ]),
  );
}

function chain(rules: readonly IptablesRule[], name: string) {
  const pick = (table: "nat" | "filter") =>
    rules
      .filter((r) => r.table === table && r.chain === name)
      .map((r) => ({
        jump: /-j (\S+)/.exec(r.spec)?.[1] ?? null,
        matchSet: /--match-set (\S+)/.exec(r.spec)?.[1] ?? "",
        source: /(?:^| )-s (\S+)/.exec(r.spec)?.[1] ?? "",
      }));
  return [...pick("nat"), ...pick("filter")];
}

function entries(result: ReturnType<typeof kubeProxyIpvs>, name: string): readonly string[] {
  return result.ipsets.find((s) => s.name === name)?.entries ?? [];
}

describe("TestNodePortIPv4 (proxier_test.go)", () => {
  it("1 service with node port, has 2 endpoints (one IPv6, ignored by the IPv4 proxier)", () => {
    const result = kubeProxyIpvs(
      cluster({
        nodeIPs: ["100.101.102.103", "2001:db8::1:1"],
        services: [service("ns1", "svc1", { type: "NodePort", clusterIP: "10.20.30.41", ports: [port({ name: "p80", port: 80, nodePort: 3001 })] })],
        slices: [
          slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], [{ name: "p80", port: 80 }]),
          slice("ns1", "svc1", 2, [endpoint("1002:ab8::2:10")], [{ name: "p80", port: 80 }], "IPv6"),
        ],
      }),
    );
    expect(ipvsState(result.virtualServers)).toEqual({
      "TCP 10.20.30.41:80": { scheduler: "rr", persistent: null, dests: ["10.180.0.1:80 w1"] },
      "TCP 100.101.102.103:3001": { scheduler: "rr", persistent: null, dests: ["10.180.0.1:80 w1"] },
    });
  });

  it("1 UDP service with node port, has endpoints (nodePortAddresses 0.0.0.0/0)", () => {
    const result = kubeProxyIpvs(
      cluster({
        config: { nodePortAddresses: ["0.0.0.0/0"] },
        services: [
          service("ns1", "svc1", { type: "NodePort", clusterIP: "10.20.30.41", ports: [port({ name: "p80", protocol: "UDP", port: 80, nodePort: 3001 })] }),
        ],
        slices: [slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], [{ name: "p80", port: 80, protocol: "UDP" }])],
      }),
    );
    expect(ipvsState(result.virtualServers)).toEqual({
      "UDP 10.20.30.41:80": { scheduler: "rr", persistent: null, dests: ["10.180.0.1:80 w1"] },
      "UDP 100.101.102.103:3001": { scheduler: "rr", persistent: null, dests: ["10.180.0.1:80 w1"] },
    });
    expect(entries(result, "KUBE-NODE-PORT-UDP")).toEqual(["3001"]);
    expect(chain(result.iptablesRules, "KUBE-NODE-PORT")).toEqual([
      { jump: "KUBE-MARK-MASQ", matchSet: "KUBE-NODE-PORT-UDP", source: "" },
      { jump: "ACCEPT", matchSet: "KUBE-HEALTH-CHECK-NODE-PORT", source: "" },
    ]);
    expect(chain(result.iptablesRules, "KUBE-SERVICES")).toEqual([
      { jump: "RETURN", matchSet: "", source: "127.0.0.0/8" },
      { jump: "KUBE-MARK-MASQ", matchSet: "KUBE-CLUSTER-IP", source: "" },
      { jump: "KUBE-NODE-PORT", matchSet: "", source: "" },
      { jump: "ACCEPT", matchSet: "KUBE-CLUSTER-IP", source: "" },
    ]);
  });

  it("service has node port but no endpoints: virtual servers without real servers", () => {
    const result = kubeProxyIpvs(
      cluster({ services: [service("ns1", "svc1", { type: "NodePort", clusterIP: "10.20.30.41", ports: [port({ name: "p80", port: 80, nodePort: 3001 })] })] }),
    );
    expect(ipvsState(result.virtualServers)).toEqual({
      "TCP 10.20.30.41:80": { scheduler: "rr", persistent: null, dests: [] },
      "TCP 100.101.102.103:3001": { scheduler: "rr", persistent: null, dests: [] },
    });
  });

  it("node port service with protocol sctp on a node with multiple nodeIPs", () => {
    const result = kubeProxyIpvs(
      cluster({
        nodeIPs: ["100.101.102.103", "100.101.102.104", "100.101.102.105", "2001:db8::1:1", "2001:db8::1:2", "2001:db8::1:3"],
        services: [
          service("ns1", "svc1", { type: "NodePort", clusterIP: "10.20.30.41", ports: [port({ name: "p80", protocol: "SCTP", port: 80, nodePort: 3001 })] }),
        ],
        slices: [slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], [{ name: "p80", port: 80, protocol: "SCTP" }])],
      }),
    );
    const dests = ["10.180.0.1:80 w1"];
    expect(ipvsState(result.virtualServers)).toEqual({
      "SCTP 10.20.30.41:80": { scheduler: "rr", persistent: null, dests },
      "SCTP 100.101.102.103:3001": { scheduler: "rr", persistent: null, dests },
      "SCTP 100.101.102.104:3001": { scheduler: "rr", persistent: null, dests },
      "SCTP 100.101.102.105:3001": { scheduler: "rr", persistent: null, dests },
    });
    expect(entries(result, "KUBE-NODE-PORT-SCTP-HASH")).toEqual([
      "100.101.102.103,sctp:3001",
      "100.101.102.104,sctp:3001",
      "100.101.102.105,sctp:3001",
    ]);
  });

  it("node port service with protocol sctp and externalTrafficPolicy local", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [
          service("ns1", "svc1", {
            type: "NodePort",
            clusterIP: "10.20.30.41",
            ports: [port({ name: "p80", protocol: "SCTP", port: 80, nodePort: 3001 })],
            externalTrafficPolicy: "Local",
          }),
        ],
        slices: [
          slice("ns1", "svc1", 1, [endpoint("10.180.0.1", { nodeName: TEST_NODE }), endpoint("10.180.1.1", { nodeName: "other-node" })], [
            { name: "p80", port: 80, protocol: "SCTP" },
          ]),
        ],
      }),
    );
    expect(ipvsState(result.virtualServers)).toEqual({
      "SCTP 10.20.30.41:80": { scheduler: "rr", persistent: null, dests: ["10.180.0.1:80 w1", "10.180.1.1:80 w1"] },
      "SCTP 100.101.102.103:3001": { scheduler: "rr", persistent: null, dests: ["10.180.0.1:80 w1"] },
    });
    expect(entries(result, "KUBE-NODE-PORT-SCTP-HASH")).toEqual(["100.101.102.103,sctp:3001"]);
    expect(entries(result, "KUBE-NODE-PORT-LOCAL-SCTP-HASH")).toEqual(["100.101.102.103,sctp:3001"]);
    expect(chain(result.iptablesRules, "KUBE-NODE-PORT")).toEqual([
      { jump: "RETURN", matchSet: "KUBE-NODE-PORT-LOCAL-SCTP-HASH", source: "" },
      { jump: "KUBE-MARK-MASQ", matchSet: "KUBE-NODE-PORT-SCTP-HASH", source: "" },
      { jump: "ACCEPT", matchSet: "KUBE-HEALTH-CHECK-NODE-PORT", source: "" },
    ]);
  });
});

describe("session affinity, load balancers, external IPs (proxier.go behaviour)", () => {
  it("ClientIP affinity sets IP_VS_SVC_F_PERSISTENT with the affinity timeout on every virtual server of the Service", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [
          service("ns1", "svc1", {
            type: "NodePort",
            clusterIP: "10.20.30.41",
            ports: [port({ name: "p80", port: 80, nodePort: 3001 })],
            externalIPs: ["50.60.70.81"],
            sessionAffinity: "ClientIP",
            sessionAffinityTimeoutSeconds: 10800,
          }),
        ],
      }),
    );
    expect(result.virtualServers.map((vs) => [`${vs.address}:${vs.port}`, vs.persistentTimeout])).toEqual([
      ["10.20.30.41:80", 10800],
      ["50.60.70.81:80", 10800],
      ["100.101.102.103:3001", 10800],
    ]);
    expect(result.ipvsadmLn).toContain("TCP  10.20.30.41:80 rr persistent 10800\n");
  });

  it("load balancer source ranges: FW and SOURCE-CIDR sets, SOURCE-IP when the node is inside a range", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [
          service("ns1", "svc1", {
            type: "LoadBalancer",
            clusterIP: "10.20.30.41",
            ports: [port({ name: "p80", port: 80, nodePort: 3001 })],
            loadBalancerIngress: [{ ip: "1.2.3.4", hostname: null, ipMode: "VIP" }],
            loadBalancerSourceRanges: ["100.101.102.0/24", "1.2.3.4/16"],
          }),
        ],
      }),
    );
    expect(entries(result, "KUBE-LOAD-BALANCER")).toEqual(["1.2.3.4,tcp:80"]);
    expect(entries(result, "KUBE-LOAD-BALANCER-FW")).toEqual(["1.2.3.4,tcp:80"]);
    // ParseCIDRSloppy masks host bits: 1.2.3.4/16 is stored as 1.2.0.0/16.
    expect(entries(result, "KUBE-LOAD-BALANCER-SOURCE-CIDR")).toEqual(["1.2.3.4,tcp:80,1.2.0.0/16", "1.2.3.4,tcp:80,100.101.102.0/24"]);
    expect(entries(result, "KUBE-LOAD-BALANCER-SOURCE-IP")).toEqual(["1.2.3.4,tcp:80,1.2.3.4"]);
    expect(result.iptablesRules.filter((r) => r.chain === "KUBE-IPVS-OUT-FILTER" && r.table === "filter" && r.spec.includes("-m ipvs"))).toEqual([]);
    expect(chain(result.iptablesRules, "KUBE-SOURCE-RANGES-FIREWALL")).toEqual([
      { jump: "RETURN", matchSet: "KUBE-LOAD-BALANCER-SOURCE-CIDR", source: "" },
      { jump: "RETURN", matchSet: "KUBE-LOAD-BALANCER-SOURCE-IP", source: "" },
      { jump: "DROP", matchSet: "", source: "" },
    ]);
    expect(result.dummyInterfaceAddresses).toEqual(["1.2.3.4", "10.20.30.41"]);
  });

  it("a source range that excludes the node blocks the LB IP from the node itself (KUBE-IPVS-OUT-FILTER, kubernetes#119656)", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [
          service("ns1", "svc1", {
            type: "LoadBalancer",
            clusterIP: "10.20.30.41",
            ports: [port({ name: "p80", port: 80, nodePort: 3001 })],
            loadBalancerIngress: [{ ip: "1.2.3.4", hostname: null, ipMode: "VIP" }],
            loadBalancerSourceRanges: ["203.0.113.0/24"],
          }),
        ],
      }),
    );
    expect(entries(result, "KUBE-LOAD-BALANCER-SOURCE-IP")).toEqual([]);
    expect(result.iptablesSave).toContain("-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4/32 -m ipvs --vproto 6 --vaddr 1.2.3.4 --vport 80 -j DROP\n");
  });

  it("external IPs: KUBE-EXTERNAL-IP masquerade and accept rules; an external IP that is a node address is not bound to kube-ipvs0", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [service("ns1", "svc1", { clusterIP: "10.20.30.41", ports: [port({ name: "p80", port: 80 })], externalIPs: ["50.60.70.81", "100.101.102.103"] })],
      }),
    );
    expect(entries(result, "KUBE-EXTERNAL-IP")).toEqual(["100.101.102.103,tcp:80", "50.60.70.81,tcp:80"]);
    expect(result.dummyInterfaceAddresses).toEqual(["10.20.30.41", "50.60.70.81"]);
    expect(entries(result, "KUBE-IPVS-IPS")).toEqual(["10.20.30.41", "50.60.70.81"]);
    expect(chain(result.iptablesRules, "KUBE-SERVICES").map((r) => `${r.jump}/${r.matchSet}`)).toEqual([
      "RETURN/",
      "KUBE-MARK-MASQ/KUBE-CLUSTER-IP",
      "KUBE-MARK-MASQ/KUBE-EXTERNAL-IP",
      "ACCEPT/KUBE-EXTERNAL-IP",
      "ACCEPT/KUBE-EXTERNAL-IP",
      "KUBE-NODE-PORT/",
      "ACCEPT/KUBE-CLUSTER-IP",
    ]);
  });

  it("load-balancer ingress with ipMode Proxy gets no virtual server (LoadBalancerIPMode)", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [
          service("ns1", "svc1", {
            type: "LoadBalancer",
            clusterIP: "10.20.30.41",
            ports: [port({ name: "p80", port: 80, nodePort: 3001 })],
            loadBalancerIngress: [{ ip: "1.2.3.4", hostname: null, ipMode: "Proxy" }],
          }),
        ],
      }),
    );
    expect(result.virtualServers.map((vs) => vs.address)).toEqual(["10.20.30.41", "100.101.102.103"]);
  });

  it("headless and ExternalName Services are skipped", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [
          service("ns1", "headless", { clusterIP: "None", clusterIPs: ["None"], ports: [port({ port: 80 })] }),
          service("ns1", "ext", { type: "ExternalName", clusterIP: "", clusterIPs: [], externalName: "example.com", ports: [] }),
        ],
      }),
    );
    expect(result.virtualServers).toEqual([]);
    expect(result.dummyInterfaceAddresses).toEqual([]);
  });
});

describe("endpoint selection (CategorizeEndpoints)", () => {
  const svc = service("ns1", "svc1", { clusterIP: "10.20.30.41", ports: [port({ name: "p80", port: 80 })] });

  it("only ready endpoints become real servers while any is ready", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [svc],
        slices: [
          slice("ns1", "svc1", 1, [endpoint("10.180.0.1"), endpoint("10.180.0.2", { ready: false, serving: true, terminating: true }), endpoint("10.180.0.3", { ready: false })], [
            { name: "p80", port: 80 },
          ]),
        ],
      }),
    );
    expect(result.virtualServers[0]!.realServers.map((rs) => rs.address)).toEqual(["10.180.0.1"]);
  });

  it("with no ready endpoint, serving-and-terminating ones are used so connections drain", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [svc],
        slices: [
          slice("ns1", "svc1", 1, [
            endpoint("10.180.0.2", { ready: false, serving: true, terminating: true }),
            endpoint("10.180.0.3", { ready: false, serving: false, terminating: true }),
          ], [{ name: "p80", port: 80 }]),
        ],
      }),
    );
    expect(result.virtualServers[0]!.realServers.map((rs) => rs.address)).toEqual(["10.180.0.2"]);
  });

  it("internalTrafficPolicy Local keeps node-local endpoints; a local endpoint goes into KUBE-LOOP-BACK", () => {
    const result = kubeProxyIpvs(
      cluster({
        services: [{ ...svc, internalTrafficPolicy: "Local" }],
        slices: [slice("ns1", "svc1", 1, [endpoint("10.180.0.1", { nodeName: TEST_NODE }), endpoint("10.180.1.1", { nodeName: "other" })], [{ name: "p80", port: 80 }])],
      }),
    );
    expect(result.virtualServers[0]!.realServers.map((rs) => rs.address)).toEqual(["10.180.0.1"]);
    expect(entries(result, "KUBE-LOOP-BACK")).toEqual(["10.180.0.1,tcp:80,10.180.0.1"]);
  });

  it("a destination on a node address is forwarded Local, as the kernel marks RTN_LOCAL destinations", () => {
    const result = kubeProxyIpvs(
      cluster({ services: [svc], slices: [slice("ns1", "svc1", 1, [endpoint("100.101.102.103", { nodeName: TEST_NODE })], [{ name: "p80", port: 80 }])] }),
    );
    expect(result.virtualServers[0]!.realServers).toEqual([{ address: "100.101.102.103", port: 80, weight: 1, forward: "Local" }]);
    expect(result.ipvsadmLn).toContain("  -> 100.101.102.103:80           Local   1      0          0         \n");
  });
});
