import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { negotiate, serve } from "../../scripts/serve.mjs";

/** The server `npm start` runs: compression as negotiated, and the same bytes whatever the coding. */
const root = mkdtempSync(join(tmpdir(), "packet-lab-serve-"));
const page = `<!doctype html><meta http-equiv="content-security-policy" content="default-src 'none'"><title>t</title>${"<p>hop by hop</p>".repeat(400)}`;
const script = `export const trace = ${JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ hop: i, ttl: 64 - (i % 64) })))};`;
const index = Buffer.from(Array.from({ length: 2000 }, (_, i) => i % 251));
writeFileSync(join(root, "index.html"), page);
mkdirSync(join(root, "_astro"));
writeFileSync(join(root, "_astro", "lab.js"), script);
mkdirSync(join(root, "pagefind"));
writeFileSync(join(root, "pagefind", "x.pf_index"), index);

let server: Awaited<ReturnType<typeof serve>>["server"];
let base: string;
beforeAll(async () => {
  ({ server, url: base } = await serve(root, 0));
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

function get(path: string, acceptEncoding?: string, method = "GET"): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("negotiate", () => {
  it.each([
    ["gzip, deflate, br, zstd", "br"],
    ["gzip", "gzip"],
    ["GZIP;q=0.5", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["br;q=0.0, gzip;q=0", null],
    ["identity", null],
    ["", null],
    [undefined, null],
  ])("%j → %j", (header, expected) => {
    expect(negotiate(header)).toBe(expected);
  });
});

describe("serve", () => {
  it("sends a page as Brotli to Chromium, smaller and byte-identical once decoded", async () => {
    const res = await get("/", "gzip, deflate, br, zstd");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers.vary).toBe("accept-encoding");
    expect(res.body.length).toBeLessThan(page.length / 10);
    expect(brotliDecompressSync(res.body).toString("utf8")).toBe(page);
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
  });

  it("sends gzip to a client that takes only gzip, and plain bytes to one that takes nothing", async () => {
    const gz = await get("/_astro/lab.js", "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString("utf8")).toBe(script);
    expect(gz.headers["cache-control"]).toContain("immutable");
    const plain = await get("/_astro/lab.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString("utf8")).toBe(script);
  });

  it("leaves Pagefind's already-compressed files alone", async () => {
    const res = await get("/pagefind/x.pf_index", "br, gzip");
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.equals(index)).toBe(true);
  });

  it("answers HEAD with the headers and no body", async () => {
    const res = await get("/", "br", "HEAD");
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.body.length).toBe(0);
  });
});
