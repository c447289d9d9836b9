import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/trace.ts", ...args], { encoding: "utf8" });

describe("npm run trace", () => {
  it("lists scenarios with their parameters and allowed values", () => {
    const out = run("--list");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("cloudflare-gke");
    expect(out.stdout).toContain("city: paris (default), tokyo, sao-paulo, new-york");
    expect(out.stdout).toContain("pod-health: all-healthy (default), target-unhealthy, all-unhealthy");
  });

  it("prints the public JSON contract", () => {
    const json = execFileSync(process.execPath, ["--import", "tsx", "scripts/trace.ts", "cloudflare-gke", "--set", "city=tokyo", "--json"], { encoding: "utf8" });
    const trace = JSON.parse(json);
    expect(Object.keys(trace)).toEqual(["scenario", "params", "seed", "hops"]);
    expect(trace.params.city).toBe("tokyo");
    const hop = trace.hops[0];
    expect(hop).toMatchObject({ direction: "request", leg: 1, device: { id: "browser", kind: "client", location: "tokyo" } });
    expect(hop).toHaveProperty("in", null);
    expect(hop.events[0].type).toBe("dns-resolve");
    expect(typeof hop.timeMs).toBe("number");
  });

  it("prints a readable trace for people", () => {
    const out = run("cloudflare-gke", "--set", "cloudflare=off");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("TLS termination #1");
    expect(out.stdout).not.toContain("TLS termination #2");
  });

  it("takes any host name and says what is wrong with a bad one", () => {
    const json = execFileSync(process.execPath, ["--import", "tsx", "scripts/trace.ts", "cloudflare-gke", "--set", "host=Shop.Example.com", "--json"], { encoding: "utf8" });
    expect(JSON.parse(json).params.host).toBe("shop.example.com");
    const bad = run("cloudflare-gke", "--set", "host=shop_1.example.com");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('error: host=shop_1.example.com: label 1 ("shop_1") has "_"');
  });

  it.each([
    [["nope"], "error: nope: no such scenario; there is cloudflare-gke"],
    [["cloudflare-gke", "--set", "city=lyon"], "city must be one of paris, tokyo, sao-paulo, new-york"],
    [["cloudflare-gke", "--set", "cityparis"], "write parameters as key=value"],
    [["cloudflare-gke", "--seed", "x"], "a seed is a whole number"],
    [["cloudflare-gke", "--frobnicate"], "unknown option"],
    [[], "name a scenario"],
  ])("fails clearly for %j", (args, message) => {
    const out = run(...args);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(message);
  });
});
