/**
 * Which way a packet leaves a private GKE node, step by step: ip-masq-agent on the node (Pod source
 * rewritten to the node IP, or not), then the VPC's choice — Private Google Access for Google APIs,
 * Cloud NAT for the rest of the internet, an internal route for the control plane's private endpoint,
 * or nothing (a VM with no external IP and no NAT has no way out: the connection times out).
 *
 * Cloud NAT is not a box on the path. It is configuration (a gateway on a Cloud Router) that Andromeda,
 * the VPC's software-defined network, applies on the host that runs the VM: the source is rewritten
 * as the packet leaves the host, and the reply is rewritten back before it reaches the VM. So there is
 * no NAT VM to fail or to saturate, and no extra hop to trace.
 *
 * Facts used (Google Cloud docs): PGA lets VMs without external IPs reach Google APIs' public
 * addresses and the private.googleapis.com (199.36.153.8/30) and restricted.googleapis.com
 * (199.36.153.4/30) ranges; Cloud NAT never translates traffic to those Google API addresses, and a
 * gateway that serves a subnet range turns PGA on for it. GKE's ip-masq-agent masquerades Pod traffic
 * to destinations outside its non-masquerade list (by default the RFC 1918 ranges, link-local and the
 * other special ranges of src/sim/kube/cni/masquerade.ts). Simplified: no firewall rules, no custom routes beyond the default route,
 * no VPC Service Controls.
 */
import { NAT_TIMEOUTS } from "./nat";
import { GKE_DEFAULT_NON_MASQUERADE } from "../cni/masquerade";

export type DestinationKind = "internet" | "googleapis" | "private-googleapis" | "restricted-googleapis" | "control-plane";

export interface EgressDestination {
  readonly kind: DestinationKind;
  readonly label: string;
  readonly host: string;
  readonly ip: string;
  readonly port: number;
}

export const EGRESS_DESTINATIONS: readonly EgressDestination[] = [
  { kind: "internet", label: "A public API on the internet", host: "dns.google", ip: "8.8.8.8", port: 443 },
  { kind: "googleapis", label: "A Google API at its default address", host: "storage.googleapis.com", ip: "(a default *.googleapis.com address)", port: 443 },
  { kind: "private-googleapis", label: "private.googleapis.com", host: "private.googleapis.com", ip: "199.36.153.8", port: 443 },
  { kind: "restricted-googleapis", label: "restricted.googleapis.com", host: "restricted.googleapis.com", ip: "199.36.153.4", port: 443 },
  { kind: "control-plane", label: "The control plane's private endpoint", host: "control plane", ip: "172.16.0.2", port: 443 },
];

/**
 * GKE's default non-masquerade destinations (ip-masq-agent, link-local included): traffic to these keeps
 * the Pod address. The one list, kept in the CNI model.
 */
export const DEFAULT_NON_MASQUERADE_CIDRS: readonly string[] = GKE_DEFAULT_NON_MASQUERADE;

export interface EgressSetup {
  readonly destination: DestinationKind;
  /** Private Google Access switched on for the node subnet. */
  readonly pga: boolean;
  /** A Cloud NAT gateway serves the subnet; "primary" = node range only, "all" = node and Pod ranges. */
  readonly nat: "none" | "primary" | "all";
  /** The sender: a Pod (10.4.1.5) or the node itself (10.128.0.2). */
  readonly from: "pod" | "node";
  /** ip-masq-agent masquerades Pod traffic to destinations outside its list (GKE's default). */
  readonly masquerade: boolean;
}

/**
 * A wrong model: `google-apis-via-nat` (Google API traffic is translated by Cloud NAT like any other),
 * `nat-accepts-inbound` (a NAT IP takes new connections from outside).
 */
export type PathModel = "real" | "google-apis-via-nat" | "nat-accepts-inbound";

export type EgressOutcome = "pga" | "nat" | "internal" | "no-route" | "dropped-inbound" | "delivered-inbound";

export interface EgressStep {
  readonly id: string;
  readonly where: "pod" | "node" | "andromeda" | "google" | "internet";
  readonly text: string;
  /** The packet as it leaves this step. */
  readonly packet: { readonly src: string; readonly dst: string } | null;
}

export interface EgressTrace {
  readonly outcome: EgressOutcome;
  readonly steps: readonly EgressStep[];
  readonly summary: string;
}

const POD_IP = "10.4.1.5";
const NODE_IP = "10.128.0.2";
const NAT_IP = "192.0.2.1";

function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split("/") as [string, string];
  const n = (a: string) => a.split(".").reduce((s, o) => s * 256 + Number(o), 0);
  const bits = Number(len);
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  return /^\d/.test(ip) && (n(ip) & mask) >>> 0 === (n(base) & mask) >>> 0;
}

export function destinationOf(kind: DestinationKind): EgressDestination {
  return EGRESS_DESTINATIONS.find((d) => d.kind === kind)!;
}

/** Walks one outbound connection (and its reply) from the sender to where it ends. */
export function egressPath(setup: EgressSetup, model: PathModel = "real"): EgressTrace {
  const d = destinationOf(setup.destination);
  const dst = `${d.ip}:${d.port}`;
  const steps: EgressStep[] = [];
  let src = setup.from === "pod" ? POD_IP : NODE_IP;
  if (setup.from === "pod") {
    const kept = DEFAULT_NON_MASQUERADE_CIDRS.some((c) => inCidr(d.ip, c));
    if (setup.masquerade && !kept) {
      steps.push({ id: "masquerade", where: "node", text: `ip-masq-agent: ${d.ip} is outside the non-masquerade list, so the node's iptables MASQUERADE rule rewrites the source ${POD_IP} to the node's ${NODE_IP} and conntrack remembers the mapping.`, packet: { src: `${NODE_IP}:40001`, dst } });
      src = NODE_IP;
    } else {
      steps.push({ id: "no-masquerade", where: "node", text: setup.masquerade ? `ip-masq-agent: ${d.ip} is in the non-masquerade list, so the packet leaves the node with the Pod address ${POD_IP} (an alias IP the VPC routes natively).` : `No masquerading is configured, so the packet leaves the node with the Pod address ${POD_IP}.`, packet: { src: `${POD_IP}:40001`, dst } });
    }
  } else {
    steps.push({ id: "node-sends", where: "node", text: `The node sends from its own address ${NODE_IP}.`, packet: { src: `${NODE_IP}:40001`, dst } });
  }
  const srcRange = src === POD_IP ? "the Pod secondary range" : "the node primary range";
  if (setup.destination === "control-plane") {
    steps.push({ id: "internal-route", where: "andromeda", text: `${d.ip} is the control plane's private endpoint: an internal route carries it inside Google's network. No NAT and no Private Google Access are involved.`, packet: { src: `${src}:40001`, dst } });
    return { outcome: "internal", steps, summary: "Internal route: the private endpoint is reached without leaving Google's network." };
  }
  const googleApi = setup.destination !== "internet";
  const natCovers = setup.nat === "all" || (setup.nat === "primary" && src === NODE_IP);
  const pgaInEffect = setup.pga || (setup.nat !== "none" && natCovers);
  if (googleApi && model !== "google-apis-via-nat") {
    if (pgaInEffect) {
      steps.push({ id: "pga", where: "andromeda", text: `${d.host} is a Google API address. ${setup.pga ? "Private Google Access is on for the subnet" : "Cloud NAT serves this range, which turns Private Google Access on for it"}, so the packet goes to Google's front ends through the default route's default-internet-gateway next hop without leaving Google's network, with its internal source ${src}. Cloud NAT never translates traffic to Google API addresses.`, packet: { src: `${src}:40001`, dst } });
      steps.push({ id: "reply", where: "google", text: "The API's reply comes back to the internal address directly.", packet: { src: dst, dst: `${src}:40001` } });
      return { outcome: "pga", steps, summary: "Private Google Access: Google API reached with the internal source address, no NAT." };
    }
    steps.push({ id: "no-route", where: "andromeda", text: `${d.host} is a Google API, but Private Google Access is off for the subnet and the VM has no external IP. ${setup.destination === "googleapis" ? "" : `${d.ip} answers only to Private Google Access. `}The packet is dropped; the client sees a timeout.`, packet: null });
    return { outcome: "no-route", steps, summary: "No way out: a Google API without Private Google Access from a VM without an external IP." };
  }
  if (setup.nat === "none" || !natCovers) {
    steps.push({ id: "no-nat", where: "andromeda", text: setup.nat === "none" ? `No Cloud NAT gateway serves the subnet and the VM has no external IP, so a packet to ${d.ip} has no source the internet could answer: it is dropped and the client sees a timeout.` : `The gateway is configured for the node primary range only, and this packet's source ${src} is in ${srcRange}: Cloud NAT does not translate it and it is dropped (a timeout for the client).`, packet: null });
    return { outcome: "no-route", steps, summary: "No way out: no Cloud NAT covers this source range." };
  }
  steps.push({ id: "nat", where: "andromeda", text: `Andromeda, on the host that runs the node, applies the Cloud NAT gateway: it rewrites ${src}:40001 to ${NAT_IP}:1024, a port from this VM's reserved block, and records the mapping (idle timeout ${NAT_TIMEOUTS.tcpEstablished} s for an established TCP connection). There is no NAT VM on the path.`, packet: { src: `${NAT_IP}:1024`, dst } });
  steps.push({ id: "internet", where: "internet", text: `${d.host} sees the connection come from ${NAT_IP}:1024 and answers there.`, packet: { src: dst, dst: `${NAT_IP}:1024` } });
  steps.push({ id: "reply", where: "andromeda", text: `The reply matches the mapping, so it is rewritten back to ${src}:40001 and delivered${src === NODE_IP && setup.from === "pod" ? `; the node's conntrack then un-masquerades it to the Pod ${POD_IP}` : ""}.`, packet: { src: dst, dst: `${setup.from === "pod" ? POD_IP : NODE_IP}:40001` } });
  return { outcome: "nat", steps, summary: `Cloud NAT: leaves as ${NAT_IP}:1024; the reply is translated back.` };
}

/** An unsolicited packet from the internet to a NAT IP: Cloud NAT creates mappings only for outbound connections. */
export function unsolicitedInbound(natPort: number, model: PathModel = "real"): EgressTrace {
  const dst = `${NAT_IP}:${natPort}`;
  if (model === "nat-accepts-inbound") {
    return { outcome: "delivered-inbound", steps: [{ id: "inbound", where: "andromeda", text: `(wrong model) The NAT IP forwards ${dst} to a VM.`, packet: { src: "198.51.100.7:51000", dst } }], summary: "Delivered (wrong model)." };
  }
  return {
    outcome: "dropped-inbound",
    steps: [
      { id: "inbound", where: "internet", text: `A host on the internet sends a new connection to ${dst}.`, packet: { src: "198.51.100.7:51000", dst } },
      { id: "no-mapping", where: "andromeda", text: "No mapping exists for this source, and Cloud NAT never creates one for an inbound packet: it translates only replies to connections a VM opened. The packet is dropped.", packet: null },
    ],
    summary: "Dropped: Cloud NAT never accepts unsolicited inbound connections.",
  };
}
