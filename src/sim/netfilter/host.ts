import { parseIpv4, formatIpv4 } from "../net/ipv4";
import { InputError } from "../net/errors";
import { parseAddressMask } from "./parse";
import type { AddressTypeName } from "./ruleset";

/**
 * The node a packet is walked through: its addresses, interfaces and routes. Addresses on an
 * interface may carry a prefix ("10.0.0.1/24") so directed broadcasts are recognised.
 */
export interface HostContext {
  localAddresses: string[];
  interfaces: { name: string; addresses: string[] }[];
  routes: { dst: string /* CIDR */; dev: string; src?: string }[];
}

export interface RouteResult {
  readonly dev: string;
  readonly src: number | null;
  readonly local: boolean;
}

/** The host compiled for lookups: the kernel's local table and main table, in miniature. */
export interface HostModel {
  isLocal(address: number): boolean;
  /** Interface that owns a local address; loopback addresses belong to "lo". */
  ownerOf(address: number): string | null;
  route(dst: number): RouteResult | null;
  addressType(address: number, limitIface: string | null): AddressTypeName;
  /** First address of an interface (the source MASQUERADE falls back to). */
  primaryAddress(dev: string): number | null;
  /**
   * inet_select_addr()'s fallback when the device has no address: the first universe-scope address
   * of any interface, in interface order (loopback's 127/8 addresses are host scope and never chosen).
   */
  anyUniverseAddress(): number | null;
}

const LOOPBACK_NET = 0x7f000000;
const isLoopback = (a: number) => ((a & 0xff000000) >>> 0) === LOOPBACK_NET;

export function compileHost(host: HostContext): HostModel {
  const fail = (reason: string): never => {
    throw new InputError("host", reason);
  };
  const local = new Map<number, string>();
  const broadcasts = new Map<number, string>();
  const primary = new Map<string, number>();
  for (const iface of host.interfaces) {
    for (const text of iface.addresses) {
      const [addressText, prefixText] = text.split("/") as [string, string | undefined];
      const address = parseIpv4(addressText);
      if (!local.has(address)) local.set(address, iface.name);
      if (!primary.has(iface.name)) primary.set(iface.name, address);
      if (prefixText !== undefined) {
        const { mask, prefix } = parseAddressMask(`${formatIpv4(address)}/${prefixText}`, fail);
        if (prefix < 31) broadcasts.set(((address & mask) | ~mask) >>> 0, iface.name);
      }
    }
  }
  for (const text of host.localAddresses) {
    const address = parseIpv4(text);
    if (!local.has(address)) local.set(address, host.interfaces.find((i) => i.addresses.some((a) => a.split("/")[0] === text))?.name ?? "lo");
  }
  const routes = host.routes
    .map((r) => {
      const { network, mask, prefix } = parseAddressMask(r.dst === "default" ? "0.0.0.0/0" : r.dst, fail);
      return { network, mask, prefix, dev: r.dev, src: r.src === undefined ? null : parseIpv4(r.src) };
    })
    .sort((a, b) => b.prefix - a.prefix);
  const isLocal = (a: number) => local.has(a) || isLoopback(a);
  return {
    isLocal,
    ownerOf: (a) => local.get(a) ?? (isLoopback(a) ? "lo" : null),
    // The local table is consulted before main (fib_lookup): a local address routes to lo.
    route(dst) {
      if (isLocal(dst)) return { dev: "lo", src: dst, local: true };
      const r = routes.find((x) => ((dst & x.mask) >>> 0) === x.network);
      if (!r) return null;
      return { dev: r.dev, src: r.src ?? primary.get(r.dev) ?? null, local: false };
    },
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
    primaryAddress: (dev) => primary.get(dev) ?? null,
    anyUniverseAddress: () => {
      for (const iface of host.interfaces) {
        for (const text of iface.addresses) {
          const address = parseIpv4(text.split("/")[0]!);
          if (!isLoopback(address)) return address;
        }
      }
      return null;
    },
  };
}
