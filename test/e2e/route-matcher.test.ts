import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The route matcher on the Ingress and Gateway lesson: keyboard only, a bad header's message at its field
 * while the rest keeps working, the result changing with the request, and no horizontal scroll on a phone.
 */
const LESSON = "/lessons/ingress-and-gateway-routing/";
let page: Page;
const lab = () => page.locator("#lab-route");
const verdict = () => lab().locator(".verdict strong").first().textContent();

describe("route matcher", () => {
  useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

  it("routes by keyboard, shows a bad header at its field, and recovers", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await lab().scrollIntoViewIfNeeded();
    await expect(verdict()).resolves.toContain("shop/cart:8080");
    const urlField = lab().getByLabel("URL", { exact: true });
    await urlField.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("http://shop.example.com/cartoon");
    await expect(verdict()).resolves.toContain("shop/storefront:80");
    await expect(lab().locator("[aria-live=polite]").first().textContent()).resolves.toContain("storefront");

    // A preset by keyboard: Tab to the Gateway preset button and press Enter.
    await lab().getByRole("button", { name: /Gateway: hostnames/ }).focus();
    await page.keyboard.press("Enter");
    await expect(verdict()).resolves.toContain("store/checkout:8080");

    const headers = lab().getByLabel(/Headers/);
    await headers.focus();
    await page.keyboard.type("env canary");
    await expect(headers.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await headers.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toMatch(/NAME:VALUE/);
    // The URL field is still valid and still works.
    await expect(lab().getByLabel("URL", { exact: true }).getAttribute("aria-invalid")).resolves.toBeNull();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("env: canary");
    await expect(headers.getAttribute("aria-invalid")).resolves.toBeNull();
    await expect(verdict()).resolves.toContain("store/checkout:8080");
    await lab().getByLabel("Method", { exact: true }).fill("GET");
    // GET no longer matches the Exact POST rule; PathPrefix /de is longer than the header rule's default /.
    await expect(verdict()).resolves.toContain("store/store-german:8080");
  });

  it("reads pasted YAML (the parser loads on the first edit) and shows its problems at the field, with lines", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const yaml = lab().getByLabel(/Manifests/);
    const text = await yaml.inputValue();
    await yaml.fill(text.replace("pathType: Exact", "pathType: Exactly"));
    await expect.poll(() => yaml.getAttribute("aria-invalid")).toBe("true");
    const describedBy = await yaml.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toMatch(/line \d+.*Unsupported value: "Exactly"/);
    await yaml.fill(text.replace("name: cart,", "name: basket,"));
    await expect.poll(verdict).toContain("shop/basket:8080");
  });

  it("keeps its state in the address bar: a copied link reopens the pasted YAML and the request", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const yaml = lab().getByLabel(/Manifests/);
    const text = await yaml.inputValue();
    await yaml.fill(text.replace("name: cart,", "name: basket,"));
    await lab().getByLabel("URL", { exact: true }).fill("http://shop.example.com/cart/x");
    await expect.poll(verdict).toContain("shop/basket:8080");
    await expect.poll(() => page.evaluate(() => new URLSearchParams(location.search).get("route.url"))).toBe("http://shop.example.com/cart/x");
    const link = page.url();
    expect(new URL(link).searchParams.get("route.in")).toMatch(/^1\./);
    await page.goto("about:blank");
    await page.goto(link);
    await hydrated(page);
    await expect.poll(verdict).toContain("shop/basket:8080");
    await expect(lab().getByLabel("URL", { exact: true }).inputValue()).resolves.toBe("http://shop.example.com/cart/x");
    await expect(lab().locator("[role=alert]").count()).resolves.toBe(0);
  });

  it("says which of a link's values it could not use, and opens the rest", async () => {
    await page.goto(url(`${LESSON}?route.preset=gateway-split&route.via=sideways`));
    await hydrated(page);
    await expect.poll(() => lab().locator("[role=alert]").first().textContent()).toMatch(/front door "sideways"/);
    await expect.poll(verdict).toContain("store/checkout:8080");
  });

  it("passes axe and fits a 390 px phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url(LESSON));
    await hydrated(page);
    await lab().scrollIntoViewIfNeeded();
    expect(await axeViolations(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
