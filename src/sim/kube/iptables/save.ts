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
    const userChains = new Set<string>([CANARY, ...t.chains]);
    for (const j of JUMP_CHAINS) {
      if (j.table !== t.name) continue;
      userChains.add(j.dst);
      const parts = [`-A ${j.src}`];
      if (j.extra) parts.push(j.extra);
      if (j.comment) parts.push(`-m comment --comment ${saveComment(j.comment)}`);
      parts.push(`-j ${j.dst}`);
      jumpRules.unshift(parts.join(" "));
      jumpChains.unshift(j.src);
    }
    // Default sort compares UTF-16 code units, which for chain names is iptables' strcmp order.
    const order = [...builtins, ...[...userChains].sort()];
    const rank = new Map<string, number>();
    order.forEach((c, i) => rank.set(c, i));
    // Group rules by chain in chain order, keeping each chain's own order: a counting sort, since a
    // large cluster has tens of thousands of chains.
    const all = [...jumpRules, ...t.rules];
    const chainIdx = new Int32Array(all.length);
    const counts = new Int32Array(order.length + 1);
    for (let i = 0; i < all.length; i++) {
      const c = rank.get(i < jumpRules.length ? jumpChains[i]! : chainOfRule(all[i]!));
      if (c === undefined) throw new Error(`rule for an undeclared chain: ${all[i]}`);
      chainIdx[i] = c;
      counts[c + 1]!++;
    }
    for (let c = 1; c <= order.length; c++) counts[c]! += counts[c - 1]!;
    const grouped = new Array<string>(all.length);
    for (let i = 0; i < all.length; i++) grouped[counts[chainIdx[i]!]!++] = all[i]!;
    out.push(`*${t.name}`);
    for (const b of builtins) out.push(`:${b} ACCEPT [0:0]`);
    for (let c = builtins.length; c < order.length; c++) out.push(`:${order[c]} - [0:0]`);
    for (const r of grouped) out.push(r);
    out.push("COMMIT");
    chainCount += order.length;
    ruleCount += grouped.length;
  }
  return { text: out.join("\n") + "\n", ruleCount, chainCount };
}
