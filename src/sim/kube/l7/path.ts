/**
 * Path matching for Ingress and Gateway API, and the GFE URL map's path rules.
 *
 * - Exact (Ingress `Exact`, Gateway `Exact`): byte-for-byte and case-sensitive; `/foo` does not match `/foo/`.
 * - Element-wise prefix (Ingress `Prefix`, Gateway `PathPrefix`): the path split on `/`, compared element by
 *   element; a trailing `/` on either side is ignored. `/foo` matches `/foo`, `/foo/` and `/foo/bar`, never
 *   `/foobar` (Kubernetes Ingress concept page, "Examples"; gateway-api `PathMatchType`).
 * - A Google Cloud URL map path rule (`gcePathRuleMatch`): `/foo` is exact, `/foo/*` is a string prefix of
 *   `/foo/` — so it matches `/foo/` and `/foo/bar` but not `/foo`. GKE's Ingress controller hands an
 *   `ImplementationSpecific` path to the URL map as written, which is why this is what that pathType means on
 *   GKE; it turns a `Prefix` path `/foo` into the pair `/foo` and `/foo/*`, which is the element-wise prefix.
 */

/** The path's elements with empty ones from a leading or trailing `/` dropped ("/a/b/" → ["a", "b"]). */
function elements(path: string): string[] {
  return path.split("/").filter((e, i, all) => !(e === "" && (i === 0 || i === all.length - 1)));
}

/**
 * Whether `prefix` is an element-wise prefix of `path`.
 *
 * @example prefixPathMatches("/aaa/bbb", "/aaa/bbb/ccc") // true
 * @example prefixPathMatches("/aaa/bbb", "/aaa/bbbxyz") // false
 */
export function prefixPathMatches(prefix: string, path: string): boolean {
  const want = elements(prefix);
  const have = elements(path);
  if (want.length > have.length) return false;
  return want.every((e, i) => have[i] === e);
}

/** The length that ranks a prefix: its characters without a trailing `/` (`/foo/` and `/foo` are one rule). */
export function prefixLength(prefix: string): number {
  return prefix.length > 1 && prefix.endsWith("/") ? prefix.length - 1 : prefix.length;
}

/**
 * The wrong model "Prefix is a string prefix" (misconception `prefix-is-string-prefix`): `/foo` would match
 * `/foobar`. Kept here so the lab and the questions can run it and show where it differs.
 */
export function stringPrefixMatches(prefix: string, path: string): boolean {
  return path.startsWith(prefix.endsWith("/") && prefix.length > 1 ? prefix.slice(0, -1) : prefix);
}

/**
 * A Google Cloud URL map path rule: `/*` at the end is a string prefix of what comes before it plus `/`,
 * anything else is exact. Returns how long a match it is (the longest wins), or null.
 *
 * @example gcePathRuleMatch("/foo/*", "/foo/bar") // 5
 * @example gcePathRuleMatch("/foo/*", "/foo") // null
 */
export function gcePathRuleMatch(pattern: string, path: string): number | null {
  if (pattern.endsWith("/*")) {
    const prefix = pattern.slice(0, -1);
    return path.startsWith(prefix) ? prefix.length : null;
  }
  // An exact path outranks a wildcard of the same length (`/a/b` over `/a/*` is already longer).
  return path === pattern ? pattern.length + 0.5 : null;
}
