/**
 * A model of netfilter's iptables path: parse an iptables-save dump, walk a packet through it in
 * the kernel's hook order, and show the conntrack entry it leaves — what kube-proxy's rules do to
 * a packet, rule by rule. IPv6 packets take the same path through an ip6tables-save dump.
 */
export { parseIptablesSave, parseIp6tablesSave, parseAddressMask } from "./parse";
export { familyOfText, formatAddress, formatHostPort, formatIpv6, parseAddress, parseIpv6, type Address, type Family } from "./address";
export { walkPacket, type PacketAfter, type PacketSpec, type Walk, type WalkStep, type WalkOptions, type Verdict } from "./walk";
export { compileHost, type HostContext, type HostModel } from "./host";
export { ConntrackTable, formatConntrack, replyOf, isDnat, isSnat, type ConntrackEntry, type ConntrackTuple } from "./conntrack";
export { RecentLists } from "./recent";
export { RulesetError } from "./tokenize";
export { formatStep } from "./format";
export type { Ruleset, Rule, Chain, Table, TableName, Hook, Target } from "./ruleset";
