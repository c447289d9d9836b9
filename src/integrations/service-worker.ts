import type { AstroIntegration } from "astro";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
// A static import: the config's modules load before the build, and a dynamic import in a build hook would go
// through Vite's module runner, which Astro has closed by then.
import * as pagefind from "pagefind";

/**
 * Offline mode: after a learner's first visit, every page, lab and search of the course works without a
 * network. At the end of the build this integration writes `sw.js` at the site's root, a service worker that
 * precaches the whole built site — every page, every `_astro/` asset (the labs' lazily loaded simulator chunks
 * included) and every Pagefind file — under a cache named by a hash of what it holds. Base.astro registers it
 * once a page has loaded.
 *
 * A new build changes the hash, so `sw.js` changes by at least that line; the browser installs the new worker
 * beside the old one, the new one fills its own cache, takes over, and deletes the old cache. Pages are fetched
 * network first, so a learner online always reads the newest build; assets (content-hashed names) come from
 * the cache first.
 *
 * Pagefind runs after `astro build` (`npm run build`), too late for the list, so this hook writes the Pagefind
 * index itself, with Pagefind's Node API and the CLI's defaults; the CLI run that follows writes the very same
 * files (their names are content hashes), so the list stays true. It must run after every hook that rewrites the
 * HTML (cspStyleAttributes in astro.config.mjs): list it last.
 *
 * The Content-Security-Policy already allows all of this: registration needs `worker-src 'self'` (or
 * `script-src 'self'`) in the page's policy, and the worker's own fetches run under the header policy the server
 * sends with `sw.js` (scripts/serve.mjs: the site's policy, `connect-src 'self'`).
 */

/** Where the worker is written, at the root so that its scope is the whole site. */
export const SERVICE_WORKER_PATH = "/sw.js";
/** Every cache this site creates starts so; the worker deletes the others of that prefix when it takes over. */
export const CACHE_PREFIX = "packet-lab-";

/**
 * The URL each built file is requested by: a page as its directory (`lessons/x/index.html` → `/lessons/x/`),
 * anything else by its path. The worker itself is never precached.
 *
 * @example precacheUrl("lessons/life-of-a-packet/index.html") // "/lessons/life-of-a-packet/"
 */
export function precacheUrl(file: string): string | null {
  const path = file.split(sep).join("/");
  if (`/${path}` === SERVICE_WORKER_PATH) return null;
  if (path === "index.html") return "/";
  if (path.endsWith("/index.html")) return `/${path.slice(0, -"index.html".length)}`;
  return `/${path}`;
}

/**
 * The cache's version: a hash of every precached URL and the bytes behind it, so any change to any file —
 * not only a new file name — makes a new worker and a new cache.
 */
export function precacheVersion(entries: readonly { readonly url: string; readonly bytes: Uint8Array }[]): string {
  const hash = createHash("sha256");
  for (const { url, bytes } of [...entries].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))) {
    hash.update(`${url}\0${createHash("sha256").update(bytes).digest("hex")}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * The worker's source. Plain script (a classic worker), no imports: it must run before anything else is cached.
 *
 * - install: fetch every URL of the list into this version's cache, bypassing the HTTP cache so an old
 *   response is never stored under a new version; one failure fails the install, and the old worker stays.
 * - activate: delete every other cache of this site, then control the open pages at once.
 * - fetch (same origin, GET): a page from the network, else from the cache (`/x` and `/x/` alike, query
 *   ignored: a lab's settings live in it), else the cached 404 page with status 404; anything else from the
 *   cache, else the network (stored for next time).
 */
export function serviceWorkerSource(version: string, urls: readonly string[]): string {
  return `// Packet Lab's service worker: offline mode. Generated at build time by src/integrations/service-worker.ts;
// do not edit dist/sw.js.
"use strict";
const CACHE = ${JSON.stringify(CACHE_PREFIX + version)};
const PRECACHE = ${JSON.stringify([...urls].sort(), null, 0)};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "no-cache" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(${JSON.stringify(CACHE_PREFIX)}) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(request.mode === "navigate" ? page(request, url) : asset(request));
});

async function page(request, url) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cache = await caches.open(CACHE);
    const path = url.pathname.endsWith("/") || url.pathname.includes(".") ? url.pathname : url.pathname + "/";
    const cached = await cache.match(path, { ignoreSearch: true });
    if (cached) return cached;
    const notFound = await cache.match("/404.html");
    if (notFound) return new Response(notFound.body, { status: 404, statusText: "Not Found", headers: notFound.headers });
    throw offline;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const near = await cache.match(request, { ignoreSearch: true });
    if (near) return near;
    throw offline;
  }
}
`;
}

/** Every file under `root`, relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length).replace(/^[\\/]+/, ""));
}

/** Writes the Pagefind index of the built site, as `pagefind --site <dir>` does. */
async function indexWithPagefind(root: string): Promise<number> {
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new Error(`Pagefind: ${errors.join("; ")}`);
    const added = await index.addDirectory({ path: root });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join("; ")}`);
    const written = await index.writeFiles({ outputPath: join(root, "pagefind") });
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join("; ")}`);
    return added.page_count;
  } finally {
    await pagefind.close();
  }
}

/** The integration: list it last in astro.config.mjs's `integrations`. */
export function offlineServiceWorker(): AstroIntegration {
  return {
    name: "packet-lab:offline-service-worker",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const pages = await indexWithPagefind(root);
        const entries = await Promise.all(
          (await filesUnder(root)).flatMap((file) => {
            const url = precacheUrl(file);
            return url ? [readFile(join(root, file)).then((bytes) => ({ url, bytes }))] : [];
          }),
        );
        const version = precacheVersion(entries);
        await writeFile(join(root, SERVICE_WORKER_PATH.slice(1)), serviceWorkerSource(version, entries.map((e) => e.url)));
        const bytes = entries.reduce((sum, e) => sum + e.bytes.length, 0);
        logger.info(`${SERVICE_WORKER_PATH}: ${entries.length} files precached (${(bytes / 1024 / 1024).toFixed(1)} MB, ${pages} pages indexed by Pagefind), version ${version}`);
      },
    },
  };
}
