/**
 * The HTTP request a route matcher sees: method, scheme, the Host it asks for, the path and query as
 * separate parts, and the headers. Read from a URL and `NAME:VALUE` header lines, refusing what a client
 * could not send.
 */
import { InputError } from "../../net/errors";
import { normalHost } from "./host";

export interface RouteRequest {
  readonly method: string;
  readonly scheme: "http" | "https";
  /** The host name the client asks for (Host header / :authority, and SNI for https), lower-cased, no port. */
  readonly host: string;
  /** The TCP port it connects to (80/443 unless the URL names one). */
  readonly port: number;
  /** The path alone, without the query, as the URL has it after normalisation (dot-segments resolved). */
  readonly path: string;
  /** Query parameters in order, names and values percent-decoded; names stay case-sensitive. */
  readonly query: readonly (readonly [string, string])[];
  /** Header names lower-cased; a repeated header's values joined with ", " (RFC 9110 §5.3). */
  readonly headers: Readonly<Record<string, string>>;
  /** The URL as given, for display. */
  readonly url: string;
}

const METHOD = /^[A-Z]+$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/**
 * @throws InputError naming the URL, method or header that cannot be a request
 * @example parseRouteRequest("https://Shop.Example.com/cart?x=1").host // "shop.example.com"
 */
export function parseRouteRequest(url: string, options: { method?: string; headers?: readonly string[] } = {}): RouteRequest {
  const text = url.trim();
  if (!/^https?:\/\//i.test(text)) throw new InputError(url, "give an absolute http:// or https:// URL, e.g. http://shop.example.com/cart");
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new InputError(url, "not a URL (check the host name and the characters in it)");
  }
  if (parsed.hostname === "") throw new InputError(url, "the URL has no host");
  const scheme = parsed.protocol === "https:" ? "https" : "http";
  const method = (options.method ?? "GET").trim();
  if (!METHOD.test(method)) throw new InputError(method, "an HTTP method is a token of capital letters such as GET, POST or DELETE");
  const headers: Record<string, string> = {};
  let hostHeader: string | null = null;
  for (const line of options.headers ?? []) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new InputError(line, "a header is NAME:VALUE, e.g. version:two");
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name)) throw new InputError(line, `"${name}" is not a header name (letters, digits and !#$%&'*+.^_\`|~- only)`);
    if (/[\r\n\0]/.test(value)) throw new InputError(line, "a header value cannot hold a line break or NUL");
    const key = name.toLowerCase();
    if (key === "host") {
      hostHeader = value;
      continue;
    }
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  const query: [string, string][] = [];
  const search = parsed.search.startsWith("?") ? parsed.search.slice(1) : "";
  if (search !== "") {
    for (const part of search.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      query.push(eq < 0 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
    }
  }
  const port = parsed.port === "" ? (scheme === "https" ? 443 : 80) : Number(parsed.port);
  const host = normalHost(hostHeader ?? parsed.hostname);
  headers["host"] = hostHeader ?? parsed.host;
  return { method, scheme, host, port, path: parsed.pathname === "" ? "/" : parsed.pathname, query, headers, url: text };
}
