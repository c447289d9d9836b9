import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { htmlFiles } from "../../scripts/page-scripts";

/**
 * Open Graph and Twitter card metadata on every built page (Base.astro), read from the HTML as served: the tags
 * are present once each, their URLs are absolute on the site's origin (astro.config.mjs's `site`, or SITE_URL
 * when the build was given one — give the test the same), the card image is in the build as a 1200 × 630 PNG,
 * and no two pages share a title or a description.
 */
const DIST = process.env.E2E_DIST ?? "dist";
const ORIGIN = new URL(process.env.SITE_URL?.trim() || "http://localhost:4321").origin;

const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|apos|lt|gt);/gi, (_, ref: string) => {
    const named: Record<string, string> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">" };
    if (named[ref.toLowerCase()]) return named[ref.toLowerCase()]!;
    return String.fromCodePoint(ref[1]?.toLowerCase() === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
  });

interface Page {
  readonly path: string;
  readonly head: string;
  /** Every value of a `<meta property|name="key">` in the head, in order. */
  readonly meta: (key: string) => string[];
  readonly links: (rel: string) => string[];
  readonly title: string;
}

const pages: Page[] = htmlFiles(DIST)
  .sort()
  .map((file) => {
    const html = readFileSync(file, "utf8");
    const head = /<head>([\s\S]*?)<\/head>/.exec(html)?.[1] ?? "";
    const rel = relative(DIST, file).replace(/\\/g, "/");
    const path = rel === "404.html" ? "/404.html" : `/${rel.replace(/index\.html$/, "")}`;
    const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));
    const metas = [...head.matchAll(/<meta\b[^>]*>/g)].map((m) => attrs(m[0]));
    const links = [...head.matchAll(/<link\b[^>]*>/g)].map((m) => attrs(m[0]));
    return {
      path,
      head,
      meta: (key: string) => metas.filter((m) => m.property === key || m.name === key).map((m) => m.content ?? ""),
      links: (relName: string) => links.filter((l) => l.rel === relName).map((l) => l.href ?? ""),
      title: decode(/<title>([^<]*)<\/title>/.exec(head)?.[1] ?? ""),
    };
  });

/** Width and height from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const REQUIRED = ["og:title", "og:description", "og:type", "og:url", "og:image", "og:image:alt", "twitter:card"] as const;

describe("Open Graph and Twitter card metadata", () => {
  it("finds the pages", () => {
    expect(pages.map((p) => p.path)).toEqual(expect.arrayContaining(["/", "/404.html", "/glossary/", "/practice/", "/lessons/life-of-a-packet/"]));
  });

  it.each(pages.map((p) => [p.path, p] as const))("%s has each tag once, absolute on the site's origin", (path, page) => {
    for (const key of REQUIRED) expect(page.meta(key), `${path}: ${key}`).toHaveLength(1);
    expect(page.links("canonical"), `${path}: <link rel="canonical">`).toHaveLength(1);
    const [canonical] = page.links("canonical");
    expect(canonical).toBe(`${ORIGIN}${path}`);
    expect(page.meta("og:url")).toEqual([canonical]);
    expect(new URL(page.meta("og:image")[0]!).origin).toBe(ORIGIN);
    expect(page.meta("twitter:card")).toEqual(["summary_large_image"]);
    expect(page.meta("og:type")).toEqual([path.startsWith("/lessons/") ? "article" : "website"]);
    expect(page.meta("og:description")).toEqual(page.meta("description"));
    expect(page.meta("og:title")[0]!.length).toBeGreaterThan(2);
    expect(page.meta("og:image:alt")[0]!.length).toBeGreaterThan(20);
  });

  it("points every page at one card image, a 1200 × 630 PNG in the build, as the tags say", () => {
    const images = new Set(pages.map((p) => p.meta("og:image")[0]!));
    expect(images.size).toBe(1);
    const [image] = [...images];
    const file = join(DIST, new URL(image!).pathname);
    expect(existsSync(file), `${file} is missing from the build`).toBe(true);
    expect(pngSize(readFileSync(file))).toEqual({ width: 1200, height: 630 });
    for (const page of pages) {
      expect(page.meta("og:image:width")).toEqual(["1200"]);
      expect(page.meta("og:image:height")).toEqual(["630"]);
      expect(page.meta("twitter:image")).toEqual([image]);
    }
  });

  it("the committed card (public/og-card.png, from scripts/og-card.ts) is that size too", () => {
    expect(pngSize(readFileSync("public/og-card.png"))).toEqual({ width: 1200, height: 630 });
  });

  it("no two pages share a title or a description", () => {
    const repeated = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
    expect(repeated(pages.map((p) => p.meta("og:title")[0]!))).toEqual([]);
    expect(repeated(pages.map((p) => p.title))).toEqual([]);
    expect(repeated(pages.map((p) => p.meta("og:description")[0]!))).toEqual([]);
  });
});
