import type { CertModel, CheckResult, GeneralName } from "../../sim/tls/x509/types";

/**
 * What the certificate lab prints about a certificate, in the words `openssl x509 -noout -text` uses
 * (field names, key-usage names, `DNS:`/`IP Address:` prefixes, dates in GMT), so a learner who runs the
 * real tool on the same PEM recognises every line. Pure: no DOM, no X.509 parsing (the models arrive parsed).
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** ISO 8601 UTC as OpenSSL prints a validity bound: `Jan  1 00:00:00 2025 GMT`. Unreadable text is returned as is. */
export function opensslDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d, h, mi, s] = m;
  return `${MONTHS[Number(mo) - 1] ?? mo} ${String(Number(d)).padStart(2, " ")} ${h}:${mi}:${s} ${y} GMT`;
}

/** RFC 5280 key-usage bit names as OpenSSL prints them. */
const KEY_USAGE: Readonly<Record<string, string>> = {
  digitalSignature: "Digital Signature",
  nonRepudiation: "Non Repudiation",
  contentCommitment: "Non Repudiation",
  keyEncipherment: "Key Encipherment",
  dataEncipherment: "Data Encipherment",
  keyAgreement: "Key Agreement",
  keyCertSign: "Certificate Sign",
  cRLSign: "CRL Sign",
  encipherOnly: "Encipher Only",
  decipherOnly: "Decipher Only",
};
const EXTENDED_KEY_USAGE: Readonly<Record<string, string>> = {
  serverAuth: "TLS Web Server Authentication",
  clientAuth: "TLS Web Client Authentication",
  codeSigning: "Code Signing",
  emailProtection: "E-mail Protection",
  timeStamping: "Time Stamping",
  OCSPSigning: "OCSP Signing",
  ocspSigning: "OCSP Signing",
  anyExtendedKeyUsage: "Any Extended Key Usage",
};
const NAME_PREFIX: Readonly<Record<GeneralName["type"], string>> = { dns: "DNS", ip: "IP Address", email: "email", uri: "URI", dn: "DirName", other: "othername" };

export function formatGeneralNames(names: readonly GeneralName[]): string {
  return names.map((n) => `${NAME_PREFIX[n.type]}:${n.value}`).join(", ");
}

/** `AB:CD:…` of the first bytes of a hex digest, enough to tell certificates apart on screen. */
export function shortFingerprint(hex: string, bytes = 6): string {
  const pairs = hex.replace(/[^0-9a-f]/gi, "").toUpperCase().match(/../g) ?? [];
  return `${pairs.slice(0, bytes).join(":")}${pairs.length > bytes ? ":…" : ""}`;
}

/** One certificate's fields, as `[OpenSSL's label, value]` rows; extensions the certificate lacks say so. */
export function certRows(cert: CertModel): readonly (readonly [string, string])[] {
  const bc = cert.basicConstraints;
  const nc = cert.nameConstraints;
  return [
    ["Subject", cert.subject || "(empty)"],
    ["Issuer", cert.issuer || "(empty)"],
    ["Not Before", opensslDate(cert.notBefore)],
    ["Not After", opensslDate(cert.notAfter)],
    ["Subject Alternative Name", cert.san === null ? "(no extension)" : cert.san.length ? formatGeneralNames(cert.san) : "(empty)"],
    ["Basic Constraints", bc === null ? "(no extension)" : `${bc.critical ? "critical, " : ""}CA:${bc.ca ? "TRUE" : "FALSE"}${bc.pathLen !== null ? `, pathlen:${bc.pathLen}` : ""}`],
    ["Key Usage", cert.keyUsage === null ? "(no extension)" : cert.keyUsage.map((k) => KEY_USAGE[k] ?? k).join(", ") || "(empty)"],
    ["Extended Key Usage", cert.extendedKeyUsage === null ? "(no extension)" : cert.extendedKeyUsage.map((k) => EXTENDED_KEY_USAGE[k] ?? k).join(", ") || "(empty)"],
    ...(nc ? ([["Name Constraints", `Permitted: ${nc.permitted.length ? formatGeneralNames(nc.permitted) : "(none)"}; Excluded: ${nc.excluded.length ? formatGeneralNames(nc.excluded) : "(none)"}`]] as const) : []),
    ["Public Key", cert.publicKey],
    ["Signature Algorithm", cert.signatureAlgorithm],
    ["SHA256 Fingerprint", shortFingerprint(cert.fingerprint)],
    ...(cert.unknownCriticalExtensions.length ? ([["Unknown critical extensions", cert.unknownCriticalExtensions.join(", ")]] as const) : []),
  ];
}

/** The `openssl verify` command that checks a sample the way the lab does (files as the lab's downloads name them). */
export function opensslVerifyCommand(sample: { readonly at: string; readonly host: string }, files = { chain: "chain.pem", roots: "roots.pem" }): string {
  const epoch = Math.floor(Date.parse(sample.at) / 1000);
  // OpenSSL reads the first certificate of the last file as the one to verify (the leaf) and takes the
  // rest of chain.pem from -untrusted; -purpose sslserver adds the serverAuth EKU check; -attime pins the instant.
  return [
    "openssl verify",
    `-CAfile ${files.roots}`,
    `-untrusted ${files.chain}`,
    "-purpose sslserver",
    ...(Number.isFinite(epoch) ? [`-attime ${epoch}`] : []),
    ...(sample.host ? [`-verify_hostname ${sample.host}`] : []),
    files.chain,
  ].join(" ");
}

/** A check's results in one sentence: how many certificates it covered and whether each passed. */
export function resultsSummary(results: readonly CheckResult[]): string {
  if (results.length === 0) return "";
  const failed = results.filter((r) => !r.ok).length;
  if (failed) return `✗ failed${results.length > 1 ? ` (${failed} of ${results.length} results)` : ""}`;
  return `✓ passed${results.length > 1 ? ` (${results.length} results)` : ""}`;
}

/** "certificate 0 (the leaf)" — how a position of the built path is named. */
export function certName(index: number, source: "chain" | "roots"): string {
  if (source === "roots") return `certificate ${index} (the trust anchor)`;
  return index === 0 ? "certificate 0 (the leaf)" : `certificate ${index} (an intermediate)`;
}
