/**
 * Pod-to-Pod paths per CNI, hop by hop: which namespace, interface, route or program decides each move,
 * and the packet's addresses and TTL at that point. Pure and deterministic: a fixed two-node cluster.
 *
 * The TTL rule the traces follow: crossing a veth pair, a Linux bridge or the loopback device never
 * changes the TTL (they move frames, they do not route); every IP forwarding decision in a node's root
 * namespace takes one off (RFC 791 §3.2, RFC 1812 §5.3.1), and so does Cilium's eBPF datapath, which
 * rewrites the TTL and MACs itself when it redirects a packet (bpf/lib/l3.h, `ipv4_l3`). Its
 * bpf_redirect_peer / bpf_redirect_neigh shortcuts need eBPF host routing (`redirect_ep` in l3.h); in
 * legacy host-routing mode a packet to or from another node goes up the host stack. A packet a
 * node sends itself (a hostNetwork Pod) starts at 64 there and is not decremented by its own sender.
 * The VPC fabric between two VMs is counted as no router hop (Andromeda delivers VM to VM; a traceroute
 * between two VMs of one VPC shows the destination as the first hop).
 *
 * Simplifications, said plainly: one fixed cluster (two nodes, three Pods) with example interface
 * names; no ARP exchanges shown except Calico's proxy-ARP answer; Pod-to-Pod only (a Service
 * destination would add kube-proxy's DNAT, modelled in src/sim/kube/iptables); no conntrack, no
 * NetworkPolicy verdicts beyond "no policy selects these Pods"; IPv4 only; outer MACs and the outer UDP
 * source port come from src/sim/kube/cni/overlay.ts's stated choices; Calico's cross-subnet mode, Cilium's
 * kube-proxy replacement details, WireGuard encryption and GKE's multi-NIC Pods are left out.
 */
import { InputError } from "../../net/errors";
import { encapsulate, tunnelMac, type Encapsulation, type OverlayKind } from "./overlay";
import { masqueradeDecision } from "./masquerade";

export const CNI_IDS = ["gke-legacy", "kubenet", "calico", "dataplane-v2"] as const;
export type CniId = (typeof CNI_IDS)[number];
export const PATH_KINDS = ["same-node", "cross-node", "host-network", "same-pod"] as const;
export type PathKind = (typeof PATH_KINDS)[number];
export const OVERLAYS = ["none", "vxlan", "geneve", "ipip"] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** Wrong models the simulator runs, for the questions' misconceptions. */
export const CNI_MODELS = ["real", "veth-decrements-ttl", "overlay-everywhere", "host-network-pod-ip"] as const;
export type CniModel = (typeof CNI_MODELS)[number];

export const CNI_NAMES: Readonly<Record<CniId, string>> = {
  "gke-legacy": "GKE's own CNI (VPC-native, without Dataplane V2)",
  kubenet: "kubenet (cbr0 bridge, routes per node)",
  calico: "Calico (host routes, BGP)",
  "dataplane-v2": "GKE Dataplane V2 (Cilium eBPF)",
};

/** Which overlays each CNI can run; the first is its default. */
export const CNI_OVERLAYS: Readonly<Record<CniId, readonly Overlay[]>> = {
  "gke-legacy": ["none"],
  kubenet: ["none"],
  calico: ["none", "ipip", "vxlan"],
  "dataplane-v2": ["none", "vxlan", "geneve"],
};

/** Ids of src/sim/kube/mtu/cni.ts that name a CNI and overlay together. */
export const CNI_ALIASES: Readonly<Record<string, { cni: CniId; overlay: Overlay }>> = {
  "calico-bgp": { cni: "calico", overlay: "none" },
  "calico-ipip": { cni: "calico", overlay: "ipip" },
  "calico-vxlan": { cni: "calico", overlay: "vxlan" },
  geneve: { cni: "dataplane-v2", overlay: "geneve" },
};

/** The MTU model's id for a CNI and overlay, where src/sim/kube/mtu/cni.ts has one. */
export function mtuCniId(cni: CniId, overlay: Overlay): string | null {
  if (cni === "gke-legacy") return "gke-legacy";
  if (cni === "calico") return { none: "calico-bgp", ipip: "calico-ipip", vxlan: "calico-vxlan", geneve: null }[overlay];
  if (cni === "dataplane-v2") return overlay === "none" ? "dataplane-v2" : overlay === "geneve" ? "geneve" : null;
  return null;
}

export interface Node {
  readonly name: string;
  readonly ip: string;
  readonly podCidr: string;
  /**
   * The node's own address inside its Pod range, which the node itself uses as source in overlay modes:
   * Calico gives it to tunl0 / vxlan.calico; Cilium to cilium_host, and installs
   * `<podCIDR> via <cilium_host IP> dev cilium_host src <cilium_host IP>` for every other node's range.
   */
  readonly tunnelIp: string;
}

export const NODE_A: Node = { name: "node-a", ip: "10.128.0.2", podCidr: "10.4.0.0/24", tunnelIp: "10.4.0.1" };
export const NODE_B: Node = { name: "node-b", ip: "10.128.0.3", podCidr: "10.4.1.0/24", tunnelIp: "10.4.1.1" };
export const POD_CLIENT = { name: "client", ip: "10.4.0.5" } as const;
export const POD_LOCAL = { name: "web-local", ip: "10.4.0.7" } as const;
export const POD_REMOTE = { name: "web", ip: "10.4.1.9" } as const;
export const INITIAL_TTL = 64;

export type HopKind = "send" | "veth" | "bridge" | "route" | "ebpf" | "encap" | "wire" | "decap" | "deliver" | "loopback";

export interface SubStep {
  readonly label: string;
  readonly detail: string;
}

export interface CniHop {
  /** Stable within a path: the lab's `.step` key. */
  readonly id: string;
  readonly kind: HopKind;
  /** Node name, or "VPC" for the wire. */
  readonly node: string;
  /** Network namespace: "pod client", "root", "VPC". */
  readonly namespace: string;
  readonly iface: string;
  readonly what: string;
  /** The route, table, rule or program that decided this move. */
  readonly decidedBy: string;
  readonly src: string;
  readonly dst: string;
  /** The (inner) packet's TTL after this hop. */
  readonly ttl: number;
  /** Whether this hop took one off the TTL. */
  readonly decrementsTtl: boolean;
  /** The outer header while encapsulated. */
  readonly outer?: { readonly src: string; readonly dst: string; readonly ttl: number; readonly protocol: string };
  readonly sub: readonly SubStep[];
}

export interface CniPath {
  readonly cni: CniId;
  readonly name: string;
  readonly path: PathKind;
  readonly overlay: Overlay;
  readonly model: CniModel;
  readonly from: { readonly name: string; readonly ip: string };
  readonly to: { readonly name: string; readonly ip: string };
  readonly hops: readonly CniHop[];
  readonly encapsulation: Encapsulation | null;
  readonly mtuCni: string | null;
  readonly summary: string;
}

export interface CniPathInput {
  readonly cni: string;
  readonly path: string;
  readonly overlay?: string;
  readonly model?: CniModel;
}

/**
 * Reads a CNI id (or an MTU-model alias such as calico-vxlan), a path and an overlay.
 * @throws InputError naming the bad value and the known ones
 */
export function resolveInput(input: CniPathInput): { cni: CniId; path: PathKind; overlay: Overlay } {
  const cniText = input.cni.trim().toLowerCase();
  const alias = CNI_ALIASES[cniText];
  const cni = alias?.cni ?? (CNI_IDS as readonly string[]).find((c) => c === cniText) as CniId | undefined;
  if (!cni) throw new InputError(input.cni, `unknown CNI; one of ${[...CNI_IDS, ...Object.keys(CNI_ALIASES)].join(", ")}`);
  const pathText = input.path.trim().toLowerCase();
  if (!(PATH_KINDS as readonly string[]).includes(pathText)) throw new InputError(input.path, `unknown path; one of ${PATH_KINDS.join(", ")}`);
  const overlayText = input.overlay?.trim().toLowerCase();
  if (overlayText !== undefined && !(OVERLAYS as readonly string[]).includes(overlayText)) throw new InputError(input.overlay!, `unknown overlay; one of ${OVERLAYS.join(", ")}`);
  if (alias && overlayText !== undefined && overlayText !== alias.overlay) throw new InputError(input.overlay!, `${cniText} already means overlay ${alias.overlay}`);
  const overlay = (alias?.overlay ?? overlayText ?? "none") as Overlay;
  if (!CNI_OVERLAYS[cni].includes(overlay)) {
    throw new InputError(overlay, cni === "gke-legacy" || cni === "kubenet"
      ? `${cni} never encapsulates: Pod addresses are routed by the VPC as they are`
      : `${cni} runs ${CNI_OVERLAYS[cni].join(", ")}, not ${overlay}`);
  }
  return { cni, path: pathText as PathKind, overlay };
}

/** Interface names in the example cluster (each CNI's real naming pattern; the hashes are made up). */
const VETH: Readonly<Record<CniId, (pod: string) => string>> = {
  "gke-legacy": (pod) => `gke${pod === POD_CLIENT.name ? "3f1c9a2b7d4" : pod === POD_LOCAL.name ? "8e02b6c1f95" : "c47d0e3a618"}`,
  kubenet: (pod) => `veth${pod === POD_CLIENT.name ? "1a2b3c4d" : pod === POD_LOCAL.name ? "5e6f7a8b" : "9c0d1e2f"}`,
  calico: (pod) => `cali${pod === POD_CLIENT.name ? "5f3e8a12c7b" : pod === POD_LOCAL.name ? "0d9b4c6e21a" : "a81f27e3c50"}`,
  "dataplane-v2": (pod) => `lxc${pod === POD_CLIENT.name ? "7a1e0c9b42f5" : pod === POD_LOCAL.name ? "3d6b8f1a0c27" : "e5c2917b4d08"}`,
};

const TUNNEL: Readonly<Record<Exclude<Overlay, "none">, { device: (cni: CniId) => string; port: number | null; vni: number }>> = {
  ipip: { device: () => "tunl0", port: null, vni: 0 },
  // Calico: vxlan.calico on 4789 with VNI 4096 (Felix's defaults); Cilium: cilium_vxlan on 8472, the
  // kernel's historical default, with the source's security identity as the VNI.
  vxlan: { device: (cni) => (cni === "calico" ? "vxlan.calico" : cni === "dataplane-v2" ? "cilium_vxlan" : "vxlan0"), port: 4789, vni: 4096 },
  geneve: { device: () => "cilium_geneve", port: 6081, vni: 48213 },
};

function tunnelPort(cni: CniId, overlay: Exclude<Overlay, "none">): number | null {
  if (overlay === "vxlan" && cni === "dataplane-v2") return 8472;
  return TUNNEL[overlay].port;
}

function tunnelVni(cni: CniId, overlay: Exclude<Overlay, "none">): number {
  if (overlay === "vxlan" && cni === "dataplane-v2") return 48213;
  return TUNNEL[overlay].vni;
}

class Builder {
  readonly hops: CniHop[] = [];
  ttl = INITIAL_TTL;
  src: string;
  dst: string;
  private outer: CniHop["outer"];
  constructor(src: string, dst: string, private readonly model: CniModel) {
    this.src = src;
    this.dst = dst;
  }
  add(h: Omit<CniHop, "src" | "dst" | "ttl" | "decrementsTtl" | "outer" | "sub"> & { sub?: readonly SubStep[]; routes?: boolean }): void {
    // The wrong model "veth-decrements-ttl" takes one off at every veth crossing as well.
    const dec = h.routes === true || (this.model === "veth-decrements-ttl" && h.kind === "veth");
    if (dec) this.ttl -= 1;
    const { routes: _r, sub, ...rest } = h;
    this.hops.push({ ...rest, src: this.src, dst: this.dst, ttl: this.ttl, decrementsTtl: dec, ...(this.outer ? { outer: this.outer } : {}), sub: sub ?? [] });
  }
  setOuter(o: CniHop["outer"]): void {
    this.outer = o;
  }
}

/**
 * The path of one packet.
 *
 * @example cniPath({ cni: "calico", path: "cross-node", overlay: "vxlan" }).hops.map((h) => h.kind)
 */
export function cniPath(input: CniPathInput): CniPath {
  const model = input.model ?? "real";
  const r = resolveInput(input);
  const { cni, path } = r;
  // The wrong model "overlay-everywhere" wraps every cross-node packet in VXLAN, whatever the CNI.
  const overlay: Overlay = model === "overlay-everywhere" && r.overlay === "none" && path !== "same-node" && path !== "same-pod" ? "vxlan" : r.overlay;
  if (path === "same-pod") return samePod(cni, r.overlay, model);
  const from = path === "host-network" ? { name: "agent (hostNetwork)", ip: NODE_A.ip } : POD_CLIENT;
  const to = path === "same-node" ? POD_LOCAL : POD_REMOTE;
  const hostSrc = path === "host-network"
    ? model === "host-network-pod-ip" ? POD_CLIENT.ip : overlay !== "none" && cni !== "gke-legacy" && cni !== "kubenet" ? NODE_A.tunnelIp : NODE_A.ip
    : from.ip;
  const b = new Builder(hostSrc, to.ip, model);
  const veth = VETH[cni];

  if (path === "host-network") hostNetworkStart(b, cni, overlay, hostSrc);
  else podStart(b, cni, path);

  let encapsulation: Encapsulation | null = null;
  if (path === "same-node") {
    sameNodeMiddle(b, cni, veth);
  } else {
    if (path !== "host-network") leaveSourceNode(b, cni, overlay);
    if (overlay === "none") nativeWire(b, cni);
    else encapsulation = overlayWire(b, cni, overlay);
    arriveDestinationNode(b, cni, veth);
  }
  deliver(b, cni, to, path);
  const hops = b.hops;
  const last = hops[hops.length - 1]!;
  const summary = `${from.name} ${from.ip} → ${to.name} ${to.ip}: ${hops.length} hops, arrives with TTL ${last.ttl} from ${last.src}${encapsulation ? `, carried in ${overlay === "ipip" ? "IP-in-IP" : overlay.toUpperCase()} (${encapsulation.mtuOverhead} bytes against the MTU)` : ", no encapsulation, no NAT"}.`;
  return { cni, name: CNI_NAMES[cni], path, overlay, model, from, to, hops, encapsulation, mtuCni: mtuCniId(cni, overlay), summary };
}

function podStart(b: Builder, cni: CniId, path: PathKind): void {
  const gw = cni === "calico" ? "169.254.1.1" : "10.4.0.1";
  const sub: SubStep[] = [{ label: "ip route (Pod)", detail: cni === "calico" ? "default via 169.254.1.1 dev eth0 — a gateway address no interface holds" : `default via ${gw} dev eth0` }];
  if (cni === "calico") sub.push({ label: "proxy ARP", detail: `who-has 169.254.1.1? The host side ${VETH.calico(POD_CLIENT.name)} has proxy_arp on and answers with its own MAC ee:ee:ee:ee:ee:ee, so every packet goes to the host.` });
  b.add({
    id: "pod-send", kind: "send", node: NODE_A.name, namespace: `pod ${POD_CLIENT.name}`, iface: "eth0",
    what: `${POD_CLIENT.name} sends to ${path === "same-node" ? POD_LOCAL.ip : POD_REMOTE.ip}: its only route is the default route out eth0.`,
    decidedBy: sub[0]!.detail, sub,
  });
  b.add({
    id: "veth-out", kind: "veth", node: NODE_A.name, namespace: "root", iface: VETH[cni](POD_CLIENT.name),
    what: cni === "kubenet"
      ? `The frame leaves eth0 and comes out of the veth's other end, ${VETH.kubenet(POD_CLIENT.name)}, a port of the cbr0 bridge.`
      : `The frame leaves eth0 and comes out of the veth's other end, ${VETH[cni](POD_CLIENT.name)}, in the node's root namespace.`,
    decidedBy: "veth pair: what enters one end leaves the other (no routing, TTL unchanged)",
    sub: cni === "dataplane-v2" ? [{ label: "tc ingress (cil_from_container)", detail: "Cilium's eBPF program on the host side of the veth sees the packet first: it looks up both Pods' security identities and runs the egress policy in eBPF. No iptables chain and no bridge is consulted." }] : [],
  });
}

function hostNetworkStart(b: Builder, cni: CniId, overlay: Overlay, src: string): void {
  const viaTunnel = overlay !== "none" && (cni === "calico" || cni === "dataplane-v2");
  // Cilium routes other nodes' Pod ranges through cilium_host (src = its address); its eBPF program
  // there does the encapsulation. Calico's route points at the tunnel device itself.
  const iface = !viaTunnel ? "eth0" : cni === "dataplane-v2" ? "cilium_host" : TUNNEL[overlay as Exclude<Overlay, "none">].device(cni);
  const srcWhy = !viaTunnel ? ", the node's own address" : cni === "dataplane-v2" ? ", cilium_host's address (the route's src)" : `, ${iface}'s address`;
  const route = routeToRemote(cni, overlay);
  b.add({
    id: "host-send", kind: "send", node: NODE_A.name, namespace: "root (shared by the hostNetwork Pod)", iface,
    what: `The hostNetwork Pod has no namespace of its own: its socket lives in node-a's root namespace, so the kernel picks the source from the route — ${src}${srcWhy} — and the packet starts with TTL 64 (a locally sent packet is not forwarded, so nothing is taken off here).`,
    decidedBy: route,
    sub: [
      { label: "no veth", detail: "kubelet asks the CNI for no interface: the Pod sees the node's eth0, its address and its routing table." },
      { label: "port clash", detail: "It shares the node's ports too: listening on a port the node already uses (kubelet on 10250, sshd on 22) fails with EADDRINUSE, and two hostNetwork Pods with the same port cannot run on one node." },
    ],
  });
}

function routeToRemote(cni: CniId, overlay: Overlay): string {
  // A routes-based node holds no route for other nodes' Pod ranges: its default route hands the packet
  // to the VPC, and the VPC's custom route for node-b's range (one per node) decides where it goes.
  if (cni === "kubenet") return `default via 10.128.0.1 dev eth0 (node-a has no route for ${NODE_B.podCidr}) — then the VPC's custom route "${NODE_B.podCidr} next hop instance ${NODE_B.name}" decides (routes-based cluster)`;
  if (cni === "gke-legacy") return "default via 10.128.0.1 dev eth0 — the VPC's gateway; the VPC knows 10.4.1.0/24 as node-b's alias IP range";
  if (cni === "calico") {
    if (overlay === "ipip") return `${NODE_B.podCidr.replace("/24", "/26")} via ${NODE_B.ip} dev tunl0 proto bird onlink`;
    if (overlay === "vxlan") return `${NODE_B.podCidr.replace("/24", "/26")} via ${NODE_B.tunnelIp} dev vxlan.calico onlink`;
    return `${NODE_B.podCidr.replace("/24", "/26")} via ${NODE_B.ip} dev eth0 proto bird — learned over BGP from node-b`;
  }
  if (overlay !== "none") return `${NODE_B.podCidr} via ${NODE_A.tunnelIp} dev cilium_host src ${NODE_A.tunnelIp}, then Cilium's tunnel map: ${NODE_B.podCidr} → ${NODE_B.ip}`;
  return "bpf_fib_lookup: default via 10.128.0.1 dev eth0 (native routing: the VPC knows 10.4.1.0/24 as node-b's alias IP range)";
}

function sameNodeMiddle(b: Builder, cni: CniId, veth: (pod: string) => string): void {
  const dst = veth(POD_LOCAL.name);
  if (cni === "kubenet") {
    b.add({
      id: "bridge", kind: "bridge", node: NODE_A.name, namespace: "root", iface: "cbr0",
      what: `cbr0 switches the frame by destination MAC from one port to another, ${veth(POD_CLIENT.name)} → ${dst}: layer 2, no routing, TTL unchanged.`,
      decidedBy: `bridge forwarding database (bridge fdb): ${POD_LOCAL.ip}'s MAC is behind port ${dst}`,
      sub: [{ label: "br_netfilter", detail: "With net.bridge.bridge-nf-call-iptables=1 (kubenet turns it on) bridged IPv4 frames still pass iptables, so kube-proxy's rules would see a Service address here; a Pod address matches none." }],
    });
    return;
  }
  if (cni === "dataplane-v2") {
    b.add({
      id: "ebpf-local", kind: "ebpf", node: NODE_A.name, namespace: "root", iface: VETH[cni](POD_CLIENT.name), routes: true,
      what: `The destination is a local endpoint: the eBPF program rewrites the MACs, takes one off the TTL as a router would, checks ${POD_LOCAL.name}'s ingress policy and, with eBPF host routing, calls bpf_redirect_peer — the packet appears straight inside ${POD_LOCAL.name}'s eth0 (in legacy host-routing mode redirect_ep uses a plain bpf_redirect to ${dst}, the destination's host-side veth, which carries it into the Pod).`,
      decidedBy: `Cilium endpoint map: ${POD_LOCAL.ip} → local endpoint on ${dst}`,
      sub: [
        { label: "bypassed", detail: "No bridge, no root-namespace routing table, no iptables: the program hands the packet straight to the destination's veth, so it never enters the host's IP stack (bpf/lib/l3.h, redirect_ep: bpf_redirect_peer with eBPF host routing, a plain bpf_redirect without it)." },
        { label: "policy", detail: "Both ends' policies are evaluated in eBPF from the Pods' security identities; no policy selects these Pods, so both directions allow." },
      ],
    });
    return;
  }
  b.add({
    id: "root-route", kind: "route", node: NODE_A.name, namespace: "root", iface: dst, routes: true,
    what: `node-a's root namespace routes the packet (IP forwarding on): a /32 route sends it to ${dst}. One router hop: TTL − 1.`,
    decidedBy: cni === "calico" ? `${POD_LOCAL.ip} dev ${dst} scope link` : `${POD_LOCAL.ip} dev ${dst} scope host`,
    sub: iptablesSubs(cni, POD_LOCAL.ip, false),
  });
}

function iptablesSubs(cni: CniId, dst: string, leavesNode: boolean): SubStep[] {
  const subs: SubStep[] = [{ label: "nat PREROUTING → KUBE-SERVICES", detail: `${dst} is no Service's ClusterIP: no kube-proxy rule matches, no DNAT.` }];
  if (cni === "calico") subs.push({ label: "filter FORWARD → cali-FORWARD", detail: `Felix's chains cali-fw-${VETH.calico(POD_CLIENT.name)} (from the workload) and, on the receiving node, cali-tw-… (to the workload) hold the policy; no policy selects these Pods, so both accept.` });
  if (leavesNode) {
    const m = masqueradeDecision(dst);
    subs.push({ label: `nat POSTROUTING → ${m.chain}`, detail: `${m.rule}: ${dst} is in ${m.matched}, so the source stays the Pod's address. (GKE's chain is IP-MASQ; the upstream ip-masq-agent calls it IP-MASQ-AGENT.)` });
  }
  return subs;
}

function leaveSourceNode(b: Builder, cni: CniId, overlay: Overlay): void {
  const route = routeToRemote(cni, overlay);
  if (cni === "dataplane-v2") {
    b.add({
      id: "ebpf-egress", kind: "ebpf", node: NODE_A.name, namespace: "root", iface: overlay === "none" ? "eth0" : TUNNEL[overlay as Exclude<Overlay, "none">].device(cni), routes: true,
      what: overlay === "none"
        ? "Not a local endpoint: with eBPF host routing the program looks the destination up in the kernel's FIB and hands the packet to eth0 with bpf_redirect_neigh (the neighbour table fills in the next hop's MAC); in legacy host-routing mode the packet goes up the host stack and is routed there. One router hop: TTL − 1."
        : `Not a local endpoint: Cilium's tunnel map says ${NODE_B.podCidr} lives on ${NODE_B.ip}; the program sets the tunnel key and redirects to ${TUNNEL[overlay as Exclude<Overlay, "none">].device(cni)}. One router hop: TTL − 1.`,
      decidedBy: route,
      sub: [{ label: "bypassed", detail: "With eBPF host routing, iptables and the root namespace's forwarding path are skipped (in legacy host-routing mode the packet goes up the host stack); Dataplane V2 on GKE also replaces kube-proxy, so a Service would be translated here or at the socket." }],
    });
    return;
  }
  const out = cni === "kubenet" ? "cbr0 → eth0" : overlay === "none" ? "eth0" : TUNNEL[overlay as Exclude<Overlay, "none">].device(cni);
  b.add({
    id: "root-route", kind: "route", node: NODE_A.name, namespace: "root", iface: out, routes: true,
    what: cni === "kubenet"
      ? "cbr0 is the Pods' gateway (10.4.0.1): the frame is addressed to the bridge itself, so node-a's root namespace routes the packet out eth0. One router hop: TTL − 1."
      : `node-a's root namespace routes the packet (IP forwarding on) out ${out}. One router hop: TTL − 1.`,
    decidedBy: route,
    sub: iptablesSubs(cni, POD_REMOTE.ip, cni === "kubenet" || cni === "gke-legacy"),
  });
}

function nativeWire(b: Builder, cni: CniId): void {
  const how: Record<CniId, string> = {
    "gke-legacy": `The VPC routes by destination: ${NODE_B.podCidr} is node-b's alias IP range, so the packet goes to node-b as it is — Pod addresses on the wire, no encapsulation, no NAT.`,
    kubenet: `A VPC route per node (destination ${NODE_B.podCidr}, next hop instance ${NODE_B.name}) carries the packet as it is. Each node costs one route of the VPC's quota — why GKE moved to alias IPs.`,
    calico: `Native routing: the packet crosses as it is. The network between the nodes must deliver Pod addresses — one layer-2 segment, a fabric that peers BGP with Calico, or (in a Google Cloud VPC) routes or alias ranges for the Pod blocks and "can IP forward" on the VMs; otherwise the VPC drops it and IP-in-IP or VXLAN is needed.`,
    "dataplane-v2": `The VPC routes by destination: ${NODE_B.podCidr} is node-b's alias IP range. Pod addresses on the wire, no encapsulation, no NAT.`,
  };
  b.add({
    id: "wire", kind: "wire", node: "VPC", namespace: "VPC", iface: "—", what: how[cni],
    decidedBy: cni === "kubenet" ? `VPC route ${NODE_B.podCidr} → instance ${NODE_B.name}` : cni === "calico" ? `underlay delivers ${NODE_B.podCidr.replace("/24", "/26")}` : `alias IP range ${NODE_B.podCidr} on ${NODE_B.name}'s nic0`,
    sub: [{ label: "anti-spoofing", detail: "Google Cloud drops a VM's packets whose source is not one of its addresses; a Pod source passes because it lies in node-a's alias IP range (or the VM may forward)." }],
  });
}

function overlayWire(b: Builder, cni: CniId, overlay: Overlay): Encapsulation {
  const kind = overlay as OverlayKind;
  const device = TUNNEL[kind].device(cni);
  const port = tunnelPort(cni, kind);
  const vni = tunnelVni(cni, kind);
  // Linux tunnels: IP-in-IP with ttl 0 ("inherit") copies the inner TTL; VXLAN and Geneve use the
  // default TTL (64) unless configured. Outer TTL therefore depends on the tunnel type.
  const outerTtl = kind === "ipip" ? b.ttl : INITIAL_TTL;
  const enc = encapsulate(kind, {
    outerSrc: NODE_A.ip, outerDst: NODE_B.ip, innerSrc: b.src, innerDst: b.dst, innerTtl: b.ttl, outerTtl, vni, dstPort: port ?? 0,
    innerMacSrc: tunnelMac(NODE_A.tunnelIp), innerMacDst: tunnelMac(NODE_B.tunnelIp),
  });
  const protocol = kind === "ipip" ? "IPv4 protocol 4 (IP-in-IP)" : `UDP ${port} (${kind === "vxlan" ? "VXLAN" : "Geneve"}, VNI ${vni})`;
  b.setOuter({ src: NODE_A.ip, dst: NODE_B.ip, ttl: outerTtl, protocol });
  b.add({
    id: "encap", kind: "encap", node: NODE_A.name, namespace: "root", iface: device,
    what: kind === "ipip"
      ? `${device} puts the Pod's packet behind an outer IPv4 header from ${NODE_A.ip} to ${NODE_B.ip}, protocol 4: 20 bytes.`
      : `${device} wraps the Pod's packet in an Ethernet frame, a ${kind === "vxlan" ? "VXLAN" : "Geneve"} header (VNI ${vni}), UDP to port ${port} and an outer IPv4 header from ${NODE_A.ip} to ${NODE_B.ip}: ${enc.mtuOverhead} bytes counted against the MTU (${enc.frameOverhead} with the outer Ethernet header).`,
    decidedBy: cni === "calico"
      ? (kind === "vxlan" ? `FDB entry on vxlan.calico: ${tunnelMac(NODE_B.tunnelIp)} dst ${NODE_B.ip}` : `route onlink via ${NODE_B.ip} dev tunl0`)
      : `Cilium tunnel map: ${NODE_B.podCidr} → ${NODE_B.ip}`,
    sub: [{ label: "outer TTL", detail: kind === "ipip" ? `tunl0 inherits the inner TTL (${outerTtl}).` : `The outer header starts at the default TTL ${outerTtl}; the inner TTL (${b.ttl}) rides untouched inside.` }],
  });
  b.add({
    id: "wire", kind: "wire", node: "VPC", namespace: "VPC", iface: "—",
    what: `The VPC sees only node addresses: ${NODE_A.ip} → ${NODE_B.ip}. The Pod addresses are inside the payload, so the VPC needs no route for the Pod range.`,
    decidedBy: `VPC subnet route for ${NODE_B.ip}`,
  });
  b.setOuter(undefined);
  b.add({
    id: "decap", kind: "decap", node: NODE_B.name, namespace: "root", iface: device,
    what: kind === "ipip"
      ? `node-b's tunl0 takes protocol-4 packets, strips the outer header and hands the inner packet on as if it had arrived on tunl0.`
      : `node-b's ${device} listens on UDP ${port}: it strips the outer Ethernet, IP, UDP and ${kind === "vxlan" ? "VXLAN" : "Geneve"} headers and the inner Ethernet header, and the Pod's packet appears on ${device}.`,
    decidedBy: kind === "ipip" ? "IP protocol 4 → ipip module" : `UDP socket on port ${port} owned by ${device}`,
  });
  return enc;
}

function arriveDestinationNode(b: Builder, cni: CniId, veth: (pod: string) => string): void {
  const dst = veth(POD_REMOTE.name);
  if (cni === "dataplane-v2") {
    b.add({
      id: "ebpf-ingress", kind: "ebpf", node: NODE_B.name, namespace: "root", iface: "eth0", routes: true,
      what: `Cilium's program on node-b's eth0 (cil_from_netdev) finds ${POD_REMOTE.ip} is a local endpoint: it takes one off the TTL, runs ${POD_REMOTE.name}'s ingress policy and, with eBPF host routing, calls bpf_redirect_peer into the Pod (in legacy host-routing mode the packet goes up the host stack instead).`,
      decidedBy: `Cilium endpoint map: ${POD_REMOTE.ip} → local endpoint on ${dst}`,
    });
    return;
  }
  if (cni === "kubenet") {
    b.add({
      id: "dest-route", kind: "route", node: NODE_B.name, namespace: "root", iface: "cbr0", routes: true,
      what: `node-b routes the packet to cbr0, whose subnet holds ${POD_REMOTE.ip}; the bridge then switches it to ${dst}. One router hop: TTL − 1.`,
      decidedBy: `${NODE_B.podCidr} dev cbr0 proto kernel scope link src 10.4.1.1`,
    });
    return;
  }
  b.add({
    id: "dest-route", kind: "route", node: NODE_B.name, namespace: "root", iface: dst, routes: true,
    what: `node-b's root namespace routes the packet by a /32 to ${dst}. One router hop: TTL − 1.`,
    decidedBy: cni === "calico" ? `${POD_REMOTE.ip} dev ${dst} scope link` : `${POD_REMOTE.ip} dev ${dst} scope host`,
    sub: cni === "calico" ? [{ label: "filter FORWARD", detail: `cali-tw-${dst}: the receiving Pod's ingress policy; none selects it, so accept.` }] : [],
  });
}

function deliver(b: Builder, cni: CniId, to: { name: string; ip: string }, path: PathKind): void {
  const node = path === "same-node" ? NODE_A : NODE_B;
  if (cni !== "dataplane-v2") {
    b.add({
      id: "veth-in", kind: "veth", node: node.name, namespace: "root", iface: VETH[cni](to.name),
      what: `Into the host end of ${to.name}'s veth pair, out of its other end, eth0, inside the Pod. TTL unchanged.`,
      decidedBy: "veth pair",
    });
  }
  b.add({
    id: "pod-receive", kind: "deliver", node: node.name, namespace: `pod ${to.name}`, iface: "eth0",
    what: `${to.name} receives the packet from ${b.src} with TTL ${b.ttl}.`,
    decidedBy: `local address ${to.ip} on eth0`,
  });
}

function samePod(cni: CniId, overlay: Overlay, model: CniModel): CniPath {
  const b = new Builder("127.0.0.1", "127.0.0.1", model);
  b.add({
    id: "container-send", kind: "send", node: NODE_A.name, namespace: `pod ${POD_CLIENT.name}`, iface: "lo",
    what: "Container app connects to 127.0.0.1:9090. Both containers of the Pod share one network namespace (set up once, held by the pause container), so localhost is the same loopback for both.",
    decidedBy: "local table: local 127.0.0.0/8 dev lo",
    sub: [{ label: "ports are shared", detail: "Two containers of one Pod cannot both listen on 9090: the second bind fails with EADDRINUSE, exactly as two processes on one host." }],
  });
  b.add({
    id: "loopback", kind: "loopback", node: NODE_A.name, namespace: `pod ${POD_CLIENT.name}`, iface: "lo",
    what: "The packet loops back inside the Pod's namespace: no veth, no node routing, no CNI involved. TTL unchanged.",
    decidedBy: "lo",
  });
  b.add({
    id: "container-receive", kind: "deliver", node: NODE_A.name, namespace: `pod ${POD_CLIENT.name}`, iface: "lo",
    what: "Container sidecar's socket on 127.0.0.1:9090 receives it.",
    decidedBy: "socket bound to 127.0.0.1:9090",
  });
  return {
    cni, name: CNI_NAMES[cni], path: "same-pod", overlay, model,
    from: { name: `${POD_CLIENT.name}/app`, ip: "127.0.0.1" }, to: { name: `${POD_CLIENT.name}/sidecar`, ip: "127.0.0.1" },
    hops: b.hops, encapsulation: null, mtuCni: mtuCniId(cni, overlay),
    summary: "app → sidecar over lo inside one Pod: 3 hops, TTL 64, the packet never leaves the Pod's namespace.",
  };
}

/** Every valid (CNI, path, overlay) combination, for tests and benches. */
export function allPathInputs(): { cni: CniId; path: PathKind; overlay: Overlay }[] {
  return CNI_IDS.flatMap((cni) => PATH_KINDS.flatMap((path) => CNI_OVERLAYS[cni].map((overlay) => ({ cni, path, overlay }))));
}

/** Builds every path once: what the bench measures. */
export function benchCniPaths(): number {
  return allPathInputs().reduce((n, i) => n + cniPath(i).hops.length, 0);
}
