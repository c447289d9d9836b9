import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", "bgp", ...args], { encoding: "utf8" });

let dir = "";
const file = (name: string) => join(dir, name);

const LINE = `ases:
  - { asn: 64496, name: Left, kind: access, cities: [paris] }
  - { asn: 64497, name: Middle, kind: transit, cities: [paris, london] }
  - { asn: 64498, name: Right, kind: access, cities: [london] }
sessions:
  - { kind: transit, provider: 64497, customer: 64496, city: paris }
  - { kind: transit, provider: 64497, customer: 64498, city: london }
announcements:
  - { prefix: 192.0.2.0/24, asn: 64498 }
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-bgp-"));
  writeFileSync(file("line.yaml"), LINE);
  writeFileSync(file("bad-city.yaml"), LINE.replace("city: london }", "city: tokyo }"));
  writeFileSync(file("bad-kind.yaml"), LINE.replace("kind: transit, cities", "kind: carrier, cities"));
  writeFileSync(file("syntax.yaml"), "ases: [unclosed\n");
  writeFileSync(file("line.json"), JSON.stringify({
    ases: [{ asn: 64496, name: "L", kind: "access", cities: ["paris"] }, { asn: 64497, name: "R", kind: "access", cities: ["paris"] }],
    sessions: [{ kind: "peer", a: 64496, b: 64497, city: "paris" }],
    announcements: [{ prefix: "2001:db8::/32", asn: "AS64497" }],
  }));
});

describe("npm run sim -- bgp", () => {
  it("prints every router's route, the deciding rule and the anycast outcome on the default internet", () => {
    const out = sim("--prefix", "104.16.0.0/13");
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/3356@madrid\s+13335\s+3356@london\s+300\s+lowest IGP cost/);
    expect(out.stdout).toMatch(/Madrid\s+→ London\s+nearest Paris\s+≠ DIFFERENT/);
    const json = JSON.parse(sim("--prefix", "104.16.0.0/13", "--json").stdout);
    const jburg = json.prefixes[0].anycast.find((o: { city: string }) => o.city === "johannesburg");
    expect(jburg).toMatchObject({ reached: "paris", nearest: "sao-paulo", rule: "as-path-length" });
  });

  it("--from shows the decision step by step, the FIB lookup and the path", () => {
    const out = sim("--from", "3356@madrid", "--prefix", "104.16.0.0/13", "--address", "104.18.32.7");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("lowest IGP cost to the next hop (hot potato)");
    expect(out.stdout).toContain("path: 3356@madrid → 3356@london → 13335@london (delivered at 13335@london)");
  });

  it("--announce a more-specific, --withdraw a site, --rov per AS", () => {
    const hijack = JSON.parse(sim("--announce", "104.18.32.0/24@64500:madrid", "--from", "tokyo", "--address", "104.18.32.7", "--json").stdout);
    expect(hijack.fib.match).toBe("104.18.32.0/24");
    expect(hijack.path.deliveredAt).toBe("64500@madrid");
    const failover = JSON.parse(sim("--withdraw", "104.16.0.0/13@13335:paris", "--prefix", "104.16.0.0/13", "--json").stdout);
    expect(failover.withdrawalUpdates).toBeGreaterThan(0);
    expect(failover.prefixes[0].anycast.find((o: { city: string }) => o.city === "paris").reached).not.toBe("paris");
    expect(sim("--rov", "3356=drop-invalid").status).toBe(0);
  }, 60_000);

  it("reads a topology file in YAML or JSON", () => {
    const out = JSON.parse(sim("--topology", file("line.yaml"), "--json").stdout);
    const left = out.prefixes[0].routers.find((r: { router: string }) => r.router === "64496@paris");
    expect(left.best.asPath).toEqual([64497, 64498]);
    const v6 = JSON.parse(sim("--topology", file("line.json"), "--json").stdout);
    expect(v6.prefixes[0].prefix).toBe("2001:db8::/32");
  });

  it("refuses bad input with exit 2 and a one-line message naming the line or field", () => {
    const cases: [string[], RegExp][] = [
      [["--topology", file("bad-city.yaml")], /line 7: sessions\[1\]\.city: AS64498 has no router in tokyo/],
      [["--topology", file("bad-kind.yaml")], /line 3: ases\[1\]\.kind/],
      [["--topology", file("syntax.yaml")], /syntax\.yaml line \d+: /i],
      [["--topology", file("missing.yaml")], /cannot read/],
      [["--announce", "104.18.32.1/24@64500"], /host bits are set; the block is 104\.18\.32\.0\/24/],
      [["--announce", "104.18.32.0/24"], /PREFIX@AS/],
      [["--announce", "104.18.32.0/24@64500:atlantis"], /unknown city "atlantis"/],
      [["--announce", "104.18.32.0/24@99"], /AS99 is not in the topology/],
      [["--rov", "3356=maybe"], /drop-invalid/],
      [["--from", "9@nowhere"], /no such router/],
      [["--address", "1.2.3.4"], /needs --from/],
      [["--from", "tokyo", "--address", "1.2.3"], /not an IPv4 address/],
    ];
    for (const [args, message] of cases) {
      const out = sim(...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).toMatch(message);
    }
  }, 180_000);
});
