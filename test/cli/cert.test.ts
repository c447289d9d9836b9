/**
 * `npm run sim -- cert verify`: the contract (output, --json, exit codes 0/1/2) on generated sample chains, the
 * default Mozilla root store on a real Let's Encrypt chain (x509-limbo's cryptography.io asset), and every bad input
 * ending in a one-line message with exit 2, never a stack trace.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSamples, SAMPLE_AT } from "../../src/sim/tls/samples";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function sim(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let dir = "";
const file = (name: string) => join(dir, name);
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cert-cli-"));
  for (const c of await generateSamples()) {
    writeFileSync(file(`${c.id}.chain.pem`), c.chainPem);
    writeFileSync(file(`${c.id}.roots.pem`), c.rootsPem);
  }
  const limbo = JSON.parse(readFileSync(new URL("../../../shared/conformance/x509-limbo-subset.json", import.meta.url), "utf8")) as { testcases: { id: string; peer_certificate: string; untrusted_intermediates: string[] }[] };
  const cio = limbo.testcases.find((t) => t.id === "webpki::cryptographydotio-chain")!;
  writeFileSync(file("cio.pem"), [cio.peer_certificate, ...cio.untrusted_intermediates].join("\n"));
  const leafPem = readFileSync(file("valid.chain.pem"), "utf8").split("-----END CERTIFICATE-----")[0]! + "-----END CERTIFICATE-----\n";
  writeFileSync(file("truncated.pem"), leafPem.split("\n").slice(0, 5).join("\n"));
  writeFileSync(file("key.pem"), "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");
  writeFileSync(file("notcert.pem"), "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n");
  writeFileSync(file("badb64.pem"), "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");
  writeFileSync(file("huge.pem"), leafPem.repeat(Math.ceil((1024 * 1024) / leafPem.length)));
  writeFileSync(file("prose.txt"), "hello, this is not a certificate\n");
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verify = (id: string, ...extra: string[]) => sim("cert", "verify", "--chain", file(`${id}.chain.pem`), "--roots", file(`${id}.roots.pem`), "--at", SAMPLE_AT, ...extra);

describe("npm run sim -- cert verify", () => {
  it("prints SUCCESS, the path built and every check, and exits 0", async () => {
    const out = await verify("valid", "--host", "www.example.com");
    expect(out.status, out.stderr).toBe(0);
    const lines = out.stdout.split("\n");
    expect(lines[0]).toBe("SUCCESS");
    expect(out.stdout).toMatch(/^ {2}0 {2}chain\[0\] {2}CN=www\.example\.com$/m);
    expect(out.stdout).toMatch(/^ {2}2 {2}roots\[0\] {2}CN=Packet Lab Sample Root, O=Packet Lab {2}\(trust anchor\)$/m);
    expect(out.stdout).toMatch(/^ {7}valid 2026-03-01T00:00:00Z to 2026-08-29T00:00:00Z/m);
    expect(out.stdout).toMatch(/^ {2}✓ name \[0\] subjectAltName$/m);
    expect(out.stdout).toContain("RFC 9525 §6.3");
    expect(out.stdout).not.toContain("✗");
  });

  it("prints FAILURE with the failing check marked ✗, and exits 1", async () => {
    const out = await verify("expired-leaf", "--host", "www.example.com");
    expect(out.status).toBe(1);
    expect(out.stdout.split("\n")[0]).toBe("FAILURE");
    expect(out.stdout).toMatch(/^ {2}✗ validity \[0\] notAfter$/m);
    expect(out.stdout).toContain("notAfter 2026-05-01T00:00:00Z is before the validation time 2026-06-01T00:00:00Z");
  });

  it("--json gives result, failedCheck, certificate (index in the chain), path, checks and message", async () => {
    const fail = await verify("expired-intermediate", "--host", "www.example.com", "--json");
    expect(fail.status).toBe(1);
    const j = JSON.parse(fail.stdout);
    expect(j).toMatchObject({ result: "FAILURE", failedCheck: "validity", certificate: 1, host: "www.example.com", at: SAMPLE_AT });
    expect(j.path.map((p: { source: string; index: number }) => `${p.source}${p.index}`)).toEqual(["chain0", "chain1", "roots0"]);
    expect(j.checks.at(-1)).toMatchObject({ check: "validity", ok: false, certificate: 1 });
    expect(j.message).toMatch(/^FAILURE: certificate 1/);
    const ok = JSON.parse((await verify("valid-ed25519", "--host", "www.example.com", "--json")).stdout);
    expect(ok.result).toBe("SUCCESS");
    expect(ok.failedCheck).toBeUndefined();
  });

  it("without --host checks no name; an IP --host matches an iPAddress SAN only", async () => {
    const noHost = await verify("wrong-host");
    expect(noHost.status).toBe(0);
    expect(noHost.stdout).toContain("no --host: name not checked");
    expect((await verify("ip-san", "--host", "192.0.2.10")).status).toBe(0);
    const spelled = JSON.parse((await verify("ip-as-dns-san", "--host", "192.0.2.10", "--json")).stdout);
    expect(spelled).toMatchObject({ result: "FAILURE", failedCheck: "name", certificate: 0 });
  });

  it("trusts Node's Mozilla root store without --roots (Let's Encrypt chain, validated in 2023)", async () => {
    const out = await sim("cert", "verify", "--chain", file("cio.pem"), "--host", "cryptography.io", "--at", "2023-07-10T00:00:00Z", "--json");
    expect(out.status, out.stderr).toBe(0);
    const j = JSON.parse(out.stdout);
    expect(j.path.at(-1).subject).toBe("CN=ISRG Root X1, O=Internet Security Research Group, C=US");
    expect(j.roots).toContain("Mozilla root store");
  });

  it.each([
    ["a truncated PEM", () => ["--chain", file("truncated.pem")], /truncated at line \d+: the BEGIN CERTIFICATE block at line 1 has no END/],
    ["a private key", () => ["--chain", file("key.pem")], /line 1: a PRIVATE KEY block, not a certificate\. A private key should never be pasted anywhere/],
    ["DER that is not a certificate", () => ["--chain", file("notcert.pem")], /line 1: the DER is not an X\.509 certificate/],
    ["base64 that does not decode", () => ["--chain", file("badb64.pem")], /line 1: the base64 inside the CERTIFICATE block does not decode/],
    ["a 1 MB file", () => ["--chain", file("huge.pem")], /is 10\d\d KB; the limit for --chain is 256 KB/],
    ["text with no certificate", () => ["--chain", file("prose.txt")], /no CERTIFICATE block found/],
    ["a missing file", () => ["--chain", file("nope.pem")], /nope\.pem: no such file/],
    ["a bad --at", () => ["--chain", file("valid.chain.pem"), "--at", "yesterday"], /--at yesterday: give an ISO 8601 instant/],
    ["a bad --host", () => ["--chain", file("valid.chain.pem"), "--host", "exa mple.com"], /--host exa mple\.com: give a DNS name/],
    ["a wildcard --host", () => ["--chain", file("valid.chain.pem"), "--host", "*.example.com"], /--host \*\.example\.com/],
    ["no --chain", () => ["--host", "www.example.com"], /--chain: give the server's chain/],
    ["an unknown option", () => ["--chain", file("valid.chain.pem"), "--hostname", "x"], /--hostname: unknown option/],
  ])("refuses %s with a one-line message and exit 2", async (_what, args, message) => {
    const out = await sim("cert", "verify", ...args());
    expect(out.status).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses a missing subcommand with exit 2", async () => {
    const out = await sim("cert", "check", "--chain", "x.pem");
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("cert takes a subcommand: verify");
  });
});
