/**
 * The certificates of the SSL-modes model, as the X.509 engine's CertModels (src/sim/tls/x509/types.ts),
 * built by hand: no DER exists behind them, so their fingerprints and key ids are SHA-256 digests of a label
 * (stable identities, nothing more), and every signature in the model is genuine — what fails is trust,
 * time or name, which is what Full (strict) checks.
 *
 * Names and issuers follow the real ones: a public chain GTS Root R1 → WR3 → leaf (what Google's Certificate
 * Manager issues the flagship's load balancer), and Cloudflare's Origin CA, whose RSA root signs origin
 * certificates directly, with the subject "O=CloudFlare, Inc., OU=CloudFlare Origin CA, CN=CloudFlare Origin
 * Certificate" — the CN is not a host name, so an Origin CA certificate names hosts in its SANs only.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { CertModel, GeneralName } from "../x509/types";
import type { OriginCert } from "./inputs";

/** The instant every origin certificate is checked at: the model's "now". */
export const VALIDATION_AT = "2026-03-01T12:00:00Z";

function digest(label: string): string {
  return bytesToHex(sha256(utf8ToBytes(label)));
}

const dns = (...names: string[]): GeneralName[] => names.map((value) => ({ type: "dns", value }));

interface Draft {
  readonly id: string;
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string | null;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly san: readonly GeneralName[] | null;
  readonly ca: boolean;
  readonly issuerKey: string;
  readonly publicKey: string;
  readonly signatureAlgorithm: string;
  readonly keyUsage: readonly string[];
  readonly extendedKeyUsage: readonly string[] | null;
}

function model(d: Draft): CertModel {
  return {
    subject: d.subject,
    issuer: d.issuer,
    commonName: d.commonName,
    serialHex: digest(`serial:${d.id}`).slice(0, 32),
    notBefore: d.notBefore,
    notAfter: d.notAfter,
    san: d.san,
    basicConstraints: { ca: d.ca, pathLen: null, critical: true },
    keyUsage: d.keyUsage,
    extendedKeyUsage: d.extendedKeyUsage,
    nameConstraints: null,
    subjectKeyId: digest(`key:${d.id}`).slice(0, 40),
    authorityKeyId: digest(`key:${d.issuerKey}`).slice(0, 40),
    publicKey: d.publicKey,
    signatureAlgorithm: d.signatureAlgorithm,
    spkiSha256: digest(`spki:${d.id}`),
    fingerprint: digest(`der:${d.id}`),
    unknownCriticalExtensions: [],
  };
}

const GTS_R1 = "CN=GTS Root R1, O=Google Trust Services LLC, C=US";
const WR3 = "CN=WR3, O=Google Trust Services, C=US";
const ORIGIN_CA_ROOT = "ST=California, L=San Francisco, OU=CloudFlare Origin SSL Certificate Authority, O=CloudFlare\\, Inc., C=US";
const CA_USAGE = ["digitalSignature", "keyCertSign", "cRLSign"];
const LEAF_USAGE = ["digitalSignature", "keyEncipherment"];

/** A publicly trusted root: one of the many in the store Cloudflare trusts for Full (strict) (cfssl_trust). */
export const PUBLIC_ROOT: CertModel = model({
  id: "gts-root-r1", subject: GTS_R1, issuer: GTS_R1, commonName: "GTS Root R1",
  notBefore: "2016-06-22T00:00:00Z", notAfter: "2036-06-22T00:00:00Z", san: null, ca: true, issuerKey: "gts-root-r1",
  publicKey: "RSA 4096", signatureAlgorithm: "RSA PKCS#1 v1.5 with SHA-384", keyUsage: CA_USAGE, extendedKeyUsage: null,
});

const PUBLIC_INTERMEDIATE: CertModel = model({
  id: "wr3", subject: WR3, issuer: GTS_R1, commonName: "WR3",
  notBefore: "2023-12-13T09:00:00Z", notAfter: "2029-02-20T14:00:00Z", san: null, ca: true, issuerKey: "gts-root-r1",
  publicKey: "RSA 2048", signatureAlgorithm: "RSA PKCS#1 v1.5 with SHA-256", keyUsage: CA_USAGE, extendedKeyUsage: ["serverAuth", "clientAuth"],
});

/** Cloudflare Origin CA's RSA root: in Cloudflare's trust store for Full (strict), in no browser's. */
export const ORIGIN_CA_ROOT_CERT: CertModel = model({
  id: "cloudflare-origin-rsa-root", subject: ORIGIN_CA_ROOT, issuer: ORIGIN_CA_ROOT, commonName: null,
  notBefore: "2019-08-23T21:08:00Z", notAfter: "2029-08-15T17:00:00Z", san: null, ca: true, issuerKey: "cloudflare-origin-rsa-root",
  publicKey: "RSA 2048", signatureAlgorithm: "RSA PKCS#1 v1.5 with SHA-256", keyUsage: CA_USAGE, extendedKeyUsage: null,
});

/** What Cloudflare validates against in Full (strict): public roots and its own Origin CA. */
export const CLOUDFLARE_TRUST_STORE: readonly CertModel[] = [PUBLIC_ROOT, ORIGIN_CA_ROOT_CERT];
/** What a browser validates against: public roots only. */
export const BROWSER_TRUST_STORE: readonly CertModel[] = [PUBLIC_ROOT];

const publicLeaf = (id: string, names: string[], notBefore: string, notAfter: string): CertModel => model({
  id, subject: `CN=${names[0]}`, issuer: WR3, commonName: names[0]!, notBefore, notAfter, san: dns(...names), ca: false, issuerKey: "wr3",
  publicKey: "RSA 2048", signatureAlgorithm: "RSA PKCS#1 v1.5 with SHA-256", keyUsage: LEAF_USAGE, extendedKeyUsage: ["serverAuth"],
});

/** The chain the origin sends (leaf first) for each case; "none" sends nothing. */
export const ORIGIN_CHAINS: Readonly<Record<Exclude<OriginCert, "none">, readonly CertModel[]>> = {
  valid: [publicLeaf("valid", ["example.com", "*.example.com"], "2026-01-20T08:12:00Z", "2026-04-20T08:11:59Z"), PUBLIC_INTERMEDIATE],
  expired: [publicLeaf("expired", ["example.com", "*.example.com"], "2025-10-01T06:00:00Z", "2025-12-30T05:59:59Z"), PUBLIC_INTERMEDIATE],
  "wrong-host": [publicLeaf("wrong-host", ["www.example.org", "example.org"], "2026-02-02T10:00:00Z", "2026-05-03T09:59:59Z"), PUBLIC_INTERMEDIATE],
  // `openssl req -x509 -subj /CN=example.com -addext subjectAltName=…`: issuer = subject, its own key signs it,
  // and OpenSSL 3 marks it CA:TRUE.
  "self-signed": [model({
    id: "self-signed", subject: "CN=example.com", issuer: "CN=example.com", commonName: "example.com",
    notBefore: "2026-01-10T00:00:00Z", notAfter: "2027-01-10T00:00:00Z", san: dns("example.com", "*.example.com"), ca: true,
    issuerKey: "self-signed", publicKey: "ECDSA P-256", signatureAlgorithm: "ECDSA with SHA-256", keyUsage: CA_USAGE, extendedKeyUsage: null,
  })],
  // The dashboard's default: the zone apex and the first-level wildcard, 15 years, RSA.
  "origin-ca": [model({
    id: "origin-ca", subject: "CN=CloudFlare Origin Certificate, OU=CloudFlare Origin CA, O=CloudFlare\\, Inc.", issuer: ORIGIN_CA_ROOT,
    commonName: "CloudFlare Origin Certificate", notBefore: "2025-11-04T10:21:00Z", notAfter: "2040-10-31T10:21:00Z",
    san: dns("*.example.com", "example.com"), ca: false, issuerKey: "cloudflare-origin-rsa-root",
    publicKey: "RSA 2048", signatureAlgorithm: "RSA PKCS#1 v1.5 with SHA-256", keyUsage: LEAF_USAGE, extendedKeyUsage: ["serverAuth"],
  })],
};

/** Signatures are genuine throughout the model: a child verifies under the key whose id its AKI names. */
export function signatureOk(child: CertModel, issuer: CertModel): boolean {
  return child.issuer === issuer.subject && child.authorityKeyId === issuer.subjectKeyId;
}

/** The names a certificate carries, as `openssl x509 -ext subjectAltName` prints them. */
export function sanText(cert: CertModel): string {
  return cert.san === null ? "(no subjectAltName)" : cert.san.map((n) => `DNS:${n.value}`).join(", ");
}
