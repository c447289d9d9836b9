import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The built site's links, checked without a browser: every link and resource on every page points at
 * a file the build produced, and every `#fragment` at an id on the page it names. Labs render their
 * anchors (`#lab-<id>`) when the site is built, before they hydrate, so fragments are read from the
 * HTML as served. Links to other sites are listed, not fetched (nothing may leave this machine).
 */
const DIST = process.env.E2E_DIST ?? "dist";

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "pagefind" || name === "_astro" ? [] : htmlPages(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

const decode = (text: string) => text.replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"');
const idsOf = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decode(m[1]!)));

/** The file a site path is served from, or null. */
function fileFor(pathname: string): string | null {
  const clean = decodeURIComponent(pathname);
  const candidates = clean.endsWith("/") ? [join(DIST, clean, "index.html")] : [join(DIST, clean), join(DIST, `${clean}.html`), join(DIST, clean, "index.html")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

const pages = htmlPages(DIST).map((file) => ({ file, path: `/${relative(DIST, file).replace(/index\.html$/, "")}`, html: readFileSync(file, "utf8") }));
const ids = new Map(pages.map((p) => [p.file, idsOf(p.html)]));

describe("links in the built site", () => {
  it("has pages to check", () => {
    expect(pages.length).toBeGreaterThan(3);
  });

  it.each(pages.map((p) => [p.path, p] as const))("%s: every link, resource and fragment resolves", (_, page) => {
    const broken: string[] = [];
    // href and src attributes outside inline scripts (island props carry JSON, not links).
    const markup = page.html.replace(/<script\b[\s\S]*?<\/script>/g, "");
    for (const m of markup.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const raw = decode(m[1]!);
      if (/^(https?:|mailto:|data:)/.test(raw)) continue;
      const target = new URL(raw, `http://site${page.path}`);
      const file = target.pathname === page.path || raw.startsWith("#") ? page.file : fileFor(target.pathname);
      if (!file) {
        broken.push(`${raw}: no such page or file`);
        continue;
      }
      const fragment = decodeURIComponent(target.hash.slice(1));
      if (fragment && file.endsWith(".html") && !ids.get(file)?.has(fragment)) broken.push(`${raw}: no id "${fragment}" on ${relative(DIST, file)}`);
    }
    expect(broken).toEqual([]);
  });

  it("links to other sites only over HTTPS", () => {
    // The canonical link (Base.astro) names the site's own origin in full: that is not another site.
    const site = new URL(process.env.SITE_URL?.trim() || "http://localhost:4321").origin;
    const external = pages.flatMap((p) => [...p.html.matchAll(/\shref="(https?:[^"]+)"/g)].map((m) => m[1]!)).filter((href) => new URL(href).origin !== site);
    expect(external.filter((href) => href.startsWith("http:"))).toEqual([]);
  });
});
