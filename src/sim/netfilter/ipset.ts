import { InputError } from "../net/errors";
import { IPV6_ALL_ONES, inNetwork, type Address } from "./address";
import { parseAddressMask } from "./parse";
import { PROTOCOL_NUMBERS } from "./packet-state";
import type { IpsetMembership, MatchContext } from "./ruleset";

type Component =
  | { kind: "addr"; network: Address; mask: Address }
  | { kind: "port"; proto: number | null; low: number; high: number };

/**
 * ipsets as `ipset list` prints their members: "10.96.0.10,udp:53" (hash:ip,port),
 * "10.244.1.5,tcp:80,10.244.1.5" (hash:ip,port,ip), "10.0.0.0/8" (hash:net), "30080" (bitmap:port).
 * Each comma-separated part is matched against the packet field the rule's flags name, in order
 * (`--match-set KUBE-CLUSTER-IP dst,dst`: destination address, then destination port), as
 * ip_set_get_ip4_port and friends do. A bare port matches any protocol (bitmap:port has none).
 * Members of a `family inet6` set are IPv6 ("fd00::a,tcp:80"); a packet only matches members of its
 * own family, as a set of the other family never matches in the kernel.
 */
export function compileIpsets(sets: Record<string, string[]>): Map<string, IpsetMembership> {
  const result = new Map<string, IpsetMembership>();
  for (const [name, members] of Object.entries(sets)) {
    const entries = members.map((member) => member.split(",").map((part) => parseComponent(name, member, part)));
    const exact = entries.every((e) => e.every((c) => (c.kind === "addr" ? c.mask === 0xffffffff || c.mask === IPV6_ALL_ONES : c.low === c.high && c.proto !== null)));
    if (exact) {
      const keys = new Set(entries.map((e) => e.map((c) => (c.kind === "addr" ? addressKey(c.network) : `p${c.proto}:${c.low}`)).join("|")));
      const width = entries[0]?.length ?? 0;
      result.set(name, {
        has(ctx, flags) {
          if (flags.length < width) return false;
          const parts: string[] = [];
          for (let i = 0; i < width; i++) {
            const kind = entries[0]![i]!.kind;
            const side = flags[i]!;
            parts.push(kind === "addr" ? addressKey(side === "src" ? ctx.src : ctx.dst) : `p${ctx.proto}:${side === "src" ? ctx.srcPort : ctx.dstPort}`);
          }
          return keys.has(parts.join("|"));
        },
      });
    } else {
      result.set(name, { has: (ctx, flags) => entries.some((e) => entryMatches(e, ctx, flags)) });
    }
  }
  return result;
}

/** "a167772161" for 10.0.0.1, "a6:1" for ::1: one key space without the families colliding. */
const addressKey = (address: Address) => (typeof address === "bigint" ? `a6:${address}` : `a${address}`);

function entryMatches(entry: Component[], ctx: MatchContext, flags: readonly ("src" | "dst")[]): boolean {
  if (flags.length < entry.length) return false;
  return entry.every((c, i) => {
    const side = flags[i]!;
    if (c.kind === "addr") return inNetwork(side === "src" ? ctx.src : ctx.dst, c.network, c.mask);
    const port = side === "src" ? ctx.srcPort : ctx.dstPort;
    return (c.proto === null || c.proto === ctx.proto) && port >= c.low && port <= c.high;
  });
}

function parseComponent(set: string, member: string, part: string): Component {
  const fail = (reason: string): never => {
    throw new InputError(member, `ipset ${set}: ${reason}`);
  };
  // "tcp:80" has a colon too; an IPv6 address is any other part with one.
  const ipv6 = part.includes(":") && !/^(?:tcp|udp|sctp):/.test(part);
  if (part.includes(".") || ipv6) {
    const { network, mask } = parseAddressMask(part, fail, ipv6 ? "IPv6" : "IPv4");
    return { kind: "addr", network, mask };
  }
  const m = /^(?:(tcp|udp|sctp):)?([0-9]{1,5})(?:-([0-9]{1,5}))?$/.exec(part);
  if (!m) return fail(`"${part}" is neither an address nor a [proto:]port`);
  const low = Number(m[2]);
  const high = m[3] === undefined ? low : Number(m[3]);
  if (high > 65535 || low > high) fail(`bad port "${part}"`);
  return { kind: "port", proto: m[1] ? PROTOCOL_NUMBERS[m[1]]! : null, low, high };
}
