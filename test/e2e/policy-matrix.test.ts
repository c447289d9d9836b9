import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { axeViolations, hydrated, launch, url, watchErrors } from "./browser";

/** The NetworkPolicy matrix on its lesson: keyboard, a cell's trace, a pasted mistake at its field, a link's state. */
const LESSON = "/lessons/network-policy/";
let browser: Browser;
let page: Page;
let errors: string[];
const lab = () => page.locator("#lab-policy");
const cell = (from: string, to: string) => lab().getByRole("button", { name: new RegExp(`^${from} to ${to}: `) });

describe("NetworkPolicy matrix lab", () => {
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

  it("opens a cell's trace by keyboard and follows a preset change", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await cell("shop/frontend", "shop/backend").focus();
    await page.keyboard.press("Enter");
    await expect(lab().locator(".policy-trace .outcome").textContent()).resolves.toContain("dropped at the destination's ingress by shop/default-deny-ingress");
    await expect(lab().locator('[aria-live="polite"]').textContent()).resolves.toContain("shop/frontend to shop/backend");
    await lab().getByLabel("Preset cluster").selectOption("allow-frontend");
    await expect(cell("shop/frontend", "shop/backend").textContent()).resolves.toMatch(/ok \(allowed\)$/);
    await expect(cell("shop/db", "shop/backend").textContent()).resolves.toMatch(/drop \(denied at ingress\)$/);
  });

  it("puts a bad port and a bad policy at their fields while the matrix keeps working", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const port = lab().getByLabel("Destination port");
    await port.fill("70000");
    await expect(port.getAttribute("aria-invalid")).resolves.toBe("true");
    const portError = await port.getAttribute("aria-describedby");
    await expect(page.locator(`#${portError}`).textContent()).resolves.toMatch(/between 1 and 65535/);
    await lab().locator("summary").click();
    const yaml = lab().getByLabel(/NetworkPolicy YAML/);
    await yaml.fill("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: x, namespace: shop }\nspec:\n  podSelector: {}\n  policyTypes: [Sideways]\n");
    // The YAML reader is fetched on this first edit; wait for its verdict.
    await lab().locator(".policy-problems").waitFor();
    await expect(yaml.getAttribute("aria-invalid")).resolves.toBe("true");
    const described = await yaml.getAttribute("aria-describedby");
    await expect(page.locator(`#${described}`).textContent()).resolves.toContain("Unsupported value: \"Sideways\"");
    await cell("shop/frontend", "shop/db").click();
    await expect(lab().locator(".policy-trace")).toBeTruthy();
  });

  it("opens a link's preset and cell, and passes axe on a phone without horizontal scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url(`${LESSON}?policy.preset=dns-blocked&policy.from=shop/frontend&policy.to=kube-system/kube-dns#lab-policy`));
    await hydrated(page);
    await expect(lab().locator(".policy-trace .outcome").textContent()).resolves.toContain("dropped at the source's egress by shop/default-deny-egress");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
  });
});
