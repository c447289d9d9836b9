/**
 * IPv6 through the netfilter model: ip6tables-save parsing, the walk (CIDRs, DNAT to "[addr]:port",
 * addrtype, MASQUERADE's source selection, recent), conntrack tuples as `conntrack -L` prints them,
 * and `kube-proxy trace` choosing the node's ip6tables rules for an IPv6 packet of a dual-stack
 * cluster (fixtures/dual-stack.yaml). test/kernel/ipv6-rules.test.ts checks the same walks against
 * the real kernel.
 */
import { describe, expect, it } from "vitest";
import { loadManifests } from "../../../src/sim/kube/manifest/index";
import { kubeProxyWalk, nodeIptablesSave, parseHostPort, rulesetFor } from "../../../src/sim/kube/proxy";
import { InputError } from "../../../src/sim/net/errors";
import {
  ConntrackTable,
  formatConntrack,
  formatIpv6,
  parseIp6tablesSave,
  parseIptablesSave,
  parseIpv6,
  RecentLists,
  replyOf,
  walkPacket,
  type HostContext,
} from "../../../src/sim/netfilter";
import { fakeProxierNode, fixture } from "./fixtures";

/** A node like the IPv6 kernel namespace: fd00:192:168::2 on eth0, Pods behind cbr0, a Pod veth without an address. */
const node6: HostContext = {
  localAddresses: ["fd00:192:168::2"],
  interfaces: [
    { name: "lo", addresses: ["127.0.0.1/8", "::1/128"] },
    { name: "eth0", addresses: ["fd00:192:168::2/64", "2001:db8:1::2/64"] },
    { name: "cbr0", addresses: ["fd00:10:244::1/64"] },
    { name: "veth1", addresses: [] },
  ],
  routes: [
    { dst: "fd00:10:244::7/128", dev: "veth1" },
    { dst: "fd00:10:244::/56", dev: "cbr0" },
    { dst: "fd00:192:168::/64", dev: "eth0" },
    { dst: "::/0", dev: "eth0" },
  ],
};

const nat = (rules: string, chains = "") =>
  `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${chains}${rules}\nCOMMIT\n`;

describe("IPv6 addresses as the tools print them", () => {
  it.each([
    ["fd00:10:96::a", "fd00:10:96::a"],
    ["FD00:0010:0096:0000:0000:0000:0000:000A", "fd00:10:96::a"],
    ["::", "::"],
    ["::1", "::1"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["::ffff:10.0.0.1", "::ffff:10.0.0.1"],
    ["fe80::", "fe80::"],
  ])("%s prints as %s (inet_ntop, RFC 5952)", (text, printed) => {
    expect(formatIpv6(parseIpv6(text))).toBe(printed);
  });

  it("refuses what is not an IPv6 address, naming it", () => {
    for (const bad of ["fd00:::1", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "10.0.0.1", ""]) expect(() => parseIpv6(bad), bad).toThrow(InputError);
  });
});

describe("parsing an ip6tables-save dump", () => {
  it("reads IPv6 CIDRs as ip6tables-save prints them, host bits cleared", () => {
    const rs = parseIp6tablesSave(nat("-A PREROUTING -s fd00:10:244::5/56 -d fd00:10:96::a -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd00:10:244:1::5]:8080"));
    expect(rs.family).toBe("IPv6");
    const rule = rs.tables.nat!.chains.get("PREROUTING")!.rules[0]!;
    expect(rule.matches.slice(0, 2).map((m) => m.text)).toEqual(["-s fd00:10:244::/56", "-d fd00:10:96::a/128"]);
    expect(rule.target).toEqual({ kind: "DNAT", address: parseIpv6("fd00:10:244:1::5"), port: 8080 });
  });

  it("takes a bare --to-destination as one address, its last group not a port", () => {
    const rs = parseIp6tablesSave(nat("-A PREROUTING -p tcp -j DNAT --to-destination fd00::1:80"));
    expect(rs.tables.nat!.chains.get("PREROUTING")!.rules[0]!.target).toEqual({ kind: "DNAT", address: parseIpv6("fd00::1:80"), port: null });
  });

  it.each([
    ["-A PREROUTING -d 10.96.0.10/32 -j ACCEPT", /bad address/],
    ["-A PREROUTING -d fd00::/129 -j ACCEPT", /at most 128/],
    ["-A PREROUTING -m addrtype --dst-type BROADCAST -j ACCEPT", /no broadcast/],
    ["-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80", /--to-destination/],
    ["-A PREROUTING -m recent --rcheck --name X --mask 255.255.255.255 -j ACCEPT", /--mask/],
  ])("refuses %s with the line", (rule, reason) => {
    expect(() => parseIp6tablesSave(nat(rule))).toThrow(reason);
  });

  it("knows ip6tables' REJECT types, and IPv4's are refused there", () => {
    const filter = (target: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j ${target}\nCOMMIT\n`;
    expect(parseIp6tablesSave(filter("REJECT")).tables.filter!.chains.get("INPUT")!.rules[0]!.target).toEqual({ kind: "REJECT", rejectWith: "icmp6-port-unreachable" });
    expect(parseIp6tablesSave(filter("REJECT --reject-with adm-prohibited")).tables.filter!.chains.get("INPUT")!.rules[0]!.target).toEqual({ kind: "REJECT", rejectWith: "icmp6-adm-prohibited" });
    expect(() => parseIp6tablesSave(filter("REJECT --reject-with icmp-port-unreachable"))).toThrow(/not an ip6tables REJECT type/);
  });
});

describe("walking an IPv6 packet", () => {
  const services = 100;
  const chains = Array.from({ length: services }, (_, s) => `:KUBE-SVC-${s} - [0:0]\n`).join("");
  const rules = [
    "-A PREROUTING -j KUBE-SERVICES",
    "-A OUTPUT -j KUBE-SERVICES",
    "-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE",
    ...Array.from({ length: services }, (_, s) => `-A KUBE-SERVICES -d fd00:10:96::${s.toString(16)}/128 -p tcp -m tcp --dport 80 -j KUBE-SVC-${s}`),
    "-A KUBE-SERVICES ! -d ::1/128 -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
    "-A KUBE-NODEPORTS -p tcp -m tcp --dport 30080 -j KUBE-MARK-MASQ",
    "-A KUBE-NODEPORTS -p tcp -m tcp --dport 30080 -j DNAT --to-destination [fd00:10:244::7]:8080",
    "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
    ...Array.from({ length: services }, (_, s) => [
      `-A KUBE-SVC-${s} -m statistic --mode random --probability 0.5 -j DNAT --to-destination [fd00:10:244:1::${s.toString(16)}]:8080`,
      `-A KUBE-SVC-${s} -j DNAT --to-destination [fd00:10:244:2::${s.toString(16)}]:8080`,
    ]).flat(),
  ].join("\n");
  const ruleset = parseIp6tablesSave(nat(rules, `${chains}:KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n`));

  it("finds the Service among many by its exact /128 and DNATs to [addr]:port", () => {
    const walk = walkPacket(ruleset, { protocol: "tcp", src: "fd00:10:244::2", srcPort: 40000, dst: "fd00:10:96::63", dstPort: 80 }, node6, { seed: 3 });
    expect(walk.verdict).toBe("DNAT");
    expect(walk.candidates).toEqual(["[fd00:10:244:1::63]:8080", "[fd00:10:244:2::63]:8080"]);
    expect(walk.candidates).toContain(walk.chosen);
    // The kernel's scan fails 99 rules on their -d before the one that matches.
    expect(walk.steps.filter((s) => s.kind === "rule" && s.chain === "KUBE-SERVICES" && !s.matched && s.failed?.startsWith("-d fd00:10:96::"))).toHaveLength(99);
    expect(walk.packetOut).toMatchObject({ src: "fd00:10:244::2", dst: walk.chosen!.slice(1, walk.chosen!.indexOf("]")) });
  });

  it("matches the node's IPv6 address as LOCAL (not ::1), and masquerades from the outgoing interface's address", () => {
    const walk = walkPacket(ruleset, { protocol: "tcp", src: "2001:db8::2", srcPort: 40001, dst: "fd00:192:168::2", dstPort: 30080 }, node6, { seed: 1 });
    expect(walk.chosen).toBe("[fd00:10:244::7]:8080");
    expect(walk.masquerade).toBe(true);
    // fd00:10:244::7 leaves by veth1, which has no address: RFC 6724 picks, among every interface's
    // global addresses, one with the destination's label (fc00::/7) — not eth0's 2001:db8:1::2 — and
    // of those the longest common prefix: cbr0's fd00:10:244::1, not the node's fd00:192:168::2.
    expect(walk.packetOut).toEqual({ protocol: "tcp", src: "fd00:10:244::1", srcPort: 40001, dst: "fd00:10:244::7", dstPort: 8080 });
    expect(formatConntrack(walk.conntrack!)).toBe(
      "tcp      6 120 SYN_SENT src=2001:db8::2 dst=fd00:192:168::2 sport=40001 dport=30080 [UNREPLIED] src=fd00:10:244::7 dst=fd00:10:244::1 sport=8080 dport=40001 mark=0 use=1",
    );
    // Leaving by eth0 (an endpoint behind the default route), eth0's own addresses come first (rule 5),
    // and of those the one sharing the label and longest prefix with the destination.
    const viaEth0 = parseIp6tablesSave(nat("-A PREROUTING -p tcp -j DNAT --to-destination [2001:db8:9::1]:80\n-A POSTROUTING -j MASQUERADE"));
    expect(walkPacket(viaEth0, { protocol: "tcp", src: "fd00:10:244::2", srcPort: 40004, dst: "fd00:10:96::1", dstPort: 80 }, node6).packetOut?.src).toBe("2001:db8:1::2");
    const loopback = walkPacket(ruleset, { protocol: "tcp", src: "::1", srcPort: 40002, dst: "::1", dstPort: 30080 }, node6);
    expect(loopback.verdict).toBe("NONE");
    expect(loopback.steps.some((s) => s.kind === "rule" && s.failed === "! -d ::1/128")).toBe(true);
  });

  it("un-NATs the reply from the conntrack entry, IPv6 tuples and all", () => {
    const first = walkPacket(ruleset, { protocol: "tcp", src: "fd00:10:244::2", srcPort: 40003, dst: "fd00:10:96::a", dstPort: 80 }, node6, { seed: 1 });
    const table = new ConntrackTable([first.conntrack!]);
    const reply = walkPacket(ruleset, replyOf(first.conntrack!), node6, { conntrack: table });
    expect(reply.packetOut).toMatchObject({ src: "fd00:10:96::a", srcPort: 80, dst: "fd00:10:244::2", dstPort: 40003 });
    // A non-canonical spelling of the same tuple finds the same entry.
    const again = walkPacket(ruleset, { protocol: "tcp", src: "FD00:10:244:0::2", srcPort: 40003, dst: "fd00:10:96:0:0::a", dstPort: 80 }, node6, { conntrack: table });
    expect(again.steps[0]).toMatchObject({ kind: "conntrack", action: "established" });
  });

  it("refuses a packet whose family is not the ruleset's, as the kernel never shows it to those rules", () => {
    expect(() => walkPacket(ruleset, { protocol: "tcp", src: "10.0.0.2", srcPort: 1, dst: "10.96.0.1", dstPort: 80 }, fakeProxierNode)).toThrow(/meets only iptables rules, and these are ip6tables/);
    const v4 = parseIptablesSave(nat("-A PREROUTING -j ACCEPT"));
    expect(() => walkPacket(v4, { protocol: "tcp", src: "fd00::2", srcPort: 1, dst: "fd00::1", dstPort: 80 }, node6)).toThrow(/meets only ip6tables rules/);
    expect(() => walkPacket(v4, { protocol: "tcp", src: "10.0.0.2", srcPort: 1, dst: "fd00::1", dstPort: 80 }, node6)).toThrow(/one family/);
  });

  it("keeps xt_recent lists of IPv6 sources under the rule's --mask", () => {
    const rs = parseIp6tablesSave(nat(
      "-A PREROUTING -m recent --rcheck --seconds 60 --name AFF --mask ffff:ffff:ffff:ffff:: --rsource -j DNAT --to-destination [fd00::5]:80\n-A PREROUTING -m recent --set --name AFF --mask ffff:ffff:ffff:ffff:: --rsource -j DNAT --to-destination [fd00::6]:80",
    ));
    const recent = new RecentLists();
    const packet = (src: string) => ({ protocol: "tcp" as const, src, srcPort: 40000, dst: "fd00:10:96::1", dstPort: 80 });
    expect(walkPacket(rs, packet("2001:db8:1:2::a"), node6, { recent, now: 0 }).chosen).toBe("[fd00::6]:80");
    // Another address in the same /64 hits the list.
    const second = walkPacket(rs, packet("2001:db8:1:2::b"), node6, { recent, now: 1 });
    expect(second.chosen).toBe("[fd00::5]:80");
    expect(second.steps.find((s) => s.kind === "rule" && s.recent)).toMatchObject({ recent: { address: "2001:db8:1:2::", hit: true } });
  });
});

describe("kube-proxy trace on a dual-stack node", () => {
  const { state } = loadManifests([{ name: "dual-stack.yaml", text: fixture("dual-stack.yaml") }]);

  it("has one ruleset per family: iptables for IPv4, ip6tables for IPv6", () => {
    expect(rulesetFor(state, "iptables").ruleset.family).toBe("IPv4");
    expect(rulesetFor(state, "iptables", "IPv6").ruleset.family).toBe("IPv6");
    expect(nodeIptablesSave(state, "IPv6")).toContain("-A KUBE-SERVICES -d fd00:10:96::a/128 -p tcp");
    expect(nodeIptablesSave(state, "IPv6")).toContain("--reject-with icmp6-port-unreachable");
    expect(nodeIptablesSave(state)).not.toContain("fd00:");
  });

  it("walks an IPv6 packet to an IPv6-only Service through the ip6tables rules", () => {
    const walk = kubeProxyWalk(state, { src: "fd00:10:244::2", dst: "[fd00:10:96::a]:80", protocol: "tcp", seed: 0, mode: "iptables" });
    expect(walk.verdict).toBe("DNAT");
    expect(walk.candidates).toEqual(["[fd00:10:244:1::1]:8080", "[fd00:10:244:1::2]:8080"]);
    expect(walk.entry).toBe("PREROUTING");
    expect(walk.conntrack).toMatch(/^tcp {6}6 120 SYN_SENT src=fd00:10:244::2 dst=fd00:10:96::a sport=\d+ dport=80 \[UNREPLIED\] src=fd00:10:244:1::[12] dst=fd00:10:244::2 sport=8080 dport=\d+ mark=0 use=1$/);
    // The JSON contract holds: nothing in the result is a bigint.
    expect(() => JSON.stringify(walk)).not.toThrow();
  });

  it("walks each family of a dual-stack Service through that family's rules", () => {
    const v6 = kubeProxyWalk(state, { src: "fd00:192:168::2", dst: "[fd00:10:96::14]:80", protocol: "tcp", seed: 0, mode: "iptables" });
    expect(v6).toMatchObject({ entry: "OUTPUT", verdict: "DNAT", chosen: "[fd00:10:244:1::3]:8080", masquerade: true });
    expect(v6.packetOut?.src).toBe("fd00:192:168::2");
    const v4 = kubeProxyWalk(state, { src: "10.0.0.2", dst: "172.30.0.20:80", protocol: "tcp", seed: 0, mode: "iptables" });
    expect(v4).toMatchObject({ verdict: "DNAT", chosen: "10.180.0.3:8080", masquerade: false });
    const empty = kubeProxyWalk(state, { src: "fd00:10:244::2", dst: "[fd00:10:96::c]:80", protocol: "tcp", seed: 0, mode: "iptables" });
    expect(empty.verdict).toBe("REJECT");
  });

  it("walks IPv6 in IPVS mode too, and refuses mixed families, naming the input", () => {
    expect(kubeProxyWalk(state, { src: "fd00:10:244::2", dst: "[fd00:10:96::a]:80", protocol: "tcp", seed: 0, mode: "ipvs" }).verdict).toBe("DNAT");
    expect(() => kubeProxyWalk(state, { src: "10.0.0.2", dst: "[fd00:10:96::a]:80", protocol: "tcp", seed: 0, mode: "iptables" })).toThrow(/one packet has one family/);
  });

  it("reads [IPv6]:PORT and refuses an unbracketed one", () => {
    expect(parseHostPort("[FD00:10:96:0::A]:80")).toEqual({ ip: "fd00:10:96::a", port: 80 });
    expect(parseHostPort("10.96.0.10:53")).toEqual({ ip: "10.96.0.10", port: 53 });
    expect(() => parseHostPort("fd00:10:96::a:80")).toThrow(/in brackets/);
    expect(() => parseHostPort("[fd00:10:96::a]")).toThrow(/IP:PORT/);
    expect(() => parseHostPort("[fd00:::a]:80")).toThrow(/\[fd00:::a\]:80: not an IPv6 address/);
  });
});
