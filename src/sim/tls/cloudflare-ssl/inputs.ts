/**
 * The inputs of Cloudflare's SSL/TLS encryption modes model: the zone's mode, what the origin presents on
 * port 443, what it listens on, the scheme the visitor typed, and the host name. The values are a contract
 * (the command line, permalinks and questions use them): add values, never rename one.
 *
 * Sources: Cloudflare's documentation of the encryption modes (developers.cloudflare.com/ssl/origin-configuration/
 * ssl-modes/: Off, Flexible, Full, Full (strict), Strict (SSL-Only Origin Pull)), and of the 52x errors
 * (developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/).
 */
import { InputError } from "../../net/errors";
import { parseHostName } from "../../net/dns-name";

/** The zone's SSL/TLS encryption mode, as the API's `ssl` setting spells it (`origin_pull` written with a hyphen). */
export type SslMode = "off" | "flexible" | "full" | "strict" | "origin-pull";
/** What the origin's TLS listener on port 443 presents. */
export type OriginCert = "valid" | "self-signed" | "expired" | "wrong-host" | "origin-ca" | "none";
/** What the origin listens on: both ports; 443 only, port 80 answering every request with a redirect to https; 80 only. */
export type OriginListener = "both" | "https-only" | "http-only";
export type VisitorScheme = "https" | "http";

export interface Choice<T extends string> {
  readonly value: T;
  /** As a table header or option. */
  readonly label: string;
  /** One sentence: what it means. */
  readonly description: string;
}

export const SSL_MODES: readonly Choice<SslMode>[] = [
  { value: "off", label: "Off", description: "No encryption: Cloudflare redirects HTTPS requests to http:// and talks plain HTTP to the origin." },
  { value: "flexible", label: "Flexible", description: "HTTPS from the visitor to Cloudflare; always plain HTTP on port 80 from Cloudflare to the origin." },
  { value: "full", label: "Full", description: "HTTPS to the origin on port 443 when the visitor used HTTPS; the origin's certificate is not checked at all." },
  { value: "strict", label: "Full (strict)", description: "As Full, and the origin's certificate must be unexpired, issued by a public CA or Cloudflare's Origin CA, and name the host." },
  { value: "origin-pull", label: "Strict (SSL-Only Origin Pull)", description: "Enterprise only: always HTTPS to the origin, whatever scheme the visitor used, checked as in Full (strict)." },
];

export const ORIGIN_CERTS: readonly Choice<OriginCert>[] = [
  { value: "valid", label: "Valid (public CA)", description: "Issued by a publicly trusted CA (Google Trust Services WR3) for example.com and *.example.com, unexpired." },
  { value: "self-signed", label: "Self-signed", description: "Made on the server with openssl req -x509: it names example.com and *.example.com, but nobody vouches for it." },
  { value: "expired", label: "Expired", description: "Issued by a public CA for example.com and *.example.com, but its notAfter has passed." },
  { value: "wrong-host", label: "Wrong host", description: "Issued by a public CA, unexpired, but for www.example.org and example.org: another site's certificate on the same server." },
  { value: "origin-ca", label: "Cloudflare Origin CA", description: "Issued by Cloudflare's Origin CA for example.com and *.example.com: trusted by Cloudflare, by no browser." },
  { value: "none", label: "No certificate", description: "Port 443 is open, but the server has no certificate for the name (or speaks plain HTTP there): no TLS handshake can complete." },
];

export const ORIGIN_LISTENERS: readonly Choice<OriginListener>[] = [
  { value: "both", label: "HTTP and HTTPS", description: "Port 80 and port 443 both serve the site." },
  { value: "https-only", label: "HTTPS only (80 redirects)", description: "Port 443 serves the site; port 80 answers every request with 301 to https://." },
  { value: "http-only", label: "HTTP only", description: "Port 80 serves the site; nothing listens on port 443, so a connection there is refused." },
];

export const VISITOR_SCHEMES: readonly Choice<VisitorScheme>[] = [
  { value: "https", label: "https://", description: "The visitor opens https://…, on port 443." },
  { value: "http", label: "http://", description: "The visitor opens http://…, on port 80." },
];

/** The zone every host belongs to, and the names on the edge certificate Cloudflare's Universal SSL issues for it. */
export const ZONE = "example.com";
export const EDGE_CERT_NAMES: readonly string[] = ["example.com", "*.example.com"];
export const DEFAULT_HOST = "www.example.com";

export interface SslInput {
  readonly mode: SslMode;
  readonly cert: OriginCert;
  readonly listener: OriginListener;
  readonly visitor: VisitorScheme;
  readonly host: string;
  /** Cloudflare's "Always Use HTTPS": the edge answers http:// requests with 301 to https:// (not offered in Off). */
  readonly alwaysUseHttps: boolean;
}

export const DEFAULT_INPUT: SslInput = {
  mode: "strict", cert: "valid", listener: "both", visitor: "https", host: DEFAULT_HOST, alwaysUseHttps: false,
};

function choose<T extends string>(what: string, list: readonly Choice<T>[], text: string, aliases: Readonly<Record<string, T>> = {}): T {
  const t = text.trim().toLowerCase();
  const hit = list.find((c) => c.value === t)?.value ?? aliases[t];
  if (hit === undefined) throw new InputError(text, `${what} is one of ${list.map((c) => c.value).join(", ")}`);
  return hit;
}

/** "full-strict", "full_strict" and the API's "origin_pull" are accepted too; the mode is printed as the API's value. */
export function parseSslMode(text: string): SslMode {
  return choose("the mode", SSL_MODES, text, { "full-strict": "strict", "full_strict": "strict", "full (strict)": "strict", origin_pull: "origin-pull" });
}
export function parseOriginCert(text: string): OriginCert {
  return choose("the origin certificate", ORIGIN_CERTS, text);
}
export function parseOriginListener(text: string): OriginListener {
  return choose("what the origin listens on", ORIGIN_LISTENERS, text);
}
export function parseVisitorScheme(text: string): VisitorScheme {
  return choose("the visitor's scheme", VISITOR_SCHEMES, text);
}

/**
 * A host in the zone: Cloudflare proxies only names of zones it holds, so a name outside example.com never
 * reaches this zone's settings.
 */
export function parseZoneHost(text: string): string {
  const host = parseHostName(text);
  if (host !== ZONE && !host.endsWith(`.${ZONE}`)) throw new InputError(text, `the zone is ${ZONE}: give a name in it, like www.${ZONE}`);
  return host;
}

export function labelOf<T extends string>(list: readonly Choice<T>[], value: T): string {
  return list.find((c) => c.value === value)?.label ?? value;
}
