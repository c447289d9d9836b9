import ipaddr from "ipaddr.js";

/**
 * Byte-level helpers for writing packets and capture files: a growable big-endian writer (network
 * order; the pcapng writer asks for little-endian explicitly), the Internet checksum, CRC-32C for
 * SCTP, and a small deterministic hash that stands in for every "random" field on the wire (initial
 * sequence numbers, IP identification, TLS randoms, ciphertext), so the same trace always gives the
 * same bytes.
 */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  get size(): number {
    return this.length;
  }

  u8(value: number): this {
    this.room(1);
    this.buffer[this.length++] = value & 0xff;
    return this;
  }

  u16(value: number, littleEndian = false): this {
    this.room(2);
    new DataView(this.buffer.buffer).setUint16(this.length, value & 0xffff, littleEndian);
    this.length += 2;
    return this;
  }

  u24(value: number): this {
    return this.u8(value >>> 16).u16(value & 0xffff);
  }

  u32(value: number, littleEndian = false): this {
    this.room(4);
    new DataView(this.buffer.buffer).setUint32(this.length, value >>> 0, littleEndian);
    this.length += 4;
    return this;
  }

  bytes(data: Uint8Array | readonly number[]): this {
    this.room(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Zero bytes up to the next multiple of `unit`. */
  pad(unit: number): this {
    while (this.length % unit !== 0) this.u8(0);
    return this;
  }

  /** Overwrites two bytes already written (a length or checksum filled in afterwards). */
  setU16(offset: number, value: number): this {
    new DataView(this.buffer.buffer).setUint16(offset, value & 0xffff);
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** An address as the 4 or 16 bytes a header carries. */
export function addressBytes(text: string): Uint8Array {
  return Uint8Array.from(ipaddr.parse(text).toByteArray());
}

/** The Internet checksum (RFC 1071): the one's complement of the one's-complement sum of 16-bit words. */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  const data = parts.length === 1 ? parts[0]! : concatBytes(...parts);
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

let crc32cTable: Uint32Array | null = null;

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the SCTP checksum of RFC 9260 appendix A. */
export function crc32c(data: Uint8Array): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crc32cTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** FNV-1a, 32 bits: the seed of every deterministic "random" field. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `length` bytes that look random (ciphertext, a TLS random, a key share) and depend only on `seed`. */
export function opaqueBytes(seed: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = hash32(seed) || 1;
  for (let i = 0; i < length; i++) {
    // xorshift32: enough to look like ciphertext in a hex dump, and identical on every platform.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}
