import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLOUDFLARE_SSL_HELP } from "../../scripts/sim-cloudflare-ssl";

const sim = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/sim.ts", "cloudflare-ssl", ...args], { encoding: "utf8" });

describe("npm run sim -- cloudflare-ssl", () => {
  it("prints the outcome first, then each hop and the trace with Full (strict)'s checks", () => {
    const out = sim("--mode", "strict", "--origin-cert", "self-signed");
    expect(out.status).toBe(0);
    const lines = out.stdout.split("\n");
    expect(lines[0]).toBe("526 Invalid SSL Certificate");
    expect(out.stdout).toContain("visitor -> Cloudflare  https on port 443, encrypted");
    expect(out.stdout).toContain("Cloudflare -> origin   https on port 443, handshake aborted");
    expect(out.stdout).toMatch(/FAIL self-signed \(certificate 0\)/);
    expect(out.stdout).toContain("edge-rejects [edge]");
  });

  it("says Full encrypts but does not authenticate", () => {
    const out = sim("--mode", "full", "--origin-cert", "self-signed");
    expect(out.stdout.split("\n")[0]).toBe("200 OK");
    expect(out.stdout).toContain("origin NOT authenticated");
  });

  it("--json carries the outcome, the hops and the steps; full-strict is read as strict", () => {
    const out = sim("--mode", "full-strict", "--origin-cert", "expired", "--visitor", "http", "--origin-listens", "https-only", "--json");
    expect(out.status).toBe(0);
    const r = JSON.parse(out.stdout);
    expect(r.input).toMatchObject({ mode: "strict", cert: "expired", listener: "https-only", visitor: "http", host: "www.example.com" });
    expect(r.outcome).toMatchObject({ code: 526, status: "526 Invalid SSL Certificate", kind: "error-page" });
    expect(r.hops.edgeOrigin).toMatchObject({ scheme: "https", port: 443, origin: "rejected" });
    expect(r.verdict.failedCheck).toBe("validity");
    expect(r.steps.map((s: { id: string }) => s.id)).toContain("r2-edge-rejects");
  });

  it("shows the Flexible redirect loop and the 521 of an origin without port 443", () => {
    expect(sim("--mode", "flexible", "--origin-cert", "valid", "--origin-listens", "https-only").stdout).toContain("ERR_TOO_MANY_REDIRECTS");
    expect(sim("--mode", "full", "--origin-cert", "valid", "--origin-listens", "http-only").stdout.split("\n")[0]).toBe("521 Web Server Is Down");
  });

  it("runs a wrong model on request", () => {
    const out = sim("--mode", "strict", "--origin-cert", "self-signed", "--model", "self-signed-502");
    expect(out.stdout.split("\n")[0]).toContain("502 Bad Gateway");
    expect(out.stdout.split("\n")[0]).toContain("self-signed-502");
  });

  it("exits 2 with the allowed values on bad input, never a stack trace", () => {
    const cases: [string[], RegExp][] = [
      [["--mode", "partial", "--origin-cert", "valid"], /off, flexible, full, strict, origin-pull/],
      [["--mode", "full", "--origin-cert", "stolen"], /valid, self-signed, expired, wrong-host, origin-ca, none/],
      [["--mode", "full", "--origin-cert", "valid", "--origin-listens", "ftp"], /both, https-only, http-only/],
      [["--mode", "full", "--origin-cert", "valid", "--visitor", "gopher"], /https, http/],
      [["--mode", "full", "--origin-cert", "valid", "--host", "www.example.org"], /zone is example\.com/],
      [["--mode", "full", "--origin-cert", "valid", "--host", "bad..name"], /label 2 is empty/],
      [["--mode", "full", "--origin-cert", "valid", "--always-https", "maybe"], /on or off/],
      [["--mode", "full", "--origin-cert", "valid", "--model", "flat-earth"], /self-signed-502/],
      [["--origin-cert", "valid"], /--mode/],
      [["--mode", "full"], /--origin-cert/],
      [["--mode", "full", "--origin-cert", "valid", "--port", "8443"], /unknown option/],
    ];
    for (const [args, message] of cases) {
      const out = sim(...args);
      expect(out.status, args.join(" ")).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
  }, 180_000);

  it("has help lines naming every flag", () => {
    for (const flag of ["--mode", "--origin-cert", "--origin-listens", "--visitor", "--host", "--always-https", "--model", "--json"]) {
      expect(CLOUDFLARE_SSL_HELP).toContain(flag);
    }
  });
});
