import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { HostContext } from "../../../src/sim/netfilter";

/** Reads a fixture from test/sim/netfilter/fixtures. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8");
}

/**
 * Adds kube-proxy's built-in chain jumps (kube-proxy-jump-chains.iptables-save) to a restore dump:
 * for each table, the built-in chain declarations go right after `*table` and the jump rules right
 * before its COMMIT, where every user chain they name has been declared — the state a node is in
 * after kube-proxy's EnsureRule calls and its iptables-restore.
 */
export function withJumpChains(dump: string, jumps = fixture("kube-proxy-jump-chains.iptables-save")): string {
  const sections = new Map<string, { chains: string[]; rules: string[] }>();
  let table = "";
  for (const line of jumps.split("\n")) {
    if (line.startsWith("*")) sections.set((table = line.slice(1)), { chains: [], rules: [] });
    else if (line.startsWith(":")) sections.get(table)!.chains.push(line);
    else if (line.startsWith("-A")) sections.get(table)!.rules.push(line);
  }
  const out: string[] = [];
  for (const line of dump.split("\n")) {
    if (line === "COMMIT" && sections.has(table)) out.push(...sections.get(table)!.rules);
    out.push(line);
    if (line.startsWith("*")) {
      table = line.slice(1);
      out.push(...(sections.get(table)?.chains ?? []));
    }
  }
  return out.join("\n");
}

/**
 * The node of kube-proxy's NewFakeProxier conventions (proxier_test.go): node IPs 192.168.0.2,
 * 192.168.1.2 and external IP 192.168.99.11 on eth0, Pods in 10.0.0.0/8 behind cbr0, 127.0.0.1 on lo.
 */
export const fakeProxierNode: HostContext = {
  localAddresses: ["192.168.0.2", "192.168.1.2", "192.168.99.11"],
  interfaces: [
    { name: "lo", addresses: ["127.0.0.1/8"] },
    { name: "eth0", addresses: ["192.168.0.2/24", "192.168.1.2/24", "192.168.99.11/24"] },
    { name: "cbr0", addresses: ["10.0.0.1/8"] },
  ],
  routes: [
    { dst: "10.0.0.0/8", dev: "cbr0", src: "10.0.0.1" },
    { dst: "192.168.0.0/24", dev: "eth0", src: "192.168.0.2" },
    { dst: "192.168.1.0/24", dev: "eth0", src: "192.168.1.2" },
    { dst: "192.168.99.0/24", dev: "eth0", src: "192.168.99.11" },
    { dst: "0.0.0.0/0", dev: "eth0", src: "192.168.0.2" },
  ],
};
