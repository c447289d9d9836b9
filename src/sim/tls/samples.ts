/**
 * Sample certificate chains for the labs, the CLI tests and the OpenSSL referee: a "Packet Lab Sample Root", issuing
 * CAs under it and leaves for www.example.com — valid chains in five signature algorithms, and one chain for each way
 * a chain breaks. The certificates are generated with fresh WebCrypto keys every time (in Node, at build time and in
 * the browser) rather than committed as files: committed samples would expire, would tempt someone to reuse their
 * private keys, and could drift from the code that explains them. Names, serial numbers and dates are fixed and every
 * case is validated at SAMPLE_AT, so each verdict is the same on every build even though keys and signatures differ.
 *
 * The metadata below (SAMPLE_INFO, SAMPLE_IDS, SAMPLE_AT) is synchronous and tiny; generateSamples() loads the
 * certificate library only when called, so a page can list the cases before any certificate exists.
 */
import type { CheckId } from "./x509/types";

export interface SampleCase {
  /** Stable, kebab-case: "valid", "expired-leaf", "wrong-host", "self-signed-leaf", … */
  readonly id: string;
  /** "Expired leaf" */
  readonly title: string;
  /** One sentence: what is broken and which rule catches it. */
  readonly what: string;
  /** Leaf first. */
  readonly chainPem: string;
  readonly rootsPem: string;
  readonly host: string;
  readonly at: string;
  readonly expected: { readonly result: "SUCCESS" | "FAILURE"; readonly failedCheck?: CheckId };
}

/** Everything about a case except its certificates, available synchronously. */
export type SampleInfo = Omit<SampleCase, "chainPem" | "rootsPem">;

/** The instant every sample is validated at. */
export const SAMPLE_AT = "2026-06-01T00:00:00Z";
/** The host every sample leaf is issued for, unless the case says otherwise. */
export const SAMPLE_HOST = "www.example.com";

const ok = { result: "SUCCESS" } as const;
const fails = (failedCheck: CheckId) => ({ result: "FAILURE", failedCheck }) as const;
const info = (id: string, title: string, what: string, expected: SampleInfo["expected"], host = SAMPLE_HOST): SampleInfo => ({ id, title, what, host, at: SAMPLE_AT, expected });

/** The cases, in lab order. */
export const SAMPLE_INFO: readonly SampleInfo[] = [
  info("valid", "Valid chain (ECDSA P-256)", "A leaf for www.example.com, an issuing CA and the sample root, all in date: every check passes.", ok),
  info("valid-rsa-pkcs1", "Valid chain (RSA 2048, PKCS#1 v1.5)", "The issuing CA and the leaf use RSA 2048 keys and the leaf is signed with RSA PKCS#1 v1.5 and SHA-256: every check passes.", ok),
  info("valid-rsa-pss", "Valid chain (RSASSA-PSS)", "The leaf is signed with RSASSA-PSS (SHA-256, 32-byte salt), the hash and salt read from its AlgorithmIdentifier: every check passes.", ok),
  info("valid-ecdsa-p384", "Valid chain (ECDSA P-384)", "The issuing CA and the leaf use P-384 keys and ECDSA with SHA-384: every check passes.", ok),
  info("valid-ed25519", "Valid chain (Ed25519)", "The issuing CA and the leaf use Ed25519 keys (RFC 8410): every check passes.", ok),
  info("v1-root", "Version 1 root (no extensions)", "The trust anchor is an old-style version 1 certificate with no basicConstraints or keyUsage at all; RFC 5280 §6.1 takes the anchor as an input trusted as configured, so the chain passes (OpenSSL accepts it too).", ok),
  info("expired-leaf", "Expired leaf", "The leaf's notAfter passed a month before the validation time: RFC 5280 §4.1.2.5 validity fails on the leaf.", fails("validity")),
  info("not-yet-valid-leaf", "Leaf not yet valid", "The leaf's notBefore is a month after the validation time: validity fails on the leaf.", fails("validity")),
  info("expired-intermediate", "Expired intermediate", "The leaf is in date but the issuing CA above it expired: validity is checked on every certificate in the path.", fails("validity")),
  info("expired-root", "Expired root", "The trusted root's notAfter passed a month before the validation time: RFC 5280 leaves an anchor's dates to the client, and this lab, like OpenSSL, refuses it.", fails("validity")),
  info("wrong-host", "Wrong host", "The leaf names www.example.com and example.com, but the client asked for api.example.com: the RFC 9525 name check fails.", fails("name"), "api.example.com"),
  info("wildcard-two-labels", "Wildcard over two labels", "The leaf's *.example.com covers exactly one label, so not www.shop.example.com (RFC 9525 §6.3).", fails("name"), "www.shop.example.com"),
  info("partial-wildcard", "Partial wildcard", "The leaf names ww*.example.com; RFC 9525 allows \"*\" only as a whole label, though OpenSSL's default would match it.", fails("name")),
  info("cn-only", "Common Name only, no SAN", "The leaf has CN=www.example.com but no subjectAltName; RFC 9525 never falls back to the CN, though OpenSSL's default does.", fails("name")),
  info("self-signed-leaf", "Self-signed leaf", "The leaf signed itself and is not a trusted root, so there is nothing to chain it to.", fails("self-signed")),
  info("missing-intermediate", "Missing intermediate", "The server sends only its leaf; the issuing CA that links it to the root is absent, so no path can be built.", fails("path")),
  info("untrusted-root", "Untrusted root", "The chain ends at the sample root, but the client trusts only another root: the path ends at a self-signed certificate that is not a trust anchor.", fails("path")),
  info("intermediate-not-ca", "Intermediate without the CA bit", "The certificate that issued the leaf has basicConstraints cA=FALSE, so it may not issue certificates (RFC 5280 §4.2.1.9).", fails("basic-constraints")),
  info("pathlen-exceeded", "Path length exceeded", "The issuing CA has pathLenConstraint 0 but a further sub-CA sits below it, above the leaf (RFC 5280 §4.2.1.9).", fails("basic-constraints")),
  info("leaf-key-cert-sign-only", "Leaf keyUsage without digitalSignature", "The leaf's keyUsage asserts only keyCertSign, so its key may not sign the TLS handshake (RFC 5280 §4.2.1.3, RFC 8446 §4.4.2.2).", fails("key-usage")),
  info("key-agreement-only", "Leaf keyUsage keyAgreement only", "The ECDSA leaf's keyUsage asserts only keyAgreement; a TLS 1.3 server signs CertificateVerify with this key, which needs digitalSignature (OpenSSL's -purpose sslserver still accepts it).", fails("key-usage")),
  info("client-auth-only", "Client-auth-only EKU", "The leaf's extendedKeyUsage lists only clientAuth, so it may not authenticate a TLS server (RFC 5280 §4.2.1.12).", fails("extended-key-usage")),
  info("name-constraints-violated", "Name constraints violated", "The issuing CA may issue only for example.org (a permitted dNSName subtree), yet it issued www.example.com (RFC 5280 §4.2.1.10).", fails("name-constraints")),
  info("forged-signature", "Forged signature", "The leaf names the issuing CA as its issuer but was signed by another key: the CA's public key does not verify it.", fails("signature")),
  info("unknown-critical-extension", "Unknown critical extension", "The leaf carries an extension marked critical that no client knows (OID 1.3.6.1.4.1.32473.1): RFC 5280 §4.2 says such a certificate must be rejected.", fails("critical-extensions")),
  info("ip-san", "IP address SAN", "The leaf carries the iPAddress SAN 192.0.2.10 and the client connects to that address: the name check passes (RFC 9525 §6.4).", ok, "192.0.2.10"),
  info("ip-as-dns-san", "Address spelled as a DNS name", "The leaf carries 192.0.2.10 as a dNSName, not an iPAddress: it never matches an IP reference identity.", fails("name"), "192.0.2.10"),
];

/** The case ids, in lab order. */
export const SAMPLE_IDS: readonly string[] = SAMPLE_INFO.map((c) => c.id);

let cache: Promise<readonly SampleCase[]> | null = null;

/**
 * Generates every sample case's certificates (WebCrypto + @peculiar/x509; Node and browser). Cached per module load.
 *
 * @example const cases = await generateSamples(); cases.find((c) => c.id === "expired-leaf")!.chainPem
 */
export function generateSamples(): Promise<readonly SampleCase[]> {
  cache ??= import("./x509/sample-certs").then((m) => m.buildSampleCases(SAMPLE_INFO));
  return cache;
}
