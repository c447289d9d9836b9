/**
 * `npm run sim -- firewall FILE.yaml… --from IP --to NS/SERVICE[:PORT] [--rule RULE]… [--node NAME]
 * [--gke-rules on|off] [--seed N] [--model M] [--json]`: an external client's packet to a GKE
 * LoadBalancer Service, layer by layer — the load balancer's health checks, the VPC firewall at the
 * node, kube-proxy's loadBalancerSourceRanges chains, externalTrafficPolicy, NetworkPolicy — and where
 * it is dropped, by which rule.
 */
import { readFileSync } from "node:fs";
import type { ManifestFile } from "../src/sim/kube/manifest/index";
import { parseIp } from "../src/sim/kube/manifest/ip";
import { formatFirewallRule, parseFirewallRule, type FirewallRule } from "../src/sim/kube/policy/firewall";
import { firewallTrace, firewallWrongModels, type FirewallWrongModel } from "../src/sim/kube/policy/firewall-trace";
import { loadFirewallWorld } from "../src/sim/kube/policy/firewall-world";
import { InputError } from "../src/sim/net/errors";
import { one, parseArgs, print } from "./sim-args";

function readFiles(paths: readonly string[]): ManifestFile[] {
  if (paths.length === 0) throw new InputError("", "name at least one YAML file with the LoadBalancer Service, its Pods, the Nodes (and any NetworkPolicies)");
  return paths.map((path) => {
    try {
      return { name: path, text: readFileSync(path, "utf8") };
    } catch (error) {
      throw new InputError(path, (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `cannot read it (${(error as Error).message})`);
    }
  });
}

export function firewallCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--from", "--to", "--rule", "--node", "--gke-rules", "--seed", "--model"], ["--rule"]);
  const from = one(args, "--from");
  const to = one(args, "--to");
  if (from === undefined) throw new InputError("--from", "--from IP (the external client's address) is required");
  if (to === undefined) throw new InputError("--to", "--to NS/SERVICE[:PORT] is required");
  const client = parseIp(from);
  if (client === null) throw new InputError(from, "--from takes the client's IP address, e.g. 198.51.100.7");
  const target = /^([^/\s:]+\/[^/\s:]+)(?::(\d+))?$/.exec(to);
  if (target === null) throw new InputError(to, "--to takes NS/SERVICE or NS/SERVICE:PORT (the Service's port), e.g. shop/web:443");
  const port = target[2] === undefined ? undefined : Number(target[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new InputError(to, "the port must be between 1 and 65535");
  const userRules: FirewallRule[] = (args.flags.get("--rule") ?? []).map((text) => {
    const rule = parseFirewallRule(text);
    if (typeof rule === "string") throw new InputError(text, rule);
    return rule;
  });
  const gkeText = one(args, "--gke-rules") ?? "on";
  if (gkeText !== "on" && gkeText !== "off") throw new InputError(gkeText, "--gke-rules takes on (GKE writes the Service's firewall rules, the default) or off (user-managed firewall rules)");
  const seedText = one(args, "--seed") ?? "0";
  if (!/^\d+$/.test(seedText)) throw new InputError(seedText, "--seed takes a whole number");
  const modelText = one(args, "--model");
  if (modelText !== undefined && !(firewallWrongModels as readonly string[]).includes(modelText)) {
    throw new InputError(modelText, `no such model; the models are ${firewallWrongModels.join(", ")}`);
  }
  const world = loadFirewallWorld(readFiles(args.positional));
  for (const w of world.warnings) console.error(`warning: ${w.file}:${w.line}:${w.column}: ${w.path ? `${w.path}: ` : ""}${w.message}`);
  const node = one(args, "--node");
  const result = firewallTrace({
    state: world.state, policies: world.policies, service: target[1]!, client: client.text, userRules,
    gkeRules: gkeText === "on", seed: Number(seedText), ...(port !== undefined ? { port } : {}), ...(node !== undefined ? { node } : {}),
  }, (modelText ?? null) as FirewallWrongModel | null);
  const json = {
    delivered: result.delivered,
    droppedAt: result.droppedAt,
    layers: result.layers,
    node: result.node,
    health: result.health,
    loadBalancerIp: result.loadBalancerIp,
    port: result.port,
    endpoint: result.endpoint,
    sourceSeenByPod: result.sourceSeenByPod,
    rules: result.rules.map((r) => ({ ...r, spec: formatFirewallRule(r) })),
    model: modelText ?? null,
  };
  print(args, json, () => [
    `${result.delivered ? "DELIVERED" : `DROPPED at ${result.droppedAt!.layer} by ${result.droppedAt!.rule}`}  ${client.text} -> ${target[1]} ${result.loadBalancerIp}:${result.port}/${result.protocol.toUpperCase()} via ${result.node || "no node"}`,
    ...result.layers.map((l, i) => `${i + 1}. ${l.layer.padEnd(14)} ${l.verdict.padEnd(11)} ${l.rule ?? "-"}\n   ${l.detail}`),
    "VPC firewall rules in force:",
    ...result.rules.map((r) => `  ${formatFirewallRule(r)}${r.origin === "gke" ? "  (GKE)" : ""}`),
    `  ${"implied-deny-ingress,65535,deny,0.0.0.0/0,all"}  (implied)`,
  ].join("\n"));
}
