/**
 * The certificates behind src/sim/tls/samples.ts, generated with WebCrypto keys and @peculiar/x509's
 * X509CertificateGenerator. Loaded on demand by generateSamples(); see samples.ts for why nothing is committed.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { SampleCase, SampleInfo } from "../samples";
import { encodeNameConstraints, encodeTlv, readChildren, readTlv } from "./der";
import { parseIpRange } from "./ip";
import { EKU_OIDS } from "./parse";
import type { GeneralName } from "./types";

type KeyKind = "p256" | "p384" | "rsa" | "rsa-pss" | "ed25519";

const KEY_PARAMS: Record<KeyKind, { gen: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm; sign: Algorithm & Record<string, unknown> }> = {
  p256: { gen: { name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams, sign: { name: "ECDSA", hash: "SHA-256" } },
  p384: { gen: { name: "ECDSA", namedCurve: "P-384" } as EcKeyGenParams, sign: { name: "ECDSA", hash: "SHA-384" } },
  rsa: { gen: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, sign: { name: "RSASSA-PKCS1-v1_5" } },
  "rsa-pss": { gen: { name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, sign: { name: "RSA-PSS", saltLength: 32 } },
  ed25519: { gen: { name: "Ed25519" }, sign: { name: "Ed25519" } },
};

interface Key {
  readonly kind: KeyKind;
  readonly pair: CryptoKeyPair;
}

async function newKey(kind: KeyKind): Promise<Key> {
  const pair = (await crypto.subtle.generateKey(KEY_PARAMS[kind].gen, true, ["sign", "verify"])) as CryptoKeyPair;
  return { kind, pair };
}

/** Names in DER order (most general first); the engine prints them RFC 4514 style, most specific first. */
const NAME = {
  root: "O=Packet Lab, CN=Packet Lab Sample Root",
  otherRoot: "O=Packet Lab, CN=Packet Lab Other Root",
  issuing: "O=Packet Lab, CN=Packet Lab Issuing CA",
  rsa: "O=Packet Lab, CN=Packet Lab RSA Issuing CA",
  pss: "O=Packet Lab, CN=Packet Lab RSA-PSS Issuing CA",
  p384: "O=Packet Lab, CN=Packet Lab P-384 Issuing CA",
  ed25519: "O=Packet Lab, CN=Packet Lab Ed25519 Issuing CA",
  oldIssuing: "O=Packet Lab, CN=Packet Lab Retired Issuing CA",
  notCa: "O=Packet Lab, CN=Packet Lab Web Server (not a CA)",
  subCa: "O=Packet Lab, CN=Packet Lab Sub-CA",
  constrained: "O=Packet Lab, CN=Packet Lab example.org-only CA",
  v1Root: "O=Packet Lab, CN=Packet Lab Version 1 Root",
  underV1: "O=Packet Lab, CN=Packet Lab Issuing CA under the v1 Root",
  retiredRoot: "O=Packet Lab, CN=Packet Lab Retired Root",
  underRetired: "O=Packet Lab, CN=Packet Lab Issuing CA under the Retired Root",
  leaf: `CN=www.example.com`,
};

const at = (s: string) => new Date(s);
const ROOT_DATES = { notBefore: at("2025-01-01T00:00:00Z"), notAfter: at("2035-01-01T00:00:00Z") };
const CA_DATES = { notBefore: at("2025-01-01T00:00:00Z"), notAfter: at("2030-01-01T00:00:00Z") };
const LEAF_DATES = { notBefore: at("2026-03-01T00:00:00Z"), notAfter: at("2026-08-29T00:00:00Z") };

interface CertSpec {
  readonly serial: string;
  readonly subject: string;
  readonly issuer: string;
  readonly key: Key;
  /** The key that signs (the issuer's, or the subject's own for a self-signed certificate). */
  readonly signer: Key;
  readonly dates: { notBefore: Date; notAfter: Date };
  readonly ca?: { readonly pathLen?: number } | "not-ca";
  readonly san?: readonly GeneralName[] | null;
  readonly eku?: readonly string[];
  readonly nameConstraints?: { permitted: GeneralName[]; excluded: GeneralName[] };
  /** The key named in authorityKeyIdentifier, when it is not the signer's (a forgery claims the real CA's key id). */
  readonly claimedIssuerKey?: Key;
  /** keyUsage bits (x509.KeyUsageFlags) instead of the usual ones for a CA or a leaf. */
  readonly keyUsage?: number;
  /** Further extensions, e.g. a critical one no validator knows. */
  readonly extra?: readonly x509.Extension[];
}

/**
 * An arc for private extensions: 32473 is the enterprise number RFC 5612 sets aside for documentation, so no
 * validator in the world processes 1.3.6.1.4.1.32473.1 and, marked critical, it must be refused.
 */
export const UNKNOWN_CRITICAL_OID = "1.3.6.1.4.1.32473.1";

function ipBytes(cidr: string): number[] {
  const range = parseIpRange(cidr);
  if (range === null) throw new Error(`bad CIDR ${cidr}`);
  const width = range.family === 4 ? 32 : 128;
  const bytes = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));
  const mask = ((1n << BigInt(range.bits)) - 1n) << BigInt(width - range.bits);
  return [...bytes(range.base, width / 8), ...bytes(mask, width / 8)];
}

async function issue(spec: CertSpec): Promise<x509.X509Certificate> {
  const isCa = spec.ca !== undefined && spec.ca !== "not-ca";
  const rsaLeaf = !isCa && (spec.key.kind === "rsa" || spec.key.kind === "rsa-pss");
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(isCa, isCa && typeof spec.ca === "object" ? spec.ca.pathLen : undefined, true),
    new x509.KeyUsagesExtension(
      spec.keyUsage ??
        (isCa ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | (rsaLeaf ? x509.KeyUsageFlags.keyEncipherment : 0)),
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(spec.key.pair.publicKey),
  ];
  if (spec.signer !== spec.key || spec.subject !== spec.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create((spec.claimedIssuerKey ?? spec.signer).pair.publicKey));
  if (spec.eku !== undefined) extensions.push(new x509.ExtendedKeyUsageExtension(spec.eku.map((n) => EKU_OIDS[n] ?? n)));
  if (spec.san) extensions.push(new x509.SubjectAlternativeNameExtension(spec.san.map((n) => ({ type: n.type === "ip" ? "ip" : "dns", value: n.value }) as const)));
  extensions.push(...(spec.extra ?? []));
  if (spec.nameConstraints) extensions.push(new x509.Extension("2.5.29.30", true, encodeNameConstraints(spec.nameConstraints.permitted, spec.nameConstraints.excluded, ipBytes).slice()));
  return x509.X509CertificateGenerator.create({
    serialNumber: spec.serial,
    subject: spec.subject,
    issuer: spec.issuer,
    ...spec.dates,
    signingAlgorithm: KEY_PARAMS[spec.signer.kind].sign,
    publicKey: spec.key.pair.publicKey,
    signingKey: spec.signer.pair.privateKey,
    extensions,
  });
}

/** A DER INTEGER holding the unsigned big-endian bytes (leading zeros dropped, a 0x00 added when the top bit is set). */
function derUnsigned(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  const v = bytes.subarray(i);
  return encodeTlv(0x02, v[0]! & 0x80 ? [0, ...v] : v);
}

/**
 * A version 1 self-signed certificate, as `openssl x509 -req -signkey` makes one: no version field (v1 is the
 * DEFAULT), no extensions at all — no basicConstraints, no keyUsage, no key identifiers. The library only writes
 * version 3, so its TBSCertificate is taken apart (RFC 5280 §4.1: the [0] version and [3] extensions removed) and
 * signed again with ECDSA P-256, the raw r‖s WebCrypto returns turned into the DER SEQUENCE X.509 carries.
 */
async function issueV1(serial: string, subject: string, key: Key, dates: { notBefore: Date; notAfter: Date }): Promise<x509.X509Certificate> {
  if (key.kind !== "p256") throw new Error("issueV1 signs with ECDSA P-256 only");
  const v3 = await x509.X509CertificateGenerator.create({ serialNumber: serial, subject, issuer: subject, ...dates, signingAlgorithm: KEY_PARAMS.p256.sign, publicKey: key.pair.publicKey, signingKey: key.pair.privateKey, extensions: [] });
  const [tbs, algorithm] = readChildren(readTlv(new Uint8Array(v3.rawData), 0).content);
  const fields = readChildren(tbs!.content).filter((f) => f.tag !== 0xa0 && f.tag !== 0xa3);
  const tbsV1 = encodeTlv(0x30, fields.flatMap((f) => [...encodeTlv(f.tag, f.content)]));
  const raw = new Uint8Array(await crypto.subtle.sign(KEY_PARAMS.p256.sign, key.pair.privateKey, tbsV1.slice()));
  const signature = encodeTlv(0x30, [...derUnsigned(raw.subarray(0, 32)), ...derUnsigned(raw.subarray(32))]);
  const der = encodeTlv(0x30, [...tbsV1, ...encodeTlv(algorithm!.tag, algorithm!.content), ...encodeTlv(0x03, [0, ...signature])]);
  return new x509.X509Certificate(der.slice());
}

const dns = (...names: string[]): GeneralName[] => names.map((value) => ({ type: "dns", value }));
const pem = (...certs: x509.X509Certificate[]) => certs.map((c) => c.toString("pem")).join("\n") + "\n";

/** Generates the certificates of every case in `infos` (ids from samples.ts). */
export async function buildSampleCases(infos: readonly SampleInfo[]): Promise<readonly SampleCase[]> {
  const [rootKey, otherRootKey, caKey, leafKey, attackerKey, rsaCa, rsaLeaf, pssCa, pssLeaf, p384Ca, p384Leaf, edCa, edLeaf, v1RootKey, retiredRootKey] = await Promise.all(
    (["p256", "p256", "p256", "p256", "p256", "rsa", "rsa", "rsa-pss", "rsa-pss", "p384", "p384", "ed25519", "ed25519", "p256", "p256"] as const).map(newKey),
  );
  const root = await issue({ serial: "01", subject: NAME.root, issuer: NAME.root, key: rootKey!, signer: rootKey!, dates: ROOT_DATES, ca: {} });
  const otherRoot = await issue({ serial: "02", subject: NAME.otherRoot, issuer: NAME.otherRoot, key: otherRootKey!, signer: otherRootKey!, dates: ROOT_DATES, ca: {} });
  const ca = (serial: string, subject: string, key: Key, extra: Partial<CertSpec> = {}) =>
    issue({ serial, subject, issuer: NAME.root, key, signer: rootKey!, dates: CA_DATES, ca: { pathLen: 0 }, eku: ["serverAuth", "clientAuth"], ...extra });
  const issuing = await ca("1001", NAME.issuing, caKey!);
  const leaf = (serial: string, issuer: string, signer: Key, extra: Partial<CertSpec> = {}) =>
    issue({ serial, subject: NAME.leaf, issuer, key: leafKey!, signer, dates: LEAF_DATES, san: dns("www.example.com", "example.com"), eku: ["serverAuth"], ...extra });
  const rootsPem = pem(root);

  const build: Record<string, () => Promise<{ chain: x509.X509Certificate[]; roots?: x509.X509Certificate[] }>> = {
    valid: async () => ({ chain: [await leaf("2001", NAME.issuing, caKey!), issuing] }),
    "valid-rsa-pkcs1": async () => {
      const i = await ca("1002", NAME.rsa, rsaCa!);
      return { chain: [await leaf("2002", NAME.rsa, rsaCa!, { key: rsaLeaf! }), i] };
    },
    "valid-rsa-pss": async () => {
      const i = await ca("1003", NAME.pss, pssCa!);
      return { chain: [await leaf("2003", NAME.pss, pssCa!, { key: pssLeaf! }), i] };
    },
    "valid-ecdsa-p384": async () => {
      const i = await ca("1004", NAME.p384, p384Ca!);
      return { chain: [await leaf("2004", NAME.p384, p384Ca!, { key: p384Leaf! }), i] };
    },
    "valid-ed25519": async () => {
      const i = await ca("1005", NAME.ed25519, edCa!);
      return { chain: [await leaf("2005", NAME.ed25519, edCa!, { key: edLeaf! }), i] };
    },
    "v1-root": async () => {
      const v1 = await issueV1("03", NAME.v1Root, v1RootKey!, ROOT_DATES);
      const i = await issue({ serial: "1010", subject: NAME.underV1, issuer: NAME.v1Root, key: caKey!, signer: v1RootKey!, dates: CA_DATES, ca: { pathLen: 0 }, eku: ["serverAuth", "clientAuth"] });
      return { chain: [await leaf("2023", NAME.underV1, caKey!), i], roots: [v1] };
    },
    "expired-leaf": async () => ({ chain: [await leaf("2006", NAME.issuing, caKey!, { dates: { notBefore: at("2025-11-01T00:00:00Z"), notAfter: at("2026-05-01T00:00:00Z") } }), issuing] }),
    "not-yet-valid-leaf": async () => ({ chain: [await leaf("2007", NAME.issuing, caKey!, { dates: { notBefore: at("2026-07-01T00:00:00Z"), notAfter: at("2026-12-28T00:00:00Z") } }), issuing] }),
    "expired-intermediate": async () => {
      const old = await ca("1006", NAME.oldIssuing, caKey!, { dates: { notBefore: at("2023-01-01T00:00:00Z"), notAfter: at("2026-05-01T00:00:00Z") } });
      return { chain: [await leaf("2008", NAME.oldIssuing, caKey!), old] };
    },
    "expired-root": async () => {
      const retired = await issue({ serial: "04", subject: NAME.retiredRoot, issuer: NAME.retiredRoot, key: retiredRootKey!, signer: retiredRootKey!, dates: { notBefore: at("2016-05-01T00:00:00Z"), notAfter: at("2026-05-01T00:00:00Z") }, ca: {} });
      const i = await issue({ serial: "1011", subject: NAME.underRetired, issuer: NAME.retiredRoot, key: caKey!, signer: retiredRootKey!, dates: CA_DATES, ca: { pathLen: 0 }, eku: ["serverAuth", "clientAuth"] });
      return { chain: [await leaf("2024", NAME.underRetired, caKey!), i], roots: [retired] };
    },
    "wrong-host": async () => ({ chain: [await leaf("2009", NAME.issuing, caKey!), issuing] }),
    "wildcard-two-labels": async () => ({ chain: [await leaf("2010", NAME.issuing, caKey!, { subject: "CN=*.example.com", san: dns("*.example.com") }), issuing] }),
    "partial-wildcard": async () => ({ chain: [await leaf("2011", NAME.issuing, caKey!, { subject: "CN=ww*.example.com", san: dns("ww*.example.com") }), issuing] }),
    "cn-only": async () => ({ chain: [await leaf("2012", NAME.issuing, caKey!, { san: null }), issuing] }),
    "self-signed-leaf": async () => ({ chain: [await leaf("2013", NAME.leaf, leafKey!)] }),
    "missing-intermediate": async () => ({ chain: [await leaf("2014", NAME.issuing, caKey!)] }),
    "untrusted-root": async () => ({ chain: [await leaf("2015", NAME.issuing, caKey!), issuing, root], roots: [otherRoot] }),
    "intermediate-not-ca": async () => {
      const notCa = await ca("1007", NAME.notCa, caKey!, { ca: "not-ca" });
      return { chain: [await leaf("2016", NAME.notCa, caKey!), notCa] };
    },
    "pathlen-exceeded": async () => {
      const sub = await issue({ serial: "1008", subject: NAME.subCa, issuer: NAME.issuing, key: attackerKey!, signer: caKey!, dates: CA_DATES, ca: {}, eku: ["serverAuth"] });
      return { chain: [await leaf("2017", NAME.subCa, attackerKey!), sub, issuing] };
    },
    "leaf-key-cert-sign-only": async () => ({ chain: [await leaf("2025", NAME.issuing, caKey!, { keyUsage: x509.KeyUsageFlags.keyCertSign }), issuing] }),
    "key-agreement-only": async () => ({ chain: [await leaf("2026", NAME.issuing, caKey!, { keyUsage: x509.KeyUsageFlags.keyAgreement }), issuing] }),
    "client-auth-only": async () => ({ chain: [await leaf("2018", NAME.issuing, caKey!, { eku: ["clientAuth"] }), issuing] }),
    "name-constraints-violated": async () => {
      const constrained = await ca("1009", NAME.constrained, caKey!, { nameConstraints: { permitted: dns("example.org"), excluded: [] } });
      return { chain: [await leaf("2019", NAME.constrained, caKey!), constrained] };
    },
    "forged-signature": async () => ({ chain: [await leaf("2020", NAME.issuing, attackerKey!, { claimedIssuerKey: caKey! }), issuing] }),
    "unknown-critical-extension": async () => ({
      chain: [await leaf("2027", NAME.issuing, caKey!, { extra: [new x509.Extension(UNKNOWN_CRITICAL_OID, true, new Uint8Array([0x05, 0x00]))] }), issuing],
    }),
    "ip-san": async () => ({ chain: [await leaf("2021", NAME.issuing, caKey!, { subject: "CN=192.0.2.10", san: [{ type: "ip", value: "192.0.2.10" }] }), issuing] }),
    "ip-as-dns-san": async () => ({ chain: [await leaf("2022", NAME.issuing, caKey!, { subject: "CN=192.0.2.10", san: dns("192.0.2.10") }), issuing] }),
  };

  const out: SampleCase[] = [];
  for (const meta of infos) {
    const make = build[meta.id];
    if (make === undefined) throw new Error(`no certificates defined for sample ${meta.id}`);
    const { chain, roots } = await make();
    out.push({ ...meta, chainPem: pem(...chain), rootsPem: roots ? pem(...roots) : rootsPem });
  }
  return out;
}
