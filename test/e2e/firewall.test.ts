import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/** The firewall lab (`labId="firewall"`) on the NetworkPolicy lesson. */
const LESSON = "/lessons/network-policy/";
let page: Page;
const lab = () => page.locator("#lab-firewall");
const outcome = () => lab().locator(".outcome").textContent();

describe("firewall lab", () => {
  useBrowser({ width: 390, height: 900 }, (_b, p) => (page = p));

  it("is driven by keyboard: a rule added moves the drop from the VPC firewall to kube-proxy", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(outcome()).resolves.toContain("vpc-firewall");
    await lab().getByRole("button", { name: "Add a rule" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(outcome).toContain("KUBE-PROXY-FIREWALL");
    await expect(lab().locator("[aria-live=polite]").textContent()).resolves.toContain("kube-proxy");
    // Step back through the layers with the keyboard.
    await lab().getByRole("button", { name: "Previous layer" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => lab().locator(".firewall-layer").count()).toBe(2);
  });

  it("keeps a bad client address at its field while the rest works", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const client = lab().getByLabel("Client address");
    await client.fill("198.51.100");
    await expect(client.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await client.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toMatch(/IPv4 address/);
    await client.fill("198.51.100.7");
    await expect.poll(outcome).toContain("network-policy");
    await lab().getByLabel("externalTrafficPolicy").selectOption("Local");
    await expect.poll(outcome).toContain("delivered");
  });

  it("fits a phone without horizontal scrolling and passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    // The lab itself (the page's other code samples scroll inside their own boxes).
    await lab().getByRole("button", { name: "Add a rule" }).click();
    const overflow = await lab().evaluate((el) => {
      const W = document.documentElement.clientWidth;
      return [el, ...el.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > W + 1).map((e) => `${e.tagName}.${e.className}`);
    });
    expect(overflow).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("names a link value it cannot use", async () => {
    await page.goto(url(`${LESSON}?firewall.etp=Sideways&firewall.nonsense=1`));
    await hydrated(page);
    await expect.poll(() => lab().locator("[role=alert]").count()).toBe(2);
  });
});
