import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareServices,
  glibcMsort,
  hash32,
  ipsetSave,
  ipvsadmLn,
  ipvsadmLnc,
  ipvsCost,
  ipvsLookup,
  kubeProxyIpvs,
  saveString,
  sourceHashBucket,
  sourceHashTable,
  syntheticCluster,
  type VirtualServer,
} from "../../../../src/sim/kube/ipvs";
import { cluster, demoCluster, endpoint, port, service, slice } from "./fixtures";

const vs = (address: string, port: number, protocol: VirtualServer["protocol"] = "TCP"): VirtualServer => ({
  protocol,
  address,
  port,
  scheduler: "rr",
  persistentTimeout: null,
  kind: "ClusterIP",
  service: "ns/x",
  realServers: [],
});

describe("ipvsadm -Ln", () => {
  it("prints the header, the service line and padded destination lines exactly as ipvsadm 1.31", () => {
    const text = ipvsadmLn([
      {
        ...vs("10.96.0.10", 53, "UDP"),
        realServers: [
          { address: "10.4.2.9", port: 53, weight: 1, forward: "Masq" },
          { address: "10.4.1.5", port: 53, weight: 1, forward: "Masq" },
        ],
      },
    ]);
    expect(text).toBe(
      [
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
        "UDP  10.96.0.10:53 rr",
        "  -> 10.4.1.5:53                  Masq    1      0          0         ",
        "  -> 10.4.2.9:53                  Masq    1      0          0         ",
        "",
      ].join("\n"),
    );
  });

  it("sorts TCP before UDP before SCTP, then by address and port", () => {
    const order = glibcMsort([vs("10.0.0.2", 80, "UDP"), vs("10.0.0.1", 80, "SCTP"), vs("10.0.0.3", 443), vs("10.0.0.3", 80)], compareServices);
    expect(order.map((v) => `${v.protocol} ${v.address}:${v.port}`)).toEqual(["TCP 10.0.0.3:80", "TCP 10.0.0.3:443", "UDP 10.0.0.2:80", "SCTP 10.0.0.1:80"]);
  });

  it("reproduces ipvs_cmp_services' wrapping int difference: 192.168.0.5 sorts before 10.96.0.10", () => {
    const order = glibcMsort([vs("10.96.0.10", 80), vs("192.168.0.5", 30080)], compareServices);
    expect(order.map((v) => v.address)).toEqual(["192.168.0.5", "10.96.0.10"]);
  });

  it("glibcMsort is a stable sort whenever the comparator is consistent", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer())), (items) => {
        const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0];
        expect(glibcMsort(items, cmp)).toEqual(items.slice().sort(cmp));
      }),
    );
  });

  it("counts ESTABLISHED TCP connections as active, others (and all UDP) as inactive; templates not at all", () => {
    const server = { ...vs("10.96.0.10", 53), realServers: [{ address: "10.4.1.5", port: 53, weight: 1, forward: "Masq" as const }] };
    const conn = { protocol: "TCP" as const, client: "10.4.0.9", virtual: "10.96.0.10", virtualPort: 53, destination: "10.4.1.5", destinationPort: 53, template: false };
    const text = ipvsadmLn([server], [
      { ...conn, clientPort: 1, state: "ESTABLISHED", expiresSeconds: 900 },
      { ...conn, clientPort: 2, state: "TIME_WAIT", expiresSeconds: 120 },
      { ...conn, clientPort: 0, state: "NONE", expiresSeconds: 300, template: true },
    ]);
    expect(text).toContain("  -> 10.4.1.5:53                  Masq    1      1          1         \n");
  });
});

describe("ipvsadm -Lnc", () => {
  it("uses ipvsadm's column layout and mm:ss expiry", () => {
    expect(
      ipvsadmLnc([
        { protocol: "TCP", client: "10.68.128.202", clientPort: 1390, virtual: "10.68.128.202", virtualPort: 3306, destination: "172.20.185.132", destinationPort: 3306, state: "ESTABLISHED", expiresSeconds: 901, template: false },
        { protocol: "TCP", client: "110.184.96.173", clientPort: 0, virtual: "122.225.32.142", virtualPort: 80, destination: "122.225.32.136", destinationPort: 80, state: "NONE", expiresSeconds: 57, template: true },
      ]),
    ).toBe(
      [
        "IPVS connection entries",
        "pro expire state       source             virtual            destination",
        "TCP 15:01  ESTABLISHED 10.68.128.202:1390 10.68.128.202:3306 172.20.185.132:3306",
        "TCP 00:57  NONE        110.184.96.173:0   122.225.32.142:80  122.225.32.136:80",
        "",
      ].join("\n"),
    );
  });
});

describe("ipset save and iptables-save strings", () => {
  it("prints bitmap ports in numeric order and a /32 net as a bare address", () => {
    const text = ipsetSave([
      { name: "KUBE-NODE-PORT-TCP", type: "bitmap:port", comment: "", entries: ["8080", "30080"] },
      { name: "KUBE-LOAD-BALANCER-SOURCE-CIDR", type: "hash:ip,port,net", comment: "", entries: ["1.2.3.4,tcp:80,10.1.2.3/32"] },
    ]);
    expect(text.split("\n")[0]).toBe("create KUBE-NODE-PORT-TCP bitmap:port range 0-65535");
    expect(text.split("\n")[1]).toBe("add KUBE-NODE-PORT-TCP 8080");
    expect(text).toMatch(/^create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x[0-9a-f]{8}$/m);
    expect(text).toContain("add KUBE-LOAD-BALANCER-SOURCE-CIDR 1.2.3.4,tcp:80,10.1.2.3\n");
  });

  it("quotes a comment only when it has characters outside [A-Za-z0-9_-]", () => {
    expect(saveString("x")).toBe("x");
    expect(saveString("kubernetes service portals")).toBe('"kubernetes service portals"');
    expect(saveString('a"b')).toBe('"a\\"b"');
  });

  it("writes the masquerade mark from masqueradeBit and the local detector in iptables-save order", () => {
    const text = kubeProxyIpvs(demoCluster({ iptables: { masqueradeBit: 15, masqueradeAll: false, localhostNodePorts: true } })).iptablesSave;
    expect(text).toContain("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x8000/0x8000\n");
    expect(text).toContain(
      '-A KUBE-SERVICES ! -s 10.4.0.0/14 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ\n',
    );
    const bridge = kubeProxyIpvs(demoCluster({ detectLocalMode: "BridgeInterface", detectLocal: { bridgeInterface: "cbr0", interfaceNamePrefix: "" } })).iptablesSave;
    expect(bridge).toContain('-A KUBE-SERVICES ! -i cbr0 -m comment --comment "Kubernetes service cluster ip + port');
  });
});

describe("schedulers (ip_vs_rr.c, ip_vs_lc.c, ip_vs_sh.c)", () => {
  it("hash_32 multiplies by GOLDEN_RATIO_32 and keeps the top bits", () => {
    for (const value of [0, 1, 0x0a000001, 0xffffffff, 0xc0a80005]) {
      const expected = Number(((BigInt(value) * 0x61c88647n) & 0xffffffffn) >> 24n);
      expect(hash32(value, 8)).toBe(expected);
    }
    expect(hash32(1, 8)).toBe(0x61);
  });

  it("fills the 256 source-hash buckets round-robin over the destination list (weight 1)", () => {
    const dests = ["a", "b", "c"].map((n, i) => ({ address: `10.0.0.${i + 1}`, port: 80, weight: 1, forward: "Masq" as const, n }));
    const table = sourceHashTable(dests);
    expect(table).toHaveLength(256);
    expect(table.slice(0, 5).map((d) => d?.address)).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.2"]);
    expect(table[255]?.address).toBe("10.0.0.1");
    expect(sourceHashBucket("10.0.0.1")).toBe(hash32(0x0a000001, 8));
  });

  const rrState = () =>
    kubeProxyIpvs(
      cluster({
        services: [service("ns1", "svc1", { clusterIP: "10.20.30.41", ports: [port({ port: 80 })] })],
        slices: [slice("ns1", "svc1", 1, [endpoint("10.180.0.1"), endpoint("10.180.0.2"), endpoint("10.180.0.3")], [{ port: 80 }])],
      }),
    );
  const packet = (srcPort: number, src = "10.4.0.9") => ({ protocol: "tcp" as const, src, srcPort, dst: "10.20.30.41", dstPort: 80 });

  it("rr: a fresh service starts at the list head, i.e. the destination added last", () => {
    const table = rrState();
    expect(table.virtualServers[0]!.realServers.map((rs) => rs.address)).toEqual(["10.180.0.3", "10.180.0.2", "10.180.0.1"]);
    expect(ipvsLookup(table, packet(40000)).chosen).toBe("10.180.0.3:80");
  });

  it("rr: from any seeded position, the pick is the next destination after sched_data", () => {
    const table = rrState();
    const picks = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ipvsLookup(table, packet(40000), { seed }).chosen));
    expect(picks.size).toBeGreaterThan(1);
    for (const p of picks) expect(["10.180.0.1:80", "10.180.0.2:80", "10.180.0.3:80"]).toContain(p);
  });

  it("lc: picks the destination with the least (active << 8) + inactive", () => {
    const base = rrState();
    const table = { ...base, virtualServers: base.virtualServers.map((v) => ({ ...v, scheduler: "lc" })) };
    let connections = ipvsLookup(table, packet(1)).connections;
    connections = connections.map((c) => ({ ...c, state: "ESTABLISHED" }));
    const second = ipvsLookup(table, packet(2), { connections });
    expect(second.chosen).not.toBe(connections[0]!.destination + ":80");
    const third = ipvsLookup(table, packet(3), { connections: second.connections });
    // One ESTABLISHED (overhead 256) and one SYN_RECV (overhead 1): the third goes to the idle one.
    const used = new Set(second.connections.map((c) => `${c.destination}:${c.destinationPort}`));
    expect(used.has(third.chosen!)).toBe(false);
  });

  it("sh: the same client always lands on the same destination, other clients spread", () => {
    const base = rrState();
    const table = { ...base, virtualServers: base.virtualServers.map((v) => ({ ...v, scheduler: "sh" })) };
    const first = ipvsLookup(table, packet(1, "10.4.7.7")).chosen;
    for (const p of [2, 3, 4]) expect(ipvsLookup(table, packet(p, "10.4.7.7"), { seed: p }).chosen).toBe(first);
    const spread = new Set(Array.from({ length: 40 }, (_, i) => ipvsLookup(table, packet(1, `10.4.0.${i + 1}`)).chosen));
    expect(spread.size).toBe(3);
  });
});

describe("ipvsLookup", () => {
  const table = kubeProxyIpvs(demoCluster());

  it("finds the virtual server by protocol, address and port and records a new connection", () => {
    const r = ipvsLookup(table, { protocol: "udp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.0.10", dstPort: 53 });
    expect(r.virtualServer?.kind).toBe("ClusterIP");
    expect(r.candidates).toEqual(["10.4.2.9:53", "10.4.1.5:53"]);
    expect(r.chosen).toBe("10.4.2.9:53");
    expect(ipvsadmLnc(r.connections)).toContain("UDP 05:00  UDP         10.4.1.77:40000    10.96.0.10:53      10.4.2.9:53\n");
  });

  it("an existing connection keeps its real server, whatever the scheduler would say", () => {
    const first = ipvsLookup(table, { protocol: "tcp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.0.10", dstPort: 53 });
    const again = ipvsLookup(table, { protocol: "tcp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.0.10", dstPort: 53 }, { seed: 9, connections: first.connections });
    expect(again.chosen).toBe(first.chosen);
    expect(again.steps[0]!.detail).toContain("existing TCP connection");
  });

  it("ClientIP affinity: a template <client, 0, vip, vport> pins later connections from the same client", () => {
    const first = ipvsLookup(table, { protocol: "tcp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.50.5", dstPort: 8080 }, { seed: 1 });
    expect(first.connections.filter((c) => c.template)).toHaveLength(1);
    expect(ipvsadmLnc(first.connections)).toContain("TCP 180:00 NONE        10.4.1.77:0        10.96.50.5:8080    ");
    for (const seed of [2, 3, 4, 5]) {
      const next = ipvsLookup(table, { protocol: "tcp", src: "10.4.1.77", srcPort: 40000 + seed, dst: "10.96.50.5", dstPort: 8080 }, { seed, connections: first.connections });
      expect(next.chosen).toBe(first.chosen);
    }
  });

  it("a kube-ipvs0 address on a port with no virtual server is left to KUBE-IPVS-FILTER", () => {
    const r = ipvsLookup(table, { protocol: "tcp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.0.10", dstPort: 22 });
    expect(r.virtualServer).toBeNull();
    expect(r.chosen).toBeNull();
    expect(r.steps[1]!.detail).toContain("KUBE-IPVS-FILTER rejects");
  });

  it("externalTrafficPolicy Local: the NodePort virtual server has only the node-local endpoint", () => {
    const r = ipvsLookup(table, { protocol: "tcp", src: "198.51.100.7", srcPort: 50000, dst: "10.128.0.2", dstPort: 30080 });
    expect(r.candidates).toEqual(["10.4.1.20:8080"]);
  });
});

describe("ipvsCost", () => {
  it("objectsWritten matches what kubeProxyIpvs writes; rulesWritten does not grow with Services", () => {
    for (const [n, e] of [
      [1, 1],
      [3, 2],
      [5, 4],
      [12, 0],
    ] as const) {
      const r = kubeProxyIpvs(syntheticCluster(n, e));
      const counted =
        r.virtualServers.length +
        r.virtualServers.reduce((sum, v) => sum + v.realServers.length, 0) +
        r.ipsets.reduce((sum, s) => sum + s.entries.length, 0) +
        r.dummyInterfaceAddresses.length;
      const cost = ipvsCost(n, e);
      expect(cost.objectsWritten).toBe(counted);
      expect(cost.rulesWritten).toBe(r.iptablesRules.length);
      expect(cost.rulesWritten).toBe(ipvsCost(1, 1).rulesWritten);
    }
    expect(ipvsCost(10000, 50).lookupsPerPacket).toBe(ipvsCost(10, 50).lookupsPerPacket);
  });
});
