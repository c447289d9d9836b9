import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GFE_TEMPLATES } from "../../src/quiz/bank/gfe/index";
import { EXAMPLE_URL_MAP_YAML } from "../../src/sim/edge/gfe-examples";
import { labHref, type AnyVariant } from "../../src/quiz/engine/types";
import { axeViolations, hydrated, url, useBrowser } from "./browser";

/**
 * The URL-map tester on "Maglev and the GFE": keyboard through it (visible focus, the live region saying
 * each result), a bad YAML, address or seed explained at its field while the rest keeps working,
 * permalinks (written after each change, reopened, a question's link, a bad value explained at its
 * control), axe, and a phone's width.
 */
const LESSON = "/lessons/maglev-and-the-gfe/";
const LAB = "url-map-tester";
let page: Page;

const lab = () => page.locator(`#lab-${LAB}`);
const outcome = () => lab().locator(".gfe-outcome");
const status = () => lab().locator(".gfe-status").textContent();
/** A control by its id (its label's text grows with the message inside it). */
const field = (name: "url" | "host" | "sourceIp" | "seed" | "urlMap" | "kind" | "health-0") => page.locator(`#${LAB}-${name}`);
/** The visible text an element's aria-describedby points at. */
async function describedText(locator: ReturnType<typeof page.locator>): Promise<string> {
  const ids = (await locator.getAttribute("aria-describedby")) ?? "";
  expect(ids, "no aria-describedby").not.toBe("");
  const texts = await Promise.all(ids.split(/\s+/).map((id) => page.locator(`#${id}`).textContent()));
  return texts.join(" ");
}

describe("URL-map tester (desktop)", () => {
  useBrowser({ width: 1280, height: 900 }, (_, p) => (page = p));

  it("works by keyboard alone: visible focus, results announced in the live region, the decisions stepped", async () => {
    await page.goto(url(`${LESSON}#lab-${LAB}`));
    await hydrated(page);
    await expect(outcome().getAttribute("aria-live")).resolves.toBe("polite");
    await expect.poll(status).toMatch(/^200 OK from web-/);
    await field("url").focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("https://www.example.com/");
    // Tab to the Host header and send the request to a Host the URL map has no rule for.
    await page.keyboard.press("Tab");
    const ring = await page.evaluate(() => {
      const el = document.activeElement!;
      const s = getComputedStyle(el);
      return { id: el.id, visible: el.matches(":focus-visible"), style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(ring).toMatchObject({ id: `${LAB}-host`, visible: true });
    expect(ring.style).not.toBe("none");
    expect(ring.width).toBeGreaterThan(0);
    await page.keyboard.type("example.com");
    await expect.poll(() => outcome().textContent()).toMatch(/404 Not Found from .*default backend/);
    // The decisions: arrow keys on the stepper's buttons, and the position is announced.
    const position = lab().locator(".stepper .position");
    await expect(position.getAttribute("aria-live")).resolves.toBe("polite");
    await lab().getByRole("button", { name: "Next" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => position.textContent()).toMatch(/^Decision 2 of \d+/);
    await page.keyboard.press("End");
    const last = await position.textContent();
    expect(last).toMatch(/^Decision (\d+) of \1/);
    // In the list itself, the arrow keys move the current decision and focus follows it.
    await lab().locator('.gfe-step-list [aria-current="step"]').focus();
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => position.textContent()).not.toBe(last);
    await expect(page.evaluate(() => document.activeElement?.getAttribute("aria-current"))).resolves.toBe("step");
    // A select, by keyboard: instance groups put a node's NodePort in the hops.
    await field("host").fill("");
    await field("kind").focus();
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => outcome().textContent()).toMatch(/200 OK/);
    await expect.poll(() => lab().locator(".gfe-hops").textContent()).toMatch(/30080/);
  });

  it("shows a bad YAML's line at its field, and a bad address at its own, while the rest keeps working", async () => {
    await page.goto(url(`${LESSON}#lab-${LAB}`));
    await hydrated(page);
    await lab().locator("summary", { hasText: "Edit the URL map" }).focus();
    await page.keyboard.press("Enter");
    const yaml = field("urlMap");
    await yaml.fill("defaultService: web\nhostRules: [\n");
    await expect.poll(() => yaml.getAttribute("aria-invalid"), { timeout: 20_000 }).toBe("true");
    await expect.poll(() => describedText(yaml)).toMatch(/line \d/);
    await expect(outcome().textContent()).resolves.toContain("Earlier result");
    const ip = field("sourceIp");
    await ip.fill("203.0.113.999");
    await expect.poll(() => ip.getAttribute("aria-invalid")).toBe("true");
    await expect(describedText(ip)).resolves.toMatch(/not an IPv4 or IPv6 address/);
    // The other controls still answer: fix both and the new request's result comes.
    await field("host").fill("example.com");
    await ip.fill("203.0.113.9");
    await expect.poll(() => ip.getAttribute("aria-invalid")).toBeNull();
    await yaml.fill(EXAMPLE_URL_MAP_YAML);
    await expect.poll(() => yaml.getAttribute("aria-invalid")).toBeNull();
    await expect.poll(status).toMatch(/^404 Not Found/);
    await expect(outcome().textContent()).resolves.not.toContain("Earlier result");
  });

  it("writes a permalink after changes, edited YAML included, that reopens the tester as it was", async () => {
    await page.goto(url(`${LESSON}#lab-${LAB}`));
    await hydrated(page);
    await field("url").fill("https://www.example.com/v2/cart");
    await field("kind").selectOption("instance-group");
    await field("health-0").selectOption("DRAINING");
    await field("seed").fill("4");
    await lab().locator("summary", { hasText: "Edit the URL map" }).click();
    const yaml = field("urlMap");
    await yaml.fill((await yaml.inputValue()).replace("/api/*", "/v2/*"));
    await expect.poll(() => page.evaluate(() => location.search), { timeout: 20_000 }).toContain(`${LAB}.map=1.`);
    await lab().getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.evaluate(() => location.search)).toContain(`${LAB}.step=2`);
    const search = await page.evaluate(() => location.search);
    for (const key of ["url", "kind", "health", "seed", "map", "step"]) expect(search).toContain(`${LAB}.${key}=`);
    const before = { status: await status(), steps: await lab().locator(".gfe-step-list li").allTextContents(), position: await lab().locator(".stepper .position").textContent() };
    expect(before.status).toMatch(/^200 OK/);

    // A fresh load, not a jump to an anchor of the page already open.
    await page.goto("about:blank");
    await page.goto(url(`${LESSON}${search}#lab-${LAB}`));
    await hydrated(page);
    await expect.poll(() => lab().locator(".gfe-step-list li").allTextContents(), { timeout: 20_000 }).toEqual(before.steps);
    await expect(status()).resolves.toBe(before.status);
    await expect(lab().locator(".stepper .position").textContent()).resolves.toBe(before.position);
    await expect(field("url").inputValue()).resolves.toBe("https://www.example.com/v2/cart");
    await expect(field("kind").inputValue()).resolves.toBe("instance-group");
    await expect(lab().locator("details.gfe-yaml").first().getAttribute("open")).resolves.not.toBeNull();
    await expect(field("urlMap").inputValue()).resolves.toContain("/v2/*");
  });

  it("opens a question's 'open in the lab' link on that variant", async () => {
    const template = GFE_TEMPLATES.find((t) => t.id === "armor-deciding-rule")!;
    const v = template.variant(3) as AnyVariant;
    const key = v.kind === "numeric" ? v.key.value : NaN;
    await page.goto(url(labHref(v.lab!)));
    await hydrated(page);
    await expect.poll(() => outcome().textContent(), { timeout: 20_000 }).toMatch(new RegExp(`This request: priority ${key === 2147483647 ? "2147483647" : key}\\b`));
    await expect(lab().locator("[aria-invalid=true]").count()).resolves.toBe(0);
  });

  it("explains a permalink's bad values at their controls and keeps working", async () => {
    const bad = new URLSearchParams({
      [`${LAB}.kind`]: "anycast",
      [`${LAB}.health`]: "HEALTHY,SICK",
      [`${LAB}.map`]: "1.not-a-link",
      [`${LAB}.ip`]: "300.1.1.1",
      [`${LAB}.seed`]: "-2",
      [`${LAB}.step`]: "99",
    });
    await page.goto(url(`${LESSON}?${bad}#lab-${LAB}`));
    await hydrated(page);
    const kind = field("kind");
    await expect.poll(() => kind.getAttribute("aria-invalid"), { timeout: 20_000 }).toBe("true");
    await expect(describedText(kind)).resolves.toContain('"anycast" is not one of neg or instance-group');
    await expect(describedText(field("health-0"))).resolves.toContain('"HEALTHY,SICK"');
    const yaml = field("urlMap");
    await expect(yaml.isVisible()).resolves.toBe(true);
    await expect(describedText(yaml)).resolves.toMatch(/URL map could not be read .*the example is shown/);
    const ip = field("sourceIp");
    await expect(ip.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(describedText(ip)).resolves.toMatch(/not an IPv4 or IPv6 address/);
    await expect(describedText(field("seed"))).resolves.toMatch(/whole number/);
    await expect(describedText(lab().locator(".stepper"))).resolves.toContain('"99" is not one of decisions');
    // Still working: fix the address and the seed, and the example's request is answered again.
    await ip.fill("203.0.113.7");
    await field("seed").fill("0");
    await expect.poll(status).toMatch(/^200 OK/);
    await kind.selectOption("neg");
    await expect.poll(() => kind.getAttribute("aria-invalid")).toBeNull();
  });

  it("passes axe, with a permalink's messages showing too", async () => {
    await page.goto(url(`${LESSON}?${LAB}.kind=x&${LAB}.ip=1.2.3&${LAB}.step=0#lab-${LAB}`));
    await hydrated(page);
    await expect.poll(() => lab().locator("[role=alert]").count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("URL-map tester (phone)", () => {
  useBrowser({ width: 390, height: 844 }, (_, p) => (page = p));

  it("fits a 390 px screen without horizontal scrolling, YAML open and messages shown", async () => {
    await page.goto(url(`${LESSON}?${LAB}.map=1.broken&${LAB}.policy=2.x&${LAB}.url=${encodeURIComponent(`https://www.example.com/${"a".repeat(300)}`)}&${LAB}.host=${"h".repeat(200)}#lab-${LAB}`));
    await hydrated(page);
    await expect.poll(() => lab().locator("[role=alert]").count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    for (const d of await lab().locator("details").all()) await d.evaluate((el) => ((el as HTMLDetailsElement).open = true));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
