import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ipvsLookup, kubeProxyIpvs, type IpvsPacket, type VirtualServer } from "../../../../src/sim/kube/ipvs";
import { syntheticCluster } from "../../../../src/sim/kube/synthetic";
import { demoCluster } from "./fixtures";

// ipvsLookup finds the virtual server through an index built once per table (ip_vs_svc_table is a
// hash table); these check it against the plain scan the kernel's hashing stands for.
const scan = (servers: readonly VirtualServer[], p: IpvsPacket) =>
  servers.find((v) => v.protocol === p.protocol.toUpperCase() && v.address === p.dst && v.port === p.dstPort) ?? null;

const tables = [kubeProxyIpvs(demoCluster()), kubeProxyIpvs(syntheticCluster({ services: 300, endpointsPerService: 3, nodePortEvery: 7 }))];

function packets(servers: readonly VirtualServer[]) {
  const frontend = fc.constantFrom(...servers).map((v) => ({ protocol: v.protocol.toLowerCase() as IpvsPacket["protocol"], dst: v.address, dstPort: v.port }));
  const other = fc.record({
    protocol: fc.constantFrom<IpvsPacket["protocol"]>("tcp", "udp", "sctp"),
    dst: fc.constantFrom(...servers.map((v) => v.address), "10.96.255.254", "192.0.2.1"),
    dstPort: fc.constantFrom(...servers.map((v) => v.port), 1, 65535),
  });
  return fc
    .tuple(fc.oneof(frontend, other), fc.constantFrom("10.4.1.7", "198.51.100.7"), fc.integer({ min: 1024, max: 65535 }))
    .map(([to, src, srcPort]) => ({ ...to, src, srcPort }));
}

describe("ipvsLookup's service index", () => {
  it("finds exactly the virtual server a scan of the table finds, over many packets", () => {
    for (const table of tables) {
      fc.assert(
        fc.property(packets(table.virtualServers), fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }), (p, seed) => {
          const result = ipvsLookup(table, p, seed === undefined ? {} : { seed });
          expect(result.virtualServer).toBe(scan(table.virtualServers, p));
          const onDummy = table.dummyInterfaceAddresses.includes(p.dst);
          if (!result.virtualServer) expect(result.steps.at(-1)!.detail.includes("KUBE-IPVS-FILTER")).toBe(onDummy);
        }),
        { numRuns: 400 },
      );
    }
  });

  it("with two servers under one key, takes the first in table order, as the scan does", () => {
    const [first] = tables[0]!.virtualServers;
    const twin = { ...first!, scheduler: "lc" };
    const table = { virtualServers: [first!, twin], dummyInterfaceAddresses: [] };
    const p = { protocol: first!.protocol.toLowerCase() as IpvsPacket["protocol"], src: "10.4.1.7", srcPort: 40000, dst: first!.address, dstPort: first!.port };
    expect(ipvsLookup(table, p).virtualServer).toBe(first);
  });

  it("sees a server added to the table after an earlier lookup", () => {
    const virtualServers = [...tables[0]!.virtualServers];
    const table = { virtualServers, dummyInterfaceAddresses: [...tables[0]!.dummyInterfaceAddresses] };
    const p: IpvsPacket = { protocol: "tcp", src: "10.4.1.7", srcPort: 40000, dst: "10.96.200.200", dstPort: 8443 };
    expect(ipvsLookup(table, p).virtualServer).toBeNull();
    const added: VirtualServer = { ...virtualServers[0]!, address: "10.96.200.200", port: 8443, protocol: "TCP" };
    virtualServers.push(added);
    expect(ipvsLookup(table, p).virtualServer).toBe(added);
  });
});
