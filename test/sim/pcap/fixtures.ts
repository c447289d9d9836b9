/**
 * The traces the pcap tests export: flagship settings that between them put every packet shape on
 * the wire (GUE, GRE, Geneve; HTTP in clear; TLS application data, hellos and alerts), every
 * in-cluster scenario preset (IPv6 ones among them), and a synthetic trace with what no scenario sends (IPv6 UDP,
 * SCTP, VXLAN, IP-in-IP).
 */
import { StepBuilder, type Step, type Trace, type Unit } from "../../../src/sim/core/trace";
import { computeTrace, toCoreTrace } from "../../../src/sim/index";
import { KUBE_SCENARIOS, runKubeScenario } from "../../../src/sim/kube/index";
import type { Layer } from "../../../src/sim/net/packet";
import type { PacketUnit } from "../../../src/sim/net/packet-unit";

export const FLAGSHIP_SETTINGS: Record<string, Record<string, string>> = {
  default: {},
  "cloudflare off": { cloudflare: "off" },
  "cache hit": { "cache-rule": "cache-everything", cache: "hit" },
  "all pods unhealthy": { "pod-health": "all-unhealthy" },
  bypassed: { cloudflare: "bypassed" },
  // A TLS handshake in the trace: ClientHello and the server's flight, then the browser's refusal.
  "origin CA cert, cloudflare off": { "origin-cert": "origin-ca", cloudflare: "off" },
  // Alerts on the wire: the GFE's handshake_failure, and certificate_required under mTLS.
  "managed cert, proxied": { "origin-cert": "managed-proxied" },
  "mTLS without Cloudflare": { cloudflare: "off", "origin-protection": "mtls" },
  "tokyo, cold connections, no host rule": { city: "tokyo", connections: "cold", host: "api.example.com" },
};

export function flagshipTrace(params: Record<string, string>): Trace {
  return toCoreTrace(computeTrace("cloudflare-gke", params, 0));
}

export const KUBE_PRESETS: readonly [string, string][] = KUBE_SCENARIOS.flatMap((s) => Object.keys(s.presets).map((p) => [s.id, p] as [string, string]));

export function kubeTrace(id: string, preset: string): Trace<PacketUnit> {
  return runKubeScenario(id, preset, 0);
}

const packet = (protocol: PacketUnit["protocol"], src: string, srcPort: number, dst: string, dstPort: number, payload: string): PacketUnit => ({
  kind: "packet", protocol, src, srcPort, dst, dstPort, mark: null, ctstate: null, iface: null, payload,
});
const layered = (...layers: Layer[]) => ({ kind: "layered-packet", layers });

/** Units no scenario sends today, one step each, plus a step whose unit is not a packet at all. */
export function syntheticTrace(): Trace {
  const b = new StepBuilder<Unit>([{ id: "wire", title: "On the wire", summary: "Shapes no scenario sends yet." }]);
  const node = { id: "host", kind: "host", name: "Test host" };
  const outs: [string, Unit | null, Unit | null][] = [
    ["ipv6-syn", null, packet("tcp", "fd00:10:244::5", 40000, "fd00:10:96::a", 80, "SYN")],
    ["ipv6-dnat", packet("tcp", "fd00:10:244::5", 40000, "fd00:10:96::a", 80, "SYN"), packet("tcp", "fd00:10:244::5", 40000, "fd00:10:244:1::2", 8080, "SYN")],
    ["ipv6-syn-ack", null, packet("tcp", "fd00:10:244:1::2", 8080, "fd00:10:244::5", 40000, "reply")],
    ["dns-query", null, packet("udp", "10.244.1.50", 40001, "10.96.0.10", 53, "datagram")],
    ["dns-answer", null, packet("udp", "10.96.0.10", 53, "10.244.1.50", 40001, "reply")],
    ["sctp-data", null, packet("sctp", "10.244.1.50", 40002, "10.96.0.20", 9899, "datagram")],
    ["sctp-reply", null, packet("sctp", "10.96.0.20", 9899, "10.244.1.50", 40002, "reply")],
    ["dns-message", null, { kind: "dns-message" }],
    ["vxlan", null, layered(
      { kind: "ipv4", src: "10.128.0.2", dst: "10.128.0.3", ttl: 64 }, { kind: "udp", srcPort: 50000, dstPort: 4789 }, { kind: "vxlan", vni: 77 },
      { kind: "ipv4", src: "10.244.1.5", dst: "10.244.2.6", ttl: 63 }, { kind: "tcp", srcPort: 41000, dstPort: 80 },
      { kind: "http", requestLine: "GET /cart", host: "shop.example.com", forwardedFor: "203.0.113.9" },
    )],
    ["ip-in-ip", null, layered(
      { kind: "ipv4", src: "10.128.0.3", dst: "10.128.0.2", ttl: 64 }, { kind: "ipv4", src: "10.244.2.6", dst: "10.244.1.5", ttl: 64 },
      { kind: "tcp", srcPort: 80, dstPort: 41000 }, { kind: "http", status: "304 Not Modified", cacheControl: "no-cache" },
    )],
  ];
  for (const [id, input, out] of outs) b.add({ id, stage: "wire", node, in: input, out, events: [], sub: [], tables: [] } as Step);
  return b.build({ scenario: "synthetic", input: {}, seed: 0, model: null, outcome: { status: "ok", at: "vxlan", summary: "synthetic" } });
}
