import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hydrated, launch, url, watchErrors } from "./browser";
import { gz, htmlFiles, pageJsBytes } from "../../scripts/page-scripts";

/**
 * The course's budget: a page with labs loads at most 120 KB of gzipped JavaScript before the learner
 * does anything. Measured from the built HTML as `npm run bench` measures it — scripts, islands and
 * their renderers, and everything those import statically (a dynamic import is fetched later, on
 * demand) — and then checked in the browser: opening the page and hydrating every island fetches no
 * JavaScript beyond that, so nothing slips past the count by importing itself at start-up.
 */
const DIST = process.env.E2E_DIST ?? "dist";
const BUDGET = 120 * 1024;

/**
 * What a page without labs may ship: the scripts every page carries, each named with its ceiling in gzipped
 * bytes, and nothing else. A script is known by a marker in its text, tried in this order.
 */
const WITHOUT_LABS = [
  { name: "theme toggle (ThemeToggle.astro)", marker: ".theme-toggle", ceiling: 320 },
  { name: "stored theme, applied before the first paint (Base.astro)", marker: "packet-lab:theme", ceiling: 160 },
  { name: "search box, Pagefind loaded on first focus (SiteSearch.astro)", marker: "site-search", ceiling: 900 },
  { name: "offline mode: the service worker's registration (Base.astro)", marker: "serviceWorker.register", ceiling: 128 },
  { name: "due-today count on the course home (DueToday.astro)", marker: "due-today", ceiling: 420 },
  { name: "progress on the course map (CourseMap.astro)", marker: "data-map-progress", ceiling: 420 },
  { name: "a lesson's reading and lab steps saved (LessonProgress.astro)", marker: "data-lesson-progress", ceiling: 480 },
  { name: "reading and counting saved progress without its schema (course-progress.ts)", marker: "Not finished reading", ceiling: 1000 },
  { name: "the event a stepping lab sends (lab-progress-event.ts)", marker: "packetlab:lab-progress", ceiling: 128 },
  { name: "the saved progress's storage key (progress-key.ts)", marker: "packet-lab:progress", ceiling: 100 },
] as const;

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

/** Every built page without an island, with each script it carries (inline or by file) and its gzipped size. */
const PLAIN_PAGES = htmlFiles(DIST)
  .sort()
  .flatMap((file) => {
    const html = readFileSync(file, "utf8");
    if (html.includes("<astro-island")) return [];
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const files = [...pageJsBytes(DIST, html).files].map((f) => readFileSync(join(DIST, f), "utf8"));
    const scripts = [...inline, ...files].map((text) => ({ text, bytes: gz(text) }));
    return [{ path: `/${relative(DIST, file).replace(/\\/g, "/").replace(/index\.html$/, "")}`, scripts }];
  });

describe("JavaScript on pages without labs", () => {
  it("finds them", () => {
    expect(PLAIN_PAGES.map((p) => p.path)).toEqual(expect.arrayContaining(["/", "/404.html", "/glossary/", "/lessons/services-and-endpointslices/"]));
  });

  it.each(PLAIN_PAGES.map((p) => [p.path, p] as const))("%s ships only the shared scripts, each within its ceiling", (_, page) => {
    const problems: string[] = [];
    for (const script of page.scripts) {
      const allowance = WITHOUT_LABS.find((a) => script.text.includes(a.marker));
      if (!allowance) problems.push(`an unexpected script (${script.bytes} B gzipped): ${script.text.slice(0, 80)}`);
      else if (script.bytes > allowance.ceiling) problems.push(`${allowance.name}: ${script.bytes} B gzipped, over its ${allowance.ceiling} B`);
    }
    expect(problems).toEqual([]);
  });
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
