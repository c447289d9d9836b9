import { InputError } from "../net/errors";

/**
 * An HTTP request as an L7 proxy routes it: the Host (HTTP/1.1 `Host`, HTTP/2 `:authority`), the
 * path without its query, the query parameters, the method and the headers (names lower-cased,
 * RFC 9110 §5.1: field names are case-insensitive). Shared by the URL map and Cloud Armor; kept apart
 * from both so an Ingress or Gateway matcher can take the same request.
 */
export interface HttpRequest {
  /** As sent, lower-cased (RFC 9110 §4.2.3: the host is case-insensitive), port kept if present. */
  readonly host: string;
  /** The host name without the port. */
  readonly hostname: string;
  readonly port: number | null;
  /** The path: everything before the first `?` or `#`, as sent (no percent-decoding or dot-segment removal). */
  readonly path: string;
  /** The raw query string without `?`, or "" when there is none. */
  readonly query: string;
  readonly queryParams: readonly (readonly [string, string])[];
  readonly method: string;
  /** Lower-cased names; a header sent twice keeps both values in order. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Splits `host[:port]` (and `[v6]:port`); the port, when present, must be 1–65535. */
export function splitHostPort(host: string): { hostname: string; port: number | null } {
  const v6 = /^(\[[^\]]*\])(?::(\d+))?$/.exec(host);
  const m = v6 ?? /^([^:]*)(?::(\d*))?$/.exec(host);
  if (!m) throw new InputError(host, "not a host name with an optional :port");
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535 || m[2] === "")) throw new InputError(host, "the port must be 1 to 65535");
  return { hostname: m[1]!, port };
}

function decodeQuery(query: string): [string, string][] {
  if (query === "") return [];
  return query.split("&").filter((p) => p !== "").map((pair) => {
    const eq = pair.indexOf("=");
    const [name, value] = eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "));
      } catch {
        return s;
      }
    };
    return [decode(name), decode(value)];
  });
}

/**
 * Reads the lab's request fields.
 *
 * @param url `https://www.example.com/shop?x=1` or just `/shop?x=1`
 * @param host the Host header; when empty, the URL's authority (what a browser would send)
 * @param headersText one `Name: value` per line
 * @throws InputError naming the field's text
 * @example parseHttpRequest({ url: "/a?b=1", host: "WWW.Example.com:443" }).hostname // "www.example.com"
 */
export function parseHttpRequest(fields: { url: string; host?: string; method?: string; headersText?: string }): HttpRequest {
  const url = fields.url.trim();
  let target = url;
  let authority = "";
  const absolute = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (absolute) {
    authority = absolute[2]!;
    target = absolute[3] === "" ? "/" : absolute[3]!;
  } else if (!url.startsWith("/")) {
    throw new InputError(url, "give a URL (https://host/path) or a path starting with /");
  }
  if (/\s/.test(target)) throw new InputError(url, "a request target cannot contain spaces");
  const hostText = (fields.host ?? "").trim() || authority.replace(/^[^@]*@/, "");
  if (hostText === "") throw new InputError(fields.host ?? "", "no Host: give one, or a URL with a host name");
  const host = hostText.toLowerCase();
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d+)?$/.test(host)) throw new InputError(hostText, "a Host header is a name or address with an optional :port");
  const { hostname, port } = splitHostPort(host);
  const cut = target.search(/[?#]/);
  const path = cut < 0 ? target : target.slice(0, cut);
  const query = cut < 0 || target[cut] === "#" ? "" : target.slice(cut + 1).replace(/#.*$/, "");
  const method = (fields.method ?? "GET").trim() || "GET";
  if (!TOKEN.test(method)) throw new InputError(method, "a method is a token such as GET or POST");
  const headers: Record<string, string[]> = {};
  const lines = (fields.headersText ?? "").split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const colon = line.indexOf(":");
    const name = colon < 0 ? "" : line.slice(0, colon).trim();
    if (colon <= 0 || !TOKEN.test(name)) throw new InputError(line, `line ${index + 1}: write each header as Name: value`);
    (headers[name.toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
  });
  return { host, hostname, port, path, query, queryParams: decodeQuery(query), method: method.toUpperCase(), headers };
}

/** A header's value as proxies compare it: several values joined with ", " (RFC 9110 §5.3), or null when absent. */
export function headerValue(request: HttpRequest, name: string): string | null {
  const lower = name.toLowerCase();
  if (lower === ":authority" || lower === "host") return request.host;
  if (lower === ":method") return request.method;
  if (lower === ":path") return request.query === "" ? request.path : `${request.path}?${request.query}`;
  const values = request.headers[lower];
  return values === undefined ? null : values.join(", ");
}
