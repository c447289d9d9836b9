/**
 * The lab's shell: one command line in, the output the real tool would print out, computed from the
 * case's cluster. kubectl talks to the API (every namespace); iptables-save, ipvsadm, conntrack and
 * tcpdump run on node-a; curl runs in the client Pod, or — for a node or load-balancer address — from
 * a machine outside the cluster. Anything else gets a message saying what the shell understands;
 * nothing a learner types throws.
 */
import { nodeIptablesSave, ipvsNodeFor } from "../proxy";
import { NODES, OUTSIDE_CLIENT, HEALTH_CHECK_NODE_PORT } from "./cases";
import { describeEndpointSlice, describeIngress, describePod, describeService, getTable, resourceOf, type Resource } from "./kubectl";
import { healthCheck, probe, type CaseCluster, type Packet, type ProbeResult } from "./probe";

export interface ShellResult {
  /** false: the line was not understood (the lab shows `output` as the field's error). */
  readonly ok: boolean;
  readonly output: string;
}

/** The commands the shell knows, as `help` prints them. */
export const SHELL_HELP = [
  "kubectl get svc,endpoints,endpointslices,pods,ingress,nodes [NAME] [-n NS] [-o wide] [-l key=value]",
  "kubectl describe svc|pod|endpointslice|ingress NAME [-n NS]",
  "iptables-save [-t nat]            the node's rules (node-a)",
  "ipvsadm -Ln                       IPVS virtual servers (node-a)",
  "curl [-v] [-H 'Host: NAME'] URL   from the client Pod; node and LB addresses from outside",
  "conntrack -L [-d IP]              node-a's connection table after the last curl",
  "tcpdump -n -i any port P [or host IP] [or icmp]   node-a's packets during the reported request",
].join("\n");

/** Splits a command line as a POSIX shell would for plain words and '…' or "…" quoting. */
export function tokenize(line: string): string[] | null {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  let has = false;
  for (const ch of line) {
    if (quote) { if (ch === quote) quote = null; else cur += ch; continue; }
    if (ch === "'" || ch === '"') { quote = ch; has = true; continue; }
    if (/\s/.test(ch)) { if (has) out.push(cur); cur = ""; has = false; continue; }
    cur += ch; has = true;
  }
  if (quote) return null;
  if (has) out.push(cur);
  return out;
}

const bad = (output: string): ShellResult => ({ ok: false, output });
const good = (output: string): ShellResult => ({ ok: true, output });

/** The shell's state between commands: the last request's result (for conntrack). */
export interface ShellMemory {
  readonly last: ProbeResult | null;
}

export function runCommand(cluster: CaseCluster, line: string, memory: ShellMemory = { last: null }): ShellResult & { memory: ShellMemory } {
  const words = tokenize(line);
  if (words === null) return { ...bad("unterminated quote: close the ' or \" you opened"), memory };
  // `sudo` and `kubectl exec client -- …` are accepted and dropped: the shell knows where each tool runs.
  let w = words[0] === "sudo" ? words.slice(1) : words;
  if (w[0] === "kubectl" && w[1] === "exec") {
    const dash = w.indexOf("--");
    if (dash < 0) return { ...bad("kubectl exec: give the command after --, e.g. kubectl exec client -- curl -v http://web/"), memory };
    w = w.slice(dash + 1);
  }
  const [cmd, ...args] = w;
  try {
    switch (cmd) {
      case undefined: return { ...good(""), memory };
      case "help": return { ...good(SHELL_HELP), memory };
      case "kubectl": return { ...kubectl(cluster, args), memory };
      case "iptables-save": return { ...iptablesSave(cluster, args), memory };
      case "ipvsadm": return { ...ipvsadm(cluster, args), memory };
      case "curl": {
        const r = curl(cluster, args);
        return r.probe ? { ...good(r.output), memory: { last: r.probe } } : { ...r.result, memory };
      }
      case "conntrack": return { ...conntrack(args, memory), memory };
      case "tcpdump": return { ...tcpdump(cluster, args), memory };
      default: return { ...bad(`${cmd}: command not found in this lab. Type help for the commands it computes.`), memory };
    }
  } catch (error) {
    // A model error (say, an address the walk cannot take) is the learner's input, not a crash.
    return { ...bad(`${cmd}: ${error instanceof Error ? error.message : String(error)}`), memory };
  }
}

function flag(args: readonly string[], names: readonly string[]): string | null | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1] ?? null;
      if (n.startsWith("--") && a.startsWith(`${n}=`)) return a.slice(n.length + 1);
      if (!n.startsWith("--") && a.startsWith(n) && a.length > n.length) return a.slice(n.length);
    }
  }
  return undefined;
}

function positional(args: readonly string[], withValue: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (withValue.includes(a)) { i++; continue; }
    if (a.startsWith("-")) continue;
    out.push(a);
  }
  return out;
}

function kubectl(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const [verb] = args;
  const rest = args.slice(1);
  const all = rest.includes("-A") || rest.includes("--all-namespaces");
  const ns = flag(rest, ["-n", "--namespace"]);
  if (ns === null) return bad("kubectl: flag needs an argument: -n");
  const namespace = ns ?? "default";
  const [what, name] = positional(rest, ["-n", "--namespace", "-o", "--output", "-l", "--selector"]);
  if (verb !== "get" && verb !== "describe") return bad(`kubectl ${verb ?? ""}: this lab computes kubectl get and kubectl describe. Type help.`);
  if (what === undefined) return bad(`kubectl ${verb}: say what to ${verb}, e.g. kubectl ${verb} svc${verb === "describe" ? " web" : ""}`);
  const types = what.split(",").map((t) => ({ word: t, resource: resourceOf(t) }));
  const unknown = types.find((t) => t.resource === null);
  if (unknown) return bad(`error: the server doesn't have a resource type "${unknown.word}"`);
  if (verb === "describe") return describe(cluster, types[0]!.resource!, name ?? null, namespace);
  const output = flag(rest, ["-o", "--output"]);
  if (output !== undefined && output !== "wide") return bad(`kubectl get: this lab prints tables (-o wide), not -o ${output ?? ""}`);
  const sel = flag(rest, ["-l", "--selector"]);
  const selector = typeof sel === "string" ? Object.fromEntries(sel.split(",").map((kv) => kv.split("=") as [string, string])) : null;
  const namespaces = all ? [...new Set([cluster.trouble.params.namespace, "default"])] : [namespace];
  const blocks: string[] = [];
  for (const n of namespaces) {
    for (const t of types) {
      const table = getTable(cluster.state, cluster.ingresses, t.resource as Resource, { namespace: n, wide: output === "wide", selector, name: name ?? null, prefixed: types.length > 1 });
      if (table !== null) blocks.push(table);
    }
  }
  if (blocks.length === 0) return good(name ? `Error from server (NotFound): ${types[0]!.word} "${name}" not found` : `No resources found in ${namespace} namespace.`);
  return good(blocks.join("\n\n"));
}

function describe(cluster: CaseCluster, resource: Resource, name: string | null, namespace: string): ShellResult {
  const s = cluster.state;
  const missing = (kind: string) => good(`Error from server (NotFound): ${kind} "${name}" not found`);
  if (name === null) return bad("kubectl describe: give the object's name (kubectl get shows them)");
  switch (resource) {
    case "services": {
      const svc = s.services.find((x) => x.metadata.name === name && x.metadata.namespace === namespace);
      return svc ? good(describeService(s, svc)) : missing("services");
    }
    case "pods": {
      const pod = s.pods.find((x) => x.metadata.name === name && x.metadata.namespace === namespace);
      return pod ? good(describePod(s, pod)) : missing("pods");
    }
    case "endpointslices": {
      const e = s.endpointSlices.find((x) => x.metadata.name === name && x.metadata.namespace === namespace);
      return e ? good(describeEndpointSlice(e)) : missing("endpointslices.discovery.k8s.io");
    }
    case "ingresses": {
      const i = cluster.ingresses.find((x) => x.name === name && x.namespace === namespace);
      return i ? good(describeIngress(s, i)) : missing("ingresses.networking.k8s.io");
    }
    default:
      return bad(`kubectl describe: this lab describes svc, pod, endpointslice and ingress`);
  }
}

function iptablesSave(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const table = flag(args, ["-t", "--table"]);
  if (table === null) return bad("iptables-save: option -t needs a table name (nat, filter, mangle)");
  const text = cluster.state.proxyConfig.mode === "ipvs" ? ipvsNodeFor(cluster.state).ipv4.iptablesSave : nodeIptablesSave(cluster.state);
  if (table === undefined) return good(text.trimEnd());
  // iptables-save prints each table from its "*name" line to its COMMIT.
  const m = new RegExp(`(?:^# Generated[^\\n]*\\n)?\\*${table}\\n[\\s\\S]*?\\nCOMMIT\\n(?:# Completed[^\\n]*\\n?)?`, "m").exec(text);
  if (!m) return bad(`iptables-save: table "${table}" not found on this node (kube-proxy writes nat, filter and mangle)`);
  return good(m[0].trimEnd());
}

function ipvsadm(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const joined = args.join("");
  if (!/^-?L?n?L?n?$/.test(joined.replace(/^-/, "")) || !joined.includes("L")) return bad("ipvsadm: this lab lists the table: ipvsadm -Ln");
  if (cluster.state.proxyConfig.mode !== "ipvs") {
    // The module is loaded on most nodes, but kube-proxy in iptables mode programs no virtual servers.
    return good("IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n\n(no virtual servers: kube-proxy on this node runs in iptables mode; try iptables-save -t nat)");
  }
  return good(ipvsNodeFor(cluster.state).ipvsadmLn.trimEnd());
}

function curl(cluster: CaseCluster, args: readonly string[]): { result: ShellResult; probe: ProbeResult | null; output: string } {
  const verbose = args.includes("-v") || args.includes("--verbose");
  const header = flag(args, ["-H", "--header"]);
  const urls = positional(args, ["-H", "--header", "--connect-timeout", "-m", "--max-time"]);
  const url = urls[0];
  if (url === undefined) return { result: bad("curl: give a URL, e.g. curl -v http://web/"), probe: null, output: "" };
  const m = /^(?:(https?):\/\/)?([^/:\s]+)(?::(\d+))?(\/\S*)?$/.exec(url);
  if (!m) return { result: bad(`curl: (3) URL using bad/illegal format or missing URL: ${url}`), probe: null, output: "" };
  if (m[1] === "https") return { result: bad("curl: this lab's requests are plain HTTP; use http://"), probe: null, output: "" };
  const port = m[3] ? Number(m[3]) : 80;
  if (!(port >= 1 && port <= 65535)) return { result: bad(`curl: (3) URL port number out of range: ${m[3]}`), probe: null, output: "" };
  let hostHeader: string | null = null;
  if (typeof header === "string") {
    const hm = /^host:\s*(\S+)$/i.exec(header);
    if (!hm) return { result: bad(`curl: this lab reads one header, Host: (got "${header}")`), probe: null, output: "" };
    hostHeader = hm[1]!;
  } else if (header === null) return { result: bad("curl: option -H: requires parameter"), probe: null, output: "" };
  const host = m[2]!;
  const node = NODES.find((n) => n.ip === host || n.external === host);
  if (node && port === HEALTH_CHECK_NODE_PORT) {
    const hc = healthCheck(cluster, node.name, port);
    if (hc) return { result: good(hc.text), probe: null, output: hc.text };
  }
  const result = probe(cluster, { host, port, path: m[4] ?? "/", hostHeader, verbose });
  return { result: good(result.curl), probe: result, output: result.curl };
}

function conntrack(args: readonly string[], memory: ShellMemory): ShellResult {
  if (!args.includes("-L") && !args.includes("--dump")) return bad("conntrack: this lab lists the table: conntrack -L [-d IP]");
  const d = flag(args, ["-d", "--dst", "--orig-dst"]);
  const lines = (memory.last?.conntrack ?? []).filter((l) => typeof d !== "string" || l.includes(` dst=${d} `));
  const tail = `conntrack v1.4.7 (conntrack-tools): ${lines.length} flow entries have been shown.`;
  const note = memory.last === null ? "\n(run a curl first: the table holds only the lab's own connections)" : "";
  return good([...lines, tail].join("\n") + note);
}

/** A tiny pcap-filter: primitives `port N`, `host A`, `icmp`, `tcp`, joined by `or` / `and` (and binds tighter). */
function compileFilter(words: readonly string[]): ((p: Packet) => boolean) | string {
  if (words.length === 0) return () => true;
  const alternatives: ((p: Packet) => boolean)[][] = [[]];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "or") { alternatives.push([]); continue; }
    if (w === "and") continue;
    const group = alternatives[alternatives.length - 1]!;
    if (w === "icmp") group.push((p) => p.icmp);
    else if (w === "tcp") group.push((p) => !p.icmp);
    else if (w === "port" || w === "host") {
      const v = words[++i];
      if (v === undefined) return `tcpdump: syntax error in filter expression: ${w} needs a value`;
      if (w === "port") {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) return `tcpdump: illegal port number ${v}`;
        group.push((p) => p.ports.includes(n));
      } else group.push((p) => p.hosts.includes(v));
    } else return `tcpdump: syntax error in filter expression at "${w}" (this lab reads port, host, icmp, tcp, and, or)`;
  }
  return (p) => alternatives.some((g) => g.length > 0 && g.every((f) => f(p)));
}

function tcpdump(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const filterWords = positional(args, ["-i", "-c", "-s"]);
  const filter = compileFilter(filterWords);
  if (typeof filter === "string") return bad(filter);
  const request = cluster.trouble.probe;
  const parsed = tokenize(request) ?? [];
  const r = curl(cluster, parsed.slice(1));
  const packets = (r.probe?.packets ?? []).filter(filter);
  const stamp = (i: number) => `10:41:07.${String(120431 + i * 187).padStart(6, "0")}`;
  const head = "tcpdump: data link type LINUX_SLL2\ntcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes";
  const note = `(captured on node-a while the reported request ran: ${request}${r.probe?.walk?.packet.src === OUTSIDE_CLIENT ? `, from ${OUTSIDE_CLIENT}` : ""})`;
  const lines = packets.map((p, i) => `${stamp(i)} ${p.iface.padEnd(14)} ${p.direction.padEnd(3)} ${p.text}`);
  return good([note, head, ...lines, "", `${packets.length} packets captured`, `${packets.length} packets received by filter`, "0 packets dropped by kernel"].join("\n"));
}
