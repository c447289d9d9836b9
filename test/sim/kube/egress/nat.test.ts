import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/sim/net/errors";
import { natConfig, natIpsNeeded, parseDestination, runNat, vmsPerNatIp, type FlowInput } from "../../../../src/sim/kube/egress/nat";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const API = { ip: "8.8.8.8", port: 443, protocol: "TCP" } as const;

describe("Cloud NAT's documented figures", () => {
  it("a NAT IP offers ports 1024–65535: 64,512 ports, so 64 ports per VM serve 1,008 VMs", () => {
    // cloud.google.com/nat/docs/ports-and-addresses: 64,512 ports per NAT IP; default 64 ⇒ 1,008 VMs.
    expect(vmsPerNatIp(64)).toBe(1008);
    const run = runNat({ natIps: 1 }, 1008, []);
    const last = run.vms[1007]!.blocks[0]!;
    expect(last.first + last.count - 1).toBe(65535);
    expect(run.vms[0]!.blocks[0]!.first).toBe(1024);
  });

  it("the defaults: 64 ports per VM with static allocation, 32 (max 65,536) with dynamic", () => {
    expect(natConfig({ natIps: 1 }).minPorts).toBe(64);
    expect(natConfig({ natIps: 1, dynamic: true })).toMatchObject({ minPorts: 32, maxPorts: 65536 });
  });

  it("min ports round up to a power of two (the API's example: 50 ⇒ 64)", () => {
    expect(natConfig({ natIps: 1, minPorts: 50 }).minPorts).toBe(64);
  });

  it("refuses what the API refuses: dynamic with EIM, max without dynamic, dynamic min below 32 or not a power of two", () => {
    expect(() => natConfig({ natIps: 1, dynamic: true, eim: true })).toThrow(InputError);
    expect(() => natConfig({ natIps: 1, maxPorts: 128 })).toThrow(InputError);
    expect(() => natConfig({ natIps: 1, dynamic: true, minPorts: 16 })).toThrow(InputError);
    expect(() => natConfig({ natIps: 1, dynamic: true, minPorts: 48 })).toThrow(InputError);
    expect(() => natConfig({ natIps: 1, dynamic: true, minPorts: 64, maxPorts: 64 })).toThrow(InputError);
  });

  it("the 1,009th VM on one NAT IP gets no ports and its first connection is dropped OUT_OF_RESOURCES", () => {
    const run = runNat({ natIps: 1 }, 1009, [{ vm: 1008, destination: API, count: 1 }]);
    expect(run.vms[1008]!.ports).toBe(0);
    expect(run.firstDrop?.drop?.reason).toBe("OUT_OF_RESOURCES");
    expect(natIpsNeeded(1009, 64)).toBe(2);
  });

  it("64 ports: 64 concurrent connections to one destination fit, the 65th is dropped", () => {
    const run = runNat({ natIps: 1 }, 2, [{ vm: 0, destination: API, count: 65 }]);
    expect(run.translated).toBe(64);
    expect(run.firstDrop?.index).toBe(64);
    expect(run.firstDrop?.drop?.why).toMatch(/5-tuple/);
  });

  it("the same NAT port serves different destinations at once (without EIM)", () => {
    const flows: FlowInput[] = [1, 2, 3].map((i) => ({ vm: 0, destination: { ip: `8.8.4.${i}`, port: 443, protocol: "TCP" }, count: 64 }));
    const run = runNat({ natIps: 1 }, 1, flows);
    expect(run.dropped).toBe(0);
    const first = run.connections.filter((c) => c.index === 0).map((c) => c.nat!.port);
    expect(new Set(first).size).toBe(1);
  });

  it("with endpoint-independent mapping each NAT port is pinned to one internal IP:port, so 3 × 64 connections exceed 64 ports", () => {
    const flows: FlowInput[] = [1, 2, 3].map((i) => ({ vm: 0, destination: { ip: `8.8.4.${i}`, port: 443, protocol: "TCP" }, count: 64 }));
    const run = runNat({ natIps: 1, eim: true }, 1, flows);
    expect(run.translated).toBe(64);
    expect(run.firstDrop?.flow).toBe(1);
  });

  it("dynamic allocation lets a busy VM grow to max ports, and no further", () => {
    const run = runNat({ natIps: 1, dynamic: true, maxPorts: 256 }, 3, [{ vm: 0, destination: API, count: 300 }]);
    expect(run.vms[0]!.ports).toBe(256);
    expect(run.vms[1]!.ports).toBe(32);
    expect(run.translated).toBe(256);
    expect(run.firstDrop?.index).toBe(256);
  });

  it("parses destinations and rejects bad ones", () => {
    expect(parseDestination("8.8.8.8:53/udp")).toEqual({ ip: "8.8.8.8", port: 53, protocol: "UDP" });
    for (const bad of ["8.8.8.8", "8.8.8.300:1", "8.8.8.8:0", "x:1"]) expect(() => parseDestination(bad)).toThrow(InputError);
  });
});

const flowArb = (vms: number) => fc.record({
  vm: fc.integer({ min: 0, max: vms - 1 }),
  destination: fc.record({ ip: fc.constantFrom("8.8.8.8", "1.1.1.1", "9.9.9.9"), port: fc.constantFrom(443, 80), protocol: fc.constantFrom("TCP" as const, "UDP" as const) }),
  count: fc.integer({ min: 1, max: 160 }),
});
const setupArb = fc.integer({ min: 1, max: 6 }).chain((vms) => fc.record({
  vms: fc.constant(vms),
  natIps: fc.integer({ min: 1, max: 3 }),
  minPorts: fc.constantFrom(32, 64, 128, 16384, 32768),
  dynamic: fc.boolean(),
  eim: fc.boolean(),
  flows: fc.array(flowArb(vms), { maxLength: 5 }),
  seed: fc.integer({ min: 0, max: 1000 }),
})).map((s) => ({ ...s, eim: s.dynamic ? false : s.eim }));

describe("invariants", () => {
  it("no two connections share a NAT 5-tuple, and none uses a port outside its VM's blocks", () => {
    fc.assert(fc.property(setupArb, (s) => {
      const run = runNat({ natIps: s.natIps, minPorts: s.minPorts, dynamic: s.dynamic, maxPorts: s.dynamic ? 65536 : undefined, eim: s.eim }, s.vms, s.flows, s.seed);
      const seen = new Set<string>();
      for (const c of run.connections) {
        if (!c.nat) continue;
        const key = `${c.nat.ip}|${c.nat.port}|${c.destination.ip}|${c.destination.port}|${c.destination.protocol}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect(run.vms[c.vm]!.blocks.some((b) => b.natIp === c.nat!.ip && c.nat!.port >= b.first && c.nat!.port < b.first + b.count)).toBe(true);
        expect(c.nat.port).toBeGreaterThanOrEqual(1024);
      }
      // Blocks never overlap and never exceed a NAT IP's ports.
      const ranges = run.vms.flatMap((v) => v.blocks);
      for (const ip of run.config.natIpAddresses) {
        const mine = ranges.filter((b) => b.natIp === ip).sort((a, b) => a.first - b.first);
        mine.forEach((b, i) => { if (i) expect(b.first).toBeGreaterThanOrEqual(mine[i - 1]!.first + mine[i - 1]!.count); expect(b.first + b.count - 1).toBeLessThanOrEqual(65535); });
      }
    }), { numRuns: RUNS });
  });

  it("a VM never holds more concurrent connections to one destination than it has ports", () => {
    fc.assert(fc.property(setupArb, (s) => {
      const run = runNat({ natIps: s.natIps, minPorts: s.minPorts, dynamic: s.dynamic, eim: s.eim }, s.vms, s.flows, s.seed);
      const per = new Map<string, number>();
      for (const c of run.connections) if (c.nat) {
        const key = `${c.vm}|${c.destination.ip}|${c.destination.port}|${c.destination.protocol}`;
        per.set(key, (per.get(key) ?? 0) + 1);
        expect(per.get(key)!).toBeLessThanOrEqual(run.vms[c.vm]!.ports);
      }
    }), { numRuns: RUNS });
  });

  it("adding a NAT IP never drops a connection that fitted", () => {
    fc.assert(fc.property(setupArb, (s) => {
      const cfg = { minPorts: s.minPorts, dynamic: s.dynamic, eim: s.eim };
      const before = runNat({ ...cfg, natIps: s.natIps }, s.vms, s.flows, s.seed);
      const after = runNat({ ...cfg, natIps: s.natIps + 1 }, s.vms, s.flows, s.seed);
      before.connections.forEach((c, i) => { if (c.nat) expect(after.connections[i]!.nat).not.toBeNull(); });
    }), { numRuns: RUNS });
  });

  it("same input and seed, same translations", () => {
    const a = runNat({ natIps: 1 }, 4, [{ vm: 1, destination: API, count: 10 }], 7);
    const b = runNat({ natIps: 1 }, 4, [{ vm: 1, destination: API, count: 10 }], 7);
    expect(a).toEqual(b);
  });
});
