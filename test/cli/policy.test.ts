import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { policyPods, presetById } from "../../src/sim/kube/policy/presets";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });
let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-policy-"));
  writeFileSync(file("pods.yaml"), policyPods);
  writeFileSync(file("allow.yaml"), presetById("allow-frontend")!.policies);
  writeFileSync(file("dns.yaml"), presetById("dns-blocked")!.policies);
  writeFileSync(file("bad.yaml"), "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: x, namespace: shop }\nspec:\n  podSelector: {}\n  policyTypes: [Both]\n");
});

describe("npm run sim -- policy", () => {
  it("says allowed, and by which policy and rule, per direction (JSON)", () => {
    const out = sim("policy", file("pods.yaml"), file("allow.yaml"), "--from", "shop/frontend", "--to", "shop/backend:8080", "--json");
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.allowed).toBe(true);
    expect(json.egress).toMatchObject({ verdict: "not-isolated", policy: null, rule: null });
    expect(json.ingress).toMatchObject({ verdict: "allowed", policy: "shop/backend-from-frontend", rule: 0 });
  });
  it("names the default-deny policy that drops DNS at the source's egress (text)", () => {
    const out = sim("policy", file("pods.yaml"), file("dns.yaml"), "--from", "shop/frontend", "--to", "kube-system/kube-dns:53/udp");
    expect(out.status).toBe(0);
    expect(out.stdout.split("\n")[0]).toMatch(/^DENIED/);
    expect(out.stdout).toContain("dropped at the source's egress by shop/default-deny-egress");
  });
  it("runs a named wrong model", () => {
    const out = JSON.parse(sim("policy", file("pods.yaml"), file("dns.yaml"), "--from", "shop/frontend", "--to", "kube-system/kube-dns:53/UDP", "--model", "dns-exempt", "--json").stdout);
    expect(out.allowed).toBe(true);
  });
  it("exits 2 with one line for bad input, never a stack trace", () => {
    for (const args of [
      [file("pods.yaml"), "--from", "shop/nobody", "--to", "shop/backend:8080"],
      [file("pods.yaml"), "--from", "shop/frontend", "--to", "shop/backend"],
      [file("pods.yaml"), "--from", "shop/frontend", "--to", "shop/backend:80/ICMP"],
      [file("pods.yaml"), "--to", "shop/backend:80"],
      [file("missing.yaml"), "--from", "shop/frontend", "--to", "shop/backend:80"],
      [file("pods.yaml"), file("bad.yaml"), "--from", "shop/frontend", "--to", "shop/backend:80"],
      [file("pods.yaml"), "--from", "shop/frontend", "--to", "shop/backend:80", "--model", "flat"],
    ]) {
      const out = sim("policy", ...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr).toMatch(/^error: /);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
    expect(sim("policy", file("pods.yaml"), file("bad.yaml"), "--from", "shop/frontend", "--to", "shop/backend:80").stderr).toMatch(/bad\.yaml:6:\d+: spec\.policyTypes\[0\]: Unsupported value: "Both"/);
  }, 180_000);
});
