import type { Step, Trace, Unit } from "../core/trace";
import { InputError } from "../net/errors";
import type { Ipv4Layer, Layer, TcpLayer, UdpLayer } from "../net/packet";
import type { PacketUnit } from "../net/packet-unit";
import { alertRecord, applicationData, clientHello, httpMessage, serverFlight } from "./application";
import { concatBytes, hash32, utf8 } from "./bytes";
import { FlowTracker, type Intent, type Role, type SeenAs, type Tuple } from "./flows";
import {
  ETHER_TYPE, ethernetFrame, geneveHeader, greHeader, gueHeader, IP_PROTOCOL, ipPacket, macFor, sctpPacket, TCP_FLAGS, tcpSegment, udpDatagram, vxlanHeader,
} from "./headers";
import { writePcapng, type PcapngPacket } from "./pcapng";

/**
 * A trace as a capture: one packet per step that sends one (its `out`), in step order, as Wireshark
 * would have seen it on a wire at that device's output. Works from the core trace, so any scenario
 * does: the flagship's layered packets (`layered-packet`: IPv4, TCP/UDP, GRE, GUE, Geneve, VXLAN,
 * TLS, HTTP) and the in-cluster walks' packet units (`packet`: IPv4 or IPv6, TCP, UDP or SCTP).
 * Steps that only receive (a Pod, the browser at the end) send nothing; units of other kinds (a DNS
 * answer, a BGP update, one day) are listed in `skipped`.
 *
 * Capturing at every hop puts the same TCP segment in the file once per device it crosses, with the
 * same sequence numbers (and one less TTL after each router): Wireshark calls the copies
 * "(suspected) retransmissions" and, with sequence analysis on, does not dissect their payload again.
 */

export interface CaptureOptions {
  /** First step to include (its id); the trace's first step when absent. */
  readonly from?: string;
  /** Last step to include (its id), inclusive; the trace's last step when absent. */
  readonly to?: string;
}

export interface CapturedPacket {
  readonly stepId: string;
  /** Microseconds since the Unix epoch. */
  readonly timestampUs: number;
  /** The IP packet, starting at its IPv4 or IPv6 header. */
  readonly data: Uint8Array;
  readonly comment: string;
}

export interface Capture {
  readonly packets: readonly CapturedPacket[];
  /** Steps in range whose output could not be written, and why. */
  readonly skipped: readonly { readonly stepId: string; readonly reason: string }[];
}

/**
 * When the capture starts: 2025-01-01T00:00:00Z, a fixed instant, so the same trace gives the same
 * file on every run. Packets follow at the trace's modelled times.
 */
export const CAPTURE_EPOCH_US = Date.UTC(2025, 0, 1) * 1000;

interface LayeredPacketUnit extends Unit {
  readonly kind: "layered-packet";
  readonly layers: readonly Layer[];
}

const isLayered = (u: Unit): u is LayeredPacketUnit => u.kind === "layered-packet" && Array.isArray((u as LayeredPacketUnit).layers);
const isPacketUnit = (u: Unit): u is PacketUnit => u.kind === "packet" && typeof (u as PacketUnit).src === "string";

/** The TCP segment inside a layered packet (the innermost), as a step received it. */
function innerTcp(unit: Unit | null): SeenAs | null {
  if (!unit || !isLayered(unit)) return null;
  const layers = unit.layers;
  for (let i = layers.length - 1; i > 0; i--) {
    const l = layers[i]!;
    const ip = layers[i - 1]!;
    if (l.kind === "tcp" && ip.kind === "ipv4") {
      return { tuple: { src: ip.src, srcPort: l.srcPort, dst: ip.dst, dstPort: l.dstPort }, content: JSON.stringify(layers.slice(i + 1)) };
    }
  }
  return null;
}

function seenAsPacketUnit(unit: Unit | null, protocol: PacketUnit["protocol"]): SeenAs | null {
  if (!unit || !isPacketUnit(unit) || unit.protocol !== protocol) return null;
  return { tuple: { src: unit.src, srcPort: unit.srcPort, dst: unit.dst, dstPort: unit.dstPort }, content: unit.payload };
}

class Encoder {
  private readonly flows = new FlowTracker();

  /** What a TCP segment of the flagship carries, for the sender's role on its connection. */
  private application(rest: readonly Layer[], role: Role, seed: string): Uint8Array {
    const tls = rest.find((l) => l.kind === "tls");
    const http = rest.find((l) => l.kind === "http");
    if (tls) {
      if (tls.alert !== undefined) return alertRecord(tls);
      if (http) return applicationData(tls, httpMessage(http), seed);
      // A TLS layer with nothing inside is the handshake itself: the client's hello or the server's answer.
      return role === "client" ? clientHello(tls, seed) : serverFlight(tls, seed);
    }
    return http ? httpMessage(http) : new Uint8Array(0);
  }

  private tcp(ip: Ipv4Layer, tcp: TcpLayer, rest: readonly Layer[], seenAs: SeenAs | null): { payload: Uint8Array; ipId: number } {
    const tuple: Tuple = { src: ip.src, srcPort: tcp.srcPort, dst: ip.dst, dstPort: tcp.dstPort };
    const content = JSON.stringify(rest);
    const s = this.flows.segment("tcp", tuple, content, "data", seenAs, (role) => this.application(rest, role, content).length);
    const data = this.application(rest, s.role, content);
    return { payload: tcpSegment({ ...tuple, seq: s.seq, ack: s.ack, flags: s.flags }, data), ipId: s.ipId };
  }

  private udp(ip: Ipv4Layer, udp: UdpLayer, layers: readonly Layer[], at: number, seenAs: SeenAs | null): Uint8Array {
    const next = layers[at];
    const inner = () => this.ip(layers, at + 1, seenAs);
    let payload: Uint8Array;
    if (next?.kind === "gue") payload = concatBytes(gueHeader(IP_PROTOCOL.ipip), inner());
    else if (next?.kind === "geneve") payload = concatBytes(geneveHeader(next.vni, ETHER_TYPE.ipv4), inner());
    else if (next?.kind === "vxlan") {
      // VXLAN carries Ethernet frames: the inner IP packet gets an Ethernet header between the hosts it names.
      const innerIp = layers[at + 1];
      const [srcMac, dstMac] = innerIp?.kind === "ipv4" ? [macFor(innerIp.src), macFor(innerIp.dst)] : [macFor(ip.src), macFor(ip.dst)];
      payload = concatBytes(vxlanHeader(next.vni), ethernetFrame(dstMac, srcMac, ETHER_TYPE.ipv4, inner()));
    } else {
      const rest = layers.slice(at);
      payload = this.application(rest, "client", JSON.stringify(rest));
    }
    return udpDatagram({ src: ip.src, dst: ip.dst, srcPort: udp.srcPort, dstPort: udp.dstPort }, payload);
  }

  /** The IPv4 packet that starts at `layers[at]`, with everything inside it. */
  ip(layers: readonly Layer[], at: number, seenAs: SeenAs | null): Uint8Array {
    const ip = layers[at];
    if (ip?.kind !== "ipv4") throw new Error(`expected an IPv4 header at layer ${at + 1}, found ${ip?.kind ?? "nothing"}`);
    const next = layers[at + 1];
    let protocol: number;
    let payload: Uint8Array;
    let id: number | null = null;
    switch (next?.kind) {
      case "tcp": {
        protocol = IP_PROTOCOL.tcp;
        const seg = this.tcp(ip, next, layers.slice(at + 2), seenAs);
        payload = seg.payload;
        id = seg.ipId;
        break;
      }
      case "udp":
        protocol = IP_PROTOCOL.udp;
        payload = this.udp(ip, next, layers, at + 2, seenAs);
        break;
      case "gre":
        protocol = IP_PROTOCOL.gre;
        payload = concatBytes(greHeader(ETHER_TYPE.ipv4), this.ip(layers, at + 2, seenAs));
        break;
      case "ipv4":
        protocol = IP_PROTOCOL.ipip;
        payload = this.ip(layers, at + 1, seenAs);
        break;
      default:
        throw new Error(`cannot write ${next ? `a ${next.kind} layer` : "nothing"} after IPv4 ${ip.src} → ${ip.dst}`);
    }
    // An encapsulating header's identification: a hash of what it wraps, stable for the same packet.
    id ??= hash32(`ip-id ${ip.src}>${ip.dst} ${protocol} ${Array.from(payload.subarray(0, 64)).join(",")}`) & 0xffff;
    return ipPacket({ src: ip.src, dst: ip.dst, ttl: ip.ttl, protocol, id }, payload);
  }

  /**
   * An in-cluster packet unit. The unit has no TTL (netfilter's walk does not model it): 64, Linux's
   * default, throughout. Its payload is a few words for people, not bytes, so it decides the segment
   * rather than filling it: "SYN" is a bare SYN, the "reply" to one a bare SYN-ACK, other words on
   * TCP a data segment carrying them. A UDP datagram goes out empty (its words are in the packet's
   * comment): words sent to port 53 or 443 would read as a broken DNS or QUIC message. An SCTP DATA
   * chunk must carry at least one byte, so it carries the words.
   */
  packetUnit(unit: PacketUnit, received: Unit | null): Uint8Array {
    const tuple: Tuple = { src: unit.src, srcPort: unit.srcPort, dst: unit.dst, dstPort: unit.dstPort };
    const seenAs = seenAsPacketUnit(received, unit.protocol);
    const words = utf8(unit.payload);
    let protocol: number;
    let payload: Uint8Array;
    let id: number;
    if (unit.protocol === "tcp") {
      const intent: Intent = unit.payload === "SYN" ? "open" : unit.payload === "reply" ? "reply" : "data";
      const s = this.flows.segment("tcp", tuple, unit.payload, intent, seenAs, () => words.length);
      protocol = IP_PROTOCOL.tcp;
      payload = tcpSegment({ ...tuple, seq: s.seq, ack: s.ack, flags: s.flags }, s.flags & TCP_FLAGS.syn ? new Uint8Array(0) : words);
      id = s.ipId;
    } else if (unit.protocol === "sctp") {
      const s = this.flows.segment("sctp", tuple, unit.payload, "data", seenAs, () => 1);
      protocol = IP_PROTOCOL.sctp;
      payload = sctpPacket({ srcPort: unit.srcPort, dstPort: unit.dstPort, tag: s.tag, tsn: s.seq }, words);
      id = s.ipId;
    } else {
      protocol = IP_PROTOCOL.udp;
      payload = udpDatagram(tuple, new Uint8Array(0));
      id = hash32(`ip-id ${unit.src}>${unit.dst} ${unit.payload}`) & 0xffff;
    }
    return ipPacket({ src: unit.src, dst: unit.dst, ttl: 64, protocol, id }, payload);
  }
}

function stepRange(steps: readonly Step[], options: CaptureOptions): [number, number] {
  const find = (id: string | undefined, fallback: number) => {
    if (id === undefined) return fallback;
    const i = steps.findIndex((s) => s.id === id);
    if (i < 0) throw new InputError(id, `no step of the trace has this id; its steps are ${steps.map((s) => s.id).join(", ")}`);
    return i;
  };
  const first = find(options.from, 0);
  const last = find(options.to, steps.length - 1);
  if (first > last) throw new InputError(options.from ?? "", `this step comes after ${options.to} in the trace; a range runs forwards`);
  return [first, last];
}

/**
 * Every packet the trace's steps send, encoded. Sequence numbers and times are computed over the
 * whole trace, then cut to the range, so a packet's bytes do not depend on the range it is in.
 * Times: cumulative from each step's modelled time (`time.ms`), or 1 ms apart where a trace has none.
 *
 * @example capturePackets(toCoreTrace(computeTrace("cloudflare-gke")), { from: "request:gfe", to: "request:node" }).packets.length // 3
 * @throws InputError when `from` or `to` names no step, or `from` comes after `to`
 */
export function capturePackets(trace: Trace, options: CaptureOptions = {}): Capture {
  const [first, last] = stepRange(trace.steps, options);
  const encoder = new Encoder();
  const packets: CapturedPacket[] = [];
  const skipped: { stepId: string; reason: string }[] = [];
  let elapsedMs = 0;
  trace.steps.forEach((step, i) => {
    elapsedMs += step.time ? step.time.ms : 1;
    const unit = step.out;
    if (!unit) return;
    let data: Uint8Array | null = null;
    let reason = `a ${unit.kind} unit is not a packet this capture can write`;
    try {
      if (isLayered(unit)) data = encoder.ip(unit.layers, 0, innerTcp(step.in));
      else if (isPacketUnit(unit)) data = encoder.packetUnit(unit, step.in);
    } catch (error) {
      reason = (error as Error).message;
    }
    if (i < first || i > last) return;
    if (!data) skipped.push({ stepId: step.id, reason });
    else {
      const words = isPacketUnit(unit) ? `: ${unit.payload}` : "";
      packets.push({ stepId: step.id, timestampUs: CAPTURE_EPOCH_US + Math.round(elapsedMs * 1000), data, comment: `${step.id} (${step.node.name})${words}` });
    }
  });
  return { packets, skipped };
}

/**
 * The trace as a pcapng file (raw IP, one interface, a comment per packet naming its step) that
 * Wireshark and tshark open as they would a real capture.
 *
 * @example
 * const file = traceToPcapng(toCoreTrace(computeTrace("cloudflare-gke", { city: "tokyo" })));
 * new Blob([file], { type: "application/vnd.tcpdump.pcap" });
 */
export function traceToPcapng(trace: Trace, options: CaptureOptions = {}): Uint8Array {
  const { packets } = capturePackets(trace, options);
  const range = options.from !== undefined || options.to !== undefined
    ? `, steps ${options.from ?? trace.steps[0]?.id} to ${options.to ?? trace.steps.at(-1)?.id}`
    : "";
  const out: PcapngPacket[] = packets.map((p) => ({ timestampUs: p.timestampUs, data: p.data, comment: p.comment }));
  return writePcapng(out, {
    comment: `Packet Lab: ${trace.scenario}, seed ${trace.seed}${trace.model ? `, model ${trace.model}` : ""}${range}; outcome ${trace.outcome.status} at ${trace.outcome.at}. `
      + "One packet per step, as it leaves that device; each packet's comment names its step. A segment forwarded unchanged "
      + "appears once per hop, which Wireshark marks as a retransmission and does not dissect again: turn off the TCP "
      + "preference \"Analyze TCP sequence numbers\" to decode every copy.",
    interfaceName: "packet-lab",
    interfaceDescription: "each step's output packet, as raw IP",
  });
}
