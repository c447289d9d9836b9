import { describe, expect, it } from "vitest";
import { decapsulate, diffPackets, encapsulate, packetFields, type Packet } from "../../src/sim/index";

const inner: Packet = {
  layers: [
    { kind: "ipv4", src: "162.158.84.17", dst: "34.98.10.5", ttl: 63 },
    { kind: "tcp", srcPort: 40000, dstPort: 443 },
  ],
};

describe("packet diff", () => {
  it("labels layers from the inside out so the inner header keeps its name", () => {
    const wrapped = encapsulate(inner, [{ kind: "ipv4", src: "10.255.0.10", dst: "10.255.1.1", ttl: 64 }, { kind: "gre" }]);
    expect(packetFields(wrapped).map((f) => `${f.layer}.${f.field}`)).toEqual([
      "outer ipv4.src", "outer ipv4.dst", "outer ipv4.ttl", "gre.header", "ipv4.src", "ipv4.dst", "ipv4.ttl", "tcp.srcPort", "tcp.dstPort",
    ]);
    const diff = diffPackets(inner, wrapped);
    expect(diff.filter((c) => c.change === "added").map((c) => `${c.layer}.${c.field}`)).toEqual([
      "outer ipv4.src", "outer ipv4.dst", "outer ipv4.ttl", "gre.header",
    ]);
    expect(diff.filter((c) => c.change === "same")).toHaveLength(5);
    expect(decapsulate(wrapped, 2)).toEqual(inner);
  });

  it("marks changed fields with their old value, and removed ones", () => {
    const rewritten: Packet = { layers: [{ kind: "ipv4", src: "35.191.12.34", dst: "10.4.1.5", ttl: 64 }] };
    const diff = diffPackets(inner, rewritten);
    expect(diff).toContainEqual({ change: "changed", layer: "ipv4", field: "dst", before: "34.98.10.5", value: "10.4.1.5" });
    expect(diff).toContainEqual({ change: "removed", layer: "tcp", field: "dstPort", before: "443" });
  });

  it("treats a created packet as all added and a consumed one as all removed", () => {
    expect(diffPackets(null, inner).every((c) => c.change === "added")).toBe(true);
    expect(diffPackets(inner, null).every((c) => c.change === "removed")).toBe(true);
  });
});
