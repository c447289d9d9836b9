import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The DNS lesson's two labs in a real browser: the DNS-chain stepper by keyboard (settings, steps,
 * the live region, what the browser connects to) and the static-IP linter (a broken variant's
 * finding, a bad edit's message at its field, the rest still working). Also at phone width.
 */
const LESSON = "/lessons/domains-dns-and-the-host-header/";
let page: Page;

const chain = () => page.locator("#lab-dns-chain");
const linter = () => page.locator("#lab-static-ip");

describe("DNS lesson labs", () => {
  useBrowser({ width: 1280, height: 900 }, (_b, p) => (page = p));

  it("steps the DNS chain by keyboard and says where it is", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const live = chain().locator(".dns-now");
    await expect(live.getAttribute("aria-live")).resolves.toBe("polite");
    await expect(live.textContent()).resolves.toContain("Step 1 of 6");
    await chain().getByRole("button", { name: "Next ›" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect.poll(() => live.textContent()).toContain("Step 3 of 6");
    await expect.poll(() => live.textContent()).toContain("a.root-servers.net (198.41.0.4)");
    await expect(chain().locator(".dns-dig").textContent()).resolves.toContain("a.gtld-servers.net.");
    // A warm cache skips straight to the zone's nameserver; the lookup restarts at step 1.
    await chain().getByLabel("Warm (delegations cached)").check();
    await expect.poll(() => live.textContent()).toContain("Step 1 of 3");
    await chain().getByLabel("Cloud DNS, no Cloudflare").focus();
    await page.keyboard.press("Space");
    await expect.poll(() => chain().locator(".dns-outcome").textContent()).toContain("34.98.10.5");
    await expect(chain().locator(".dns-outcome").textContent()).resolves.toContain("exposed");
  });

  it("opens the chain on a link's settings and step", async () => {
    await page.goto(url(`${LESSON}?dns-chain.setup=dns-only&dns-chain.cache=cold&dns-chain.qmin=off&dns-chain.step=tld#lab-dns-chain`));
    await hydrated(page);
    await expect.poll(() => chain().locator(".dns-now").textContent()).toContain("a.gtld-servers.net");
    await expect(chain().getByLabel("QNAME minimisation (RFC 9156)").isChecked()).resolves.toBe(false);
  });

  it("lints a broken variant, and keeps a bad edit's message at its field", async () => {
    await page.goto(url(`${LESSON}#lab-static-ip`));
    await hydrated(page);
    await expect(linter().locator(".dns-summary").textContent()).resolves.toContain("uses the reserved address");
    await linter().getByRole("button", { name: "Terraform label" }).click();
    await expect.poll(() => linter().locator(".dns-finding").first().textContent()).toContain("ingress_ip is a Terraform label");
    await expect(linter().locator(".dns-finding").first().textContent()).resolves.toContain("line 7");
    // Break the Terraform: the message sits at that field, the findings stay.
    const tf = linter().getByLabel("Terraform (HCL)");
    await tf.fill('resource "google_compute_global_address" "ingress_ip" {\n  name = "web-ingress-ip\n}\n');
    await expect.poll(() => tf.getAttribute("aria-invalid")).toBe("true");
    const described = (await tf.getAttribute("aria-describedby"))!.split(" ")[0]!;
    await expect(page.locator(`[id="${described}"]`).textContent()).resolves.toContain("Line 2: a string is not closed");
    await expect(linter().locator(".dns-finding").first().textContent()).resolves.toContain("Terraform label");
    // Fix the annotation in the other field: the findings follow at once.
    const yaml = linter().getByLabel("Ingress (YAML)");
    await yaml.fill((await yaml.inputValue()).replace('"ingress_ip"', '"web-ingress-ip"'));
    await expect.poll(() => linter().locator(".dns-summary").textContent()).toContain("uses the reserved address");
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("DNS lesson labs at phone width", () => {
  useBrowser({ width: 390, height: 844 }, (_b, p) => (page = p));

  it("fits 390 px without horizontal scrolling", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await chain().getByRole("button", { name: "End »" }).click();
    await linter().getByRole("button", { name: "Two Ingresses, one address" }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
