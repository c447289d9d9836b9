import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { axeViolations, hydrated, launch, url, watchErrors } from "./browser";

/**
 * The handshake stepper on "Two TLS terminations": keyboard through a session's messages (the live
 * region follows), a changed setting computed by the simulator loaded on demand, a bad host name told at
 * its field while the rest keeps working, the SNI chooser, a bad permalink reported in the lab's alert
 * while the lab opens on defaults, axe, and a phone's width without horizontal scrolling.
 */
const LESSON = "/lessons/two-tls-terminations/";
let browser: Browser;
let page: Page;
let errors: string[];
const lab = () => page.locator("#lab-tls");
const live = () => lab().locator(".hs-stepper-area [aria-live='polite']");

describe("handshake stepper", () => {
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

  it("steps through the first termination by keyboard, announcing each message, and keeps the step in the address", async () => {
    await page.goto(url(LESSON));
    await lab().scrollIntoViewIfNeeded();
    await hydrated(page);
    await expect.poll(() => live().textContent()).toContain("Message 1 of 8: ClientHello");
    const next = lab().getByRole("button", { name: "Next ▶" });
    await expect(next.getAttribute("aria-keyshortcuts")).resolves.toBe("ArrowRight");
    await next.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => live().textContent()).toContain("Message 3 of 8: EncryptedExtensions");
    await expect(lab().locator(".hs-message h4").textContent()).resolves.toContain("EncryptedExtensions");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => live().textContent()).toContain("Message 2 of 8: ServerHello");
    await expect.poll(() => page.url()).toContain("tls.step=server-hello");
    await page.keyboard.press("Home");
    await expect.poll(() => live().textContent()).toContain("Message 1 of 8");
    // The second termination, by its radio button.
    await lab().getByLabel(/Termination 2/).check();
    await expect.poll(() => page.url()).toContain("tls.hop=cloudflare-gfe");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it("loads the simulator for new settings, and keeps a bad host at its field", async () => {
    await page.goto(url(LESSON));
    await lab().scrollIntoViewIfNeeded();
    await hydrated(page);
    await lab().getByLabel("Origin protection").selectOption("mtls");
    await lab().getByLabel(/Termination 2/).check({ timeout: 10_000 });
    await expect.poll(() => lab().locator(".hs-list").textContent(), { timeout: 10_000 }).toContain("CertificateRequest");
    expect(page.url()).toContain("scenario.origin-protection=mtls");

    const host = page.locator("#lab-tls-host");
    await host.fill("shop..example.com");
    await host.press("Enter");
    await expect(host.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await host.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toMatch(/label 2 is empty/);
    // The rest keeps working.
    await lab().getByRole("button", { name: "Next ▶" }).click();
    await expect.poll(() => live().textContent()).toContain("Message 2 of");
    await host.fill("a.b.example.com");
    await host.press("Enter");
    await expect.poll(() => lab().locator(".hs-outcome").textContent(), { timeout: 10_000 }).toMatch(/no HTTP request is ever sent/);
    await expect(host.getAttribute("aria-invalid")).resolves.toBeNull();
  });

  it("chooses a certificate by SNI, with a bad name told at the field", async () => {
    await page.goto(url(LESSON));
    await lab().scrollIntoViewIfNeeded();
    await hydrated(page);
    const sni = lab().getByLabel(/Name the client connects to/);
    await sni.fill("blog.example.com");
    await expect.poll(() => lab().locator(".hs-sni .outcome").textContent()).toMatch(/presents the primary.*Refused/s);
    await sni.fill("a.shop.example.net");
    await expect.poll(() => lab().locator(".hs-sni .outcome").textContent()).toMatch(/shop-example-net-tls.*Accepted/s);
    await sni.fill("bad_name!.com");
    await expect(sni.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await sni.getAttribute("aria-describedby")}`).isVisible()).resolves.toBe(true);
  });

  it("reports a bad permalink in the lab's alert and opens on defaults", async () => {
    await page.goto(url(`${LESSON}?scenario.cloudflare=sideways&tls.hop=nowhere&tls.step=99#lab-tls`));
    await hydrated(page);
    const alert = lab().getByRole("alert");
    await expect.poll(() => alert.textContent()).toMatch(/scenario\.cloudflare/);
    await expect(alert.textContent()).resolves.toMatch(/nowhere/);
    await expect.poll(() => live().textContent()).toContain("Termination 1: the browser to Cloudflare's edge. Message 1 of 8");
  });

  it("passes axe", async () => {
    await page.goto(url(LESSON));
    await lab().scrollIntoViewIfNeeded();
    await hydrated(page);
    expect(await axeViolations(page)).toEqual([]);
  });
});
