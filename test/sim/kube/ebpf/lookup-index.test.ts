import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ebpfLookup, ebpfServiceMaps, type EbpfPacket, type EbpfServiceMaps, type Lb4ServiceEntry } from "../../../../src/sim/kube/ebpf";
import { syntheticCluster } from "../../../../src/sim/kube/synthetic";
import { demoCluster } from "../ipvs/fixtures";

// ebpfLookup reads the service, backend and reverse-NAT maps through an index built once per maps
// object (they are BPF hash maps); these check it against plain scans of the arrays.
function scanFrontend(maps: EbpfServiceMaps, p: EbpfPacket, scopeSwitch: boolean): Lb4ServiceEntry | undefined {
  const proto = p.protocol.toUpperCase();
  const master = (address: string, scope: string) =>
    maps.services.find((e) => e.backendSlot === 0 && e.address === address && e.dport === p.dstPort && e.proto === proto && e.scope === scope);
  const find = (address: string) => {
    const ext = master(address, "external");
    return ext && scopeSwitch && ext.flags.includes("TwoScopes") ? master(address, "internal") : ext;
  };
  return find(p.dst) ?? (maps.nodeAddresses.includes(p.dst) ? find("0.0.0.0") : undefined);
}

function scanCandidates(maps: EbpfServiceMaps, m: Lb4ServiceEntry): string[] {
  const out: string[] = [];
  for (let slot = 1; slot <= m.count; slot++) {
    const e = maps.services.find((s) => s.backendSlot === slot && s.address === m.address && s.dport === m.dport && s.proto === m.proto && s.scope === m.scope);
    const b = e && maps.backends.find((x) => x.id === e.backendId);
    if (b) out.push(`${b.address}:${b.port}`);
  }
  return out;
}

const allMaps = [ebpfServiceMaps(demoCluster()), ebpfServiceMaps(syntheticCluster({ services: 300, endpointsPerService: 3, nodePortEvery: 5 }))];

function packets(maps: EbpfServiceMaps) {
  const masters = maps.services.filter((e) => e.backendSlot === 0);
  const frontend = fc.constantFrom(...masters).map((m) => ({ protocol: m.proto.toLowerCase() as EbpfPacket["protocol"], dst: m.address, dstPort: m.dport }));
  const other = fc.record({
    protocol: fc.constantFrom<EbpfPacket["protocol"]>("tcp", "udp", "sctp"),
    dst: fc.constantFrom(...masters.map((m) => m.address), ...maps.nodeAddresses, "192.0.2.1"),
    dstPort: fc.constantFrom(...masters.map((m) => m.dport), 1),
  });
  return fc
    .tuple(fc.oneof(frontend, other), fc.constantFrom("10.4.1.77", "198.51.100.7"), fc.integer({ min: 1024, max: 65535 }))
    .map(([to, src, srcPort]) => ({ ...to, src, srcPort }));
}

describe("ebpfLookup's map index", () => {
  it("finds the frontend and backends scans of the maps find, over many packets", () => {
    for (const maps of allMaps) {
      fc.assert(
        fc.property(packets(maps), fc.boolean(), fc.constantFrom<"random" | "maglev">("random", "maglev"), fc.integer({ min: 0, max: 99 }), (p, socketLb, algorithm, seed) => {
          const result = ebpfLookup(maps, p, { socketLb, algorithm, seed });
          const m = scanFrontend(maps, p, socketLb);
          expect(result.candidates).toEqual(m ? scanCandidates(maps, m) : []);
          if (m && m.count > 0) expect(result.candidates).toContain(result.chosen);
          else expect(result.chosen).toBeNull();
        }),
        { numRuns: 300 },
      );
    }
  });

  it("sees entries added to the maps after an earlier lookup", () => {
    const maps = ebpfServiceMaps(demoCluster());
    const p: EbpfPacket = { protocol: "tcp", src: "10.4.1.77", srcPort: 40000, dst: "10.96.200.200", dstPort: 8443 };
    expect(ebpfLookup(maps, p).chosen).toBeNull();
    const backend = maps.backends[0]!;
    const entry = { ...maps.services[0]!, address: "10.96.200.200", dport: 8443, proto: "TCP" as const, scope: "external" as const, flags: ["ClusterIP"] };
    maps.services.push({ ...entry, backendSlot: 0, count: 1, backendId: 0 }, { ...entry, backendSlot: 1, count: 0, backendId: backend.id });
    expect(ebpfLookup(maps, p).chosen).toBe(`${backend.address}:${backend.port}`);
  });
});
