/**
 * The X.509 engine's shared types: certificate models (built from real DER by parse.ts, or by hand for questions),
 * the options of a validation, and the verdict with one CheckResult per rule applied (RFC 5280 §6, RFC 9525 §6).
 */

/**
 * The checks, in the order validatePath performs them (parse/path/self-signed come from building the path;
 * critical-extensions, a certificate carrying a critical extension the engine does not process, runs last).
 */
export type CheckId =
  | "parse"
  | "path"
  | "signature"
  | "validity"
  | "basic-constraints"
  | "key-usage"
  | "extended-key-usage"
  | "name-constraints"
  | "self-signed"
  | "name"
  | "critical-extensions";

/** A subjectAltName / name-constraints entry. IP values in canonical text (ipaddr.js), CIDR for constraints. */
export interface GeneralName {
  readonly type: "dns" | "ip" | "email" | "uri" | "dn" | "other";
  readonly value: string;
}

/** Everything the checks read from a certificate; built by the parser from real DER, or by hand for questions. */
export interface CertModel {
  /** RFC 4514 text, e.g. "CN=www.example.com, O=Example". */
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string | null;
  readonly serialHex: string;
  /** ISO 8601 UTC, "2025-01-01T00:00:00Z". */
  readonly notBefore: string;
  readonly notAfter: string;
  /** null: no subjectAltName extension at all. */
  readonly san: readonly GeneralName[] | null;
  readonly basicConstraints: { readonly ca: boolean; readonly pathLen: number | null; readonly critical: boolean } | null;
  /** RFC 5280 names: "digitalSignature", "keyCertSign", … */
  readonly keyUsage: readonly string[] | null;
  /** "serverAuth", "clientAuth", … or a dotted OID. */
  readonly extendedKeyUsage: readonly string[] | null;
  readonly nameConstraints: { readonly permitted: readonly GeneralName[]; readonly excluded: readonly GeneralName[] } | null;
  /** hex */
  readonly subjectKeyId: string | null;
  /** hex */
  readonly authorityKeyId: string | null;
  /** "ECDSA P-256", "RSA 2048", "Ed25519", … */
  readonly publicKey: string;
  /** "ECDSA with SHA-256", "RSA PKCS#1 v1.5 with SHA-256", "RSASSA-PSS", "Ed25519" */
  readonly signatureAlgorithm: string;
  /** hex SHA-256 of the SubjectPublicKeyInfo: the key's identity. */
  readonly spkiSha256: string;
  /** hex SHA-256 of the DER: the certificate's identity. */
  readonly fingerprint: string;
  /** OIDs of critical extensions the engine does not process. */
  readonly unknownCriticalExtensions: readonly string[];
}

export interface ValidateOptions {
  /** The validation instant, ISO 8601; both validity bounds inclusive (RFC 5280 §4.1.2.5). */
  readonly at: string;
  /** Reference identity: a DNS name or an IP literal (RFC 9525); absent → no name check. */
  readonly host?: string;
  /** Default "rfc9525"; others are named wrong/legacy models (misconceptions, OpenSSL). */
  readonly nameModel?: NameModel;
}

/**
 * How a reference identity is matched. "rfc9525" is the real rule; the others are wrong or legacy models:
 * "cn-fallback" reads the CN when there is no DNS SAN (OpenSSL's default), "partial-wildcard" allows "ba*.example.com"
 * (OpenSSL's default), "multi-label-wildcard" lets "*.example.com" cover "a.b.example.com" (a common belief).
 */
export type NameModel = "rfc9525" | "cn-fallback" | "partial-wildcard" | "multi-label-wildcard";

export interface CheckResult {
  readonly check: CheckId;
  /** Position in the built path (0 = leaf), null for checks on the whole chain. */
  readonly certificate: number | null;
  /** "notAfter", "subjectAltName", "basicConstraints.cA", "signatureValue", … */
  readonly field: string;
  /** "RFC 5280 §4.1.2.5: …", "RFC 9525 §6.3: …" */
  readonly rule: string;
  readonly ok: boolean;
  /** One sentence with this certificate's values. */
  readonly detail: string;
}

export interface PathEntry {
  readonly cert: CertModel;
  readonly source: "chain" | "roots";
  /** Index in the supplied chain (source "chain") or in the roots (source "roots"). */
  readonly index: number;
}

export interface Verdict {
  readonly result: "SUCCESS" | "FAILURE";
  /** Leaf first, ending at a trust anchor when one was reached. */
  readonly path: readonly PathEntry[];
  /** In the order performed; stops after the first failing check. */
  readonly checks: readonly CheckResult[];
  readonly failedCheck?: CheckId;
  /**
   * On failure: index IN THE SUPPLIED CHAIN (--chain order, 0 = leaf) of the certificate that failed;
   * a trust anchor's failure: chain length + its index in roots.
   */
  readonly certificate?: number;
  /** One line: "FAILURE: certificate 0 (CN=…) notAfter 2021-01-01… is before …" */
  readonly message: string;
}
