/**
 * The order in which a stub resolver tries a name against its search list: glibc's `__res_context_search`
 * (resolv/res_query.c), which getaddrinfo uses.
 *
 * - `dots` counts every "." in the name, the trailing one included; a trailing dot marks the name absolute.
 * - dots ≥ ndots, or a trailing dot: the name is tried as is first.
 * - then, unless the name had a trailing dot, each search domain in order (a search entry "." means "as is").
 * - last, if it has not been tried as is yet, the name as is.
 * - it stops at the first name that has an answer; NXDOMAIN and NODATA both move on (a SERVFAIL too; any
 *   other failure ends the search — the model's server never fails).
 *
 * getaddrinfo with AF_UNSPEC sends the A and the AAAA question for each name together over one socket (unless
 * `options single-request`), and a name counts as found when either has data. musl (Alpine) differs: once a
 * name has ndots dots it is tried only as is, with no search-list fallback; this module models glibc.
 *
 * Wrong models, each a real mode for the question bank's misconception feedback:
 * - "ndots-counts-labels": compares the number of labels (dots + 1) with ndots.
 * - "search-after-failure": always tries the name as is first, and the search list only if that fails.
 */
export type SearchModel = "glibc" | "ndots-counts-labels" | "search-after-failure";
export const SEARCH_MODELS: readonly SearchModel[] = ["glibc", "ndots-counts-labels", "search-after-failure"];

export interface Candidate {
  /** The name sent, fully qualified with its trailing dot. */
  readonly name: string;
  /** "as-is" or the search domain appended. */
  readonly via: string;
}

/** glibc's RES_MAXNDOTS: larger ndots values are clamped to 15. */
export const MAX_NDOTS = 15;

function join(name: string, domain: string): string {
  const d = domain.startsWith(".") ? domain.slice(1) : domain;
  if (d === "") return name.endsWith(".") ? name : `${name}.`;
  return `${name}.${d.endsWith(".") ? d : `${d}.`}`;
}

/**
 * The names a resolver tries for `name`, in order, until one answers.
 *
 * @example
 * searchOrder("web", 5, ["shop.svc.cluster.local", "svc.cluster.local"]).map((c) => c.name)
 * // ["web.shop.svc.cluster.local.", "web.svc.cluster.local.", "web."]
 */
export function searchOrder(name: string, ndots: number, search: readonly string[], model: SearchModel = "glibc"): Candidate[] {
  const n = Math.min(Math.max(0, Math.trunc(ndots)), MAX_NDOTS);
  const dots = [...name].filter((c) => c === ".").length;
  const trailingDot = name.endsWith(".");
  const out: Candidate[] = [];
  const asIs = (): void => {
    out.push({ name: trailingDot ? name : `${name}.`, via: "as-is" });
  };
  let triedAsIs = false;
  const counted = model === "ndots-counts-labels" ? dots + (trailingDot ? 0 : 1) : dots;
  if (model === "search-after-failure" || counted >= n || trailingDot) {
    asIs();
    triedAsIs = true;
  }
  let rootOnList = false;
  // RES_DEFNAMES applies to a name without dots, RES_DNSRCH to a dotted one; both are on by default.
  if (!trailingDot) {
    for (const domain of search) {
      const d = domain.startsWith(".") ? domain.slice(1) : domain;
      if (d === "") rootOnList = true;
      out.push({ name: join(name, domain), via: d === "" ? "as-is" : d.replace(/\.$/, "") });
    }
  }
  if (!triedAsIs && !rootOnList) asIs();
  return out;
}
