/**
 * The whole validation of real certificates: parse the PEM, verify every candidate signature with WebCrypto
 * (`globalThis.crypto.subtle`, in Node and in browsers) through @peculiar/x509 — RSA PKCS#1 v1.5 and RSASSA-PSS
 * (hash and salt length from the AlgorithmIdentifier), ECDSA P-256/P-384 (the DER signature turned into raw r‖s),
 * Ed25519 — then hand the results to the synchronous checks in validate.ts.
 *
 * What it leaves out: revocation (no CRL or OCSP fetch), and refusing weak algorithms (a SHA-1 signature that
 * verifies counts as verified here; browsers reject it).
 */
import { parsePemBundle, type ParsedCert } from "./parse";
import { sameName, validatePath } from "./validate";
import type { CertModel, ValidateOptions, Verdict } from "./types";

/** Trust stores are larger than chains: Mozilla's holds about 150 roots in about 200 KB of PEM. */
export const ROOT_STORE_LIMITS = { maxBytes: 1024 * 1024, maxCertificates: 400, kind: "trust store" } as const;

interface SignatureTable {
  readonly ok: (child: CertModel, issuer: CertModel) => boolean;
  /** Children whose signature the engine could not check at all, with the reason. */
  readonly unsupported: ReadonlyMap<string, string>;
}

async function verifyOne(child: ParsedCert, issuer: ParsedCert): Promise<{ ok: boolean; error?: string }> {
  try {
    return { ok: await child.cert.verify({ publicKey: issuer.cert.publicKey, signatureOnly: true }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}

/**
 * Every signature the path builder could ask about, verified once: each chain certificate against every
 * certificate (chain or root) whose subject is its issuer's name, and against itself when self-issued.
 */
export async function signatureTable(chain: readonly ParsedCert[], roots: readonly ParsedCert[]): Promise<SignatureTable> {
  const results = new Map<string, boolean>();
  const unsupported = new Map<string, string>();
  const pool = [...roots, ...chain];
  const jobs: Promise<void>[] = [];
  for (const child of chain) {
    for (const issuer of pool) {
      if (!sameName(issuer.model.subject, child.model.issuer)) continue;
      const key = `${child.model.fingerprint}>${issuer.model.fingerprint}`;
      if (results.has(key)) continue;
      results.set(key, false);
      jobs.push(
        verifyOne(child, issuer).then((r) => {
          results.set(key, r.ok);
          if (r.error !== undefined) unsupported.set(child.model.fingerprint, r.error);
        }),
      );
    }
  }
  await Promise.all(jobs);
  return { ok: (child, issuer) => results.get(`${child.fingerprint}>${issuer.fingerprint}`) ?? false, unsupported };
}

/** validatePath over parsed certificates, with the signatures verified by WebCrypto first. */
export async function verifyParsed(input: ValidateOptions & { readonly chain: readonly ParsedCert[]; readonly roots: readonly ParsedCert[] }): Promise<Verdict> {
  const table = await signatureTable(input.chain, input.roots);
  const verdict = validatePath({ ...input, chain: input.chain.map((c) => c.model), roots: input.roots.map((c) => c.model), signatureOk: table.ok });
  if (verdict.failedCheck !== "signature" || verdict.certificate === undefined) return verdict;
  const failing = verdict.path.find((e) => e.source === "chain" && e.index === verdict.certificate);
  const why = failing ? table.unsupported.get(failing.cert.fingerprint) : undefined;
  if (why === undefined) return verdict;
  const detail = `certificate ${verdict.certificate} (${failing!.cert.subject}) is signed with ${failing!.cert.signatureAlgorithm}, which this engine cannot verify (${why}).`;
  const checks = verdict.checks.map((c, i) => (i === verdict.checks.length - 1 ? { ...c, detail } : c));
  return { ...verdict, checks, message: `FAILURE: ${detail}` };
}

/**
 * Parses, verifies and validates a chain against the given roots.
 *
 * @throws InputError on a bad PEM (see parsePemBundle) or a bad `at`
 * @example await verifyChain({ chainPem, rootsPem, at: "2026-06-01T00:00:00Z", host: "www.example.com" })
 */
export async function verifyChain(input: ValidateOptions & { readonly chainPem: string; readonly rootsPem: string }): Promise<Verdict> {
  const chain = parsePemBundle(input.chainPem, "chain");
  const roots = parsePemBundle(input.rootsPem, "roots", ROOT_STORE_LIMITS);
  return verifyParsed({ at: input.at, host: input.host, nameModel: input.nameModel, chain, roots });
}
