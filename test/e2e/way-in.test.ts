import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser, watchErrors } from "./browser";

/** The lessons as their sources list them, in course order: what the home page must lead to. */
const LESSONS = readdirSync("content/lessons")
  .filter((f) => f.endsWith(".mdx"))
  .map((f) => {
    const source = readFileSync(`content/lessons/${f}`, "utf8");
    const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(source)![1]!;
    return { path: `/lessons/${f.replace(/\.mdx$/, "")}/`, title: field("title"), order: Number(field("order")) };
  })
  .sort((a, b) => a.order - b.order);
const FIRST = LESSONS[0]!;
const LESSON = "/lessons/life-of-a-packet/";

let browser: Browser;
let page: Page;

let errors: string[];
useBrowser({ width: 1366, height: 900 }, (b, p, e) => ((browser = b), (page = p), (errors = e)));

/** Opens a page of its own (another viewport or colour scheme); its errors fail the test too. */
async function openPage(path: string, options: { width: number; colorScheme?: "light" | "dark" }): Promise<Page> {
  const other = await browser.newPage({ viewport: { width: options.width, height: 844 }, colorScheme: options.colorScheme ?? "light" });
  const otherErrors = watchErrors(other);
  other.on("close", () => errors.push(...otherErrors));
  await other.goto(url(path));
  return other;
}

/** Ids a fragment link may point at on the page as served (labs render their anchors before they hydrate). */
const idsOn = (p: Page) => p.evaluate(() => [...document.querySelectorAll("[id]")].map((e) => e.id));

describe("the course home", () => {
  it("says who the course is for and starts with lesson 1", async () => {
    await page.goto(url("/"));
    await expect(page.getByRole("heading", { name: "Who it is for" }).isVisible()).resolves.toBe(true);
    await expect(page.locator(".who").textContent()).resolves.toMatch(/interviews[\s\S]*GKE behind a CDN/);
    await page.getByRole("link", { name: "Start here" }).click();
    await page.waitForURL(url(FIRST.path));
    await expect(page.locator("h1").textContent()).resolves.toBe(FIRST.title);
  });

  it("maps every lesson in order, then the practice page", async () => {
    await page.goto(url("/"));
    const map = page.locator(".course-map");
    const titles = await map.locator(".map-lesson h3 a").allTextContents();
    expect(titles).toEqual([...LESSONS.map((l) => l.title), "Practice: interview questions"]);
    const hrefs = await map.locator(".map-lesson h3 a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual([...LESSONS.map((l) => l.path), "/practice/"]);
    // Each lesson shows its goals and its sections.
    for (const lesson of LESSONS) {
      const entry = map.locator(".map-lesson", { has: page.getByRole("link", { name: lesson.title, exact: true }) });
      expect(await entry.locator(".goal-list li").count()).toBeGreaterThanOrEqual(3);
      expect(await entry.locator(`.toc-list a[href^="${lesson.path}#"]`).count()).toBeGreaterThan(0);
    }
  });

  it("links every lab of every lesson, and every link lands on an anchor of its page", async () => {
    await page.goto(url("/"));
    const links = await page.locator(".course-map a[href*='#']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    const byPage = new Map<string, string[]>();
    for (const href of links) {
      const [path, id] = href.split("#") as [string, string];
      byPage.set(path, [...(byPage.get(path) ?? []), id]);
    }
    expect([...byPage.keys()].sort()).toEqual(LESSONS.map((l) => l.path).sort());
    for (const [path, ids] of byPage) {
      await page.goto(url(path));
      const present = new Set(await idsOn(page));
      expect(ids.filter((id) => !present.has(id)), `links from the map to missing anchors on ${path}`).toEqual([]);
      // The other way round: every lab with an anchor on the page is on the map.
      const labs = await page.locator("section[id^='lab-']").evaluateAll((sections) => sections.map((s) => s.id));
      expect(labs.filter((id) => !ids.includes(id)), `labs on ${path} missing from the map`).toEqual([]);
    }
  });

  it("ships no JavaScript island: only the search box, the theme, the offline worker's registration, the due-today count and the map's progress, the last two under 400 bytes each", async () => {
    await page.goto(url("/"));
    expect(await page.locator("astro-island").count()).toBe(0);
    // Every script of the built page, told apart by what it touches; the due-today count
    // (src/components/course/DueToday.astro) reads localStorage only, no zod or ts-fsrs.
    const html = readFileSync(`${process.env.E2E_DIST ?? "dist"}/index.html`, "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => {
      const src = /\ssrc="([^"]+)"/.exec(m[1]!)?.[1];
      return src ? readFileSync(`${process.env.E2E_DIST ?? "dist"}${src}`, "utf8") : m[2]!;
    });
    const role = (text: string) =>
      ["site-search", "theme-toggle", "packet-lab:theme", "serviceWorker", "due-today", "data-map-progress"].find((marker) => text.includes(marker)) ?? text.slice(0, 80);
    expect(scripts.map(role).sort()).toEqual(["data-map-progress", "due-today", "packet-lab:theme", "serviceWorker", "site-search", "theme-toggle"]);
    for (const marker of ["due-today", "data-map-progress"]) {
      const script = scripts.find((text) => text.includes(marker))!;
      expect(gzipSync(script, { level: 9 }).length, marker).toBeLessThanOrEqual(400);
    }
  });
});

describe("a lesson page", () => {
  it("opens with its learning goals and a table of contents whose links all resolve, labs included", async () => {
    await page.goto(url(LESSON));
    const goals = page.locator(".lesson-goals");
    await expect(goals.getByRole("heading").textContent()).resolves.toBe("After this lesson you can answer");
    const count = await goals.locator("li").count();
    expect(count).toBeGreaterThanOrEqual(3);
    expect(count).toBeLessThanOrEqual(5);

    const toc = page.getByRole("navigation", { name: "On this page" });
    await expect(toc.isVisible()).resolves.toBe(true);
    const targets = await toc.locator("a[href^='#']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!.slice(1)));
    const present = new Set(await idsOn(page));
    expect(targets.filter((id) => !present.has(id))).toEqual([]);
    // Every section heading and every lab is listed.
    const headings = await page.locator("article h2[id]").evaluateAll((hs) => hs.map((h) => h.id).filter((id) => id !== "lesson-goals-title"));
    const labs = await page.locator("section[id^='lab-']").evaluateAll((sections) => sections.map((s) => s.id));
    expect(targets).toEqual(expect.arrayContaining([...headings, ...labs]));
    expect(targets).toContain("lab-journey");

    // Following a lab link lands on the lab.
    await toc.locator("a[href='#lab-journey']").click();
    await page.waitForURL(/#lab-journey$/);
    const top = await page.locator("#lab-journey").evaluate((lab) => lab.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(50);
  });

  it("keeps the contents beside the prose on a wide screen, and folds them into a disclosure on a phone", async () => {
    await page.goto(url(LESSON));
    await expect(page.locator(".lesson-aside").evaluate((aside) => getComputedStyle(aside).position)).resolves.toBe("sticky");
    await expect(page.locator("details.toc-inline").isVisible()).resolves.toBe(false);
    // Still beside the prose after scrolling far down.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    await expect(page.locator(".lesson-aside").evaluate((aside) => aside.getBoundingClientRect().top)).resolves.toBeLessThan(100);

    const phone = await openPage(LESSON, { width: 390 });
    await expect(phone.locator(".lesson-aside").isVisible()).resolves.toBe(false);
    const details = phone.locator("details.toc-inline");
    await expect(details.getAttribute("open")).resolves.toBeNull();
    await details.locator("summary").click();
    const journeyLink = details.locator("a[href='#lab-journey']");
    await expect(journeyLink.isVisible()).resolves.toBe(true);
    await phone.close();
  });

  it("orders the flagship's labs from each leg to the whole journey", async () => {
    await page.goto(url(LESSON));
    const order = await page.evaluate(() => {
      const all = [...document.querySelectorAll("article h2[id], section[id^='lab-']")];
      return all.map((e) => e.id);
    });
    const at = (id: string) => {
      expect(order).toContain(id);
      return order.indexOf(id);
    };
    for (const leg of [1, 2, 3, 4, 5]) expect(at(`lab-leg-${leg}`)).toBeLessThan(at("lab-journey"));
    expect(at("leg-3-maglev-then-the-gfe")).toBeLessThan(at("lab-journey"));
  });

  it("links to the previous and next lesson, and from the last one to practice", async () => {
    for (const [i, lesson] of LESSONS.entries()) {
      await page.goto(url(lesson.path));
      const pager = page.getByRole("navigation", { name: "Previous and next lesson" });
      const next = LESSONS[i + 1];
      const previous = LESSONS[i - 1];
      await expect(pager.locator("a.next").getAttribute("href")).resolves.toBe(next ? next.path : "/practice/");
      if (previous) await expect(pager.locator("a.previous").getAttribute("href")).resolves.toBe(previous.path);
    }
  });
});

describe("phones and themes", () => {
  it.each(["/", LESSON])("%s does not scroll sideways at 390 px", async (path) => {
    const phone = await openPage(path, { width: 390 });
    await hydrated(phone);
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await phone.close();
  });

  it.each([
    ["/", "light"],
    ["/", "dark"],
    [LESSON, "light"],
    [LESSON, "dark"],
  ] as const)("axe finds no violations on %s at 390 px in the %s theme", async (path, colorScheme) => {
    const phone = await openPage(path, { width: 390, colorScheme });
    await hydrated(phone);
    // The contents open, so their links are checked too.
    if (path !== "/") await phone.locator("details.toc-inline summary").click();
    expect(await axeViolations(phone)).toEqual([]);
    await phone.close();
  });
});
