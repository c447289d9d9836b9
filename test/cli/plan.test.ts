import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });

describe("npm run sim -- plan", () => {
  it("prints the per-node range and how many nodes fit, and the same as JSON", () => {
    const text = sim("plan", "--pod-range", "10.4.0.0/14", "--max-pods", "64", "--node-range", "10.128.0.0/20", "--service-range", "10.8.0.0/20");
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain("per-node range /25");
    const json = JSON.parse(sim("plan", "--pod-range", "10.4.0.0/14", "--max-pods", "64", "--node-range", "10.128.0.0/20", "--json").stdout);
    expect(json.perNodeRange).toBe("/25");
    expect(json.maxNodes).toBe(2048);
    expect(json.nodesBySubnet).toBe(4092);
  });

  it("a refused plan prints the reasons and exits 1", () => {
    const out = sim("plan", "--pod-range", "10.4.0.0/14", "--max-pods", "110", "--service-range", "10.4.16.0/20", "--json");
    expect(out.status).toBe(1);
    const json = JSON.parse(out.stdout);
    expect(json.refused).toBe(true);
    expect(json.problems[0]).toMatchObject({ flag: "--service-range" });
  });

  it("a bad CIDR or max Pods is exit 2 with one line naming the input", () => {
    for (const args of [["--pod-range", "10.4.0.0/33"], ["--pod-range", "10.4.0.0/14", "--max-pods", "300"], []]) {
      const out = sim("plan", ...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).toMatch(/--pod-range|--max-pods/);
    }
  });
});
