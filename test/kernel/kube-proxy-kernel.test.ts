/**
 * The walker against the real kernel. Each fixture is loaded with iptables-restore in a private
 * network namespace (test/kernel/netns-runner.mjs builds the node of kube-proxy's test conventions
 * there: node IPs on eth0, a Pod 10.0.0.2 behind cbr0, an external client 203.0.113.2 behind eth0),
 * one packet is sent per probe, and the kernel's per-rule packet counters and conntrack entry are
 * compared with the walker's steps and conntrack entry for the same packet.
 *
 * Comparison rules:
 * - nat: exact. nat rules see only a connection's first packet, so each rule's counter must equal
 *   the number of times the walk matched it.
 * - raw/mangle/filter: exact when nothing answers the probe (the packet is forwarded or sent to a
 *   Pod address nobody owns). When the node itself answers — a local delivery (TCP RST) or a REJECT
 *   (ICMP error) — the answer passes OUTPUT too, so there every rule the walk matched must have
 *   counted, and nothing more is claimed.
 * - conntrack: `conntrack -L` must print the walker's entry, except the timeout (seconds left) and
 *   use= (a kernel reference count); no entry when the walk discarded the packet, nor after a
 *   local delivery the node answered with a RST (see below).
 * - statistic: the kernel's draw is not seeded, so the endpoint it chose must be one of the walk's
 *   candidates; then the seed whose walk chooses the same endpoint is used for the exact comparison.
 */
import { describe, expect, it } from "vitest";
import { parseIptablesSave, RecentLists, walkPacket, type Ruleset, type Walk } from "../../src/sim/netfilter";
import { fakeProxierNode, fixture, withJumpChains } from "../sim/netfilter/fixtures";
import { expectKernelAgrees, kernelUnavailable, runInNamespace, seedMatchingKernel, type KernelProbe } from "./netns";

const skip = process.env.SKIP_KERNEL_TESTS === "1";
const unavailable = skip ? null : kernelUnavailable();
if (skip) console.log("SKIP_KERNEL_TESTS=1: skipping the real-kernel comparison in test/kernel");

interface Case {
  name: string;
  probe: KernelProbe;
  statistic?: boolean;
}

const cases: Case[] = [
  { name: "pod to cluster IP, single endpoint", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 40001, dst: "172.30.0.41", dstPort: 80 } },
  { name: "pod to pod, no match", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 40002, dst: "10.0.0.3", dstPort: 80 } },
  { name: "pod to cluster IP, two endpoints", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 40003, dst: "172.30.0.44", dstPort: 80 }, statistic: true },
  { name: "node to external IP (LOCAL, KUBE-MARK-MASQ)", probe: { from: "node", protocol: "tcp", src: "192.168.0.2", srcPort: 40004, dst: "192.168.99.22", dstPort: 80 } },
  { name: "external client to external IP with no local endpoints (DROP)", probe: { from: "ext", protocol: "tcp", src: "203.0.113.2", srcPort: 40005, dst: "192.168.99.22", dstPort: 80 } },
  { name: "node to its health check node port (ACCEPT)", probe: { from: "node", protocol: "tcp", src: "192.168.0.2", srcPort: 40006, dst: "192.168.0.2", dstPort: 30000 } },
  { name: "pod to a service with no endpoints (REJECT)", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 40007, dst: "172.30.0.46", dstPort: 80 } },
  { name: "external client to a NodePort (DNAT, MASQUERADE, recent --set)", probe: { from: "ext", protocol: "tcp", src: "203.0.113.2", srcPort: 40008, dst: "192.168.0.2", dstPort: 3002 } },
  { name: "blocked external client to a LoadBalancer IP (DROP)", probe: { from: "ext", protocol: "tcp", src: "203.0.113.130", srcPort: 40009, dst: "5.6.7.8", dstPort: 80 } },
  { name: "allowed external client to a LoadBalancer IP", probe: { from: "ext", protocol: "tcp", src: "203.0.113.2", srcPort: 40010, dst: "5.6.7.8", dstPort: 80 } },
];

const fixtures = [
  { name: "TestTracePacket dump", text: fixture("kube-proxy-trace-packet.iptables-save") },
  { name: "verbatim TestOverallIPTablesRules dump + kube-proxy's jumps", text: withJumpChains(fixture("kube-proxy-overall.iptables-save")) },
];

function walkFor(ruleset: Ruleset, probe: KernelProbe, seed: number, recent?: RecentLists, now = 0): Walk {
  return walkPacket(ruleset, { protocol: probe.protocol, src: probe.src, srcPort: probe.srcPort, dst: probe.dst, dstPort: probe.dstPort }, fakeProxierNode, recent ? { seed, recent, now } : { seed });
}

describe.skipIf(skip)("the real kernel agrees with the walker", () => {
  if (unavailable !== null) {
    it("can run kernel tests", () => {
      throw new Error(unavailable);
    });
    return;
  }

  for (const { name: fixtureName, text } of fixtures) {
    describe(fixtureName, () => {
      const ruleset = parseIptablesSave(text);
      const run = runInNamespace({
        ruleset: text,
        nfacct: ["ct_state_invalid_dropped_pkts", "localhost_nps_accepted_pkts"],
        probes: cases.map((c) => c.probe),
      });

      it("loads with iptables-restore", () => {
        expect(run.restoreError).toBeNull();
      });

      // xt_recent lists outlive connections (conntrack -F does not clear them), so the walks share
      // one RecentLists in probe order, a second apart, as the kernel's lists saw the probes. Each
      // probe's seed is 1, except a statistic probe's, which is found from the kernel's choice.
      const recent = new RecentLists();
      const seeds = cases.map(() => 1);
      const walks: Walk[] = [];
      const walkInOrder = (n: number) => {
        for (let k = walks.length; k <= n; k++) walks.push(walkFor(ruleset, cases[k]!.probe, seeds[k]!, recent, k));
        return walks[n]!;
      };

      cases.forEach((c, n) => {
        it(c.name, () => {
          const kernel = run.probes[n]!;
          if (c.statistic) seeds[n] = seedMatchingKernel(kernel.conntrack, (s) => walkFor(ruleset, c.probe, s));
          expectKernelAgrees(walkInOrder(n), kernel, c.probe.protocol);
        });
      });
    });
  }

  describe("what iptables-restore refuses, the parser refuses", () => {
    const base = (rules: string, table = "filter", chains = ":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:X - [0:0]") => `*${table}\n${chains}\n${rules}\nCOMMIT\n`;
    const natChains = ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:X - [0:0]";
    const texts = [
      { name: "TestTracePacket's unquoted comment", text: base("-A INPUT -m comment --comment kubernetes health check service ports -j X"), ok: false },
      { name: "jump to an undeclared chain", text: base("-A INPUT -j KUBE-NOWHERE"), ok: false },
      { name: "DNAT in the filter table", text: base("-A INPUT -p tcp -j DNAT --to-destination 10.0.0.1:80"), ok: false },
      { name: "MASQUERADE reachable from PREROUTING", text: base("-A PREROUTING -j X\n-A X -j MASQUERADE", "nat", natChains), ok: false },
      { name: "DNAT reachable from POSTROUTING", text: base("-A POSTROUTING -j X\n-A X -p tcp -j DNAT --to-destination 10.0.0.1:80", "nat", natChains), ok: false },
      { name: "-m tcp without -p tcp", text: base("-A INPUT -m tcp --dport 80 -j ACCEPT"), ok: false },
      { name: "a jump loop", text: base("-A INPUT -j X\n-A X -j X"), ok: false },
      { name: "-o in INPUT", text: base("-A INPUT -o eth0 -j ACCEPT"), ok: false },
      { name: "missing COMMIT", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n", ok: false },
      { name: "host bits set in a CIDR (iptables masks them)", text: base("-A INPUT -s 10.4.1.5/14 -j ACCEPT"), ok: true },
      { name: "a bare address without /32", text: base("-A INPUT -s 10.180.0.1 -j ACCEPT"), ok: true },
      { name: "-p tcp --dport without -m tcp (implicit match)", text: base("-A INPUT -p tcp --dport 80 -j ACCEPT"), ok: true },
      { name: "goto a user chain", text: base("-A INPUT -g X\n-A X -j RETURN"), ok: true },
      { name: "REJECT with tcp-reset", text: base("-A INPUT -p tcp -j REJECT --reject-with tcp-reset"), ok: true },
    ];
    const run = runInNamespace({ restoreOnly: texts.map((t) => t.text) });
    texts.forEach((t, n) => {
      it(`${t.name}: ${t.ok ? "accepted" : "refused"} by both`, () => {
        expect(run.restores[n]!.ok, run.restores[n]!.error).toBe(t.ok);
        let parsed = true;
        try {
          parseIptablesSave(t.text);
        } catch {
          parsed = false;
        }
        expect(parsed).toBe(t.ok);
      });
    });
  });
});
