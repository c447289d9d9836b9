/**
 * The Pod MTU each CNI sets, and the bytes each layer of its encapsulation costs. An MTU counts the IP
 * packet (header and payload), never the Ethernet frame around it, so an overlay's cost is what it adds
 * in front of the inner IP packet: an outer IP header, perhaps UDP, the tunnel's own header, and for
 * VXLAN and Geneve an inner Ethernet header (they carry frames, not packets).
 *
 * Pure and synchronous; the MTU lab, the questions and `npm run sim -- mtu` read it.
 */
import { InputError } from "../../net/errors";

/** Google Cloud VPC MTU: 1460 by default, configurable from 1300 to 8896 bytes. */
export const VPC_MTU_DEFAULT = 1460;
export const VPC_MTU_MIN = 1300;
export const VPC_MTU_MAX = 8896;

/** The smallest IPv4 MTU every link must carry (RFC 791: 68 bytes); a lab input below it is refused. */
export const IPV4_MIN_MTU = 68;

/** One header an encapsulation puts in front of the Pod's packet. */
export interface Layer {
  readonly name: string;
  readonly bytes: number;
  /** Where the figure comes from. */
  readonly source: string;
}

export interface Cni {
  readonly id: string;
  readonly name: string;
  /** "native": Pod packets cross the VPC as they are; "overlay": wrapped in the layers. */
  readonly mode: "native" | "overlay";
  readonly layers: readonly Layer[];
  /** How the Pod MTU is chosen, in one sentence. */
  readonly rule: string;
  /** A fixed Pod MTU regardless of the node's, when the CNI sets one. */
  readonly fixedPodMtu?: number;
}

const OUTER_IPV4: Layer = { name: "outer IPv4 header", bytes: 20, source: "RFC 791 (no options)" };
const OUTER_IPV6: Layer = { name: "outer IPv6 header", bytes: 40, source: "RFC 8200" };
const UDP: Layer = { name: "UDP header", bytes: 8, source: "RFC 768" };
const INNER_ETHERNET: Layer = { name: "inner Ethernet header", bytes: 14, source: "IEEE 802.3 (no VLAN tag)" };

export const CNIS: readonly Cni[] = [
  {
    id: "dataplane-v2",
    name: "GKE Dataplane V2 (Cilium, native routing)",
    mode: "native",
    layers: [],
    rule: "No encapsulation: Pod addresses are alias IPs the VPC routes itself, so the Pod interface takes the node's MTU.",
  },
  {
    id: "gke-legacy",
    name: "GKE's older non-Dataplane V2 setup (fixed 1460)",
    mode: "native",
    layers: [],
    fixedPodMtu: 1460,
    rule: "No encapsulation, but older GKE versions set every Pod interface to 1460 whatever the VPC's MTU: on a 1500 or 8896 VPC the Pods do not use the larger MTU, and on a VPC below 1460 they send more than the VPC carries.",
  },
  {
    id: "calico-bgp",
    name: "Calico, no encapsulation (BGP / VPC routes)",
    mode: "native",
    layers: [],
    rule: "Routed without a tunnel: the Pod MTU can equal the node's.",
  },
  {
    id: "calico-ipip",
    name: "Calico IP-in-IP",
    mode: "overlay",
    layers: [{ ...OUTER_IPV4, name: "outer IPv4 header (IP protocol 4, RFC 2003)" }],
    rule: "The inner IPv4 packet rides directly in an outer IPv4 packet: 20 bytes.",
  },
  {
    id: "calico-vxlan",
    name: "Calico VXLAN",
    mode: "overlay",
    layers: [OUTER_IPV4, { ...UDP, name: "UDP header (port 4789)" }, { name: "VXLAN header", bytes: 8, source: "RFC 7348 §5" }, INNER_ETHERNET],
    rule: "VXLAN carries an Ethernet frame in UDP: 20 + 8 + 8 + 14 = 50 bytes.",
  },
  {
    id: "flannel-vxlan",
    name: "Flannel VXLAN",
    mode: "overlay",
    layers: [OUTER_IPV4, { ...UDP, name: "UDP header (port 8472, the Linux default)" }, { name: "VXLAN header", bytes: 8, source: "RFC 7348 §5" }, INNER_ETHERNET],
    rule: "The same VXLAN framing as Calico's: 50 bytes.",
  },
  {
    id: "geneve",
    name: "Geneve (e.g. Cilium tunnel mode)",
    mode: "overlay",
    layers: [OUTER_IPV4, { ...UDP, name: "UDP header (port 6081)" }, { name: "Geneve base header", bytes: 8, source: "RFC 8926 §3.4" }, INNER_ETHERNET],
    rule: "Like VXLAN, 50 bytes, plus any variable-length options the header carries (RFC 8926 §3.5).",
  },
  {
    id: "wireguard",
    name: "WireGuard (IPv4 underlay)",
    mode: "overlay",
    layers: [
      OUTER_IPV4,
      UDP,
      { name: "WireGuard data header (type, reserved, receiver index, counter)", bytes: 16, source: "WireGuard paper §5.4.6" },
      { name: "Poly1305 authentication tag", bytes: 16, source: "RFC 8439" },
    ],
    rule: "An encrypted IP packet in UDP: 20 + 8 + 16 + 16 = 60 bytes (80 over an IPv6 underlay). WireGuard pads the encrypted payload to a multiple of 16 bytes, but never past the interface's MTU.",
  },
  {
    id: "wireguard-ipv6",
    name: "WireGuard (IPv6 underlay)",
    mode: "overlay",
    layers: [
      OUTER_IPV6,
      UDP,
      { name: "WireGuard data header (type, reserved, receiver index, counter)", bytes: 16, source: "WireGuard paper §5.4.6" },
      { name: "Poly1305 authentication tag", bytes: 16, source: "RFC 8439" },
    ],
    rule: "The same as over IPv4 with a 40-byte IPv6 header: 80 bytes.",
  },
];

/** Named wrong models the MTU simulator runs: "encap-free" counts no overlay bytes. */
export const MTU_MODELS = ["real", "encap-free", "df-fragmented"] as const;
export type MtuModel = (typeof MTU_MODELS)[number];

/** @throws InputError for an unknown CNI, naming the known ones */
export function cniById(id: string): Cni {
  const cni = CNIS.find((c) => c.id === id.trim().toLowerCase());
  if (!cni) throw new InputError(id, `unknown CNI; one of ${CNIS.map((c) => c.id).join(", ")}`);
  return cni;
}

/**
 * Parses a node (VPC) MTU. Google Cloud takes 1300–8896; anything else is refused with that range.
 * @throws InputError
 */
export function parseNodeMtu(text: string): number {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) throw new InputError(text, "the node MTU is a whole number of bytes, e.g. 1460");
  const n = Number(trimmed);
  if (n < VPC_MTU_MIN || n > VPC_MTU_MAX) throw new InputError(text, `a Google Cloud VPC's MTU runs from ${VPC_MTU_MIN} to ${VPC_MTU_MAX} bytes; ${n} is outside that`);
  return n;
}

export interface PodMtu {
  readonly cni: string;
  readonly nodeMtu: number;
  readonly layers: readonly Layer[];
  readonly overhead: number;
  readonly podMtu: number;
  /** The MSS a Pod advertises over IPv4: Pod MTU − 20 (IPv4) − 20 (TCP), without options. */
  readonly tcpMss: number;
  readonly rule: string;
  readonly model: MtuModel;
}

/**
 * The Pod MTU a CNI gives on a node of this MTU, and each layer it spends.
 *
 * @example podMtu(cniById("calico-vxlan"), 1460).podMtu // 1410
 * @example podMtu(cniById("calico-vxlan"), 1460, { geneveOptions: 0, model: "encap-free" }).podMtu // 1460 (the wrong model)
 */
export function podMtu(cni: Cni, nodeMtu: number, options: { geneveOptions?: number; model?: MtuModel } = {}): PodMtu {
  const model = options.model ?? "real";
  const extra = cni.id === "geneve" && (options.geneveOptions ?? 0) > 0
    ? [{ name: "Geneve options", bytes: options.geneveOptions!, source: "RFC 8926 §3.5 (multiples of 4 bytes)" }]
    : [];
  const layers = [...cni.layers, ...extra];
  const overhead = model === "encap-free" ? 0 : layers.reduce((sum, l) => sum + l.bytes, 0);
  const mtu = cni.fixedPodMtu ?? nodeMtu - overhead;
  return { cni: cni.id, nodeMtu, layers, overhead, podMtu: mtu, tcpMss: mtu - 40, rule: cni.rule, model };
}
