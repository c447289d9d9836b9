/**
 * The little address arithmetic kube-proxy's iptables proxier needs, with Go's semantics.
 *
 * kube-proxy parses every address with `netutils.ParseIPSloppy` / `ParseCIDRSloppy` (k8s.io/utils/net):
 * the pre-Go-1.17 parser, which reads IPv4 octets with leading zeros as *decimal* ("010" is 10, not 8).
 * It then prints them with `net.IP.String()` / `net.IPNet.String()`, which is how "172.30.0.041" in a
 * Service becomes "172.30.0.41" in the rules (proxier_test.go TestBadIPs). `ipaddr.js` reads such
 * octets as octal, so this file does its own parsing.
 */

export type Family = "IPv4" | "IPv6";

/** A parsed address: its family, 4 or 16 bytes, and Go's `net.IP.String()` text. */
export interface ParsedIP {
  readonly family: Family;
  readonly bytes: readonly number[];
  readonly text: string;
}

/** A parsed CIDR, masked to its network as Go's `net.IPNet.String()` prints it. */
export interface ParsedCIDR {
  readonly family: Family;
  readonly network: readonly number[];
  readonly prefix: number;
  readonly text: string;
}

function parseIPv4Octets(s: string): number[] | null {
  // Go's old dtoi: one or more decimal digits per octet, leading zeros allowed, value <= 255.
  const out: number[] = [];
  let n = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || n > 255 || out.length === 4) return null;
      out.push(n);
      n = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
      if (n > 0xffffff) return null;
    } else {
      return null;
    }
  }
  return out.length === 4 ? out : null;
}

function parseIPv6Groups(s: string): number[] | null {
  let head = s;
  let tail4: number[] | null = null;
  const lastColon = s.lastIndexOf(":");
  if (lastColon >= 0 && s.indexOf(".", lastColon) > 0) {
    tail4 = parseIPv4Octets(s.slice(lastColon + 1));
    if (!tail4) return null;
    head = s.slice(0, lastColon + 1) + "0:0";
  }
  const dbl = head.indexOf("::");
  if (dbl !== head.lastIndexOf("::")) return null;
  const parseSide = (side: string): number[] | null => {
    if (side === "") return [];
    const groups: number[] = [];
    for (const g of side.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  let groups: number[];
  if (dbl >= 0) {
    const left = parseSide(head.slice(0, dbl));
    const right = parseSide(head.slice(dbl + 2));
    if (!left || !right || left.length + right.length > 7) return null;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseSide(head);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  if (tail4) bytes.splice(12, 4, ...tail4);
  return bytes;
}

function isV4Mapped(b: readonly number[]): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

function formatIPv6(b: readonly number[]): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  // Go (like RFC 5952) compresses the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(":");
  const left = g.slice(0, bestStart).map((x) => x.toString(16)).join(":");
  const right = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(":");
  return `${left}::${right}`;
}

/**
 * Whether `s` is an IPv4 address exactly as Go prints one (four decimal octets of at most 255, no
 * leading zeros): then `parseIPSloppy(s)` is IPv4 with `text === s`, which callers in a hot loop
 * can use without building the parsed form.
 *
 * @example isCanonicalIPv4("10.4.0.2") // true; "10.4.0.02" and "::1" are false
 */
export function isCanonicalIPv4(s: string): boolean {
  let dots = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return false;
      digits = 0;
      octet = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return false;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return false;
    } else {
      return false;
    }
  }
  return dots === 3 && digits > 0;
}

/**
 * Go's `netutils.ParseIPSloppy(s).String()`, with the family `netutils.IsIPv6` would report
 * (an IPv4-mapped IPv6 address counts as IPv4, as Go's `To4()` does). null when Go returns nil.
 *
 * @example parseIPSloppy("10.180.00.001")?.text // "10.180.0.1"
 */
export function parseIPSloppy(s: string): ParsedIP | null {
  if (s.includes(":")) {
    const b = parseIPv6Groups(s);
    if (!b) return null;
    if (isV4Mapped(b)) {
      const v4 = b.slice(12);
      return { family: "IPv4", bytes: v4, text: v4.join(".") };
    }
    return { family: "IPv6", bytes: b, text: formatIPv6(b) };
  }
  const v4 = parseIPv4Octets(s);
  return v4 ? { family: "IPv4", bytes: v4, text: v4.join(".") } : null;
}

/**
 * Go's `netutils.ParseCIDRSloppy`: the network (host bits cleared) and its `String()`.
 *
 * @example parseCIDRSloppy("203.0.113.000/025")?.text // "203.0.113.0/25"
 */
export function parseCIDRSloppy(s: string): ParsedCIDR | null {
  const slash = s.indexOf("/");
  if (slash < 0) return null;
  const ip = parseIPSloppy(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!ip || !/^[0-9]+$/.test(bits)) return null;
  const prefix = Number(bits);
  const max = ip.bytes.length * 8;
  if (prefix > max) return null;
  const network = ip.bytes.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  const netText = ip.family === "IPv4" ? network.join(".") : formatIPv6(network);
  return { family: ip.family, network, prefix, text: `${netText}/${prefix}` };
}

/** `(*net.IPNet).Contains`: false across families. */
export function cidrContains(cidr: ParsedCIDR, ip: ParsedIP): boolean {
  if (cidr.family !== ip.family) return false;
  for (let i = 0; i < cidr.network.length; i++) {
    const keep = Math.max(0, Math.min(8, cidr.prefix - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== cidr.network[i]) return false;
  }
  return true;
}

/** `net.IP.IsLoopback`: 127.0.0.0/8 or ::1. */
export function isLoopback(ip: ParsedIP): boolean {
  if (ip.family === "IPv4") return ip.bytes[0] === 127;
  return ip.bytes.every((b, i) => (i === 15 ? b === 1 : b === 0));
}

/** `net.JoinHostPort`: IPv6 hosts in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Orders addresses by family then bytes, for output that does not depend on map iteration. */
export function compareIPs(a: ParsedIP, b: ParsedIP): number {
  if (a.family !== b.family) return a.family === "IPv4" ? -1 : 1;
  for (let i = 0; i < a.bytes.length; i++) {
    const d = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
