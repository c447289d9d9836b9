/**
 * Renders one kube-proxy sync as the tables would then read back in `iptables-save` form: built-in
 * chains with their policies, every chain kube-proxy created (user chains in name order, as
 * iptables-save lists them), then each chain's rules, grouped by chain, in order.
 *
 * Rules keep the spelling kube-proxy wrote (the `iptables-restore` input), which iptables-restore
 * loads as is. A real `iptables-save` re-renders each rule from the kernel: `-d 10.0.0.1/32`,
 * `-p tcp` before the matches, `MARK --set-xmark 0x4000/0x4000`, and probabilities as the kernel's
 * 31-bit fraction printed with 11 decimals. That re-rendering is not modelled.
 */
import type { RestoreData } from "./proxier";

interface JumpChain {
  readonly table: "filter" | "nat";
  readonly dst: string;
  readonly src: string;
  readonly comment: string;
  readonly extra: string;
}

const NEW = "-m conntrack --ctstate NEW";

/** `iptablesJumpChains` then `iptablesKubeletJumpChains`, in the order kube-proxy ensures them. */
const JUMP_CHAINS: readonly JumpChain[] = [
  { table: "filter", dst: "KUBE-EXTERNAL-SERVICES", src: "INPUT", comment: "kubernetes externally-visible service portals", extra: NEW },
  { table: "filter", dst: "KUBE-EXTERNAL-SERVICES", src: "FORWARD", comment: "kubernetes externally-visible service portals", extra: NEW },
  { table: "filter", dst: "KUBE-NODEPORTS", src: "INPUT", comment: "kubernetes health check service ports", extra: "" },
  { table: "filter", dst: "KUBE-SERVICES", src: "FORWARD", comment: "kubernetes service portals", extra: NEW },
  { table: "filter", dst: "KUBE-SERVICES", src: "OUTPUT", comment: "kubernetes service portals", extra: NEW },
  { table: "filter", dst: "KUBE-FORWARD", src: "FORWARD", comment: "kubernetes forwarding rules", extra: "" },
  { table: "filter", dst: "KUBE-PROXY-FIREWALL", src: "INPUT", comment: "kubernetes load balancer firewall", extra: NEW },
  { table: "filter", dst: "KUBE-PROXY-FIREWALL", src: "OUTPUT", comment: "kubernetes load balancer firewall", extra: NEW },
  { table: "filter", dst: "KUBE-PROXY-FIREWALL", src: "FORWARD", comment: "kubernetes load balancer firewall", extra: NEW },
  { table: "nat", dst: "KUBE-SERVICES", src: "OUTPUT", comment: "kubernetes service portals", extra: "" },
  { table: "nat", dst: "KUBE-SERVICES", src: "PREROUTING", comment: "kubernetes service portals", extra: "" },
  { table: "nat", dst: "KUBE-POSTROUTING", src: "POSTROUTING", comment: "kubernetes postrouting rules", extra: "" },
  // kubelet's anti-martian chain, which kube-proxy also ensures (without a comment).
  { table: "filter", dst: "KUBE-FIREWALL", src: "INPUT", comment: "", extra: "" },
  { table: "filter", dst: "KUBE-FIREWALL", src: "OUTPUT", comment: "", extra: "" },
];

const BUILTINS = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
} as const;

/** `iptables.Monitor` creates this empty chain in mangle, nat and filter to notice a flush. */
const CANARY = "KUBE-PROXY-CANARY";

/** iptables-save quotes a comment that contains characters the shell would split on. */
function saveComment(c: string): string {
  return /^[A-Za-z0-9_./:+-]+$/.test(c) ? c : `"${c}"`;
}

/** The rendered dump and its size. */
export interface SavedTables {
  readonly text: string;
  readonly ruleCount: number;
  readonly chainCount: number;
}

function chainOfRule(rule: string): string {
  const end = rule.indexOf(" ", 3);
  return end < 0 ? rule.slice(3) : rule.slice(3, end);
}

/**
 * The chain of each rule, as `syncProxyRules` recorded it while writing: the same strings as in the
 * chain list, so grouping a large cluster's rules does not have to cut a name out of every rule and
 * hash it again. Keyed by the rules array; a rule whose text does not start with "-A <chain> " (an
 * array edited since) is read back from its text instead.
 */
const recordedChains = new WeakMap<readonly string[], readonly string[]>();

/** Remembers which chain each of `rules` appends to (internal to syncProxyRules → iptablesSave). */
export function recordRuleChains(rules: readonly string[], chains: readonly string[]): void {
  recordedChains.set(rules, chains);
}

/** `chainOfRule(rules[i])`, from the recorded chain when it is the rule's. */
function chainOf(rules: readonly string[], recorded: readonly string[] | undefined, i: number): string {
  const rule = rules[i]!;
  const chain = recorded?.[i];
  // (A recorded chain is a kube-proxy chain name, never containing a space.)
  if (chain !== undefined && rule.startsWith(chain, 3) && (rule.length === 3 + chain.length || rule.charCodeAt(3 + chain.length) === 32)) {
    return chain;
  }
  return chainOfRule(rule);
}

/**
 * The `iptables-save` view of a node after kube-proxy's first full sync on a fresh node: the jump
 * rules it prepends to the built-in chains (each `EnsureRule(Prepend)` lands above the previous
 * one), its restore input, and the canary chains.
 *
 * @example
 * const saved = iptablesSave(syncProxyRules(state, "IPv4", {}));
 * saved.text.split("\n")[1] // ":INPUT ACCEPT [0:0]"
 */
export function iptablesSave(data: RestoreData): SavedTables {
  const tables: Array<{ name: "filter" | "nat" | "mangle"; chains: readonly string[]; rules: readonly string[] }> = [
    { name: "filter", chains: data.filterChains, rules: data.filterRules },
    { name: "nat", chains: data.natChains, rules: data.natRules },
    { name: "mangle", chains: [], rules: [] },
  ];
  const out: string[] = [];
  let ruleCount = 0;
  let chainCount = 0;
  for (const t of tables) {
    const builtins: readonly string[] = BUILTINS[t.name];
    // The jump rules: each EnsureRule(Prepend) lands above the ones before it.
    const jumpRules: string[] = [];
    const jumpChains: string[] = [];
    // One map both collects the distinct user chains and, once they are sorted, ranks every chain.
    const rank = new Map<string, number>([[CANARY, 0]]);
    for (const c of t.chains) rank.set(c, 0);
    for (const j of JUMP_CHAINS) {
      if (j.table !== t.name) continue;
      rank.set(j.dst, 0);
      const parts = [`-A ${j.src}`];
      if (j.extra) parts.push(j.extra);
      if (j.comment) parts.push(`-m comment --comment ${saveComment(j.comment)}`);
      parts.push(`-j ${j.dst}`);
      jumpRules.unshift(parts.join(" "));
      jumpChains.unshift(j.src);
    }
    // Default sort compares UTF-16 code units, which for chain names is iptables' strcmp order.
    const sorted = [...rank.keys()].sort();
    const chainTotal = builtins.length + sorted.length;
    for (let c = 0; c < builtins.length; c++) rank.set(builtins[c]!, c);
    for (let c = 0; c < sorted.length; c++) rank.set(sorted[c]!, builtins.length + c);
    // Group rules by chain in chain order, keeping each chain's own order: a counting sort, since a
    // large cluster has tens of thousands of chains.
    const rules = t.rules;
    const recorded = recordedChains.get(rules);
    const total = jumpRules.length + rules.length;
    const chainIdx = new Int32Array(total);
    const counts = new Int32Array(chainTotal + 1);
    for (let i = 0; i < total; i++) {
      const c = rank.get(i < jumpRules.length ? jumpChains[i]! : chainOf(rules, recorded, i - jumpRules.length));
      if (c === undefined) throw new Error(`rule for an undeclared chain: ${i < jumpRules.length ? jumpRules[i] : rules[i - jumpRules.length]}`);
      chainIdx[i] = c;
      counts[c + 1]!++;
    }
    for (let c = 1; c <= chainTotal; c++) counts[c]! += counts[c - 1]!;
    out.push(`*${t.name}`);
    for (const b of builtins) out.push(`:${b} ACCEPT [0:0]`);
    // Every user chain's ":NAME - [0:0]" line in one join, not one string per chain.
    if (sorted.length > 0) out.push(`:${sorted.join(" - [0:0]\n:")} - [0:0]`);
    const base = out.length;
    out.length = base + total;
    for (let i = 0; i < total; i++) out[base + counts[chainIdx[i]!]!++] = i < jumpRules.length ? jumpRules[i]! : rules[i - jumpRules.length]!;
    out.push("COMMIT");
    chainCount += chainTotal;
    ruleCount += total;
  }
  // A final "" gives the trailing newline within the one join: one flat string, not a 17 MB dump
  // with "\n" appended as a separate piece that its first reader would have to copy again.
  out.push("");
  return { text: out.join("\n"), ruleCount, chainCount };
}
