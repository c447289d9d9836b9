/**
 * Host name matching. Ingress and Gateway API both allow a leading `*.` label, and mean different things:
 *
 * - Ingress (networking.k8s.io/v1 `IngressRule.host`): `*.foo.com` covers exactly one label —
 *   `bar.foo.com`, not `baz.bar.foo.com` and not `foo.com`.
 * - Gateway API (listener `hostname`, HTTPRoute `hostnames`): `*.example.com` covers one or more labels —
 *   `test.example.com` and `foo.test.example.com`, not `example.com`.
 *
 * Host names compare case-insensitively (DNS names, RFC 4343); the port in a Host header is ignored.
 */

export type WildcardDepth = "one-label" | "any-labels";

/** Lower-cased, without a trailing dot or a `:port`. */
export function normalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  if (colon >= 0 && /^\d+$/.test(h.slice(colon + 1))) h = h.slice(0, colon);
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

/**
 * Whether a host pattern covers a request's host.
 *
 * @example hostMatches("*.foo.com", "bar.foo.com", "one-label") // true
 * @example hostMatches("*.foo.com", "baz.bar.foo.com", "one-label") // false
 * @example hostMatches("*.foo.com", "baz.bar.foo.com", "any-labels") // true
 */
export function hostMatches(pattern: string, host: string, depth: WildcardDepth): boolean {
  const p = normalHost(pattern);
  const h = normalHost(host);
  if (!p.startsWith("*.")) return p === h;
  const suffix = p.slice(1); // ".foo.com"
  if (!h.endsWith(suffix) || h.length === suffix.length) return false;
  const head = h.slice(0, h.length - suffix.length);
  return depth === "any-labels" ? head !== "" : head !== "" && !head.includes(".");
}

/**
 * The hostnames a route may serve on a listener (Gateway API): the listener's hostname and the route's
 * intersect when one equals the other or one is a wildcard covering the other; the narrower one is kept.
 * No listener hostname: the route's own; no route hostnames: the listener's.
 */
export function intersectHostnames(listener: string | null, route: readonly string[]): string[] | null {
  if (route.length === 0) return listener === null ? [] : [listener];
  if (listener === null) return [...route];
  const out: string[] = [];
  const l = normalHost(listener);
  for (const r of route.map(normalHost)) {
    const rWild = r.startsWith("*.");
    const lWild = l.startsWith("*.");
    if (r === l) out.push(r);
    else if (lWild && !rWild && hostMatches(l, r, "any-labels")) out.push(r);
    else if (lWild && rWild && hostMatches(l, r.slice(2), "any-labels")) out.push(r);
    else if (rWild && hostMatches(r, lWild ? l.slice(2) : l, "any-labels")) out.push(l);
  }
  return out.length === 0 ? null : out;
}
