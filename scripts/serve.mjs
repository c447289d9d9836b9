// Serves the built course (dist/) on localhost. Used by `npm start` and by the browser tests.
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".pf_meta": "application/octet-stream",
  ".pf_index": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
  ".txt": "text/plain; charset=utf-8",
};

/** Text types sent compressed to a browser that accepts it; Pagefind's own files are compressed already. */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt"]);

/**
 * The encoding to send, from the request's Accept-Encoding: Brotli, then gzip, else none. A coding the
 * client refuses with `q=0` is not chosen.
 *
 * @example negotiate("gzip, deflate, br, zstd") // "br"
 */
export function negotiate(acceptEncoding) {
  const accepted = new Set(
    String(acceptEncoding ?? "")
      .split(",")
      .map((part) => part.trim().toLowerCase().split(";"))
      .filter(([, ...params]) => !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)))
      .map(([coding]) => coding.trim()),
  );
  return accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : null;
}

/** Compressed bodies by file, coding and modification time: the build is static, so each is compressed once. */
const compressedCache = new Map();
function compressed(path, mtimeMs, encoding, body) {
  const key = `${encoding} ${path}`;
  const hit = compressedCache.get(key);
  if (hit && hit.mtimeMs === mtimeMs) return hit.body;
  const out =
    encoding === "br"
      ? brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : gzipSync(body, { level: 9 });
  compressedCache.set(key, { mtimeMs, body: out });
  return out;
}

/** Where Astro writes each page's policy (astro.config.mjs, `security.csp`). */
const META_POLICY = /<meta http-equiv="content-security-policy" content="([^"]*)"/i;

/**
 * What a <meta> policy cannot say (CSP Level 3 does not support `frame-ancestors` in a <meta>), added to the
 * header: no site may frame the course.
 */
const HEADER_ONLY_DIRECTIVES = ["frame-ancestors 'none'"];

/**
 * For a page without a policy <meta> (a build with `security.csp` off, the bare 404 below): nothing may load or
 * run. Failing closed shows a misconfigured build at once rather than serving it unprotected.
 */
const NOTHING_ALLOWED = "default-src 'none'; base-uri 'none'; form-action 'none'";

/** Sent with every response. */
const HARDENING_HEADERS = {
  "x-content-type-options": "nosniff",
  // Every link and request stays on this origin; a learner who follows an address out carries no referrer.
  "referrer-policy": "no-referrer",
  // The header policy's frame-ancestors, for browsers that predate it.
  "x-frame-options": "DENY",
  // No Cross-Origin-Opener-Policy: the course opens no windows, and measured against the same build without it,
  // `same-origin` added hundreds of ms of Lighthouse's blocking time (the browsing-context-group swap on the
  // navigation from about:blank, presumably), which the performance gate cannot spare.
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/**
 * The Content-Security-Policy header for a page: the policy in its own `<meta http-equiv>`, so the header and
 * the meta a static host serves are one policy, plus the directives only a header can carry. A page without
 * that meta gets a policy that allows nothing.
 *
 * @example
 * headerPolicy('<meta http-equiv="content-security-policy" content="default-src \'none\'; img-src \'self\';">')
 * // "default-src 'none'; img-src 'self'; frame-ancestors 'none'"
 */
export function headerPolicy(html) {
  const meta = html.match(META_POLICY)?.[1] ?? NOTHING_ALLOWED;
  const directives = meta
    .replaceAll("&#39;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .split(";")
    .map((d) => d.trim().replace(/\s+/g, " "))
    .filter(Boolean);
  return [...directives, ...HEADER_ONLY_DIRECTIVES].join("; ");
}

/** Starts a static server over `root`; resolves with the server and its URL once listening. */
export function serve(root, port = 4321, host = "127.0.0.1") {
  const base = resolve(root);
  // The policy of the course home, for every response that is not a page (scripts, Pagefind's worker and
  // index, images): a worker runs under its own script's header, and an SVG opened on its own under its own.
  // Read again when the build changes under a running server.
  let sitePolicy = { mtimeMs: -1, value: NOTHING_ALLOWED };
  const policyOfSite = () => {
    const home = join(base, "index.html");
    const mtimeMs = existsSync(home) ? statSync(home).mtimeMs : 0;
    if (mtimeMs !== sitePolicy.mtimeMs) sitePolicy = { mtimeMs, value: headerPolicy(mtimeMs ? readFileSync(home, "utf8") : "") };
    return sitePolicy.value;
  };
  const send = (res, status, headers, body) => {
    res.writeHead(status, { ...HARDENING_HEADERS, "content-security-policy": policyOfSite(), ...headers });
    res.end(body);
  };
  let warned = false;
  /** Sends a file's bytes, compressed when its type allows and the client accepts it. */
  const sendBody = (req, res, status, headers, path, body) => {
    const encoding = COMPRESSIBLE.has(extname(path)) ? negotiate(req.headers["accept-encoding"]) : null;
    const out = encoding ? compressed(path, statSync(path).mtimeMs, encoding, body) : body;
    send(res, status, { ...headers, vary: "accept-encoding", ...(encoding ? { "content-encoding": encoding } : {}), "content-length": out.length }, req.method === "HEAD" ? undefined : out);
  };
  const sendPage = (req, res, status, path) => {
    const bytes = readFileSync(path);
    const html = bytes.toString("utf8");
    if (!warned && !META_POLICY.test(html)) {
      warned = true;
      console.warn(`${path} has no Content-Security-Policy <meta>: it is served with a policy that allows nothing. Build with security.csp on (astro.config.mjs).`);
    }
    sendBody(req, res, status, { "content-type": TYPES[".html"], "cache-control": "no-cache", "content-security-policy": headerPolicy(html) }, path, bytes);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let path;
    try {
      path = normalize(join(base, decodeURIComponent(url.pathname)));
    } catch {
      send(res, 400, {}, "Bad request");
      return;
    }
    if (!path.startsWith(base)) {
      send(res, 403, {}, "Forbidden");
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) {
      if (!url.pathname.endsWith("/")) {
        send(res, 301, { location: `${url.pathname}/${url.search}` });
        return;
      }
      path = join(path, "index.html");
    }
    if (!existsSync(path)) {
      const notFound = join(base, "404.html");
      if (existsSync(notFound)) sendPage(req, res, 404, notFound);
      else {
        const body = '<!doctype html><title>Not found</title><p>Not found. <a href="/">Course home</a></p>';
        send(res, 404, { "content-type": TYPES[".html"], "content-security-policy": headerPolicy("") }, body);
      }
      return;
    }
    if (extname(path) === ".html") {
      sendPage(req, res, 200, path);
      return;
    }
    const headers = {
      "content-type": TYPES[extname(path)] ?? "application/octet-stream",
      "cache-control": path.includes("/_astro/") ? "public, max-age=31536000, immutable" : "no-cache",
    };
    if (COMPRESSIBLE.has(extname(path))) {
      sendBody(req, res, 200, headers, path, readFileSync(path));
      return;
    }
    res.writeHead(200, { ...HARDENING_HEADERS, "content-security-policy": policyOfSite(), ...headers });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolvePromise({ server, url: `http://${host === "0.0.0.0" ? "localhost" : host}:${actual}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("../dist", import.meta.url));
  if (!existsSync(join(root, "index.html"))) {
    console.error("No built course in dist/. Run `npm start` (it builds first) or `npm run build`.");
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 4321);
  serve(root, port, process.env.HOST ?? "127.0.0.1").then(
    ({ url }) => console.log(`Packet Lab is being served at ${url}  (Ctrl+C to stop)`),
    (error) => {
      console.error(error.code === "EADDRINUSE" ? `Port ${port} is busy; try PORT=4322 npm start` : error.message);
      process.exit(1);
    },
  );
}
