import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The Cloud NAT lab on "Leaving the cluster": keyboard through it, a bad value's message at its field
 * with the rest still working, the port table and first drop changing as expected, the path chooser,
 * a question's link opening the lab on its settings, an unknown link key reported, and a phone's width.
 */
const LESSON = "/lessons/leaving-the-cluster/";
let page: Page;

describe("NAT lab (desktop)", () => {
  useBrowser({ width: 1280, height: 900 }, (_, p) => (page = p));
  const lab = () => page.locator("#lab-nat");

  it("70 connections against 64 ports drop the 65th; 128 min ports make them fit; a bad destination is explained at its field", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(lab().locator(".eg-verdict").first().textContent()).resolves.toContain("#65");
    const min = lab().getByLabel("Min ports per VM");
    await min.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("128");
    await expect(lab().locator(".eg-verdict").first().textContent()).resolves.toContain("All fit");
    const to = lab().getByLabel("…all to one destination (IP:PORT/PROTO)");
    await to.fill("8.8.8.8");
    await expect(to.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await to.getAttribute("aria-describedby")}`).textContent()).resolves.toContain("IP:PORT");
    // The path chooser keeps working while the gateway has a bad field.
    await lab().locator("#nat-destination").selectOption("googleapis");
    await expect(lab().locator(".eg-verdict").last().textContent()).resolves.toContain("Private Google Access");
    const pga = lab().getByLabel("Private Google Access on the subnet");
    await pga.focus();
    await page.keyboard.press("Space");
    await lab().locator("#nat-nat").selectOption("none");
    await expect(lab().locator(".eg-verdict").last().textContent()).resolves.toContain("No way out");
    await lab().getByRole("button", { name: "Send an unsolicited inbound packet" }).click();
    await expect(lab().locator(".eg-verdict").last().textContent()).resolves.toContain("never accepts");
  });

  it("opens on a question's link and reports a key it does not read", async () => {
    await page.goto(url(`${LESSON}?nat.vms=1009&nat.natIps=1&nat.minPorts=64&nat.bogus=1#lab-nat`));
    await hydrated(page);
    await expect(lab().locator(".eg-result").first().textContent()).resolves.toContain("1 VM gets no ports");
    await expect(lab().getByRole("alert").textContent()).resolves.toContain("bogus");
  });
});

describe("NAT lab (phone)", () => {
  useBrowser({ width: 390, height: 844 }, (_, p) => (page = p));
  it("fits 390 px and passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
