/**
 * `npm run sim -- kube-proxy trace` with IPv6: the bracketed destination, the contract's JSON fields
 * with IPv6 candidates as "[addr]:port", and exit 2 with a message naming the input when it is bad.
 * The bad inputs run through the CLI's own `runCli` in this process (one process each would cost
 * seconds apiece); one of them also as a real process, for its exit status.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../scripts/sim";

const dualStack = fileURLToPath(new URL("../sim/netfilter/fixtures/dual-stack.yaml", import.meta.url));
const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

describe("npm run sim -- kube-proxy trace, IPv6", () => {
  it("says in --help how to write an IPv6 destination", () => {
    expect(sim("--help").stdout).toContain("--dst '[fd00:10:96::a]:80'");
  });

  it("walks a bracketed IPv6 destination through the node's ip6tables rules, keeping the JSON contract", () => {
    const out = sim("kube-proxy", "trace", dualStack, "--src", "fd00:10:244::2", "--dst", "[fd00:10:96::a]:80", "--seed", "3", "--json");
    expect(out.status, out.stderr).toBe(0);
    const walk = JSON.parse(out.stdout);
    expect(walk.verdict).toBe("DNAT");
    expect(walk.candidates).toEqual(["[fd00:10:244:1::1]:8080", "[fd00:10:244:1::2]:8080"]);
    expect(walk.candidates).toContain(walk.chosen);
    expect(walk.masquerade).toBe(false);
    expect(walk.steps.some((s: { kind: string; text?: string }) => s.kind === "rule" && s.text?.includes("-d fd00:10:96::a/128"))).toBe(true);
    expect(walk.conntrack).toMatch(/^tcp {6}6 120 SYN_SENT src=fd00:10:244::2 dst=fd00:10:96::a sport=\d+ dport=80 \[UNREPLIED\] src=fd00:10:244:1::[12] dst=fd00:10:244::2 sport=8080/);
  });

  it("prints the walk for people with bracketed endpoints", () => {
    const out = sim("kube-proxy", "trace", dualStack, "--src", "2001:db8::2", "--dst", "[fd00:192:168::2]:30080");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^tcp \[2001:db8::2\]:\d+ → \[fd00:192:168::2\]:30080 on node node-a \(iptables mode\), entering at PREROUTING$/m);
    expect(out.stdout).toContain("verdict: DNAT → [fd00:10:244:1::3]:8080");
    expect(out.stdout).toContain("masquerade: yes");
  });

  it("walks the dual-stack Service's IPv4 cluster IP through the iptables rules", () => {
    const walk = JSON.parse(sim("kube-proxy", "trace", dualStack, "--src", "10.0.0.2", "--dst", "172.30.0.20:80", "--json").stdout);
    expect(walk.candidates).toEqual(["10.180.0.3:8080"]);
  });

  it.each([
    ["ipvs", "IPVS ip_vs_service_find: TCP [fd00:10:96::a]:80 found in bucket"],
    ["ebpf", "lb6_lookup_service: tc ingress (bpf_host.c / nodeport.h, lb6_local): key {fd00:10:96::a, 80, TCP, slot 0, scope external}"],
  ])("walks an IPv6 destination in %s mode with the same JSON contract", (mode, lookupLine) => {
    const errors: string[] = [];
    const out: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
    runCli(["kube-proxy", "trace", dualStack, "--src", "fd00:10:244::2", "--dst", "[fd00:10:96::a]:80", "--seed", "3", "--mode", mode, "--json"]);
    expect(process.exitCode ?? 0, errors.join("\n")).toBe(0);
    const walk = JSON.parse(out.join("\n"));
    expect(walk.mode).toBe(mode);
    expect(walk.verdict).toBe("DNAT");
    expect([...walk.candidates].sort()).toEqual(["[fd00:10:244:1::1]:8080", "[fd00:10:244:1::2]:8080"]);
    expect(walk.candidates).toContain(walk.chosen);
    expect(walk.masquerade).toBe(false);
    expect(walk.stepText.some((s: string) => s.startsWith(lookupLine))).toBe(true);
  });

  it("prints the IPv6 proxier's IPVS tables: [addr]:port virtual servers, KUBE-6-* sets, ip6tables rules", () => {
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
    runCli(["kube-proxy", "rules", dualStack, "--mode", "ipvs"]);
    expect(process.exitCode ?? 0).toBe(0);
    const lines = out.join("\n").split("\n");
    expect(lines).toContain("TCP  [fd00:10:96::a]:80 rr");
    expect(lines.some((l) => /^ {2}-> \[fd00:10:244:1::1\]:8080 +Masq +1 +0 +0 +$/.test(l))).toBe(true);
    expect(lines).toContain("add KUBE-6-CLUSTER-IP fd00:10:96::a,tcp:80");
    expect(lines).toContain("-A KUBE-SERVICES -s ::1/128 -j RETURN");
    expect(lines).toContain("-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN");
  });

  it("exits 2 with the message on stderr, as a process", () => {
    const out = sim("kube-proxy", "trace", dualStack, "--src", "fd00:10:244::2", "--dst", "fd00:10:96::a:80");
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("error: fd00:10:96::a:80: write an IPv6 destination in brackets, [IP]:PORT");
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it.each([
    [["--src", "fd00:10:244::2", "--dst", "fd00:10:96::a:80"], "fd00:10:96::a:80: write an IPv6 destination in brackets"],
    [["--src", "fd00:10:244::2", "--dst", "[fd00:10:96::a]"], "[fd00:10:96::a]: write the destination as IP:PORT"],
    [["--src", "fd00:10:244::2", "--dst", "[fd00:10:96:::a]:80"], "[fd00:10:96:::a]:80: not an IPv6 address"],
    [["--src", "fd00:10:244:::2", "--dst", "[fd00:10:96::a]:80"], "fd00:10:244:::2: not an IPv6 address"],
    [["--src", "10.0.0.2", "--dst", "[fd00:10:96::a]:80"], "[fd00:10:96::a]:80: the source 10.0.0.2 is IPv4 and the destination IPv6"],
    [["--src", "10.0.0.2", "--dst", "[fd00:10:96::a]:80", "--mode", "ipvs"], "[fd00:10:96::a]:80: the source 10.0.0.2 is IPv4 and the destination IPv6"],
  ])("exits 2 naming the input for %j", (args, message) => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    runCli(["kube-proxy", "trace", dualStack, ...args]);
    expect(process.exitCode).toBe(2);
    expect(errors.join("\n")).toContain(`error: ${message}`);
    expect(log).not.toHaveBeenCalled();
  });
});
