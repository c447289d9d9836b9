/**
 * IPv6 through the walker, refereed by the real kernel. The IPv6 proxier's rules for a dual-stack
 * cluster (test/sim/netfilter/fixtures/dual-stack.yaml) are loaded with ip6tables-restore in a private
 * network namespace laid out like NODE6 below (test/kernel/netns-runner.mjs with family IPv6: the node
 * fd00:192:168::2 on eth0 with a default route, a Pod fd00:10:244::2 behind cbr0, external clients
 * 2001:db8::2 and ::82 behind eth0); one packet is sent per probe — connect() to an IPv6 ClusterIP
 * among them — and the kernel's per-rule counters (ip6tables-save -c) and `conntrack -L -f ipv6`
 * entry must equal the walker's, by the rules of kube-proxy-kernel.test.ts (test/kernel/netns.ts).
 *
 * Also: what `npm run sim -- kube-proxy rules` would print for IPv6 is what ip6tables-save prints
 * after kube-proxy's restore (the round trip generated-rules.test.ts makes for IPv4); the parser
 * refuses what ip6tables-restore refuses; and the same cluster's IPv4 rules walk as the IPv4 kernel
 * walks them, so both proxiers of the dual-stack node are covered.
 */
import { describe, expect, it } from "vitest";
import { kubeProxyIptables } from "../../src/sim/kube/iptables/index";
import { loadManifests } from "../../src/sim/kube/manifest/index";
import { nodeIptablesSave } from "../../src/sim/kube/proxy";
import { parseIptablesSave, RecentLists, walkPacket, type HostContext, type Ruleset, type Walk } from "../../src/sim/netfilter";
import { fakeProxierNode, fixture } from "../sim/netfilter/fixtures";
import { expectKernelAgrees, kernelUnavailable, runInNamespace, seedMatchingKernel, type KernelProbe } from "./netns";

const skip = process.env.SKIP_KERNEL_TESTS === "1";
const unavailable = skip ? null : kernelUnavailable("IPv6");

/** The IPv6 node netns-runner.mjs builds, as the walker sees it. */
const NODE6: HostContext = {
  localAddresses: ["fd00:192:168::2"],
  interfaces: [
    { name: "lo", addresses: ["127.0.0.1/8", "::1/128"] },
    { name: "eth0", addresses: ["fd00:192:168::2/64"] },
    { name: "cbr0", addresses: ["fd00:10:244::1/64"] },
  ],
  routes: [
    { dst: "fd00:10:244::/64", dev: "cbr0" },
    { dst: "fd00:10:244::/56", dev: "cbr0" },
    { dst: "fd00:192:168::/64", dev: "eth0" },
    { dst: "::/0", dev: "eth0" },
  ],
};

const NFACCT = ["ct_state_invalid_dropped_pkts", "localhost_nps_accepted_pkts"];

/** More of the IPv6 rule vocabulary: an IPv6-primary dual-stack Service, externalIPs, internalTrafficPolicy Local, UDP. */
const MORE_IPV6_RULES = `apiVersion: v1
kind: Node
metadata: { name: node-a }
status: { addresses: [{ type: InternalIP, address: "fd00:192:168::2" }, { type: InternalIP, address: 192.168.0.2 }] }
---
apiVersion: v1
kind: Service
metadata: { name: sticky, namespace: shop }
spec:
  ipFamilyPolicy: PreferDualStack
  ipFamilies: [IPv6, IPv4]
  clusterIPs: ["fd00:10:96::20", 172.30.0.30]
  sessionAffinity: ClientIP
  sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } }
  externalIPs: ["2001:db8:7::50"]
  selector: { app: sticky }
  ports: [{ name: http, port: 80, targetPort: 8080 }, { name: dns, port: 53, protocol: UDP, targetPort: 53 }]
---
apiVersion: v1
kind: Service
metadata: { name: local, namespace: shop }
spec:
  ipFamilies: [IPv6]
  clusterIP: "fd00:10:96::21"
  internalTrafficPolicy: Local
  selector: { app: local }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: sticky-1, namespace: shop, labels: { kubernetes.io/service-name: sticky } }
addressType: IPv6
ports: [{ name: http, port: 8080, protocol: TCP }, { name: dns, port: 53, protocol: UDP }]
endpoints:
- { addresses: ["fd00:10:244::5"], nodeName: node-a }
- { addresses: ["fd00:10:244:1::6"], nodeName: node-b }
- { addresses: ["fd00:10:244:1::7"], nodeName: node-b, conditions: { ready: false, serving: true, terminating: true } }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: local-1, namespace: shop, labels: { kubernetes.io/service-name: local } }
addressType: IPv6
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
- { addresses: ["fd00:10:244:1::8"], nodeName: node-b }
`;

interface Case {
  name: string;
  probe: KernelProbe;
  statistic?: boolean;
}

const cases: Case[] = [
  { name: "the node connect()s to an IPv6 ClusterIP (OUTPUT, statistic draw, masquerade)", probe: { from: "node", protocol: "tcp", src: "fd00:192:168::2", srcPort: 43001, dst: "fd00:10:96::a", dstPort: 80 }, statistic: true },
  { name: "a Pod to an IPv6 ClusterIP with two endpoints (statistic draw, DNAT)", probe: { from: "pod", protocol: "tcp", src: "fd00:10:244::2", srcPort: 43002, dst: "fd00:10:96::a", dstPort: 80 }, statistic: true },
  { name: "a Pod to an IPv6 Service without endpoints (REJECT, icmp6-port-unreachable)", probe: { from: "pod", protocol: "tcp", src: "fd00:10:244::2", srcPort: 43003, dst: "fd00:10:96::c", dstPort: 80 } },
  { name: "an external client to the node's IPv6 NodePort (addrtype LOCAL, DNAT, MASQUERADE, recent --set)", probe: { from: "ext", protocol: "tcp", src: "2001:db8::2", srcPort: 43004, dst: "fd00:192:168::2", dstPort: 30080 } },
  { name: "a client outside the IPv6 loadBalancerSourceRanges (DROP in KUBE-PROXY-FIREWALL)", probe: { from: "ext", protocol: "tcp", src: "2001:db8::82", srcPort: 43005, dst: "2001:db8:5::8", dstPort: 80 } },
  { name: "an allowed client, Local policy, no endpoint on this node (DROP)", probe: { from: "ext", protocol: "tcp", src: "2001:db8::2", srcPort: 43006, dst: "2001:db8:5::8", dstPort: 80 } },
  { name: "a Pod to a Pod's IPv6 address (no Service rule matches)", probe: { from: "pod", protocol: "tcp", src: "fd00:10:244::2", srcPort: 43007, dst: "fd00:10:244:1::9", dstPort: 80 } },
  { name: "UDP to an IPv6 ClusterIP port no Service has", probe: { from: "pod", protocol: "udp", src: "fd00:10:244::2", srcPort: 43008, dst: "fd00:10:96::a", dstPort: 53 } },
  { name: "a Pod to a dual-stack Service's IPv6 cluster IP (recent --rcheck misses, --set records)", probe: { from: "pod", protocol: "tcp", src: "fd00:10:244::2", srcPort: 43009, dst: "fd00:10:96::14", dstPort: 80 } },
  { name: "the node to its own IPv6 NodePort (OUTPUT, addrtype LOCAL, masquerade)", probe: { from: "node", protocol: "tcp", src: "fd00:192:168::2", srcPort: 43010, dst: "fd00:192:168::2", dstPort: 30080 } },
  { name: "the node to [::1]:30080 (IPv6 NodePorts are not served on localhost: ! -d ::1/128)", probe: { from: "node", protocol: "tcp", src: "::1", srcPort: 43011, dst: "::1", dstPort: 30080 } },
];

/** The same dual-stack cluster's IPv4 proxier, in the IPv4 namespace (test/kernel/netns-runner.mjs). */
const ipv4Cases: Case[] = [
  { name: "a Pod to the dual-stack Service's IPv4 cluster IP", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 43101, dst: "172.30.0.20", dstPort: 80 } },
  { name: "an external client to the dual-stack Service's IPv4 NodePort", probe: { from: "ext", protocol: "tcp", src: "203.0.113.2", srcPort: 43102, dst: "192.168.0.2", dstPort: 30080 } },
];

function walkFor(ruleset: Ruleset, host: HostContext, probe: KernelProbe, seed: number, recent?: RecentLists, now = 0): Walk {
  return walkPacket(ruleset, { protocol: probe.protocol, src: probe.src, srcPort: probe.srcPort, dst: probe.dst, dstPort: probe.dstPort }, host, recent ? { seed, recent, now } : { seed });
}

const stateOf = (text: string) => loadManifests([{ name: "m.yaml", text }]).state;

describe.skipIf(skip)("the kernel referees IPv6 walks (ip6tables)", () => {
  if (unavailable !== null) {
    it("can run IPv6 kernel tests", () => {
      throw new Error(unavailable);
    });
    return;
  }

  const state = stateOf(fixture("dual-stack.yaml"));

  it("what we print for IPv6 is what ip6tables-save prints after kube-proxy's ip6tables-restore", () => {
    const states = [state, stateOf(MORE_IPV6_RULES)];
    const run = runInNamespace({ restoreOnly: states.map((s) => kubeProxyIptables(s, "IPv6").text), nfacct: NFACCT }, "IPv6");
    expect(run.restores).toHaveLength(states.length);
    run.restores.forEach((r, i) => {
      expect(r.ok, `ruleset ${i}: ${r.error}`).toBe(true);
      const theirs = r.saved.split("\n").filter((l) => !l.startsWith("#"));
      const ours = nodeIptablesSave(states[i]!, "IPv6").split("\n");
      const first = ours.findIndex((line, n) => line !== theirs[n]);
      expect(first === -1 && ours.length === theirs.length ? "identical" : `ruleset ${i}, line ${first + 1}:\n  ours:   ${ours[first]}\n  kernel: ${theirs[first]}`).toBe("identical");
      // …and the parser reads the kernel's dump back.
      expect(parseIptablesSave(r.saved, "IPv6").ruleCount).toBeGreaterThan(20);
    });
  });

  describe("packets through the dual-stack fixture's ip6tables rules", () => {
    const text = nodeIptablesSave(state, "IPv6");
    const ruleset = parseIptablesSave(text, "IPv6");
    // kube-proxy's own restore input goes into the kernel; the walk runs on the node's ip6tables-save.
    const run = runInNamespace({ ruleset: kubeProxyIptables(state, "IPv6").text, nfacct: NFACCT, probes: cases.map((c) => c.probe) }, "IPv6");

    it("the rules load with ip6tables-restore, and the namespace is quiet before the probes", () => {
      expect(run.restoreError).toBeNull();
      expect(run.quiet, "ip6tables counters kept moving with no probe sent").toBe(true);
    });

    // As in kube-proxy-kernel.test.ts: one RecentLists in probe order, a second apart.
    const recent = new RecentLists();
    const seeds = cases.map(() => 1);
    const walks: Walk[] = [];
    const walkInOrder = (n: number) => {
      for (let k = walks.length; k <= n; k++) walks.push(walkFor(ruleset, NODE6, cases[k]!.probe, seeds[k]!, recent, k));
      return walks[n]!;
    };

    cases.forEach((c, n) => {
      it(c.name, () => {
        const kernel = run.probes[n]!;
        if (c.statistic) seeds[n] = seedMatchingKernel(kernel.conntrack, (s) => walkFor(ruleset, NODE6, c.probe, s));
        expectKernelAgrees(walkInOrder(n), kernel, c.probe.protocol, "IPv6");
      });
    });
  });

  describe("the same cluster's IPv4 rules in the IPv4 namespace", () => {
    const ruleset = parseIptablesSave(nodeIptablesSave(state));
    const run = runInNamespace({ ruleset: kubeProxyIptables(state).text, nfacct: NFACCT, probes: ipv4Cases.map((c) => c.probe) });
    const recent = new RecentLists();
    it("the rules load with iptables-restore", () => {
      expect(run.restoreError).toBeNull();
    });
    ipv4Cases.forEach((c, n) => {
      it(c.name, () => {
        expectKernelAgrees(walkFor(ruleset, fakeProxierNode, c.probe, 1, recent, n), run.probes[n]!, c.probe.protocol);
      });
    });
  });

  describe("what ip6tables-restore refuses, the parser refuses", () => {
    const filter = (rules: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:X - [0:0]\n${rules}\nCOMMIT\n`;
    const nat = (rules: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${rules}\nCOMMIT\n`;
    const texts = [
      { name: "IPv4's default REJECT type", text: filter("-A INPUT -p tcp -j REJECT --reject-with icmp-port-unreachable"), ok: false },
      { name: "an IPv4 address", text: filter("-A INPUT -d 10.96.0.10/32 -j ACCEPT"), ok: false },
      { name: "a prefix longer than 128", text: filter("-A INPUT -d fd00::/129 -j ACCEPT"), ok: false },
      { name: "addrtype BROADCAST", text: filter("-A INPUT -m addrtype --dst-type BROADCAST -j ACCEPT"), ok: false },
      { name: "addrtype BLACKHOLE", text: filter("-A INPUT -m addrtype --dst-type BLACKHOLE -j ACCEPT"), ok: false },
      { name: "recent with an IPv4 mask", text: filter("-A INPUT -m recent --rcheck --name X --mask 255.255.255.255 -j ACCEPT"), ok: false },
      { name: "DNAT to an IPv4 address", text: nat("-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80"), ok: false },
      { name: "DNAT to [addr]:port", text: nat("-A PREROUTING -p tcp -j DNAT --to-destination [fd00:10:244:1::5]:8080"), ok: true },
      { name: "DNAT to a bare address (its last group is not a port)", text: nat("-A PREROUTING -p tcp -j DNAT --to-destination fd00::1:80"), ok: true },
      { name: "a bare address without /128, and host bits under a prefix", text: filter("-A INPUT -s fd00:10:244::5/48 -d fd00:10:96::a -j ACCEPT"), ok: true },
      { name: "a mask written as an address", text: filter("-A INPUT -s fd00:10::/ffff:ffff:: -j ACCEPT"), ok: true },
      { name: "ICMPv6 REJECT types and their aliases", text: filter("-A INPUT -p tcp -j REJECT --reject-with port-unreach\n-A INPUT -j REJECT --reject-with icmp6-adm-prohibited"), ok: true },
      { name: "addrtype LOCAL,UNICAST and UNREACHABLE", text: filter("-A INPUT -m addrtype --dst-type LOCAL,UNICAST -j ACCEPT\n-A INPUT -m addrtype ! --src-type UNREACHABLE -j ACCEPT"), ok: true },
      { name: "-p icmpv6", text: filter("-A INPUT -p icmpv6 -j ACCEPT"), ok: true },
      { name: "recent with an IPv6 mask", text: filter("-A INPUT -m recent --rcheck --name X --mask ffff:ffff:ffff:ffff:: -j ACCEPT"), ok: true },
    ];
    const run = runInNamespace({ restoreOnly: texts.map((t) => t.text) }, "IPv6");
    texts.forEach((t, n) => {
      it(`${t.name}: ${t.ok ? "accepted" : "refused"} by both`, () => {
        expect(run.restores[n]!.ok, run.restores[n]!.error).toBe(t.ok);
        let parsed = true;
        try {
          parseIptablesSave(t.text, "IPv6");
        } catch {
          parsed = false;
        }
        expect(parsed).toBe(t.ok);
      });
    });
  });
});
