import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** `npm run sim -- maglev`: the contract of issue 8, checked against ../shared/conformance/maglev.json. */
const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const conformance = JSON.parse(readFileSync(fileURLToPath(new URL("../../../shared/conformance/maglev.json", import.meta.url)), "utf8")) as {
  vectors: { M: number; backends: { name: string }[]; expected_table: number[]; removed: number[]; expected_table_after_removal: number[] }[];
};
const TIMEOUT = 60_000;

describe("npm run sim -- maglev", () => {
  it.each(conformance.vectors.map((v) => [v.backends.map((b) => b.name).join(","), v] as const))(
    "prints the published table for %s, and after removal",
    (names, v) => {
      const removed = v.removed.map((i) => v.backends[i]!.name).join(",");
      const out = sim("maglev", "--backends", names, "--size", String(v.M), "--remove", removed, "--json");
      expect(out.status).toBe(0);
      const json = JSON.parse(out.stdout);
      expect(json).toMatchObject({ size: v.M, backends: v.backends.map((b) => b.name), table: v.expected_table, tableAfter: v.expected_table_after_removal });
      const moved = v.expected_table.map((owner, slot) => [owner, slot] as const).filter(([owner, slot]) => v.expected_table_after_removal[slot] !== owner);
      expect(json.moved).toEqual(moved.map(([owner, slot]) => ({ slot, from: v.backends[owner]!.name, to: v.backends[v.expected_table_after_removal[slot]!]!.name })));
      expect(json.entries).toEqual(v.backends.map((_, i) => v.expected_table.filter((o) => o === i).length));
      expect(json.entriesAfter[v.removed[0]!]).toBeNull();
    },
    TIMEOUT,
  );

  it("prints a small table slot by slot in text, with entries per backend and the moved slots", () => {
    const out = sim("maglev", "--backends", "backend-0,backend-1,backend-2", "--size", "7", "--remove", "backend-1");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("   0  backend-1\n   1  backend-2\n   2  backend-0");
    expect(out.stdout).toMatch(/backend-0\s+3 slots/);
    expect(out.stdout).toContain("   0  backend-1 → backend-0");
    expect(out.stdout).toContain("2 of 7 slots moved");
  }, TIMEOUT);

  it("summarises the default 65,537-slot table in text and gives it whole in JSON", () => {
    const names = Array.from({ length: 40 }, (_, i) => `gfe-${i}`).join(",");
    const text = sim("maglev", "--backends", names, "--remove", "gfe-7");
    expect(text.status).toBe(0);
    expect(text.stdout.split("\n").length).toBeLessThan(30);
    expect(text.stdout).toContain("M = 65,537 slots");
    expect(text.stdout).toMatch(/backends own 163\d slots each/);
    const json = JSON.parse(sim("maglev", "--backends", names, "--remove", "gfe-7", "--json").stdout);
    expect(json.size).toBe(65537);
    expect(json.table).toHaveLength(65537);
    expect(Math.max(...json.entries) - Math.min(...json.entries)).toBeLessThanOrEqual(1);
    expect(json.forced).toBe(json.entries[7]);
    expect(json.movedCount).toBe(json.forced + json.needless);
    expect(json.tableAfter).not.toContain(7);
  }, TIMEOUT);

  it("keeps --flow: the backend a flow key lands on, before and after a removal", () => {
    const flow = "tcp 198.51.100.23:51514 → 34.98.10.5:443";
    const json = JSON.parse(sim("maglev", "--backends", "gfe-1,gfe-2,gfe-3", "--size", "13", "--flow", flow, "--remove", "gfe-2", "--json").stdout);
    expect(json.flow).toBe(flow);
    expect(json.backend).toBe(json.backends[json.table[json.slot]]);
    expect(json.backendAfter).toBe(json.backends[json.tableAfter[json.slot]]);
    expect(sim("maglev", "--backends", "gfe-1,gfe-2,gfe-3", "--size", "13", "--flow", flow).stdout).toContain(`flow ${flow} → slot ${json.slot} → ${json.backend}`);
  }, TIMEOUT);

  it.each([
    [["--backends", "a,b", "--size", "100"], "--size 100: 100 is not prime (2 × 50)"],
    [["--backends", "a,b", "--size", "65536"], "65536 is not prime"],
    [["--backends", "a,b", "--size", "12abc"], "whole number"],
    [["--backends", "a,b,c", "--size", "2"], "at least the number of backends (3)"],
    [["--backends", "a,b,a"], "a is named more than once"],
    [["--backends", "a,b", "--remove", "c,a,d"], "c, d are not among --backends"],
    [["--backends", "a,b", "--remove", "b,a"], "removes every backend"],
    [["--backends", "a,b", "--remove", "a,a"], "a is named more than once"],
    [["--backends", "a,,b"], "an empty name"],
    [["--size", "13"], "name the backends"],
  ])("exits 2 naming the input for %j", (args, message) => {
    const out = sim("maglev", ...args);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  }, TIMEOUT);
});
