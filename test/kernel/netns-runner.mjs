// Runs INSIDE a private network namespace (started by netns.ts as `unshare -n node netns-runner.mjs`).
// Everything it creates — veth pairs, the nested "pod" and "ext" namespaces, addresses, routes,
// neighbour entries — lives in that namespace and disappears with it. Packets go only to addresses
// configured here: the node's veths have no peer outside the namespace, so nothing can leave it.
//
// One runner for both families; `family` picks the node, the tools (iptables-restore / -save or
// ip6tables-restore / -save, `conntrack -f ipv6`) and the probes' sockets.
//
// IPv4 node (kube-proxy's test conventions):
//   eth0 192.168.0.2/24, 192.168.1.2/24, 192.168.99.11/24  →  "ext" namespace: clients 203.0.113.2, .130
//   cbr0 10.0.0.1/8  →  "pod" namespace: a Pod 10.0.0.2; 10.0.0.0/8 routes there
// IPv6 node (the layout of test/kernel/ipv6-rules.test.ts's NODE6 host):
//   eth0 fd00:192:168::2/64  →  "ext" namespace: clients 2001:db8::2 and 2001:db8::82
//   cbr0 fd00:10:244::1/64   →  "pod" namespace: a Pod fd00:10:244::2; fd00:10:244::/56 (every node's Pods) routes there
// Both: a default route towards "ext", forwarding on.
//
// IPv6 is noisier than IPv4 on a fresh link, and its noise passes the ip6tables hooks: DAD and router
// solicitations from link-local addresses, neighbour discovery before the first packet to a next hop,
// MLD reports when an address joins its solicited-node group. So there: no link-local addresses
// (addr_gen_mode 1) and no DAD (accept_dad 0, `nodad`), permanent neighbour entries with fixed MACs
// (no neighbour discovery at all), and before the probes the counters are zeroed until they stay at
// zero — the MLD reports of the setup have been sent.
//
// Input (stdin, JSON): { family?: "IPv4" | "IPv6", ruleset, nfacct: string[], probes: Probe[], restoreOnly?: string[] }
//   Probe = { from: "node" | "pod" | "ext", protocol: "tcp" | "udp", src, srcPort, dst, dstPort }
// Output (stdout, JSON): { restoreError, probes: [{ save, conntrack }], restores: [{ ok, error, saved }], quiet }
//   quiet: IPv6 only — whether the counters went quiet before the probes (null for IPv4).
import { execFileSync, spawn, spawnSync } from "node:child_process";

const input = JSON.parse(await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
}));

const sh = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...options });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TABLES = ["raw", "mangle", "nat", "filter"];

const v6 = input.family === "IPv6";
const tool = { iptables: v6 ? "ip6tables" : "iptables", restore: v6 ? "ip6tables-restore" : "iptables-restore", save: v6 ? "ip6tables-save" : "iptables-save" };
const conntrackFamily = v6 ? ["-f", "ipv6"] : [];

const output = { restoreError: null, probes: [], restores: [], quiet: null };

// nfacct objects first: rules that name one (kube-proxy's --nfacct-name) only load once it exists.
for (const name of input.nfacct ?? []) spawnSync("nfacct", ["add", name], { encoding: "utf8" });

// Rulesets expected to be refused (or accepted): try each with the family's restore and report.
// An accepted one is read back with the family's save (as the kernel now holds it), then every
// table is flushed so the next starts from nothing.
for (const text of input.restoreOnly ?? []) {
  const r = spawnSync(tool.restore, [], { input: text, encoding: "utf8" });
  const ok = r.status === 0;
  const saved = ok ? spawnSync(tool.save, [], { encoding: "utf8" }).stdout : "";
  for (const table of TABLES) {
    spawnSync(tool.iptables, ["-t", table, "-F"]);
    spawnSync(tool.iptables, ["-t", table, "-X"]);
  }
  output.restores.push({ ok, error: (r.stderr ?? "").trim(), saved });
}

const children = [];
function namespaceChild() {
  // A nested namespace held open by a sleeping process; its veth end is moved in by PID.
  const child = spawn("unshare", ["-n", "sleep", "120"], { stdio: "ignore" });
  children.push(child);
  return child;
}
const inNs = (pid, script) => sh("nsenter", ["-t", String(pid), "-n", "sh", "-ec", script]);

/** The IPv4 node; returns the pod and ext namespaces' holders. */
async function ipv4Node() {
  sh("ip", ["link", "set", "lo", "up"]);
  // The node: eth0 towards the "ext" namespace, cbr0 towards the "pod" namespace.
  sh("ip", ["link", "add", "eth0", "type", "veth", "peer", "name", "ext0"]);
  sh("ip", ["link", "add", "cbr0", "type", "veth", "peer", "name", "pod0"]);
  for (const a of ["192.168.0.2/24", "192.168.1.2/24", "192.168.99.11/24"]) sh("ip", ["addr", "add", a, "dev", "eth0"]);
  sh("ip", ["addr", "add", "10.0.0.1/8", "dev", "cbr0"]);
  sh("ip", ["link", "set", "eth0", "up"]);
  sh("ip", ["link", "set", "cbr0", "up"]);
  sh("sysctl", ["-qw", "net.ipv4.ip_forward=1"]);
  // Nothing here may answer a probe by surprise: a forwarded packet whose next hop never resolves
  // makes the node send an ICMP host-unreachable seconds later, which would pass OUTPUT during a
  // later probe. So every route has a next hop that exists — the pod and ext namespaces, which
  // drop what is not theirs silently (they do not forward) — and redirects are off.
  sh("sysctl", ["-qw", "net.ipv4.conf.all.send_redirects=0"]);
  sh("sysctl", ["-qw", "net.ipv4.conf.cbr0.send_redirects=0"]);
  sh("sysctl", ["-qw", "net.ipv4.conf.eth0.send_redirects=0"]);

  const pod = namespaceChild();
  const ext = namespaceChild();
  await sleep(100);
  sh("ip", ["link", "set", "pod0", "netns", String(pod.pid)]);
  sh("ip", ["link", "set", "ext0", "netns", String(ext.pid)]);
  // /32 addresses and a gateway route: every packet, even to 10.0.0.3, goes through the node.
  inNs(pod.pid, "ip link set lo up; ip link set pod0 up; ip addr add 10.0.0.2/32 dev pod0; ip route add 10.0.0.1 dev pod0; ip route add default via 10.0.0.1");
  inNs(ext.pid, "ip link set lo up; ip link set ext0 up; ip addr add 203.0.113.2/32 dev ext0; ip addr add 203.0.113.130/32 dev ext0; ip route add 192.168.0.2 dev ext0; ip route add default via 192.168.0.2");

  sh("ip", ["route", "replace", "10.0.0.0/8", "via", "10.0.0.2", "dev", "cbr0", "onlink", "src", "10.0.0.1"]);
  sh("ip", ["route", "add", "default", "via", "203.0.113.2", "dev", "eth0", "onlink", "src", "192.168.0.2"]);
  for (const name of input.nfacct ?? []) spawnSync("nfacct", ["add", name], { encoding: "utf8" });
  return { pod, ext };
}

const MAC = { eth0: "02:00:00:00:01:01", ext0: "02:00:00:00:01:02", cbr0: "02:00:00:00:02:01", pod0: "02:00:00:00:02:02" };
// No link-local addresses, no duplicate address detection, no router solicitations, and MLD's
// unsolicited report retransmissions 10 ms apart rather than up to a second: set before any link
// exists, in every namespace.
const QUIET_IPV6 = [
  "sysctl -qw net.ipv6.conf.default.addr_gen_mode=1 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0",
  "net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_ra=0",
  "net.ipv6.conf.all.mldv2_unsolicited_report_interval=10 net.ipv6.conf.default.mldv2_unsolicited_report_interval=10",
  "net.ipv6.conf.all.mldv1_unsolicited_report_interval=10 net.ipv6.conf.default.mldv1_unsolicited_report_interval=10",
].join(" ");

/** The IPv6 node; returns the pod and ext namespaces' holders. */
async function ipv6Node() {
  sh("sh", ["-ec", QUIET_IPV6]);
  sh("ip", ["link", "set", "lo", "up"]);
  sh("ip", ["link", "add", "eth0", "address", MAC.eth0, "type", "veth", "peer", "name", "ext0", "address", MAC.ext0]);
  sh("ip", ["link", "add", "cbr0", "address", MAC.cbr0, "type", "veth", "peer", "name", "pod0", "address", MAC.pod0]);
  sh("sysctl", ["-qw", "net.ipv6.conf.all.forwarding=1"]);

  const pod = namespaceChild();
  const ext = namespaceChild();
  await sleep(100);
  inNs(pod.pid, QUIET_IPV6);
  inNs(ext.pid, QUIET_IPV6);
  sh("ip", ["link", "set", "pod0", "netns", String(pod.pid)]);
  sh("ip", ["link", "set", "ext0", "netns", String(ext.pid)]);

  sh("ip", ["-6", "addr", "add", "fd00:192:168::2/64", "dev", "eth0", "nodad"]);
  sh("ip", ["-6", "addr", "add", "fd00:10:244::1/64", "dev", "cbr0", "nodad"]);
  sh("ip", ["link", "set", "eth0", "up"]);
  sh("ip", ["link", "set", "cbr0", "up"]);
  // Global next hops (a link-local one would make the node send redirects), known in advance.
  inNs(pod.pid, [
    "ip link set lo up; ip link set pod0 up",
    "ip -6 addr add fd00:10:244::2/128 dev pod0 nodad",
    "ip -6 route add fd00:10:244::1/128 dev pod0",
    "ip -6 route add default via fd00:10:244::1 dev pod0",
    `ip -6 neigh replace fd00:10:244::1 lladdr ${MAC.cbr0} dev pod0 nud permanent`,
  ].join("; "));
  inNs(ext.pid, [
    "ip link set lo up; ip link set ext0 up",
    "ip -6 addr add 2001:db8::2/128 dev ext0 nodad",
    "ip -6 addr add 2001:db8::82/128 dev ext0 nodad",
    "ip -6 route add fd00:192:168::2/128 dev ext0",
    "ip -6 route add default via fd00:192:168::2 dev ext0",
    `ip -6 neigh replace fd00:192:168::2 lladdr ${MAC.eth0} dev ext0 nud permanent`,
  ].join("; "));
  sh("ip", ["-6", "route", "replace", "fd00:10:244::/56", "via", "fd00:10:244::2", "dev", "cbr0", "onlink"]);
  sh("ip", ["-6", "route", "add", "default", "via", "2001:db8::2", "dev", "eth0", "onlink"]);
  sh("ip", ["-6", "neigh", "replace", "fd00:10:244::2", "lladdr", MAC.pod0, "dev", "cbr0", "nud", "permanent"]);
  for (const client of ["2001:db8::2", "2001:db8::82"]) sh("ip", ["-6", "neigh", "replace", client, "lladdr", MAC.ext0, "dev", "eth0", "nud", "permanent"]);
  return { pod, ext };
}

/** Every rule's packet counter, from ip6tables-save -c: all zero means no packet passed a rule. */
const countersQuiet = () => !/^\[[1-9]/m.test(sh(tool.save, ["-c"]));

try {
  if (input.ruleset !== undefined) {
    const { pod, ext } = v6 ? await ipv6Node() : await ipv4Node();
    const restore = spawnSync(tool.restore, [], { input: input.ruleset, encoding: "utf8" });
    if (restore.status !== 0) {
      output.restoreError = (restore.stderr || `${tool.restore} exited ${restore.status}`).trim();
    } else {
      if (v6) {
        // Wait out the setup's MLD reports: zero the counters until two quiet half-seconds in a row
        // have passed (at most ~10 s).
        let quietInARow = 0;
        for (let attempt = 0; attempt < 20 && quietInARow < 2; attempt++) {
          for (const t of TABLES) spawnSync(tool.iptables, ["-t", t, "-Z"], { stdio: "ignore" });
          await sleep(500);
          quietInARow = countersQuiet() ? quietInARow + 1 : 0;
        }
        output.quiet = quietInARow >= 2;
      }
      for (const probe of input.probes ?? []) {
        spawnSync("conntrack", ["-F", ...conntrackFamily], { stdio: "ignore" });
        for (const t of TABLES) spawnSync(tool.iptables, ["-t", t, "-Z"], { stdio: "ignore" });
        const script = probeScript(probe);
        if (probe.from === "node") {
          spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
        } else {
          const pid = probe.from === "pod" ? pod.pid : ext.pid;
          spawnSync("nsenter", ["-t", String(pid), "-n", process.execPath, "--input-type=module", "-e", script], { encoding: "utf8" });
        }
        await sleep(50);
        output.probes.push({
          save: sh(tool.save, ["-c"]),
          conntrack: spawnSync("conntrack", ["-L", ...conntrackFamily], { encoding: "utf8" }).stdout.trim().split("\n").filter((l) => l.trim() !== ""),
        });
      }
    }
  }
} finally {
  for (const child of children) child.kill("SIGKILL");
}
process.stdout.write(JSON.stringify(output));

/** A tiny node program that sends exactly one packet for the probe's tuple, then gives up. */
function probeScript(p) {
  if (p.protocol === "udp") {
    return `import dgram from "node:dgram";
const s = dgram.createSocket(${JSON.stringify(v6 ? "udp6" : "udp4")});
s.bind(${p.srcPort}, ${JSON.stringify(p.src)}, () => s.send("x", ${p.dstPort}, ${JSON.stringify(p.dst)}, () => setTimeout(() => s.close(), 150)));`;
  }
  // One SYN: the connect is abandoned after 300 ms, before the kernel's first retransmission (1 s).
  return `import net from "node:net";
const c = net.connect({ host: ${JSON.stringify(p.dst)}, port: ${p.dstPort}, localAddress: ${JSON.stringify(p.src)}, localPort: ${p.srcPort}${v6 ? ", family: 6" : ""} });
c.on("error", () => {});
setTimeout(() => { c.destroy(); }, 300);`;
}
