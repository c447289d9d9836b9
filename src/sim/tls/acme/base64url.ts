/**
 * base64url without padding (RFC 4648 §5, as RFC 7515 §2 and RFC 8555 use it): the alphabet
 * A–Z a–z 0–9 - _ and no "=". Written by hand so the browser bundle carries no codec library.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const INDEX: Record<string, number> = Object.fromEntries([...ALPHABET].map((c, i) => [c, i]));

/** Whether `text` uses only the base64url alphabet (no padding, no whitespace). The empty string is not. */
export function isBase64url(text: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(text);
}

/**
 * Bytes as base64url, unpadded.
 * @example base64urlEncode(new Uint8Array([1, 0, 1])) // "AQAB"
 */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!, b1 = bytes[i + 1], b2 = bytes[i + 2];
    out += ALPHABET[b0 >> 2]!;
    out += ALPHABET[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]!;
    if (b1 !== undefined) out += ALPHABET[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]!;
    if (b2 !== undefined) out += ALPHABET[b2 & 63]!;
  }
  return out;
}

/**
 * base64url text as bytes, or null when it is not canonical unpadded base64url: a character outside
 * the alphabet, "=" padding, a length of 4n+1 (no byte string encodes to it), or leftover bits that
 * are not zero (two spellings of one value — RFC 4648 §3.5 lets a decoder reject them, and we do).
 */
export function base64urlDecode(text: string): Uint8Array | null {
  if (text.length === 0) return new Uint8Array(0);
  if (!isBase64url(text) || text.length % 4 === 1) return null;
  const out: number[] = [];
  let buffer = 0, bits = 0;
  for (const c of text) {
    buffer = (buffer << 6) | INDEX[c]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return new Uint8Array(out);
}

/** UTF-8 bytes of a string (TextEncoder exists in Node and every browser). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
