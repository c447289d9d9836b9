/**
 * The parsed form of an iptables-save dump: tables → chains → rules, each rule keeping its exact
 * text and source line so a walk can point back at what the learner (or kube-proxy) wrote.
 *
 * Matches are compiled at parse time into closures over 32-bit integers, so walking a packet through
 * kube-proxy's tens of thousands of rules costs one function call per match, not a re-parse.
 */
import type { Address, Family } from "./address";
import type { ConntrackState } from "./packet-state";

export type TableName = "raw" | "mangle" | "nat" | "filter";
export type Hook = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

/** The built-in chains each table registers, i.e. the netfilter hooks it attaches to. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly Hook[]>> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
};

/**
 * The packet as a match sees it: addresses and ports as numbers, plus the kernel-side metadata.
 * Addresses are of the ruleset's family (numbers for iptables, bigints for ip6tables): a walk refuses
 * a packet of the other family before any match runs.
 */
export interface MatchContext {
  readonly proto: number;
  readonly src: Address;
  readonly dst: Address;
  readonly srcPort: number;
  readonly dstPort: number;
  /** "" where the kernel has no device: no input device in OUTPUT/POSTROUTING, no output in PREROUTING/INPUT. */
  readonly inIface: string;
  readonly outIface: string;
  /** skb->mark. */
  readonly mark: number;
  readonly ctstate: ConntrackState;
  readonly hook: Hook;
}

/** What the matches need to know about the host and the shared state (ipsets, recent lists). */
export interface MatchEnvironment {
  /** IPv4: the one type inet_dev_addr_type() gives the address. */
  addressType(address: number, limitIface: string | null): AddressTypeName;
  /**
   * IPv6: every type the address has (a local address is also UNICAST there); see HostModel. Only an
   * ip6tables ruleset's addrtype matches ask, so an environment for iptables rules may leave it out.
   */
  ipv6AddressTypes?(address: bigint, limitIface: string | null): ReadonlySet<AddressTypeName>;
  ipset(name: string): IpsetMembership;
  recent: RecentStore;
  now: number;
}

export type AddressTypeName = "UNSPEC" | "UNICAST" | "LOCAL" | "BROADCAST" | "ANYCAST" | "MULTICAST" | "BLACKHOLE" | "UNREACHABLE" | "PROHIBIT" | "THROW" | "NAT" | "XRESOLVE";

export interface IpsetMembership {
  /** Whether the packet's fields, taken in the order the flags name them, form an entry of the set. */
  has(ctx: MatchContext, flags: readonly ("src" | "dst")[]): boolean;
}

/** xt_recent's lists: name → address → the times it was seen, as the kernel keeps them. */
export interface RecentStore {
  seen(list: string, address: Address): readonly number[] | undefined;
  record(list: string, address: Address, time: number): void;
  remove(list: string, address: Address): void;
}

/** One compiled part of a rule: `-d 10.0.0.1/32`, `-m tcp --dport 80`, `-m statistic …`. */
export interface CompiledMatch {
  /** The part as iptables-save prints it, for the "why not" of a walk step. */
  readonly text: string;
  readonly kind: "header" | "match" | "statistic" | "recent";
  readonly test: (ctx: MatchContext, env: MatchEnvironment) => boolean;
  /** statistic --mode random: the kernel's 31-bit threshold, round(2^31 × p). */
  readonly probability?: number;
  readonly threshold?: number;
  readonly inverted?: boolean;
  /** Set on a non-inverted `-d a.b.c.d/32` (`-d fd00::a/128`): the address, for the chain's destination index. */
  readonly exactDst?: Address;
  /** recent: what the rule does with the list. */
  readonly recent?: RecentSpec;
}

export interface RecentSpec {
  readonly name: string;
  readonly command: "set" | "rcheck" | "update" | "remove";
  readonly seconds: number | null;
  readonly hitcount: number | null;
  readonly reap: boolean;
  readonly side: "rsource" | "rdest";
  readonly mask: Address;
}

export type Target =
  | { readonly kind: "NONE" }
  | { readonly kind: "ACCEPT" | "DROP" | "RETURN" }
  | { readonly kind: "REJECT"; readonly rejectWith: string }
  | { readonly kind: "JUMP"; readonly chain: string; readonly goto: boolean }
  /** xt_MARK's one operation: mark = (mark & ~mask) ^ value; --or/--and/--xor/--set-mark reduce to it. */
  | { readonly kind: "MARK"; readonly value: number; readonly mask: number }
  | { readonly kind: "DNAT"; readonly address: Address; readonly port: number | null }
  | { readonly kind: "SNAT"; readonly address: Address; readonly port: number | null; readonly randomFully: boolean }
  | { readonly kind: "MASQUERADE"; readonly randomFully: boolean };

export interface Rule {
  readonly table: TableName;
  readonly chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  readonly index: number;
  /** 1-based line in the iptables-save text. */
  readonly line: number;
  /** The line exactly as written (without a leading `[packets:bytes]` counter). */
  readonly text: string;
  readonly counters: { readonly packets: number; readonly bytes: number } | null;
  readonly comment: string | null;
  readonly matches: readonly CompiledMatch[];
  readonly target: Target;
  /** The target as written after -j/-g, e.g. "DNAT --to-destination 10.180.0.1:80". */
  readonly targetText: string;
}

export interface Chain {
  readonly table: TableName;
  readonly name: string;
  readonly builtin: boolean;
  /** Built-in chains only; null for user chains (iptables-save prints "-"). */
  readonly policy: "ACCEPT" | "DROP" | null;
  /** Line of the ":CHAIN" header, or null when iptables-restore created a built-in chain implicitly. */
  readonly line: number | null;
  readonly rules: Rule[];
  /** Long chains only: rule positions (0-based) by exact destination, and those without one. */
  readonly dstIndex?: { readonly byDst: ReadonlyMap<Address, readonly number[]>; readonly always: readonly number[] };
}

export interface Table {
  readonly name: TableName;
  readonly line: number;
  readonly chains: Map<string, Chain>;
}

export interface Ruleset {
  /** IPv4 for an iptables-save dump, IPv6 for an ip6tables-save dump: the packets it can see. */
  readonly family: Family;
  readonly tables: Partial<Record<TableName, Table>>;
  readonly ruleCount: number;
  /** Every ipset a `-m set --match-set` names, so a caller can check it supplied them. */
  readonly ipsetNames: readonly string[];
}
