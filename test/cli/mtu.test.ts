import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

describe("npm run sim -- mtu", () => {
  it("prints the Pod MTU and each layer's bytes", () => {
    const out = sim("mtu", "--cni", "calico-vxlan", "--node-mtu", "1460");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Pod MTU 1410/);
    expect(out.stdout).toMatch(/^\s+8\s+VXLAN header/m);
    const json = JSON.parse(sim("mtu", "--cni", "calico-ipip", "--node-mtu", "8896", "--json").stdout);
    expect(json).toMatchObject({ podMtu: 8876, overhead: 20, tcpMss: 8836 });
  });

  it("an unknown CNI or an MTU Google Cloud does not allow is exit 2", () => {
    for (const args of [["--cni", "weave"], ["--cni", "calico-vxlan", "--node-mtu", "9001"], ["--cni", "geneve", "--geneve-options", "3"]]) {
      const out = sim("mtu", ...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
