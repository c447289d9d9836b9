import { InputError } from "./errors";
import { cidrContains, formatCidr, type Cidr } from "./cidr";
import type { Ipv4 } from "./ipv4";

/**
 * How GKE carves a cluster's Pod range into per-node ranges. Each node gets one aligned block, /24 by
 * default; "maximum Pods per node" moves it between /23 and /28, always about twice as many addresses
 * as Pods so an address is not reused the moment a Pod goes away. The flagship scenario and the Pod
 * range explorer both read this module, so the rule lives once.
 */

/** GKE's smallest and largest per-node ranges. */
export const GKE_NODE_PREFIX_MIN = 23;
export const GKE_NODE_PREFIX_MAX = 28;
export const GKE_DEFAULT_NODE_PREFIX = 24;

/**
 * Parses a per-node prefix ("/24" or "24"). The error's `reason` is a whole sentence, for fields that
 * show it beside the input.
 *
 * @throws InputError when the prefix is outside GKE's /23–/28 or larger than the whole range */
export function parseNodePrefix(text: string, range: Cidr | null): number {
  const trimmed = text.trim().replace(/^\//, "");
  if (!/^[0-9]{1,2}$/.test(trimmed)) throw new InputError(text, `"${text}" is not a prefix length; write it like /24`);
  const prefix = Number(trimmed);
  if (range && prefix < range.prefix) throw new InputError(text, `/${prefix} is larger than the whole Pod range (/${range.prefix})`);
  if (prefix > GKE_NODE_PREFIX_MAX || prefix < GKE_NODE_PREFIX_MIN) {
    throw new InputError(text, `GKE node ranges run from /23 (256 Pods) to /28 (8 Pods); /${prefix} is outside that`);
  }
  return prefix;
}

/** Pods a node range holds: 110 for the default /24, otherwise half the block. */
export function gkeMaxPodsPerNode(nodePrefix: number): number {
  return nodePrefix === GKE_DEFAULT_NODE_PREFIX ? 110 : Math.floor(2 ** (32 - nodePrefix) / 2);
}

/** How many node ranges a cluster range holds. */
export function nodeRangeCount(cluster: Cidr, nodePrefix: number): number {
  return 2 ** (nodePrefix - cluster.prefix);
}

/**
 * The node range holding an address, or null when the address is outside the cluster range.
 *
 * @example nodeRangeOf(parseCidr("10.4.0.0/14"), 24, parseIpv4("10.4.1.5")) // { index: 1, range: "10.4.1.0/24" }
 */
export function nodeRangeOf(cluster: Cidr, nodePrefix: number, address: Ipv4): { index: number; range: string } | null {
  if (!cidrContains(cluster, address)) return null;
  const perNode = 2 ** (32 - nodePrefix);
  const index = Math.floor((address - cluster.network) / perNode);
  return { index, range: formatCidr({ network: (cluster.network + index * perNode) >>> 0, prefix: nodePrefix }) };
}
