/**
 * Real X.509 in, certificate models out. Reads PEM bundles (any number of CERTIFICATE blocks, text around them
 * ignored, RFC 7468) or one base64/DER certificate, and turns each into the CertModel the checks read, with names in
 * RFC 4514 order (most specific RDN first, as `openssl x509 -nameopt RFC2253` prints them).
 *
 * Uses @peculiar/x509, which is large: a lab page must load this module on demand, never at start-up. Hashes come from
 * @noble/hashes so that parsing stays synchronous.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { sha256 } from "@noble/hashes/sha2.js";
import { InputError } from "../../net/errors";
import { readGeneralNames, readNameConstraints } from "./der";
import { parseIpLiteral } from "./ip";
import type { CertModel, GeneralName } from "./types";

export interface ParsedCert {
  readonly model: CertModel;
  readonly der: Uint8Array;
  readonly pem: string;
  /** The library's certificate object, for signature verification (verify.ts). */
  readonly cert: x509.X509Certificate;
  /** The line of the BEGIN CERTIFICATE marker (1-based), or null for a bare base64/DER certificate. */
  readonly line: number | null;
}

/** A paste larger than this is refused before any parsing: certificates are a few KB each. */
export const MAX_TEXT_BYTES = 256 * 1024;
/** More certificates than this in one bundle is refused (a server chain is 2–4; the root store is loaded elsewhere). */
export const MAX_CERTIFICATES = 16;

/** What a bundle holds, for the size messages: a server's chain, or a set of trust anchors (verify.ts ROOT_STORE_LIMITS). */
export interface BundleLimits {
  readonly maxBytes?: number;
  readonly maxCertificates?: number;
  /** Default "chain". */
  readonly kind?: "chain" | "trust store";
}

/** Why a limit is where it is, in the words of the box the text came from. */
export const LIMIT_NOTE = {
  chain: { size: "a certificate chain is a few KB", count: "a server's chain needs 2–4" },
  "trust store": { size: "Mozilla's whole root store, about 150 roots, is about 200 KB of PEM", count: "Mozilla's whole root store holds about 150" },
} as const;

const OID = {
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  nameConstraints: "2.5.29.30",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
};

/**
 * Extensions this engine recognises. The four policy extensions are recognised but not enforced (certificate policy
 * processing, RFC 5280 §6.1.3 (d)–(f), is outside the model); any other extension marked critical fails RFC 5280 §4.2.
 */
const RECOGNISED = new Set([...Object.values(OID), "2.5.29.32", "2.5.29.33", "2.5.29.36", "2.5.29.54"]);

const EKU_NAMES: Record<string, string> = {
  "1.3.6.1.5.5.7.3.1": "serverAuth",
  "1.3.6.1.5.5.7.3.2": "clientAuth",
  "1.3.6.1.5.5.7.3.3": "codeSigning",
  "1.3.6.1.5.5.7.3.4": "emailProtection",
  "1.3.6.1.5.5.7.3.8": "timeStamping",
  "1.3.6.1.5.5.7.3.9": "OCSPSigning",
  "2.5.29.37.0": "anyExtendedKeyUsage",
};
/** EKU names back to OIDs, for the sample generator. */
export const EKU_OIDS: Record<string, string> = Object.fromEntries(Object.entries(EKU_NAMES).map(([oid, name]) => [name, oid]));

const KEY_USAGES: readonly [number, string][] = [
  [1, "digitalSignature"],
  [2, "nonRepudiation"],
  [4, "keyEncipherment"],
  [8, "dataEncipherment"],
  [16, "keyAgreement"],
  [32, "keyCertSign"],
  [64, "cRLSign"],
  [128, "encipherOnly"],
  [256, "decipherOnly"],
];

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");

/** RFC 4514 §2.4 escaping of an attribute value. */
function escapeValue(v: string): string {
  return v
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, "\\ ");
}

/** A Name as RFC 4514 text: RDNs in reverse DER order, "type=value" joined with ", " (and "+" inside an RDN). */
export function rfc4514(name: x509.Name): string {
  return name
    .toJSON()
    .slice()
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((v) => `${type}=${escapeValue(v)}`))
        .join("+"),
    )
    .join(", ");
}

function describeKey(cert: x509.X509Certificate): string {
  const alg = cert.publicKey.algorithm as Algorithm & { namedCurve?: string; modulusLength?: number };
  if (alg.name === "ECDSA" || alg.name === "ECDH") return `ECDSA ${alg.namedCurve ?? "(unknown curve)"}`;
  if (alg.name.startsWith("RSA")) return `RSA ${alg.modulusLength ?? "?"}`;
  return alg.name;
}

function describeSignature(cert: x509.X509Certificate): string {
  try {
    const alg = cert.signatureAlgorithm as Algorithm & { hash?: { name: string }; saltLength?: number };
    const hash = alg.hash?.name ?? "";
    switch (alg.name) {
      case "ECDSA":
        return `ECDSA with ${hash}`;
      case "RSASSA-PKCS1-v1_5":
        return `RSA PKCS#1 v1.5 with ${hash}`;
      case "RSA-PSS":
        return `RSASSA-PSS with ${hash}`;
      default:
        return hash === "" ? alg.name : `${alg.name} with ${hash}`;
    }
  } catch {
    return "an algorithm this engine does not know";
  }
}

function nameFromDer(der: Uint8Array): string {
  try {
    return rfc4514(new x509.Name(der.slice()));
  } catch {
    return `#${hex(der)}`;
  }
}

function extensionBytes(ext: x509.Extension): Uint8Array {
  return new Uint8Array(ext.value);
}

/** Builds the model the checks read from a parsed certificate. */
export function certModel(cert: x509.X509Certificate, der: Uint8Array): CertModel {
  const ext = (oid: string) => cert.extensions.find((e) => e.type === oid) ?? null;
  const bcExt = ext(OID.basicConstraints);
  const bc = bcExt ? new x509.BasicConstraintsExtension(bcExt.rawData) : null;
  const kuExt = ext(OID.keyUsage);
  const ku = kuExt ? new x509.KeyUsagesExtension(kuExt.rawData) : null;
  const ekuExt = ext(OID.extKeyUsage);
  const eku = ekuExt ? new x509.ExtendedKeyUsageExtension(ekuExt.rawData) : null;
  const sanExt = ext(OID.subjectAltName);
  const ncExt = ext(OID.nameConstraints);
  const skiExt = ext(OID.subjectKeyId);
  const akiExt = ext(OID.authorityKeyId);
  const san: GeneralName[] | null = sanExt
    ? readGeneralNames(extensionBytes(sanExt), nameFromDer).map((n) => (n.type === "ip" ? { type: "ip", value: parseIpLiteral(n.value)?.text ?? n.value } : n))
    : null;
  const cns = cert.subjectName.getField("CN");
  return {
    subject: rfc4514(cert.subjectName),
    issuer: rfc4514(cert.issuerName),
    commonName: cns.length > 0 ? cns[cns.length - 1]! : null,
    serialHex: cert.serialNumber.toLowerCase(),
    notBefore: iso(cert.notBefore),
    notAfter: iso(cert.notAfter),
    san,
    basicConstraints: bc ? { ca: bc.ca, pathLen: bc.pathLength ?? null, critical: bcExt!.critical } : null,
    keyUsage: ku ? KEY_USAGES.filter(([flag]) => (ku.usages & flag) !== 0).map(([, n]) => n) : null,
    extendedKeyUsage: eku ? eku.usages.map((u) => EKU_NAMES[String(u)] ?? String(u)) : null,
    nameConstraints: ncExt ? readNameConstraints(extensionBytes(ncExt), nameFromDer) : null,
    subjectKeyId: skiExt ? new x509.SubjectKeyIdentifierExtension(skiExt.rawData).keyId.toLowerCase() : null,
    authorityKeyId: akiExt ? (new x509.AuthorityKeyIdentifierExtension(akiExt.rawData).keyId?.toLowerCase() ?? null) : null,
    publicKey: describeKey(cert),
    signatureAlgorithm: describeSignature(cert),
    spkiSha256: hex(sha256(new Uint8Array(cert.publicKey.rawData))),
    fingerprint: hex(sha256(der)),
    unknownCriticalExtensions: cert.extensions.filter((e) => e.critical && !RECOGNISED.has(e.type)).map((e) => e.type),
  };
}

function toPem(der: Uint8Array): string {
  let b64 = "";
  for (let i = 0; i < der.length; i += 0x8000) b64 += String.fromCharCode(...der.subarray(i, i + 0x8000));
  const body = btoa(b64).replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
}

function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, "");
  if (clean === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 === 1) return null;
  try {
    const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, "="));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * One DER certificate. `where` says where it came from, for the message ("line 12", "the file").
 *
 * @throws InputError when the bytes are not an X.509 certificate
 */
export function parseCertificateDer(der: Uint8Array, what: string, where = "the input", line: number | null = null): ParsedCert {
  if (der.length === 0 || der[0] !== 0x30) throw new InputError(what, `${where}: the bytes are not DER (an X.509 certificate starts with a SEQUENCE, 0x30)`);
  let cert: x509.X509Certificate;
  let model: CertModel;
  try {
    cert = new x509.X509Certificate(der.slice());
    model = certModel(cert, der);
  } catch (error) {
    const why = error instanceof Error && error.message !== "" ? ` (${error.message.split("\n")[0]})` : "";
    throw new InputError(what, `${where}: the DER is not an X.509 certificate${why}`);
  }
  return { model, der, pem: toPem(der), cert, line };
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;

/**
 * Every certificate in a PEM bundle, in order; or the one certificate of a bare base64 paste.
 *
 * @throws InputError naming what is wrong and where: empty, too large, no CERTIFICATE block, a block without its END
 *   line, a block of another type (a private key above all), base64 that does not decode, DER that is not a
 *   certificate, more than 16 certificates
 * `limits` raises the size limits for a trust store (Mozilla's holds about 150 roots); a pasted chain keeps the defaults.
 * @example parsePemBundle(pemText, "--chain").map((c) => c.model.subject)
 */
export function parsePemBundle(text: string, what: string, limits: BundleLimits = {}): readonly ParsedCert[] {
  const maxBytes = limits.maxBytes ?? MAX_TEXT_BYTES;
  const maxCertificates = limits.maxCertificates ?? MAX_CERTIFICATES;
  const note = LIMIT_NOTE[limits.kind ?? "chain"];
  if (text.length > maxBytes) {
    throw new InputError(what, `${Math.ceil(text.length / 1024)} KB of text; the limit is ${Math.round(maxBytes / 1024)} KB (${note.size})`);
  }
  if (text.trim() === "") throw new InputError(what, "empty: paste one or more PEM certificates (-----BEGIN CERTIFICATE----- …)");
  const lines = text.split(/\r?\n/);
  const out: ParsedCert[] = [];
  let sawBlock = false;
  for (let i = 0; i < lines.length; i += 1) {
    const begin = BEGIN.exec(lines[i]!);
    if (!begin) continue;
    sawBlock = true;
    const label = begin[1]!;
    const lineNo = i + 1;
    if (label !== "CERTIFICATE") {
      if (label.includes("PRIVATE KEY")) {
        throw new InputError(what, `line ${lineNo}: a ${label} block, not a certificate. A private key should never be pasted anywhere: keep it on the server that uses it, and replace it if it has been shared`);
      }
      throw new InputError(what, `line ${lineNo}: a ${label} block, not a certificate`);
    }
    let j = i + 1;
    while (j < lines.length && !END.test(lines[j]!) && !BEGIN.test(lines[j]!)) j += 1;
    const end = j < lines.length ? END.exec(lines[j]!) : null;
    if (end === null) throw new InputError(what, `truncated at line ${j < lines.length ? j + 1 : lines.length}: the BEGIN CERTIFICATE block at line ${lineNo} has no END CERTIFICATE line`);
    if (end[1] !== label) throw new InputError(what, `line ${j + 1}: END ${end[1]} does not close the BEGIN CERTIFICATE block at line ${lineNo}`);
    const der = decodeBase64(lines.slice(i + 1, j).join(""));
    if (der === null) throw new InputError(what, `line ${lineNo}: the base64 inside the CERTIFICATE block does not decode`);
    if (out.length >= maxCertificates) throw new InputError(what, `more than ${maxCertificates} certificates; ${note.count}`);
    out.push(parseCertificateDer(der, what, `line ${lineNo}`, lineNo));
    i = j;
  }
  if (out.length > 0) return out;
  if (!sawBlock) {
    const der = decodeBase64(text);
    if (der !== null && der[0] === 0x30) return [parseCertificateDer(der, what, "the base64 text")];
    if (/-----BEGIN/.test(text)) throw new InputError(what, "a BEGIN line that is not a PEM header (it must stand alone on its line: -----BEGIN CERTIFICATE-----)");
  }
  throw new InputError(what, "no CERTIFICATE block found (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)");
}
