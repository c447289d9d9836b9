/**
 * Service identity: does a certificate name the server the client meant to reach? RFC 9525 §6 (which obsoletes
 * RFC 6125): the client's reference identity — a DNS name or an IP address — is compared with the certificate's
 * subjectAltName entries only. The subject's Common Name is not an identifier any more (RFC 6125 §6.4.4's CN
 * fallback is gone), so a certificate without a matching SAN entry does not match, whatever its CN says.
 *
 * The wrong or legacy models a learner meets in the wild are named and runnable (see NameModel):
 * - "cn-fallback": read the CN when the certificate has no dNSName SAN. OpenSSL's hostname check does this by default
 *   (X509_check_host without X509_CHECK_FLAG_NEVER_CHECK_SUBJECT), and Cloudflare's Full (strict) mode accepts an
 *   origin certificate whose CN names the host.
 * - "partial-wildcard": allow a "*" inside the left-most label ("ba*.example.com", "*z.example.com"), as OpenSSL does
 *   unless told X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS (`openssl verify -no_partial_wildcards` has no such flag; the
 *   library flag is what curl and others set).
 * - "multi-label-wildcard": the common belief that "*.example.com" also covers "a.b.example.com".
 *
 * Simplification, said plainly: a wildcard is refused when what follows it is a single label ("*.com"), as OpenSSL
 * and browsers do. Browsers go further and refuse a wildcard directly under any public suffix ("*.co.uk") using the
 * Public Suffix List; this model does not carry that list.
 */
import type { CertModel, GeneralName, NameModel } from "./types";
import { parseIpLiteral } from "./ip";

/** RFC 9525 §6.3: DNS names compare case-insensitively (ASCII), and one trailing dot (the root) is ignored. */
function normalizeDns(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** A host name a client could look up: letters, digits, hyphens (and "_"), labels of 1–63, not all-numeric at the end. */
function isDnsHost(name: string): boolean {
  if (name === "" || name.length > 253) return false;
  const labels = name.split(".");
  if (!labels.every((l) => LABEL.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** What kind of reference identity a client holds for `host` (RFC 9525 §6.1), or null when it is neither kind. */
export function parseReferenceId(host: string): { readonly kind: "dns" | "ip"; readonly value: string } | null {
  const ip = parseIpLiteral(host);
  if (ip !== null) return { kind: "ip", value: ip.text };
  const dns = normalizeDns(host);
  return isDnsHost(dns) ? { kind: "dns", value: dns } : null;
}

/** Matches one label against a left-most pattern label holding one "*" (OpenSSL's partial wildcard). */
function partialLabelMatches(pattern: string, label: string): boolean {
  const star = pattern.indexOf("*");
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (pattern === "*") return label.length > 0;
  // OpenSSL (and RFC 6125 §6.4.3 item 3) never lets a partial wildcard match inside an IDNA A-label.
  if (label.startsWith("xn--")) return false;
  return label.length >= prefix.length + suffix.length && label.startsWith(prefix) && label.endsWith(suffix);
}

/**
 * Whether a presented dNSName (possibly a wildcard) matches a DNS reference identity under a name model.
 * RFC 9525 §6.3: one "*", as the whole left-most label, matching exactly one non-empty label; never the apex.
 *
 * @example dnsPatternMatches("*.example.com", "www.example.com") // true
 * @example dnsPatternMatches("*.example.com", "a.b.example.com") // false (true under "multi-label-wildcard")
 * @example dnsPatternMatches("ba*.example.com", "baz.example.com") // false (true under "partial-wildcard")
 */
export function dnsPatternMatches(pattern: string, host: string, model: NameModel = "rfc9525"): boolean {
  const p = normalizeDns(pattern);
  const h = normalizeDns(host);
  // A reference identity is a plain host name: no wildcards in it, and an IP literal is never a DNS reference.
  if (!isDnsHost(h) || parseIpLiteral(h) !== null) return false;
  if (!p.includes("*")) return p === h;
  if (p.split("*").length !== 2) return false;
  const labels = p.split(".");
  const first = labels[0]!;
  const rest = labels.slice(1);
  if (!first.includes("*") || rest.length < 2 || rest.some((l) => l === "")) return false;
  const hostLabels = h.split(".");
  const tailMatches = (n: number) => hostLabels.slice(n).join(".") === rest.join(".");
  switch (model) {
    case "partial-wildcard":
      return hostLabels.length === labels.length && tailMatches(1) && partialLabelMatches(first, hostLabels[0]!);
    case "multi-label-wildcard":
      return first === "*" && hostLabels.length > rest.length && tailMatches(hostLabels.length - rest.length);
    default:
      return first === "*" && hostLabels.length === labels.length && tailMatches(1) && hostLabels[0] !== "";
  }
}

export interface NameMatch {
  readonly ok: boolean;
  /** The presented identifier that matched ("DNS:*.example.com", "IP:192.0.2.1", "CN=www.example.com"), or null. */
  readonly matched: string | null;
  readonly rule: string;
  readonly detail: string;
}

const RULE_DNS = "RFC 9525 §6.3: a DNS reference identity matches a dNSName subjectAltName, case-insensitively, with a wildcard only as the whole left-most label covering exactly one label; the Common Name is not consulted";
const RULE_IP = "RFC 9525 §6.4: an IP reference identity matches only an iPAddress subjectAltName, octet for octet; a dNSName that spells an address does not count";
const RULE_CN = "cn-fallback (legacy, not RFC 9525): with no dNSName subjectAltName, OpenSSL's default hostname check reads the subject CN";
const RULE_PARTIAL = "partial-wildcard (legacy, not RFC 9525): OpenSSL's default lets \"*\" stand for part of the left-most label";
const RULE_MULTI = "multi-label-wildcard (wrong model): \"*\" taken to cover any number of labels";

function listNames(names: readonly GeneralName[]): string {
  return names.length === 0 ? "none" : names.map((n) => `${n.type === "ip" ? "IP" : n.type.toUpperCase()}:${n.value}`).join(", ");
}

/**
 * Checks a certificate's names against a reference identity (a DNS name or an IP literal) under a name model.
 *
 * @example matchReferenceId({ san: [{ type: "dns", value: "*.example.com" }], commonName: null }, "www.example.com").ok // true
 */
export function matchReferenceId(cert: Pick<CertModel, "san" | "commonName">, host: string, model: NameModel = "rfc9525"): NameMatch {
  const ref = parseReferenceId(host);
  const san = cert.san ?? [];
  const dnsSans = san.filter((n) => n.type === "dns");
  const ipSans = san.filter((n) => n.type === "ip");
  if (ref === null) {
    return { ok: false, matched: null, rule: RULE_DNS, detail: `"${host}" is neither a DNS name nor an IP address, so nothing can match it.` };
  }
  if (ref.kind === "ip") {
    const want = parseIpLiteral(ref.value)!;
    const hit = ipSans.find((n) => {
      const got = parseIpLiteral(n.value);
      return got !== null && got.family === want.family && got.value === want.value;
    });
    if (hit !== undefined) return { ok: true, matched: `IP:${hit.value}`, rule: RULE_IP, detail: `The iPAddress subjectAltName ${hit.value} equals the reference identity ${want.text}.` };
    const spelled = dnsSans.find((n) => {
      const got = parseIpLiteral(n.value);
      return got !== null && got.value === want.value && got.family === want.family;
    });
    const why = spelled !== undefined ? `; the dNSName "${spelled.value}" spells the address, but a DNS-ID never matches an IP reference identity` : "";
    return { ok: false, matched: null, rule: RULE_IP, detail: `No iPAddress subjectAltName equals ${want.text} (the certificate names ${listNames(san)})${why}.` };
  }
  const rule = model === "partial-wildcard" ? RULE_PARTIAL : model === "multi-label-wildcard" ? RULE_MULTI : RULE_DNS;
  const hit = dnsSans.find((n) => dnsPatternMatches(n.value, ref.value, model));
  if (hit !== undefined) {
    const how = hit.value.includes("*") ? `the wildcard DNS:${hit.value} covers` : `DNS:${hit.value} equals`;
    return { ok: true, matched: `DNS:${hit.value}`, rule, detail: `The subjectAltName ${how} ${ref.value}.` };
  }
  const cn = cert.commonName;
  const cnMatches = cn !== null && dnsPatternMatches(cn, ref.value, "rfc9525");
  if (model === "cn-fallback" && dnsSans.length === 0 && cnMatches) {
    return { ok: true, matched: `CN=${cn}`, rule: RULE_CN, detail: `The certificate has no dNSName subjectAltName, and its subject CN ${cn} equals ${ref.value}.` };
  }
  const names = cert.san === null ? "has no subjectAltName extension" : `names ${listNames(san)}`;
  const cnNote = cnMatches && dnsSans.length === 0 ? `; its CN ${cn} would match only under the legacy CN fallback that RFC 9525 removed` : "";
  const ipNote = ipSans.length > 0 && dnsSans.length === 0 ? "; an iPAddress entry never matches a DNS name" : "";
  return { ok: false, matched: null, rule, detail: `No subjectAltName matches ${ref.value}: the certificate ${names}${cnNote}${ipNote}.` };
}
