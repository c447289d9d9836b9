import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hydrated, launch, url, watchErrors } from "./browser";
import { htmlFiles, pageJsBytes } from "../../scripts/page-scripts";

/**
 * The course's budget: a page with labs loads at most 120 KB of gzipped JavaScript before the learner
 * does anything. Measured from the built HTML as `npm run bench` measures it — scripts, islands and
 * their renderers, and everything those import statically (a dynamic import is fetched later, on
 * demand) — and then checked in the browser: opening the page and hydrating every island fetches no
 * JavaScript beyond that, so nothing slips past the count by importing itself at start-up.
 */
const DIST = process.env.E2E_DIST ?? "dist";
const BUDGET = 120 * 1024;


interface LabPage {
  readonly path: string;
  readonly scripts: ReadonlySet<string>;
  readonly bytes: number;
}

/** Every built page with at least one island, and what it loads before interaction. */
const LAB_PAGES: LabPage[] = htmlFiles(DIST)
  .sort()
  .flatMap((file) => {
    const html = readFileSync(file, "utf8");
    if (!html.includes("<astro-island")) return [];
    const { files, bytes } = pageJsBytes(DIST, html);
    return [{ path: `/${relative(DIST, file).replace(/\\/g, "/").replace(/index\.html$/, "")}`, scripts: files, bytes }];
  });

describe("JavaScript before interaction", () => {
  it("finds the lab pages", () => {
    expect(LAB_PAGES.map((p) => p.path)).toEqual(
      expect.arrayContaining(["/lessons/life-of-a-packet/", "/lessons/services-and-kube-proxy/", "/lessons/ways-in-from-outside/"]),
    );
  });

  it.each(LAB_PAGES.map((p) => [p.path, p] as const))("%s loads at most 120 KB gzipped", (_, page) => {
    const kb = (page.bytes / 1024).toFixed(1);
    expect(page.bytes, `${page.path} loads ${kb} KB of gzipped JS before interaction: ${[...page.scripts].join(", ")}`).toBeLessThanOrEqual(BUDGET);
  });

  describe("in the browser", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launch();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it.each(LAB_PAGES.map((p) => [p.path, p] as const))("%s fetches no other JavaScript while it opens", async (path, expected) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      const fetched = new Set<string>();
      page.on("request", (request) => {
        if (request.resourceType() === "script") fetched.add(new URL(request.url()).pathname);
      });
      await page.goto(url(path));
      await hydrated(page);
      // Let any import started by hydration (an effect, an idle callback) show itself.
      await page.waitForLoadState("networkidle");
      await page.close();
      expect([...fetched].filter((f) => !expected.scripts.has(f))).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
