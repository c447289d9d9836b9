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

/** Where a dump is written, line by line. */
export interface LineSink {
  line(text: string): void;
}

/** One table of a restore input, as `iptables-save` reads it back. */
export interface SaveTable<W extends LineSink = LineSink> {
  /** The user chains the input declares (any order; a repeated name is one chain). */
  readonly chains: readonly string[];
  /**
   * Writes the rules of a chain to `out` in order, returning how many: `chains[index]`, or (index
   * -1) a built-in chain, a jump target or the canary chain. Called in listing order, once for each
   * index of `chains` and once for each other chain.
   */
  readonly writeChain: (chain: string, index: number, out: W) => number;
  /** A rule written for a chain that is neither declared nor built in, if any. */
  readonly leftover: () => string | undefined;
}

function chainOfRule(rule: string): string {
  const end = rule.indexOf(" ", 3);
  return end < 0 ? rule.slice(3) : rule.slice(3, end);
}

/** A restore input's table (its rules in write order) as a `SaveTable`: rules grouped by chain. */
function restoreTable(chains: readonly string[], rules: readonly string[]): SaveTable {
  const groups = new Map<string, string[]>();
  for (const rule of rules) {
    const chain = chainOfRule(rule);
    const group = groups.get(chain);
    if (group) group.push(rule);
    else groups.set(chain, [rule]);
  }
  return {
    chains,
    writeChain(chain, _index, out) {
      // A chain declared twice is listed once, with all its rules.
      const group = groups.get(chain);
      if (!group) return 0;
      groups.delete(chain);
      for (const rule of group) out.line(rule);
      return group.length;
    },
    leftover: () => groups.values().next().value?.[0],
  };
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
  const lines: string[] = [];
  const sizes = saveTables({ line: (text) => void lines.push(text) }, restoreTable(data.filterChains, data.filterRules), restoreTable(data.natChains, data.natRules));
  // A final "" gives the trailing newline within the one join.
  lines.push("");
  return { text: lines.join("\n"), ...sizes };
}

const NO_TABLE: SaveTable<LineSink> = { chains: [], writeChain: () => 0, leftover: () => undefined };

/**
 * Writes the dump of `filter` and `nat` (and kube-proxy's canary in mangle) to `out`, line by line,
 * each table's chains in iptables-save's order.
 */
export function saveTables<W extends LineSink>(out: W, filter: SaveTable<W>, nat: SaveTable<W>): Omit<SavedTables, "text"> {
  const tables: Array<{ name: "filter" | "nat" | "mangle"; table: SaveTable<W> }> = [
    { name: "filter", table: filter },
    { name: "nat", table: nat },
    { name: "mangle", table: NO_TABLE },
  ];
  let ruleCount = 0;
  let chainCount = 0;
  for (const { name, table: t } of tables) {
    const builtins: readonly string[] = BUILTINS[name];
    // The jump rules, by built-in chain: each EnsureRule(Prepend) lands above the ones before it.
    const jumpRules = new Map<string, string[]>();
    // Every user chain: declared by the input, a jump target, or the canary.
    const names: string[] = [CANARY];
    const sources: number[] = [-1];
    for (let i = 0; i < t.chains.length; i++) {
      names.push(t.chains[i]!);
      sources.push(i);
    }
    for (const j of JUMP_CHAINS) {
      if (j.table !== name) continue;
      names.push(j.dst);
      sources.push(-1);
      const parts = [`-A ${j.src}`];
      if (j.extra) parts.push(j.extra);
      if (j.comment) parts.push(`-m comment --comment ${saveComment(j.comment)}`);
      parts.push(`-j ${j.dst}`);
      const list = jumpRules.get(j.src);
      if (list) list.unshift(parts.join(" "));
      else jumpRules.set(j.src, [parts.join(" ")]);
    }
    const order = sortedOrder(names);
    // Every kube-proxy chain starts "KUBE-", which no built-in chain does.
    const isBuiltin = (chain: string) => !chain.startsWith("KUBE-") && builtins.includes(chain);
    const sorted: string[] = [];
    for (let k = 0; k < order.length; k++) {
      const chain = names[order[k]!]!;
      if (chain !== sorted[sorted.length - 1] && !isBuiltin(chain)) sorted.push(chain);
    }
    out.line(`*${name}`);
    for (const b of builtins) out.line(`:${b} ACCEPT [0:0]`);
    // The user chains' ":NAME - [0:0]" lines a few hundred to a string, not one string each.
    for (let k = 0; k < sorted.length; k += 512) out.line(`:${sorted.slice(k, k + 512).join(" - [0:0]\n:")} - [0:0]`);
    for (const b of builtins) {
      const jumps = jumpRules.get(b) ?? [];
      for (const r of jumps) out.line(r);
      ruleCount += jumps.length + t.writeChain(b, -1, out);
    }
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const chain = names[i]!;
      if (!isBuiltin(chain)) ruleCount += t.writeChain(chain, sources[i]!, out);
    }
    const stray = t.leftover();
    if (stray !== undefined) throw new Error(`rule for an undeclared chain: ${stray}`);
    out.line("COMMIT");
    chainCount += builtins.length + sorted.length;
  }
  return { ruleCount, chainCount };
}

/**
 * The indices of `names` in name order (UTF-16 code units, which for chain names is iptables'
 * strcmp order), equal names in index order.
 *
 * A large cluster has 60,000 chain names, made one by one and spread over the heap: a comparison
 * sort reads two of them a million times. Instead each name's characters after the prefix all share
 * are copied once into one byte matrix, which a least-significant-character radix sort (stable)
 * then orders without touching the strings again. Names that do not fit it (a character beyond
 * 254, or very long) are sorted by comparison.
 *
 * @example sortedOrder(["KUBE-SVC-B", "KUBE-SEP-A", "KUBE-SVC-B"]) // [1, 0, 2]
 */
export function sortedOrder(names: readonly string[]): Int32Array {
  const n = names.length;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;
  // The prefix every name shares, and the longest rest.
  const head = names[0]!;
  let prefix = head.length;
  let longest = 0;
  for (let i = 0; i < n; i++) {
    const name = names[i]!;
    let j = 0;
    while (j < prefix && j < name.length && name.charCodeAt(j) === head.charCodeAt(j)) j++;
    prefix = j;
    longest = Math.max(longest, name.length);
  }
  const width = longest - prefix;
  if (width > 64) return byComparison(names, order);
  // Row i holds names[i]'s characters after the prefix, each plus one; 0 past its end, which sorts
  // a name before any longer name it begins.
  const rows = new Uint8Array(n * width);
  for (let i = 0; i < n; i++) {
    const name = names[i]!;
    for (let j = prefix; j < name.length; j++) {
      const c = name.charCodeAt(j);
      if (c >= 255) return byComparison(names, order);
      rows[i * width + j - prefix] = c + 1;
    }
  }
  let next = new Int32Array(n);
  const counts = new Int32Array(257);
  for (let column = width - 1; column >= 0; column--) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rows[i * width + column]! + 1]!++;
    // A column where every name has the same character orders nothing.
    if (counts.includes(n)) continue;
    for (let c = 1; c <= 256; c++) counts[c]! += counts[c - 1]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[counts[rows[i * width + column]!]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

function byComparison(names: readonly string[], order: Int32Array): Int32Array {
  return order.sort((a, b) => {
    const x = names[a]!;
    const y = names[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
}
