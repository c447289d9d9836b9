/**
 * The lab's shell: one command line in, the output the real tool would print out, computed from the
 * case's cluster. kubectl talks to the API (every namespace); iptables-save, ipvsadm, conntrack and
 * tcpdump run on node-a; curl runs in the client Pod, or — for a node or load-balancer address — from
 * a machine outside the cluster. Anything else gets a message saying what the shell understands;
 * nothing a learner types throws.
 */
import { nodeIptablesSave, ipvsNodeFor } from "../proxy";
import { NODES, OUTSIDE_CLIENT, HEALTH_CHECK_NODE_PORT, CLIENT_POD, REPORT_BODY_BYTES } from "./cases";
import { formatResolvConf } from "../dns/resolv-conf";
import { describeEndpointSlice, describeIngress, describeNetworkPolicy, describePod, describeService, getTable, resourceOf, type Resource } from "./kubectl";
import { clientMtu, dnsVerdict, healthCheck, onPremPath, probe, queryLength, resolveFromClient, type CaseCluster, type Packet, type ProbeResult } from "./probe";

export interface ShellResult {
  /** false: the line was not understood (the lab shows `output` as the field's error). */
  readonly ok: boolean;
  readonly output: string;
}

/** The commands the shell knows, as `help` prints them. */
export const SHELL_HELP = [
  "kubectl get svc,endpoints,endpointslices,pods,ingress,nodes [NAME] [-n NS] [-o wide] [-l key=value]",
  "kubectl get networkpolicy [-n NS]",
  "kubectl describe svc|pod|endpointslice|ingress|networkpolicy NAME [-n NS]",
  "nslookup NAME | dig NAME          from the client Pod, to the nameserver in its resolv.conf",
  "cat /etc/resolv.conf              the client Pod's resolver configuration",
  "ping [-M do|want|dont|probe] [-s SIZE] [-c N] IP   from the client Pod",
  "ip link show eth0 | ip route get IP   the client Pod's interface MTU and route",
  "iptables-save [-t nat]            the node's rules (node-a)",
  "ipvsadm -Ln                       IPVS virtual servers (node-a)",
  "curl [-v] [-m SECS] [-H 'Host: NAME'] [--data-binary @FILE] URL   from the client Pod; node and LB addresses from outside",
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
      case "nslookup": return { ...nslookup(cluster, args), memory };
      case "dig": return { ...dig(cluster, args), memory };
      case "cat": return { ...cat(cluster, args), memory };
      case "ping": return { ...ping(cluster, args), memory };
      case "ip": return { ...ipCommand(cluster, args), memory };
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
      const table = getTable(cluster.state, { ingresses: cluster.ingresses, ingressAddress: cluster.trouble.ingressAddress, policies: cluster.policies }, t.resource as Resource, { namespace: n, wide: output === "wide", selector, name: name ?? null, prefixed: types.length > 1 });
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
      return i ? good(describeIngress(s, i, cluster.trouble.ingressAddress)) : missing("ingresses.networking.k8s.io");
    }
    case "networkpolicies": {
      const p = cluster.policies.find((x) => x.name === name && x.namespace === namespace);
      return p ? good(describeNetworkPolicy(p)) : missing("networkpolicies.networking.k8s.io");
    }
    default:
      return bad(`kubectl describe: this lab describes svc, pod, endpointslice, ingress and networkpolicy`);
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
  const urls = positional(args, ["-H", "--header", "--connect-timeout", "-m", "--max-time", "--data-binary", "-d", "--data"]);
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
  const data = flag(args, ["--data-binary", "-d", "--data"]);
  if (data === null) return { result: bad("curl: option --data-binary: requires parameter"), probe: null, output: "" };
  const bodyBytes = data === undefined ? 0 : data.startsWith("@") ? REPORT_BODY_BYTES : data.length;
  const max = flag(args, ["-m", "--max-time"]);
  if (max === null || (typeof max === "string" && !(Number(max) > 0))) return { result: bad(`curl: option -m: expected a number of seconds, got "${max ?? ""}"`), probe: null, output: "" };
  const result = probe(cluster, { host, port, path: m[4] ?? "/", hostHeader, verbose, bodyBytes, maxTime: max === undefined ? null : Number(max) });
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
    else if (w === "tcp") group.push((p) => !p.icmp && !p.ports.includes(53));
    else if (w === "udp") group.push((p) => !p.icmp && p.ports.includes(53));
    else if (w === "port" || w === "host") {
      const v = words[++i];
      if (v === undefined) return `tcpdump: syntax error in filter expression: ${w} needs a value`;
      if (w === "port") {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) return `tcpdump: illegal port number ${v}`;
        group.push((p) => p.ports.includes(n));
      } else group.push((p) => p.hosts.includes(v));
    } else return `tcpdump: syntax error in filter expression at "${w}" (this lab reads port, host, icmp, tcp, udp, and, or)`;
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
  const stamp = (p: Packet, i: number) => {
    const us = 7_120_431 + (p.atMs ?? 0) * 1000 + i * 187;
    return `10:41:${String(Math.floor(us / 1e6)).padStart(2, "0")}.${String(us % 1e6).padStart(6, "0")}`;
  };
  const head = "tcpdump: data link type LINUX_SLL2\ntcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes";
  const note = `(captured on node-a while the reported request ran: ${request}${r.probe?.walk?.packet.src === OUTSIDE_CLIENT ? `, from ${OUTSIDE_CLIENT}` : ""})`;
  const dropped = r.probe?.dns?.verdict?.allowed === false
    ? ["(the queries arrive on the client Pod's veth and go no further: the node's NetworkPolicy dataplane drops them after the capture point, so nothing leaves eth0 for kube-dns on node-b and no answer comes back)"]
    : r.probe?.mtu?.status === "black-hole" ? ["(each full-size segment leaves eth0; no ACK for it and no ICMP comes back)"] : [];
  const lines = packets.map((p, i) => `${stamp(p, i)} ${p.iface.padEnd(14)} ${p.direction.padEnd(3)} ${p.text}`);
  return good([note, head, ...lines, ...(packets.length ? dropped : []), "", `${packets.length} packets captured`, `${packets.length} packets received by filter`, "0 packets dropped by kernel"].join("\n"));
}

/** The nameserver a Pod's tools ask: the first line of its resolv.conf. */
function nameserver(cluster: CaseCluster): string {
  return cluster.resolvConf.nameservers[0] ?? "10.96.0.10";
}

/** BIND 9.16's nslookup, run in the client Pod: it applies the resolv.conf search list to a short name. */
function nslookup(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const [name] = positional(args, []);
  if (name === undefined) return bad("nslookup: give a name, e.g. nslookup web (this lab does not run nslookup's interactive mode)");
  const verdict = dnsVerdict(cluster);
  // A reverse lookup (an address) is a PTR query to the same server on the same port: blocked alike.
  if (verdict !== null && !verdict.allowed) return good(";; connection timed out; no servers could be reached\n");
  const ns = nameserver(cluster);
  const head = [`Server:\t\t${ns}`, `Address:\t${ns}#53`, ""];
  if (/^[\d.]+$/.test(name)) {
    const rev = `${name.split(".").reverse().join(".")}.in-addr.arpa`;
    const rec = cluster.zone.records.find((r) => r.type === "PTR" && r.name === `${rev}.`);
    return good(rec ? [...head, `${rev}\tname = ${rec.data.replace(/\.$/, "")}.`, ""].join("\n") : [...head, `** server can't find ${rev}: NXDOMAIN`, ""].join("\n"));
  }
  const r = resolveFromClient(cluster, name);
  if (!r.answered) return good([...head, `** server can't find ${name}: NXDOMAIN`, ""].join("\n"));
  const answered = r.names[r.names.length - 1]!.replace(/\.$/, "");
  return good([...head, ...r.addresses.flatMap((a) => [`Name:\t${answered}`, `Address: ${a}`]), ""].join("\n"));
}

/** BIND 9.16's dig: no search list (dig's default +nosearch), one A question, tries 3 × 5 s when unanswered. */
function dig(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const [raw] = positional(args, []).filter((a) => !a.startsWith("@") && !a.startsWith("+"));
  if (raw === undefined) return bad("dig: give a name, e.g. dig web.default.svc.cluster.local");
  const name = raw.endsWith(".") ? raw : `${raw}.`;
  const ns = nameserver(cluster);
  const banner = [`; <<>> DiG 9.16.48-Debian <<>> ${raw}`, ";; global options: +cmd"];
  const verdict = dnsVerdict(cluster);
  if (verdict !== null && !verdict.allowed) return good([...banner, ";; connection timed out; no servers could be reached", ""].join("\n"));
  const rrs = cluster.zone.records.filter((r) => r.type === "A" && r.name === name);
  const exists = rrs.length > 0 || cluster.zone.records.some((r) => r.name === name || r.name.endsWith(`.${name}`));
  const status = rrs.length > 0 || exists ? "NOERROR" : "NXDOMAIN";
  const soa = `${cluster.zone.zone}.\t\t30\tIN\tSOA\tns.dns.${cluster.zone.zone}. hostmaster.${cluster.zone.zone}. 1765100400 28800 7200 604800 30`;
  const out = [...banner, ";; Got answer:", `;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: 4660`,
    `;; flags: qr aa rd${name.endsWith(`${cluster.zone.zone}.`) ? "" : " ra"}; QUERY: 1, ANSWER: ${rrs.length}, AUTHORITY: ${rrs.length ? 0 : 1}, ADDITIONAL: 1`, "",
    ";; OPT PSEUDOSECTION:", "; EDNS: version: 0, flags:; udp: 1232", ";; QUESTION SECTION:", `;${name}\t\t\tIN\tA`, ""];
  if (rrs.length) out.push(";; ANSWER SECTION:", ...rrs.map((r) => `${name}\t${r.ttl}\tIN\tA\t${r.data}`), "");
  else out.push(";; AUTHORITY SECTION:", name.endsWith(`${cluster.zone.zone}.`) ? soa : ".\t\t\t30\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2026120700 1800 900 604800 86400", "");
  out.push(";; Query time: 0 msec", `;; SERVER: ${ns}#53(${ns})`, ";; WHEN: Mon Dec 07 10:41:07 UTC 2026", `;; MSG SIZE  rcvd: ${queryLength(name) + 11 + (rrs.length ? 16 * rrs.length : 60)}`, "");
  return good(out.join("\n"));
}

function cat(cluster: CaseCluster, args: readonly string[]): ShellResult {
  if (args[0] !== "/etc/resolv.conf") return bad("cat: this lab shows one file, the client Pod's /etc/resolv.conf");
  return good(formatResolvConf(cluster.resolvConf));
}

/**
 * iputils ping from the client Pod; -s is the ICMP payload (IP packet = size + 28). Without -M, ping leaves
 * the socket at the kernel's default, IP_PMTUDISC_WANT: a packet that fits the path MTU goes with DF set; one
 * that does not is fragmented locally; an ICMP "fragmentation needed" is reported once and lowers the cached
 * path MTU. -M do keeps DF and refuses to fragment (EMSGSIZE: "local error: message too long"); -M probe does
 * the same against the interface's MTU, ignoring what was learned; -M dont clears DF.
 */
function ping(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const [dst] = positional(args, ["-M", "-s", "-c", "-W", "-i"]);
  if (dst === undefined || !/^\d{1,3}(\.\d{1,3}){3}$/.test(dst)) return bad("ping: give an IPv4 address, e.g. ping -M do -s 1372 -c 3 192.168.50.10 (the lab's ping does not resolve names)");
  const sizeText = flag(args, ["-s"]);
  const size = sizeText === undefined ? 56 : Number(sizeText);
  if (sizeText === null || !Number.isInteger(size) || size < 0 || size > 65507) return bad(`ping: invalid -s value: '${sizeText ?? ""}': the payload is 0 to 65507 bytes`);
  const countText = flag(args, ["-c"]);
  const count = countText === undefined ? 4 : Number(countText);
  if (countText === null || !Number.isInteger(count) || count < 1 || count > 10) return bad(`ping: this lab sends 1 to 10 packets (-c), got '${countText ?? ""}'`);
  const given = flag(args, ["-M"]);
  const pmtudisc = given === undefined ? "want" : given;
  if (pmtudisc !== "do" && pmtudisc !== "dont" && pmtudisc !== "want" && pmtudisc !== "probe") return bad(`ping: invalid -M argument: ${pmtudisc ?? ""} (do, dont, want or probe)`);
  const bytes = size + 28;
  const mtu = clientMtu(cluster);
  const strict = pmtudisc === "do" || pmtudisc === "probe";
  // DF is on unless -M dont, or unless want had to fragment the packet locally (fragments never carry DF).
  const df = strict || (pmtudisc === "want" && bytes <= mtu);
  const onPrem = cluster.trouble.onPrem;
  const tail = countText === undefined ? ["^C"] : [];
  const header = `PING ${dst} (${dst}) ${size}(${bytes}) bytes of data.`;
  const stats = (received: number, errors: number, extra: string[] = []) => [
    ...tail, "", `--- ${dst} ping statistics ---`,
    `${count} packets transmitted, ${received} received,${errors ? ` +${errors} errors,` : ""} ${percentG(((count - received) * 100) / count)}% packet loss, time ${(count - 1) * 1001 + 2}ms`, ...extra];
  /** Replies for icmp_seq first..count, each `baseUs` plus a little jitter, with iputils' rtt summary. */
  const replies = (ttl: number, baseUs: number, first = 1) => {
    const jitter = baseUs >= 5000 ? [0, 400, 200, 300, 100] : [0, 36, 18, 27, 9];
    const times = Array.from({ length: count - first + 1 }, (_, i) => baseUs + jitter[i % jitter.length]!);
    return { lines: times.map((us, i) => `${size + 8} bytes from ${dst}: icmp_seq=${first + i} ttl=${ttl} time=${pingTime(us)} ms`), rtt: rttSummary(times) };
  };
  if (strict && bytes > mtu) {
    return good([header, ...Array.from({ length: count }, () => `ping: local error: message too long, mtu=${mtu}`), ...stats(0, count)].join("\n"));
  }
  if (onPrem !== null && dst === onPrem.server) {
    const fits = bytes <= onPrem.linkMtu;
    if (fits || !df) {
      // Small enough for every link, or without DF: the router fragments (RFC 791) and the server reassembles.
      const r = replies(60, fits ? 11200 : 11600);
      return good([header, ...r.lines, ...stats(count, 0, r.rtt)].join("\n"));
    }
    // DF set and too big for the tunnel: the router drops it and sends ICMP 3/4 — which the firewall may eat.
    if (onPrem.icmpFiltered) return good([header, ...stats(0, 0)].join("\n"));
    const fragNeeded = (seq: number) => `From ${onPrem.router} icmp_seq=${seq} Frag needed and DF set (mtu = ${onPrem.linkMtu})`;
    if (pmtudisc === "probe") {
      // probe ignores the learned path MTU: every packet leaves at full size with DF and meets the router again.
      return good([header, ...Array.from({ length: count }, (_, i) => fragNeeded(i + 1)), ...stats(0, count)].join("\n"));
    }
    if (pmtudisc === "do") {
      // The kernel caches mtu 1400 for the destination; from then on sendmsg fails with EMSGSIZE.
      return good([header, fragNeeded(1), ...Array.from({ length: count - 1 }, () => `ping: local error: message too long, mtu=${onPrem.linkMtu}`), ...stats(0, count)].join("\n"));
    }
    // want: the kernel caches mtu 1400, and the next packets are fragmented locally (without DF) and answered.
    const r = replies(60, 11600, 2);
    return good([header, fragNeeded(1), ...r.lines, ...stats(count - 1, 1, count > 1 ? r.rtt : [])].join("\n"));
  }
  const pod = cluster.state.pods.find((p) => p.podIPs.includes(dst));
  const node = NODES.find((n) => n.ip === dst);
  if (pod || node) {
    const r = replies(pod ? 63 : 64, 412);
    return good([header, ...r.lines, ...stats(count, 0, r.rtt)].join("\n"));
  }
  // ClusterIPs are virtual: kube-proxy's iptables rules match only the Service's ports, so ICMP to one goes nowhere.
  return good([header, ...stats(0, 0)].join("\n"));
}

/** A round-trip time as iputils prints it: 3 decimals below 1 ms, 2 below 10, 1 below 100 (rounded). */
function pingTime(us: number): string {
  if (us >= 100000 - 50) return String(Math.floor((us + 500) / 1000));
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, "0")}`;
  return `0.${String(us).padStart(3, "0")}`;
}

/** iputils' summary: min/avg/max and mdev = sqrt(mean of squares − square of mean), in µs, printed as ms with 3 decimals. */
function rttSummary(times: readonly number[]): string[] {
  const n = times.length;
  const avg = Math.floor(times.reduce((a, t) => a + t, 0) / n);
  const mean2 = Math.floor(times.reduce((a, t) => a + t * t, 0) / n);
  const mdev = Math.floor(Math.sqrt(Math.max(0, mean2 - avg * avg)));
  const ms = (us: number) => `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, "0")}`;
  return [`rtt min/avg/max/mdev = ${ms(Math.min(...times))}/${ms(avg)}/${ms(Math.max(...times))}/${ms(mdev)} ms`];
}

/** printf's %g (6 significant digits, no trailing zeros), as iputils prints the loss percentage. */
function percentG(x: number): string {
  return String(Number(Math.fround(x).toPrecision(6)));
}

/** iproute2 in the client Pod: its eth0 (the CNI's MTU) and the route to an address, with any cached path MTU. */
function ipCommand(cluster: CaseCluster, args: readonly string[]): ShellResult {
  const mtu = clientMtu(cluster);
  if ((args[0] === "link" || args[0] === "l") && (args[1] === undefined || args[1] === "show" || args[1] === "list")) {
    const dev = args[2] === "dev" ? args[3] : args[2];
    if (dev !== undefined && dev !== "eth0" && dev !== "lo") return good(`Device "${dev}" does not exist.`);
    const lo = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00";
    const eth0 = `2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ${mtu} qdisc noqueue state UP mode DEFAULT group default\n    link/ether 2a:91:6c:0e:3f:51 brd ff:ff:ff:ff:ff:ff link-netnsid 0`;
    return good(dev === "eth0" ? eth0 : dev === "lo" ? lo : `${lo}\n${eth0}`);
  }
  if ((args[0] === "route" || args[0] === "r") && args[1] === "get") {
    const dst = args[2];
    if (dst === undefined || !/^\d{1,3}(\.\d{1,3}){3}$/.test(dst)) return bad("ip route get: give an IPv4 address, e.g. ip route get 192.168.50.10");
    const gw = CLIENT_POD.ip.replace(/\.\d+$/, ".1");
    const onPrem = cluster.trouble.onPrem;
    const path = onPremPath(cluster);
    // After a full-size send, a received ICMP 3/4 leaves a route exception with the learned MTU (10 min).
    const learned = onPrem !== null && dst === onPrem.server && path?.status === "delivered-after-pmtud" ? ` expires 597sec mtu ${path.pathMtu}` : "";
    return good(`${dst} via ${gw} dev eth0 src ${CLIENT_POD.ip} uid 0 \n    cache${learned}`);
  }
  return bad("ip: this lab computes ip link show [eth0] and ip route get ADDRESS");
}

