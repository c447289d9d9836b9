import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The SSL-mode matrix on its lesson: cells open their traces, the stepper answers the keyboard and says where
 * it is, settings move the whole table, a permalink reopens the lab, a bad link is said in the lab's alert
 * region, and a phone-width page never scrolls sideways.
 */
const LESSON = "/lessons/cloudflare-ssl-modes/";
let page: Page;

const lab = () => page.locator("#lab-ssl-matrix");
const heading = () => lab().locator(".ssl-outcome h4").textContent();
const position = () => lab().locator(".stepper .position").textContent();

describe("SSL-mode matrix, desktop", () => {
  useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

  it("opens on Full (strict) × Self-signed: 526, and Full × Self-signed is a page", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(heading()).resolves.toContain("526");
    await lab().getByRole("button", { name: /^Full with Self-signed: 200 OK/ }).click();
    await expect.poll(heading).toContain("200 OK");
    await expect(lab().locator(".ssl-outcome").textContent()).resolves.toContain("origin not authenticated");
    await expect.poll(() => page.evaluate(() => location.search)).toContain("ssl-matrix.mode=full");
  });

  it("steps the trace by keyboard and announces each step", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const next = lab().getByRole("button", { name: /Next/ });
    await expect(next.getAttribute("aria-keyshortcuts")).resolves.toBe("ArrowRight");
    await next.focus();
    await expect(position()).resolves.toMatch(/^Step 1 of \d+$/);
    await page.keyboard.press("ArrowRight");
    await expect.poll(position).toMatch(/^Step 2 of/);
    const live = lab().locator("[aria-live=polite]");
    await expect.poll(() => live.textContent()).toContain("Step 2 of");
    await page.keyboard.press("End");
    await expect.poll(() => next.isDisabled()).toBe(true);
    await expect(live.textContent()).resolves.toContain("error page");
    await lab().getByRole("button", { name: /Start/ }).focus();
    await page.keyboard.press("Home");
    await expect.poll(position).toMatch(/^Step 1 of/);
  });

  it("moves the whole table when the origin stops answering HTTP with content", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await lab().getByRole("button", { name: /^Flexible with Valid \(public CA\)/ }).click();
    await expect.poll(heading).toContain("200 OK");
    await lab().getByRole("radio", { name: /HTTPS only/ }).check();
    await expect.poll(heading).toContain("Redirect loop");
    await expect(lab().locator(".ssl-outcome").textContent()).resolves.toContain("ERR_TOO_MANY_REDIRECTS");
  });

  it("reopens from a permalink at a step, and says so when a link is bad", async () => {
    await page.goto(url(`${LESSON}?ssl-matrix.mode=full&ssl-matrix.cert=none&ssl-matrix.step=origin-tls-fails#lab-ssl-matrix`));
    await hydrated(page);
    await expect.poll(heading).toContain("525");
    await expect(lab().locator("[aria-live=polite]").textContent()).resolves.toContain("handshake_failure");
    await page.goto(url(`${LESSON}?ssl-matrix.mode=fullest#lab-ssl-matrix`));
    await hydrated(page);
    await expect.poll(() => lab().getByRole("alert").textContent()).toContain('mode="fullest"');
    await expect(lab().getByRole("alert").textContent()).resolves.toContain("defaults");
    await expect(heading()).resolves.toContain("526");
  });

  it("passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const violations = (await axeViolations(page)).filter((v) => v.includes("ssl"));
    expect(violations).toEqual([]);
  });
});

describe("SSL-mode matrix, phone", () => {
  useBrowser({ width: 390, height: 844 }, (_b, p) => (page = p));

  it("fits 390 px: the table scrolls in its own labelled, focusable region", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    const region = lab().locator(".ssl-table-scroll");
    await expect(region.getAttribute("tabindex")).resolves.toBe("0");
    await expect(region.getAttribute("role")).resolves.toBe("region");
    await expect(region.evaluate((el) => el.scrollWidth > el.clientWidth)).resolves.toBe(true);
    await lab().getByRole("button", { name: /^Full \(strict\) with Expired/ }).click();
    await expect.poll(heading).toContain("526");
  });
});
