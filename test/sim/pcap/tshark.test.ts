/**
 * Wireshark's dissectors referee the pcap export: for flagship settings that between them send
 * every packet shape, every in-cluster preset, and a synthetic trace (IPv6, UDP, SCTP, VXLAN,
 * IP-in-IP), tshark must decode every packet without an error and find in it what the trace says.
 *
 * Each file is dissected twice:
 * - as Wireshark opens it (TCP analysis on), with every checksum verified: no malformed packet, no
 *   expert warning or error, checksums good, times and comments as written, and sequence numbers
 *   that hold together per connection and direction. The same segment seen at the next hop is a
 *   copy tshark calls a "(suspected) retransmission" (a note) — and then leaves undissected;
 * - with TCP sequence analysis off, so every copy is dissected, and each frame's addresses, TTLs,
 *   ports, flags, tunnel fields, HTTP and TLS fields must equal the trace's, with nothing extra.
 *
 * tshark has no GUE dissector (Wireshark 4.0; Cloudflare's Unimog uses GUE): those packets decode
 * as IPv4 and UDP with opaque data. The test checks the outer headers there, the GUE header in the
 * data, and has tshark dissect the inner packet on its own.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trace, Unit } from "../../../src/sim/core/trace";
import type { HttpLayer, Layer, TlsLayer } from "../../../src/sim/net/packet";
import type { PacketUnit } from "../../../src/sim/net/packet-unit";
import { capturePackets, traceToPcapng, writePcapng, type CapturedPacket } from "../../../src/sim/pcap/index";
import { FLAGSHIP_SETTINGS, flagshipTrace, KUBE_PRESETS, kubeTrace, syntheticTrace } from "./fixtures";
import { CHECKSUM_PREFS, dissect, SEVERITY, tsharkUnavailable, type Frame } from "./tshark";

const unavailable = tsharkUnavailable();

/** The fields compared with the trace, each as the list of its occurrences, outermost first. */
const DECODED = [
  "ip.src", "ip.dst", "ip.ttl", "ipv6.src", "ipv6.dst", "ipv6.hlim",
  "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport", "udp.dstport", "sctp.srcport", "sctp.dstport",
  "gre.proto", "geneve.vni", "vxlan.vni", "eth.src", "eth.dst",
  "http.request.method", "http.request.uri", "http.host", "http.x_forwarded_for", "http.response.code", "http.response.phrase", "http.cache_control",
  "tls.record.content_type", "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.alert_message.desc",
] as const;
type Decoded = Record<(typeof DECODED)[number] | "cf-cache-status", string[]>;

const EXPERT = ["frame.comment", "frame.time_epoch", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message",
  "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "sctp.checksum.status",
  "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.len"];

/** vni fields print in hex ("0x001092"), others in decimal: compare numbers. */
const NUMERIC = new Set(["geneve.vni", "vxlan.vni", "tcp.flags", "gre.proto", "tls.record.content_type", "tls.handshake.type", "tls.alert_message.desc"]);

/** What tshark showed for the compared fields; `cf-cache-status` read from the response's header lines. */
function decoded(frame: Frame): Decoded {
  const out = {} as Decoded;
  for (const f of DECODED) out[f] = (frame[f] ?? []).map((v) => (NUMERIC.has(f) ? String(Number(v)) : v));
  // Once tshark has seen a TLS 1.3 ServerHello it names later records' type "opaque type" (the real
  // type is encrypted inside): count them as the records they are.
  out["tls.record.content_type"].push(...(frame["tls.record.opaque_type"] ?? []).map((v) => String(Number(v))));
  out["cf-cache-status"] = (frame["http.response.line"] ?? []).flatMap((line) => {
    const m = /^cf-cache-status: (\S+?)(?:\\r\\n|\r\n)?$/.exec(line);
    return m ? [m[1]!] : [];
  });
  return out;
}

const mac = (ip: string) => ["02", "00", ...ip.split(".").map((o) => Number(o).toString(16).padStart(2, "0"))].join(":");

/**
 * What the trace says tshark must find in a layered packet, up to what tshark can dissect (a GUE
 * layer ends it). Written from the trace's layers alone, not from the writer.
 */
function expectedLayered(layers: readonly Layer[]): Decoded {
  const e = Object.fromEntries([...DECODED, "cf-cache-status"].map((f) => [f, [] as string[]])) as Decoded;
  const gue = layers.findIndex((l) => l.kind === "gue");
  const visible = gue < 0 ? layers : layers.slice(0, gue);
  let lastTcpDstPort = 0;
  visible.forEach((l, i) => {
    if (l.kind === "ipv4") e["ip.src"].push(l.src), e["ip.dst"].push(l.dst), e["ip.ttl"].push(String(l.ttl));
    else if (l.kind === "tcp") {
      e["tcp.srcport"].push(String(l.srcPort)), e["tcp.dstport"].push(String(l.dstPort));
      // The journey's TCP is mid-stream and every segment carries data: PSH+ACK.
      e["tcp.flags"].push(String(0x18));
      lastTcpDstPort = l.dstPort;
    }
    else if (l.kind === "udp") e["udp.srcport"].push(String(l.srcPort)), e["udp.dstport"].push(String(l.dstPort));
    else if (l.kind === "gre") e["gre.proto"].push(String(0x0800));
    else if (l.kind === "geneve") e["geneve.vni"].push(String(l.vni));
    else if (l.kind === "vxlan") {
      e["vxlan.vni"].push(String(l.vni));
      const inner = visible[i + 1];
      if (inner?.kind === "ipv4") e["eth.src"].push(mac(inner.src)), e["eth.dst"].push(mac(inner.dst));
    }
  });
  const tls = visible.find((l): l is TlsLayer => l.kind === "tls");
  const http = visible.find((l): l is HttpLayer => l.kind === "http");
  if (tls) {
    if (tls.alert) {
      e["tls.record.content_type"] = ["21"];
      e["tls.alert_message.desc"] = [/\((\d+)\)/.exec(tls.alert)![1]!];
    } else if (http) e["tls.record.content_type"] = ["23"];
    else if (lastTcpDstPort === 443) {
      // A TLS layer with nothing inside, towards the server: the ClientHello, with the SNI.
      e["tls.record.content_type"] = ["22"];
      e["tls.handshake.type"] = ["1"];
      e["tls.handshake.extensions_server_name"] = [tls.sni];
    } else {
      e["tls.record.content_type"] = ["22", "20", "23"];
      e["tls.handshake.type"] = ["2"];
    }
  } else if (http) {
    if (http.requestLine) {
      const [method, uri] = http.requestLine.split(" ");
      e["http.request.method"] = [method!];
      e["http.request.uri"] = [uri!];
      if (http.host) e["http.host"] = [http.host];
      if (http.forwardedFor) e["http.x_forwarded_for"] = [http.forwardedFor];
    } else if (http.status) {
      const [code, ...phrase] = http.status.split(" ");
      e["http.response.code"] = [code!];
      e["http.response.phrase"] = [phrase.join(" ")];
      if (http.cacheControl) e["http.cache_control"] = [http.cacheControl];
      if (http.cacheStatus) e["cf-cache-status"] = [http.cacheStatus];
    }
  }
  return e;
}

/** An in-cluster unit: its addresses (TTL 64), ports, and a SYN or SYN-ACK as its payload words say. */
function expectedPacketUnit(u: PacketUnit): Decoded {
  const e = Object.fromEntries([...DECODED, "cf-cache-status"].map((f) => [f, [] as string[]])) as Decoded;
  const v6 = u.src.includes(":");
  e[v6 ? "ipv6.src" : "ip.src"] = [u.src];
  e[v6 ? "ipv6.dst" : "ip.dst"] = [u.dst];
  e[v6 ? "ipv6.hlim" : "ip.ttl"] = ["64"];
  e[`${u.protocol}.srcport`] = [String(u.srcPort)];
  e[`${u.protocol}.dstport`] = [String(u.dstPort)];
  if (u.protocol === "tcp") e["tcp.flags"] = [String(u.payload === "SYN" ? 0x02 : u.payload === "reply" ? 0x12 : 0x18)];
  return e;
}

function expected(unit: Unit): Decoded {
  return unit.kind === "packet" ? expectedPacketUnit(unit as PacketUnit) : expectedLayered((unit as unknown as { layers: Layer[] }).layers);
}

/** "1735689600.002020000", as tshark prints frame.time_epoch. */
const epoch = (us: number) => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}000`;

let dir = "";

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name.replace(/[^a-z0-9-]+/gi, "_") + ".pcapng");
  writeFileSync(path, bytes);
  return path;
}

/** No malformed packet and no expert warning or error; the only notes are retransmitted copies. */
function expectCleanExpertInfo(frames: Frame[], label: string): void {
  frames.forEach((f, i) => {
    const where = `${label}, frame ${i + 1} (${f["frame.comment"]?.[0]})`;
    expect(f["_ws.malformed"], where).toBeUndefined();
    const severities = (f["_ws.expert.severity"] ?? []).map(Number);
    const messages = f["_ws.expert.message"] ?? [];
    const loud = severities.flatMap((s, j) => (s >= SEVERITY.warn ? [messages[j]] : []));
    expect(loud, where).toEqual([]);
    const notes = severities.flatMap((s, j) => (s === SEVERITY.note ? [messages[j]] : []));
    for (const n of notes) expect(n, where).toBe("This frame is a (suspected) retransmission");
  });
}

/**
 * Per TCP connection as tshark numbers them, per direction: each new segment starts where the
 * last one ended (a SYN counts one), copies repeat it exactly, and every ACK acknowledges all the
 * other direction has sent.
 */
function expectConsistentSequenceNumbers(frames: Frame[], label: string): void {
  const next = new Map<string, number>();
  frames.forEach((f, i) => {
    if (!f["tcp.stream"]) return;
    const where = `${label}, frame ${i + 1} (${f["frame.comment"]?.[0]})`;
    // The innermost TCP header is the last occurrence; tshark gives one per frame here.
    const [stream, src, dst] = [f["tcp.stream"].at(-1), f["tcp.srcport"]!.at(-1), f["tcp.dstport"]!.at(-1)];
    const seq = Number(f["tcp.seq_raw"]!.at(-1));
    const ack = Number(f["tcp.ack_raw"]!.at(-1));
    const flags = Number(f["tcp.flags"]!.at(-1));
    const length = Number(f["tcp.len"]!.at(-1)) + (flags & 0x02 ? 1 : 0);
    const own = `${stream} ${src}>${dst}`;
    const theirs = `${stream} ${dst}>${src}`;
    const expectedSeq = next.get(own);
    const isCopy = expectedSeq !== undefined && ((seq + length) >>> 0) === expectedSeq;
    if (expectedSeq !== undefined && !isCopy) expect(seq, `${where}: seq`).toBe(expectedSeq);
    if (flags & 0x10 && next.has(theirs)) expect(ack, `${where}: ack`).toBe(next.get(theirs));
    next.set(own, (seq + length) >>> 0);
  });
}

interface Case {
  readonly label: string;
  readonly trace: () => Trace;
}

const CASES: Case[] = [
  ...Object.entries(FLAGSHIP_SETTINGS).map(([name, params]) => ({ label: `cloudflare-gke, ${name}`, trace: () => flagshipTrace(params) })),
  ...KUBE_PRESETS.map(([id, preset]) => ({ label: `${id}, preset ${preset}`, trace: () => kubeTrace(id, preset) })),
  { label: "synthetic: IPv6, UDP, SCTP, VXLAN, IP-in-IP", trace: syntheticTrace },
];

function referee({ label, trace: make }: Case): void {
  const trace = make();
  const { packets } = capturePackets(trace);
  const path = write(label, traceToPcapng(trace));
  const stepOf = (p: CapturedPacket) => trace.steps.find((s) => s.id === p.stepId)!;

  const analysed = dissect(path, EXPERT, CHECKSUM_PREFS);
  expect(analysed.length, label).toBe(packets.length);
  expectCleanExpertInfo(analysed, label);
  analysed.forEach((f, i) => {
    const p = packets[i]!;
    expect(f["frame.comment"], label).toEqual([p.comment]);
    expect(f["frame.time_epoch"], p.comment).toEqual([epoch(p.timestampUs)]);
    for (const status of ["ip", "tcp", "udp", "sctp"]) for (const s of f[`${status}.checksum.status`] ?? []) expect(s, `${p.comment}: ${status} checksum`).toBe("1");
  });
  expectConsistentSequenceNumbers(analysed, label);

  const every = dissect(path, [...DECODED, "tls.record.opaque_type", "http.response.line", "data.data", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message", "frame.comment"], ["tcp.analyze_sequence_numbers:FALSE"]);
  expectCleanExpertInfo(every, `${label} (every copy dissected)`);
  every.forEach((f, i) => {
    const p = packets[i]!;
    const unit = stepOf(p).out!;
    const want = expected(unit);
    expect(decoded(f), p.comment).toEqual(want);

    const layers = (unit as unknown as { layers?: Layer[] }).layers;
    const gue = layers?.findIndex((l) => l.kind === "gue") ?? -1;
    if (layers && gue >= 0) {
      // No GUE dissector: check the GUE header in the UDP data (version 0, no flags, proto 4 = IPv4
      // inside), then have tshark dissect the inner packet by itself.
      const data = (f["data.data"]?.[0] ?? "").replace(/:/g, "");
      expect(data.slice(0, 8), `${p.comment}: GUE header`).toBe("00040000");
      const inner = Uint8Array.from(data.slice(8).match(/../g)!.map((h) => parseInt(h, 16)));
      const innerPath = write(`${label} ${p.stepId} inner`, writePcapng([{ timestampUs: 0, data: inner }], { interfaceName: "gue-inner" }));
      const [innerFrame] = dissect(innerPath, [...DECODED, "tls.record.opaque_type", "http.response.line", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message"], ["tcp.analyze_sequence_numbers:FALSE"]);
      expectCleanExpertInfo([innerFrame!], `${p.comment}, inside GUE`);
      expect(decoded(innerFrame!), `${p.comment}, inside GUE`).toEqual(expectedLayered(layers.slice(gue + 1)));
    }
  });
}

describe("tshark referees the pcap export", () => {
  if (unavailable !== null) {
    it.skip(`skipped: ${unavailable}`, () => {});
    return;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "packet-lab-pcap-"));
  });

  it.each(CASES.map((c) => [c.label, c] as const))("%s: every packet decodes cleanly, with the trace's fields", (_, c) => referee(c));

  it("the in-cluster IPv6 presets go on the wire as IPv6: every frame an IPv6 header, no IPv4 one, the DNAT to the Pod visible", () => {
    const v6 = KUBE_PRESETS.filter(([id, preset]) => kubeTrace(id, preset).steps.find((s) => s.id === "client")!.out!.src.includes(":"));
    expect(v6.map(([id, preset]) => `${id} ${preset}`)).toEqual(expect.arrayContaining(["clusterip-from-pod ipv6", "nodeport-from-outside ipv6"]));
    for (const [id, preset] of v6) {
      const trace = kubeTrace(id, preset);
      const label = `${id} ${preset} (IPv6)`;
      const frames = dissect(write(label, traceToPcapng(trace)), ["frame.comment", "ip.src", "ipv6.src", "ipv6.dst", "ipv6.nxt", "tcp.dstport", "_ws.malformed"], ["tcp.analyze_sequence_numbers:FALSE"]);
      const { packets } = capturePackets(trace);
      expect(frames.length, label).toBe(packets.length);
      frames.forEach((f, i) => {
        const unit = trace.steps.find((s) => s.id === packets[i]!.stepId)!.out as PacketUnit;
        expect(f["ip.src"], `${label} ${packets[i]!.stepId}`).toBeUndefined();
        expect(f["ipv6.nxt"], `${label} ${packets[i]!.stepId}`).toEqual(["6"]);
        expect([f["ipv6.src"]?.[0], f["ipv6.dst"]?.[0]], `${label} ${packets[i]!.stepId}`).toEqual([unit.src, unit.dst]);
      });
      // The client's packet goes to the Service or node port; the one the entry node sends on goes to a Pod's port 8080.
      const dstPorts = frames.map((f) => f["tcp.dstport"]?.[0]);
      expect(dstPorts[0], label).not.toBe("8080");
      expect(dstPorts, label).toContain("8080");
    }
  });

  it("a step range decodes on its own: the response leg of the default journey", () => {
    const trace = flagshipTrace({});
    const { packets } = capturePackets(trace, { from: "response:pod", to: "response:gfe" });
    const frames = dissect(write("range", traceToPcapng(trace, { from: "response:pod", to: "response:gfe" })), ["frame.comment", "ip.src", "http.response.code", "tls.record.content_type", "_ws.expert.severity", "_ws.expert.message", "_ws.malformed"], ["tcp.analyze_sequence_numbers:FALSE"]);
    expect(frames.map((f) => f["frame.comment"]![0])).toEqual(packets.map((p) => p.comment));
    expect(frames.map((f) => f["frame.comment"]![0]!.split(" ")[0])).toEqual(["response:pod", "response:node", "response:backbone", "response:gfe"]);
    expect(frames[0]!["http.response.code"]).toEqual(["200"]);
    expect(frames[3]!["tls.record.content_type"]).toEqual(["23"]);
    expectCleanExpertInfo(frames, "range");
  });
});
