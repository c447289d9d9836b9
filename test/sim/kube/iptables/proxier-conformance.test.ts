/**
 * Conformance with kube-proxy's own tests: kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go
 * (stored revision described in fixtures/README.md). Each case rebuilds the test's Services,
 * EndpointSlices and NewFakeProxier settings as a ClusterState and checks our output the way the Go
 * test checks kube-proxy's: whole dumps after sortIPTablesRules (assertIPTablesRulesEqual), single
 * chains (assertIPTablesChainEqual), or packets traced through the rules (runPacketFlowTests).
 *
 * Covered: TestOverallIPTablesRules, TestSyncProxyRulesRepeated (initial full sync), TestBadIPs,
 * TestSortIPTablesRules (two cases, to check the ported sorter), TestNoEndpointsReject,
 * TestClusterIPGeneral, TestLoadBalancer, TestNodePorts (all 7 cases, flows + KUBE-FIREWALL chain),
 * TestHealthCheckNodePort (before deletion), TestDropInvalidRule, TestMasqueradeRule,
 * TestExternalTrafficPolicyLocal, TestExternalTrafficPolicyCluster, TestComputeProbability,
 * TestInternalTrafficPolicy, TestTerminatingEndpointsTrafficPolicyLocal,
 * TestTerminatingEndpointsTrafficPolicyCluster, TestInternalExternalMasquerade (all 4 setups),
 * TestSyncProxyRulesLargeClusterMode (the full syncs), TestLoadBalancerIngressRouteTypeProxy (gate on).
 *
 * Skipped, with reasons:
 * - TestSyncProxyRulesRepeated after its first sync, and the partial-sync steps of
 *   TestSyncProxyRulesLargeClusterMode: they check *partial* restores (only changed Services, plus
 *   `-X` for chains left from earlier syncs), which depend on the previous sync; this generator models
 *   one full sync of the current state.
 * - TestLoadBalancerIngressRouteTypeProxy with the LoadBalancerIPMode gate off: the gate is on (and
 *   not switchable) in the modelled release.
 * - TestParseIPTablesData, TestCheckIPTablesRuleJumps, TestTracePacket: they test the Go test helpers,
 *   not the proxier (the ported helpers are exercised by every case here instead).
 * - TestBuildServiceMap*, TestUpdateEndpointsMap, TestHealthCheckNodePortWhenTerminating,
 *   TestProxierMetricsIPTablesTotalRules, TestNoEndpointsMetric: they assert change-tracker state,
 *   health-check server state or Prometheus metrics, none of which appear in the rules.
 */
import { describe, expect, it } from "vitest";
import { asKernelSaves } from "../../../../src/sim/kube/iptables/kernel-form";
import { kernelUnavailable, runInNamespace } from "../../../kernel/netns";
import type { EndpointSlice, Service } from "../../../../src/sim/kube/model";
import {
  computeProbability,
  kubeProxyIptablesOnHost,
  kubeProxyRestoreInput,
  type KubeProxyHostOptions,
} from "../../../../src/sim/kube/iptables";
import {
  chainRules,
  checkRuleJumps,
  ep,
  expectRulesEqual,
  fakeHost,
  fakeState,
  loadFixture,
  makeTestEndpointSlice,
  makeTestService,
  port,
  runPacketFlowTests,
  slicePort,
  sortIPTablesRules,
  testExternalClient,
  testExternalClientBlocked,
  testNodeIP,
  testNodeIPAlt,
  testNodeIPs,
  testNodeIPv6,
  testNodeIPv6Alt,
  testNodeName,
  type FakeProxierOptions,
  type PacketFlowTest,
} from "./kube-proxy-test-kit";

/** Every IPv4 ruleset this suite generates, loaded into the real kernel by the last test below. */
const generated: string[] = [];
function record(text: string, family: "IPv4" | "IPv6"): string {
  if (family === "IPv4") generated.push(text);
  return text;
}
const restore = (svcs: Service[], slices: EndpointSlice[], opts: FakeProxierOptions = {}, host: KubeProxyHostOptions = fakeHost, family: "IPv4" | "IPv6" = "IPv4") =>
  record(kubeProxyRestoreInput(fakeState(svcs, slices, opts), family, host), family);
const saved = (svcs: Service[], slices: EndpointSlice[], opts: FakeProxierOptions = {}, family: "IPv4" | "IPv6" = "IPv4") =>
  record(kubeProxyIptablesOnHost(fakeState(svcs, slices, opts), family, fakeHost).text, family);

function clusterIPService(ns: string, name: string, ip: string, p: ReturnType<typeof port>[], edit: (s: any) => void = () => {}): Service {
  return makeTestService(ns, name, (svc) => {
    svc.clusterIP = ip;
    svc.clusterIPs = [ip];
    svc.ipFamilies = [ip.includes(":") ? "IPv6" : "IPv4"];
    svc.ports = p;
    edit(svc);
  });
}

describe("whole-dump expectations (assertIPTablesRulesEqual)", () => {
  it("TestOverallIPTablesRules", () => {
    const services = [
      clusterIPService("ns1", "svc1", "172.30.0.41", [port({ name: "p80", port: 80 })]),
      clusterIPService("ns2", "svc2", "172.30.0.42", [port({ name: "p80", port: 80, nodePort: 3001 })], (s) => {
        s.type = "LoadBalancer";
        s.externalTrafficPolicy = "Local";
        s.loadBalancerIngress = [{ ip: "1.2.3.4", hostname: null, ipMode: "VIP" }];
        s.externalIPs = ["192.168.99.22"];
        s.healthCheckNodePort = 30000;
      }),
      clusterIPService("ns3", "svc3", "172.30.0.43", [port({ name: "p80", port: 80, nodePort: 3003 })], (s) => {
        s.type = "NodePort";
      }),
      clusterIPService("ns4", "svc4", "172.30.0.44", [port({ name: "p80", port: 80, targetPort: 80 })], (s) => {
        s.type = "NodePort";
        s.externalIPs = ["192.168.99.33"];
      }),
      clusterIPService("ns5", "svc5", "172.30.0.45", [port({ name: "p80", port: 80, nodePort: 3002 })], (s) => {
        s.type = "LoadBalancer";
        s.externalTrafficPolicy = "Cluster";
        s.loadBalancerIngress = [{ ip: "5.6.7.8", hostname: null, ipMode: "VIP" }];
        s.healthCheckNodePort = 30000;
        // Extra whitespace, as the Go test has, must not break anything.
        s.loadBalancerSourceRanges = [" 203.0.113.0/25"];
        s.sessionAffinity = "ClientIP";
        s.sessionAffinityTimeoutSeconds = 10800;
      }),
      clusterIPService("ns6", "svc6", "172.30.0.46", [port({ name: "p80", port: 80, targetPort: 80 })]),
    ];
    const one = (ns: string, name: string, endpoints: ReturnType<typeof ep>[]) =>
      makeTestEndpointSlice(ns, name, 1, (eps) => {
        eps.endpoints = endpoints;
        eps.ports = [slicePort("p80", 80)];
      });
    const slices = [
      one("ns1", "svc1", [ep("10.180.0.1")]),
      // No NodeName: non-local, so the Local-policy service has no local endpoints.
      one("ns2", "svc2", [ep("10.180.0.2")]),
      one("ns3", "svc3", [ep("10.180.0.3")]),
      one("ns4", "svc4", [ep("10.180.0.4"), ep("10.180.0.5", { nodeName: testNodeName })]),
      one("ns5", "svc5", [ep("10.180.0.3")]),
    ];
    const expected = loadFixture("overall-iptables-rules.txt");
    expectRulesEqual(expected, restore(services, slices));
    expect(checkRuleJumps(expected)).toBeNull();
  });

  it("TestSyncProxyRulesRepeated (initial full sync)", () => {
    const services = [
      clusterIPService("ns1", "svc1", "172.30.0.41", [port({ name: "p80", port: 80 })]),
      clusterIPService("ns2", "svc2", "172.30.0.42", [port({ name: "p8080", port: 8080 })]),
    ];
    const slices = [
      makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
        eps.endpoints = [ep("10.0.1.1")];
        eps.ports = [slicePort("p80", 80)];
      }),
      makeTestEndpointSlice("ns2", "svc2", 1, (eps) => {
        eps.endpoints = [ep("10.0.2.1")];
        eps.ports = [slicePort("p8080", 8080)];
      }),
    ];
    expectRulesEqual(loadFixture("sync-proxy-rules-repeated-initial.txt"), restore(services, slices));
  });

  it("TestBadIPs: sloppy addresses are rewritten canonically", () => {
    const services = [
      clusterIPService("ns1", "svc1", "172.30.0.041", [port({ name: "p80", port: 80, nodePort: 3001 })], (s) => {
        s.type = "LoadBalancer";
        s.loadBalancerIngress = [{ ip: "1.2.3.004", hostname: null, ipMode: "VIP" }];
        s.externalIPs = ["192.168.099.022"];
        s.loadBalancerSourceRanges = ["203.0.113.000/025"];
      }),
    ];
    const slices = [
      makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
        eps.endpoints = [ep("10.180.00.001")];
        eps.ports = [slicePort("p80", 80)];
      }),
    ];
    const expected = loadFixture("bad-ips.txt");
    expectRulesEqual(expected, restore(services, slices));
    expect(checkRuleJumps(expected)).toBeNull();
  });
});

describe("TestSortIPTablesRules (the ported canonicaliser)", () => {
  it("correctly match same service name in different styles of comments", () => {
    const input = [
      "*filter", "COMMIT", "*nat", ":KUBE-SERVICES - [0:0]",
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1',
      "-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2",
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3',
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" svc1 line 1',
      "-A KUBE-SERVICES -m comment --comment ns1/svc1 svc1 line 2",
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1 blah" svc1 line 3',
      "-A KUBE-SERVICES -m comment --comment ns4/svc4 svc4 line 1",
      '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" svc4 line 2',
      '-A KUBE-SERVICES -m comment --comment "ns4/svc4 blah" svc4 line 3',
      '-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" svc3 line 1',
      '-A KUBE-SERVICES -m comment --comment "ns3/svc3 blah" svc3 line 2',
      "-A KUBE-SERVICES -m comment --comment ns3/svc3 svc3 line 3",
      "COMMIT", "",
    ].join("\n");
    const output = [
      "*filter", "COMMIT", "*nat", ":KUBE-SERVICES - [0:0]",
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" svc1 line 1',
      "-A KUBE-SERVICES -m comment --comment ns1/svc1 svc1 line 2",
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1 blah" svc1 line 3',
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1',
      "-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2",
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3',
      '-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" svc3 line 1',
      '-A KUBE-SERVICES -m comment --comment "ns3/svc3 blah" svc3 line 2',
      "-A KUBE-SERVICES -m comment --comment ns3/svc3 svc3 line 3",
      "-A KUBE-SERVICES -m comment --comment ns4/svc4 svc4 line 1",
      '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" svc4 line 2',
      '-A KUBE-SERVICES -m comment --comment "ns4/svc4 blah" svc4 line 3',
      "COMMIT", "",
    ].join("\n");
    expect(sortIPTablesRules(input)).toBe(output);
  });

  it("unexpected junk lines are preserved", () => {
    const input = [
      "*filter", "COMMIT", "*nat", ":KUBE-SERVICES - [0:0]", ":KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]", ":KUBE-AAAAA - [0:0]",
      ":KUBE-ZZZZZ - [0:0]", ":WHY-IS-THIS-CHAIN-HERE - [0:0]",
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1',
      "-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80",
      '-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"',
      "-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2",
      "-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT",
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3',
      '-A KUBE-AAAAA -m comment --comment "mystery chain number 2"',
      "COMMIT", "",
    ].join("\n");
    const output = [
      "*filter", "COMMIT", "*nat", ":KUBE-SERVICES - [0:0]", ":KUBE-AAAAA - [0:0]", ":KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]",
      ":KUBE-ZZZZZ - [0:0]", ":WHY-IS-THIS-CHAIN-HERE - [0:0]",
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1',
      "-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2",
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3',
      '-A KUBE-AAAAA -m comment --comment "mystery chain number 2"',
      "-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80",
      '-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"',
      "-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT",
      "COMMIT", "",
    ].join("\n");
    expect(sortIPTablesRules(input)).toBe(output);
  });
});

describe("single-chain expectations (assertIPTablesChainEqual)", () => {
  const forward = [
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  ].join("\n") + "\n";
  it.each([
    { nfacct: false, tcpLiberal: false, dropRule: "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n" },
    { nfacct: true, tcpLiberal: false, dropRule: "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP\n" },
    { nfacct: false, tcpLiberal: true, dropRule: "" },
  ])("TestDropInvalidRule: tcpLiberal $tcpLiberal, nfacct $nfacct", ({ nfacct, tcpLiberal, dropRule }) => {
    const data = restore([], [], {}, { ...fakeHost, nfacct, conntrackTCPBeLiberal: tcpLiberal });
    expect(chainRules(data, "filter", "KUBE-FORWARD")).toBe(dropRule + forward);
  });

  it.each([false, true])("TestMasqueradeRule: randomFully %s", (randomFully) => {
    const data = restore([], [], {}, { ...fakeHost, randomFully });
    expect(chainRules(data, "nat", "KUBE-POSTROUTING")).toBe(
      [
        "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
        "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
        `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${randomFully ? " --random-fully" : ""}`,
      ].join("\n") + "\n",
    );
  });
});

describe("TestComputeProbability", () => {
  it("matches the published values and decreases strictly with n", () => {
    const expected: Record<number, string> = {
      1: "1.0000000000",
      2: "0.5000000000",
      10: "0.1000000000",
      100: "0.0100000000",
      1000: "0.0010000000",
      10000: "0.0001000000",
      100000: "0.0000100000",
      100001: "0.0000099999",
    };
    for (const [n, p] of Object.entries(expected)) expect(computeProbability(Number(n))).toBe(p);
    let prev = 0;
    for (let i = 100000; i > 1; i--) {
      const cur = Number(computeProbability(i));
      expect(cur > prev).toBe(true);
      prev = cur;
    }
  });
});

describe("TestSyncProxyRulesLargeClusterMode (full syncs)", () => {
  const threshold = 1000;
  const bulk = (ns: string, name: string, prefix: string, portName: string, p: number) =>
    makeTestEndpointSlice(ns, name, 1, (eps) => {
      eps.endpoints = Array.from({ length: threshold / 2 - 1 }, (_, i) => ep(`${prefix}.${i % 256}.${Math.floor(i / 256)}`));
      eps.ports = [slicePort(portName, p)];
    });
  const services = [
    clusterIPService("ns1", "svc1", "172.30.0.41", [port({ name: "p80", port: 80 })]),
    clusterIPService("ns2", "svc2", "172.30.0.42", [port({ name: "p8080", port: 8080 })]),
    clusterIPService("ns3", "svc3", "172.30.0.43", [port({ name: "p8081", port: 8081 })]),
  ];
  const slices = [bulk("ns1", "svc1", "10.0", "p80", 80), bulk("ns2", "svc2", "10.1", "p8080", 8080)];
  const count = (data: string, match: string) => {
    let endpoints = 0;
    let comments = 0;
    let matched = "";
    for (const line of data.split("\n")) {
      if (line.startsWith("-A KUBE-SEP-") && line.includes("-j DNAT")) {
        endpoints++;
        if (line.includes("--comment")) comments++;
        if (line.includes(match)) matched = line;
      }
    }
    return { matched, endpoints, comments };
  };

  it("keeps comments below the threshold", () => {
    const got = count(restore(services, slices, { masqueradeAll: true }), "10.0.0.0");
    expect(got.matched).toBe("-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80");
    expect(got.endpoints).toBe(2 * (threshold / 2 - 1));
    expect(got.comments).toBe(got.endpoints);
  });

  it("drops them above it (forceSyncProxyRules after svc3's endpoints arrive)", () => {
    const svc3 = makeTestEndpointSlice("ns3", "svc3", 1, (eps) => {
      eps.endpoints = [ep("203.0.113.4"), ep("203.0.113.8"), ep("203.0.113.12")];
      eps.ports = [slicePort("p8081", 8081)];
    });
    const data = restore(services, [...slices, svc3], { masqueradeAll: true });
    const got = count(data, "10.0.0.0");
    expect(got.matched).toBe("-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80");
    expect(got.endpoints).toBe(2 * (threshold / 2 - 1) + 3);
    expect(got.comments).toBe(0);
    expect(count(data, "203.0.113.4").matched).toBe("-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081");
  });

  it("names svc4's chains as the Go test expects them deleted", () => {
    const svc4 = clusterIPService("ns4", "svc4", "172.30.0.44", [port({ name: "p8082", port: 8082 })]);
    const eps4 = makeTestEndpointSlice("ns4", "svc4", 1, (eps) => {
      eps.endpoints = [ep("10.4.0.1")];
      eps.ports = [slicePort("p8082", 8082)];
    });
    const data = restore([svc4], [eps4]);
    expect(data).toContain(":KUBE-SVC-EBDQOQU5SJFXRIL3 - [0:0]");
    expect(data).toContain(":KUBE-SEP-SU5STNODRYEWJAUF - [0:0]");
  });
});

describe("packet flows (runPacketFlowTests)", () => {
  it("TestNoEndpointsReject", () => {
    const svc = clusterIPService("ns1", "svc1", "172.30.0.41", [port({ name: "p80", port: 80, nodePort: 3001 })], (s) => {
      s.type = "LoadBalancer";
      s.externalIPs = ["192.168.99.11"];
      s.loadBalancerIngress = [{ ip: "1.2.3.4", hostname: null, ipMode: "VIP" }];
    });
    runPacketFlowTests(saved([svc], []), testNodeIPs, [
      { name: "pod to cluster IP with no endpoints", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: "REJECT" },
      { name: "external to external IP with no endpoints", sourceIP: testExternalClient, destIP: "192.168.99.11", destPort: 80, output: "REJECT" },
      { name: "pod to NodePort with no endpoints", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3001, output: "REJECT" },
      { name: "external to NodePort with no endpoints", sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: "REJECT" },
      { name: "pod to LoadBalancer IP with no endpoints", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: "REJECT" },
      { name: "external to LoadBalancer IP with no endpoints", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "REJECT" },
    ]);
  });

  it("TestClusterIPGeneral", () => {
    const services = [
      clusterIPService("ns1", "svc1", "172.30.0.41", [port({ name: "http", port: 80 })]),
      clusterIPService("ns2", "svc2", "172.30.0.42", [
        port({ name: "http", port: 80 }),
        port({ name: "https", port: 443, targetPort: 8443 }),
        port({ name: "dns-udp", port: 53, protocol: "UDP" }),
        port({ name: "dns-tcp", port: 53, targetPort: 5353 }),
        port({ name: "dns-sctp", port: 53, protocol: "SCTP" }),
      ]),
    ];
    const slices = [
      makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
        eps.endpoints = [ep("10.180.0.1", { nodeName: testNodeName })];
        eps.ports = [slicePort("http", 80)];
      }),
      makeTestEndpointSlice("ns2", "svc2", 1, (eps) => {
        eps.endpoints = [ep("10.180.0.1", { nodeName: testNodeName }), ep("10.180.2.1", { nodeName: "node2" })];
        eps.ports = [slicePort("http", 80), slicePort("https", 8443), slicePort("dns-udp", 53, "UDP"), slicePort("dns-tcp", 5353), slicePort("dns-sctp", 53, "SCTP")];
      }),
    ];
    runPacketFlowTests(saved(services, slices), testNodeIPs, [
      { name: "simple clusterIP", sourceIP: "10.180.0.2", destIP: "172.30.0.41", destPort: 80, output: "10.180.0.1:80" },
      { name: "hairpin to cluster IP", sourceIP: "10.180.0.1", destIP: "172.30.0.41", destPort: 80, output: "10.180.0.1:80", masq: true },
      { name: "clusterIP with multiple endpoints", sourceIP: "10.180.0.2", destIP: "172.30.0.42", destPort: 80, output: "10.180.0.1:80, 10.180.2.1:80" },
      { name: "clusterIP with TargetPort", sourceIP: "10.180.0.2", destIP: "172.30.0.42", destPort: 443, output: "10.180.0.1:8443, 10.180.2.1:8443" },
      { name: "TCP on shared port", sourceIP: "10.180.0.2", protocol: "TCP", destIP: "172.30.0.42", destPort: 53, output: "10.180.0.1:5353, 10.180.2.1:5353" },
      { name: "UDP on shared port", sourceIP: "10.180.0.2", protocol: "UDP", destIP: "172.30.0.42", destPort: 53, output: "10.180.0.1:53, 10.180.2.1:53" },
      { name: "SCTP on shared port", sourceIP: "10.180.0.2", protocol: "SCTP", destIP: "172.30.0.42", destPort: 53, output: "10.180.0.1:53, 10.180.2.1:53" },
      { name: "TCP-only port does not match UDP traffic", sourceIP: "10.180.0.2", protocol: "UDP", destIP: "172.30.0.42", destPort: 80, output: "" },
      { name: "svc1 does not accept svc2's ports", sourceIP: "10.180.0.2", destIP: "172.30.0.41", destPort: 443, output: "" },
    ]);
  });

  it("TestLoadBalancer (loadBalancerSourceRanges)", () => {
    const svc = clusterIPService("ns1", "svc1", "172.30.0.41", [port({ name: "p80", port: 80, nodePort: 3001 })], (s) => {
      s.type = "LoadBalancer";
      s.loadBalancerIngress = [
        { ip: "1.2.3.4", hostname: null, ipMode: "VIP" },
        { ip: "5.6.7.8", hostname: null, ipMode: "VIP" },
      ];
      s.loadBalancerSourceRanges = ["192.168.0.0/24", " 203.0.113.0/25"];
    });
    const slice = makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
      eps.endpoints = [ep("10.180.0.1")];
      eps.ports = [slicePort("p80", 80)];
    });
    const out = "10.180.0.1:80";
    runPacketFlowTests(saved([svc], [slice]), testNodeIPs, [
      { name: "pod to cluster IP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: out },
      { name: "external to nodePort", sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: out, masq: true },
      { name: "nodePort bypasses LoadBalancerSourceRanges", sourceIP: testExternalClientBlocked, destIP: testNodeIP, destPort: 3001, output: out, masq: true },
      { name: "accepted external to LB1", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: out, masq: true },
      { name: "accepted external to LB2", sourceIP: testExternalClient, destIP: "5.6.7.8", destPort: 80, output: out, masq: true },
      { name: "blocked external to LB1", sourceIP: testExternalClientBlocked, destIP: "1.2.3.4", destPort: 80, output: "DROP" },
      { name: "blocked external to LB2", sourceIP: testExternalClientBlocked, destIP: "5.6.7.8", destPort: 80, output: "DROP" },
      { name: "pod to LB1 (blocked by LoadBalancerSourceRanges)", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: "DROP" },
      { name: "pod to LB2 (blocked by LoadBalancerSourceRanges)", sourceIP: "10.0.0.2", destIP: "5.6.7.8", destPort: 80, output: "DROP" },
      { name: "node to LB1 (allowed by LoadBalancerSourceRanges)", sourceIP: testNodeIP, destIP: "1.2.3.4", destPort: 80, output: out, masq: true },
      { name: "node to LB2 (allowed by LoadBalancerSourceRanges)", sourceIP: testNodeIP, destIP: "5.6.7.8", destPort: 80, output: out, masq: true },
      { name: "same node to LB1, SNATted to LB1 (implicitly allowed)", sourceIP: "1.2.3.4", destIP: "1.2.3.4", destPort: 80, output: out, masq: true },
      { name: "same node to LB2, SNATted to LB2 (implicitly allowed)", sourceIP: "5.6.7.8", destIP: "5.6.7.8", destPort: 80, output: out, masq: true },
    ]);
  });

  describe("TestNodePorts", () => {
    const cases = [
      { name: "ipv4, localhost-nodeports enabled", family: "IPv4", localhostNodePorts: true, nodePortAddresses: null, allowAltNodeIP: true, expectFirewall: true },
      { name: "ipv4, localhost-nodeports disabled", family: "IPv4", localhostNodePorts: false, nodePortAddresses: null, allowAltNodeIP: true, expectFirewall: false },
      { name: "ipv4, localhost-nodeports disabled, localhost in nodeport-addresses", family: "IPv4", localhostNodePorts: false, nodePortAddresses: ["192.168.0.0/24", "127.0.0.1/32"], allowAltNodeIP: false, expectFirewall: false },
      { name: "ipv4, localhost-nodeports enabled, multiple nodeport-addresses", family: "IPv4", localhostNodePorts: false, nodePortAddresses: ["192.168.0.0/24", "192.168.1.0/24", "2001:db8::/64"], allowAltNodeIP: true, expectFirewall: false },
      { name: "ipv6, localhost-nodeports enabled", family: "IPv6", localhostNodePorts: true, nodePortAddresses: null, allowAltNodeIP: true, expectFirewall: false },
      { name: "ipv6, localhost-nodeports disabled", family: "IPv6", localhostNodePorts: false, nodePortAddresses: null, allowAltNodeIP: true, expectFirewall: false },
      { name: "ipv6, localhost-nodeports disabled, multiple nodeport-addresses", family: "IPv6", localhostNodePorts: false, nodePortAddresses: ["192.168.0.0/24", "192.168.1.0/24", "2001:db8::/64"], allowAltNodeIP: false, expectFirewall: false },
    ] as const;
    it.each(cases)("$name", (tc) => {
      const v4 = tc.family === "IPv4";
      const svcIP = v4 ? "172.30.0.41" : "fd00:172:30::41";
      const epIP1 = v4 ? "10.180.0.1" : "fd00:10:180::1";
      const epIP2 = v4 ? "10.180.2.1" : "fd00:10:180::2:1";
      const svc = clusterIPService("ns1", "svc1", svcIP, [port({ name: "p80", port: 80, nodePort: 3001 })], (s) => {
        s.type = "NodePort";
      });
      const slice = makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
        eps.addressType = tc.family;
        eps.endpoints = [ep(epIP1), ep(epIP2, { nodeName: testNodeName })];
        eps.ports = [slicePort("p80", 80)];
      });
      const opts = { localhostNodePorts: tc.localhostNodePorts, ...(tc.nodePortAddresses ? { nodePortAddresses: tc.nodePortAddresses } : {}) };
      const state = fakeState([svc], [slice], opts);
      const dump = record(kubeProxyIptablesOnHost(state, tc.family, fakeHost).text, tc.family);
      const podIP = v4 ? "10.0.0.2" : "fd00:10::2";
      const externalClientIP = v4 ? testExternalClient : "2600:5200::1";
      const nodeIP = v4 ? testNodeIP : testNodeIPv6;
      const altNodeIP = v4 ? testNodeIPAlt : testNodeIPv6Alt;
      const localhostIP = v4 ? "127.0.0.1" : "::1";
      const join = (ip: string) => (ip.includes(":") ? `[${ip}]:80` : `${ip}:80`);
      const output = `${join(epIP1)}, ${join(epIP2)}`;
      const flows: PacketFlowTest[] = [
        { name: "pod to cluster IP", sourceIP: podIP, destIP: svcIP, destPort: 80, output },
        { name: "external to nodePort", sourceIP: externalClientIP, destIP: nodeIP, destPort: 3001, output, masq: true },
        { name: "node to nodePort", sourceIP: nodeIP, destIP: nodeIP, destPort: 3001, output, masq: true },
        v4 && tc.localhostNodePorts
          ? { name: "localhost to nodePort gets masqueraded", sourceIP: localhostIP, destIP: localhostIP, destPort: 3001, output, masq: true }
          : { name: "localhost to nodePort is ignored", sourceIP: localhostIP, destIP: localhostIP, destPort: 3001, output: "" },
        tc.allowAltNodeIP
          ? { name: "external to nodePort on secondary IP", sourceIP: externalClientIP, destIP: altNodeIP, destPort: 3001, output, masq: true }
          : { name: "secondary nodeIP ignores NodePorts", sourceIP: externalClientIP, destIP: altNodeIP, destPort: 3001, output: "" },
      ];
      runPacketFlowTests(dump, testNodeIPs, flows);
      const firewall = tc.expectFirewall
        ? '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n'
        : "";
      expect(chainRules(kubeProxyRestoreInput(state, tc.family, fakeHost), "filter", "KUBE-FIREWALL")).toBe(firewall);
    });
  });

  it("TestHealthCheckNodePort", () => {
    const svc = clusterIPService("ns1", "svc1", "172.30.0.42", [port({ name: "p80", port: 80, nodePort: 3001 })], (s) => {
      s.type = "LoadBalancer";
      s.healthCheckNodePort = 30000;
      s.externalTrafficPolicy = "Local";
    });
    runPacketFlowTests(saved([svc], [], { nodePortAddresses: ["127.0.0.0/8"] }), testNodeIPs, [
      { name: "firewall accepts HealthCheckNodePort", sourceIP: "1.2.3.4", destIP: testNodeIP, destPort: 30000, output: "ACCEPT" },
    ]);
    runPacketFlowTests(saved([], [], { nodePortAddresses: ["127.0.0.0/8"] }), testNodeIPs, [
      { name: "HealthCheckNodePort no longer has any rule", sourceIP: "1.2.3.4", destIP: testNodeIP, destPort: 30000, output: "" },
    ]);
  });

  const lbWithTwoEndpoints = (policy: "Local" | "Cluster") => {
    const svc = clusterIPService("ns1", "svc1", "172.30.0.41", [port({ name: "p80", port: 80, nodePort: 3001, targetPort: 80 })], (s) => {
      s.type = "LoadBalancer";
      s.externalTrafficPolicy = policy;
      s.externalIPs = ["192.168.99.11"];
      if (policy === "Local") s.healthCheckNodePort = 30000;
      s.loadBalancerIngress = [{ ip: "1.2.3.4", hostname: null, ipMode: "VIP" }];
    });
    const slice = makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
      eps.endpoints = [ep("10.180.0.1"), ep("10.180.2.1", { nodeName: testNodeName })];
      eps.ports = [slicePort("p80", 80)];
    });
    return saved([svc], [slice]);
  };
  const both = "10.180.0.1:80, 10.180.2.1:80";

  it("TestExternalTrafficPolicyLocal", () => {
    runPacketFlowTests(lbWithTwoEndpoints("Local"), testNodeIPs, [
      { name: "pod to cluster IP hits both endpoints, unmasqueraded", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: both },
      { name: "pod to external IP hits both endpoints, unmasqueraded", sourceIP: "10.0.0.2", destIP: "192.168.99.11", destPort: 80, output: both },
      { name: "external to external IP hits only local endpoint, unmasqueraded", sourceIP: testExternalClient, destIP: "192.168.99.11", destPort: 80, output: "10.180.2.1:80" },
      { name: "pod to LB IP hits only both endpoints, unmasqueraded", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: both },
      { name: "external to LB IP hits only local endpoint, unmasqueraded", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "10.180.2.1:80" },
      { name: "pod to NodePort hits both endpoints, unmasqueraded", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3001, output: both },
      { name: "external to NodePort hits only local endpoint, unmasqueraded", sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: "10.180.2.1:80" },
    ]);
  });

  it("TestExternalTrafficPolicyCluster", () => {
    runPacketFlowTests(lbWithTwoEndpoints("Cluster"), testNodeIPs, [
      { name: "pod to cluster IP hits both endpoints, unmasqueraded", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: both },
      { name: "pod to external IP hits both endpoints, masqueraded", sourceIP: "10.0.0.2", destIP: "192.168.99.11", destPort: 80, output: both, masq: true },
      { name: "external to external IP hits both endpoints, masqueraded", sourceIP: testExternalClient, destIP: "192.168.99.11", destPort: 80, output: both, masq: true },
      { name: "pod to LB IP hits both endpoints, masqueraded", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: both, masq: true },
      { name: "external to LB IP hits both endpoints, masqueraded", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: both, masq: true },
      { name: "pod to NodePort hits both endpoints, masqueraded", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3001, output: both, masq: true },
      { name: "external to NodePort hits both endpoints, masqueraded", sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: both, masq: true },
    ]);
  });

  describe("TestInternalTrafficPolicy", () => {
    const cases = [
      { name: "internalTrafficPolicy is cluster", policy: "Cluster", nodes: [testNodeName, "node1", "node2"], output: "10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80" },
      { name: "internalTrafficPolicy is local and there is one local endpoint", policy: "Local", nodes: [testNodeName, "node1", "node2"], output: "10.0.1.1:80" },
      { name: "internalTrafficPolicy is local and there are multiple local endpoints", policy: "Local", nodes: [testNodeName, testNodeName, "node2"], output: "10.0.1.1:80, 10.0.1.2:80" },
      { name: "internalTrafficPolicy is local and there are no local endpoints", policy: "Local", nodes: ["node0", "node1", "node2"], output: "DROP" },
    ] as const;
    it.each(cases)("$name", (tc) => {
      const svc = clusterIPService("ns1", "svc1", "172.30.1.1", [port({ name: "", port: 80 })], (s) => {
        s.selector = { foo: "bar" };
        s.internalTrafficPolicy = tc.policy;
      });
      const slice = makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
        eps.ports = [slicePort("", 80)];
        eps.endpoints = tc.nodes.map((n, i) => ep(`10.0.1.${i + 1}`, { nodeName: n }));
      });
      runPacketFlowTests(saved([svc], [slice]), testNodeIPs, [{ name: tc.name, sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: tc.output }]);
      runPacketFlowTests(saved([svc], []), testNodeIPs, [{ name: "endpoints deleted", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "REJECT" }]);
    });
  });

  const terminatingService = (policy: "Local" | "Cluster") =>
    clusterIPService("ns1", "svc1", "172.30.1.1", [port({ name: "", port: 80, targetPort: 80 })], (s) => {
      s.type = "LoadBalancer";
      s.externalTrafficPolicy = policy;
      s.healthCheckNodePort = 30000;
      s.loadBalancerIngress = [{ ip: "1.2.3.4", hostname: null, ipMode: "VIP" }];
    });
  const cond = (ready: boolean, serving: boolean, terminating: boolean, nodeName: string) => ({ ready, serving, terminating, nodeName });
  const runTerminating = (policy: "Local" | "Cluster", endpoints: Array<[string, ReturnType<typeof cond>]>, flows: PacketFlowTest[]) => {
    const slice = makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
      eps.ports = [slicePort("", 80)];
      eps.endpoints = endpoints.map(([ip, c]) => ep(ip, c));
    });
    runPacketFlowTests(saved([terminatingService(policy)], [slice]), testNodeIPs, flows);
    runPacketFlowTests(saved([terminatingService(policy)], []), testNodeIPs, [
      { name: "pod to clusterIP after endpoints deleted", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "REJECT" },
      { name: "external to LB after endpoints deleted", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "REJECT" },
    ]);
  };

  describe("TestTerminatingEndpointsTrafficPolicyLocal", () => {
    it("ready endpoints exist", () =>
      runTerminating(
        "Local",
        [
          ["10.0.1.1", cond(true, true, false, testNodeName)],
          ["10.0.1.2", cond(true, true, false, testNodeName)],
          ["10.0.1.3", cond(false, true, true, testNodeName)],
          ["10.0.1.4", cond(false, false, true, testNodeName)],
          ["10.0.1.5", cond(true, true, false, "node-1")],
        ],
        [
          { name: "pod to clusterIP", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80" },
          { name: "external to LB", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "10.0.1.1:80, 10.0.1.2:80" },
        ],
      ));
    it("only terminating endpoints exist", () =>
      runTerminating(
        "Local",
        [
          ["10.0.1.2", cond(false, true, true, testNodeName)],
          ["10.0.1.3", cond(false, true, true, testNodeName)],
          ["10.0.1.4", cond(false, false, true, testNodeName)],
          ["10.0.1.5", cond(true, true, false, "node-1")],
        ],
        [
          { name: "pod to clusterIP", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "10.0.1.5:80" },
          { name: "external to LB", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "10.0.1.2:80, 10.0.1.3:80" },
        ],
      ));
    it("terminating endpoints on remote node", () =>
      runTerminating("Local", [["10.0.1.5", cond(false, true, true, "node-1")]], [
        { name: "pod to clusterIP", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "10.0.1.5:80" },
        { name: "external to LB, no locally-usable endpoints", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "DROP" },
      ]));
    it("no usable endpoints on any node", () =>
      runTerminating(
        "Local",
        [
          ["10.0.1.5", cond(false, false, true, testNodeName)],
          ["10.0.1.5", cond(false, false, true, "node-1")],
        ],
        [
          { name: "pod to clusterIP, no usable endpoints", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "REJECT" },
          { name: "external to LB, no usable endpoints", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "REJECT" },
        ],
      ));
  });

  describe("TestTerminatingEndpointsTrafficPolicyCluster", () => {
    it("ready endpoints exist", () =>
      runTerminating(
        "Cluster",
        [
          ["10.0.1.1", cond(true, true, false, testNodeName)],
          ["10.0.1.2", cond(true, true, false, testNodeName)],
          ["10.0.1.3", cond(false, true, true, "another-node")],
          ["10.0.1.4", cond(false, false, true, "another-node")],
          ["10.0.1.5", cond(true, true, false, "another-node")],
        ],
        [
          { name: "pod to clusterIP", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80" },
          { name: "external to LB", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80", masq: true },
        ],
      ));
    it("only terminating endpoints exist", () =>
      runTerminating(
        "Cluster",
        [
          ["10.0.1.2", cond(false, true, true, testNodeName)],
          ["10.0.1.3", cond(false, true, true, testNodeName)],
          ["10.0.1.4", cond(false, false, true, "another-node")],
          ["10.0.1.5", cond(false, true, true, "another-node")],
        ],
        [
          { name: "pod to clusterIP", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80" },
          { name: "external to LB", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80", masq: true },
        ],
      ));
    it("terminating endpoints on remote node", () =>
      runTerminating("Cluster", [["10.0.1.5", cond(false, true, true, "node-1")]], [
        { name: "pod to clusterIP", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "10.0.1.5:80" },
        { name: "external to LB", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "10.0.1.5:80", masq: true },
      ]));
    it("no usable endpoints on any node", () =>
      runTerminating(
        "Cluster",
        [
          ["10.0.1.5", cond(false, false, true, testNodeName)],
          ["10.0.1.5", cond(false, false, true, "node-1")],
        ],
        [
          { name: "pod to clusterIP", sourceIP: "10.0.0.2", destIP: "172.30.1.1", destPort: 80, output: "REJECT" },
          { name: "external to LB", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "REJECT" },
        ],
      ));
  });

  describe("TestInternalExternalMasquerade", () => {
    const lb = (n: number, lbIP: string, edit: (s: any) => void) =>
      clusterIPService(`ns${n}`, `svc${n}`, `172.30.0.4${n}`, [port({ name: "p80", port: 80, nodePort: 3000 + n })], (s) => {
        s.type = "LoadBalancer";
        s.healthCheckNodePort = 30000 + n;
        s.loadBalancerIngress = [{ ip: lbIP, hostname: null, ipMode: "VIP" }];
        edit(s);
      });
    const services = [
      lb(1, "1.2.3.4", () => {}),
      lb(2, "5.6.7.8", (s) => (s.externalTrafficPolicy = "Local")),
      lb(3, "9.10.11.12", (s) => (s.internalTrafficPolicy = "Local")),
    ];
    const slices = [1, 2, 3].map((n) =>
      makeTestEndpointSlice(`ns${n}`, `svc${n}`, 1, (eps) => {
        eps.endpoints = [ep(`10.180.0.${n}`, { nodeName: testNodeName }), ep(`10.180.1.${n}`, { nodeName: "remote" })];
        eps.ports = [slicePort("p80", 80)];
      }),
    );
    const flows: PacketFlowTest[] = [
      { name: "pod to ClusterIP", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: "10.180.0.1:80, 10.180.1.1:80" },
      { name: "pod to NodePort", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3001, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "pod to LB", sourceIP: "10.0.0.2", destIP: "1.2.3.4", destPort: 80, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "node to ClusterIP", sourceIP: testNodeIP, destIP: "172.30.0.41", destPort: 80, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "node to NodePort", sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3001, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "localhost to NodePort", sourceIP: "127.0.0.1", destIP: "127.0.0.1", destPort: 3001, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "node to LB", sourceIP: testNodeIP, destIP: "1.2.3.4", destPort: 80, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "external to ClusterIP", sourceIP: testExternalClient, destIP: "172.30.0.41", destPort: 80, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "external to NodePort", sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "external to LB", sourceIP: testExternalClient, destIP: "1.2.3.4", destPort: 80, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "pod to ClusterIP with eTP:Local", sourceIP: "10.0.0.2", destIP: "172.30.0.42", destPort: 80, output: "10.180.0.2:80, 10.180.1.2:80" },
      { name: "pod to NodePort with eTP:Local", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3002, output: "10.180.0.2:80, 10.180.1.2:80" },
      { name: "pod to LB with eTP:Local", sourceIP: "10.0.0.2", destIP: "5.6.7.8", destPort: 80, output: "10.180.0.2:80, 10.180.1.2:80" },
      { name: "node to ClusterIP with eTP:Local", sourceIP: testNodeIP, destIP: "172.30.0.42", destPort: 80, output: "10.180.0.2:80, 10.180.1.2:80", masq: true },
      { name: "node to NodePort with eTP:Local", sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3001, output: "10.180.0.1:80, 10.180.1.1:80", masq: true },
      { name: "localhost to NodePort with eTP:Local", sourceIP: "127.0.0.1", destIP: "127.0.0.1", destPort: 3002, output: "10.180.0.2:80, 10.180.1.2:80", masq: true },
      { name: "node to LB with eTP:Local", sourceIP: testNodeIP, destIP: "5.6.7.8", destPort: 80, output: "10.180.0.2:80, 10.180.1.2:80", masq: true },
      { name: "external to ClusterIP with eTP:Local", sourceIP: testExternalClient, destIP: "172.30.0.42", destPort: 80, output: "10.180.0.2:80, 10.180.1.2:80", masq: true },
      { name: "external to NodePort with eTP:Local", sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3002, output: "10.180.0.2:80" },
      { name: "external to LB with eTP:Local", sourceIP: testExternalClient, destIP: "5.6.7.8", destPort: 80, output: "10.180.0.2:80" },
      { name: "pod to ClusterIP with iTP:Local", sourceIP: "10.0.0.2", destIP: "172.30.0.43", destPort: 80, output: "10.180.0.3:80" },
      { name: "pod to NodePort with iTP:Local", sourceIP: "10.0.0.2", destIP: testNodeIP, destPort: 3003, output: "10.180.0.3:80, 10.180.1.3:80", masq: true },
      { name: "pod to LB with iTP:Local", sourceIP: "10.0.0.2", destIP: "9.10.11.12", destPort: 80, output: "10.180.0.3:80, 10.180.1.3:80", masq: true },
      { name: "node to ClusterIP with iTP:Local", sourceIP: testNodeIP, destIP: "172.30.0.43", destPort: 80, output: "10.180.0.3:80", masq: true },
      { name: "node to NodePort with iTP:Local", sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3003, output: "10.180.0.3:80, 10.180.1.3:80", masq: true },
      { name: "localhost to NodePort with iTP:Local", sourceIP: "127.0.0.1", destIP: "127.0.0.1", destPort: 3003, output: "10.180.0.3:80, 10.180.1.3:80", masq: true },
      { name: "node to LB with iTP:Local", sourceIP: testNodeIP, destIP: "9.10.11.12", destPort: 80, output: "10.180.0.3:80, 10.180.1.3:80", masq: true },
      { name: "external to ClusterIP with iTP:Local", sourceIP: testExternalClient, destIP: "172.30.0.43", destPort: 80, output: "10.180.0.3:80", masq: true },
      { name: "external to NodePort with iTP:Local", sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3003, output: "10.180.0.3:80, 10.180.1.3:80", masq: true },
      { name: "external to LB with iTP:Local", sourceIP: testExternalClient, destIP: "9.10.11.12", destPort: 80, output: "10.180.0.3:80, 10.180.1.3:80", masq: true },
    ];
    type Override = { output?: string; masq?: boolean };
    const setups: Array<{ name: string; masqueradeAll: boolean; localDetector: boolean; overrides: Record<string, Override> }> = [
      { name: "base", masqueradeAll: false, localDetector: true, overrides: {} },
      {
        name: "no LocalTrafficDetector",
        masqueradeAll: false,
        localDetector: false,
        overrides: {
          "node to ClusterIP": { masq: false },
          "node to ClusterIP with eTP:Local": { masq: false },
          "node to ClusterIP with iTP:Local": { masq: false },
          "external to ClusterIP": { masq: false },
          "external to ClusterIP with eTP:Local": { masq: false },
          "external to ClusterIP with iTP:Local": { masq: false },
          "pod to NodePort with eTP:Local": { output: "10.180.0.2:80" },
          "pod to LB with eTP:Local": { output: "10.180.0.2:80" },
        },
      },
      {
        name: "masqueradeAll",
        masqueradeAll: true,
        localDetector: true,
        overrides: {
          "pod to ClusterIP": { masq: true },
          "pod to ClusterIP with eTP:Local": { masq: true },
          "pod to ClusterIP with iTP:Local": { masq: true },
        },
      },
      {
        name: "masqueradeAll, no LocalTrafficDetector",
        masqueradeAll: true,
        localDetector: false,
        overrides: {
          "pod to ClusterIP": { masq: true },
          "pod to ClusterIP with eTP:Local": { masq: true },
          "pod to ClusterIP with iTP:Local": { masq: true },
          "pod to NodePort with eTP:Local": { output: "10.180.0.2:80" },
          "pod to LB with eTP:Local": { output: "10.180.0.2:80" },
        },
      },
    ];
    it.each(setups)("$name", (setup) => {
      const dump = saved(services, slices, { masqueradeAll: setup.masqueradeAll, localDetector: setup.localDetector });
      let applied = 0;
      const merged = flows.map((f) => {
        const o = setup.overrides[f.name];
        if (!o) return f;
        applied++;
        return { ...f, ...(o.output !== undefined ? { output: o.output } : {}), ...(o.masq !== undefined ? { masq: o.masq } : {}) };
      });
      expect(applied).toBe(Object.keys(setup.overrides).length);
      runPacketFlowTests(dump, testNodeIPs, merged);
    });
  });
});

describe("TestLoadBalancerIngressRouteTypeProxy (LoadBalancerIPMode on)", () => {
  it.each([
    { ipMode: "Proxy", svcIP: "10.20.30.41", lbIP: "1.2.3.4", expectedRule: false },
    { ipMode: "VIP", svcIP: "10.20.30.42", lbIP: "1.2.3.5", expectedRule: true },
  ] as const)("ipMode $ipMode", ({ ipMode, svcIP, lbIP, expectedRule }) => {
    const svc = clusterIPService("ns1", "svc1", svcIP, [port({ name: "p80", port: 80, nodePort: 3001 })], (s) => {
      s.type = "LoadBalancer";
      s.loadBalancerIngress = [{ ip: lbIP, hostname: null, ipMode }];
    });
    const slice = makeTestEndpointSlice("ns1", "svc1", 1, (eps) => {
      eps.endpoints = [ep("10.180.0.1")];
      eps.ports = [slicePort("p80", 80)];
    });
    const rules = chainRules(restore([svc], [slice]), "nat", "KUBE-SERVICES");
    expect(rules.includes(` -d ${lbIP} `)).toBe(expectedRule);
  });
});

// Runs last (tests in a file run in order): the kernel refuses nothing this suite generated, and gives
// back, through iptables-save, exactly the kernel form the course prints.
describe.skipIf(process.env.SKIP_KERNEL_TESTS === "1")("every ruleset this suite generated, in the real kernel", () => {
  it("loads with iptables-restore and comes back from iptables-save as asKernelSaves prints it", () => {
    const unavailable = kernelUnavailable();
    if (unavailable) throw new Error(unavailable);
    const texts = [...new Set(generated)].filter((t) => t.includes("COMMIT"));
    expect(texts.length).toBeGreaterThan(20);
    expect(texts.filter((t) => t.includes(":INPUT ACCEPT")).length).toBeGreaterThan(10);
    const run = runInNamespace({ restoreOnly: texts, nfacct: ["ct_state_invalid_dropped_pkts", "localhost_nps_accepted_pkts"] });
    run.restores.forEach((r, i) => {
      expect(r.ok, `generated ruleset ${i}: ${r.error}`).toBe(true);
      // A whole dump (built-in chains and their jumps included) must come back exactly as printed;
      // kube-proxy's bare restore input declares only its own chains, so for it loading is the check.
      if (!texts[i]!.includes(":INPUT ACCEPT")) return;
      const kernel = r.saved.split("\n").filter((l) => !l.startsWith("#")).join("\n");
      expect(asKernelSaves(texts[i]!), `generated ruleset ${i}`).toBe(kernel);
    });
  }, 120_000);
});
