/**
 * npm run sim -- <command> … — the one command line over the simulator. Its commands, flags and JSON
 * fields are a public contract: tools and tests rely on them. Bad input exits 2 with a message that
 * names the input; `--json` is accepted by every command.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { computeTrace, formatTraceText, getScenario, InputError, parseSeed, SCENARIOS, toCoreTrace } from "../src/sim/index";
import { getKubeScenario, KUBE_SCENARIOS, kubeProxyRules, kubeProxyTrace, formatKubeProxyWalk, runKubeScenario, type ProxyMode } from "../src/sim/kube/index";
import { formatCoreTrace } from "../src/sim/core/format";
import { ManifestError, type ManifestFile } from "../src/sim/kube/manifest/index";
import { capturePackets, traceToPcapng } from "../src/sim/pcap/index";
import type { Trace as CoreTrace } from "../src/sim/core/trace";
import { quizCommand } from "./sim-quiz";
import { BGP_HELP, bgpCommand } from "./sim-bgp";
import { compareCommand } from "./sim-compare";
import { dnsCommand, staticIpCommand } from "./sim-dns";
import { maglevCommand } from "./sim-maglev";
import { rovCommand } from "./sim-rov";
import { certCommand } from "./sim-cert";
import { acmeCommand } from "./sim-acme";
import { CLOUDFLARE_SSL_HELP, cloudflareSslCommand } from "./sim-cloudflare-ssl";
import { routeCommand } from "./sim-route";
import { policyCommand } from "./sim-policy";
import { planCommand, mtuCommand } from "./sim-plan";
import { cniCommand } from "./sim-cni";
import { natCommand } from "./sim-nat";
import { firewallCommand } from "./sim-firewall";
import { one, parseArgs, print, type Args } from "./sim-args";

const HELP = `usage: npm run sim -- <command> [options]

commands:
  trace <scenario> [--set key=value …] [--seed N] [--model NAME] [--core] [--json]
        a scenario's trace, hop by hop (\`npm run trace\` is the same command); --core prints it in the
        simulation core's form (stages, steps with stable ids, decision tables, outcome); --model traces
        it under a named misconception (tls-at-pod, separate-lb-box, kube-proxy-on-neg-path,
        reply-retraces-all, cloud-nat-inbound, encap-free) to compare with the real behaviour
  trace <in-cluster scenario> [--preset NAME] [--file FILE.yaml] [--seed N] [--model NAME] [--json]
        an in-cluster journey: the preset's manifests, or your own in FILE.yaml; --model traces it
        under a named misconception (no-conntrack, nodeport-keeps-client) to compare with the real behaviour
  trace <any scenario> … --pcap FILE [--from STEP] [--to STEP]
        also writes the trace's packets to FILE as pcapng for Wireshark: each step's output packet
        (addresses, ports, TTLs, GRE/GUE/Geneve/VXLAN, TCP sequence numbers, HTTP in clear, TLS
        records), a comment naming the step; --from/--to keep the steps between two step ids
  trace --list
        scenarios, their parameters and allowed values
  kube-proxy rules FILE.yaml… [--mode iptables|ipvs] [--json]
        the node's rules as kube-proxy writes them: iptables-save (filter and nat), or ipvsadm -Ln,
        ipset save and the rules IPVS mode keeps (with IPv6, the KUBE-6-* sets and ip6tables rules too)
  kube-proxy trace FILE.yaml… --src IP --dst IP:PORT [--proto tcp|udp|sctp] [--mode iptables|ipvs|ebpf] [--seed N] [--json]
        one packet's walk through the node's rules: verdict, every candidate endpoint, the seeded choice,
        whether it is masqueraded, and each rule evaluated; an IPv6 packet (--src fd00:10:244::5
        --dst '[fd00:10:96::a]:80', the address in brackets) walks the node's ip6tables rules, and in
        ipvs or ebpf mode the IPv6 virtual servers or the lb6 service map
  maglev --backends NAME,NAME,… [--size M] [--remove NAME,…] [--flow TEXT] [--json]
        Maglev's lookup table (NSDI 2016 §3.4): slot by slot (summarised past 64 slots; whole in
        --json as { size, backends, table }), entries per backend, the slots that move when the
        --remove'd backends leave, and the backend a flow key lands on. M is prime, default 65537.
  dns [--setup proxied|dns-only|cloud-dns] [--cache cold|warm|hot] [--qmin on|off] [--model NAME] [--json]
        a recursive resolver's lookup of www.example.com, message by message in dig's sections: priming,
        the root's and .com's referrals with glue, the authoritative answer; what the browser connects to
        and whether the origin's address is in DNS; --model registrar-answers-queries|proxied-hides-origin
  dns NAME --namespace NS [--ndots N] [--search DOMAIN,…] [--dns-policy ClusterFirst|ClusterFirstWithHostNet|Default|None]
        [--provider kube-dns|cloud-dns] [--cluster FILE.yaml]… [--json]
        the queries a Pod's glibc resolver sends for NAME inside the cluster, in order, to the first answer
        (JSON: queries); without --cluster, against the course's example cluster
  dns records FILE.yaml… [--provider kube-dns|cloud-dns] [--zone DOMAIN] [--json]
        every record the cluster DNS serves for the manifests (A/AAAA, SRV, PTR, CNAME, TXT)
  static-ip --ingress FILE.yaml --terraform FILE.tf [--model NAME] [--json]
        what GKE's Ingress controller does with the static-IP annotation, given the Terraform that reserves
        the address: findings by file:line with the fix; exit 1 if any is an error; --model
        annotation-takes-terraform-label|unmatched-name-goes-ephemeral
${BGP_HELP}
  rov --vrps FILE PREFIX ORIGIN_ASN [--json]
        route-origin validation (RFC 6811) of one route against a VRP export — Routinator/rpki-client
        JSON {"roas":[{"asn","prefix","maxLength","ta"}]} or Routinator CSV (ASN,IP Prefix,Max Length,
        Trust Anchor); prints Valid, Invalid or NotFound, then the covering VRPs (and why each does or
        does not match) and the matching ones; ORIGIN_ASN as 64496 or AS64496; IPv4 and IPv6; a bad
        entry is named by its line
  cert verify --chain FILE.pem [--roots FILE.pem] [--host NAME] [--at ISO-8601] [--json]
        validates a server's certificate chain as a TLS client does: builds the path from the leaf to a trusted
        root (RFC 5280 §6), verifies every signature (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA P-256/P-384, Ed25519),
        then checks validity, basicConstraints, keyUsage, extendedKeyUsage (serverAuth), nameConstraints and,
        with --host, the name (RFC 9525: subjectAltName only, no CN fallback). --chain: PEM, leaf first, then
        intermediates in any order (or one DER/base64 certificate); --roots: PEM trust anchors (default: the
        Mozilla root store Node ships); --host: a DNS name or an IP address; --at: the validation instant
        (default: now). Prints SUCCESS or FAILURE, the path built and every check; exit 0 SUCCESS, 1 FAILURE,
        2 bad input
  acme --jwk FILE.json --token TOKEN --domain NAME [--json]
        what an ACME client prepares (RFC 8555): the account key's RFC 7638 thumbprint, the key authorization,
        the http-01 URL (port 80) and body, the dns-01 TXT name and value (a wildcard's at its base name)
  acme … --scenario S [--challenge http-01|dns-01] [--caa PRESET] [--ca ISSUER] [--model M]
        the CA's check step by step. S: owner, owner-cloudflare, attacker-no-access, bgp-hijack-local,
        bgp-hijack-global, dangling-cname, email-legacy; PRESET: none, letsencrypt, pki-goog, deny-all,
        critical-unknown, no-wildcards; ISSUER: letsencrypt.org, pki.goog, sectigo.com;
        M: rfc, single-vantage-ca, caa-no-climb, issuewild-ignored
${CLOUDFLARE_SSL_HELP}
  plan --pod-range CIDR [--max-pods N] [--node-range CIDR] [--service-range CIDR] [--json]
        a VPC-native cluster's address plan: each node's Pod block (the smallest with at least
        2 × max Pods addresses; N is 8–256, default 110), the nodes the Pod range and the node subnet
        (less the 4 addresses Google Cloud keeps) hold, the Service range's ClusterIPs; a plan GKE
        would refuse (overlaps, too small for one node, forbidden address space) prints why and exits 1
  mtu --cni NAME [--node-mtu N] [--geneve-options BYTES] [--json]
        the Pod MTU a CNI sets on a node of MTU N (1300–8896, default 1460) and the bytes each
        encapsulation layer costs; NAME is dataplane-v2, gke-legacy, calico-bgp, calico-ipip,
        calico-vxlan, flannel-vxlan, geneve, wireguard or wireguard-ipv6
  cni --cni NAME --path same-node|cross-node|host-network|same-pod [--overlay none|vxlan|geneve|ipip] [--json]
        one packet's path under a CNI, hop by hop: namespace, interface, the route/rule/program that
        decided, addresses and TTL; on an overlay, the outer headers' bytes field by field. NAME is
        gke-legacy, kubenet, calico, dataplane-v2 (or calico-bgp, calico-ipip, calico-vxlan, geneve)
  firewall FILE.yaml… --from IP --to NS/SERVICE[:PORT] [--rule NAME,PRIORITY,allow|deny,CIDR[+CIDR…],PROTO[:PORTS][+…]]…
           [--node NAME] [--gke-rules on|off] [--seed N] [--model M] [--json]
        an external client's packet to a GKE LoadBalancer Service: health checks, VPC firewall,
        kube-proxy (KUBE-FW/KUBE-PROXY-FIREWALL), externalTrafficPolicy, NetworkPolicy; where it is
        dropped and by which rule (JSON: delivered, droppedAt, layers)
  nat --vms N [--nat-ips K] [--min-ports P] [--max-ports Q] [--dynamic] [--eim] [--connections C --to IP:PORT[/PROTO]] [--seed S] [--json]
        Cloud NAT's ports: each NAT IP offers 64,512 (1024–65535); each VM reserves min ports (P, default
        64 static / 32 dynamic, rounded up to a power of two) → VMs per NAT IP and NAT IPs needed; with
        --connections, whether C concurrent connections from node-0 to one destination fit, and the first
        dropped (OUT_OF_RESOURCES, exit 1); --max-ports needs --dynamic; --eim (endpoint-independent
        mapping) cannot be combined with --dynamic
  route FILE.yaml… --url URL [--method M] [--header NAME:VALUE]… [--json]
        which backend an Ingress, or a Gateway's HTTPRoutes, send one request to, and the rule that decided
        (JSON: backend {service, port} or null, status 200/404/500/503 or null when nothing listens, rule);
        [--seed N] the weighted backendRef draw; [--model prefix-is-string-prefix|first-rule-wins|wildcard-any-depth];
        [--via ingress|gateway] when both are given; [--gateway NAMESPACE/NAME] when there are several Gateways
  policy FILE.yaml… --from NS/POD|IP --to NS/POD:PORT[/PROTO] [--model M] [--json]
        whether one connection passes the NetworkPolicies in the files: the source's egress and the
        destination's ingress, each with the deciding policy and rule (PROTO TCP (default), UDP or SCTP;
        an IP stands for a peer outside the cluster; --model peer-selectors-or|ingress-only|dns-exempt)
  compare [--set key=value …] [--seed N] [--json]
        the flagship request with Cloudflare proxying and with the record DNS only, side by side: DNS answer,
        exposed address, devices, anycast, TLS terminations, certificates, WAF, DDoS, cache, X-Forwarded-For,
        first byte, handshakes, DNS hosting, lock-down, cost — each row naming the trace steps it was read from
  quiz list [--json]
        the question templates: id, kind, lesson and concepts
  quiz show TEMPLATE --seed N [--json]
        one seeded variant: prompt, exhibits, options, and the key in the form --answer takes
  quiz grade TEMPLATE --seed N --answer JSON [--json]
        grades an answer as the practice page does: incomplete, invalid, or graded with a score,
        each part, the first departure from the trace and the misconception the answer matches

FILE.yaml is ordinary multi-document Kubernetes YAML: v1 Service, discovery.k8s.io/v1 EndpointSlice,
v1 Pod, v1 Node (the node kube-proxy runs on), and optionally a kubeproxy.config.k8s.io/v1alpha1
KubeProxyConfiguration. Bad input exits with status 2 and a message naming it.`;

function listScenarios(): string {
  const inCluster = KUBE_SCENARIOS.map((s) => `${s.id} — ${s.title}\n  presets: ${Object.keys(s.presets).join(", ")}`);
  return [...SCENARIOS.map((s) =>
    [
      `${s.id} — ${s.title}`,
      ...s.params.map((p) => {
        const values = p.values.map((v) => (v.value === p.default ? `${v.value} (default)` : v.value)).join(", ");
        return p.free ? `  ${p.key}: ${p.free.hint}; suggested: ${values}` : `  ${p.key}: ${values}`;
      }),
    ].join("\n"),
  ), ...inCluster].join("\n\n");
}

function traceCommand(input: readonly string[]): void {
  let argv = input;
  if (argv.includes("--list")) {
    console.log(listScenarios());
    return;
  }
  const inCluster = KUBE_SCENARIOS.some((s) => s.id === argv.find((a) => !a.startsWith("--")));
  const core = argv.includes("--core");
  argv = argv.filter((a) => a !== "--core");
  const pcapFlags = ["--pcap", "--from", "--to"];
  const args = parseArgs(argv, [...(inCluster ? ["--preset", "--file", "--seed", "--model"] : ["--set", "--seed", "--model"]), ...pcapFlags], ["--set"]);
  const pcap = one(args, "--pcap");
  for (const flag of ["--from", "--to"]) {
    if (one(args, flag) !== undefined && pcap === undefined) throw new InputError(flag, `${flag} chooses the steps of a capture; give --pcap FILE too`);
  }
  if (args.positional.length > 1) throw new InputError(args.positional[1]!, "only one scenario at a time");
  const scenarioId = args.positional[0];
  if (!scenarioId) throw new InputError("", `name a scenario\n\n${listScenarios()}`);
  if (inCluster) {
    const scenario = getKubeScenario(scenarioId);
    const presetName = one(args, "--preset") ?? "default";
    if (!(presetName in scenario.presets)) throw new InputError(`--preset ${presetName}`, `${scenarioId} has the presets ${Object.keys(scenario.presets).join(", ")}`);
    const file = one(args, "--file");
    const preset = scenario.presets[presetName]!;
    const input = file ? { ...preset, yaml: readManifests([file])[0]!.text } : preset;
    const seed = one(args, "--seed");
    const trace = runKubeScenario(scenarioId, input, seed === undefined ? 0 : parseSeed(seed), one(args, "--model") ?? null);
    if (pcap !== undefined) writeCapture(pcap, trace, args);
    print(args, trace, () => formatCoreTrace(trace));
    return;
  }
  getScenario(scenarioId);
  const params: Record<string, string> = {};
  for (const pair of args.flags.get("--set") ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new InputError(pair, "write parameters as key=value, e.g. --set city=tokyo");
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const seedText = one(args, "--seed");
  const trace = computeTrace(scenarioId, params, seedText === undefined ? 0 : parseSeed(seedText), one(args, "--model") ?? null);
  if (pcap !== undefined) writeCapture(pcap, toCoreTrace(trace), args);
  if (core) {
    const coreTrace = toCoreTrace(trace);
    print(args, coreTrace, () => formatCoreTrace(coreTrace));
  } else print(args, trace, () => formatTraceText(trace));
}

/**
 * `--pcap FILE`: the trace's packets as pcapng (`src/sim/pcap`), written before the trace is printed
 * so a path that cannot be written stops the command with nothing half done.
 */
function writeCapture(path: string, trace: CoreTrace, args: Args): void {
  const range = { from: one(args, "--from"), to: one(args, "--to") };
  let captured: ReturnType<typeof capturePackets>;
  try {
    captured = capturePackets(trace, range);
  } catch (error) {
    // The writer names the step id; say which flag it came from.
    if (error instanceof InputError) throw new InputError(`${error.input === range.from ? "--from" : "--to"} ${error.input}`, error.reason);
    throw error;
  }
  const { packets, skipped } = captured;
  try {
    writeFileSync(path, traceToPcapng(trace, range));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such directory" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new InputError(path, `cannot write the capture there (${why})`);
  }
  for (const s of skipped) console.error(`warning: step ${s.stepId} is not in the capture: ${s.reason}`);
  console.error(`wrote ${packets.length} packet${packets.length === 1 ? "" : "s"} to ${path}`);
}

function readManifests(paths: readonly string[]): ManifestFile[] {
  if (paths.length === 0) throw new InputError("", "name at least one YAML file with the Services, EndpointSlices or Pods, and the Node");
  return paths.map((path) => {
    try {
      return { name: path, text: readFileSync(path, "utf8") };
    } catch (error) {
      throw new InputError(path, (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `cannot read it (${(error as Error).message})`);
    }
  });
}

function mode(text: string | undefined, allowed: readonly ProxyMode[]): ProxyMode {
  if (text === undefined) return "iptables";
  if (!(allowed as readonly string[]).includes(text)) throw new InputError(`--mode ${text}`, `the mode is one of ${allowed.join(", ")}`);
  return text as ProxyMode;
}

function kubeProxyCommand(argv: readonly string[]): void {
  const [sub, ...rest] = argv;
  if (sub === "rules") {
    const args = parseArgs(rest, ["--mode"]);
    const result = kubeProxyRules(readManifests(args.positional), mode(one(args, "--mode"), ["iptables", "ipvs"]) as "iptables" | "ipvs");
    for (const w of result.warnings) console.error(`warning: ${w}`);
    print(args, result, () => result.text.trimEnd());
    return;
  }
  if (sub === "trace") {
    const args = parseArgs(rest, ["--src", "--dst", "--proto", "--seed", "--mode"]);
    const src = one(args, "--src");
    const dst = one(args, "--dst");
    if (!src) throw new InputError("--src", "give the packet's source address, e.g. --src 10.4.1.7");
    if (!dst) throw new InputError("--dst", "give the packet's destination as IP:PORT, e.g. --dst 10.96.0.10:80 or --dst '[fd00:10:96::a]:80'");
    const proto = one(args, "--proto") ?? "tcp";
    if (!["tcp", "udp", "sctp"].includes(proto)) throw new InputError(`--proto ${proto}`, "the protocol is tcp, udp or sctp");
    const seedText = one(args, "--seed");
    const walk = kubeProxyTrace(readManifests(args.positional), {
      src,
      dst,
      protocol: proto as "tcp" | "udp" | "sctp",
      seed: seedText === undefined ? 0 : parseSeed(seedText),
      mode: mode(one(args, "--mode"), ["iptables", "ipvs", "ebpf"]),
    });
    for (const w of walk.warnings) console.error(`warning: ${w}`);
    print(args, walk, () => formatKubeProxyWalk(walk));
    return;
  }
  throw new InputError(sub ?? "", "kube-proxy takes a subcommand: rules or trace");
}

/** Runs one command; the certificate checks return a promise (WebCrypto verifies signatures asynchronously). */
export function main(argv: readonly string[]): void | Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(HELP);
    return;
  }
  if (command === "trace") traceCommand(rest);
  else if (command === "kube-proxy") kubeProxyCommand(rest);
  else if (command === "maglev") maglevCommand(rest);
  else if (command === "quiz") quizCommand(rest);
  else if (command === "rov") rovCommand(rest);
  else if (command === "bgp") bgpCommand(rest);
  else if (command === "compare") compareCommand(rest);
  else if (command === "dns") dnsCommand(rest);
  else if (command === "static-ip") staticIpCommand(rest);
  else if (command === "cert") return certCommand(rest);
  else if (command === "acme") acmeCommand(rest);
  else if (command === "cloudflare-ssl") cloudflareSslCommand(rest);
  else if (command === "route") routeCommand(rest);
  else if (command === "policy") policyCommand(rest);
  else if (command === "plan") planCommand(rest);
  else if (command === "mtu") mtuCommand(rest);
  else if (command === "cni") cniCommand(rest);
  else if (command === "nat") natCommand(rest);
  else if (command === "firewall") firewallCommand(rest);
  else throw new InputError(command, `no such command; run npm run sim -- --help`);
}

function fail(error: unknown): void {
  if (error instanceof ManifestError) {
    for (const p of error.problems) console.error(`error: ${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ""}${p.message}`);
    process.exitCode = 2;
  } else if (error instanceof InputError) {
    console.error(`error: ${error.message}`);
    process.exitCode = 2;
  } else throw error;
}

/** Runs the command line: a synchronous command has finished when this returns; an asynchronous one when its promise settles. */
export function runCli(argv: readonly string[]): void | Promise<void> {
  try {
    const running = main(argv);
    if (running instanceof Promise) return running.catch(fail);
  } catch (error) {
    fail(error);
  }
}

if (process.argv[1]?.endsWith("sim.ts")) void runCli(process.argv.slice(2));
