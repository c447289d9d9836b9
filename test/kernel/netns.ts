/**
 * The real kernel as a referee: runs netns-runner.mjs inside a private network namespace
 * (`unshare -n`), where it builds a node with veth pairs, loads a ruleset with iptables-restore,
 * sends one packet per probe and reads back `iptables-save -c` and `conntrack -L`. For IPv6
 * (`family: "IPv6"`) the same runner builds an IPv6 node and uses ip6tables-restore,
 * ip6tables-save -c and `conntrack -L -f ipv6`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { formatConntrack, formatHostPort, parseIptablesSave, type Family, type Walk } from "../../src/sim/netfilter";

export interface KernelProbe {
  /**
   * Which namespace sends: the node itself, a Pod behind cbr0 (10.0.0.2; IPv6 fd00:10:244::2), or an
   * external client behind eth0 (203.0.113.2, .130; IPv6 2001:db8::2, ::82).
   */
  from: "node" | "pod" | "ext";
  protocol: "tcp" | "udp";
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

export interface KernelRun {
  restoreError: string | null;
  probes: { save: string; conntrack: string[] }[];
  /** restoreOnly: whether iptables-restore accepted each ruleset, and `iptables-save` right after. */
  restores: { ok: boolean; error: string; saved: string }[];
  /** IPv6 runs: whether the counters went quiet (the setup's MLD reports sent) before the probes. */
  quiet?: boolean | null;
}

const runner = fileURLToPath(new URL("./netns-runner.mjs", import.meta.url));

/**
 * Whether this process may create network namespaces: null when it can, else one line saying why
 * not. SKIP_KERNEL_TESTS=1 is checked by the caller.
 */
export function kernelUnavailable(family: Family = "IPv4"): string | null {
  if (process.platform !== "linux") return `kernel tests need Linux (this is ${process.platform}); set SKIP_KERNEL_TESTS=1 to skip them`;
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return "kernel tests need root (unshare -n, iptables-restore); run as root or set SKIP_KERNEL_TESTS=1 to skip them";
  }
  const probe = spawnSync("unshare", ["-n", "true"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    return `kernel tests need \`unshare -n\`, which failed here (${(probe.error?.message ?? probe.stderr).trim()}); set SKIP_KERNEL_TESTS=1 to skip them`;
  }
  const tools = ["iptables-restore", "iptables-save", "conntrack", "nfacct", "nsenter", ...(family === "IPv6" ? ["ip6tables", "ip6tables-restore", "ip6tables-save"] : [])];
  for (const tool of tools) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `kernel tests need ${tool} (apt-get install iptables conntrack nfacct util-linux); set SKIP_KERNEL_TESTS=1 to skip them`;
  }
  if (family === "IPv6") {
    // A kernel built without IPv6, or without ip6tables' nat table, cannot referee these rules.
    const nat = spawnSync("unshare", ["-n", "ip6tables", "-t", "nat", "-L", "-n"], { encoding: "utf8" });
    if (nat.status !== 0) return `IPv6 kernel tests need ip6tables' nat table, which this kernel refuses (${(nat.stderr ?? "").trim()}); set SKIP_KERNEL_TESTS=1 to skip them`;
  }
  return null;
}

export function runInNamespace(job: { ruleset?: string; nfacct?: string[]; probes?: KernelProbe[]; restoreOnly?: string[] }, family: Family = "IPv4"): KernelRun {
  const result = spawnSync("unshare", ["-n", process.execPath, runner], { input: JSON.stringify({ ...job, family }), encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`netns runner failed (${result.status}): ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as KernelRun;
}

/** Packets counted per rule, keyed "table chain index", from `iptables-save -c` / `ip6tables-save -c` (parsed by our own parser). */
export function kernelCounters(save: string, family: Family = "IPv4"): Map<string, number> {
  const ruleset = parseIptablesSave(save, family);
  const counts = new Map<string, number>();
  for (const table of Object.values(ruleset.tables)) {
    for (const chain of table.chains.values()) for (const rule of chain.rules) counts.set(`${rule.table} ${rule.chain} ${rule.index}`, rule.counters?.packets ?? 0);
  }
  return counts;
}

export function walkCounters(walk: Walk): Map<string, number> {
  const counts = new Map<string, number>();
  for (const step of walk.steps) {
    if (step.kind === "rule" && step.matched) {
      const key = `${step.table} ${step.chain} ${step.index}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

export const normalizeConntrack = (line: string) => line.replace(/^(\S+\s+\d+) \d+ /, "$1 <timeout> ").replace(/ use=\d+$/, "");

/**
 * The seed whose walk picks the endpoint the kernel's (unseeded) statistic draw picked, read from the
 * reply tuple of the kernel's conntrack entry; fails unless that endpoint is one of the walk's candidates.
 */
export function seedMatchingKernel(conntrack: readonly string[], walkWithSeed: (seed: number) => Walk): number {
  const reply = /\[UNREPLIED\] src=(\S+) dst=\S+ sport=(\d+)/.exec(conntrack[0] ?? "");
  expect(reply, "the kernel made a conntrack entry").not.toBeNull();
  const chosen = formatHostPort(reply![1]!, Number(reply![2]));
  expect(walkWithSeed(1).candidates).toContain(chosen);
  const seed = Array.from({ length: 64 }, (_, i) => i + 1).find((s) => walkWithSeed(s).chosen === chosen);
  expect(seed, `a seed whose walk picks ${chosen}`).toBeDefined();
  return seed!;
}

/**
 * The comparison both kernel suites make for one probe:
 * - nat counters exactly (nat rules see only a connection's first packet); raw/mangle/filter exactly
 *   when nothing answers the probe, and at least the walk's matches when the node itself answers
 *   (its RST or ICMP error passes OUTPUT too);
 * - the conntrack entry as `conntrack -L` prints it, but for the timeout and use=; after MASQUERADE
 *   --random-fully the kernel draws the new source port from its own PRNG, so that port is "any".
 */
export function expectKernelAgrees(walk: Walk, kernel: { save: string; conntrack: readonly string[] }, protocol: "tcp" | "udp", family: Family = "IPv4"): void {
  const counted = kernelCounters(kernel.save, family);
  const matched = walkCounters(walk);
  const answered = walk.delivery?.kind === "local" || walk.verdict === "REJECT";
  for (const [key, packets] of counted) {
    const expected = matched.get(key) ?? 0;
    if (key.startsWith("nat ") || !answered) expect(`${key}: ${packets}`).toBe(`${key}: ${expected}`);
    else if (expected > 0) expect(packets, key).toBeGreaterThanOrEqual(expected);
  }
  for (const key of matched.keys()) expect(counted.has(key), `kernel has rule ${key}`).toBe(true);

  if (walk.conntrack === null) expect(kernel.conntrack).toEqual([]);
  // Nothing listens in the namespace, so the node answers a SYN delivered locally with a RST, and
  // conntrack kills a connection that was never assured when that RST passes (tcp_packet in
  // nf_conntrack_proto_tcp.c): the walker's SYN_SENT entry lived only until then.
  else if (walk.delivery?.kind === "local" && protocol === "tcp") expect(kernel.conntrack).toEqual([]);
  else {
    const randomFully = walk.steps.some((s) => s.kind === "rule" && s.matched && /MASQUERADE.*--random-fully/.test(s.text));
    const comparable = (line: string) => {
      const normal = normalizeConntrack(line);
      return randomFully ? normal.replace(/(\[UNREPLIED\] .* dport=)\d+/, "$1<random-fully>") : normal;
    };
    const ours = comparable(formatConntrack(walk.conntrack));
    expect(kernel.conntrack.map(comparable), `walker: ${ours}\nkernel: ${kernel.conntrack.join(" | ")}`).toContain(ours);
  }
}
