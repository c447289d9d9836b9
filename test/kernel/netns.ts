/**
 * The real kernel as a referee: runs netns-runner.mjs inside a private network namespace
 * (`unshare -n`), where it builds a node with veth pairs, loads a ruleset with iptables-restore,
 * sends one packet per probe and reads back `iptables-save -c` and `conntrack -L`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseIptablesSave, type Walk } from "../../src/sim/netfilter";

export interface KernelProbe {
  /** Which namespace sends: the node itself, a Pod behind cbr0 (10.0.0.2), or an external client behind eth0 (203.0.113.2, .130). */
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
  restores: { ok: boolean; error: string }[];
}

const runner = fileURLToPath(new URL("./netns-runner.mjs", import.meta.url));

/**
 * Whether this process may create network namespaces: null when it can, else one line saying why
 * not. SKIP_KERNEL_TESTS=1 is checked by the caller.
 */
export function kernelUnavailable(): string | null {
  if (process.platform !== "linux") return `kernel tests need Linux (this is ${process.platform}); set SKIP_KERNEL_TESTS=1 to skip them`;
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return "kernel tests need root (unshare -n, iptables-restore); run as root or set SKIP_KERNEL_TESTS=1 to skip them";
  }
  const probe = spawnSync("unshare", ["-n", "true"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    return `kernel tests need \`unshare -n\`, which failed here (${(probe.error?.message ?? probe.stderr).trim()}); set SKIP_KERNEL_TESTS=1 to skip them`;
  }
  for (const tool of ["iptables-restore", "iptables-save", "conntrack", "nfacct", "nsenter"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `kernel tests need ${tool} (apt-get install iptables conntrack nfacct util-linux); set SKIP_KERNEL_TESTS=1 to skip them`;
  }
  return null;
}

export function runInNamespace(job: { ruleset?: string; nfacct?: string[]; probes?: KernelProbe[]; restoreOnly?: string[] }): KernelRun {
  const result = spawnSync("unshare", ["-n", process.execPath, runner], { input: JSON.stringify(job), encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`netns runner failed (${result.status}): ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as KernelRun;
}

/** Packets counted per rule, keyed "table chain index", from `iptables-save -c` (parsed by our own parser). */
export function kernelCounters(save: string): Map<string, number> {
  const ruleset = parseIptablesSave(save);
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
