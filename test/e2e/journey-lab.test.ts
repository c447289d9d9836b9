import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser, watchErrors } from "./browser";

const LESSON = "/lessons/life-of-a-packet/";
let browser: Browser;
let page: Page;

useBrowser({ width: 1366, height: 900 }, (b, p) => ((browser = b), (page = p)));

const lab = (id = "journey", p: Page = page) => p.locator(`#lab-${id}`);
const heading = (id = "journey", p: Page = page) => lab(id, p).locator(".step-view h4");
const outcome = (id = "journey", p: Page = page) => lab(id, p).locator(".outcome");

describe("the journey lab", () => {
  it("is one tab stop in its hop list, steps by arrow keys, and the inspector follows", async () => {
    await page.goto(url(`${LESSON}#lab-journey`));
    await hydrated(page);
    await expect(heading().textContent()).resolves.toBe("1. Browser (Paris)");
    const tabbable = await lab().locator(".step-list button:not([tabindex='-1'])").count();
    expect(tabbable).toBe(1);
    await lab().locator(".step-list [data-current]").focus();
    await page.keyboard.press("ArrowRight");
    await expect(heading().textContent()).resolves.toBe("2. ISP and transit routers (Paris)");
    // A router rewrites only the TTL, and the inspector says so.
    await expect(lab().locator(".change").count()).resolves.toBe(1);
    await expect(lab().locator(".notice").textContent()).resolves.toContain("Only the TTL changed");
    await page.keyboard.press("PageDown");
    await page.keyboard.press("PageDown");
    await expect(heading().textContent()).resolves.toBe("4. Cloudflare edge (Paris PoP)");
    await expect(page.evaluate(() => document.activeElement?.closest(".step-list") !== null)).resolves.toBe(true);
    // A proxy: a new connection, not a translation — and TLS ends here.
    await expect(lab().locator(".change.t-proxied").count()).resolves.toBeGreaterThan(3);
    await expect(lab().locator(".change.t-rewritten").count()).resolves.toBe(0);
    await expect(lab().locator(".notice").textContent()).resolves.toContain("A new connection, not a translation");
    // Internal device ids never show: the TLS session's parties are named.
    await expect(lab().locator(".packet-inspector").textContent()).resolves.not.toMatch(/\bcf-edge\b/);
    await page.keyboard.press("End");
    await expect(heading().textContent()).resolves.toBe("20. Browser (Paris)");
    await page.keyboard.press("Home");
    await expect(heading().textContent()).resolves.toBe("1. Browser (Paris)");
  });

  it("says at the node that the destination is unchanged: no DNAT", async () => {
    await page.goto(url(`${LESSON}?journey.step=request:node#lab-journey`));
    await hydrated(page);
    await expect(heading().textContent()).resolves.toMatch(/^10\. GKE node/);
    await expect(lab().locator(".notice").textContent()).resolves.toContain("Destination unchanged");
    await expect(lab().locator(".change.t-removed").count()).resolves.toBeGreaterThan(0);
  });

  it("names the outcome and where it was produced: a cache hit, an unknown Host, every Pod failing", async () => {
    await page.goto(url(`${LESSON}?scenario.cache-rule=cache-everything&scenario.cache=hit#lab-journey`));
    await hydrated(page);
    await expect(outcome().textContent()).resolves.toMatch(/200 OK.*Served from Cloudflare's cache at Cloudflare edge \(Paris PoP\)/);
    await page.goto(url(`${LESSON}?scenario.host=api.example.com#lab-journey`));
    await hydrated(page);
    await expect(outcome().textContent()).resolves.toMatch(/404 Not Found.*No host rule for api\.example\.com.*GFE/);
    await page.goto(url(`${LESSON}?scenario.pod-health=all-unhealthy#lab-journey`));
    await hydrated(page);
    await expect(outcome().textContent()).resolves.toMatch(/502 Bad Gateway.*No healthy endpoint.*GFE/);
    await outcome().getByRole("button").click();
    await expect(heading().textContent()).resolves.toMatch(/GFE/);
  });

  it("shares a changed setting with the page's other labs and keeps it in the URL", async () => {
    await page.goto(url(`${LESSON}#lab-leg-1`));
    await hydrated(page);
    await lab("leg-1").getByLabel("User's city").selectOption("tokyo");
    // The first change loads the simulator (its own chunk), then every lab on the page follows.
    await expect.poll(() => heading("leg-1").textContent()).toBe("1. Browser (Tokyo)");
    await expect.poll(() => lab("leg-2").locator(".settings summary").textContent()).toContain("Tokyo");
    await expect.poll(() => heading("journey").textContent()).toBe("1. Browser (Tokyo)");
    await lab("journey").locator(".step-list [data-current]").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => location.search.includes("journey.step="));
    expect(page.url()).toContain("scenario.city=tokyo");
    // The permalink reopens both the settings and the step.
    const other = await browser.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(page.url());
    await hydrated(other);
    await expect.poll(() => heading("journey", other).textContent()).toMatch(/^3\. .*Tokyo/);
    await expect.poll(() => heading("leg-1", other).textContent()).toBe("1. Browser (Tokyo)");
    await other.close();
    expect(otherErrors).toEqual([]);
  });

  it("opens links written before step ids and shared settings", async () => {
    await page.goto(url(`${LESSON}?journey.city=tokyo&journey.cloudflare=off&journey.step=6#lab-journey`));
    await hydrated(page);
    await expect.poll(() => heading().textContent()).toMatch(/^6\. Google backbone/);
    await expect(lab().getByLabel("User's city").inputValue()).resolves.toBe("tokyo");
    await expect(lab().locator(".step-list > li").count()).resolves.toBe(15);
  });

  it("explains a broken permalink beside the setting and keeps working", async () => {
    await page.goto(url(`${LESSON}?journey.city=atlantis&journey.step=4#lab-journey`));
    await hydrated(page);
    await expect.poll(() => lab().getByRole("alert").first().textContent()).toContain("city must be one of");
    await expect(heading().textContent()).resolves.toMatch(/^4\. Cloudflare edge/);
    await lab().getByRole("button", { name: "Next" }).click();
    await expect(heading().textContent()).resolves.toMatch(/^4\. Cloudflare edge|^5\. Cloudflare border router/);
  });

  it("says so when a link names a step the journey does not have, by id or by position, and starts at the beginning", async () => {
    await page.goto(url(`${LESSON}?journey.step=request%3Anowhere#lab-journey`));
    await hydrated(page);
    await expect.poll(() => lab().getByRole("alert").first().textContent()).toContain('"request:nowhere"');
    await expect(heading().textContent()).resolves.toMatch(/^1\. /);
    await page.goto(url(`${LESSON}?journey.step=99#lab-journey`));
    await hydrated(page);
    await expect.poll(() => lab().getByRole("alert").first().textContent()).toContain('"99"');
    await lab().getByRole("button", { name: "Next" }).click();
    await expect(heading().textContent()).resolves.toMatch(/^2\. /);
  });

  it("takes a typed Host and explains a bad one beside the field", async () => {
    await page.goto(url(`${LESSON}#lab-journey`));
    await hydrated(page);
    const host = lab().getByLabel("Host");
    await host.fill("shop_1.example.com");
    await host.press("Enter");
    await expect.poll(() => host.getAttribute("aria-invalid")).toBe("true");
    await expect(lab().locator("label .error").textContent()).resolves.toContain('label 1 ("shop_1") has "_"');
    await expect(lab().locator(".step-list > li").count()).resolves.toBe(20);
    await host.fill("a.b.example.com");
    await host.press("Enter");
    await expect.poll(() => outcome().textContent()).toContain("TLS alert");
    await expect(lab().locator(".step-list > li").count()).resolves.toBe(6);
  });

  it("plays and pauses; a one-hop walk has nothing to play", async () => {
    await page.goto(url(`${LESSON}#lab-journey`));
    await hydrated(page);
    await lab().getByRole("button", { name: "▶ Play" }).click();
    await page.waitForFunction(() => document.querySelector("#lab-journey .step-view h4")?.textContent?.startsWith("2."), undefined, { timeout: 5000 });
    await lab().getByRole("button", { name: "❚❚ Pause" }).click();
    const paused = await heading().textContent();
    await page.waitForTimeout(1500);
    await expect(heading().textContent()).resolves.toBe(paused);
  });

  it("goes to a device's step when it is clicked in the picture", async () => {
    await page.goto(url(`${LESSON}#lab-journey`));
    await hydrated(page);
    await lab().locator('.journey-map [data-device="gfe"]').click();
    await expect(heading().textContent()).resolves.toMatch(/^8\. GFE/);
    await expect(lab().locator(".journey-map").getAttribute("aria-label")).resolves.toMatch(/TLS ends at CF proxy and GFE/);
  });

  it("says a link was copied, then stops saying it", async () => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto(url(`${LESSON}#lab-journey`));
    await hydrated(page);
    await lab().getByRole("button", { name: "Copy link" }).click();
    await expect(lab().locator(".copied").textContent()).resolves.toBe("Link copied.");
    await page.waitForFunction(() => !document.querySelector("#lab-journey .copied"), undefined, { timeout: 5000 });
  });

  it("downloads the journey's packets as a pcapng file", async () => {
    await page.goto(url(`${LESSON}#lab-journey`));
    await hydrated(page);
    const [download] = await Promise.all([page.waitForEvent("download"), lab().getByRole("button", { name: "Download .pcapng" }).click()]);
    expect(download.suggestedFilename()).toBe("cloudflare-gke.pcapng");
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    // A pcapng file opens with a Section Header Block (type 0x0A0D0D0A).
    expect(Buffer.concat(chunks).readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  it("shows a leg that the settings remove as absent, not broken", async () => {
    await page.goto(url(`${LESSON}?leg-2.cloudflare=off#lab-leg-2`));
    await hydrated(page);
    await expect(lab("leg-2").locator(".empty-leg").textContent()).resolves.toContain("no middle mile");
  });
});

describe("on a 390 px phone", () => {
  it("keeps the stepper and the changes in view after Next, with no sideways scrolling", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const phoneErrors = watchErrors(phone);
    await phone.goto(url(`${LESSON}#lab-journey`));
    await hydrated(phone);
    // Next moves decision by decision (Unimog's two choices are two presses).
    for (let i = 0; i < 6 && !/^4\. /.test((await heading("journey", phone).textContent()) ?? ""); i++) {
      await lab("journey", phone).getByRole("button", { name: "Next" }).click();
    }
    await expect(heading("journey", phone).textContent()).resolves.toMatch(/^4\. Cloudflare edge/);
    // Every change line fits the screen: its right edge is inside the viewport.
    const widest = await lab("journey", phone).locator(".change").evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(390);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The step's heading is right under the stepper, on screen.
    const { top, stepperBottom } = await lab("journey", phone).evaluate((el) => ({
      top: el.querySelector(".step-view h4")!.getBoundingClientRect().top,
      stepperBottom: el.querySelector(".stepper-row")!.getBoundingClientRect().bottom,
    }));
    expect(top).toBeGreaterThanOrEqual(stepperBottom - 1);
    expect(top).toBeLessThan(844);
    await phone.close();
    expect(phoneErrors).toEqual([]);
  });

  it.each(["light", "dark"] as const)("has no axe violations in the %s theme", async (colorScheme) => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme });
    await phone.goto(url(`${LESSON}?journey.step=request:gfe#lab-journey`));
    await hydrated(phone);
    expect(await axeViolations(phone)).toEqual([]);
    await phone.close();
  });
});
