import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { compareJourneys } from "../../src/sim/edge/compare";
import { hydrated, launch, url, watchErrors } from "./browser";

/**
 * The with/without-Cloudflare lab on the "Removing Cloudflare" lesson: keyboard through its settings,
 * the simulator loaded on demand, the summary (a live region) following the computed comparison, the
 * step links into the flagship lab, and a bad value from a link reported at its setting.
 */
const LESSON = "/lessons/removing-cloudflare/";
let browser: Browser;
let page: Page;
let errors: string[];
const lab = () => page.locator("#lab-compare");
const summary = () => lab().locator(".compare-summary");

describe("compare lab", () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    errors = watchErrors(page);
  });
  afterEach(async () => {
    await page.close();
    expect(errors).toEqual([]);
  });

  it("changes a setting by keyboard and shows the recomputed comparison, announced politely", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(summary().getAttribute("aria-live")).resolves.toBe("polite");
    const tokyo = compareJourneys({ city: "tokyo" });
    const city = lab().getByLabel("User's city");
    await city.focus();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("lab-compare-city");
    await city.selectOption("tokyo");
    await expect.poll(() => summary().textContent(), { timeout: 10_000 }).toContain(`${tokyo.figures.firstByteWithMs.toFixed(1)} ms with Cloudflare`);
    expect(page.url()).toContain("compare.city=tokyo");
    // Each cell's step links open the flagship lab on that trace's settings.
    const link = lab().locator("a[href*='journey.step=request%3Acf-edge']").first();
    await expect(link.getAttribute("href")).resolves.toMatch(/^\/lessons\/life-of-a-packet\/\?scenario\.city=tokyo&journey\.step=request%3Acf-edge#lab-journey$/);
    // Only the rows that differ, by keyboard.
    const rows = await lab().locator("tr.compare-row").count();
    await lab().getByLabel("Show only the rows that differ").focus();
    await page.keyboard.press("Space");
    await expect.poll(() => lab().locator("tr.compare-row").count()).toBeLessThan(rows);
  });

  it("says at the setting when a link names a value it does not offer, and keeps the table", async () => {
    await page.goto(url(`${LESSON}?compare.region=mars-north1#lab-compare`));
    await hydrated(page);
    const region = lab().getByLabel("Backend region");
    await expect.poll(() => region.getAttribute("aria-invalid")).toBe("true");
    const described = await region.getAttribute("aria-describedby");
    await expect(page.locator(`#${described}`).textContent()).resolves.toContain("mars-north1");
    expect(await lab().locator("tr.compare-row").count()).toBeGreaterThan(10);
    await region.selectOption("europe-west1");
    await expect.poll(() => region.getAttribute("aria-invalid")).toBeNull();
  });
});
