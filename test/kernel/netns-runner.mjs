// Runs INSIDE a private network namespace (started by netns.ts as `unshare -n node netns-runner.mjs`).
// Everything it creates — veth pairs, the nested "pod" and "ext" namespaces, addresses, routes —
// lives in that namespace and disappears with it. Packets go only to addresses configured here:
// the node's veths have no peer outside the namespace, so nothing can leave it.
//
// Input (stdin, JSON): { ruleset, nfacct: string[], probes: Probe[], restoreOnly?: string[] }
//   Probe = { from: "node" | "pod" | "ext", protocol: "tcp" | "udp", src, srcPort, dst, dstPort }
// Output (stdout, JSON): { restoreError, probes: [{ save, conntrack }], restores: [{ ok, error }] }
import { execFileSync, spawn, spawnSync } from "node:child_process";

const input = JSON.parse(await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
}));

const sh = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...options });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const output = { restoreError: null, probes: [], restores: [] };

// nfacct objects first: rules that name one (kube-proxy's --nfacct-name) only load once it exists.
for (const name of input.nfacct ?? []) spawnSync("nfacct", ["add", name], { encoding: "utf8" });

// Rulesets expected to be refused (or accepted): try each with iptables-restore and report.
// An accepted one is read back with iptables-save (as the kernel now holds it), then every table is
// flushed so the next starts from nothing.
for (const text of input.restoreOnly ?? []) {
  const r = spawnSync("iptables-restore", [], { input: text, encoding: "utf8" });
  const ok = r.status === 0;
  const saved = ok ? spawnSync("iptables-save", [], { encoding: "utf8" }).stdout : "";
  for (const table of ["filter", "nat", "mangle", "raw"]) {
    spawnSync("iptables", ["-t", table, "-F"]);
    spawnSync("iptables", ["-t", table, "-X"]);
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

try {
  if (input.ruleset !== undefined) {
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

    const restore = spawnSync("iptables-restore", [], { input: input.ruleset, encoding: "utf8" });
    if (restore.status !== 0) {
      output.restoreError = (restore.stderr || `iptables-restore exited ${restore.status}`).trim();
    } else {
      const tables = ["raw", "mangle", "nat", "filter"];
      for (const probe of input.probes ?? []) {
        spawnSync("conntrack", ["-F"], { stdio: "ignore" });
        for (const t of tables) spawnSync("iptables", ["-t", t, "-Z"], { stdio: "ignore" });
        const script = probeScript(probe);
        if (probe.from === "node") {
          spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
        } else {
          const pid = probe.from === "pod" ? pod.pid : ext.pid;
          spawnSync("nsenter", ["-t", String(pid), "-n", process.execPath, "--input-type=module", "-e", script], { encoding: "utf8" });
        }
        await sleep(50);
        output.probes.push({
          save: sh("iptables-save", ["-c"]),
          conntrack: spawnSync("conntrack", ["-L"], { encoding: "utf8" }).stdout.trim().split("\n").filter((l) => l.trim() !== ""),
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
const s = dgram.createSocket("udp4");
s.bind(${p.srcPort}, ${JSON.stringify(p.src)}, () => s.send("x", ${p.dstPort}, ${JSON.stringify(p.dst)}, () => setTimeout(() => s.close(), 150)));`;
  }
  // One SYN: the connect is abandoned after 300 ms, before the kernel's first retransmission (1 s).
  return `import net from "node:net";
const c = net.connect({ host: ${JSON.stringify(p.dst)}, port: ${p.dstPort}, localAddress: ${JSON.stringify(p.src)}, localPort: ${p.srcPort} });
c.on("error", () => {});
setTimeout(() => { c.destroy(); }, 300);`;
}
