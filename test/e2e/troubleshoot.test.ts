import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { axeViolations, hydrated, launch, url, watchErrors } from "./browser";

/**
 * The troubleshooting lab: by keyboard only, run a command, get a bad command's message at the
 * field, walk history, switch case through the permalink, and name the fault.
 */
const LESSON = "/lessons/troubleshooting-a-cluster/";
let browser: Browser;
let page: Page;
let errors: string[];

const lab = () => page.locator("#lab-troubleshoot");
const field = () => lab().getByLabel("Command", { exact: true });

describe("troubleshooting lab", () => {
  beforeAll(async () => { browser = await launch(); });
  afterAll(async () => { await browser?.close(); });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    errors = watchErrors(page);
  });
  afterEach(async () => {
    await page.close();
    expect(errors).toEqual([]);
  });

  it("runs commands from the keyboard, shows a bad one's message at the field, and keeps working", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await field().focus();
    await page.keyboard.type("kubectl get endpoints");
    await page.keyboard.press("Enter");
    await expect(lab().locator(".ts-output").last().textContent()).resolves.toMatch(/web\s+<none>/);
    await expect(lab().locator('[aria-live="polite"]').textContent()).resolves.toMatch(/Ran kubectl get endpoints/);

    await page.keyboard.type("traceroute web");
    await page.keyboard.press("Enter");
    await expect(field().getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = (await field().getAttribute("aria-describedby")) ?? "";
    const message = await page.locator(`#${describedBy.split(" ")[0]}`).textContent();
    expect(message).toMatch(/command not found/);

    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("ArrowUp");
    await expect(field().inputValue()).resolves.toBe("traceroute web");
    await page.keyboard.press("ArrowUp");
    await expect(field().inputValue()).resolves.toBe("kubectl get endpoints");

    // No horizontal scrolling on a phone, however wide the output.
    await page.keyboard.press("Enter");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("opens the permalinked case and grades the named fault", async () => {
    await page.goto(url(`${LESSON}?troubleshoot.case=target-port`));
    await hydrated(page);
    await expect.poll(() => lab().locator("select").inputValue()).toBe("target-port");
    await lab().getByLabel("The Service's targetPort is not a port the Pods listen on").check();
    await lab().getByRole("button", { name: "Check" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toMatch(/^Right\./);
    await lab().getByLabel("The Service's selector matches no Pod").check();
    await lab().getByRole("button", { name: "Check" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toMatch(/^Not quite\..*Connection refused means the Service has no endpoints/);
  });

  it("the DNS case: the name times out, the policy is the evidence, and the engine names the misconception", async () => {
    await page.goto(url(`${LESSON}?troubleshoot.case=dns-policy`));
    await hydrated(page);
    await expect.poll(() => lab().locator("select").inputValue()).toBe("dns-policy");
    await field().fill("nslookup web");
    await field().press("Enter");
    await expect.poll(() => lab().locator(".ts-output").last().textContent()).toMatch(/connection timed out; no servers could be reached/);
    await field().fill("kubectl get networkpolicy");
    await field().press("Enter");
    await expect.poll(() => lab().locator(".ts-output").last().textContent()).toMatch(/egress-allow-list/);
    await lab().getByLabel("The cluster DNS (kube-dns) is down").check();
    await lab().getByRole("button", { name: "Check" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toMatch(/^Not quite\..*A name that will not resolve means cluster DNS is down/);
    await lab().getByLabel("A NetworkPolicy's egress rules leave out DNS (UDP and TCP 53 to kube-dns)").check();
    await lab().getByRole("button", { name: "Check" }).click();
    await expect.poll(() => lab().locator(".outcome").textContent()).toMatch(/^Right\./);
  });

  it("passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await field().fill("curl -v http://web/");
    await field().press("Enter");
    expect(await axeViolations(page)).toEqual([]);
  });
});
