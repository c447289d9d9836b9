import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" });
const JSON_FILE = "test/fixtures/rpki/vrps.json";
const CSV_FILE = "test/fixtures/rpki/vrps.csv";

describe("npm run sim -- rov", () => {
  it("prints the state first, then the covering and matching VRPs (both export formats agree)", () => {
    for (const file of [JSON_FILE, CSV_FILE]) {
      const out = sim("rov", "--vrps", file, "192.0.2.0/24", "AS64496");
      expect(out.status, out.stderr).toBe(0);
      const lines = out.stdout.split("\n");
      expect(lines[0]).toBe("Valid");
      expect(out.stdout).toMatch(/^covering: 1$/m);
      expect(out.stdout).toMatch(/^ {2}AS64496 +192\.0\.2\.0\/24 +24 +ripe +matches$/m);
      expect(out.stdout).toMatch(/^matching: 1$/m);
    }
  });

  it("--json gives state, covering and matching; ORIGIN_ASN may be 64496 or AS64496", () => {
    const a = JSON.parse(sim("rov", "--vrps", JSON_FILE, "192.0.2.0/25", "64496", "--json").stdout);
    const b = JSON.parse(sim("rov", "--vrps", CSV_FILE, "192.0.2.0/25", "AS64496", "--json").stdout);
    expect(a.state).toBe("Invalid"); // longer than maxLength 24 (RFC 6811 §2)
    expect(a.covering).toEqual([{ asn: "AS64496", prefix: "192.0.2.0/24", maxLength: 24, ta: "ripe", why: "/25 is longer than maxLength 24" }]);
    expect(a.matching).toEqual([]);
    expect(b).toEqual(a);
  });

  it("handles IPv6, 32-bit ASNs and AS0", () => {
    const v6 = JSON.parse(sim("rov", "--vrps", CSV_FILE, "2001:db8:100::/48", "AS4200000001", "--json").stdout);
    expect(v6.state).toBe("Valid");
    expect(v6.covering.map((v: { prefix: string }) => v.prefix)).toEqual(["2001:db8::/32", "2001:db8:100::/40"]);
    expect(v6.matching.map((v: { asn: string }) => v.asn)).toEqual(["AS4200000001"]);
    // 203.0.113.0/24 has an AS0 VRP up to /32 beside AS64498's /24: the /24 from AS64498 is Valid, a /25 Invalid.
    expect(JSON.parse(sim("rov", "--vrps", CSV_FILE, "203.0.113.0/24", "64498", "--json").stdout).state).toBe("Valid");
    expect(JSON.parse(sim("rov", "--vrps", CSV_FILE, "203.0.113.128/25", "64498", "--json").stdout).state).toBe("Invalid");
    expect(JSON.parse(sim("rov", "--vrps", CSV_FILE, "203.0.113.0/24", "0", "--json").stdout).state).toBe("Invalid");
    const none = sim("rov", "--vrps", JSON_FILE, "8.8.8.0/24", "15169");
    expect(none.stdout.split("\n")[0]).toBe("NotFound");
  });

  it("names every bad line of an export and exits 2", () => {
    const csv = sim("rov", "--vrps", "test/fixtures/rpki/bad.csv", "192.0.2.0/24", "64496");
    expect(csv.status).toBe(2);
    expect(csv.stderr.trim().split("\n")).toHaveLength(1);
    expect(csv.stderr).toContain("line 3: maxLength 33 is longer than 32");
    expect(csv.stderr).toContain("line 4: maxLength 20 is shorter than the prefix length 24");
    expect(csv.stderr).toContain("line 5: asn AS4294967296");
    expect(csv.stderr).toContain("line 6: prefix 2001:db8::/129");
    const json = sim("rov", "--vrps", "test/fixtures/rpki/bad.json", "192.0.2.0/24", "64496");
    expect(json.status).toBe(2);
    expect(json.stderr).toContain("line 4 (roas[1]): maxLength 129");
    expect(json.stderr).toContain("line 5 (roas[2]): asn ASX");
    expect(json.stderr).toContain('line 6 (roas[3]): "maxLength" is missing');
    expect(json.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("refuses a missing file, a bad prefix, a bad ASN or missing arguments with exit 2", () => {
    for (const [args, text] of [
      [["--vrps", "test/fixtures/rpki/none.json", "192.0.2.0/24", "1"], "none.json: no such file"],
      [["--vrps", CSV_FILE, "192.0.2/24", "1"], "192.0.2/24"],
      [["--vrps", CSV_FILE, "192.0.2.0/33", "1"], "at most /32"],
      [["--vrps", CSV_FILE, "192.0.2.0/24", "AS4294967296"], "AS4294967296"],
      [["--vrps", CSV_FILE, "192.0.2.0/24"], "ORIGIN_ASN"],
      [["192.0.2.0/24", "1"], "--vrps"],
    ] as const) {
      const out = sim("rov", ...args);
      expect(out.status, out.stdout).toBe(2);
      expect(out.stderr).toContain(text);
    }
  });

  it("reads a route prefix with host bits as its canonical prefix, with a warning", () => {
    const out = sim("rov", "--vrps", CSV_FILE, "198.51.100.7/23", "AS64497", "--json");
    expect(out.status).toBe(0);
    expect(out.stderr).toContain("host bits");
    expect(JSON.parse(out.stdout).route.prefix).toBe("198.51.100.0/23");
  });
});
