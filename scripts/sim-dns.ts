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
import { formatProblem, loadManifests, type ManifestProblem } from "../src/sim/kube/manifest/index";
import { EXAMPLE_DNS_CLUSTER, EXAMPLE_KUBE_DNS_IP } from "../src/sim/kube/dns/example";
import { clusterRecords, formatRecord, type DnsCluster, type DnsProvider } from "../src/sim/kube/dns/records";
import { DNS_POLICIES, formatResolvConf, podResolvConf, type DnsPolicy } from "../src/sim/kube/dns/resolv-conf";
import { resolveName } from "../src/sim/kube/dns/resolve";
import { isDns1123Label } from "../src/sim/kube/manifest/formats";

function choose<T extends string>(flag: string, text: string | undefined, values: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(values as readonly string[]).includes(text)) throw new InputError(`${flag} ${text}`, `choose one of ${values.join(", ")}`);
  return text as T;
}

/**
 * `dns [--setup proxied|dns-only|cloud-dns] [--cache cold|warm|hot] [--qmin on|off] [--model NAME] [--json]`;
 * `dns records FILE.yaml… [--json]` and `dns NAME --namespace NS …` go to the cluster-DNS model
 * (below): a first argument that is not a flag.
 */
export function dnsCommand(argv: readonly string[]): void {
  const first = argv[0];
  if (first !== undefined && !first.startsWith("--")) {
    if (first === "records") return clusterDnsRecordsCommand(argv.slice(1));
    return clusterDnsNameCommand(argv);
  }
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

// ---- cluster DNS (src/sim/kube/dns) ----

function loadCluster(files: readonly string[]): { cluster: DnsCluster; warnings: readonly ManifestProblem[] } {
  const { state, warnings } = loadManifests(files.map((name) => ({ name, text: readText(name, "a Kubernetes manifest") })), { needNode: false });
  return { cluster: state, warnings };
}

const PROVIDERS: readonly DnsProvider[] = ["kube-dns", "cloud-dns"];

/** `dns records FILE.yaml… [--provider kube-dns|cloud-dns] [--zone DOMAIN] [--json]`: every record the cluster DNS serves. */
export function clusterDnsRecordsCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--provider", "--zone"]);
  if (args.positional.length === 0) throw new InputError("dns records", "give the manifests: dns records FILE.yaml…");
  const provider = choose<DnsProvider>("--provider", one(args, "--provider"), PROVIDERS, "kube-dns");
  const zone = one(args, "--zone") ?? "cluster.local";
  const { cluster, warnings } = loadCluster(args.positional);
  const result = clusterRecords(cluster, { provider, zone });
  print(args, { ...result, warnings: warnings.map(formatProblem) }, () =>
    [";; ANSWER SECTION (every record served):", ...result.records.map(formatRecord), "", ...result.notes.map((n) => `;; ${n}`), ...warnings.map((w) => `;; warning: ${formatProblem(w)}`)].join("\n"));
}

/**
 * `dns NAME --namespace NS [--ndots N] [--search DOMAIN,…] [--dns-policy P] [--cluster FILE.yaml]… [--json]`: the
 * queries glibc sends from a Pod in NS, in order, against the example cluster (or the given manifests).
 */
export function clusterDnsNameCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--namespace", "--ndots", "--search", "--dns-policy", "--cluster", "--provider"], ["--cluster"]);
  if (args.positional.length !== 1) throw new InputError(args.positional.slice(1).join(" ") || "dns", "give one name: dns NAME --namespace NS");
  const name = args.positional[0]!;
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith(".") || name.includes("..")) throw new InputError(name, "not a DNS name (letters, digits, hyphens, underscores, dots between labels)");
  const namespace = one(args, "--namespace");
  if (namespace === undefined) throw new InputError("--namespace", "give the Pod's namespace: --namespace NS");
  const nsProblems = isDns1123Label(namespace);
  if (nsProblems.length) throw new InputError(`--namespace ${namespace}`, nsProblems[0]!);
  const policy = choose<DnsPolicy>("--dns-policy", one(args, "--dns-policy"), DNS_POLICIES, "ClusterFirst");
  const provider = choose<DnsProvider>("--provider", one(args, "--provider"), PROVIDERS, "kube-dns");
  const conf = podResolvConf({ namespace, dnsPolicy: policy, kubeDnsIp: EXAMPLE_KUBE_DNS_IP, nameserver: provider === "cloud-dns" ? "cloud-dns" : "kube-dns" });
  const ndotsText = one(args, "--ndots");
  let ndots = conf.ndots;
  if (ndotsText !== undefined) {
    if (!/^\d+$/.test(ndotsText) || Number(ndotsText) > 15) throw new InputError(`--ndots ${ndotsText}`, "ndots is a whole number from 0 to 15 (glibc caps it at 15)");
    ndots = Number(ndotsText);
  }
  const searchText = one(args, "--search");
  const search = searchText === undefined ? conf.search : searchText.split(",").map((d) => d.trim()).filter((d) => d !== "");
  for (const d of search) if (!/^[A-Za-z0-9_.-]+$/.test(d)) throw new InputError(`--search ${d}`, "not a domain name");
  const files = args.flags.get("--cluster") ?? [];
  const zone = clusterRecords(files.length ? loadCluster(files).cluster : EXAMPLE_DNS_CLUSTER, { provider });
  const resolution = resolveName(zone, name, ndots, search);
  const json = { name, namespace, ndots, search, resolvConf: formatResolvConf({ ...conf, search }), queries: resolution.queries, steps: resolution.steps, outcome: resolution.outcome, notResent: resolution.candidates.slice(resolution.queries.length) };
  print(args, json, () => {
    const out = [`# /etc/resolv.conf of a Pod in ${namespace} (dnsPolicy ${conf.effectivePolicy}${ndotsText !== undefined || searchText !== undefined ? ", overridden by the flags" : ""})`, ...formatResolvConf({ ...conf, search, options: [`ndots:${ndots}`] }).split("\n"), ""];
    const dots = [...name].filter((c) => c === ".").length;
    out.push(`${name}: ${dots} dot${dots === 1 ? "" : "s"}${name.endsWith(".") ? " (trailing dot: absolute, no search)" : dots >= ndots ? ` ≥ ndots ${ndots}: tried as is first` : ` < ndots ${ndots}: search domains first, then as is`}`, "");
    for (const step of resolution.steps) {
      const show = (a: typeof step.a): string => `${a.type.padEnd(4)} ${a.rcode}${a.answers.length ? ` ${a.answers.map((r) => `${r.type} ${r.data}`).join(", ")}` : a.rcode === "NOERROR" ? " (no data)" : ""}`;
      out.push(`${step.id}  ${step.name}  [${step.via}]`, `    ${show(step.a)}`, `    ${show(step.aaaa)}`);
      out.push(step.result === "answer" ? "    → answer: stop" : `    → ${step.result.toUpperCase()}: next name`);
    }
    out.push("", resolution.outcome.found ? `resolved ${resolution.outcome.name} → ${resolution.outcome.addresses.join(", ")} after ${resolution.queries.length} name${resolution.queries.length === 1 ? "" : "s"} (${resolution.queries.length * 2} queries: A and AAAA in parallel)` : `not found: every candidate failed (getaddrinfo returns EAI_NONAME) after ${resolution.queries.length * 2} queries`);
    return out.join("\n");
  });
}
