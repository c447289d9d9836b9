import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The address planner and the MTU lab on "Pod addresses and MTU": keyboard through them, a bad value's
 * message at its field with the rest still working, the result changing as expected, a question's
 * link opening the lab on its settings, and a phone's width.
 */
const LESSON = "/lessons/pod-addresses-and-mtu/";
let page: Page;

describe("pod-network labs (desktop)", () => {
  useBrowser({ width: 1280, height: 900 }, (_, p) => (page = p));
  const planner = () => page.locator("#lab-planner");
  const mtu = () => page.locator("#lab-mtu");

  it("planner: max Pods changes the per-node block; a bad CIDR is explained at its field", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(planner().locator(".pn-result").textContent()).resolves.toContain("/24: 256 addresses");
    const maxPods = planner().getByLabel("Maximum Pods per node (8–256)");
    await maxPods.focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("64");
    await expect(planner().locator(".pn-result").textContent()).resolves.toContain("/25: 128 addresses");
    const services = planner().getByLabel("Service range (CIDR; optional)");
    await services.fill("10.4.0.0/20");
    await expect(services.getAttribute("aria-invalid")).resolves.toBe("true");
    const described = await services.getAttribute("aria-describedby");
    await expect(page.locator(`#${described}`).textContent()).resolves.toContain("overlaps the Pod range");
    await expect(planner().locator(".pn-verdict").textContent()).resolves.toContain("Refused");
    await services.fill("10.8.0.0/20");
    await expect(planner().locator(".pn-verdict").textContent()).resolves.toContain("Accepted");
    const podRange = planner().getByLabel("Pod range (secondary range, CIDR)");
    await podRange.fill("10.4.0.0/33");
    await expect(podRange.getAttribute("aria-invalid")).resolves.toBe("true");
  });

  it("MTU lab: step by keyboard to the ICMP; filtering ICMP makes a black hole", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const next = mtu().getByRole("button", { name: "Next" });
    await next.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect(mtu().locator(".pn-step-detail").textContent()).resolves.toContain("type 3 code 4");
    await expect(mtu().locator(".pn-step-detail").getAttribute("aria-live")).resolves.toBe("polite");
    const filter = mtu().getByLabel("A firewall drops ICMP");
    await filter.focus();
    await page.keyboard.press("Space");
    await expect(mtu().locator(".pn-verdict").textContent()).resolves.toContain("Black hole");
    expect(await mtu().locator(".pn-steps li").count()).toBe(7);
    const node = mtu().getByLabel("Node (VPC) MTU, 1300–8896");
    await node.fill("9999");
    await expect(node.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await node.getAttribute("aria-describedby")}`).textContent()).resolves.toContain("1300 to 8896");
    await expect(mtu().locator(".pn-verdict").textContent()).resolves.toContain("Black hole");
  });

  it("opens on a question's link", async () => {
    await page.goto(url(`${LESSON}?mtu.preset=fragments&planner.maxPods=8#lab-mtu`));
    await hydrated(page);
    await expect(mtu().locator(".pn-verdict").textContent()).resolves.toContain("fragments");
    await expect(planner().locator(".pn-result").textContent()).resolves.toContain("/28");
  });
});

describe("pod-network labs (phone)", () => {
  useBrowser({ width: 390, height: 844 }, (_, p) => (page = p));
  it("fits 390 px and passes axe", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
