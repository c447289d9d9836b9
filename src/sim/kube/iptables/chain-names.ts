/**
 * kube-proxy's chain names (pkg/proxy/iptables/proxier.go): SHA-256 of the service port name and
 * the lower-case protocol (plus "ip:port" for an endpoint), standard base32, first 16 characters,
 * behind a KUBE-SVC-/KUBE-SVL-/KUBE-EXT-/KUBE-FW-/KUBE-SEP- prefix. The hash keeps names within
 * iptables' 28-character limit.
 */
import { _SHA256 } from "@noble/hashes/sha2.js";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const encoder = new TextEncoder();
// One pristine hasher cloned into one working hasher: a large cluster needs ~60 000 hashes per
// sync, and allocating a hasher per name costs more than the compression itself.
const pristine = new _SHA256();
const working = new _SHA256();
const digest = new Uint8Array(32);
let scratch = new Uint8Array(512);

/**
 * The first 16 characters of `base32.StdEncoding.EncodeToString(sha256.Sum256([]byte(input)))`.
 * 16 base32 characters are exactly the first 10 digest bytes, so only those are encoded.
 *
 * @example hash16("ns1/svc1:p80tcp") // "XPGD46QRK7WJZT7O"
 */
export function hash16(input: string): string {
  if (scratch.length < input.length * 3) scratch = new Uint8Array(input.length * 3);
  const { written } = encoder.encodeInto(input, scratch);
  pristine._cloneInto(working);
  working.update(scratch.subarray(0, written));
  working.digestInto(digest);
  let out = "";
  for (let group = 0; group < 10; group += 5) {
    // 5 bytes = 40 bits = 8 base32 characters. Built from two halves to stay within 32-bit ops.
    const hi = ((digest[group] ?? 0) << 12) | ((digest[group + 1] ?? 0) << 4) | ((digest[group + 2] ?? 0) >> 4);
    const lo = (((digest[group + 2] ?? 0) & 0x0f) << 16) | ((digest[group + 3] ?? 0) << 8) | (digest[group + 4] ?? 0);
    out += BASE32[(hi >> 15) & 31]! + BASE32[(hi >> 10) & 31]! + BASE32[(hi >> 5) & 31]! + BASE32[hi & 31]!;
    out += BASE32[(lo >> 15) & 31]! + BASE32[(lo >> 10) & 31]! + BASE32[(lo >> 5) & 31]! + BASE32[lo & 31]!;
  }
  return out;
}

/**
 * `portProtoHash`: the hash shared by a service port's SVC, SVL, EXT and FW chains.
 *
 * @example portProtoHash("ns1/svc1:p80", "tcp") // "XPGD46QRK7WJZT7O"
 */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol);
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
  return "KUBE-SEP-" + hash16(servicePortName + protocol + endpoint);
}
