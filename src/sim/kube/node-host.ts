import { sha256 } from "@noble/hashes/sha2.js";
import { InputError } from "../net/errors";
import type { ClusterState, Node, Pod } from "./model";

/**
 * The node kube-proxy runs on, as the kernel sees it: its local addresses, its interfaces and its
 * routes. The walk through netfilter needs all three — `-m addrtype --dst-type LOCAL` asks whether an
 * address is local, `-i`/`-o` match interface names, and MASQUERADE takes the source address of the
 * interface the route picks.
 *
 * Modelled on a GKE VPC-native node with Google's CNI: every address in the Node's `status.addresses`
 * is on `eth0` (the contract: they are the node's local addresses), each local Pod has a /32
 * route to its own veth (not a /24 "to the bridge"), and everything else leaves by `eth0` — Pod
 * ranges are VPC alias ranges, so another node's Pod is reached without encapsulation. GKE names Pod
 * veths `gke` + 11 hex digits; the hash's input is not documented, so ours hashes the Pod's
 * namespace/name.
 */
export interface NodeInterface {
  readonly name: string;
  readonly addresses: readonly string[];
}
export interface NodeRoute {
  /** A CIDR; "0.0.0.0/0" or "::/0" for the default route. */
  readonly dst: string;
  readonly dev: string;
  readonly src?: string;
}
export interface NodeHost {
  readonly node: Node;
  readonly localAddresses: readonly string[];
  readonly interfaces: readonly NodeInterface[];
  readonly routes: readonly NodeRoute[];
  /** Pods on this node with their veth, for the routing step. */
  readonly localPods: readonly { readonly pod: Pod; readonly veth: string }[];
}

/** GKE-style veth name for a Pod: "gke" + 11 hex digits (15 characters, the kernel's IFNAMSIZ − 1). */
export function podVethName(pod: Pod): string {
  const digest = sha256(new TextEncoder().encode(`${pod.metadata.namespace}/${pod.metadata.name}`));
  return `gke${Array.from(digest.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 11)}`;
}

/** The Node object kube-proxy's state names as its own. */
export function thisNode(state: ClusterState, name = state.nodeName): Node {
  const node = state.nodes.find((n) => n.metadata.name === name);
  if (!node) throw new InputError(name, `no Node named "${name}"; the nodes given are ${state.nodes.map((n) => n.metadata.name).join(", ") || "none"}`);
  return node;
}

/** The primary InternalIP of a family, which is what MASQUERADE picks on eth0 for that family. */
export function nodePrimaryAddress(node: Node, family: "IPv4" | "IPv6" = "IPv4"): string | null {
  const isV6 = family === "IPv6";
  const ofFamily = node.addresses.filter((a) => (a.type === "InternalIP" || a.type === "ExternalIP") && a.address.includes(":") === isV6);
  return (ofFamily.find((a) => a.type === "InternalIP") ?? ofFamily[0])?.address ?? null;
}

/** The kernel's view of a node: interfaces, local addresses and routes. */
export function nodeHost(state: ClusterState, name = state.nodeName, extraLocal: readonly string[] = []): NodeHost {
  const node = thisNode(state, name);
  const nodeIps = node.addresses.filter((a) => a.type === "InternalIP" || a.type === "ExternalIP").map((a) => a.address);
  const localPods = state.pods
    .filter((p) => p.nodeName === node.metadata.name && !p.hostNetwork && p.podIPs.length > 0)
    .map((pod) => ({ pod, veth: podVethName(pod) }));
  const interfaces: NodeInterface[] = [
    { name: "lo", addresses: ["127.0.0.1", "::1"] },
    { name: "eth0", addresses: nodeIps },
    // IPVS mode binds every Service address to the kube-ipvs0 dummy interface, making them local.
    ...(extraLocal.length ? [{ name: "kube-ipvs0", addresses: extraLocal }] : []),
    // A Pod's veth on the node side carries no address of its own under GKE's CNI.
    ...localPods.map(({ veth }) => ({ name: veth, addresses: [] })),
  ];
  const v4 = nodePrimaryAddress(node, "IPv4");
  const v6 = nodePrimaryAddress(node, "IPv6");
  const routes: NodeRoute[] = [
    ...localPods.flatMap(({ pod, veth }) => pod.podIPs.map((ip) => ({ dst: ip.includes(":") ? `${ip}/128` : `${ip}/32`, dev: veth }))),
    ...(v4 ? [{ dst: "0.0.0.0/0", dev: "eth0", src: v4 }] : []),
    ...(v6 ? [{ dst: "::/0", dev: "eth0", src: v6 }] : []),
  ];
  return { node, localAddresses: ["127.0.0.1", "::1", ...nodeIps, ...extraLocal], interfaces, routes, localPods };
}
