import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hydrated, launch, url, watchErrors } from "./browser";

/**
 * The BGP/RPKI lab on the "Hijacking and RPKI" lesson, driven by keyboard: choose a hijack, deploy ROV,
 * step a router through its stages, type a bad VRP field and see the message at the field while the
 * rest of the lab keeps working. Assertions read the lab's own words (shares, states), not pixels.
 */
const LESSON = "/lessons/hijacking-and-rpki/";
let browser: Browser;
let page: Page;
let errors: string[];
const lab = () => page.locator("#lab-rpki");
const captured = () => lab().locator(".outcome .outcome-status").textContent();
const live = () => lab().locator('[aria-live="polite"]').textContent();

/** The lab's controls by id (`rpki-kind`, `rpki-roa`, `rpki-rov-174`…): each is labelled, and its name includes its value. */
async function choose(id: string, value: string): Promise<void> {
  const select = page.locator(`#rpki-${id}`);
  await select.focus();
  await select.selectOption(value);
}

describe("BGP/RPKI lab", () => {
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

  it("a sub-prefix hijack captures every city until the attacker's upstream drops Invalid; depref does not help", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(captured()).resolves.toContain("6 of 6 user cities");
    await choose("rov-174", "depref-invalid");
    await expect(captured()).resolves.toContain("6 of 6 user cities");
    await choose("rov-174", "drop-invalid");
    await expect(captured()).resolves.toContain("0 of 6 user cities");
    await expect(live()).resolves.toContain("0 of 6 user cities");
  });

  it("a forged origin stays Valid even when every network drops Invalid", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await choose("kind", "forged-origin");
    await lab().getByRole("button", { name: "Every network drops Invalid" }).press("Enter");
    await expect(lab().locator(".outcome").textContent()).resolves.toMatch(/is Valid/);
    await expect(captured()).resolves.not.toContain("0% of ASes");
  });

  it("labels every control", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(page.locator("#rpki-rov-174").getAttribute("id")).resolves.toBe("rpki-rov-174");
    await expect(lab().getByLabel(/Route-origin validation at AS174/).count()).resolves.toBe(1);
    await expect(lab().getByLabel(/^maxLength/).count()).resolves.toBe(1);
  });

  it("steps a router through its four stages by keyboard", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const next = lab().getByRole("button", { name: "Next ›" });
    await expect(lab().locator(".rpki-stage h5").textContent()).resolves.toContain("1. Origin validation");
    for (let i = 0; i < 3; i++) await next.press("Enter");
    await expect(lab().locator(".rpki-stage h5").textContent()).resolves.toContain("4. FIB lookup");
    await expect(lab().locator(".rpki-stage").textContent()).resolves.toContain("longest match");
    await expect(next.isDisabled()).resolves.toBe(true);
  });

  it("shows a bad VRP field's message at the field and keeps the last good VRP", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await choose("kind", "forged-sub-prefix");
    await choose("roa", "custom");
    await expect(lab().locator(".outcome").textContent()).resolves.toMatch(/is Valid/);
    const max = page.locator("#rpki-vrp-maxLength");
    await max.fill("40");
    await expect(max.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await max.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toContain("longer than 32");
    await expect(lab().locator(".outcome").textContent()).resolves.toMatch(/is Valid/);
    await max.fill("16");
    await expect(max.getAttribute("aria-invalid")).resolves.toBeNull();
    await expect(lab().locator(".outcome").textContent()).resolves.toMatch(/is Invalid/);
  });

  it("opens on the state a question's link gives", async () => {
    await page.goto(url(`${LESSON}?rpki.kind=exact-prefix&rpki.roa=none&rpki.step=64502%40johannesburg#lab-rpki`));
    await hydrated(page);
    // The link is read once the island is live (the page itself is the same for every link).
    await expect.poll(() => lab().locator(".outcome").textContent()).toMatch(/NotFound/);
    await expect.poll(() => page.locator("#rpki-router").inputValue()).toBe("64502@johannesburg");
  });
});
