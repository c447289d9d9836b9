import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

const LESSON = "/lessons/life-of-a-packet/";
let browser: Browser;
let page: Page;

useBrowser({ width: 1280, height: 900 }, (b, p) => ((browser = b), (page = p)));


describe("course home", () => {
  it("lists the lesson and leads to it", async () => {
    await page.goto(url("/"));
    await page.getByRole("link", { name: "The life of a packet" }).click();
    await page.waitForURL(/\/lessons\/life-of-a-packet\/$/);
    await expect(page.locator("h1").textContent()).resolves.toBe("The life of a packet");
  });

  it("ships no JavaScript islands on a page without labs", async () => {
    await page.goto(url("/"));
    expect(await page.locator("astro-island").count()).toBe(0);
  });
});

// The journey lab's own tests: journey-lab.test.ts.

describe("the lesson's computed tables", () => {
  it("counts the load-balancing decisions from the trace", async () => {
    await page.goto(url(LESSON));
    await expect(page.locator('[data-testid="lb-count"]').textContent()).resolves.toMatch(/load-balanced\s+5\s+times:\s+2 by routers/);
  });
});

describe("pod range explorer", () => {
  it("shows a bad address's error beside the field and recovers when it is fixed", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const explorer = page.locator("section.lab", { has: page.getByRole("heading", { name: "Pod range explorer" }) });
    await expect(explorer.textContent()).resolves.toContain("node range #2, 10.4.1.0/24");
    const address = explorer.getByLabel("Address to place");
    await address.fill("10.4.1.300");
    await expect(address.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await address.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toBe("10.4.1.300: octet 4 is above 255");
    await explorer.getByLabel("Cluster Pod range (CIDR)").fill("10.4.1.0/14");
    await expect(explorer.textContent()).resolves.toContain("host bits are set; the block is 10.4.0.0/14");
    await explorer.getByLabel("Cluster Pod range (CIDR)").fill("10.4.0.0/14");
    await address.fill("10.4.3.9");
    await expect(address.getAttribute("aria-invalid")).resolves.toBeNull();
    await expect(explorer.textContent()).resolves.toContain("10.4.3.0/24");
  });
});

describe("site shell", () => {
  it("switches between light and dark and remembers the choice", async () => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(url("/"));
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByRole("button", { name: "Toggle dark mode" }).click();
    await expect(page.getByRole("button", { name: "Toggle dark mode" }).getAttribute("aria-pressed")).resolves.toBe("true");
    const dark = await background();
    expect(dark).not.toBe(light);
    await page.reload();
    await expect(background()).resolves.toBe(dark);
  });
});

describe("search", () => {
  it("finds Maglev and lands on the lesson", async () => {
    await page.goto(url("/"));
    const input = page.getByRole("searchbox", { name: "Search the course" });
    await input.fill("Maglev");
    const result = page.locator("site-search .results a").first();
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain("Maglev and the GFE");
    await result.click();
    await page.waitForURL(/\/lessons\/maglev-and-the-gfe\//);
  });
});

describe("accessibility (axe-core)", () => {
  it.each(["/", LESSON, "/practice/"])("%s has no violations", async (path) => {
    await page.goto(url(path));
    await hydrated(page);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the lesson has no violations in dark mode, mid-journey, on a phone", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    await phone.goto(url(`${LESSON}?journey.step=6`));
    await hydrated(phone);
    expect(await axeViolations(phone)).toEqual([]);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.close();
  });
});

describe("progress on the course map", () => {
  it("shows what the learner read, stepped and answered, and nothing before", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const fresh = await context.newPage();
    try {
      await fresh.goto(url("/"));
      const line = fresh.locator("#map-services-and-kube-proxy .map-progress");
      await expect(line.isHidden()).resolves.toBe(true);

      // Step one lab to its end and another one step; then read to the end.
      const lesson = "/lessons/services-and-kube-proxy/";
      await fresh.goto(url(lesson));
      await hydrated(fresh);
      const nat = fresh.locator("#lab-nat");
      await nat.getByRole("button", { name: /End/ }).click();
      await fresh.locator("#lab-chain").getByRole("button", { name: /Next/ }).click();
      await fresh.locator(".lesson-pager").scrollIntoViewIfNeeded();
      await fresh.waitForFunction(() => (localStorage.getItem("packet-lab:progress") ?? "").includes('"lessons"'));

      await fresh.goto(url("/"));
      await expect(line.textContent()).resolves.toMatch(/^Your progress: Read · 1 of 3 labs stepped through \(1 started\)/);
      // Another lesson, not opened, still says nothing.
      await expect(fresh.locator("#map-ways-in-from-outside .map-progress").isHidden()).resolves.toBe(true);
    } finally {
      await context.close();
    }
  });
});
