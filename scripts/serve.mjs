// Serves the built course (dist/) on localhost. Used by `npm start` and by the browser tests.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

/** Starts a static server over `root`; resolves with the server and its URL once listening. */
export function serve(root, port = 4321, host = "127.0.0.1") {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let path;
    try {
      path = normalize(join(base, decodeURIComponent(url.pathname)));
    } catch {
      res.writeHead(400).end("Bad request");
      return;
    }
    if (!path.startsWith(base)) {
      res.writeHead(403).end("Forbidden");
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) {
      if (!url.pathname.endsWith("/")) {
        res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
        return;
      }
      path = join(path, "index.html");
    }
    if (!existsSync(path)) {
      const notFound = join(base, "404.html");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end("<!doctype html><title>Not found</title><p>Not found. <a href=\"/\">Course home</a></p>");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(path)] ?? "application/octet-stream",
      "cache-control": path.includes("/_astro/") ? "public, max-age=31536000, immutable" : "no-cache",
    });
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
