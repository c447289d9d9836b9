/**
 * OpenSSL as referee: every sample chain goes through Debian's `openssl verify` with the same roots, intermediates,
 * validation time, purpose (sslserver) and host, and its verdict — and, on failure, the kind of error — must agree
 * with the engine's. Where OpenSSL's defaults deliberately differ from RFC 9525 the case is listed with the reason, and
 * the test checks instead that OpenSSL behaves as the engine's named legacy model says it does, and that the chain
 * itself (without the host) passes both.
 *
 * Skipped only when `openssl` is not installed (CI installs it: .ci/run).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSamples, SAMPLE_INFO, type SampleCase } from "../../../src/sim/tls/samples";
import { parseIpLiteral } from "../../../src/sim/tls/x509/ip";
import { verifyChain } from "../../../src/sim/tls/x509/verify";
import type { CheckId, NameModel } from "../../../src/sim/tls/x509/types";

const hasOpenssl = spawnSync("openssl", ["version"], { encoding: "utf8" }).status === 0;

/** OpenSSL's X509_V_ERR codes, as the engine's checks. */
const OPENSSL_ERROR_CHECK: Record<number, CheckId> = {
  2: "path", // unable to get issuer certificate
  7: "signature", // certificate signature failure
  9: "validity", // certificate is not yet valid
  10: "validity", // certificate has expired
  18: "self-signed", // self-signed certificate
  19: "path", // self-signed certificate in certificate chain
  20: "path", // unable to get local issuer certificate
  24: "basic-constraints", // invalid CA certificate
  25: "basic-constraints", // path length constraint exceeded
  26: "extended-key-usage", // unsuitable certificate purpose
  47: "name-constraints", // permitted subtree violation
  48: "name-constraints", // excluded subtree violation
  62: "name", // hostname mismatch
  64: "name", // IP address mismatch
  79: "basic-constraints", // invalid CA certificate (OpenSSL 3: basicConstraints cA=FALSE)
};

/** Name cases where OpenSSL's default hostname check is a legacy model the engine names, not RFC 9525. */
const OPENSSL_NAME_DEFAULTS: Record<string, { model: NameModel; why: string }> = {
  "partial-wildcard": { model: "partial-wildcard", why: "X509_check_host allows ww*.example.com unless X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS is set, and `openssl verify` has no flag for it" },
  "cn-only": { model: "cn-fallback", why: "X509_check_host reads the subject CN when there is no dNSName SAN unless X509_CHECK_FLAG_NEVER_CHECK_SUBJECT is set, and `openssl verify` has no flag for it" },
};

interface OpensslVerdict {
  ok: boolean;
  code: number | null;
  output: string;
}

let dir = "";
let cases: readonly SampleCase[] = [];

function opensslVerify(c: SampleCase, host: string | null): OpensslVerdict {
  const certs = c.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/).filter((b) => b.includes("BEGIN"));
  const base = join(dir, c.id);
  writeFileSync(`${base}.leaf.pem`, certs[0]!);
  writeFileSync(`${base}.roots.pem`, c.rootsPem);
  const args = ["verify", "-attime", String(Date.parse(c.at) / 1000), "-CAfile", `${base}.roots.pem`, "-purpose", "sslserver"];
  if (certs.length > 1) {
    writeFileSync(`${base}.inter.pem`, certs.slice(1).join(""));
    args.push("-untrusted", `${base}.inter.pem`);
  }
  if (host !== null) args.push(parseIpLiteral(host) ? "-verify_ip" : "-verify_hostname", host);
  args.push(`${base}.leaf.pem`);
  const run = spawnSync("openssl", args, { encoding: "utf8" });
  const output = `${run.stdout}${run.stderr}`;
  const code = /error (\d+) at \d+ depth/.exec(output);
  return { ok: run.status === 0 && /: OK$/m.test(output), code: code ? Number(code[1]) : null, output };
}

beforeAll(async () => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), "openssl-referee-"));
  cases = await generateSamples();
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasOpenssl)("openssl verify referees the sample chains", () => {
  it.each(SAMPLE_INFO.map((c) => c.id).filter((id) => !(id in OPENSSL_NAME_DEFAULTS)))("%s: same verdict and the same kind of error", async (id) => {
    const c = cases.find((x) => x.id === id)!;
    const engine = await verifyChain({ chainPem: c.chainPem, rootsPem: c.rootsPem, at: c.at, host: c.host });
    const openssl = opensslVerify(c, c.host);
    expect(openssl.ok ? "SUCCESS" : "FAILURE", openssl.output).toBe(engine.result);
    if (!openssl.ok) {
      expect(openssl.code, openssl.output).not.toBeNull();
      expect(OPENSSL_ERROR_CHECK[openssl.code!], openssl.output).toBe(engine.failedCheck);
    }
  });

  it.each(Object.entries(OPENSSL_NAME_DEFAULTS))("%s: OpenSSL's default is the engine's %s model (%s)", async (id, { model }) => {
    const c = cases.find((x) => x.id === id)!;
    // RFC 9525 refuses the name …
    const strict = await verifyChain({ chainPem: c.chainPem, rootsPem: c.rootsPem, at: c.at, host: c.host });
    expect(strict.failedCheck).toBe("name");
    // … OpenSSL's default accepts it, exactly as the engine's model of that default does …
    expect(opensslVerify(c, c.host).ok).toBe(true);
    const legacy = await verifyChain({ chainPem: c.chainPem, rootsPem: c.rootsPem, at: c.at, host: c.host, nameModel: model });
    expect(legacy.result).toBe("SUCCESS");
    // … and without a host both accept the chain itself.
    expect(opensslVerify(c, null).ok).toBe(true);
    expect((await verifyChain({ chainPem: c.chainPem, rootsPem: c.rootsPem, at: c.at })).result).toBe("SUCCESS");
  });

  it("agrees on the host check against a wrong name for the legacy cases (OpenSSL still refuses a different host)", async () => {
    for (const id of Object.keys(OPENSSL_NAME_DEFAULTS)) {
      const c = { ...cases.find((x) => x.id === id)!, host: "other.example.net" };
      expect(opensslVerify(c, c.host).code).toBe(62);
      expect((await verifyChain({ chainPem: c.chainPem, rootsPem: c.rootsPem, at: c.at, host: c.host, nameModel: OPENSSL_NAME_DEFAULTS[id]!.model })).failedCheck).toBe("name");
    }
  });
});

describe.skipIf(hasOpenssl)("openssl verify referee", () => {
  it.skip("skipped: the openssl command is not installed (CI installs Debian's openssl package)", () => {});
});
