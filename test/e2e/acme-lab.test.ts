import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The ACME challenge lab in a real browser: the client's material for the sample key, a bad JWK's
 * message at its field with the rest still working, a scenario stepped by keyboard to its end, a link
 * that opens the lab on a step (and a bad link's message), and the page at phone width.
 */
const LESSON = "/lessons/why-a-certificate-cannot-be-forged/";
let page: Page;
const lab = () => page.locator("#lab-acme");
const live = () => lab().locator(".acme-now");

describe("ACME challenge lab", () => {
  useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

  it("shows the client's material, and keeps working after a bad key", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(lab().locator(".acme-material").textContent()).resolves.toContain("_acme-challenge.shop.example.com");
    const key = lab().getByLabel("Account public key (JWK)");
    await key.fill('{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}');
    await expect.poll(() => lab().locator(".acme-material").textContent()).toContain("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    await key.fill('{"kty":"OKP",');
    await expect.poll(() => key.getAttribute("aria-invalid")).toBe("true");
    const described = await key.getAttribute("aria-describedby");
    await expect(page.locator(`#${described}`).textContent()).resolves.toContain("not JSON");
    // The last good key still drives everything below the field.
    await expect(lab().locator(".acme-material").textContent()).resolves.toContain("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    await lab().getByLabel("Name ordered").fill("*.example.com");
    await expect.poll(() => lab().locator(".acme-record").textContent()).toContain("_acme-challenge.example.com.");
  });

  it("steps a local hijack by keyboard to the refusal at the remote perspectives", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await lab().getByLabel("Scenario").selectOption("bgp-hijack-local");
    await expect(live().getAttribute("aria-live")).resolves.toBe("polite");
    await lab().getByRole("button", { name: "Next ›" }).focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(() => live().textContent()).toContain("mpic");
    await expect(live().textContent()).resolves.toContain("The CA refuses.");
    await expect(lab().locator(".acme-outcome").textContent()).resolves.toContain("Refused");
    await lab().getByRole("button", { name: "Next ›" }).isDisabled();
    await lab().getByRole("button", { name: "‹ Back" }).focus();
    await page.keyboard.press("Home");
    await expect.poll(() => live().textContent()).toContain("Step 1 of");
  });

  it("opens on a link's scenario and step; a bad value gets a message in the alert region", async () => {
    await page.goto(url(`${LESSON}?acme.scenario=dangling-cname&acme.caa=letsencrypt&acme.ca=pki.goog&acme.step=caa#lab-acme`));
    await hydrated(page);
    await expect.poll(() => live().textContent()).toContain("caa:");
    await expect(live().textContent()).resolves.toContain("Failed");
    await page.goto(url(`${LESSON}?acme.scenario=mitm#lab-acme`));
    await hydrated(page);
    await expect.poll(() => lab().locator('[role="alert"]').textContent()).toContain('scenario="mitm"');
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("ACME challenge lab on a phone", () => {
  useBrowser({ width: 390, height: 844 }, (_b, p) => (page = p));
  it("fits 390 px without horizontal scrolling and passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await lab().getByLabel("Scenario").selectOption("owner-cloudflare");
    await lab().getByRole("button", { name: "End »" }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
