/**
 * The pcap writer without Wireshark: the file's blocks, one packet per sending step with a comment
 * naming it, times from the trace, the same bytes on every run and in every range, header checksums
 * and TTLs as the trace says, and sequence numbers that survive forwarding, tunnels and NAT.
 * `tshark.test.ts` has Wireshark's dissectors referee the same files.
 */
import { describe, expect, it } from "vitest";
import type { Trace } from "../../../src/sim/core/trace";
import type { Layer } from "../../../src/sim/net/packet";
import { CAPTURE_EPOCH_US, capturePackets, LINKTYPE_RAW, traceToPcapng } from "../../../src/sim/pcap/index";
import { FLAGSHIP_SETTINGS, flagshipTrace, KUBE_PRESETS, kubeTrace, syntheticTrace } from "./fixtures";
import { formatIpv6 } from "../../../src/sim/netfilter/index";
import { onesComplementSum, readPcapng } from "./read-pcapng";

const sending = (trace: Trace) => trace.steps.filter((s) => s.out !== null && (s.out.kind === "layered-packet" || s.out.kind === "packet"));

interface Tcp {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
}

const dotted = (b: Uint8Array) => Array.from(b).join(".");
/** 16 bytes of an IPv6 header's address, in RFC 5952 text. */
const ipv6Text = (b: Uint8Array) => formatIpv6(Array.from(b).reduce((n, byte) => (n << 8n) | BigInt(byte), 0n));

/** The innermost TCP header of a raw-IP packet, through GRE, GUE, Geneve, VXLAN and IP-in-IP. */
function innermostTcp(data: Uint8Array): Tcp | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data[0]! >> 4 === 6) {
    return data[6] === 6 ? tcpAt(view, 40, ipv6Text(data.subarray(8, 24)), ipv6Text(data.subarray(24, 40))) : null;
  }
  const ihl = (data[0]! & 0x0f) * 4;
  const proto = data[9];
  const inner = (offset: number) => innermostTcp(data.subarray(offset));
  if (proto === 6) return tcpAt(view, ihl, dotted(data.subarray(12, 16)), dotted(data.subarray(16, 20)));
  if (proto === 4) return inner(ihl);
  if (proto === 47) return inner(ihl + 4);
  if (proto === 17) {
    const port = view.getUint16(ihl + 2);
    if (port === 6080) return inner(ihl + 8 + 4);
    if (port === 6081) return inner(ihl + 8 + 8);
    if (port === 4789) return inner(ihl + 8 + 8 + 14);
  }
  return null;
}

function tcpAt(view: DataView, at: number, src: string, dst: string): Tcp {
  return { src, dst, srcPort: view.getUint16(at), dstPort: view.getUint16(at + 2), seq: view.getUint32(at + 4), ack: view.getUint32(at + 8), flags: view.getUint8(at + 13) };
}

const packetOf = (trace: Trace, stepId: string) => capturePackets(trace).packets.find((p) => p.stepId === stepId)!.data;

describe("pcapng file", () => {
  it("is a section header, one raw-IP interface and one enhanced packet per sending step, each with a comment naming its step", () => {
    for (const trace of [flagshipTrace({}), kubeTrace("clusterip-from-pod", "default")]) {
      const file = readPcapng(traceToPcapng(trace));
      const steps = sending(trace);
      expect(file.blockTypes).toEqual([0x0a0d0d0a, 1, ...steps.map(() => 6)]);
      expect(file.linkTypes).toEqual([LINKTYPE_RAW]);
      expect(file.sectionComments[0]).toContain(`Packet Lab: ${trace.scenario}, seed 0`);
      expect(file.packets.map((p) => p.comments[0]?.split(" ")[0])).toEqual(steps.map((s) => s.id));
      expect(file.packets.every((p) => p.interfaceId === 0)).toBe(true);
    }
  });

  it("times packets by the trace's cumulative step times, or 1 ms apart where the trace has none", () => {
    const flagship = flagshipTrace({});
    let ms = 0;
    const expected = new Map<string, number>();
    for (const s of flagship.steps) {
      ms += s.time!.ms;
      expected.set(s.id, CAPTURE_EPOCH_US + Math.round(ms * 1000));
    }
    for (const p of capturePackets(flagship).packets) expect(p.timestampUs, p.stepId).toBe(expected.get(p.stepId));
    const kube = kubeTrace("clusterip-from-pod", "default");
    expect(capturePackets(kube).packets.map((p) => (p.timestampUs - CAPTURE_EPOCH_US) / 1000)).toEqual(
      kube.steps.flatMap((s, i) => (s.out ? [i + 1] : [])),
    );
  });

  it("gives the same bytes for the same trace, and the same bytes for a packet in any range", () => {
    const trace = flagshipTrace({ city: "tokyo" });
    expect(traceToPcapng(trace)).toEqual(traceToPcapng(flagshipTrace({ city: "tokyo" })));
    const all = capturePackets(trace).packets;
    const part = capturePackets(trace, { from: "request:gfe", to: "response:pod" }).packets;
    expect(part.map((p) => p.stepId)).toEqual(["request:gfe", "request:backbone", "request:node", "response:pod"]);
    for (const p of part) expect(p.data).toEqual(all.find((a) => a.stepId === p.stepId)!.data);
    expect(capturePackets(trace, { from: "response:pod" }).packets[0]!.stepId).toBe("response:pod");
    expect(capturePackets(trace, { to: "request:browser" }).packets.map((p) => p.stepId)).toEqual(["request:browser"]);
    expect(capturePackets(trace, { from: "request:pod", to: "request:pod" }).packets).toEqual([]);
  });

  it("refuses a range that names no step or runs backwards, naming the step", () => {
    const trace = flagshipTrace({});
    expect(() => capturePackets(trace, { from: "request:nowhere" })).toThrow(/^request:nowhere: no step of the trace has this id; its steps are request:browser, /);
    expect(() => capturePackets(trace, { from: "response:pod", to: "request:gfe" })).toThrow(/^response:pod: this step comes after request:gfe/);
  });

  it("lists the steps whose unit is not a packet, and writes the rest", () => {
    const { packets, skipped } = capturePackets(syntheticTrace());
    expect(skipped).toEqual([{ stepId: "dns-message", reason: "a dns-message unit is not a packet this capture can write" }]);
    expect(packets.map((p) => p.stepId)).not.toContain("dns-message");
    expect(packets).toHaveLength(syntheticTrace().steps.length - 1);
  });
});

describe("headers as the trace says", () => {
  const outerIpv4 = (layers: readonly Layer[]) => layers.find((l) => l.kind === "ipv4")!;

  it.each(Object.entries(FLAGSHIP_SETTINGS))("flagship, %s: outer addresses, TTL, and a correct IPv4 header checksum", (_, params) => {
    const trace = flagshipTrace(params);
    for (const p of capturePackets(trace).packets) {
      const step = trace.steps.find((s) => s.id === p.stepId)!;
      const ip = outerIpv4((step.out as unknown as { layers: Layer[] }).layers) as Extract<Layer, { kind: "ipv4" }>;
      expect(p.data[0], p.stepId).toBe(0x45);
      expect(onesComplementSum(p.data.subarray(0, 20)), p.stepId).toBe(0xffff);
      expect(new DataView(p.data.buffer, p.data.byteOffset).getUint16(2), p.stepId).toBe(p.data.length);
      expect({ ttl: p.data[8], src: dotted(p.data.subarray(12, 16)), dst: dotted(p.data.subarray(16, 20)) }, p.stepId).toEqual({ ttl: ip.ttl, src: ip.src, dst: ip.dst });
    }
  });

  it("in-cluster packets: the unit's addresses and ports, TTL 64 (the walk models none)", () => {
    for (const [id, preset] of KUBE_PRESETS) {
      const trace = kubeTrace(id, preset);
      for (const p of capturePackets(trace).packets) {
        const unit = trace.steps.find((s) => s.id === p.stepId)!.out!;
        const tcp = innermostTcp(p.data)!;
        // IPv4's TTL is byte 8 of its header; IPv6's hop limit byte 7.
        const ttl = p.data[0]! >> 4 === 6 ? p.data[7] : p.data[8];
        expect({ src: tcp.src, dst: tcp.dst, srcPort: tcp.srcPort, dstPort: tcp.dstPort, ttl }, `${id} ${preset} ${p.stepId}`).toEqual({
          src: unit.src, dst: unit.dst, srcPort: unit.srcPort, dstPort: unit.dstPort, ttl: 64,
        });
      }
    }
  });
});

describe("TCP sequence numbers", () => {
  it("a segment keeps its sequence numbers through routers and tunnels; a proxy's new connection starts its own", () => {
    const trace = flagshipTrace({});
    const seqOf = (id: string) => {
      const t = innermostTcp(packetOf(trace, id))!;
      return { seq: t.seq, ack: t.ack, flags: t.flags };
    };
    const browser = seqOf("request:browser");
    for (const id of ["request:isp-router", "request:cf-unimog"]) expect(seqOf(id), id).toEqual(browser);
    const edge = seqOf("request:cf-edge");
    expect(edge.seq).not.toBe(browser.seq);
    for (const id of ["request:cf-router", "request:google-router", "request:maglev"]) expect(seqOf(id), id).toEqual(edge);
    const gfe = seqOf("request:gfe");
    for (const id of ["request:backbone", "request:node"]) expect(seqOf(id), id).toEqual(gfe);
  });

  it("a response acknowledges the request it answers, byte for byte", () => {
    const trace = flagshipTrace({});
    const request = innermostTcp(packetOf(trace, "request:node"))!;
    const response = innermostTcp(packetOf(trace, "response:pod"))!;
    const requestLength = capturePackets(trace).packets.find((p) => p.stepId === "request:node")!.data.length - 20 - 20;
    expect(response.ack).toBe((request.seq + requestLength) >>> 0);
    expect(request.ack).toBe(response.seq);
  });

  it("in-cluster: the SYN keeps its sequence number through DNAT, and the SYN-ACK acknowledges it", () => {
    for (const [id, preset] of KUBE_PRESETS) {
      const tcp = capturePackets(kubeTrace(id, preset)).packets.map((p) => innermostTcp(p.data)!);
      const syns = tcp.filter((t) => t.flags === 0x02);
      const synAcks = tcp.filter((t) => t.flags === 0x12);
      expect(syns.length, `${id} ${preset}`).toBeGreaterThan(0);
      expect(new Set(syns.map((t) => t.seq)).size, `${id} ${preset}`).toBe(1);
      for (const t of synAcks) expect(t.ack, `${id} ${preset}`).toBe((syns[0]!.seq + 1) >>> 0);
      expect(new Set(synAcks.map((t) => t.seq)).size, `${id} ${preset}`).toBeLessThanOrEqual(1);
    }
  });

  it("IPv6 in-cluster units: a SYN through DNAT keeps its sequence number, the SYN-ACK acknowledges it", () => {
    const packets = capturePackets(syntheticTrace()).packets;
    const tcp = (id: string) => innermostTcp(packets.find((p) => p.stepId === id)!.data)!;
    expect(packets.find((p) => p.stepId === "ipv6-syn")!.data[0]! >> 4).toBe(6);
    expect(tcp("ipv6-dnat").seq).toBe(tcp("ipv6-syn").seq);
    expect(tcp("ipv6-syn-ack").flags).toBe(0x12);
    expect(tcp("ipv6-syn-ack").ack).toBe((tcp("ipv6-syn").seq + 1) >>> 0);
  });
});
