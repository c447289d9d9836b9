import { readdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../scripts/serve.mjs";
import { hydrated, launch, watchErrors } from "./browser";

/**
 * Offline mode (src/integrations/service-worker.ts): a learner opens the course home once; after that every
 * lesson, lab, the practice page and search work without a network. This file serves the build on a server of
 * its own and stops it once the home has loaded and the service worker holds the course, then also takes the
 * browser offline — so any request the worker does not answer fails, as on a train.
 */
const DIST = process.env.E2E_DIST ?? "dist";
const LESSONS = readdirSync("content/lessons")
  .filter((f) => f.endsWith(".mdx"))
  .map((f) => `/lessons/${f.slice(0, -".mdx".length)}/`);
const PRECACHE = JSON.parse(/const PRECACHE = (\[.*\]);/.exec(readFileSync(`${DIST}/sw.js`, "utf8"))![1]!) as string[];
const CACHE = /const CACHE = "([^"]+)";/.exec(readFileSync(`${DIST}/sw.js`, "utf8"))![1]!;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let server: Server | undefined;
let base: string;
let errors: string[];

beforeAll(async () => {
  const served = (await serve(DIST, 0)) as { server: Server; url: string };
  server = served.server;
  base = served.url;
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  errors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  if (server?.listening) await new Promise<void>((resolve) => server!.close(() => resolve()));
});

const at = (path: string) => new URL(path, base).toString();

/** Stops the server for good (open keep-alive connections included) and takes the browser offline. */
async function goOffline(): Promise<void> {
  await new Promise<void>((resolve) => {
    server!.close(() => resolve());
    server!.closeAllConnections();
  });
  await context.setOffline(true);
}

describe("offline mode", () => {
  it("the first visit installs a worker that caches the whole course", async () => {
    await page.goto(at("/"));
    const cached = await page.evaluate(async (cacheName) => {
      const registration = await navigator.serviceWorker.ready;
      // Controlled from the first visit: the worker claims the page once it is active.
      if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
      const cache = await caches.open(cacheName);
      const keys = await cache.keys();
      return { scope: registration.scope, urls: keys.map((r) => new URL(r.url).pathname), names: await caches.keys() };
    }, CACHE);
    expect(cached.scope).toBe(at("/"));
    expect(cached.names).toEqual([CACHE]);
    expect(new Set(cached.urls)).toEqual(new Set(PRECACHE));
    // Every page, every bundled asset and every Pagefind file is in the list.
    expect(PRECACHE).toEqual(expect.arrayContaining(["/", "/practice/", "/glossary/", "/404.html", ...LESSONS, "/pagefind/pagefind.js"]));
    expect(PRECACHE.some((u) => u.startsWith("/_astro/") && u.endsWith(".js"))).toBe(true);
    expect(PRECACHE.some((u) => u.startsWith("/pagefind/fragment/"))).toBe(true);
  });

  it("then opens every lesson and the practice page with the network gone", async () => {
    await goOffline();
    for (const path of [...LESSONS, "/practice/", "/glossary/"]) {
      const response = await page.goto(at(path));
      expect(response?.status(), path).toBe(200);
      expect(response?.fromServiceWorker(), path).toBe(true);
      await hydrated(page);
      await expect(page.locator("h1").first().isVisible()).resolves.toBe(true);
    }
    expect(errors).toEqual([]);
  });

  it("steps a lab, its simulator loaded from the cache", async () => {
    await page.goto(at(`${LESSONS.find((l) => l.includes("life-of-a-packet"))}#lab-journey`));
    await hydrated(page);
    const lab = page.locator("#lab-journey");
    await expect(lab.locator(".step-view h4").textContent()).resolves.toBe("1. Browser (Paris)");
    await lab.locator(".step-list [data-current]").focus();
    await page.keyboard.press("ArrowRight");
    await expect(lab.locator(".step-view h4").textContent()).resolves.toBe("2. ISP and transit routers (Paris)");
    // A setting recomputes the trace in the browser: the simulator's chunk comes from the cache too.
    await page.goto(at(`${LESSONS.find((l) => l.includes("life-of-a-packet"))}?scenario.pod-health=all-unhealthy#lab-journey`));
    await hydrated(page);
    await expect.poll(() => lab.locator(".outcome").textContent()).toMatch(/502/);
    expect(errors).toEqual([]);
  });

  it("searches", async () => {
    await page.goto(at("/"));
    await page.getByRole("searchbox", { name: "Search the course" }).fill("Maglev");
    const result = page.locator("site-search .results a").first();
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain("Maglev and the GFE");
    await result.click();
    await page.waitForURL(/\/lessons\/maglev-and-the-gfe\//);
    expect(errors).toEqual([]);
  });

  it("answers a page it never had with the course's 404", async () => {
    const response = await page.goto(at("/lessons/no-such-lesson/"));
    expect(response?.status()).toBe(404);
    await expect(page.locator("h1").textContent()).resolves.toBe("Not found");
  });
});
