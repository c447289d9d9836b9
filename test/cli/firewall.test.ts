import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { firewallWorldYaml } from "../../src/sim/kube/policy/firewall-world";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });
let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-firewall-"));
  writeFileSync(file("world.yaml"), firewallWorldYaml({ sourceRanges: ["198.51.100.0/24"], trafficPolicy: "Cluster", policy: true }));
  writeFileSync(file("local.yaml"), firewallWorldYaml({ sourceRanges: ["198.51.100.0/24"], trafficPolicy: "Local", policy: true }));
  writeFileSync(file("bad.yaml"), "apiVersion: v1\nkind: Service\nmetadata: { name: x, namespace: shop }\nspec:\n  type: ClusterIP\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports: [{ port: 80 }]\n");
});

describe("npm run sim -- firewall", () => {
  it("drops a client outside loadBalancerSourceRanges at the VPC firewall (JSON contract)", () => {
    const out = sim("firewall", file("world.yaml"), "--from", "192.0.2.50", "--to", "shop/web:443", "--json");
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.delivered).toBe(false);
    expect(json.droppedAt).toEqual({ layer: "vpc-firewall", rule: "implied-deny-ingress" });
    expect(json.layers.map((l: { layer: string }) => l.layer)).toEqual(["load-balancer", "vpc-firewall", "kube-proxy", "traffic-policy", "network-policy"]);
    for (const l of json.layers) expect(Object.keys(l)).toEqual(expect.arrayContaining(["layer", "verdict", "rule", "detail"]));
  });
  it("names kube-proxy's chain when a user rule opens the firewall wider (text)", () => {
    const out = sim("firewall", file("world.yaml"), "--from", "192.0.2.50", "--to", "shop/web", "--rule", "open-web,900,allow,0.0.0.0/0,tcp:443");
    expect(out.status).toBe(0);
    expect(out.stdout.split("\n")[0]).toMatch(/^DROPPED at kube-proxy by KUBE-PROXY-FIREWALL/);
    expect(out.stdout).toContain("-j DROP");
  });
  it("shows the ipBlock trap under Cluster and delivery under Local", () => {
    const cluster = JSON.parse(sim("firewall", file("world.yaml"), "--from", "198.51.100.7", "--to", "shop/web:443", "--json").stdout);
    expect(cluster.droppedAt).toEqual({ layer: "network-policy", rule: "shop/web-from-office" });
    const local = JSON.parse(sim("firewall", file("local.yaml"), "--from", "198.51.100.7", "--to", "shop/web:443", "--json").stdout);
    expect(local).toMatchObject({ delivered: true, droppedAt: null, sourceSeenByPod: "198.51.100.7", node: "node-b" });
  });
  it("runs a named wrong model", () => {
    const out = JSON.parse(sim("firewall", file("world.yaml"), "--from", "198.51.100.7", "--to", "shop/web", "--model", "ipblock-sees-client", "--json").stdout);
    expect(out.delivered).toBe(true);
  });
  it("exits 2 with one line for bad input, never a stack trace", () => {
    for (const args of [
      ["firewall", file("world.yaml"), "--to", "shop/web"],
      ["firewall", file("world.yaml"), "--from", "198.51.100", "--to", "shop/web"],
      ["firewall", file("world.yaml"), "--from", "198.51.100.7", "--to", "shop/nope"],
      ["firewall", file("world.yaml"), "--from", "198.51.100.7", "--to", "shop/web:80"],
      ["firewall", file("world.yaml"), "--from", "198.51.100.7", "--to", "shop/web", "--rule", "x,1,allow,0.0.0.0/0"],
      ["firewall", file("world.yaml"), "--from", "198.51.100.7", "--to", "shop/web", "--gke-rules", "maybe"],
      ["firewall", file("local.yaml"), "--from", "198.51.100.7", "--to", "shop/web", "--node", "node-a"],
      ["firewall", file("world.yaml"), "--from", "198.51.100.7", "--to", "shop/web", "--model", "nope"],
      ["firewall", file("missing.yaml"), "--from", "198.51.100.7", "--to", "shop/web"],
      ["firewall", file("bad.yaml"), "--from", "198.51.100.7", "--to", "shop/x"],
    ]) {
      const out = sim(...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr).not.toMatch(/\n\s+at /);
      expect(out.stdout).toBe("");
    }
  });
});
