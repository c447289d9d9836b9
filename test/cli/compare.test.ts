/**
 * `npm run sim -- compare`: the with/without-Cloudflare comparison on the command line. Skipped until
 * scripts/sim.ts dispatches the command (the coordinator wires it: `else if (command === "compare") compareCommand(rest);`).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });
const wired = readFileSync("scripts/sim.ts", "utf8").includes("compareCommand");

describe.skipIf(!wired)("npm run sim -- compare", () => {
  it("prints each row with both sides and the steps they were read from", () => {
    const out = sim("compare", "--set", "city=tokyo");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("city=tokyo");
    expect(out.stdout).toMatch(/TLS terminations\n\s+with:\s+2: .*\[with: request:cf-edge, request:gfe\]/);
    expect(out.stdout).toMatch(/without: 1: .*\[without: request:gfe\]/);
  });

  it("--json is the comparison: params, traces, rows and figures", () => {
    const out = sim("compare", "--set", "cache-rule=cache-everything", "--set", "cache=hit", "--json");
    expect(out.status).toBe(0);
    const c = JSON.parse(out.stdout);
    expect(Object.keys(c)).toEqual(["scenario", "seed", "params", "traces", "rows", "figures"]);
    expect(c.traces.with.cloudflare).toBe("on");
    expect(c.figures.differenceMs).toBeLessThan(0);
  });

  it("refuses bad input with exit 2 and a one-line message naming it", () => {
    for (const args of [["--set", "cloudflare=off"], ["--set", "city=atlantis"], ["--set", "city"], ["--seed", "-1"], ["paris"]]) {
      const out = sim("compare", ...args);
      expect(out.status).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});
