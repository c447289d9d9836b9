import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

describe("npm run sim -- nat", () => {
  it("prints ports per VM and VMs per NAT IP, and the same as JSON", () => {
    const text = sim("nat", "--vms", "1000", "--nat-ips", "1");
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain("1,008");
    const json = JSON.parse(sim("nat", "--vms", "2500", "--nat-ips", "2", "--json").stdout);
    expect(json).toMatchObject({ minPortsPerVm: 64, vmsPerNatIp: 1008, natIpsNeeded: 3, vmsWithoutPorts: 2500 - 2016 });
  });

  it("says whether C connections to one destination fit, and names the first dropped (exit 1)", () => {
    const ok = JSON.parse(sim("nat", "--vms", "2", "--nat-ips", "1", "--connections", "64", "--to", "8.8.8.8:443", "--json").stdout);
    expect(ok.connections).toMatchObject({ fits: true, translated: 64, firstDropped: null });
    const out = sim("nat", "--vms", "2", "--nat-ips", "1", "--connections", "100", "--to", "8.8.8.8:443", "--json");
    expect(out.status).toBe(1);
    expect(JSON.parse(out.stdout).connections.firstDropped).toMatchObject({ index: 65, reason: "OUT_OF_RESOURCES" });
    const dyn = JSON.parse(sim("nat", "--vms", "2", "--nat-ips", "1", "--dynamic", "--max-ports", "128", "--connections", "100", "--to", "8.8.8.8:443", "--json").stdout);
    expect(dyn.connections.fits).toBe(true);
  });

  it("bad input is exit 2 with one line naming the flag", () => {
    for (const [args, flag] of [
      [[], "--vms"], [["--vms", "0"], "--vms"], [["--vms", "2", "--nat-ips", "x"], "--nat-ips"], [["--vms", "2", "--max-ports", "128"], "--max-ports"],
      [["--vms", "2", "--connections", "5"], "--to"], [["--vms", "2", "--connections", "5", "--to", "8.8.8.8"], "--to"], [["--vms", "2", "--dynamic", "--eim"], "--eim"],
    ] as const) {
      const out = sim("nat", ...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).toContain(flag);
    }
  });
});
