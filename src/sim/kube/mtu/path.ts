/**
 * One TCP data segment from a Pod, hop by hop, as a core trace: the handshake (small packets, always
 * fine), the first full-size segment, each link's MTU check, and what happens at the first link it
 * does not fit — fragmentation (DF clear, RFC 791), or a drop with ICMP "fragmentation needed"
 * (type 3, code 4, carrying the next-hop MTU, RFC 1191 §4) and path MTU discovery, or, when a
 * firewall filters that ICMP, a black hole: the same segment is retransmitted and lost until the
 * connection gives up.
 *
 * Simplifications, said plainly: one data segment stands for the transfer; retransmissions are cut at
 * three (Linux keeps going, with exponential backoff, for about 15 minutes by default,
 * `tcp_retries2` = 15); Linux's own black-hole detection (`net.ipv4.tcp_mtu_probing`, off by default,
 * RFC 4821) is not modelled; a tunnel device's MTU is assumed set to node MTU − overhead, as Calico
 * and Flannel set it, so the VPC itself never sees an oversized outer packet.
 */
import { InputError } from "../../net/errors";
import { StepBuilder, type Stage, type Step, type StepNode, type SubStep, type Trace } from "../../core/trace";
import { IPV4_MIN_MTU, cniById, parseNodeMtu, podMtu as cniPodMtu, type MtuModel } from "./cni";

export interface MtuPathInput {
  readonly cni: string;
  readonly nodeMtu: number;
  /** The Pod interface's MTU when set by hand (a misconfiguration); null: what the CNI sets. */
  readonly podMtu: number | null;
  /** The IP packet the Pod sends, in bytes (header included); null: a full-size segment (the Pod MTU). */
  readonly size: number | null;
  /** Don't Fragment. Linux sets it on TCP by default (path MTU discovery on). */
  readonly df: boolean;
  /** Whether a firewall on the way back drops ICMP. */
  readonly icmpFiltered: boolean;
  /** "pod": a Pod on another node of the cluster; "on-prem": a server across a narrower link. */
  readonly destination: "pod" | "on-prem";
  /** The narrow link's MTU, for "on-prem". */
  readonly linkMtu: number;
  readonly geneveOptions?: number;
}

export const MTU_PATH_DEFAULTS: MtuPathInput = {
  cni: "calico-vxlan",
  nodeMtu: 1460,
  podMtu: null,
  size: null,
  df: true,
  icmpFiltered: false,
  destination: "pod",
  linkMtu: 1400,
};

/** A packet on the wire: its size as the link measures it, and its flags. */
export interface MtuUnit {
  readonly kind: "ipv4";
  readonly proto: "tcp" | "icmp";
  readonly src: string;
  readonly dst: string;
  /** The IP packet's total length. */
  readonly bytes: number;
  readonly df: boolean;
  /** The outer packet's length when encapsulated. */
  readonly outerBytes?: number;
  readonly note?: string;
}

const STAGES: readonly Stage[] = [
  { id: "handshake", title: "Handshake", summary: "SYN and SYN-ACK carry each side's MSS; small packets, they fit every link." },
  { id: "send", title: "First full-size segment", summary: "The segment crosses each link whose MTU it fits." },
  { id: "signal", title: "Too big", summary: "The first link it does not fit: fragment, or drop and signal with ICMP." },
  { id: "recover", title: "Afterwards", summary: "Path MTU discovery lowers the segment size, or the sender retransmits into the black hole." },
];

const POD_A = "10.4.1.5";
const NODE_A = "10.128.0.2";
const POD_B = "10.4.2.7";
const NODE_B = "10.128.0.3";
const SERVER = "192.168.50.10";
const ONPREM_ROUTER = "192.168.0.1";
const RETRANSMITS = 3;

interface Link {
  readonly id: string;
  readonly node: StepNode;
  readonly mtu: number;
  /** Bytes this link adds in front of the packet (the tunnel's encapsulation); the check is on the inner size. */
  readonly encap: number;
  /** Whether the check is on the outer packet (the VPC, after encapsulation). */
  readonly measuresOuter: boolean;
  /** Who sends the ICMP when the packet is too big here (its address). */
  readonly icmpFrom: string;
  readonly what: string;
}

export interface MtuPathResult {
  readonly trace: Trace<MtuUnit>;
  readonly podMtu: number;
  readonly overhead: number;
  /** The path MTU the Pod ends up using for the destination (after PMTUD, if it happened). */
  readonly pathMtu: number;
  readonly status: "delivered" | "delivered-after-pmtud" | "delivered-fragmented" | "black-hole" | "not-sent";
  /** Where the packet first did not fit, or null. */
  readonly tooBigAt: string | null;
  readonly fragments: number;
}

/** Fragment payloads are multiples of 8 bytes (RFC 791 fragment offset units); 20-byte header each. */
export function fragmentSizes(bytes: number, mtu: number): number[] {
  const payload = bytes - 20;
  const per = Math.floor((mtu - 20) / 8) * 8;
  const sizes: number[] = [];
  for (let left = payload; left > 0; left -= per) sizes.push(20 + Math.min(per, left));
  return sizes;
}

function validate(input: MtuPathInput): void {
  cniById(input.cni);
  parseNodeMtu(String(input.nodeMtu));
  if (input.podMtu !== null && (!Number.isInteger(input.podMtu) || input.podMtu < IPV4_MIN_MTU || input.podMtu > 9000)) {
    throw new InputError(String(input.podMtu), "a Pod MTU is a whole number from 68 to 9000 bytes");
  }
  if (input.size !== null && (!Number.isInteger(input.size) || input.size < 41 || input.size > 9000)) {
    throw new InputError(String(input.size), "a TCP segment's IP packet is a whole number from 41 to 9000 bytes");
  }
  if (!Number.isInteger(input.linkMtu) || input.linkMtu < 576 || input.linkMtu > 9000) {
    throw new InputError(String(input.linkMtu), "the narrow link's MTU is a whole number from 576 to 9000 bytes");
  }
}

/**
 * The segment's journey under the real behaviour or a named wrong model (`encap-free`: the overlay
 * costs nothing; `df-fragmented`: routers fragment DF packets anyway).
 *
 * @throws InputError for an unknown CNI or an out-of-range number
 */
export function mtuPath(input: MtuPathInput, model: MtuModel = "real"): MtuPathResult {
  validate(input);
  const cni = cniById(input.cni);
  const mtu = cniPodMtu(cni, input.nodeMtu, { geneveOptions: input.geneveOptions, model });
  const podMtu = input.podMtu ?? mtu.podMtu;
  const overlay = input.destination === "pod" && cni.mode === "overlay";
  const overhead = overlay ? mtu.overhead : 0;
  const dst = input.destination === "pod" ? POD_B : SERVER;
  const peerMtu = input.destination === "pod" ? podMtu : 1500;
  const mss = Math.min(podMtu, peerMtu) - 40;
  const size = input.size ?? mss + 40;

  const podNode: StepNode = { id: "pod-a", kind: "pod", name: `Pod A (${POD_A}) eth0` };
  const links: Link[] = [];
  if (overlay) {
    links.push({
      id: "tunnel", node: { id: "node-a-tunnel", kind: "tunnel-device", name: `node A's tunnel device (${cni.name})` },
      mtu: input.nodeMtu - mtu.overhead, encap: mtu.overhead, measuresOuter: false, icmpFrom: NODE_A,
      what: `the tunnel device (MTU ${input.nodeMtu} − ${mtu.overhead} = ${input.nodeMtu - mtu.overhead})`,
    });
  } else {
    links.push({
      id: "node-eth0", node: { id: "node-a-eth0", kind: "node", name: `node A (${NODE_A}) eth0` },
      mtu: input.nodeMtu, encap: 0, measuresOuter: false, icmpFrom: NODE_A, what: `node A's eth0 (MTU ${input.nodeMtu})`,
    });
  }
  links.push({
    id: "vpc", node: { id: "vpc", kind: "vpc", name: "the VPC network (Andromeda)" },
    mtu: input.nodeMtu, encap: 0, measuresOuter: true, icmpFrom: "the VPC", what: `the VPC (MTU ${input.nodeMtu})`,
  });
  if (input.destination === "on-prem") {
    links.push({
      id: "narrow-link", node: { id: "onprem-router", kind: "router", name: `on-premises router (${ONPREM_ROUTER})` },
      mtu: input.linkMtu, encap: 0, measuresOuter: false, icmpFrom: ONPREM_ROUTER, what: `the on-premises link (MTU ${input.linkMtu})`,
    });
  }

  const b = new StepBuilder<MtuUnit>(STAGES);
  const srcAddr = POD_A;
  const packet = (bytes: number, df: boolean, note?: string): MtuUnit => ({ kind: "ipv4", proto: "tcp", src: srcAddr, dst, bytes, df, ...(overhead ? { outerBytes: bytes + overhead } : {}), ...(note ? { note } : {}) });
  const step = (s: Omit<Step, "tables"> & { in: MtuUnit | null; out: MtuUnit | null }) => b.add({ ...s, tables: [] });

  step({
    id: "handshake", stage: "handshake", node: podNode, in: null, out: { kind: "ipv4", proto: "tcp", src: srcAddr, dst, bytes: 60, df: input.df, note: "SYN" },
    events: [
      { type: "syn", text: `SYN (60 bytes) advertises MSS ${podMtu - 40}; the peer's SYN-ACK advertises ${peerMtu - 40}. Each side sends segments no larger than the smaller: ${mss} bytes of data, a ${mss + 40}-byte packet.` },
    ],
    sub: [],
  });

  let status: MtuPathResult["status"] = "delivered";
  let tooBigAt: string | null = null;
  let fragments = 1;
  let pathMtu = Math.min(podMtu, peerMtu);
  let outcomeAt = "send";
  let outcomeSummary = "";

  if (size > podMtu) {
    step({
      id: "send", stage: "send", node: podNode, in: null, out: null,
      events: [{ type: "emsgsize", text: `${size} bytes is larger than the Pod's own interface MTU (${podMtu}): the Pod's kernel never puts it on the wire (TCP would cut it to the MSS; a DF datagram gets EMSGSIZE).` }],
      sub: [{ kind: "check", label: `${size} > ${podMtu}`, detail: "larger than the sending interface's MTU", taken: true }],
    });
    const trace = b.build({ scenario: "mtu-path", input, seed: 0, model: model === "real" ? null : model, outcome: { status: "not-sent", at: "send", summary: "The packet is larger than the Pod's own MTU and never leaves it." } });
    return { trace, podMtu, overhead, pathMtu, status: "not-sent", tooBigAt: null, fragments: 0 };
  }

  step({
    id: "send", stage: "send", node: podNode, in: null, out: packet(size, input.df),
    events: [{ type: "send", text: `Pod A sends a ${size}-byte packet${input.df ? " with DF set" : " without DF"} to ${dst}.` }],
    sub: [{ kind: "check", label: `${size} ≤ ${podMtu}`, detail: "fits the Pod's own interface", taken: true }],
  });

  const encapsulated = (bytes: number, df: boolean, encap: number): MtuUnit => ({ ...packet(bytes, df), outerBytes: bytes + encap });
  /** Walks `bytes` over the links from `from`; returns the index of the first link it does not fit, or -1. */
  const walk = (bytes: number, df: boolean, from: number, prefix: string): number => {
    for (let i = from; i < links.length; i++) {
      const link = links[i]!;
      const measured = link.measuresOuter ? bytes + overhead : bytes;
      const fits = measured <= link.mtu;
      if (!fits) return i;
      const sub: SubStep[] = [{ kind: "check", label: `${measured} ≤ ${link.mtu}`, detail: `fits ${link.what}`, taken: true }];
      if (link.encap) sub.push({ kind: "encap", label: `+${link.encap} bytes`, detail: `${cni.name}: ${mtu.layers.map((l) => `${l.name} ${l.bytes}`).join(" + ")}`, taken: true, unit: encapsulated(bytes, df, link.encap) });
      step({
        id: `${prefix}${link.id}`, stage: prefix ? "recover" : "send", node: link.node, in: packet(bytes, df), out: packet(bytes, df),
        events: [{ type: "forward", text: link.encap ? `Encapsulated: the ${bytes}-byte packet becomes a ${bytes + link.encap}-byte outer packet, ${link.mtu} + ${link.encap} = ${input.nodeMtu} at most.` : `${measured} bytes fits ${link.what}; forwarded.` }],
        sub,
      });
    }
    return -1;
  };

  const deliver = (id: string, stage: string, bytes: number, note: string) => {
    step({
      id, stage, node: { id: "destination", kind: input.destination === "pod" ? "pod" : "server", name: input.destination === "pod" ? `Pod B (${POD_B}) on node B (${NODE_B})` : `on-premises server (${SERVER})` },
      in: packet(bytes, input.df), out: null,
      events: [{ type: "deliver", text: note }],
      sub: overlay ? [{ kind: "decap", label: `−${overhead} bytes`, detail: "node B strips the outer headers and routes the inner packet to Pod B's veth", taken: true }] : [],
    });
  };

  const blocked = walk(size, input.df, 0, "");
  if (blocked < 0) {
    deliver("deliver", "send", size, `Delivered: ${size} bytes fit every link on the path.`);
    outcomeAt = "deliver";
    outcomeSummary = `The ${size}-byte packet fits every link and is delivered.`;
  } else {
    const link = links[blocked]!;
    const measured = link.measuresOuter ? size + overhead : size;
    tooBigAt = link.id;
    const fragmentsAllowed = !input.df || model === "df-fragmented";
    if (fragmentsAllowed) {
      const sizes = fragmentSizes(size, link.mtu);
      fragments = sizes.length;
      step({
        id: `fragment:${link.id}`, stage: "signal", node: link.node, in: packet(size, input.df), out: packet(sizes[0]!, input.df, `fragment 1 of ${sizes.length}`),
        events: [{
          type: "fragment",
          text: input.df
            ? `(Wrong model) the router fragments a DF packet anyway: ${sizes.join(" + ")} bytes.`
            : `DF is clear, so ${link.node.name} fragments it (RFC 791): ${sizes.length} fragments of ${sizes.join(" + ")} bytes, each payload a multiple of 8 bytes except the last.`,
        }],
        sub: [
          { kind: "check", label: `${measured} > ${link.mtu}`, detail: `too big for ${link.what}`, taken: true },
          { kind: "fragment", label: `${sizes.length} fragments`, detail: "each carries the same IP ID; offsets in 8-byte units; MF set on all but the last", taken: true },
        ],
      });
      deliver("deliver", "recover", sizes[0]!, `The destination reassembles ${sizes.length} fragments into the ${size}-byte packet. It works, but losing any fragment loses the whole packet.`);
      status = "delivered-fragmented";
      outcomeAt = "deliver";
      outcomeSummary = `Delivered in ${sizes.length} fragments: DF was clear, so the router at ${link.what} split it.`;
    } else {
      const icmp: MtuUnit = { kind: "ipv4", proto: "icmp", src: link.icmpFrom, dst: POD_A, bytes: 576, df: false, note: `type 3 code 4, next-hop MTU ${link.mtu}` };
      step({
        id: `drop:${link.id}`, stage: "signal", node: link.node, in: packet(size, true), out: icmp,
        events: [
          { type: "drop", text: `${measured} bytes is larger than ${link.what} and DF is set: the packet is dropped.` },
          { type: "icmp", text: `${link.icmpFrom} sends ICMP Destination Unreachable, type 3 code 4 ("fragmentation needed and DF set"), with next-hop MTU ${link.mtu} (RFC 1191 §4) and the start of the dropped packet, back to its source.` },
        ],
        sub: [
          { kind: "check", label: `${measured} > ${link.mtu}`, detail: `too big for ${link.what}`, taken: true },
          { kind: "df", label: "DF = 1", detail: "may not fragment: drop", taken: true },
          { kind: "icmp", label: `ICMP 3/4 mtu ${link.mtu}`, detail: "addressed to the dropped packet's source, Pod A (had the packet been SNATed, the node's conntrack would map the ICMP back as RELATED)", taken: true, unit: icmp },
        ],
      });
      if (input.icmpFiltered) {
        step({
          id: "icmp-filtered", stage: "signal", node: { id: "firewall", kind: "firewall", name: "a firewall that drops ICMP" }, in: icmp, out: null,
          events: [{ type: "drop", text: "The ICMP message is dropped by a firewall that blocks all ICMP. Pod A never learns the packet was too big." }],
          sub: [{ kind: "rule", label: "drop icmp", detail: "matched: ICMP is filtered", taken: true }],
        });
        let backoff = 200;
        for (let n = 1; n <= RETRANSMITS; n++) {
          step({
            id: `retransmit-${n}`, stage: "recover", node: podNode, in: null, out: packet(size, true),
            events: [{ type: "retransmit", text: `No ACK after the retransmission timeout (about ${backoff} ms, doubling each time): Pod A sends the same ${size}-byte segment again, and ${link.what} drops it again.` }],
            sub: [{ kind: "check", label: `${measured} > ${link.mtu}`, detail: "still too big; dropped again, and the ICMP is filtered again", taken: true }],
          });
          backoff *= 2;
        }
        status = "black-hole";
        outcomeAt = `retransmit-${RETRANSMITS}`;
        outcomeSummary = `A black hole: the handshake worked (small packets), but every ${size}-byte segment is dropped at ${link.what} and the ICMP that would say so is filtered; the transfer hangs.`;
      } else {
        pathMtu = link.measuresOuter ? link.mtu - overhead : link.mtu;
        step({
          id: "pmtu", stage: "recover", node: podNode, in: icmp, out: null,
          events: [{ type: "pmtu", text: `Pod A's kernel records path MTU ${pathMtu} for ${dst} (a cached route exception, expiring after 10 minutes by default) and lowers the segment size to ${pathMtu - 40} bytes of data.` }],
          sub: [{ kind: "route", label: `pmtu ${dst} ${pathMtu}`, detail: "RFC 1191 §6.3: the sender lowers its estimate to the next-hop MTU", taken: true }],
        });
        step({
          id: "resend", stage: "recover", node: podNode, in: null, out: packet(pathMtu, true),
          events: [{ type: "send", text: `Pod A resends the lost data as ${pathMtu}-byte packets.` }],
          sub: [{ kind: "check", label: `${pathMtu} ≤ ${podMtu}`, detail: "fits the Pod's interface", taken: true }],
        });
        const again = walk(pathMtu, true, 0, "again:");
        if (again >= 0) throw new Error("path MTU discovery converged on a size a link still refuses");
        deliver("deliver", "recover", pathMtu, `Delivered as ${pathMtu}-byte packets after one round of path MTU discovery.`);
        status = "delivered-after-pmtud";
        outcomeAt = "deliver";
        outcomeSummary = `Path MTU discovery: ${link.what} sent ICMP with next-hop MTU ${link.mtu}; Pod A now sends ${pathMtu}-byte packets and they arrive.`;
      }
    }
  }

  const trace = b.build({
    scenario: "mtu-path", input, seed: 0, model: model === "real" ? null : model,
    outcome: { status, at: outcomeAt, summary: outcomeSummary },
  });
  return { trace, podMtu, overhead, pathMtu, status, tooBigAt, fragments };
}

/**
 * For `scripts/bench.ts`: computes the MTU trace for every CNI, both destinations, DF on and off and
 * ICMP filtered or not, with the Pod MTU misconfigured to the node's (so each walk reaches its signal
 * stage). Returns how many traces it built.
 */
export function benchMtuPath(): number {
  const cnis = ["dataplane-v2", "gke-legacy", "calico-bgp", "calico-ipip", "calico-vxlan", "flannel-vxlan", "geneve", "wireguard", "wireguard-ipv6"];
  let n = 0;
  for (const cni of cnis) for (const destination of ["pod", "on-prem"] as const) for (const df of [true, false]) for (const icmpFiltered of [true, false]) {
    mtuPath({ ...MTU_PATH_DEFAULTS, cni, destination, df, icmpFiltered, podMtu: 1460 });
    n++;
  }
  return n;
}
