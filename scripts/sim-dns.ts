/**
 * `npm run sim -- dns …`: the recursive resolution of the flagship's name, query by query, in `dig`
 * sections (src/sim/edge/dns-chain.ts), and `npm run sim -- static-ip …`: the static-IP linter over
 * an Ingress and the Terraform that reserves its address (src/sim/edge/static-ip.ts).
 */
import { readFileSync, statSync } from "node:fs";
import { InputError } from "../src/sim/net/errors";
import { DNS_MODELS, DNS_SETUPS, formatDnsChain, isDnsModel, RESOLVER_CACHES, resolveDnsChain, type DnsSetup, type ResolverCache } from "../src/sim/edge/dns-chain";
import { isStaticIpModel, lintStaticIp, STATIC_IP_MODELS, type StaticIpLint } from "../src/sim/edge/static-ip";
import { one, parseArgs, print } from "./sim-args";

function choose<T extends string>(flag: string, text: string | undefined, values: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(values as readonly string[]).includes(text)) throw new InputError(`${flag} ${text}`, `choose one of ${values.join(", ")}`);
  return text as T;
}

/** `dns [--setup proxied|dns-only|cloud-dns] [--cache cold|warm|hot] [--qmin on|off] [--model NAME] [--json]` */
export function dnsCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--setup", "--cache", "--qmin", "--model"]);
  if (args.positional.length > 0) throw new InputError(args.positional[0]!, "dns takes no positional arguments; the name resolved is the flagship's, www.example.com");
  const setup = choose<DnsSetup>("--setup", one(args, "--setup"), DNS_SETUPS, "proxied");
  const cache = choose<ResolverCache>("--cache", one(args, "--cache"), RESOLVER_CACHES, "cold");
  const qmin = choose("--qmin", one(args, "--qmin"), ["on", "off"] as const, "on");
  const modelText = one(args, "--model");
  if (modelText !== undefined && !isDnsModel(modelText)) throw new InputError(`--model ${modelText}`, `the models are ${Object.keys(DNS_MODELS).join(", ")}`);
  const chain = resolveDnsChain({ setup, cache, qnameMinimisation: qmin === "on" }, modelText ?? null);
  print(args, chain, () => formatDnsChain(chain));
}

function readText(file: string, what: string): string {
  try {
    if (statSync(file).isDirectory()) throw new InputError(file, `is a directory; give ${what}`);
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(file, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})`);
  }
}

export function formatStaticIpLint(lint: StaticIpLint, files: { ingress: string; terraform: string }): string {
  const out: string[] = [];
  for (const i of lint.ingresses) {
    out.push(`Ingress ${i.namespace}/${i.name} (${i.kind}): ${i.outcome} — ADDRESS: ${i.address}`);
    if (i.event) out.push(`  kubectl describe ingress ${i.name}: ${i.event}`);
  }
  out.push("");
  for (const f of lint.findings) {
    out.push(`${f.source === "ingress" ? files.ingress : files.terraform}:${f.line}: ${f.severity}: ${f.title}`);
    out.push(`  ${f.detail}`);
    if (f.fix) out.push("  fix:", ...f.fix.split("\n").map((l) => `    ${l}`));
  }
  return out.join("\n").trimEnd();
}

/** `static-ip --ingress FILE.yaml --terraform FILE.tf [--model NAME] [--json]`; exit 1 when a finding is an error. */
export function staticIpCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--ingress", "--terraform", "--model"]);
  if (args.positional.length > 0) throw new InputError(args.positional[0]!, "give the files with --ingress FILE.yaml and --terraform FILE.tf");
  const ingressFile = one(args, "--ingress");
  const terraformFile = one(args, "--terraform");
  if (!ingressFile) throw new InputError("--ingress", "give the Ingress manifest: --ingress FILE.yaml");
  if (!terraformFile) throw new InputError("--terraform", "give the Terraform that reserves the address: --terraform FILE.tf");
  const modelText = one(args, "--model");
  if (modelText !== undefined && !isStaticIpModel(modelText)) throw new InputError(`--model ${modelText}`, `the models are ${Object.keys(STATIC_IP_MODELS).join(", ")}`);
  const lint = lintStaticIp({ ingressYaml: readText(ingressFile, "an Ingress manifest"), terraform: readText(terraformFile, "a Terraform file") }, modelText ?? null);
  const firstError = lint.errors.ingress[0] ? { file: ingressFile, ...lint.errors.ingress[0] } : lint.errors.terraform[0] ? { file: terraformFile, ...lint.errors.terraform[0] } : null;
  if (firstError) throw new InputError(`${firstError.file}:${firstError.line}`, firstError.message);
  print(args, lint, () => formatStaticIpLint(lint, { ingress: ingressFile, terraform: terraformFile }));
  if (lint.findings.some((f) => f.severity === "error")) process.exitCode = 1;
}
