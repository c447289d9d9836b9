import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The Maglev lab on "Maglev and the GFE": keyboard through it, a bad table size's message at the field,
 * the table and flows changing when a GFE is removed, the conntrack story stepping, and a phone's width.
 */
const LESSON = "/lessons/maglev-and-the-gfe/";
let page: Page;

describe("Maglev lab (desktop)", () => {
  useBrowser({ width: 1280, height: 900 }, (_, p) => (page = p));
  const lab = () => page.locator("#lab-maglev");

  it("removes a GFE by keyboard and shows the slots and flows that moved", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const gfe2 = lab().getByRole("button", { name: /^gfe-2: in service/ });
    await gfe2.focus();
    await page.keyboard.press("Enter");
    await expect(lab().getByRole("button", { name: /^gfe-2: removed/ }).getAttribute("aria-pressed")).resolves.toBe("false");
    const live = lab().locator(".maglev-announce");
    await expect(live.getAttribute("aria-live")).resolves.toBe("polite");
    await expect(live.textContent()).resolves.toMatch(/^gfe-2 removed\. \d+ of 13 slots changed GFE/);
    expect(await lab().locator(".maglev-slots li .slot-was").count()).toBeGreaterThan(0);
    expect(await lab().locator(".maglev-slots li .slot-owner", { hasText: "gfe-2" }).count()).toBe(0);
    await expect(lab().locator(".maglev-measured").textContent()).resolves.toMatch(/hash mod N: \d+\.\d% of flows change GFE/);
  });

  it("shows a bad table size's reason at the field and keeps the last good table", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const size = lab().getByLabel("Table size M (a prime)");
    await size.fill("15");
    await expect(size.getAttribute("aria-invalid")).resolves.toBe("true");
    const described = await size.getAttribute("aria-describedby");
    await expect(page.locator(`#${described}`).textContent()).resolves.toContain("15 is not prime (3 × 5)");
    expect(await lab().locator(".maglev-slots li").count()).toBe(13);
    await size.fill("31");
    await expect(size.getAttribute("aria-invalid")).resolves.toBeNull();
    expect(await lab().locator(".maglev-slots li").count()).toBe(31);
  });

  it("steps the ECMP + conntrack story with the keyboard", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const next = lab().getByRole("button", { name: "Next" });
    await next.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("Enter");
    await expect(lab().locator('.maglev-story [aria-current="step"]').textContent()).resolves.toContain("The connection survives");
    await expect(lab().locator(".stepper .position").textContent()).resolves.toBe("Step 6 of 6");
  });

  it("passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("Maglev lab (phone)", () => {
  useBrowser({ width: 390, height: 844 }, (_, p) => (page = p));

  it("fits a 390 px screen without horizontal scrolling, after a change too", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await page.locator("#lab-maglev").getByRole("button", { name: /^gfe-3: in service/ }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
