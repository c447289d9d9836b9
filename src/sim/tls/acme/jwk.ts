/**
 * An ACME account's public key as a JWK (RFC 7517), and its RFC 7638 thumbprint: SHA-256 over the
 * JSON object of the key type's required members only, in lexicographic order, without whitespace,
 * written base64url without padding. RSA {e,kty,n}, EC {crv,kty,x,y} (RFC 7638 §3.2), OKP {crv,kty,x}
 * (RFC 8037 §2). Optional members (alg, kid, use, key_ops…) never enter the hash, so adding a `kid`
 * does not change an account's identity. Synchronous (noble's SHA-256), for the browser as much as Node.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { InputError } from "../../net/errors";
import { base64urlDecode, base64urlEncode, utf8 } from "./base64url";

export type JwkKty = "RSA" | "EC" | "OKP";

export interface AccountJwk {
  readonly kty: JwkKty;
  /** The curve for EC and OKP keys. */
  readonly crv: string | null;
  /** The required members, as given. */
  readonly members: Readonly<Record<string, string>>;
  /** What RFC 7638 hashes: `{"e":"AQAB","kty":"RSA","n":"…"}`. */
  readonly canonical: string;
  /** base64url(SHA-256(canonical)), 43 characters. */
  readonly thumbprint: string;
  /** "RSA 2048-bit", "EC P-256", "Ed25519". */
  readonly description: string;
  /** Members left out of the hash, and other things worth saying (a weak key). */
  readonly notes: readonly string[];
}

/** Required members per key type, already in the lexicographic order RFC 7638 §3.3 asks for. */
const REQUIRED: Record<JwkKty, readonly string[]> = {
  RSA: ["e", "kty", "n"],
  EC: ["crv", "kty", "x", "y"],
  OKP: ["crv", "kty", "x"],
};
/** Coordinate length in bytes per curve (RFC 7518 §6.2.1.2: x and y are the full field size). */
const EC_CURVES: Record<string, number> = { "P-256": 32, "P-384": 48, "P-521": 66 };
/** Signing curves of RFC 8037 (X25519 and X448 are key-agreement keys and cannot sign ACME requests). */
const OKP_CURVES: Record<string, number> = { Ed25519: 32, Ed448: 57 };
/** Members that only a private key has (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
/** A pasted key is a few hundred bytes; anything past this is not one. */
export const MAX_JWK_TEXT = 64 * 1024;

/**
 * RFC 7638 thumbprint of canonical JSON text.
 * @example thumbprintOf('{"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}') // "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
 */
export function thumbprintOf(canonical: string): string {
  return base64urlEncode(sha256(utf8(canonical)));
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * Reads a public JWK from pasted or file text and computes its thumbprint.
 * @param what how the input is named in messages ("--jwk keys/account.json", "account key")
 * @throws InputError naming the member at fault: not JSON, a JWK Set, a private key, a missing or
 *   non-string member, an unsupported kty or curve, a value that is not base64url or has the wrong length
 * @example parseAccountJwk('{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}').thumbprint
 */
export function parseAccountJwk(text: string, what = "jwk"): AccountJwk {
  if (text.length > MAX_JWK_TEXT) throw new InputError(what, `is ${text.length} characters; a JWK is a few hundred — give one public key`);
  if (text.trim() === "") throw new InputError(what, "is empty; paste the account's public key as JSON, e.g. {\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"…\",\"y\":\"…\"}");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(what, `is not JSON (${(error as Error).message.split("\n")[0]})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InputError(what, "is JSON but not an object; a JWK is one object with kty and the key's members");
  const jwk = value as Record<string, unknown>;
  if (Array.isArray(jwk.keys)) throw new InputError(`${what}.keys`, "this is a JWK Set; give the one account key it holds, not the set");
  const member = (name: string) => `${what}.${name}`;
  const privateOnes = PRIVATE_MEMBERS.filter((m) => m in jwk);
  if (privateOnes.length) {
    throw new InputError(
      member(privateOnes[0]!),
      `this JWK holds a private key (${privateOnes.join(", ")}). An ACME account's private key signs every request to the CA and should never be pasted into a web page or shared; the thumbprint needs only the public members — delete ${privateOnes.join(", ")} and try again`,
    );
  }
  if (!("kty" in jwk)) throw new InputError(member("kty"), "missing: every JWK names its key type (RSA, EC or OKP)");
  if (typeof jwk.kty !== "string") throw new InputError(member("kty"), "must be a string");
  const kty = jwk.kty;
  if (kty === "oct") throw new InputError(member("kty"), "\"oct\" is a shared secret, not a public key; an ACME account key is RSA, EC or OKP");
  if (kty !== "RSA" && kty !== "EC" && kty !== "OKP") throw new InputError(member("kty"), `"${kty.slice(0, 20)}" is not a key type RFC 7638 defines a thumbprint for here; use RSA, EC or OKP (key types are case-sensitive)`);
  const members: Record<string, string> = {};
  for (const name of REQUIRED[kty]) {
    if (!(name in jwk)) throw new InputError(member(name), `missing: an ${kty} key's thumbprint is taken over ${REQUIRED[kty].join(", ")} (RFC 7638 §3.2${kty === "OKP" ? ", RFC 8037 §2" : ""})`);
    const v = jwk[name];
    if (typeof v !== "string") throw new InputError(member(name), "must be a string");
    members[name] = v;
  }
  const bytesOf = (name: string): Uint8Array => {
    const decoded = base64urlDecode(members[name]!);
    if (decoded === null || decoded.length === 0) {
      throw new InputError(member(name), `"${members[name]!.slice(0, 24)}${members[name]!.length > 24 ? "…" : ""}" is not base64url (A–Z a–z 0–9 - _ , no "=" padding, no spaces; RFC 7515 §2)`);
    }
    return decoded;
  };
  const notes: string[] = [];
  let description: string;
  let crv: string | null = null;
  if (kty === "RSA") {
    const n = bytesOf("n");
    const e = bytesOf("e");
    if (n[0] === 0) notes.push("n starts with a zero byte; RFC 7518 §6.3.1.1 says the modulus is written without leading zeros, and the thumbprint hashes the text as written.");
    const bits = bitLength(n);
    description = `RSA ${bits}-bit`;
    if (e.length > 8) throw new InputError(member("e"), "is longer than any real public exponent (usually AQAB, 65537)");
    if (bits < 2048) notes.push(`A ${bits}-bit RSA key is far too weak for real use; CAs such as Let's Encrypt refuse RSA account keys under 2048 bits.`);
  } else if (kty === "EC") {
    crv = members.crv!;
    const size = EC_CURVES[crv];
    if (size === undefined) throw new InputError(member("crv"), `"${crv.slice(0, 20)}" is not an EC curve of RFC 7518 (P-256, P-384, P-521)`);
    for (const name of ["x", "y"]) {
      const len = bytesOf(name).length;
      if (len !== size) throw new InputError(member(name), `decodes to ${len} bytes; a ${crv} coordinate is exactly ${size} (RFC 7518 §6.2.1.2)`);
    }
    description = `EC ${crv}`;
  } else {
    crv = members.crv!;
    const size = OKP_CURVES[crv];
    if (size === undefined) {
      throw new InputError(member("crv"), crv === "X25519" || crv === "X448" ? `${crv} is a key-agreement curve; an account key must sign (Ed25519 or Ed448)` : `"${crv.slice(0, 20)}" is not an OKP signing curve of RFC 8037 (Ed25519, Ed448)`);
    }
    const len = bytesOf("x").length;
    if (len !== size) throw new InputError(member("x"), `decodes to ${len} bytes; an ${crv} public key is exactly ${size}`);
    description = crv;
    notes.push("RFC 8037 defines EdDSA JWKs, but not every CA accepts them for accounts (Let's Encrypt takes RSA and ECDSA P-256/P-384 account keys).");
  }
  const ignored = Object.keys(jwk).filter((k) => !REQUIRED[kty].includes(k));
  if (ignored.length) notes.push(`Left out of the hash, as RFC 7638 §3.2 requires: ${ignored.slice(0, 8).join(", ")}.`);
  // Values are base64url or fixed names, so JSON.stringify adds no escapes (RFC 7638 §3.3).
  const canonical = `{${REQUIRED[kty].map((name) => `${JSON.stringify(name)}:${JSON.stringify(members[name])}`).join(",")}}`;
  return { kty, crv, members, canonical, thumbprint: thumbprintOf(canonical), description, notes };
}
