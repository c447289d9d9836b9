import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hydrated, url, useBrowser } from "./browser";

/**
 * The DNS resolver stepper on the cluster-dns lesson: keyboard stepping to where the search stops, a bad name's
 * message at its field while the rest keeps working, a URL that opens it on a name, and a phone's width.
 */
const LESSON = "/lessons/cluster-dns/";
let page: Page;
useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

const lab = () => page.locator("#lab-resolver");
const position = () => lab().locator(".stepper .position").textContent();

describe("DNS resolver stepper", () => {
  it("steps www.example.com by keyboard: six NXDOMAINs, then the answer", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(position()).resolves.toBe("Name 1 of 7 sent");
    await lab().getByRole("button", { name: /Next query/ }).focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
    await expect(position()).resolves.toBe("Name 7 of 7 sent");
    await expect(lab().locator(".cluster-dns-now").textContent()).resolves.toContain("www.example.com.");
    await expect(lab().locator(".cluster-dns-now").textContent()).resolves.toContain("answer — stop");
    await expect(lab().locator(".cluster-dns-now").getAttribute("aria-live")).resolves.toBe("polite");
    await expect(lab().locator(".outcome").textContent()).resolves.toContain("192.0.2.53");
    await page.keyboard.press("Home");
    await expect(position()).resolves.toBe("Name 1 of 7 sent");
  });

  it("a bad name gets its message at the field; a good one resolves", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const name = lab().getByLabel("Name the Pod looks up");
    await name.fill("web..shop");
    await expect(name.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await name.getAttribute("aria-describedby");
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toMatch(/Empty label/);
    // The rest keeps working: the namespace still changes the resolv.conf.
    await lab().getByLabel("Pod's namespace").selectOption("default");
    await expect(lab().locator(".cluster-dns-conf pre").textContent()).resolves.toContain("search default.svc.cluster.local");
    await name.fill("web.shop");
    await expect(name.getAttribute("aria-invalid")).resolves.toBeNull();
    await lab().getByRole("button", { name: /All/ }).click();
    await expect(lab().locator(".outcome").textContent()).resolves.toContain("10.96.120.15");
    await expect(position()).resolves.toBe("Name 2 of 2 sent");
  });

  it("opens on the name a link gives, and fits a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url(`${LESSON}?resolver.ns=shop&resolver.name=db-0.db&resolver.ndots=1#lab-resolver`));
    await hydrated(page);
    await expect.poll(() => lab().getByLabel("Name the Pod looks up").inputValue()).toBe("db-0.db");
    await lab().getByRole("button", { name: /All/ }).click();
    await expect(lab().locator(".outcome").textContent()).resolves.toContain("10.244.1.20");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
