/**
 * `npm run sim -- policy FILE.yaml… --from NS/POD --to NS/POD:PORT[/PROTO] [--json]`: whether one
 * connection passes the NetworkPolicies in the files — the source's egress, the destination's ingress,
 * each with the policy and rule that decided. An address instead of NS/POD stands for a peer outside
 * the cluster (matched only by ipBlock).
 */
import { readFileSync } from "node:fs";
import { parseIp } from "../src/sim/kube/manifest/ip";
import type { ManifestFile } from "../src/sim/kube/manifest/index";
import type { Protocol } from "../src/sim/kube/model";
import { policyWrongModels, type DirectionVerdict, type Endpoint, type PolicyWrongModel } from "../src/sim/kube/policy/evaluate";
import { loadPolicyCluster, type PolicyCluster } from "../src/sim/kube/policy/load";
import { policyTrace } from "../src/sim/kube/policy/trace";
import { InputError } from "../src/sim/net/errors";
import { one, parseArgs, print } from "./sim-args";

function readFiles(paths: readonly string[]): ManifestFile[] {
  if (paths.length === 0) throw new InputError("", "name at least one YAML file with the Pods and NetworkPolicies (and Namespaces for namespaceSelector labels)");
  return paths.map((path) => {
    try {
      return { name: path, text: readFileSync(path, "utf8") };
    } catch (error) {
      throw new InputError(path, (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `cannot read it (${(error as Error).message})`);
    }
  });
}

function endpoint(cluster: PolicyCluster, text: string, flag: string): Endpoint {
  const ip = parseIp(text);
  if (ip !== null) return { kind: "external", ip: ip.text };
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(text);
  if (match === null) throw new InputError(text, `${flag} takes NS/POD (a Pod in the files) or an IP address outside the cluster`);
  const pod = cluster.pods.find((p) => p.metadata.namespace === match[1] && p.metadata.name === match[2]);
  if (pod === undefined) {
    const known = cluster.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    throw new InputError(text, `no such Pod in the files (${known.length ? `they hold ${known.join(", ")}` : "they hold no Pods"})`);
  }
  return { kind: "pod", pod };
}

function destination(text: string): { target: string; port: number; protocol: Protocol } {
  const match = /^(.+):(\d+)(?:\/([A-Za-z]+))?$/.exec(text);
  if (match === null) throw new InputError(text, "--to takes NS/POD:PORT or NS/POD:PORT/PROTO (TCP, UDP or SCTP), e.g. shop/db:5432/TCP");
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new InputError(text, "the port must be between 1 and 65535");
  const protocol = (match[3] ?? "TCP").toUpperCase();
  if (protocol !== "TCP" && protocol !== "UDP" && protocol !== "SCTP") throw new InputError(text, `protocol ${match[3]} is not one NetworkPolicy knows: TCP, UDP or SCTP`);
  return { target: match[1]!.replace(/^\[(.*)\]$/, "$1"), port, protocol };
}

function line(v: DirectionVerdict): string {
  const head = v.verdict === "allowed" ? `allowed by ${v.policy} ${v.direction}[${v.rule}]`
    : v.verdict === "denied" ? `denied (isolated by ${v.selectedBy.join(", ")}; no rule allows it)`
      : v.verdict === "not-isolated" ? "allowed (not isolated: no policy selects it)" : "allowed (not governed by NetworkPolicy)";
  return `${v.direction.padEnd(7)} ${v.endpoint}: ${head}`;
}

export function policyCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--from", "--to", "--model"]);
  const from = one(args, "--from");
  const to = one(args, "--to");
  if (from === undefined) throw new InputError("--from", "--from NS/POD is required");
  if (to === undefined) throw new InputError("--to", "--to NS/POD:PORT[/PROTO] is required");
  const modelText = one(args, "--model");
  if (modelText !== undefined && !(policyWrongModels as readonly string[]).includes(modelText)) {
    throw new InputError(modelText, `no such model; the models are ${policyWrongModels.join(", ")}`);
  }
  const dest = destination(to);
  const cluster = loadPolicyCluster(readFiles(args.positional));
  for (const w of cluster.warnings) console.error(`warning: ${w.file}:${w.line}:${w.column}: ${w.path ? `${w.path}: ` : ""}${w.message}`);
  const conn = { from: endpoint(cluster, from, "--from"), to: endpoint(cluster, dest.target, "--to"), port: dest.port, protocol: dest.protocol };
  const { verdict, trace } = policyTrace(cluster, conn, (modelText ?? null) as PolicyWrongModel | null);
  const direction = (v: DirectionVerdict) => ({ endpoint: v.endpoint, verdict: v.verdict, allowed: v.allowed, policy: v.policy, rule: v.rule, selectedBy: v.selectedBy, reason: v.reason, checks: v.checks });
  print(args, { allowed: verdict.allowed, egress: direction(verdict.egress), ingress: direction(verdict.ingress), outcome: trace.outcome, model: modelText ?? null }, () => [
    `${verdict.allowed ? "ALLOWED" : "DENIED"}  ${verdict.egress.endpoint} -> ${verdict.ingress.endpoint}:${dest.port}/${dest.protocol}`,
    line(verdict.egress),
    ...verdict.egress.checks.map((c) => `          ${c.matched ? "+" : "-"} ${c.detail}`),
    line(verdict.ingress),
    ...verdict.ingress.checks.map((c) => `          ${c.matched ? "+" : "-"} ${c.detail}`),
    trace.outcome.summary,
  ].join("\n"));
}
