import { describe, expect, it } from "vitest";
import { ebpfCost, ebpfLookup, ebpfServiceMaps, syntheticCluster } from "../../../../src/sim/kube/ebpf";
import { demoCluster } from "../ipvs/fixtures";

const maps = ebpfServiceMaps(demoCluster());
const masters = maps.services.filter((e) => e.backendSlot === 0);

describe("ebpfServiceMaps (cilium_lb4_services_v2 / backends / reverse_nat)", () => {
  it("has a slot-0 master entry per frontend and scope whose count equals its slot entries", () => {
    for (const m of masters) {
      const slots = maps.services.filter((e) => e.backendSlot > 0 && e.address === m.address && e.dport === m.dport && e.proto === m.proto && e.scope === m.scope);
      expect(slots.map((s) => s.backendSlot)).toEqual(Array.from({ length: m.count }, (_, i) => i + 1));
      for (const s of slots) expect(s.revNatIndex).toBe(m.revNatIndex);
    }
    const dns = masters.filter((m) => m.address === "10.96.0.10").map((m) => `${m.proto}/${m.count}`);
    expect(dns.sort()).toEqual(["TCP/2", "UDP/2"]);
  });

  it("stores a backend shared by several frontends once, and one reverse-NAT entry per frontend", () => {
    const ids = maps.backends.map((b) => `${b.address}:${b.port}/${b.proto}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(maps.revNat.length).toBe(new Set(masters.map((m) => m.revNatIndex)).size);
    const web = maps.backends.filter((b) => b.port === 8080 && b.address.startsWith("10.4.") && (b.address === "10.4.1.20" || b.address === "10.4.2.21"));
    expect(web).toHaveLength(2);
  });

  it("externalTrafficPolicy Local: NodePort frontends get two scopes, external with the local backend only", () => {
    const nodePort = masters.filter((m) => m.address === "10.128.0.2" && m.dport === 30080);
    expect(nodePort.map((m) => `${m.scope}:${m.count}`).sort()).toEqual(["external:1", "internal:2"]);
    expect(nodePort.every((m) => m.flags.includes("TwoScopes"))).toBe(true);
    expect(masters.some((m) => m.address === "0.0.0.0" && m.dport === 30080)).toBe(true);
  });
});

describe("ebpfLookup", () => {
  it("random selection is slot = prandom % count + 1", () => {
    const r = ebpfLookup(maps, { protocol: "tcp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.50.5", dstPort: 8080 }, { seed: 3 });
    const step = r.steps.find((s) => s.what === "lb4_select_backend_id_random")!;
    const [, prandom, count, slot] = /= (\d+); slot = \d+ % (\d+) \+ 1 = (\d+)/.exec(step.detail)!.map(Number);
    expect(slot).toBe((prandom! % count!) + 1);
    expect(r.candidates[slot! - 1]).toBe(r.chosen);
  });

  it("at tc, the CT_SERVICE entry keeps an established flow on its backend whatever the random draw", () => {
    const packet = { protocol: "tcp" as const, src: "198.51.100.7", srcPort: 50000, dst: "34.120.5.6", dstPort: 443 };
    const first = ebpfLookup(maps, packet, { seed: 1 });
    expect(first.conntrack.filter((c) => c.kind === "service")).toHaveLength(1);
    for (const seed of [2, 3, 4, 5, 6]) expect(ebpfLookup(maps, packet, { seed, conntrack: first.conntrack }).chosen).toBe(first.chosen);
    expect(first.steps.at(-1)!.detail).toContain("lb4_rev_nat");
  });

  it("scope: from outside (tc, no scope switch) a Local NodePort reaches only the local backend; socket-LB from a Pod switches to the internal scope", () => {
    const outside = new Set(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ebpfLookup(maps, { protocol: "tcp", src: "198.51.100.7", srcPort: 50000 + seed, dst: "10.128.0.2", dstPort: 30080 }, { seed }).chosen),
    );
    expect([...outside]).toEqual(["10.4.1.20:8080"]);
    const fromPod = ebpfLookup(maps, { protocol: "tcp", src: "10.4.1.77", srcPort: 40000, dst: "10.128.0.2", dstPort: 30080 }, { socketLb: true });
    expect(fromPod.candidates.sort()).toEqual(["10.4.1.20:8080", "10.4.2.21:8080"]);
  });

  it("socket-LB translates at connect(): a reverse_sk entry, no service conntrack entry, no per-packet NAT", () => {
    const r = ebpfLookup(maps, { protocol: "udp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.0.10", dstPort: 53 }, { socketLb: true, seed: 2 });
    expect(r.conntrack.map((c) => c.kind)).toEqual(["reverse-sk"]);
    expect(r.steps.some((s) => s.what === "sock_select_slot")).toBe(true);
    expect(r.steps.at(-1)!.detail).toContain("no per-packet NAT");
  });

  it("maglev: the same 5-tuple picks the same backend on two nodes with the same backends", () => {
    const other = ebpfServiceMaps({ ...demoCluster(), nodeName: "node-b", nodes: [{ ...demoCluster().nodes[0]!, metadata: { name: "node-b", namespace: "", labels: {} } }] });
    for (let i = 0; i < 20; i++) {
      const packet = { protocol: "tcp" as const, src: `198.51.100.${i + 1}`, srcPort: 40000 + i, dst: "10.96.50.5", dstPort: 8080 };
      const a = ebpfLookup(maps, packet, { algorithm: "maglev", seed: i });
      const b = ebpfLookup(other, packet, { algorithm: "maglev", seed: 100 + i });
      expect(a.chosen).toBe(b.chosen);
    }
  });

  it("a frontend with no backends drops at tc and fails connect() with socket-LB", () => {
    const empty = ebpfServiceMaps({ ...demoCluster(), endpointSlices: [] });
    const packet = { protocol: "tcp" as const, src: "10.4.1.77", srcPort: 40000, dst: "10.96.0.10", dstPort: 53 };
    expect(ebpfLookup(empty, packet).chosen).toBeNull();
    expect(ebpfLookup(empty, packet, { socketLb: true }).steps.at(-1)!.detail).toContain("EHOSTUNREACH");
  });

  it("ClientIP affinity pins a client to its first backend", () => {
    const first = ebpfLookup(maps, { protocol: "tcp", src: "10.4.1.77", srcPort: 1, dst: "10.96.50.5", dstPort: 8080 }, { seed: 1, socketLb: true });
    for (const seed of [2, 3, 4, 5]) {
      const next = ebpfLookup(maps, { protocol: "tcp", src: "10.4.1.77", srcPort: seed, dst: "10.96.50.5", dstPort: 8080 }, { seed, socketLb: true, conntrack: first.conntrack });
      expect(next.chosen).toBe(first.chosen);
    }
  });
});

describe("ebpfCost", () => {
  it("objectsWritten counts the map entries ebpfServiceMaps writes; no iptables rules", () => {
    for (const [n, e] of [
      [1, 1],
      [4, 3],
      [7, 0],
    ] as const) {
      const m = ebpfServiceMaps(syntheticCluster(n, e));
      expect(ebpfCost(n, e).objectsWritten).toBe(m.services.length + m.backends.length + m.revNat.length);
      expect(ebpfCost(n, e).rulesWritten).toBe(0);
    }
    expect(ebpfCost(50000, 10).lookupsPerPacket).toBe(ebpfCost(5, 10).lookupsPerPacket);
  });
});
