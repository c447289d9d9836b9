import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { axeViolations, hydrated, launch, url, watchErrors } from "./browser";

/**
 * The BGP labs on the anycast lesson: `bgp` (the best-path stepper, starting at Lumen's Madrid router)
 * and `anycast` (the map with site toggles). Keyboard only; the live regions must say what changed.
 */
const LESSON = "/lessons/anycast-and-bgp/";
let browser: Browser;
let page: Page;
let errors: string[];
const lab = (id: string) => page.locator(`#lab-${id}`);

describe("BGP labs", () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = watchErrors(page);
  });
  afterEach(async () => {
    await page.close();
    expect(errors).toEqual([]);
  });

  it("steps the decision by keyboard to hot potato, then through the FIB", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const next = lab("bgp").getByRole("button", { name: "Next rule" });
    await next.focus();
    const status = lab("bgp").locator(".bgp-status");
    await expect(status.getAttribute("aria-live")).resolves.toBe("polite");
    for (let i = 0; i < 12 && !(await status.textContent())?.includes("one route left"); i++) await page.keyboard.press("Enter");
    await expect(status.textContent()).resolves.toContain("lowest IGP cost to the next hop (hot potato)");
    await expect(lab("bgp").locator(".bgp-candidates li.best").textContent()).resolves.toContain("3356@london");
    while (await next.isEnabled()) await page.keyboard.press("Enter");
    await expect(lab("bgp").textContent()).resolves.toContain("delivered at 13335@london");
  });

  it("shows a bad address's message at the field and keeps working", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const input = lab("bgp").getByLabel("Destination address");
    await input.fill("104.18.32");
    await expect(input.getAttribute("aria-invalid")).resolves.toBe("true");
    const described = await input.getAttribute("aria-describedby");
    await expect(page.locator(`[id="${described}"]`).textContent()).resolves.toMatch(/not an IPv4 address/);
    await lab("bgp").getByRole("button", { name: "End" }).click();
    await expect(lab("bgp").textContent()).resolves.toContain("Longest match 104.16.0.0/13");
  });

  it("withdrawing Paris moves the Paris user, said in words, and passes axe; fits a phone", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const parisRow = lab("anycast").locator("tbody tr", { hasText: /^Paris/ });
    await expect(parisRow.textContent()).resolves.toContain("(same)");
    await expect(lab("anycast").locator("tbody tr", { hasText: "Madrid" }).textContent()).resolves.toContain("differs");
    const box = lab("anycast").getByRole("checkbox", { name: "Paris" });
    await box.focus();
    await page.keyboard.press("Space");
    await expect(box.isChecked()).resolves.toBe(false);
    await expect(parisRow.textContent()).resolves.not.toMatch(/BGP.*Paris \(0 km\)/);
    await expect(parisRow.locator("td").first().textContent()).resolves.not.toContain("Paris");
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
