import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DECOY_PREFIX } from "../../src/quiz/trace-decoys";
import { gradeTraceKey, keyAnswer, questionTrace, questionView, type HopAnswer, type QuestionView } from "../../src/quiz/trace-the-request";
import { axeViolations, hydrated, url, useBrowser, watchErrors } from "./browser";

/**
 * "Trace the request" in Chromium, on the lesson and the practice page: full marks for the computed
 * answer, a verdict with a reason and a lab link on every row, settings chips that say what changed,
 * no internal id on screen, the keyboard alone, a phone's width, axe.
 */

const LESSON = "/lessons/life-of-a-packet/";
/** The lesson embeds the question with its "New variant" button; the practice page now runs every question of the bank (practice.test.ts). */
const PRACTICE = "/lessons/life-of-a-packet/";
let browser: Browser;
let page: Page;

useBrowser({ width: 1366, height: 900 }, (b, p) => ((browser = b), (page = p)));

const question = () => page.locator("section.question");
const rows = () => question().locator("ol.answer > li");

async function open(path: string, target: Page = page): Promise<void> {
  await target.goto(url(path));
  await hydrated(target);
}

/** Builds an answer with the mouse: adds each device, then ticks its marks, then checks it. */
async function answer(view: QuestionView, hops: readonly HopAnswer[]): Promise<void> {
  const q = question();
  const nameOf = (id: string) => view.options.find((o) => o.id === id)!.name;
  for (const hop of hops) await q.getByRole("button", { name: `Add ${nameOf(hop.device)}`, exact: true }).click();
  for (const [i, hop] of hops.entries()) {
    if (hop.tls) await rows().nth(i).getByLabel("TLS ends here").check();
    if (hop.anycast) await rows().nth(i).getByLabel("Anycast decides here").check();
  }
  await q.getByRole("button", { name: "Check answer" }).click();
  // The grader is fetched at the first check: wait for its verdict.
  await q.locator("[aria-live] > .result, [aria-live] > .message").first().waitFor();
}

/** Ids a learner must never read: the trace's dashed device and site ids, decoy ids, step ids. */
function internalIdPattern(views: readonly QuestionView[]): RegExp {
  const ids = new Set<string>();
  for (const v of views) {
    for (const h of questionTrace(v).hops) for (const id of [h.device.id, h.device.location]) if (id.includes("-")) ids.add(id);
  }
  return new RegExp(`(?<![\\w-])(?:${[...ids].join("|")})(?![\\w-])|${DECOY_PREFIX}|\\b(?:request|response):[a-z]`);
}

/** Asks for the next variant and waits until it is shown (the first time, the simulator is fetched). */
async function nextVariant(seed: number): Promise<void> {
  await question().getByRole("button", { name: "New variant" }).click();
  await question().locator("h3", { hasText: `(variant ${seed})` }).waitFor();
}

const noHorizontalScroll = (target: Page) => target.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe("grading", () => {
  it("gives the computed answer full marks on the lesson, every row marked right", async () => {
    const view = questionView(0);
    await open(LESSON);
    await answer(view, keyAnswer(view.key).hops);
    await expect(question().locator(".score").textContent()).resolves.toBe("Score: 100%");
    const labels = await rows().locator(".verdict-label").allTextContents();
    expect(labels).toEqual(view.key.hops.map(() => "✓ Right."));
    await expect(rows().nth(7).locator(".verdict").textContent()).resolves.toContain(view.key.hops[7]!.role);
  });

  it("marks every row of a wrong answer with its reason and a link into the lab at that hop", async () => {
    const view = questionView(0);
    const key = keyAnswer(view.key).hops;
    // A decoy in the middle, a swapped pair, a forgotten hop and a wrong mark.
    const given: HopAnswer[] = [key[0]!, key[1]!, key[3]!, key[2]!, key[4]!, key[5]!, { device: `${DECOY_PREFIX}lb-appliance`, tls: false, anycast: false }, key[6]!, { ...key[7]!, tls: false }, key[9]!, key[10]!];
    const expected = gradeTraceKey({ hops: given }, view.key);
    if (expected.type !== "graded") throw new Error("expected a graded answer");
    await open(PRACTICE);
    await answer(view, given);

    const shown = await rows().evaluateAll((items) =>
      items.map((li) => ({
        label: li.querySelector(".verdict-label")?.textContent ?? "",
        text: li.querySelector(".verdict")?.textContent ?? "",
        href: li.querySelector(".verdict a")?.getAttribute("href") ?? "",
      })),
    );
    expect(shown).toHaveLength(given.length);
    shown.forEach((row, i) => {
      const verdict = expected.rows[i]!;
      expect(row.label).toMatch(verdict.correct ? /^✓ Right/ : /^✗ Wrong: /);
      expect(row.text).toContain(verdict.reason);
      expect(decodeURIComponent(row.href)).toContain(`journey.step=${verdict.step}`);
    });
    expect(shown.filter((r) => r.label.startsWith("✗")).map((r) => r.label)).toEqual([
      "✗ Wrong: out of order.", "✗ Wrong: not on this path.", "✗ Wrong: TLS mark.",
    ]);
    await expect(question().locator(".missing li").allTextContents()).resolves.toEqual([
      expect.stringContaining(`Missing hop 9: ${view.key.hops[8]!.name}.`),
    ]);

    // The decoy's link leads to the hop that shows what happens instead, in the journey lab.
    await rows().nth(6).locator(".verdict a").click();
    await page.waitForURL((u) => u.pathname === LESSON && u.searchParams.get("journey.step") === expected.rows[6]!.step && u.hash === "#lab-journey");
    await expect(page.locator("#lab-journey").count()).resolves.toBe(1);
  });

  it("treats an empty answer as not answered yet", async () => {
    await open(PRACTICE);
    await question().getByRole("button", { name: "Check answer" }).click();
    await expect(question().locator(".message").textContent()).resolves.toContain("Add the hops");
    await expect(question().locator(".score").count()).resolves.toBe(0);
  });
});

describe("variants", () => {
  it("shows the settings as chips and marks what changed since the previous variant", async () => {
    const [first, second, third] = [questionView(0), questionView(1), questionView(2)];
    await open(PRACTICE);
    const chips = () => question().locator(".chips li");
    await expect(chips().allTextContents()).resolves.toEqual(first.settings.map((s) => `${s.label} ${s.valueLabel}`));
    await expect(question().locator(".chip.changed").count()).resolves.toBe(0);

    for (const [before, after] of [[first, second], [second, third]] as const) {
      await nextVariant(after.seed);
      const was = new Map(before.settings.map((s) => [s.key, s]));
      const expected = after.settings.map((s) => {
        const old = was.get(s.key);
        return old?.value === s.value ? `${s.label} ${s.valueLabel}` : `${s.label} ${s.valueLabel}${old ? `changed (was ${old.valueLabel})` : "changed"}`;
      });
      await expect(chips().allTextContents()).resolves.toEqual(expected);
      expect(await question().locator(".chip.changed").count()).toBeGreaterThan(0);
      await expect(question().locator(".prompt").textContent()).resolves.toBe(after.prompt);
    }
  });

  it("fetches the simulator only when another variant is asked for", async () => {
    const fetched: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") fetched.push(new URL(r.url()).pathname);
    });
    await open(PRACTICE);
    await page.waitForLoadState("networkidle");
    expect(fetched.some((f) => f.includes("question-runtime"))).toBe(false);
    await answer(questionView(0), keyAnswer(questionView(0).key).hops.slice(0, 3));
    expect(fetched.some((f) => f.includes("question-runtime"))).toBe(false);
    await nextVariant(1);
    expect(fetched.some((f) => f.includes("question-runtime"))).toBe(true);
  });

  it("never shows an internal id, in any variant or its feedback", async () => {
    const views = Array.from({ length: 13 }, (_, seed) => questionView(seed));
    const pattern = internalIdPattern(views);
    await open(PRACTICE);
    for (const view of views) {
      if (view.seed > 0) await nextVariant(view.seed);
      // A wrong answer from the far end of the list, so the feedback covers devices off the path.
      const wrong = view.options.slice(-4).map((o) => ({ device: o.id, tls: true, anycast: false }));
      await answer(view, wrong);
      await question().getByRole("button", { name: "Show the computed answer" }).click();
      const text = await question().evaluate((el) => (el as HTMLElement).innerText);
      expect(text, `variant ${view.seed}`).not.toMatch(pattern);
      expect(await rows().locator(".verdict").count()).toBe(4);
      await question().getByRole("button", { name: "Clear" }).click();
    }
  });
});

describe("keyboard", () => {
  it("answers with the keyboard alone: one tab stop per list, arrows within it", async () => {
    const view = questionView(0);
    const key = keyAnswer(view.key).hops;
    await open(PRACTICE);
    const q = question();
    await q.locator("h3").focus();
    await page.keyboard.press("Tab");
    const active = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { text: el?.textContent ?? "", list: el?.closest("ul, ol")?.className ?? "", cell: el?.dataset.cell ?? "" };
    });
    expect((await active()).list).toBe("pool");

    for (const hop of key) {
      // Walk the pool with the arrow keys to the device, then add it.
      const name = view.options.find((o) => o.id === hop.device)!.name;
      const pool = await q.locator("ul.pool button").allTextContents();
      const target = pool.findIndex((t) => t.endsWith(name));
      const current = Number((await active()).cell.split(" ")[0]);
      const keyName = target > current ? "ArrowDown" : "ArrowUp";
      for (let i = 0; i < Math.abs(target - current); i++) await page.keyboard.press(keyName);
      expect((await active()).text).toContain(name);
      await page.keyboard.press("Enter");
    }
    await expect(q.locator("ol.answer .name").allTextContents()).resolves.toEqual(key.map((h) => view.options.find((o) => o.id === h.device)!.name));
    await expect(q.locator("ul.pool [tabindex='0']").count()).resolves.toBe(1);
    await expect(q.locator("ol.answer [tabindex='0']").count()).resolves.toBe(1);

    // One Tab from the pool lands in the answer; the arrows reach every row's marks.
    await page.keyboard.press("Tab");
    expect((await active()).list).toBe("answer");
    expect((await active()).cell).toBe("0 0");
    for (const [i, hop] of key.entries()) {
      if (i > 0) await page.keyboard.press("ArrowDown");
      if (hop.tls) await page.keyboard.press("Space");
      if (hop.anycast) {
        await page.keyboard.press("ArrowRight");
        await page.keyboard.press("Space");
        await page.keyboard.press("ArrowLeft");
      }
    }
    // The focus ring is not the accent that marks a checked box.
    const colours = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { outline: getComputedStyle(el).outlineColor, accent: getComputedStyle(el).accentColor };
    });
    expect(colours.outline).not.toBe(colours.accent);

    // Moving a hop keeps focus on the button pressed, in the hop's new row: up, then back down.
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    expect((await active()).text).toContain("Up");
    await page.keyboard.press("Enter");
    expect((await active()).cell).toBe(`${key.length - 2} 2`);
    await page.keyboard.press("ArrowRight");
    expect((await active()).text).toContain("Down");
    await page.keyboard.press("Enter");
    expect((await active()).cell).toBe(`${key.length - 1} 3`);

    await page.keyboard.press("Tab");
    expect((await active()).text).toBe("Check answer");
    await page.keyboard.press("Enter");
    await expect(q.locator(".score").textContent()).resolves.toBe("Score: 100%");
  });
});

describe("layout and accessibility", () => {
  it("fits a 390 px phone without horizontal scrolling, graded and in dark mode", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const phoneErrors = watchErrors(phone);
    for (const path of [PRACTICE, LESSON]) {
      await open(path, phone);
      const view = questionView(0);
      const q = phone.locator("section.question");
      const nameOf = (id: string) => view.options.find((o) => o.id === id)!.name;
      for (const o of [...view.options].reverse().slice(0, 5)) await q.getByRole("button", { name: `Add ${nameOf(o.id)}`, exact: true }).click();
      await q.getByRole("button", { name: "Check answer" }).click();
      await q.getByRole("button", { name: "Show the computed answer" }).click();
      expect(await noHorizontalScroll(phone), path).toBeLessThanOrEqual(0);
      const box = await q.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      // The lesson's own labs are checked by the course's tests; the practice page is the question alone.
      if (path === PRACTICE) expect(await axeViolations(phone)).toEqual([]);
    }
    await phone.close();
    expect(phoneErrors).toEqual([]);
  });

  it("has no axe violations: fresh, graded wrong, with the answer shown, after a new variant", async () => {
    const view = questionView(0);
    await open(PRACTICE);
    expect(await axeViolations(page)).toEqual([]);
    const key = keyAnswer(view.key).hops;
    await answer(view, [key[1]!, key[0]!, { device: `${DECOY_PREFIX}cloud-nat`, tls: true, anycast: true }]);
    await question().getByRole("button", { name: "Show the computed answer" }).click();
    expect(await axeViolations(page)).toEqual([]);
    await nextVariant(1);
    await expect(question().locator(".chip.changed").count()).resolves.toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("saved progress", () => {
  it("remembers attempts across a reload", async () => {
    const view = questionView(0);
    await open(PRACTICE);
    await answer(view, keyAnswer(view.key).hops);
    await page.reload();
    await hydrated(page);
    await expect(question().locator("p.meta", { hasText: "Attempts saved" }).textContent()).resolves.toBe("Attempts saved in this browser: 1; best 100%.");
  });

  it("survives corrupted saved progress, keeping the old record aside", async () => {
    const view = questionView(0);
    await open(PRACTICE);
    await page.evaluate(() => localStorage.setItem("packet-lab:progress", "{broken"));
    await page.reload();
    await hydrated(page);
    await expect(question().getByRole("alert").first().textContent()).resolves.toContain("not valid JSON");
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys.some((k) => k.startsWith("packet-lab:progress:unreadable:"))).toBe(true);
    await answer(view, keyAnswer(view.key).hops.slice(0, 2));
    await expect(question().locator(".score").isVisible()).resolves.toBe(true);
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem("packet-lab:progress")!));
    expect(saved.questions["trace-the-request"].attempts).toHaveLength(1);
  });
});

