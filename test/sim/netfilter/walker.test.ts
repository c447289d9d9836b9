import { describe, expect, it } from "vitest";
import {
  ConntrackTable,
  formatConntrack,
  formatStep,
  parseIptablesSave,
  RecentLists,
  replyOf,
  walkPacket,
  type HostContext,
} from "../../../src/sim/netfilter";
import { fakeProxierNode, fixture, withJumpChains } from "./fixtures";

const overall = parseIptablesSave(withJumpChains(fixture("kube-proxy-overall.iptables-save")));
const pod = { protocol: "tcp" as const, src: "10.0.0.2", srcPort: 40000 };

describe("walkPacket", () => {
  it("walks a Pod's packet to a ClusterIP: DNAT in nat PREROUTING, FORWARD, no masquerade, and the conntrack -L line", () => {
    const walk = walkPacket(overall, { ...pod, dst: "172.30.0.41", dstPort: 80 }, fakeProxierNode);
    expect(walk.verdict).toBe("DNAT");
    expect(walk.chosen).toBe("10.180.0.1:80");
    expect(walk.delivery).toEqual({ kind: "forward", device: "cbr0" });
    expect(walk.packetOut).toEqual({ protocol: "tcp", src: "10.0.0.2", srcPort: 40000, dst: "10.180.0.1", dstPort: 80 });
    expect(formatConntrack(walk.conntrack!)).toBe(
      "tcp      6 120 SYN_SENT src=10.0.0.2 dst=172.30.0.41 sport=40000 dport=80 [UNREPLIED] src=10.180.0.1 dst=10.0.0.2 sport=80 dport=40000 mark=0 use=1",
    );
    const hooks = walk.steps.filter((s) => s.kind === "hook").map((s) => (s.kind === "hook" ? `${s.table} ${s.hook}` : ""));
    expect(hooks).toEqual(["nat PREROUTING", "filter FORWARD", "nat POSTROUTING"]);
  });

  it("says why a rule did not match: the first failing part, in the kernel's order", () => {
    const walk = walkPacket(overall, { ...pod, dst: "172.30.0.42", dstPort: 443 }, fakeProxierNode);
    const step = walk.steps.find((s) => s.kind === "rule" && s.chain === "KUBE-SERVICES" && s.index === 2);
    expect(step).toMatchObject({ matched: false, failed: "-m tcp --dport 80" });
    const first = walk.steps.find((s) => s.kind === "rule" && s.chain === "KUBE-SERVICES" && s.index === 1);
    expect(first).toMatchObject({ matched: false, failed: "-d 172.30.0.41/32" });
    expect(walk.verdict).toBe("NONE");
    expect(walk.candidates).toEqual([]);
  });

  it("starts a packet from the node in OUTPUT and masquerades it to the address of the outgoing device", () => {
    const walk = walkPacket(overall, { protocol: "tcp", src: "192.168.0.2", srcPort: 40000, dst: "172.30.0.41", dstPort: 80 }, fakeProxierNode);
    expect(walk.steps.find((s) => s.kind === "hook")).toEqual({ kind: "hook", hook: "OUTPUT", table: "nat" });
    expect(walk.masquerade).toBe(true);
    expect(walk.packetOut?.src).toBe("10.0.0.1");
    expect(walk.conntrack?.reply).toEqual({ src: "10.180.0.1", dst: "10.0.0.1", srcPort: 80, dstPort: 40000 });
  });

  it("records each statistic draw and is deterministic for a seed; every choice is a candidate", () => {
    const chosen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const a = walkPacket(overall, { ...pod, dst: "172.30.0.44", dstPort: 80 }, fakeProxierNode, { seed });
      const b = walkPacket(overall, { ...pod, dst: "172.30.0.44", dstPort: 80 }, fakeProxierNode, { seed });
      expect(a.chosen).toBe(b.chosen);
      const draw = a.steps.find((s) => s.kind === "rule" && s.draw !== undefined);
      expect(draw?.kind === "rule" && draw.draw?.threshold).toBe(0x40000000);
      expect(a.candidates).toEqual(["10.180.0.4:80", "10.180.0.5:80"]);
      chosen.add(a.chosen!);
    }
    expect([...chosen].sort()).toEqual(["10.180.0.4:80", "10.180.0.5:80"]);
  });

  it("keeps session affinity through -m recent: --set on the endpoint, --rcheck on the next connection", () => {
    const recent = new RecentLists();
    const first = walkPacket(overall, { ...pod, dst: "172.30.0.45", dstPort: 80 }, fakeProxierNode, { recent, now: 100 });
    const rcheck = (w: typeof first) => w.steps.find((s) => s.kind === "rule" && s.chain === "KUBE-SVC-NUKIZ6OKUXPJNT4C" && s.index === 2);
    expect(rcheck(first)).toMatchObject({ matched: false });
    const second = walkPacket(overall, { ...pod, srcPort: 40001, dst: "172.30.0.45", dstPort: 80 }, fakeProxierNode, { recent, now: 200 });
    expect(rcheck(second)).toMatchObject({ matched: true });
    const expired = walkPacket(overall, { ...pod, srcPort: 40002, dst: "172.30.0.45", dstPort: 80 }, fakeProxierNode, { recent, now: 200 + 10801 });
    expect(rcheck(expired)).toMatchObject({ matched: false });
  });

  it("translates the reply from conntrack, not from rules: the Pod's answer is un-DNATed and un-masqueraded", () => {
    const node = { protocol: "tcp" as const, src: "203.0.113.2", srcPort: 40000, dst: "192.168.0.2", dstPort: 3003 };
    const first = walkPacket(overall, node, fakeProxierNode);
    expect(first.chosen).toBe("10.180.0.3:80");
    const table = new ConntrackTable([first.conntrack!]);
    const reply = walkPacket(overall, replyOf(first.conntrack!), fakeProxierNode, { conntrack: table });
    expect(reply.steps.some((s) => s.kind === "hook" && s.table === "nat")).toBe(false);
    expect(reply.packetOut).toEqual({ protocol: "tcp", src: "192.168.0.2", srcPort: 3003, dst: "203.0.113.2", dstPort: 40000 });
    expect(reply.conntrack?.state).toBe("SYN_RECV");
    expect(reply.conntrack?.flags).toEqual([]);
    expect(reply.verdict).toBe("ACCEPT");
  });

  it("leaves no conntrack entry for a dropped packet", () => {
    const walk = walkPacket(overall, { protocol: "tcp", src: "203.0.113.130", srcPort: 40000, dst: "5.6.7.8", dstPort: 80 }, fakeProxierNode);
    expect(walk.verdict).toBe("DROP");
    expect(walk.conntrack).toBeNull();
    expect(walk.packetOut).toBeNull();
  });

  it("follows -g: the goto target's end returns to the caller's caller, and a DROP policy applies", () => {
    const rs = parseIptablesSave(
      ["*filter", ":INPUT DROP [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":A - [0:0]", ":B - [0:0]",
        "-A INPUT -j A", "-A INPUT -j ACCEPT", "-A A -g B", "-A A -j ACCEPT", "-A B -p udp -j ACCEPT", "COMMIT", ""].join("\n"),
    );
    const walk = walkPacket(rs, { protocol: "tcp", src: "203.0.113.2", srcPort: 1000, dst: "192.168.0.2", dstPort: 22 }, fakeProxierNode);
    const lines = walk.steps.map(formatStep);
    expect(lines).toContain("  ← end of B, back to INPUT");
    expect(walk.verdict).toBe("ACCEPT");
    const dropped = walkPacket(parseIptablesSave("*filter\n:INPUT DROP [0:0]\nCOMMIT\n"), { protocol: "tcp", src: "203.0.113.2", srcPort: 1000, dst: "192.168.0.2", dstPort: 22 }, fakeProxierNode);
    expect(dropped.verdict).toBe("DROP");
  });

  it("matches kube-proxy IPVS-mode sets: -m set --match-set KUBE-CLUSTER-IP dst,dst", () => {
    const rs = parseIptablesSave(
      ["*nat", ":PREROUTING ACCEPT [0:0]", ":KUBE-SERVICES - [0:0]", ":KUBE-MARK-MASQ - [0:0]",
        "-A PREROUTING -j KUBE-SERVICES",
        '-A KUBE-SERVICES ! -s 10.0.0.0/8 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
        "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000", "COMMIT", ""].join("\n"),
    );
    const ipsets = { "KUBE-CLUSTER-IP": ["172.30.0.41,tcp:80"] };
    const hit = walkPacket(rs, { protocol: "tcp", src: "203.0.113.2", srcPort: 1, dst: "172.30.0.41", dstPort: 80 }, fakeProxierNode, { ipsets });
    expect(hit.steps.some((s) => s.kind === "target" && s.target === "MARK")).toBe(true);
    const udp = walkPacket(rs, { protocol: "udp", src: "203.0.113.2", srcPort: 1, dst: "172.30.0.41", dstPort: 80 }, fakeProxierNode, { ipsets });
    expect(udp.steps.find((s) => s.kind === "rule" && s.chain === "KUBE-SERVICES")).toMatchObject({ failed: "-m set --match-set KUBE-CLUSTER-IP dst,dst" });
    expect(() => walkPacket(rs, { protocol: "tcp", src: "203.0.113.2", srcPort: 1, dst: "172.30.0.41", dstPort: 80 }, fakeProxierNode)).toThrow(/KUBE-CLUSTER-IP/);
  });

  it("matches -i/-o with + wildcards and addrtype --limit-iface-in", () => {
    const rs = parseIptablesSave(
      ["*filter", ":FORWARD ACCEPT [0:0]", "-A FORWARD -i veth+ -o eth0 -j DROP", "-A FORWARD -i cbr0 ! -o cbr0 -j ACCEPT", "COMMIT", ""].join("\n"),
    );
    const host: HostContext = { ...fakeProxierNode, interfaces: [...fakeProxierNode.interfaces, { name: "veth1234", addresses: [] }], routes: [{ dst: "10.1.0.0/16", dev: "veth1234" }, ...fakeProxierNode.routes] };
    expect(walkPacket(rs, { protocol: "udp", src: "10.1.0.5", srcPort: 1, dst: "8.8.8.8", dstPort: 53 }, host).verdict).toBe("DROP");
    expect(walkPacket(rs, { protocol: "udp", src: "10.0.0.2", srcPort: 1, dst: "8.8.8.8", dstPort: 53 }, host).verdict).toBe("ACCEPT");
    expect(walkPacket(rs, { protocol: "udp", src: "203.0.113.9", srcPort: 1, dst: "10.0.0.2", dstPort: 53, inInterface: "eth0" }, host).verdict).toBe("NONE");
  });
});

describe("long chains (destination index)", () => {
  it("still reports every rule the kernel's linear scan evaluates, each failing on its -d", () => {
    const rules = Array.from({ length: 40 }, (_, n) => `-A KUBE-SERVICES -d 172.30.1.${n} -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.180.1.${n}:80`);
    rules.splice(5, 0, "-A KUBE-SERVICES -p udp -j RETURN");
    const rs = parseIptablesSave(["*nat", ":PREROUTING ACCEPT [0:0]", ":KUBE-SERVICES - [0:0]", "-A PREROUTING -j KUBE-SERVICES", ...rules, "COMMIT", ""].join("\n"));
    expect(rs.tables.nat!.chains.get("KUBE-SERVICES")!.dstIndex).toBeDefined();
    const walk = walkPacket(rs, { protocol: "tcp", src: "10.0.0.2", srcPort: 1, dst: "172.30.1.20", dstPort: 80 }, fakeProxierNode);
    const evaluated = walk.steps.filter((s) => s.kind === "rule" && s.chain === "KUBE-SERVICES");
    expect(evaluated.map((s) => (s.kind === "rule" ? s.index : 0))).toEqual(Array.from({ length: 22 }, (_, n) => n + 1));
    expect(evaluated[0]).toMatchObject({ matched: false, failed: "-d 172.30.1.0/32" });
    expect(evaluated[5]).toMatchObject({ matched: false, failed: "-p udp" });
    expect(evaluated[21]).toMatchObject({ matched: true });
    expect(walk.rulesEvaluated).toBe(23);
    expect(walk.chosen).toBe("10.180.1.20:80");
    expect(walk.candidates).toEqual(["10.180.1.20:80"]);
  });
});
