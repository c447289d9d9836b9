import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { staticIpPreset } from "../../src/sim/edge/static-ip-examples";

/**
 * `npm run sim -- dns` and `npm run sim -- static-ip`. Until scripts/sim.ts dispatches them, the
 * commands run through a two-line stand-in for its error handling (InputError → exit 2).
 */
const dispatched = readFileSync("scripts/sim.ts", "utf8").includes("staticIpCommand");
const STAND_IN = `
const { dnsCommand, staticIpCommand } = await import("./scripts/sim-dns.ts");
const { InputError } = await import("./src/sim/net/errors.ts");
const [command, ...rest] = process.argv.slice(1);
try { (command === "dns" ? dnsCommand : staticIpCommand)(rest); }
catch (e) { if (e instanceof InputError) { console.error("error: " + e.message); process.exitCode = 2; } else throw e; }`;
const sim = (...args: string[]) =>
  dispatched
    ? spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { encoding: "utf8" })
    : spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", STAND_IN, "--", ...args], { encoding: "utf8" });

let dir = "";
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packet-lab-dns-"));
  for (const id of ["working", "terraform-label"]) {
    const p = staticIpPreset(id)!;
    writeFileSync(file(`${id}.yaml`), p.input.ingressYaml);
    writeFileSync(file(`${id}.tf`), p.input.terraform);
  }
  writeFileSync(file("broken.tf"), 'resource "google_compute_global_address" "ip" {\n  name = "ip\n}\n');
});

describe("npm run sim -- dns", () => {
  it("prints the chain in dig sections and what the browser connects to", () => {
    const out = sim("dns", "--setup", "proxied", "--cache", "cold");
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain("a.root-servers.net (198.41.0.4)");
    expect(out.stdout).toContain(";; AUTHORITY SECTION:");
    expect(out.stdout).toContain("browser connects to 104.18.32.7");
  });

  it("--json carries the steps, the query count and the exposure", () => {
    const out = sim("dns", "--setup", "cloud-dns", "--cache", "warm", "--qmin", "off", "--json");
    expect(out.status, out.stderr).toBe(0);
    const chain = JSON.parse(out.stdout);
    expect(chain).toMatchObject({ resolverQueries: 1, originInDns: true, connectsTo: { ip: "34.98.10.5" } });
    expect(chain.steps.map((s: { id: string }) => s.id)).toEqual(["stub-query", "authoritative", "stub-answer"]);
  });

  it("refuses a bad value or model with exit 2 and one line naming it", () => {
    const bad = sim("dns", "--setup", "orange");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("error: --setup orange: choose one of proxied, dns-only, cloud-dns");
    const model = sim("dns", "--model", "flat-earth");
    expect(model.status).toBe(2);
    expect(model.stderr).toContain("registrar-answers-queries");
    expect(sim("dns", "--model", "registrar-answers-queries").stdout).toContain("[registrar]");
  });
});

describe("npm run sim -- static-ip", () => {
  it("passes a working pair with exit 0", () => {
    const out = sim("static-ip", "--ingress", file("working.yaml"), "--terraform", file("working.tf"));
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain("reserved-address — ADDRESS: 34.98.10.5");
  });

  it("reports an error finding by file and line, with the fix, and exits 1", () => {
    const out = sim("static-ip", "--ingress", file("terraform-label.yaml"), "--terraform", file("terraform-label.tf"));
    expect(out.status).toBe(1);
    expect(out.stdout).toContain(`${file("terraform-label.yaml")}:7: error: ingress_ip is a Terraform label, not an address's name`);
    expect(out.stdout).toContain('kubernetes.io/ingress.global-static-ip-name: "web-ingress-ip"');
    expect(out.stdout).toContain("doesn't translate to an existing static IP");
    const json = JSON.parse(sim("static-ip", "--ingress", file("terraform-label.yaml"), "--terraform", file("terraform-label.tf"), "--json").stdout);
    expect(json.ingresses[0].outcome).toBe("sync-error");
  });

  it("names unreadable input: a missing file, a syntax error's line", () => {
    const missing = sim("static-ip", "--ingress", file("nope.yaml"), "--terraform", file("working.tf"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("nope.yaml: no such file");
    const broken = sim("static-ip", "--ingress", file("working.yaml"), "--terraform", file("broken.tf"));
    expect(broken.status).toBe(2);
    expect(broken.stderr.trim()).toBe(`error: ${file("broken.tf")}:2: a string is not closed: a quote is missing before the end of the line`);
  });
});
