/**
 * kube-proxy's chain names (pkg/proxy/iptables/proxier.go): SHA-256 of the service port name and
 * the lower-case protocol (plus "ip:port" for an endpoint), standard base32, first 16 characters,
 * behind a KUBE-SVC-/KUBE-SVL-/KUBE-EXT-/KUBE-FW-/KUBE-SEP- prefix. The hash keeps names within
 * iptables' 28-character limit.
 */
const BASE32_CODES = Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", (c) => c.charCodeAt(0));
const encoder = new TextEncoder();

// SHA-256 (FIPS 180-4) round constants and initial hash value.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

// A large cluster needs ~60 000 hashes per sync, each of a short string: one fixed set of buffers,
// reused, costs far less than a general-purpose hasher object per name.
let bytes = new Uint8Array(128);
const w = new Int32Array(64);
const h = new Int32Array(8);
const chars: number[] = [];

/** Writes `a + b + c` as UTF-8 into `bytes` (growing it), returning the byte length. */
function utf8(a: string, b: string, c: string): number {
  const total = a.length + b.length + c.length;
  if (bytes.length < total * 3 + 72) bytes = new Uint8Array(total * 3 + 72);
  let n = ascii(a, 0);
  if (n >= 0) n = ascii(b, n);
  if (n >= 0) n = ascii(c, n);
  // Not ASCII: let TextEncoder handle multi-byte characters and lone surrogates (U+FFFD).
  return n >= 0 ? n : encoder.encodeInto(a + b + c, bytes).written;
}

/** Copies an ASCII `part` into `bytes` at `n`, returning the end; -1 at the first other character. */
function ascii(part: string, n: number): number {
  for (let i = 0; i < part.length; i++) {
    const code = part.charCodeAt(i);
    if (code >= 0x80) return -1;
    bytes[n++] = code;
  }
  return n;
}

/** SHA-256 of bytes[0…length) into `h` (message padding written into `bytes`). */
function sha256Into(length: number): void {
  const blocks = ((length + 8) >>> 6) + 1;
  const padded = blocks * 64;
  if (bytes.length < padded) {
    const grown = new Uint8Array(padded);
    grown.set(bytes.subarray(0, length));
    bytes = grown;
  }
  bytes[length] = 0x80;
  bytes.fill(0, length + 1, padded - 8);
  // Bit length, big-endian, in the last 8 bytes (inputs here are far below 2^32 bits).
  const bits = length * 8;
  bytes[padded - 8] = 0;
  bytes[padded - 7] = 0;
  bytes[padded - 6] = 0;
  bytes[padded - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  bytes[padded - 4] = (bits >>> 24) & 0xff;
  bytes[padded - 3] = (bits >>> 16) & 0xff;
  bytes[padded - 2] = (bits >>> 8) & 0xff;
  bytes[padded - 1] = bits & 0xff;
  h.set(IV);
  for (let block = 0; block < padded; block += 64) {
    for (let t = 0; t < 16; t++) {
      const o = block + t * 4;
      w[t] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    let f = h[5]!;
    let g = h[6]!;
    let hh = h[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + hh) | 0;
  }
}

function digits(at: number, part: number): void {
  chars[at] = BASE32_CODES[(part >>> 15) & 31]!;
  chars[at + 1] = BASE32_CODES[(part >>> 10) & 31]!;
  chars[at + 2] = BASE32_CODES[(part >>> 5) & 31]!;
  chars[at + 3] = BASE32_CODES[part & 31]!;
}

/**
 * `prefix` followed by the first 16 characters of
 * `base32.StdEncoding.EncodeToString(sha256.Sum256([]byte(input1 + input2 + input3)))`, built as one flat string.
 * 16 base32 characters are exactly the first 80 bits of the digest: h[0], h[1] and the top 16 bits
 * of h[2].
 */
function prefixedHash16(prefix: string, input1: string, input2 = "", input3 = ""): string {
  sha256Into(utf8(input1, input2, input3));
  const h0 = h[0]!;
  const h1 = h[1]!;
  const h2 = h[2]!;
  // The first 80 bits as four 20-bit parts (32-bit safe), each four base32 digits.
  const a = h0 >>> 12; // bits 0-19
  const b = ((h0 & 0xfff) << 8) | (h1 >>> 24); // bits 20-39
  const c = (h1 >>> 4) & 0xfffff; // bits 40-59
  const d = ((h1 & 0xf) << 16) | (h2 >>> 16); // bits 60-79
  // One flat string (not prefix + digits), since chain names end up as keys of large maps.
  const p = prefix.length;
  chars.length = p + 16;
  for (let i = 0; i < p; i++) chars[i] = prefix.charCodeAt(i);
  digits(p, a);
  digits(p + 4, b);
  digits(p + 8, c);
  digits(p + 12, d);
  return String.fromCharCode.apply(null, chars);
}

/**
 * The first 16 characters of `base32.StdEncoding.EncodeToString(sha256.Sum256([]byte(input)))`.
 * 16 base32 characters are exactly the first 10 digest bytes, so only those are encoded.
 *
 * @example hash16("ns1/svc1:p80tcp") // "XPGD46QRK7WJZT7O"
 */
export function hash16(input: string): string {
  return prefixedHash16("", input);
}

/**
 * `portProtoHash`: the hash shared by a service port's SVC, SVL, EXT and FW chains.
 *
 * @example portProtoHash("ns1/svc1:p80", "tcp") // "XPGD46QRK7WJZT7O"
 */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return remembered(portHashes, `${servicePortName}\u0000${protocol}`, () => prefixedHash16("", servicePortName, protocol));
}

/*
 * kube-proxy does not hash every name on every sync: `newServiceInfo` and `newEndpointInfo` (proxier.go)
 * compute a service port's chain names and an endpoint's KUBE-SEP name once, when the object changes, and
 * keep them on the info structs its change trackers hold from sync to sync. The simulator keeps them the
 * same way — by their inputs, which are all a name depends on — so a resync of an unchanged cluster rehashes
 * nothing. The maps are bounded: past their ceiling they start again (a name is recomputed, never wrong).
 */
const MAX_REMEMBERED = 1 << 18;
const portHashes = new Map<string, string>();
const endpointChains = new Map<string, string>();
function remembered(names: Map<string, string>, key: string, compute: () => string): string {
  let name = names.get(key);
  if (name === undefined) {
    if (names.size >= MAX_REMEMBERED) names.clear();
    names.set(key, (name = compute()));
  }
  return name;
}

/**
 * `prefix + hash` as one flat string. Chain names are compared and sorted by the tens of thousands;
 * a concatenation would be a rope, copied into a flat string on its first comparison.
 *
 * @example hashedChainName("KUBE-SVC-", portProtoHash("ns1/svc1:p80", "tcp")) // "KUBE-SVC-XPGD46QRK7WJZT7O"
 */
export function hashedChainName(prefix: string, hash: string): string {
  const p = prefix.length;
  chars.length = p + hash.length;
  for (let i = 0; i < p; i++) chars[i] = prefix.charCodeAt(i);
  for (let i = 0; i < hash.length; i++) chars[p + i] = hash.charCodeAt(i);
  return String.fromCharCode.apply(null, chars);
}

/**
 * `servicePortPolicyClusterChain`: the KUBE-SVC-… chain (endpoints for Cluster traffic policy).
 *
 * @example servicePortChainName("ns1/svc1:p80", "tcp") // "KUBE-SVC-XPGD46QRK7WJZT7O"
 */
export function servicePortChainName(servicePortName: string, protocol: string): string {
  return "KUBE-SVC-" + portProtoHash(servicePortName, protocol);
}

/**
 * `servicePortPolicyLocalChainName`: the KUBE-SVL-… chain (local endpoints for Local policy).
 *
 * @example servicePortLocalChainName("ns2/svc2:p80", "tcp") // "KUBE-SVL-GNZBNJ2PO5MGZ6GT"
 */
export function servicePortLocalChainName(servicePortName: string, protocol: string): string {
  return "KUBE-SVL-" + portProtoHash(servicePortName, protocol);
}

/**
 * `serviceExternalChainName`: the KUBE-EXT-… chain every external destination jumps to.
 *
 * @example serviceExternalChainName("ns2/svc2:p80", "tcp") // "KUBE-EXT-GNZBNJ2PO5MGZ6GT"
 */
export function serviceExternalChainName(servicePortName: string, protocol: string): string {
  return "KUBE-EXT-" + portProtoHash(servicePortName, protocol);
}

/**
 * `serviceFirewallChainName`: the KUBE-FW-… chain for loadBalancerSourceRanges.
 *
 * @example serviceFirewallChainName("ns5/svc5:p80", "tcp") // "KUBE-FW-NUKIZ6OKUXPJNT4C"
 */
export function serviceFirewallChainName(servicePortName: string, protocol: string): string {
  return "KUBE-FW-" + portProtoHash(servicePortName, protocol);
}

/**
 * `servicePortEndpointChainName`: the KUBE-SEP-… chain of one endpoint ("ip:port", IPv6 bracketed).
 *
 * @example servicePortEndpointChainName("ns1/svc1:p80", "tcp", "10.180.0.1:80") // "KUBE-SEP-SXIVWICOYRO3J4NJ"
 */
export function servicePortEndpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return remembered(endpointChains, `${servicePortName}\u0000${protocol}\u0000${endpoint}`, () => prefixedHash16("KUBE-SEP-", servicePortName, protocol, endpoint));
}
