import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/** The CNI path stepper on its lesson: keyboard stepping, the overlay's bytes, bad links, a phone's width. */
const LESSON = "/lessons/how-pods-reach-each-other/";
let page: Page;

const lab = () => page.locator("#lab-cni");
const position = () => lab().locator(".stepper .position").textContent();

describe("CNI path stepper", () => {
  useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

  it("steps by keyboard to Calico's VXLAN hop and shows the outer headers' bytes field by field", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await page.selectOption("#cni-cni", "calico");
    await page.selectOption("#cni-overlay", "vxlan");
    await expect(lab().locator(".cni-bytes").count()).resolves.toBe(0);
    await lab().locator('.pn-steps [aria-current="step"]').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    await expect(position()).resolves.toBe("Hop 4 of 9");
    // Focus followed the cursor, so the keys keep working.
    await expect(page.evaluate(() => document.activeElement?.getAttribute("aria-current"))).resolves.toBe("step");
    await expect(lab().locator(".cni-fields td.cni-hex", { hasText: "12 b5" }).count()).resolves.toBeGreaterThan(0);
    await expect(lab().locator(".cni-fields caption").first().textContent()).resolves.toContain("outer Ethernet");
    await expect(lab().locator(".pn-step-detail").getAttribute("aria-live")).resolves.toBe("polite");
    await page.keyboard.press("End");
    await expect(lab().locator(".pn-step-detail").textContent()).resolves.toContain("TTL 62");
  });

  it("opens a link's CNI, path, overlay and step, and names a bad value in an alert while the lab keeps working", async () => {
    await page.goto(url(`${LESSON}?cni.cni=dataplane-v2&cni.overlay=geneve&cni.step=encap`));
    await hydrated(page);
    // The link is read after hydration: wait for the Geneve header's table rather than counting at once.
    await lab().locator(".cni-fields caption", { hasText: "Geneve" }).waitFor();
    await expect(position()).resolves.toBe("Hop 4 of 8");
    await page.goto(url(`${LESSON}?cni.cni=weave&cni.colour=red`));
    await hydrated(page);
    await lab().locator('[role="alert"]', { hasText: "colour" }).waitFor();
    await lab().locator('[role="alert"]', { hasText: "weave" }).waitFor();
    const alerts = await lab().locator('[role="alert"]').allTextContents();
    expect(alerts.join(" ")).toContain("weave");
    expect(alerts.join(" ")).toContain("colour");
    await page.selectOption("#cni-path", "same-pod");
    await lab().locator(".pn-verdict", { hasText: "never leaves the Pod" }).waitFor();
  });

  it("fits a 390 px phone without horizontal scrolling and passes axe", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url(`${LESSON}?cni.cni=calico-vxlan&cni.step=encap`));
    await hydrated(page);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await expect(axeViolations(page)).resolves.toEqual([]);
  });
});
