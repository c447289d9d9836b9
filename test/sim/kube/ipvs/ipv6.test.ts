/**
 * IPVS mode's IPv6 proxier (kube-proxy 1.31 runs one per family): KUBE-6-* sets with `family inet6`,
 * IPv6 virtual servers in the node's one IPVS table as `ipvsadm -Ln` prints them, the ip6tables rules,
 * kube-ipvs0's IPv6 addresses, and an IPv6 packet's walk. The cluster is the dual-stack fixture the
 * kernel tests also use (test/sim/netfilter/fixtures/dual-stack.yaml).
 */
import { describe, expect, it } from "vitest";
import {
  foldedAddress,
  IPSET_INFO,
  ipv6SetName,
  ipvsadmLn,
  kubeProxyIpvs,
  kubeProxyIpvsNode,
  serviceBucket,
  sourceHashBucket,
} from "../../../../src/sim/kube/ipvs/index";
import { loadManifests } from "../../../../src/sim/kube/manifest/index";
import { kubeProxyRules, kubeProxyWalk } from "../../../../src/sim/kube/proxy";
import { fixture } from "../../netfilter/fixtures";
import { demoCluster } from "./fixtures";

const text = fixture("dual-stack.yaml");
const { state } = loadManifests([{ name: "dual-stack.yaml", text }]);
const node = kubeProxyIpvsNode(state);
const v6 = node.ipv6!;

describe("the IPv6 proxier's ipsets (pkg/proxy/ipvs/ipset.go NewIPSet)", () => {
  it("renames KUBE- to KUBE-6- and cuts names at ipset's 31 characters", () => {
    const names = IPSET_INFO.map((i) => ipv6SetName(i.name));
    for (const name of names) expect(name.length).toBeLessThanOrEqual(31);
    expect(names).toContain("KUBE-6-CLUSTER-IP");
    expect(names).toContain("KUBE-6-LOAD-BALANCER-SOURCE-CID");
    expect(names).toContain("KUBE-6-NODE-PORT-LOCAL-SCTP-HAS");
    expect(v6.ipsets.map((s) => s.name)).toEqual(names);
  });

  it("creates hash sets with family inet6 and lists IPv6 members as ipset save prints them", () => {
    const lines = node.ipsetSave.split("\n");
    expect(lines).toContain("add KUBE-6-CLUSTER-IP fd00:10:96::a,tcp:80");
    expect(lines.find((l) => l.startsWith("create KUBE-6-CLUSTER-IP "))).toMatch(/^create KUBE-6-CLUSTER-IP hash:ip,port family inet6 hashsize 1024 maxelem 65536 bucketsize 12 initval 0x[0-9a-f]{8}$/);
    expect(lines).toContain("create KUBE-6-NODE-PORT-TCP bitmap:port range 0-65535");
    expect(lines).toContain("add KUBE-6-LOAD-BALANCER-SOURCE-CID 2001:db8:5::8,tcp:80,2001:db8::/121");
    // The IPv4 proxier's sets come first and keep family inet.
    expect(lines.findIndex((l) => l.startsWith("create KUBE-CLUSTER-IP hash:ip,port family inet "))).toBeLessThan(lines.findIndex((l) => l.startsWith("create KUBE-6-")));
  });

  it("prints a /128 source range as a bare address, as ipset save does", () => {
    const host = kubeProxyIpvs(loadManifests([{ name: "m.yaml", text: text.replace('["2001:db8::/121"]', '["2001:db8::2/128"]') }]).state, { family: "IPv6" });
    expect(host.ipsetSave).toContain("add KUBE-6-LOAD-BALANCER-SOURCE-CID 2001:db8:5::8,tcp:80,2001:db8::2\n");
  });
});

describe("ipvsadm -Ln on a dual-stack node", () => {
  const lines = node.ipvsadmLn.split("\n");

  it("brackets IPv6 virtual and real servers and keeps ipvsadm's columns", () => {
    expect(lines).toContain("TCP  [fd00:10:96::a]:80 rr");
    expect(lines).toContain(`  -> ${"[fd00:10:244:1::1]:8080".padEnd(28)} Masq    1      0          0         `);
    expect(lines).toContain("TCP  [fd00:192:168::2]:30080 rr persistent 10800");
  });

  it("lists every IPv4 service before every IPv6 one (af 2 < 10), then by the wrapped word difference", () => {
    const services = lines.filter((l) => /^(TCP|UDP|SCTP) /.test(l));
    const firstV6 = services.findIndex((l) => l.includes("["));
    expect(services.slice(0, firstV6).every((l) => !l.includes("["))).toBe(true);
    expect(services.slice(firstV6).every((l) => l.includes("["))).toBe(true);
    // 0x20010db8 - 0xfd000010 wraps to a positive int, so 2001:db8:5::8 lists after fd00:…
    expect(services.indexOf("TCP  [2001:db8:5::8]:80 rr")).toBeGreaterThan(services.indexOf("TCP  [fd00:10:96::a]:80 rr"));
  });

  it("does not cut a long IPv6 name where an IPv4 one would be cut at 33 characters", () => {
    const vs = { ...v6.virtualServers[0]!, address: "fd00:1234:5678:9abc:def0:1234:5678:9abc", realServers: [] };
    const line = ipvsadmLn([vs]).split("\n")[3]!;
    expect(line.startsWith(`TCP  [fd00:1234:5678:9abc:def0:1234:5678:9abc]:${vs.port} `)).toBe(true);
    expect(line.length).toBeGreaterThan(33);
    const v4 = { ...vs, address: "10.96.0.10" };
    expect(ipvsadmLn([v4]).split("\n")[3]!.startsWith("TCP  10.96.0.10:")).toBe(true);
  });

  it("an IPv4-only cluster has no IPv6 proxier output: the IPv4 tables are unchanged", () => {
    const demo = demoCluster();
    const both = kubeProxyIpvsNode(demo, { seed: 7 });
    const v4 = kubeProxyIpvs(demo, { seed: 7 });
    expect(both.ipv6).toBeNull();
    expect(both.ipvsadmLn).toBe(v4.ipvsadmLn);
    expect(both.ipsetSave).toBe(v4.ipsetSave);
  });
});

describe("the ip6tables rules IPVS mode keeps", () => {
  const save = v6.iptablesSave;
  it("returns early for ::1, masquerades off-cluster sources by the IPv6 clusterCIDR, and rejects with ICMPv6", () => {
    expect(save).toContain("-A KUBE-SERVICES -s ::1/128 -j RETURN\n");
    expect(save).toContain('-A KUBE-SERVICES ! -s fd00:10:244::/56 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-6-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ');
    expect(save).toContain("-m set --match-set KUBE-6-IPVS-IPS dst -j REJECT --reject-with icmp6-port-unreachable");
    expect(save).not.toMatch(/--match-set KUBE-(?!6-)/);
    expect(save).not.toContain("127.0.0.0/8");
  });

  it("blocks the node from an IPv6 LB IP its source ranges exclude (KUBE-IPVS-OUT-FILTER)", () => {
    expect(save).toContain("-A KUBE-IPVS-OUT-FILTER -s 2001:db8:5::8/128 -m ipvs --vproto 6 --vaddr 2001:db8:5::8 --vport 80 -j DROP");
  });

  it("the IPv4 proxier of the same node uses the IPv4 clusterCIDR of the comma-separated pair", () => {
    expect(node.ipv4.iptablesSave).toContain("-A KUBE-SERVICES ! -s 10.0.0.0/8 -m comment");
    expect(node.ipv4.iptablesSave).not.toContain("fd00:");
  });

  it("binds the IPv6 Service addresses to kube-ipvs0 and lists them in KUBE-6-IPVS-IPS", () => {
    // Numeric order: 2001:db8:… before fd00:…, and ::a before ::14.
    expect(v6.dummyInterfaceAddresses).toEqual(["2001:db8:5::8", "fd00:10:96::a", "fd00:10:96::c", "fd00:10:96::d", "fd00:10:96::14"]);
    expect(new Set(v6.dummyInterfaceAddresses)).toEqual(new Set(["fd00:10:96::a", "fd00:10:96::c", "fd00:10:96::d", "fd00:10:96::14", "2001:db8:5::8"]));
    expect(node.dummyInterfaceAddresses).toEqual([...node.ipv4.dummyInterfaceAddresses, ...v6.dummyInterfaceAddresses]);
    expect(v6.ipsets.find((s) => s.name === "KUBE-6-IPVS-IPS")!.entries).toHaveLength(5);
  });
});

describe("IPVS hashing of IPv6 addresses", () => {
  it("folds the four 32-bit words with XOR, as ip_vs_svc_hashkey and ip_vs_sh_hashkey do", () => {
    expect(foldedAddress("fd00::1")).toBe((0xfd000000 ^ 0x1) >>> 0);
    expect(foldedAddress("fd00:10:96::a")).toBe((0xfd000010 ^ 0x00960000 ^ 0 ^ 0xa) >>> 0);
    expect(serviceBucket("TCP", "fd00:10:96::a", 80)).toBe((6 ^ foldedAddress("fd00:10:96::a") ^ (80 >> 8) ^ 80) & 255);
    expect(sourceHashBucket("fd00:10:244::2")).toBe(sourceHashBucket("fd00:10:244::2"));
    expect(sourceHashBucket("10.0.0.1")).toBe((Math.imul(167772161, 0x61c88647) >>> 24) & 255);
  });
});

describe("an IPv6 packet in IPVS mode", () => {
  const walk = (src: string, dst: string, seed = 0) => kubeProxyWalk(state, { src, dst, protocol: "tcp", seed, mode: "ipvs" });

  it("a Pod to an IPv6 ClusterIP: the ip6tables rules accept it, IPVS picks a real server", () => {
    const w = walk("fd00:10:244::2", "[fd00:10:96::a]:80", 3);
    expect(w.verdict).toBe("DNAT");
    expect(new Set(w.candidates)).toEqual(new Set(["[fd00:10:244:1::1]:8080", "[fd00:10:244:1::2]:8080"]));
    expect(w.candidates).toContain(w.chosen);
    expect(w.masquerade).toBe(false);
    expect(w.stepText.some((s) => s.includes("-s ::1/128"))).toBe(true);
    expect(w.lookup.find((l) => l.what === "ip_vs_service_find")?.detail).toMatch(/^TCP \[fd00:10:96::a\]:80 found in bucket \d+ of 256/);
  });

  it("different seeds reach both real servers (rr from a seeded sched_data)", () => {
    const chosen = new Set(Array.from({ length: 8 }, (_, s) => walk("fd00:10:244::2", "[fd00:10:96::a]:80", s).chosen));
    expect(chosen).toEqual(new Set(["[fd00:10:244:1::1]:8080", "[fd00:10:244:1::2]:8080"]));
  });

  it("an external client to the IPv6 NodePort: KUBE-6-NODE-PORT-TCP marks it, IPVS forwards it", () => {
    const w = walk("2001:db8::2", "[fd00:192:168::2]:30080");
    expect(w).toMatchObject({ entry: "PREROUTING", verdict: "DNAT", chosen: "[fd00:10:244:1::3]:8080" });
    const marked = w.steps.find((s) => s.kind === "rule" && s.matched && s.chain === "KUBE-NODE-PORT" && s.text.includes("KUBE-6-NODE-PORT-TCP dst -j KUBE-MARK-MASQ"));
    expect(marked).toBeDefined();
  });

  it("a Pod to an IPv6 Service without endpoints: the virtual server exists, IPVS has no destination", () => {
    const w = walk("fd00:10:244::2", "[fd00:10:96::c]:80");
    expect(w.chosen).toBeNull();
    expect(w.candidates).toEqual([]);
  });

  it("the node itself to the LB IP its source ranges exclude is dropped in filter OUTPUT", () => {
    const w = walk("2001:db8:5::8", "[2001:db8:5::8]:80");
    expect(w.entry).toBe("OUTPUT");
    expect(w.verdict).toBe("DROP");
  });

  it("the IPv4 packet of the same dual-stack Service still walks the IPv4 proxier's rules", () => {
    const w = kubeProxyWalk(state, { src: "10.0.0.2", dst: "172.30.0.20:80", protocol: "tcp", seed: 0, mode: "ipvs" });
    expect(w).toMatchObject({ verdict: "DNAT", candidates: ["10.180.0.3:8080"], chosen: "10.180.0.3:8080" });
  });
});

describe("kube-proxy rules --mode ipvs on a dual-stack node", () => {
  it("prints one IPVS table, both families' sets, the iptables rules and then the ip6tables rules", () => {
    const r = kubeProxyRules([{ name: "dual-stack.yaml", text }], "ipvs");
    expect(r.ip6tablesSave).toBe(v6.iptablesSave);
    expect(r.text).toBe([node.ipvsadmLn.trimEnd(), "", node.ipsetSave.trimEnd(), "", node.ipv4.iptablesSave.trimEnd(), "", v6.iptablesSave.trimEnd(), ""].join("\n"));
  });
});
