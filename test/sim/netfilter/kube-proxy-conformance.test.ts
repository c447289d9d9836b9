/**
 * kube-proxy's own packet-flow expectations, run against our walker.
 *
 * Source: kubernetes pkg/proxy/iptables/proxier_test.go (kairosci/kubernetes mirror, commit
 * 235e48943bb6ddc80e073456e5916a05f69f0be6): TestTracePacket's static dump and its
 * runPacketFlowTests table, ported case by case. Every other packet-flow table in that file runs
 * against rules syncProxyRules generates during the test (they are not in the file), so they cannot
 * be ported without re-implementing kube-proxy; instead the same seven flows also run against the
 * verbatim TestOverallIPTablesRules dump (which describes the same six Services, plus the nfacct and
 * session-affinity rules), spliced with kube-proxy's built-in jumps.
 *
 * Deliberate differences from kube-proxy's tracer (tracePacket in proxier_test.go):
 * - It runs nat PREROUTING for every packet, then the filter chains KUBE-SERVICES,
 *   KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and KUBE-PROXY-FIREWALL directly, ignoring the built-in
 *   chains. We walk the kernel's real path: a packet from a node IP starts in OUTPUT, forwarded
 *   packets go through FORWARD, local ones through INPUT, and filter is entered through the
 *   built-in jumps (which the fake iptables records from EnsureRule, and our fixture writes out).
 * - It treats any `-m mark`, `-m conntrack` or `-m recent --rcheck` as not matching; we evaluate
 *   them (the mark KUBE-MARK-MASQ set, ctstate NEW/DNAT, an empty recent list).
 * - Its `masq` is "KUBE-MARK-MASQ was hit"; ours is "MASQUERADE fired in nat POSTROUTING", which
 *   KUBE-POSTROUTING does exactly when that mark is set.
 * - Its output lists every DNAT target reachable across statistic branches; that is our
 *   `candidates`. When no DNAT is reachable its output is the terminal ACCEPT/DROP/REJECT, which is
 *   our verdict; our NONE (only built-in ACCEPT policies decided) is its "".
 */
import { describe, expect, it } from "vitest";
import { parseIptablesSave, walkPacket, type Walk } from "../../../src/sim/netfilter";
import { fakeProxierNode, fixture, withJumpChains } from "./fixtures";

interface PacketFlowTest {
  name: string;
  sourceIP: string;
  protocol?: "tcp" | "udp" | "sctp";
  destIP: string;
  destPort: number;
  output: string;
  masq?: boolean;
}

// runPacketFlowTests(t, getLine(), ipt, testNodeIPs, []packetFlowTest{…}) in TestTracePacket.
const testNodeIP = "192.168.0.2";
const testExternalClient = "203.0.113.2";
const tracePacketFlows: PacketFlowTest[] = [
  { name: "no match", sourceIP: "10.0.0.2", destIP: "10.0.0.3", destPort: 80, output: "" },
  { name: "single endpoint", sourceIP: "10.0.0.2", destIP: "172.30.0.41", destPort: 80, output: "10.180.0.1:80" },
  { name: "multiple endpoints", sourceIP: "10.0.0.2", destIP: "172.30.0.44", destPort: 80, output: "10.180.0.4:80, 10.180.0.5:80" },
  { name: "LOCAL, KUBE-MARK-MASQ", sourceIP: testNodeIP, destIP: "192.168.99.22", destPort: 80, output: "10.180.0.2:80", masq: true },
  { name: "DROP", sourceIP: testExternalClient, destIP: "192.168.99.22", destPort: 80, output: "DROP" },
  { name: "ACCEPT (NodePortHealthCheck)", sourceIP: testNodeIP, destIP: testNodeIP, destPort: 30000, output: "ACCEPT" },
  { name: "REJECT", sourceIP: "10.0.0.2", destIP: "172.30.0.46", destPort: 80, output: "REJECT" },
];

/** kube-proxy's `output` string, computed from a walk (see the header for the mapping). */
function kubeProxyOutput(walk: Walk): string {
  if (walk.candidates.length > 0) return walk.candidates.join(", ");
  return walk.verdict === "ACCEPT" || walk.verdict === "DROP" || walk.verdict === "REJECT" ? walk.verdict : "";
}

function runFlows(dump: string, flows: PacketFlowTest[]) {
  const ruleset = parseIptablesSave(dump);
  for (const flow of flows) {
    it(flow.name, () => {
      const walk = walkPacket(
        ruleset,
        { protocol: flow.protocol ?? "tcp", src: flow.sourceIP, srcPort: 40000, dst: flow.destIP, dstPort: flow.destPort },
        fakeProxierNode,
        { seed: 7 },
      );
      expect(kubeProxyOutput(walk)).toBe(flow.output);
      expect(walk.masquerade).toBe(flow.masq ?? false);
      // The endpoint actually chosen is always one of the candidates.
      if (walk.chosen !== null) expect(walk.candidates).toContain(walk.chosen);
    });
  }
}

describe("TestTracePacket packet flows (static dump)", () => {
  runFlows(fixture("kube-proxy-trace-packet.iptables-save"), tracePacketFlows);
});

describe("TestTracePacket packet flows against the verbatim TestOverallIPTablesRules dump", () => {
  runFlows(withJumpChains(fixture("kube-proxy-overall.iptables-save")), tracePacketFlows);
});

describe("TestTracePacket's verbatim form", () => {
  it("is rejected, as iptables-restore rejects it: an unquoted multi-word comment", () => {
    const verbatim = fixture("kube-proxy-trace-packet.iptables-save").replace(
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      "-A INPUT -m comment --comment kubernetes health check service ports -j KUBE-NODEPORTS",
    );
    expect(() => parseIptablesSave(verbatim)).toThrow(/line 18: unexpected argument "health"/);
  });
});
