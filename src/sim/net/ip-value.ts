/**
 * IPv4 and IPv6 text to the address as an unsigned integer — dotted quads without leading zeros, IPv6 per RFC 4291
 * §2.2 with an embedded dotted quad allowed at the end. Written out rather than taken from ipaddr.js so that the
 * labs that only parse and compare addresses (the URL-map tester's Cloud Armor ranges, certificates' IP SANs) stay
 * small on a lesson page.
 */
export function ipv4Value(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

export function ipv6Value(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split("::").length > 2) return null;
  let tail = text;
  let embedded: bigint | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    embedded = ipv4Value(text.slice(lastColon + 1));
    if (embedded === null) return null;
    tail = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = tail.split("::") as [string, string | undefined];
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  if ((rest === undefined && missing !== 0) || (rest !== undefined && missing < 1)) return null;
  const all = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill("0"), ...right];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  let value = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (embedded !== null) value = (value & ~0xffffffffn) | embedded;
  return value;
}
