/**
 * Hand-built certificate models, for questions, labs and tests that need a chain without real keys: fill in what
 * matters, the rest gets the values a typical WebPKI certificate has. Signatures are then a stated fact: by convention
 * a model is signed by the key whose subjectKeyId equals its authorityKeyId (see keyIdSignatures).
 */
import type { CertModel } from "./types";

/** A deterministic 64-hex-digit stand-in for a SHA-256 digest (FNV-1a over the text, four rounds); not cryptographic. */
export function pseudoDigest(text: string): string {
  let out = "";
  for (let round = 0; round < 4; round += 1) {
    let h = 0xcbf29ce484222325n ^ BigInt(round);
    for (let i = 0; i < text.length; i += 1) {
      h ^= BigInt(text.charCodeAt(i));
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    out += h.toString(16).padStart(16, "0");
  }
  return out;
}

function cnOf(dn: string): string | null {
  const m = /(?:^|,\s*)CN=((?:\\.|[^,])*)/i.exec(dn);
  return m ? m[1]!.replace(/\\(.)/g, "$1") : null;
}

/**
 * A certificate model from the fields that matter. `key` names the subject's key pair (default: the subject), from
 * which subjectKeyId and spkiSha256 derive; `issuerKey` names the key that signed it (default: the issuer's name),
 * from which authorityKeyId derives.
 *
 * @example makeCertModel({ subject: "CN=www.example.com", issuer: "CN=Example CA", san: [{ type: "dns", value: "www.example.com" }] })
 */
export function makeCertModel(fields: Partial<CertModel> & { readonly subject: string; readonly issuer: string; readonly key?: string; readonly issuerKey?: string }): CertModel {
  const { key, issuerKey, ...rest } = fields;
  const keyName = key ?? fields.subject;
  const skid = pseudoDigest(`key:${keyName}`).slice(0, 40);
  const base: CertModel = {
    subject: fields.subject,
    issuer: fields.issuer,
    commonName: cnOf(fields.subject),
    serialHex: pseudoDigest(`serial:${fields.subject}:${fields.notBefore ?? ""}`).slice(0, 16),
    notBefore: "2026-01-01T00:00:00Z",
    notAfter: "2026-12-31T23:59:59Z",
    san: null,
    basicConstraints: null,
    keyUsage: null,
    extendedKeyUsage: null,
    nameConstraints: null,
    subjectKeyId: skid,
    authorityKeyId: pseudoDigest(`key:${issuerKey ?? fields.issuer}`).slice(0, 40),
    publicKey: "ECDSA P-256",
    signatureAlgorithm: "ECDSA with SHA-256",
    spkiSha256: pseudoDigest(`spki:${keyName}`),
    fingerprint: "",
    unknownCriticalExtensions: [],
  };
  const model = { ...base, ...rest };
  return { ...model, fingerprint: fields.fingerprint ?? pseudoDigest(JSON.stringify(model)) };
}

/**
 * The signature rule for hand-built models: the issuer's key verifies the child when the child's authorityKeyId is
 * the issuer's subjectKeyId, except for the children listed as forged (by fingerprint), whose signatures never verify.
 */
export function keyIdSignatures(forged: Iterable<string> = []): (child: CertModel, issuer: CertModel) => boolean {
  const bad = new Set(forged);
  return (child, issuer) => !bad.has(child.fingerprint) && child.authorityKeyId !== null && child.authorityKeyId === issuer.subjectKeyId;
}
