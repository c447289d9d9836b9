import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

describe("npm run sim -- cni", () => {
  it("prints the hops in order, and the overlay's outer headers field by field", () => {
    const out = sim("cni", "--cni", "calico", "--path", "cross-node", "--overlay", "vxlan");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^ 1\. \[node-a \/ pod client \/ eth0\] 10\.4\.0\.5 → 10\.4\.1\.9 TTL 64$/m);
    expect(out.stdout).toMatch(/destination port\s+12 b5\s+4789/);
    expect(out.stdout).toMatch(/VNI\s+00 10 00\s+4096/);
  });

  it("--json gives { cni, path, hops: [{ id, where, what, src, dst, ttl }], encapsulation }", () => {
    const json = JSON.parse(sim("cni", "--cni", "calico-vxlan", "--path", "cross-node", "--json").stdout);
    expect(json).toMatchObject({ cni: "calico", path: "cross-node", overlay: "vxlan" });
    expect(json.hops.map((h: { id: string }) => h.id)).toEqual(["pod-send", "veth-out", "root-route", "encap", "wire", "decap", "dest-route", "veth-in", "pod-receive"]);
    expect(json.hops[0]).toMatchObject({ where: { node: "node-a", namespace: "pod client", interface: "eth0" }, src: "10.4.0.5", dst: "10.4.1.9", ttl: 64 });
    expect(json.encapsulation.layers.map((l: { name: string; bytes: number }) => l.bytes)).toEqual([14, 20, 8, 8, 14]);
    expect(json.encapsulation.layers[3].hex).toBe("08 00 00 00 00 10 00 00");
    const native = JSON.parse(sim("cni", "--cni", "gke-legacy", "--path", "cross-node", "--json").stdout);
    expect(native.encapsulation).toBeNull();
    expect(native.hops.at(-1)).toMatchObject({ src: "10.4.0.5", dst: "10.4.1.9", ttl: 62 });
  });

  it("bad input is exit 2 with a one-line message", () => {
    for (const args of [["--cni", "weave", "--path", "same-node"], ["--cni", "calico", "--path", "diagonal"], ["--cni", "gke-legacy", "--path", "cross-node", "--overlay", "vxlan"], ["--cni", "calico"], ["--path", "same-node"], ["--cni", "calico", "--path", "same-node", "--mtu", "1"]]) {
      const out = sim("cni", ...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });
});
