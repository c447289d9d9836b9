/**
 * What an ACME client puts where, for each challenge of RFC 8555 §8 — computed from the token the CA
 * sent and the account key's thumbprint:
 * - the key authorization `token.thumbprint` (§8.1);
 * - http-01: the file at `http://{domain}/.well-known/acme-challenge/{token}` on port 80 whose body is
 *   the key authorization (§8.3; an IP identifier, RFC 8738, goes in the URL as it is, IPv6 in brackets);
 * - dns-01: a TXT record at `_acme-challenge.{domain}` whose value is base64url(SHA-256(keyAuthorization)),
 *   43 characters (§8.4); an order for `*.example.com` is authorised at `example.com` (§7.1.4), so the
 *   record is `_acme-challenge.example.com`;
 * - tls-alpn-01 (RFC 8737), described only.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import ipaddr from "ipaddr.js";
import { InputError } from "../../net/errors";
import { base64urlEncode, isBase64url, utf8 } from "./base64url";

export const CHALLENGES = ["http-01", "dns-01"] as const;
export type ChallengeType = (typeof CHALLENGES)[number];

/**
 * The least token length the command line and lab accept. RFC 8555 §8.3 asks the CA for at least 128
 * bits of entropy in a token; 128 bits of base64url need ⌈128 / 6⌉ = 22 characters. Length is all we
 * can check from the text (entropy is a property of how the CA drew it); Let's Encrypt's are 43.
 */
export const MIN_TOKEN_LENGTH = 22;

/** An order's identifier as the CA authorises it. */
export interface AcmeIdentifier {
  /** "dns", or "ip" (RFC 8738). */
  readonly type: "dns" | "ip";
  /** As ordered, normalised: lower case, no trailing dot; an IP in its canonical text. */
  readonly ordered: string;
  /** What the authorization is for: the ordered name without "*." (RFC 8555 §7.1.4). */
  readonly value: string;
  readonly wildcard: boolean;
}

/**
 * Reads the name (or IP address) a certificate is ordered for.
 * @throws InputError when it is not a DNS name of LDH labels (each 1–63, 253 in all), an IPv4/IPv6
 *   address, or a wildcard `*.` followed by such a name
 * @example readIdentifier("*.Example.com.") // { type: "dns", ordered: "*.example.com", value: "example.com", wildcard: true }
 */
export function readIdentifier(text: string, what = "--domain"): AcmeIdentifier {
  const raw = text.trim();
  if (raw === "") throw new InputError(what, "give the name the certificate is for, e.g. shop.example.com or *.example.com");
  const bare = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
  if (ipaddr.isValid(bare) && (bare.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(bare))) {
    const canonical = ipaddr.parse(bare).toString();
    return { type: "ip", ordered: canonical, value: canonical, wildcard: false };
  }
  let name = raw.toLowerCase();
  if (name.endsWith(".")) name = name.slice(0, -1);
  const wildcard = name.startsWith("*.");
  const base = wildcard ? name.slice(2) : name;
  if (name.includes("*") && !(wildcard && !base.includes("*"))) {
    throw new InputError(raw, "a wildcard is allowed only as the whole left-most label, \"*.example.com\" (RFC 8555 §7.4)");
  }
  if (base.length > 253) throw new InputError(raw, "is longer than 253 characters, the most a DNS name can be");
  const labels = base.split(".");
  for (const label of labels) {
    if (label === "") throw new InputError(raw, "has an empty label (two dots in a row, or a leading dot)");
    if (label.length > 63) throw new InputError(raw, `label "${label.slice(0, 20)}…" is longer than 63 characters`);
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label)) {
      throw new InputError(raw, `label "${label}" is not a host name label (letters, digits and hyphens, not at either end; write an internationalised name in its xn-- form)`);
    }
  }
  if (labels.length < 2) throw new InputError(raw, "needs at least two labels (a public CA issues only for names under a registered domain)");
  if (/^\d+$/.test(labels.at(-1)!)) throw new InputError(raw, "ends in a numeric label, so it is neither a DNS name nor a dotted-quad IPv4 address");
  return { type: "dns", ordered: name, value: base, wildcard };
}

/**
 * Checks a challenge token as RFC 8555 §8.3 shapes it: only the base64url alphabet, no "=" padding,
 * and (unless `minLength` is lowered) at least 22 characters.
 * @throws InputError naming the token
 */
export function readToken(text: string, what = "--token", minLength = MIN_TOKEN_LENGTH): string {
  const token = text.trim();
  if (token === "") throw new InputError(what, "give the challenge's token, as the CA sent it in the challenge object");
  if (token.includes("=")) throw new InputError(token, "has \"=\" padding; an ACME token is base64url without padding (RFC 8555 §8.3)");
  if (!isBase64url(token)) {
    const bad = [...token].find((c) => !/[A-Za-z0-9_-]/.test(c))!;
    throw new InputError(token.length > 60 ? `${token.slice(0, 60)}…` : token, `contains ${JSON.stringify(bad)}; a token uses only the base64url alphabet A–Z a–z 0–9 - _ (RFC 8555 §8.3)`);
  }
  if (token.length < minLength) {
    throw new InputError(token, `is ${token.length} characters; a CA's token carries at least 128 bits of entropy (RFC 8555 §8.3), which takes at least ${minLength} base64url characters`);
  }
  return token;
}

/**
 * RFC 8555 §8.1: the token, a dot, the account key's thumbprint.
 * @example keyAuthorization("foo", "oKGqedy-b-acd5eoybm2f-NVFxvyOoET5CNy3xnv8WY") // "foo.oKGqedy-b-acd5eoybm2f-NVFxvyOoET5CNy3xnv8WY"
 */
export function keyAuthorization(token: string, thumbprint: string): string {
  return `${token}.${thumbprint}`;
}

/**
 * The CA's comparison for http-01 (RFC 8555 §8.3): the body must be the key authorization it computes
 * itself from the token it issued and the account's key. Trailing whitespace (a newline an editor
 * added) is ignored, as §8.3 says the server SHOULD; anything else — another token, a cut-short
 * thumbprint, an extra dot — fails.
 */
export function keyAuthorizationMatches(body: string, token: string, thumbprint: string): boolean {
  return body.replace(/\s+$/, "") === keyAuthorization(token, thumbprint);
}

/** base64url(SHA-256(keyAuthorization)): the dns-01 TXT value, always 43 characters (RFC 8555 §8.4). */
export function dns01Value(keyAuth: string): string {
  return base64urlEncode(sha256(utf8(keyAuth)));
}

export interface Http01 {
  readonly url: string;
  readonly path: string;
  readonly port: 80;
  /** The file's content: the key authorization itself, not its hash. */
  readonly body: string;
}

/** The http-01 resource; null for a wildcard, which only dns-01 can validate. */
export function http01(identifier: AcmeIdentifier, token: string, keyAuth: string): Http01 | null {
  if (identifier.wildcard) return null;
  const host = identifier.type === "ip" && identifier.value.includes(":") ? `[${identifier.value}]` : identifier.value;
  const path = `/.well-known/acme-challenge/${token}`;
  return { url: `http://${host}${path}`, path, port: 80, body: keyAuth };
}

/**
 * Where the dns-01 record goes. `rfc`: at the authorization's name (a wildcard's base). The wrong model
 * `wildcard-record-name` keeps the "*." — a name no CA ever queries.
 */
export type Dns01Model = "rfc" | "wildcard-record-name";

export interface Dns01 {
  readonly name: string;
  readonly type: "TXT";
  readonly value: string;
}

/** The dns-01 record; null for an IP identifier (RFC 8738 §7: dns-01 cannot validate an address). */
export function dns01(identifier: AcmeIdentifier, keyAuth: string, model: Dns01Model = "rfc"): Dns01 | null {
  if (identifier.type === "ip") return null;
  const at = model === "wildcard-record-name" ? identifier.ordered : identifier.value;
  return { name: `_acme-challenge.${at}`, type: "TXT", value: dns01Value(keyAuth) };
}

/** One line on tls-alpn-01, which the lab and command describe but do not step. */
export const TLS_ALPN_01 =
  "tls-alpn-01 (RFC 8737): the CA opens TLS to port 443 offering only the ALPN protocol \"acme-tls/1\" with the name in SNI; the server must answer with a self-signed certificate for that name carrying a critical acmeIdentifier extension that holds SHA-256 of the key authorization. It proves control of whatever answers on 443, like http-01, and cannot validate a wildcard.";

/** Everything the client prepares for one identifier, token and key. */
export interface ChallengeMaterial {
  readonly identifier: AcmeIdentifier;
  readonly token: string;
  readonly thumbprint: string;
  readonly keyAuthorization: string;
  readonly http01: Http01 | null;
  readonly dns01: Dns01 | null;
  /** Why a challenge is missing, one sentence each. */
  readonly notes: readonly string[];
}

export function challengeMaterial(identifier: AcmeIdentifier, token: string, thumbprint: string): ChallengeMaterial {
  const keyAuth = keyAuthorization(token, thumbprint);
  const notes: string[] = [];
  if (identifier.wildcard) notes.push(`An order for ${identifier.ordered} is authorised at ${identifier.value} with "wildcard": true (RFC 8555 §7.1.4); ACME CAs such as Let's Encrypt accept only dns-01 for it, so there is no http-01 file.`);
  if (identifier.type === "ip") notes.push("An IP address is validated by http-01 or tls-alpn-01 only; dns-01 has no name to put a record under (RFC 8738 §7).");
  return { identifier, token, thumbprint, keyAuthorization: keyAuth, http01: http01(identifier, token, keyAuth), dns01: dns01(identifier, keyAuth), notes };
}
