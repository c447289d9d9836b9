import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerKey, makeQuestion, questionTrace } from "../../src/quiz/trace-the-request";
import { axeViolations, hydrated, launch, url, watchErrors } from "./browser";

const LESSON = "/lessons/life-of-a-packet/";
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  errors = watchErrors(page);
});
afterEach(async () => {
  await page.close();
  expect(errors).toEqual([]);
});

const journey = () => page.locator("#lab-journey");
const inspectorHeading = () => journey().locator(".inspector h4");

describe("course home", () => {
  it("lists the lesson and leads to it", async () => {
    await page.goto(url("/"));
    await page.getByRole("link", { name: "The life of a packet" }).click();
    await page.waitForURL(/\/lessons\/life-of-a-packet\/$/);
    await expect(page.locator("h1").textContent()).resolves.toBe("The life of a packet");
  });

  it("ships no JavaScript islands on a page without labs", async () => {
    await page.goto(url("/"));
    expect(await page.locator("astro-island").count()).toBe(0);
  });
});

describe("the journey lab", () => {
  it("steps through the journey with the keyboard and the inspector follows", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await expect(inspectorHeading().textContent()).resolves.toBe("1. Browser (Paris)");
    await journey().locator('.hop-list button[aria-current="step"]').focus();
    await page.keyboard.press("ArrowRight");
    await expect(inspectorHeading().textContent()).resolves.toBe("2. ISP and transit routers (Paris)");
    await page.keyboard.press("ArrowRight");
    await expect(inspectorHeading().textContent()).resolves.toMatch(/^3\. Unimog on par-server-\d \(Paris\)$/);
    await page.keyboard.press("ArrowRight");
    await expect(inspectorHeading().textContent()).resolves.toBe("4. Cloudflare edge (Paris PoP)");
    // Focus follows the current hop, so the keys keep working.
    await expect(page.evaluate(() => document.activeElement?.getAttribute("aria-current"))).resolves.toBe("step");
    // The Cloudflare edge is a proxy: addresses, ports and the TLS session all change.
    const changed = await journey().locator(".diff tr.changed td:first-child").allTextContents();
    expect(changed).toEqual(expect.arrayContaining(["ipv4", "tcp", "tls"]));
    await expect(journey().locator(".inspector").textContent()).resolves.toContain("TLS termination #1");
    await page.keyboard.press("End");
    await expect(inspectorHeading().textContent()).resolves.toBe("20. Browser (Paris)");
    // The list scrolls to keep the current hop in sight.
    const inView = await journey().locator('.hop-list button[aria-current="step"]').evaluate((button) => {
      const list = button.closest(".hop-list")!.getBoundingClientRect();
      const box = button.getBoundingClientRect();
      return box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
    });
    expect(inView).toBe(true);
    await page.keyboard.press("Home");
    await expect(inspectorHeading().textContent()).resolves.toBe("1. Browser (Paris)");
    // The leg buttons jump.
    await journey().getByRole("button", { name: "Leg 3", exact: true }).click();
    await expect(inspectorHeading().textContent()).resolves.toMatch(/^6\. Google edge router/);
  });

  it("recomputes the trace when a setting changes and keeps it in the URL", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    await journey().getByLabel("Cloudflare proxy").selectOption("off");
    await expect(journey().locator(".hop-list li").count()).resolves.toBe(15);
    await journey().getByLabel("User's city").selectOption("tokyo");
    await journey().getByRole("button", { name: "Leg 4", exact: true }).click();
    await expect(inspectorHeading().textContent()).resolves.toMatch(/^6\. Google backbone/);
    expect(page.url()).toContain("journey.cloudflare=off");
    expect(page.url()).toContain("journey.city=tokyo");
    expect(page.url()).toContain("journey.step=6");

    // The permalink reopens the lab exactly.
    const link = page.url();
    const other = await browser.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(link);
    await hydrated(other);
    await expect(other.locator("#lab-journey .inspector h4").textContent()).resolves.toMatch(/^6\. Google backbone/);
    await expect(other.locator("#lab-journey").getByLabel("User's city").inputValue()).resolves.toBe("tokyo");
    await expect(other.locator("#lab-journey .hop-list li").count()).resolves.toBe(15);
    await other.close();
    expect(otherErrors).toEqual([]);
  });

  it("explains a broken permalink and keeps working", async () => {
    await page.goto(url(`${LESSON}?journey.city=atlantis&journey.step=4#lab-journey`));
    await hydrated(page);
    await expect(journey().getByRole("alert").textContent()).resolves.toContain("city must be one of");
    await expect(journey().getByLabel("User's city").inputValue()).resolves.toBe("paris");
    await expect(inspectorHeading().textContent()).resolves.toMatch(/^4\. Cloudflare edge/);
    await journey().getByRole("button", { name: "Next" }).click();
    await expect(inspectorHeading().textContent()).resolves.toMatch(/^5\. Cloudflare border router/);
  });

  it("takes a typed Host, explains a bad one beside the field and keeps the last good trace", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const host = journey().getByLabel("Host");
    await host.fill("shop_1.example.com");
    await host.press("Enter");
    await expect(host.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(journey().getByRole("alert").textContent()).resolves.toContain('label 1 ("shop_1") has "_"');
    await expect(journey().locator(".hop-list li").count()).resolves.toBe(20);
    await host.fill("a.b.example.com");
    await host.press("Enter");
    // No edge certificate covers two labels under a one-label wildcard: the request ends at Cloudflare's edge.
    await expect(journey().locator(".hop-list li").count()).resolves.toBe(6);
    expect(page.url()).toContain("journey.host=a.b.example.com");
  });

  it("opens an old permalink that set the cache to hit", async () => {
    await page.goto(url(`${LESSON}?leg-1.cache=hit#lab-leg-1`));
    await hydrated(page);
    await expect(page.locator("#lab-leg-1").getByRole("alert").count()).resolves.toBe(0);
    // The cache-state control (titled by its description; "Cloudflare Cache Rule" shares its label's first words).
    await expect(page.locator('#lab-leg-1 label[title^="What this Cloudflare site holds"] select').inputValue()).resolves.toBe("hit");
    // Without a Cache Rule the old "hit" no longer ends the trace at the edge: the page is DYNAMIC.
    await expect(page.locator("#lab-leg-1 .inspector").textContent()).resolves.toContain("Browser");
  });

  it("plays through the hops and pauses", async () => {
    await page.goto(url(`${LESSON}#lab-journey`));
    await hydrated(page);
    await journey().getByRole("button", { name: "▶ Play" }).click();
    await page.waitForFunction(() => document.querySelector("#lab-journey .inspector h4")?.textContent?.startsWith("2."), undefined, { timeout: 5000 });
    await journey().getByRole("button", { name: "❚❚ Pause" }).click();
    const paused = await inspectorHeading().textContent();
    await page.waitForTimeout(1500);
    await expect(inspectorHeading().textContent()).resolves.toBe(paused);
  });

  it("shows a leg that the settings remove as absent, not broken", async () => {
    await page.goto(url(`${LESSON}?leg-2.cloudflare=off#lab-leg-2`));
    await hydrated(page);
    await expect(page.locator("#lab-leg-2 .empty-leg").textContent()).resolves.toContain("no middle mile");
  });
});

describe("the lesson's computed tables", () => {
  it("counts the load-balancing decisions from the trace", async () => {
    await page.goto(url(LESSON));
    await expect(page.locator('[data-testid="lb-count"]').textContent()).resolves.toMatch(/load-balanced\s+5\s+times:\s+2 by routers/);
  });
});

describe("pod range explorer", () => {
  it("shows a bad address's error beside the field and recovers when it is fixed", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const explorer = page.locator("section.lab", { has: page.getByRole("heading", { name: "Pod range explorer" }) });
    await expect(explorer.textContent()).resolves.toContain("node range #2, 10.4.1.0/24");
    const address = explorer.getByLabel("Address to place");
    await address.fill("10.4.1.300");
    await expect(address.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await address.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toBe("10.4.1.300: octet 4 is above 255");
    await explorer.getByLabel("Cluster Pod range (CIDR)").fill("10.4.1.0/14");
    await expect(explorer.textContent()).resolves.toContain("host bits are set; the block is 10.4.0.0/14");
    await explorer.getByLabel("Cluster Pod range (CIDR)").fill("10.4.0.0/14");
    await address.fill("10.4.3.9");
    await expect(address.getAttribute("aria-invalid")).resolves.toBeNull();
    await expect(explorer.textContent()).resolves.toContain("10.4.3.0/24");
  });
});

describe("question 1", () => {
  const question = makeQuestion(0);
  const key = answerKey(questionTrace(question));
  const nameOf = (id: string) => question.options.find((o) => o.id === id)!.name;

  async function answer(order: typeof key.hops) {
    const q = page.locator("section.question");
    for (const hop of order) await q.getByRole("button", { name: `Add ${nameOf(hop.device)}`, exact: true }).click();
    const rows = q.locator("ol.answer > li");
    for (const [i, hop] of order.entries()) {
      if (hop.tls) await rows.nth(i).getByLabel("TLS ends here").check();
      if (hop.anycast) await rows.nth(i).getByLabel("anycast decides here").check();
    }
    await q.getByRole("button", { name: "Check answer" }).click();
    return q;
  }

  it("gives full marks to the computed answer", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const q = await answer(key.hops);
    await expect(q.locator(".score").textContent()).resolves.toBe("Score: 100%");
  });

  it("names the first departure and links to that hop in the lab", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const swapped = [...key.hops];
    [swapped[6], swapped[7]] = [swapped[7]!, swapped[6]!];
    const q = await answer(swapped);
    const score = await q.locator(".score").textContent();
    expect(Number(score!.match(/(\d+)%/)![1])).toBeLessThan(100);
    await expect(q.locator(".departure").textContent()).resolves.toContain("Hop 7: the trace has Maglev");
    await q.getByRole("link", { name: "See that hop in the lab" }).click();
    await page.waitForURL(/journey\.step=7/);
    await hydrated(page);
    await expect(inspectorHeading().textContent()).resolves.toMatch(/^7\. Maglev/);
  });

  it("moves answers with the keyboard and treats an empty answer as unanswered", async () => {
    await page.goto(url("/practice/"));
    await hydrated(page);
    const q = page.locator("section.question");
    await q.getByRole("button", { name: "Check answer" }).click();
    await expect(q.locator(".message").textContent()).resolves.toContain("Add the hops");
    await q.getByRole("button", { name: `Add ${nameOf("isp-router")}`, exact: true }).click();
    await q.getByRole("button", { name: `Add ${nameOf("browser")}`, exact: true }).click();
    await q.getByRole("button", { name: `Move ${nameOf("browser")} up` }).focus();
    await page.keyboard.press("Enter");
    await expect(q.locator("ol.answer .name").allTextContents()).resolves.toEqual([nameOf("browser"), nameOf("isp-router")]);
  });

  it("offers new variants whose answers differ", async () => {
    await page.goto(url("/practice/"));
    await hydrated(page);
    const q = page.locator("section.question");
    const first = await q.locator("p").first().textContent();
    await q.getByRole("button", { name: "New variant" }).click();
    await expect(q.locator("h3").textContent()).resolves.toContain("variant 1");
    expect(await q.locator("p").first().textContent()).not.toBe(first);
  });

  it("survives corrupted saved progress, keeping the old record aside", async () => {
    await page.goto(url("/practice/"));
    await page.evaluate(() => localStorage.setItem("packet-lab:progress", "{broken"));
    await page.reload();
    await hydrated(page);
    const q = page.locator("section.question");
    await expect(q.getByRole("alert").first().textContent()).resolves.toContain("not valid JSON");
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys.some((k) => k.startsWith("packet-lab:progress:unreadable:"))).toBe(true);
    await q.getByRole("button", { name: `Add ${nameOf("browser")}`, exact: true }).click();
    await q.getByRole("button", { name: `Add ${nameOf("isp-router")}`, exact: true }).click();
    await q.getByRole("button", { name: "Check answer" }).click();
    await expect(q.locator(".score").isVisible()).resolves.toBe(true);
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem("packet-lab:progress")!));
    expect(saved.questions["trace-the-request"].attempts).toHaveLength(1);
  });
});

describe("site shell", () => {
  it("switches between light and dark and remembers the choice", async () => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(url("/"));
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByRole("button", { name: "Toggle dark mode" }).click();
    await expect(page.getByRole("button", { name: "Toggle dark mode" }).getAttribute("aria-pressed")).resolves.toBe("true");
    const dark = await background();
    expect(dark).not.toBe(light);
    await page.reload();
    await expect(background()).resolves.toBe(dark);
  });
});

describe("search", () => {
  it("finds Maglev and lands on the lesson", async () => {
    await page.goto(url("/"));
    const input = page.getByRole("searchbox", { name: "Search the course" });
    await input.fill("Maglev");
    const result = page.locator("site-search .results a").first();
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain("The life of a packet");
    await result.click();
    await page.waitForURL(/\/lessons\/life-of-a-packet\//);
  });
});

describe("accessibility (axe-core)", () => {
  it.each(["/", LESSON, "/practice/"])("%s has no violations", async (path) => {
    await page.goto(url(path));
    await hydrated(page);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the lesson has no violations in dark mode, mid-journey, on a phone", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    await phone.goto(url(`${LESSON}?journey.step=6`));
    await hydrated(phone);
    expect(await axeViolations(phone)).toEqual([]);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.close();
  });
});
