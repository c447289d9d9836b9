import type { CacheResult, TraceEvent } from "../trace";
import type { CacheState } from "./journey";

/**
 * Cloudflare's cache, as a site holds it for one URL: the lookup on the way in (whose result is the
 * `cf-cache-status` the browser sees) and, on the way out, whether the origin's answer is stored and
 * for how long.
 */

export type CacheLookup = Extract<CacheResult, "HIT" | "MISS" | "EXPIRED" | "DYNAMIC">;

/** Cloudflare's default edge TTLs when the origin sends no Cache-Control (cache by status code). */
const DEFAULT_TTL_BY_STATUS: Readonly<Record<string, number>> = { "200": 7200, "206": 7200, "301": 7200, "302": 1200, "303": 1200, "404": 180, "410": 180 };

/**
 * The lookup. By default Cloudflare caches by file extension, so a page is DYNAMIC (never looked up,
 * never stored) unless a Cache Rule makes it eligible; then what the site holds decides.
 */
export function cacheLookup(key: string, path: string, eligible: boolean, state: CacheState): { result: CacheLookup; event: TraceEvent } {
  const result: CacheLookup = !eligible ? "DYNAMIC" : state === "hit" ? "HIT" : state === "expired" ? "EXPIRED" : "MISS";
  const why = {
    DYNAMIC: `No Cache Rule makes the path ${path} eligible. By default Cloudflare caches by file extension (images, scripts, styles and the like), and a path with no extension — HTML — is not on the list, so the request goes to the origin and nothing is stored, whatever Cache-Control the origin sends.`,
    HIT: "A Cache Rule makes the page eligible and this site holds a fresh copy; the origin is not contacted.",
    MISS: "A Cache Rule makes the page eligible, but this site holds no copy: the request goes to the origin and the answer may be stored.",
    EXPIRED: "A Cache Rule makes the page eligible; this site holds a copy whose time to live has run out, so it fetches a fresh one from the origin.",
  }[result];
  return { result, event: { type: "cache", key, result, why } };
}

/**
 * What the edge does with the origin's answer: pass it through (DYNAMIC), store it for the origin's
 * max-age, or for Cloudflare's default TTL by status when there is no Cache-Control — or not store it.
 */
export function cacheStore(key: string, path: string, lookup: CacheLookup, status: string, cacheControl: string | undefined): TraceEvent {
  const code = status.slice(0, 3);
  const ttl = cacheControl?.match(/max-age=(\d+)/)?.[1];
  if (lookup === "DYNAMIC") {
    return { type: "cache", key, result: "DYNAMIC", why: `Passed through and not stored${cacheControl ? `, although the origin sent Cache-Control: ${cacheControl}` : ""}: without a Cache Rule, ${path} is not eligible.` };
  }
  if (ttl) {
    return { type: "cache", key, result: "STORE", ttlSeconds: Number(ttl), why: `Eligible, and the origin sent Cache-Control: ${cacheControl}, so the edge keeps it ${ttl} s.` };
  }
  const defaultTtl = DEFAULT_TTL_BY_STATUS[code];
  if (defaultTtl !== undefined) {
    return { type: "cache", key, result: "STORE", ttlSeconds: defaultTtl, why: `Eligible, and with no Cache-Control Cloudflare keeps a ${code} for its default ${defaultTtl / 60} minutes.` };
  }
  return { type: "cache", key, result: lookup, why: `Not stored: without Cache-Control Cloudflare stores only 200, 206, 301, 302, 303, 404 and 410 answers, and this is a ${code}.` };
}
