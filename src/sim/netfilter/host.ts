import { InputError } from "../net/errors";
import { commonPrefixLength, familyOfText, inNetwork, parseAddress, type Address, type Family } from "./address";
import { parseAddressMask } from "./parse";
import type { AddressTypeName } from "./ruleset";

/**
 * The node a packet is walked through: its addresses, interfaces and routes, of either family or
 * both (a dual-stack node). Addresses on an interface may carry a prefix ("10.0.0.1/24",
 * "fd00:192:168::2/64") so IPv4 directed broadcasts are recognised. A route's `dst` is a CIDR of its
 * family; "default" is IPv4's 0.0.0.0/0 (IPv6's default route is written "::/0").
 */
export interface HostContext {
  localAddresses: string[];
  interfaces: { name: string; addresses: string[] }[];
  routes: { dst: string /* CIDR */; dev: string; src?: string }[];
}

export interface RouteResult {
  readonly dev: string;
  readonly src: Address | null;
  readonly local: boolean;
}

/** The host compiled for lookups: the kernel's local table and main table, in miniature, per family. */
export interface HostModel {
  isLocal(address: Address): boolean;
  /** Interface that owns a local address; loopback addresses belong to "lo". */
  ownerOf(address: Address): string | null;
  /** The route for the destination's family (IPv4 routes for an IPv4 address, IPv6 for IPv6). */
  route(dst: Address): RouteResult | null;
  /** IPv4: inet_dev_addr_type()'s one type for the address. */
  addressType(address: number, limitIface: string | null): AddressTypeName;
  /**
   * IPv6: what xt_addrtype's match_type6() can test of the address — UNICAST, MULTICAST or UNSPEC
   * from ipv6_addr_type(), and LOCAL or UNREACHABLE from the route lookup. Unlike IPv4, one address
   * has several: a local address is UNICAST and LOCAL.
   */
  ipv6AddressTypes(address: bigint, limitIface: string | null): ReadonlySet<AddressTypeName>;
  /** First address of the family on an interface (the source MASQUERADE falls back to). */
  primaryAddress(dev: string, family?: Family): Address | null;
  /**
   * IPv4: inet_select_addr()'s fallback when the device has no address: the first universe-scope
   * address of any interface, in interface order (loopback's 127/8 addresses are host scope and
   * never chosen).
   */
  anyUniverseAddress(): Address | null;
  /**
   * IPv6: the source ipv6_dev_get_saddr() picks for a packet to `dst` leaving by `outIface` (RFC 6724
   * source address selection over every interface's global addresses): one on the outgoing
   * interface first (rule 5), then one whose policy-table label is the destination's (rule 6), then
   * the longest prefix in common with it (rule 8); interface order on a tie. Link-local and loopback
   * addresses are left out (rule 2 ranks them below any global address for a global destination).
   */
  ipv6SourceAddress(outIface: string, dst: bigint): bigint | null;
}

const LOOPBACK_NET = 0x7f000000;
const isLoopback = (a: Address) => (typeof a === "bigint" ? a === 1n : ((a & 0xff000000) >>> 0) === LOOPBACK_NET);
/** Link-local fe80::/10 and loopback: not global scope, so never a masquerade source. */
const isGlobalIpv6 = (a: bigint) => a !== 1n && a >> 118n !== 0x3fan;

/**
 * RFC 6724's default policy table as Linux has it (net/ipv6/addrlabel.c), longest prefix first:
 * the label of an address, which rule 6 of source selection wants equal to the destination's.
 */
const IPV6_LABELS: readonly (readonly [network: bigint, prefix: number, label: number])[] = [
  [1n, 128, 0], // ::1/128
  [0xffffn << 32n, 96, 4], // ::ffff:0:0/96
  [0n, 96, 3], // ::/96
  [0x20010010n << 96n, 28, 7], // 2001:10::/28
  [0x20010000n << 96n, 32, 6], // 2001::/32
  [0x2002n << 112n, 16, 2], // 2002::/16
  [0x3ffen << 112n, 16, 12], // 3ffe::/16
  [0xfec0n << 112n, 10, 11], // fec0::/10
  [0xfc00n << 112n, 7, 5], // fc00::/7
  [0n, 0, 1], // ::/0
];
function ipv6Label(address: bigint): number {
  for (const [network, prefix, label] of IPV6_LABELS) {
    const shift = BigInt(128 - prefix);
    if (address >> shift === network >> shift) return label;
  }
  return 1;
}

export function compileHost(host: HostContext): HostModel {
  const fail = (reason: string): never => {
    throw new InputError("host", reason);
  };
  const local = new Map<Address, string>();
  const broadcasts = new Map<number, string>();
  const primary = { IPv4: new Map<string, Address>(), IPv6: new Map<string, Address>() };
  const ordered: { family: Family; address: Address; iface: string }[] = [];
  for (const iface of host.interfaces) {
    for (const text of iface.addresses) {
      const [addressText, prefixText] = text.split("/") as [string, string | undefined];
      const family = familyOfText(addressText);
      const address = parseAddress(addressText, family);
      ordered.push({ family, address, iface: iface.name });
      if (!local.has(address)) local.set(address, iface.name);
      if (!primary[family].has(iface.name)) primary[family].set(iface.name, address);
      if (prefixText !== undefined) {
        const { network, mask, prefix } = parseAddressMask(`${addressText}/${prefixText}`, fail, family);
        // IPv6 has no broadcast addresses (RFC 4291 §2).
        if (family === "IPv4" && prefix < 31) broadcasts.set(((network as number) | ~(mask as number)) >>> 0, iface.name);
      }
    }
  }
  for (const text of host.localAddresses) {
    const address = parseAddress(text, familyOfText(text));
    if (!local.has(address)) {
      local.set(address, host.interfaces.find((i) => i.addresses.some((a) => a.split("/")[0] === text))?.name ?? "lo");
    }
  }
  const routes = host.routes
    .map((r) => {
      const family = r.dst === "default" ? "IPv4" : familyOfText(r.dst);
      const { network, mask, prefix } = parseAddressMask(r.dst === "default" ? "0.0.0.0/0" : r.dst, fail, family);
      return { network, mask, prefix, dev: r.dev, src: r.src === undefined ? null : parseAddress(r.src, familyOfText(r.src)) };
    })
    .sort((a, b) => b.prefix - a.prefix);
  const isLocal = (a: Address) => local.has(a) || isLoopback(a);
  const route = (dst: Address): RouteResult | null => {
    // The local table is consulted before main (fib_lookup, fib6_lookup): a local address routes to lo.
    if (isLocal(dst)) return { dev: "lo", src: dst, local: true };
    const r = routes.find((x) => inNetwork(dst, x.network, x.mask));
    if (!r) return null;
    return { dev: r.dev, src: r.src ?? primary[typeof dst === "bigint" ? "IPv6" : "IPv4"].get(r.dev) ?? null, local: false };
  };
  return {
    isLocal,
    ownerOf: (a) => local.get(a) ?? (isLoopback(a) ? "lo" : null),
    route,
    // __inet_dev_addr_type() in net/ipv4/fib_frontend.c: 0.0.0.0 and 255.255.255.255 are BROADCAST,
    // 224/4 MULTICAST; otherwise the local table decides (LOCAL, or BROADCAST for a subnet's
    // broadcast address), and only when its device is the one asked about (--limit-iface-in/out);
    // everything else is UNICAST. 127/8 is "local … dev lo" there.
    addressType(address, limitIface) {
      if (address === 0 || address === 0xffffffff) return "BROADCAST";
      if (((address & 0xf0000000) >>> 0) === 0xe0000000) return "MULTICAST";
      if (isLocal(address)) {
        const owner = local.get(address) ?? "lo";
        return limitIface === null || owner === limitIface ? "LOCAL" : "UNICAST";
      }
      const bcast = broadcasts.get(address);
      if (bcast !== undefined && (limitIface === null || bcast === limitIface)) return "BROADCAST";
      return "UNICAST";
    },
    // ipv6_addr_type(): :: is ANY (UNSPEC here), ff00::/8 MULTICAST, everything else UNICAST —
    // loopback and link-local included. match_lookup_rt6() adds LOCAL when the route found is a
    // local one (RTF_LOCAL) and UNREACHABLE when there is none. With --limit-iface-* the kernel
    // looks up strictly through that device; the model, as for IPv4, counts a local address as
    // LOCAL only on the device that owns it.
    ipv6AddressTypes(address, limitIface) {
      const types = new Set<AddressTypeName>();
      if (address === 0n) types.add("UNSPEC");
      else if (address >> 120n === 0xffn) types.add("MULTICAST");
      else types.add("UNICAST");
      if (isLocal(address)) {
        if (limitIface === null || (local.get(address) ?? "lo") === limitIface) types.add("LOCAL");
      } else if (route(address) === null) {
        types.add("UNREACHABLE");
      }
      return types;
    },
    primaryAddress: (dev, family = "IPv4") => primary[family].get(dev) ?? null,
    anyUniverseAddress: () => ordered.find((e) => e.family === "IPv4" && !isLoopback(e.address))?.address ?? null,
    ipv6SourceAddress(outIface, dst) {
      const dstLabel = ipv6Label(dst);
      // Rules 5, 6 and 8 in order: the first that differs decides; a later candidate wins only if better.
      const score = (address: bigint, iface: string) => [iface === outIface ? 1 : 0, ipv6Label(address) === dstLabel ? 1 : 0, commonPrefixLength(address, dst)];
      let best: { address: bigint; score: number[] } | null = null;
      for (const entry of ordered) {
        if (typeof entry.address !== "bigint" || !isGlobalIpv6(entry.address)) continue;
        const candidate = { address: entry.address, score: score(entry.address, entry.iface) };
        const differs = best === null ? -1 : candidate.score.findIndex((v, i) => v !== best!.score[i]);
        if (best === null || (differs >= 0 && candidate.score[differs]! > best.score[differs]!)) best = candidate;
      }
      return best?.address ?? null;
    },
  };
}
