/**
 * `npm run sim -- cert verify --chain FILE.pem [--roots FILE.pem] [--host NAME] [--at ISO-8601] [--json]`: validates a
 * server's certificate chain the way a TLS client does (RFC 5280 §6 path validation, RFC 9525 name check), with real
 * signatures checked by WebCrypto. Without --roots it trusts the Mozilla root store Node ships (tls.rootCertificates);
 * without --at it validates now. Exit 0 on SUCCESS, 1 on FAILURE, 2 on bad input.
 */
import { readFileSync, statSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { InputError } from "../src/sim/net/errors";
import { LIMIT_NOTE, MAX_TEXT_BYTES, parseCertificateDer, parsePemBundle, type BundleLimits, type ParsedCert } from "../src/sim/tls/x509/parse";
import { parseReferenceId } from "../src/sim/tls/x509/names";
import { ROOT_STORE_LIMITS, verifyParsed } from "../src/sim/tls/x509/verify";
import type { Verdict } from "../src/sim/tls/x509/types";
import { one, parseArgs, print } from "./sim-args";

export const CERT_HELP = `  cert verify --chain FILE.pem [--roots FILE.pem] [--host NAME] [--at ISO-8601] [--json]
      Validate a server's certificate chain as a TLS client does: build the path from the leaf to a trusted
      root (RFC 5280 §6), verify every signature (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA P-256/P-384, Ed25519),
      then check validity, basicConstraints, keyUsage, extendedKeyUsage (serverAuth), nameConstraints and,
      with --host, the name (RFC 9525: subjectAltName only, no CN fallback). --chain: PEM, leaf first, then
      intermediates in any order (or one DER/base64 certificate); --roots: PEM trust anchors (default: the
      Mozilla root store Node ships); --host: a DNS name or an IP address; --at: the validation instant
      (default: now). Prints SUCCESS or FAILURE, the path built and every check. Exit 0 SUCCESS, 1 FAILURE,
      2 bad input.`;

function readCertificates(file: string, flag: string, limits: BundleLimits & { maxBytes: number }): readonly ParsedCert[] {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(file, `is a directory; ${flag} takes a PEM file`);
    if (stat.size > limits.maxBytes) throw new InputError(file, `is ${Math.ceil(stat.size / 1024)} KB; the limit for ${flag} is ${Math.round(limits.maxBytes / 1024)} KB (${LIMIT_NOTE[limits.kind ?? "chain"].size})`);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(file, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})`);
  }
  // A binary DER certificate starts with a SEQUENCE (0x30) and a long-form length byte, which no PEM text has.
  if (bytes.length > 1 && bytes[0] === 0x30 && bytes[1]! >= 0x80) return [parseCertificateDer(new Uint8Array(bytes), file, "the DER file")];
  return parsePemBundle(bytes.toString("utf8"), file, limits);
}

function parseAt(text: string | undefined): string {
  if (text === undefined) return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) || Number.isNaN(ms)) {
    throw new InputError(`--at ${text}`, "give an ISO 8601 instant, e.g. --at 2026-06-01T00:00:00Z");
  }
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

function formatVerdict(verdict: Verdict, context: { at: string; host: string | undefined; roots: string }): string {
  const lines = [verdict.result, verdict.message, `validated at ${context.at}${context.host ? ` for ${context.host}` : " (no --host: name not checked)"} against ${context.roots}`];
  lines.push("path (leaf first):");
  verdict.path.forEach((e, i) => {
    const anchor = i === verdict.path.length - 1 && e.source === "roots" ? "  (trust anchor)" : "";
    lines.push(`  ${i}  ${e.source === "chain" ? `chain[${e.index}]` : `roots[${e.index}]`}  ${e.cert.subject}${anchor}`);
    lines.push(`       issuer ${e.cert.issuer}`);
    lines.push(`       valid ${e.cert.notBefore} to ${e.cert.notAfter}; ${e.cert.publicKey}, ${e.cert.signatureAlgorithm}`);
  });
  lines.push("checks:");
  for (const c of verdict.checks) {
    lines.push(`  ${c.ok ? "✓" : "✗"} ${c.check}${c.certificate === null ? "" : ` [${c.certificate}]`} ${c.field}`);
    lines.push(`      ${c.rule}`);
    lines.push(`      ${c.detail}`);
  }
  return lines.join("\n");
}

function verdictJson(verdict: Verdict, context: { at: string; host: string | undefined; roots: string }) {
  return {
    result: verdict.result,
    ...(verdict.failedCheck === undefined ? {} : { failedCheck: verdict.failedCheck, certificate: verdict.certificate }),
    message: verdict.message,
    at: context.at,
    host: context.host ?? null,
    roots: context.roots,
    path: verdict.path.map((e, position) => ({ position, source: e.source, index: e.index, ...e.cert })),
    checks: verdict.checks,
  };
}

export async function certCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h") {
    console.log(CERT_HELP);
    return;
  }
  if (sub !== "verify") throw new InputError(sub ?? "", "cert takes a subcommand: verify --chain FILE.pem [--roots FILE.pem] [--host NAME] [--at ISO-8601]");
  const args = parseArgs(rest, ["--chain", "--roots", "--host", "--at"]);
  if (args.positional.length > 0) throw new InputError(args.positional.join(" "), "cert verify takes only options: --chain FILE.pem [--roots FILE.pem] [--host NAME] [--at ISO-8601]");
  const chainFile = one(args, "--chain");
  if (!chainFile) throw new InputError("--chain", "give the server's chain as PEM, leaf first, e.g. --chain chain.pem");
  const at = parseAt(one(args, "--at"));
  const host = one(args, "--host");
  if (host !== undefined && parseReferenceId(host) === null) throw new InputError(`--host ${host}`, "give a DNS name (www.example.com) or an IP address (192.0.2.1, 2001:db8::1)");
  const chain = readCertificates(chainFile, "--chain", { maxBytes: MAX_TEXT_BYTES });
  const rootsFile = one(args, "--roots");
  const roots = rootsFile
    ? readCertificates(rootsFile, "--roots", ROOT_STORE_LIMITS)
    : parsePemBundle(rootCertificates.join("\n"), "Node's root store", ROOT_STORE_LIMITS);
  const context = { at, host, roots: rootsFile ? `${rootsFile} (${roots.length} root${roots.length === 1 ? "" : "s"})` : `the Mozilla root store Node ships (${roots.length} roots)` };
  const verdict = await verifyParsed({ chain, roots, at, ...(host === undefined ? {} : { host }) });
  print(args, verdictJson(verdict, context), () => formatVerdict(verdict, context));
  if (verdict.result === "FAILURE") process.exitCode = 1;
}
