import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { clusterIpDeploymentManifest, nodePortLoadBalancerManifest } from "../../src/sim/kube/manifest/examples/index";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-cli-"));
  writeFileSync(file("clusterip.yaml"), clusterIpDeploymentManifest);
  writeFileSync(file("nodeport.yaml"), nodePortLoadBalancerManifest);
  writeFileSync(file("broken.yaml"), clusterIpDeploymentManifest.replace("port: 80", "port: 70000"));
  writeFileSync(file("bad-syntax.yaml"), "apiVersion: v1\nkind: Service\nmetadata: [unclosed\n");
});

describe("npm run sim", () => {
  it("documents every command in --help", () => {
    const out = sim("--help");
    expect(out.status).toBe(0);
    for (const command of ["trace <scenario>", "kube-proxy rules FILE.yaml", "kube-proxy trace FILE.yaml", "--src IP --dst IP:PORT", "maglev --backends"]) {
      expect(out.stdout).toContain(command);
    }
  });

  it("trace --model runs the flagship under a named misconception, and refuses an unknown one", () => {
    const real = JSON.parse(sim("trace", "cloudflare-gke", "--json").stdout);
    const wrong = sim("trace", "cloudflare-gke", "--model", "reply-retraces-all", "--json");
    expect(wrong.status).toBe(0);
    const trace = JSON.parse(wrong.stdout);
    expect(trace.model).toBe("reply-retraces-all");
    const devicesBack = (t: { hops: { direction: string; device: { id: string } }[] }) => t.hops.filter((h) => h.direction === "response").map((h) => h.device.id);
    expect(devicesBack(real)).not.toContain("maglev");
    expect(devicesBack(trace)).toContain("maglev");
    expect(sim("trace", "cloudflare-gke", "--model", "tls-at-pod").stdout.split("\n")[0]).toContain("model=tls-at-pod");
    const unknown = sim("trace", "cloudflare-gke", "--model", "flat-earth");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("tls-at-pod");
  });

  it("kube-proxy rules prints both tables in iptables-save form", () => {
    const out = sim("kube-proxy", "rules", file("clusterip.yaml"));
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^\*filter$/m);
    expect(out.stdout).toMatch(/^\*nat$/m);
    expect(out.stdout).toMatch(/^-A KUBE-SERVICES -d 10\.96\.120\.15\/32 -p tcp -m comment --comment "shop\/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-[A-Z2-7]{16}$/m);
    expect(out.stdout.match(/^COMMIT$/gm)?.length).toBeGreaterThanOrEqual(2);
  });

  it("kube-proxy rules --mode ipvs prints the IPVS table as ipvsadm -Ln does", () => {
    const out = sim("kube-proxy", "rules", file("clusterip.yaml"), "--mode", "ipvs");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain("IP Virtual Server version");
    expect(out.stdout).toMatch(/^TCP {2}10\.96\.120\.15:80 rr/m);
  });

  it("kube-proxy trace --json keeps the contract's fields", () => {
    const out = sim("kube-proxy", "trace", file("clusterip.yaml"), "--src", "10.244.1.50", "--dst", "10.96.120.15:80", "--seed", "3", "--json");
    expect(out.status, out.stderr).toBe(0);
    const walk = JSON.parse(out.stdout);
    expect(walk.verdict).toBe("DNAT");
    expect(walk.candidates).toEqual(["10.244.1.12:8080", "10.244.2.7:8080"]);
    expect(walk.candidates).toContain(walk.chosen);
    expect(walk.masquerade).toBe(false);
    expect(Array.isArray(walk.steps) && walk.steps.length > 0).toBe(true);
  });

  it("a NodePort from outside is masqueraded; a Service port nobody serves is NONE", () => {
    const np = JSON.parse(sim("kube-proxy", "trace", file("nodeport.yaml"), "--src", "198.51.100.7", "--dst", "10.0.1.11:30080", "--json").stdout);
    expect(np.verdict).toBe("DNAT");
    expect(np.masquerade).toBe(true);
    const none = JSON.parse(sim("kube-proxy", "trace", file("nodeport.yaml"), "--src", "198.51.100.7", "--dst", "10.0.1.11:31999", "--json").stdout);
    expect(none.verdict).toBe("NONE");
    expect(none.chosen).toBeNull();
  });

  it("traces an in-cluster scenario from a preset", () => {
    const out = sim("trace", "clusterip-from-pod", "--json");
    expect(out.status, out.stderr).toBe(0);
    const trace = JSON.parse(out.stdout);
    expect(trace.outcome.status).toBe("delivered");
    expect(trace.steps.map((s: { id: string }) => s.id)).toContain("netfilter-node-a");
  });

  it.each([
    [["kube-proxy", "rules"], "name at least one YAML file"],
    [["kube-proxy", "rules", "/nonexistent.yaml"], "/nonexistent.yaml: no such file"],
    [["kube-proxy", "trace", "FILE", "--dst", "10.96.0.1:80"], "--src"],
    [["kube-proxy", "trace", "FILE", "--src", "10.0.0.1", "--dst", "10.96.0.1"], "write the destination as IP:PORT"],
    [["kube-proxy", "trace", "FILE", "--src", "10.0.0.300", "--dst", "10.96.0.1:80"], "octet 4 is above 255"],
    [["kube-proxy", "trace", "FILE", "--src", "10.0.0.1", "--dst", "10.96.0.1:80", "--proto", "icmp"], "tcp, udp or sctp"],
    [["kube-proxy", "rules", "FILE", "--mode", "nft"], "the mode is one of iptables, ipvs"],
    [["kube-proxy", "rules", "BROKEN"], "spec.ports[0].port: Invalid value: 70000"],
    [["kube-proxy", "rules", "SYNTAX"], "bad-syntax.yaml:4:1: YAML syntax error"],
    [["kube-proxy", "frobnicate"], "rules or trace"],
    [["nonsense"], "no such command"],
    [["maglev", "--backends", "a,b", "--size", "100", "--flow", "x"], "the table size is a prime"],
    [["trace", "clusterip-from-pod", "--preset", "nope"], "has the presets default"],
  ])("exits 2 with a message naming the input for %j", (args, message) => {
    const resolved = args.map((a) => (a === "FILE" ? file("clusterip.yaml") : a === "BROKEN" ? file("broken.yaml") : a === "SYNTAX" ? file("bad-syntax.yaml") : a));
    const out = sim(...resolved);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("maglev prints the backend a flow lands on, the same as the Maglev module", () => {
    const out = JSON.parse(sim("maglev", "--backends", "gfe-1,gfe-2,gfe-3", "--size", "13", "--flow", "tcp 198.51.100.23:51514 → 34.98.10.5:443", "--json").stdout);
    expect(out.tableSize).toBe(13);
    expect(out.slotCounts.reduce((a: number, b: number) => a + b, 0)).toBe(13);
    expect(["gfe-1", "gfe-2", "gfe-3"]).toContain(out.backend);
  });
});
