import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The Maglev lab on "Maglev and the GFE": keyboard through it, a bad table size's message at the field,
 * the table and flows changing when a GFE is removed, the conntrack story stepping, permalinks (written after each
 * change, reopened, and a bad value explained at its control), and a phone's width.
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

  it("walks the lab by keyboard alone, with a visible focus ring and the live region announcing each result", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const size = lab().getByLabel("Table size M (a prime)");
    await size.focus();
    // Tab from the size field reaches the new-GFE name, its Add button, Reset, then the GFE toggles.
    await page.keyboard.press("Tab");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("maglev-name");
    await page.keyboard.type("gfe-5");
    await page.keyboard.press("Enter");
    const live = lab().locator(".maglev-announce");
    await expect.poll(() => live.textContent()).toMatch(/^gfe-5 added\. \d+ of 13 slots changed GFE/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("gfe-1: in service");
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), visible: document.activeElement!.matches(":focus-visible") };
    });
    expect(ring.visible).toBe(true);
    expect(ring.style).not.toBe("none");
    expect(ring.width).toBeGreaterThan(0);
    await page.keyboard.press("Space");
    await expect.poll(() => live.textContent()).toMatch(/^gfe-1 removed\./);
    // The story: arrow keys on its buttons move it, and each step is announced.
    await lab().getByRole("button", { name: "Next" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => live.textContent()).toMatch(/^Step 2 of \d+: /);
    await page.keyboard.press("Home");
    await expect.poll(() => live.textContent()).toMatch(/^Step 1 of \d+: /);
  });

  it("writes a permalink after each change that reopens the lab in that state", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await lab().getByRole("button", { name: /^gfe-3: in service/ }).click();
    await lab().getByLabel("Table size M (a prime)").fill("17");
    await lab().getByLabel("Connection to follow").selectOption({ index: 19 });
    await lab().getByRole("button", { name: "Next" }).click();
    await lab().getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.evaluate(() => location.search)).toContain("maglev.step=");
    const search = new URLSearchParams(await page.evaluate(() => location.search));
    expect(Object.fromEntries([...search].filter(([k]) => k.startsWith("maglev.")))).toMatchObject({
      "maglev.size": "17", "maglev.removed": "gfe-3", "maglev.before": "gfe-1,gfe-2,gfe-3,gfe-4", "maglev.flow": "20",
    });
    const slots = await lab().locator(".maglev-slots li").allTextContents();
    const position = await lab().locator(".stepper .position").textContent();
    // A fresh load, not a jump to an anchor of the page already open.
    await page.goto("about:blank");
    await page.goto(url(`${LESSON}?${search}#lab-maglev`));
    await hydrated(page);
    await expect.poll(() => lab().locator(".maglev-slots li").allTextContents()).toEqual(slots);
    await expect.poll(() => lab().locator(".stepper .position").textContent()).toBe(position);
    await expect(lab().getByLabel("Table size M (a prime)").inputValue()).resolves.toBe("17");
    await expect(lab().getByRole("button", { name: /^gfe-3: removed/ }).getAttribute("aria-pressed")).resolves.toBe("false");
    await expect(lab().getByLabel("Connection to follow").inputValue()).resolves.toBe("19");
    await expect.poll(() => lab().locator(".maglev-announce").textContent()).toMatch(/^Opened from a link/);
  });

  it("explains a permalink's bad values at their controls and keeps working", async () => {
    await page.goto(url(`${LESSON}?maglev.size=15&maglev.removed=gfe-9&maglev.flow=77&maglev.step=later#lab-maglev`));
    await hydrated(page);
    const size = lab().getByLabel("Table size M (a prime)");
    await expect.poll(() => size.getAttribute("aria-invalid")).toBe("true");
    await expect(page.locator(`#${await size.getAttribute("aria-describedby")}`).textContent()).resolves.toContain("15 is not prime (3 × 5)");
    const gfes = lab().locator("fieldset.maglev-gfes");
    await expect(page.locator(`#${await gfes.getAttribute("aria-describedby")}`).textContent()).resolves.toContain('"gfe-9" is not in its list of GFEs');
    const flow = lab().getByLabel("Connection to follow");
    await expect(flow.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await flow.getAttribute("aria-describedby")}`).textContent()).resolves.toContain('"77" is not one of F1 to F40');
    const stepper = lab().locator(".stepper");
    await expect(page.locator(`#${await stepper.getAttribute("aria-describedby")}`).textContent()).resolves.toContain('"later" is not one of steps');
    expect(await lab().locator("[role=alert]").count()).toBe(3);
    // The lab still works on its starting state, and each message goes when its control is used.
    expect(await lab().locator(".maglev-slots li").count()).toBe(13);
    await lab().getByRole("button", { name: /^gfe-4: in service/ }).click();
    await expect.poll(() => lab().locator(".maglev-announce").textContent()).toMatch(/^gfe-4 removed/);
    await expect(gfes.getAttribute("aria-describedby")).resolves.toBeNull();
    await size.fill("11");
    await expect.poll(() => lab().locator(".maglev-slots li").count()).toBe(11);
    await expect(size.getAttribute("aria-invalid")).resolves.toBeNull();
  });

  it("passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("Maglev lab (phone)", () => {
  useBrowser({ width: 390, height: 844 }, (_, p) => (page = p));

  it("fits a 390 px screen opened from a link with bad values (messages shown)", async () => {
    await page.goto(url(`${LESSON}?maglev.gfes=gfe-1,gfe-2,gfe-3,gfe-4,gfe-5,gfe-6,gfe-7,gfe-8&maglev.removed=gfe-2&maglev.before=gfe-1,gfe-2,gfe-3,gfe-4,gfe-5,gfe-6,gfe-7,gfe-8&maglev.size=97&maglev.step=${"x".repeat(300)}&maglev.flow=${"9".repeat(300)}#lab-maglev`));
    await hydrated(page);
    await expect.poll(() => page.locator("#lab-maglev [role=alert]").count()).toBe(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("fits a 390 px screen without horizontal scrolling, after a change too", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await page.locator("#lab-maglev").getByRole("button", { name: /^gfe-3: in service/ }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
