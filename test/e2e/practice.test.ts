import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { findTemplate, makeVariant, TEMPLATES } from "../../src/quiz/bank/index";
import { gradeAnswer } from "../../src/quiz/engine/grade";
import type { AnswerOf, AnyVariant, QuestionKind } from "../../src/quiz/engine/types";
import { EMPTY_PROGRESS, PROGRESS_KEY } from "../../src/quiz/progress";
import { recordReview } from "../../src/quiz/srs";
import { axeViolations, hydrated, url, useBrowser, watchErrors } from "./browser";

/**
 * The practice page in Chromium: every kind of question answered through its widget and graded with
 * full marks, right and wrong answers with the keyboard alone, the first-departure link into the lab,
 * progress across a reload, export → clear → import, a file that is not ours, a corrupted record kept
 * aside, the due count on the course home, a mock interview to its summary, shared variant links, and
 * axe at a phone's and a laptop's width in both themes.
 */

const PRACTICE = "/practice/";
let browser: Browser;
let page: Page;
useBrowser({ width: 1366, height: 900 }, (b, p) => ((browser = b), (page = p)));

const card = (target: Page = page) => target.locator("article.practice-card");

function variantOf(template: string, seed: number): AnyVariant {
  const found = findTemplate(template);
  if (!found) throw new Error(`no template ${template}`);
  return makeVariant(found, seed);
}

/** The first template of one of these kinds, for tests that need a particular widget. */
function templateOfKind(...kinds: QuestionKind[]): string {
  const found = TEMPLATES.find((t) => kinds.includes(t.kind));
  if (!found) throw new Error(`the bank has no ${kinds.join(" or ")} question`);
  return found.id;
}

async function openVariant(template: string, seed: number, target: Page = page): Promise<void> {
  await target.goto(url(`${PRACTICE}?q=${encodeURIComponent(template)}&seed=${seed}`));
  await hydrated(target);
  // The bank is fetched when the question opens.
  await card(target).waitFor();
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The choice (radio or checkbox) whose label is exactly `text`. */
const choice = (text: string, target: Page = page) =>
  card(target).locator("label.choice").filter({ has: target.locator("span", { hasText: new RegExp(`^${escape(text)}$`) }) }).locator("input");
const textOf = (choices: readonly { id: string; text: string }[], id: string) => choices.find((c) => c.id === id)!.text;

/** Puts `answer` into the card's widget with the pointer (the keyboard has its own tests). */
async function enter(variant: AnyVariant, answer: unknown): Promise<void> {
  const c = card();
  switch (variant.kind) {
    case "single-choice":
    case "diagnosis":
      await choice(textOf(variant.view.options, (answer as AnswerOf["single-choice"]).choice)).check();
      return;
    case "multiple-choice":
      for (const id of (answer as AnswerOf["multiple-choice"]).choices) await choice(textOf(variant.view.options, id)).check();
      return;
    case "ordering": {
      const wanted = (answer as AnswerOf["ordering"]).order.map((id) => textOf(variant.view.items, id));
      for (const item of variant.view.items) {
        if (!wanted.includes(item.text)) await c.getByRole("button", { name: new RegExp(`^Leave out\\s*: ${escape(item.text)}$`) }).click();
      }
      for (const [i, text] of wanted.entries()) {
        // Bubble the item up to position i.
        for (;;) {
          const shown = await c.locator(".order-list .item-text").allTextContents();
          const at = shown.indexOf(text);
          if (at <= i) break;
          await c.locator(".order-list > li").nth(at).getByRole("button", { name: /^Up\b/ }).click();
        }
      }
      return;
    }
    case "fill-in":
    case "predict-header":
      for (const f of variant.view.fields) await c.getByLabel(f.label, { exact: true }).fill((answer as AnswerOf["fill-in"]).fields[f.id] ?? "");
      return;
    case "numeric":
      await c.getByLabel(variant.view.label, { exact: true }).fill(String((answer as AnswerOf["numeric"]).value));
      return;
    case "trace-builder": {
      const hops = (answer as AnswerOf["trace-builder"]).hops;
      for (const hop of hops) await c.locator("ul.pool button", { hasText: new RegExp(`^\\+ Add ${escape(textOf(variant.view.options, hop.item))}$`) }).click();
      for (const [i, hop] of hops.entries()) {
        for (const mark of hop.marks) await c.locator("ol.answer > li").nth(i).locator("label.mark", { hasText: textOf(variant.view.marks, mark) }).locator("input").check();
      }
      return;
    }
    case "open": {
      const open = answer as AnswerOf["open"];
      await c.getByLabel("Your answer", { exact: true }).fill(open.text ?? "An answer in my own words.");
      await c.getByRole("button", { name: "Compare with the model answer" }).click();
      for (const id of open.checked) await choice(textOf(variant.view.checklist, id)).check();
      return;
    }
  }
}

/** Checks the entered answer (an open question is self-rated Good) and waits for the result. */
async function check(variant: AnyVariant): Promise<void> {
  if (variant.kind === "open") await card().getByRole("button", { name: /^Good/ }).click();
  else await card().getByRole("button", { name: "Check", exact: true }).click();
  await card().locator(".feedback .score, .feedback .message").first().waitFor();
}

const focused = (target: Page = page) =>
  target.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return { tag: el?.tagName.toLowerCase() ?? "", type: el?.type ?? "", text: el?.textContent?.trim() ?? "", label: el?.closest("label")?.textContent?.trim() ?? "" };
  });

/** Presses Tab until `done` holds for the focused element (at most 40 times). */
async function tabUntil(done: (f: Awaited<ReturnType<typeof focused>>) => boolean): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if (done(await focused())) return;
  }
  throw new Error(`Tab never reached the control; last focused ${JSON.stringify(await focused())}`);
}

describe("every kind of question", () => {
  it.each(TEMPLATES.map((t) => [t.id, t.kind] as const))("%s (%s): the computed key earns full marks through the widget", async (id) => {
    const variant = variantOf(id, 3);
    await openVariant(id, 3);
    await expect(card().locator(".prompt").textContent()).resolves.toBe(variant.prompt);
    await enter(variant, variant.key);
    await check(variant);
    await expect(card().locator(".score").textContent()).resolves.toBe("Score: 100%");
    await expect(card().locator(".all-right").count()).resolves.toBe(1);
  });
});

describe("the keyboard alone", () => {
  it("answers a choice question right: Tab to the options, arrows to the answer, Enter on Check", async () => {
    const id = templateOfKind("single-choice", "diagnosis");
    const variant = variantOf(id, 5);
    if (variant.kind !== "single-choice" && variant.kind !== "diagnosis") throw new Error("expected a choice question");
    await openVariant(id, 5);
    await card().locator("h3").focus();
    await tabUntil((f) => f.type === "radio");
    const target = variant.view.options.findIndex((o) => o.id === variant.key.choice);
    // Tabbing into a radio group focuses its first option without choosing it; arrows move and choose.
    if (target === 0) await page.keyboard.press("Space");
    for (let i = 0; i < target; i++) await page.keyboard.press("ArrowDown");
    expect((await focused()).label).toBe(variant.view.options[target]!.text);
    await tabUntil((f) => f.tag === "button" && f.text === "Check");
    await page.keyboard.press("Enter");
    await expect(card().locator(".score").textContent()).resolves.toBe("Score: 100%");
    // The result is in the polite live region.
    await expect(card().locator("[aria-live='polite'] .score").count()).resolves.toBe(1);
  });

  it("answers a numeric question wrong, says where it departs, and the link lands on that hop in the lab", async () => {
    const id = templateOfKind("numeric");
    const variant = variantOf(id, 2);
    if (variant.kind !== "numeric") throw new Error("expected a numeric question");
    const wrong = { value: String(Math.round(variant.rubric.value * 3 + 50)) };
    const expected = gradeAnswer(variant, wrong);
    if (expected.type !== "graded" || !expected.firstDeparture?.href) throw new Error("expected a graded answer with a departure into the lab");
    await openVariant(id, 2);

    // First something the grader cannot read: the message sits at the field.
    await card().locator("h3").focus();
    await tabUntil((f) => f.tag === "input");
    await page.keyboard.type("fast");
    await tabUntil((f) => f.tag === "button" && f.text === "Check");
    await page.keyboard.press("Enter");
    const field = card().getByLabel(variant.view.label, { exact: true });
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await field.getAttribute("aria-describedby"))!.split(" ");
    const messages = await Promise.all(describedBy.map((d) => page.locator(`#${d}`).textContent()));
    expect(messages.some((m) => m && m.length > 10 && m !== "ms")).toBe(true);
    await expect(card().locator(".score").count()).resolves.toBe(0);

    // Then a well-formed wrong number.
    await field.focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type(wrong.value);
    await expect(field.getAttribute("aria-invalid")).resolves.toBeNull();
    await tabUntil((f) => f.tag === "button" && f.text === "Check");
    await page.keyboard.press("Enter");
    await expect(card().locator(".score").textContent()).resolves.toBe(`Score: ${Math.round(expected.score * 100)}%`);
    await expect(card().locator(".departure").textContent()).resolves.toContain(expected.firstDeparture.message);

    // Follow the link by keyboard.
    await card().locator(".departure-link").focus();
    await page.keyboard.press("Enter");
    const href = new URL(expected.firstDeparture.href, "http://x");
    await page.waitForURL((u) => u.pathname === href.pathname && u.hash === href.hash);
    const lab = variant.lab!;
    if (expected.firstDeparture.step !== null) expect(new URL(page.url()).searchParams.get(`${lab.lab}.step`)).toBe(expected.firstDeparture.step);
    await expect(page.locator(`#lab-${lab.lab}`).count()).resolves.toBe(1);
  });

  it("puts an ordering in order with Alt+arrows, focus following the item and each move announced", async () => {
    const id = templateOfKind("ordering");
    const variant = variantOf(id, 6);
    if (variant.kind !== "ordering") throw new Error("expected an ordering question");
    const n = variant.view.items.length;
    await openVariant(id, 6);
    const c = card();
    await expect(c.locator(".ordering .hint").first().textContent()).resolves.toMatch(new RegExp(`^${n} items in your order\\.`));
    await c.locator("h3").focus();
    await tabUntil((f) => f.tag === "button" && f.text.startsWith("↑ Up"));
    const row = () => page.evaluate(() => Number((document.activeElement as HTMLElement).dataset.cell!.split(" ")[0]));
    const texts = () => c.locator(".order-list .item-text").allTextContents();
    const first = (await texts())[0]!;
    await page.keyboard.press("Alt+ArrowDown");
    await expect(texts().then((t) => t[1])).resolves.toBe(first);
    await expect(row()).resolves.toBe(1);
    await expect(c.locator(".ordering [aria-live='polite']").textContent()).resolves.toBe(`Moved “${first}” to position 2 of ${n}.`);

    // Now the whole key, by keyboard: leave out what does not belong (End reaches an item's last
    // button, "Leave out"), then walk to each wanted item and lift it into place.
    const wanted = variant.key.order.map((i) => variant.view.items.find((x) => x.id === i)!.text);
    const walkTo = async (at: number) => {
      const from = await row();
      for (let k = 0; k < Math.abs(at - from); k++) await page.keyboard.press(at > from ? "ArrowDown" : "ArrowUp");
    };
    for (const item of variant.view.items.filter((x) => !wanted.includes(x.text))) {
      await walkTo((await texts()).indexOf(item.text));
      await page.keyboard.press("End");
      expect((await focused()).text).toBe(`✕ Leave out: ${item.text}`);
      await page.keyboard.press("Enter");
      await expect(c.locator(".ordering [aria-live='polite']").textContent()).resolves.toMatch(/^Left out “/);
      await page.keyboard.press("Home");
    }
    for (const [target, text] of wanted.entries()) {
      const at = (await texts()).indexOf(text);
      await walkTo(at);
      for (let k = 0; k < at - target; k++) await page.keyboard.press("Alt+ArrowUp");
    }
    expect(await texts()).toEqual(wanted);
    await tabUntil((f) => f.tag === "button" && f.text === "Check");
    await page.keyboard.press("Enter");
    await expect(c.locator(".score").textContent()).resolves.toBe("Score: 100%");
  });

  it("names the misconception a wrong answer matches", async () => {
    const template = TEMPLATES.find((t) => (t.kind === "single-choice" || t.kind === "diagnosis" || t.kind === "multiple-choice") && t.variant(1).misconceptions.length > 0);
    if (!template) throw new Error("the bank has no choice question with a misconception");
    const variant = variantOf(template.id, 1);
    const wrong = variant.misconceptions[0]!;
    const expected = gradeAnswer(variant, wrong.answer);
    if (expected.type !== "graded" || !expected.misconception) throw new Error("expected the grader to name the misconception");
    await openVariant(template.id, 1);
    await enter(variant, wrong.answer);
    await check(variant);
    await expect(card().locator(".misconception h4").textContent()).resolves.toContain(expected.misconception.name);
    await expect(card().locator(".misconception").textContent()).resolves.toContain(expected.misconception.whyWrong);
  });
});

describe("shared links", () => {
  it("?q=…&seed=… opens exactly that variant, twice alike", async () => {
    const id = TEMPLATES[0]!.id;
    for (const seed of [7, 7, 123456]) {
      await openVariant(id, seed);
      await expect(card().locator(".prompt").textContent()).resolves.toBe(variantOf(id, seed).prompt);
      await expect(card().getAttribute("data-seed")).resolves.toBe(String(seed));
      await expect(card().getByRole("link", { name: "Link to this variant" }).getAttribute("href")).resolves.toBe(`?q=${id}&seed=${seed}`);
    }
  });

  it("draws a fresh seed when none is given, and puts it in the address", async () => {
    const id = TEMPLATES[0]!.id;
    await page.goto(url(`${PRACTICE}?q=${id}`));
    await hydrated(page);
    await card().waitFor();
    const seed = await card().getAttribute("data-seed");
    await page.waitForURL((u) => u.searchParams.get("seed") === seed && u.searchParams.get("q") === id);
  });

  it("says so for an unknown question or a bad seed, and the decks still work", async () => {
    await page.goto(url(`${PRACTICE}?q=no-such-question&seed=1`));
    await hydrated(page);
    await expect(page.getByRole("alert").first().textContent()).resolves.toContain("There is no question “no-such-question”");
    await expect(page.locator(".decks").isVisible()).resolves.toBe(true);

    await page.goto(url(`${PRACTICE}?q=${TEMPLATES[0]!.id}&seed=-4`));
    await hydrated(page);
    await expect(page.getByRole("alert").first().textContent()).resolves.toContain("“-4” is not a variant number");
    const lesson = TEMPLATES[0]!.lesson;
    await page.locator(".decks").getByRole("link", { name: new RegExp(`^Lesson \\d+: `) }).first().click();
    await page.waitForURL((u) => u.searchParams.get("deck") === `lesson:${lesson}`);
    await hydrated(page);
    await expect(card().locator(".card-position").textContent()).resolves.toMatch(/^Question 1 of \d+$/);
  });
});

describe("progress", () => {
  it("remembers an answer across a reload, with its next review", async () => {
    const id = templateOfKind("single-choice", "diagnosis", "multiple-choice");
    const variant = variantOf(id, 11);
    await openVariant(id, 11);
    await enter(variant, variant.key);
    await check(variant);
    await page.reload();
    await hydrated(page);
    await card().waitFor();
    await expect(card().locator(".history").textContent()).resolves.toMatch(/^Answered once in this browser, best 100%; next review (tomorrow|in \d+ days)\.$/);
    const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), PROGRESS_KEY);
    expect(saved.questions[id].attempts).toHaveLength(1);
    expect(Object.keys(saved.cards).sort()).toEqual(findTemplate(id)!.concepts.map((c) => `${id}::${c}`).sort());
  });

  it("exports to a file, clears after confirming, and imports the file back", async () => {
    const id = TEMPLATES[0]!.id;
    await openVariant(id, 4);
    await card().getByRole("button", { name: "Reveal the answer" }).click();
    const before = await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY);
    expect(JSON.parse(before!).questions[id].attempts).toHaveLength(1);

    const controls = page.locator(".progress-controls");
    const [download] = await Promise.all([page.waitForEvent("download"), controls.getByRole("button", { name: "Export progress as a file" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^packet-lab-progress-\d{4}-\d{2}-\d{2}\.json$/);
    const file = readFileSync((await download.path())!, "utf8");
    const exported = JSON.parse(file);
    expect(exported.format).toBe("packet-lab-progress");
    expect(exported.progress).toEqual(JSON.parse(before!));

    await controls.getByRole("button", { name: "Clear progress…" }).click();
    // Focus moves to the confirmation, which says what will be lost.
    await expect(focused().then((f) => f.text)).resolves.toBe("Yes, clear my progress");
    await page.keyboard.press("Enter");
    await expect(page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY)).resolves.toBeNull();
    await expect(controls.textContent()).resolves.toContain("Progress cleared");

    await controls.getByLabel("Import progress from a file").setInputFiles({ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(file) });
    await expect.poll(() => controls.locator("#progress-import-message").textContent()).toContain("Imported mine.json: 1 answer to 1 question");
    await expect(page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), PROGRESS_KEY)).resolves.toEqual(JSON.parse(before!));
  });

  it("refuses a file that is not ours, with the message beside the field", async () => {
    await page.goto(url(PRACTICE));
    await hydrated(page);
    const controls = page.locator(".progress-controls");
    const input = controls.getByLabel("Import progress from a file");
    await input.setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ notes: ["not progress"] })) });
    await expect.poll(() => controls.locator("#progress-import-message").textContent()).toMatch(/^notes\.json: This JSON file is not a Packet Lab progress export/);
    await expect(input.getAttribute("aria-describedby")).resolves.toBe("progress-import-message");
    await input.setInputFiles({ name: "photo.json", mimeType: "application/json", buffer: Buffer.from("\u0089PNG not json") });
    await expect.poll(() => controls.locator("#progress-import-message").textContent()).toContain("photo.json: This file is not JSON");
    await expect(page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY)).resolves.toBeNull();
  });

  it("reports a corrupted record and keeps it aside, then saves new answers", async () => {
    await page.goto(url(PRACTICE));
    await page.evaluate((key) => localStorage.setItem(key, "{broken"), PROGRESS_KEY);
    await page.reload();
    await hydrated(page);
    const alert = page.locator(".practice-app > .message.warning");
    await expect(alert.textContent()).resolves.toMatch(/not valid JSON[\s\S]*kept under “packet-lab:progress:unreadable:/);
    const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("packet-lab:progress:unreadable:")));
    expect(aside).toHaveLength(1);
    await expect(page.evaluate((key) => localStorage.getItem(key), aside[0]!)).resolves.toBe("{broken");

    const id = TEMPLATES[0]!.id;
    await openVariant(id, 2);
    await card().getByRole("button", { name: "Reveal the answer" }).click();
    await expect.poll(() => page.evaluate(([key, q]) => JSON.parse(localStorage.getItem(key!) ?? "{}").questions?.[q!]?.attempts?.length, [PROGRESS_KEY, id])).toBe(1);
  });

  it("counts the reviews due today on the course home and opens them as a deck", async () => {
    const [a, b] = [TEMPLATES[0]!, TEMPLATES[1]!];
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    // Reviewed long ago, so due now; and one reviewed just now, due later.
    let progress = recordReview(EMPTY_PROGRESS, { template: a.id, seed: 1, score: 0.2, at: longAgo, concepts: a.concepts, hints: 0, revealed: false });
    progress = recordReview(progress, { template: b.id, seed: 1, score: 1, at: new Date().toISOString(), concepts: b.concepts, hints: 0, revealed: false });
    const due = a.concepts.length;
    await page.goto(url("/"));
    await expect(page.locator("#due-today").isHidden()).resolves.toBe(true);
    await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [PROGRESS_KEY, JSON.stringify(progress)]);
    await page.reload();
    const link = page.locator("#due-today a");
    await expect(link.textContent()).resolves.toBe(`${due} ${due === 1 ? "review" : "reviews"} due today`);
    await link.click();
    await page.waitForURL((u) => u.searchParams.get("deck") === "due");
    await hydrated(page);
    await card().waitFor();
    await expect(card().getAttribute("data-template")).resolves.toBe(a.id);
    await expect(card().locator(".card-position").textContent()).resolves.toBe("Question 1 of 1");
    // A fresh seed: not the one reviewed before.
    await expect(card().getAttribute("data-seed")).resolves.not.toBe("1");
  });
});

describe("the static deck list", () => {
  const island = () => page.locator("astro-island:has(.practice-app)");

  it("opens without hydrating for a first visit, and hydrates as the controls come into view", async () => {
    await page.goto(url(PRACTICE));
    await page.waitForLoadState("load");
    // Nothing on the first screen needs script: the decks are links, and nothing is saved to show.
    await page.waitForTimeout(500);
    await expect(island().getAttribute("ssr")).resolves.toBe("");
    await expect(page.locator("[data-due] .due-none").isVisible()).resolves.toBe(true);
    await expect(page.locator("[data-due] .due-reading").isVisible()).resolves.toBe(false);
    await expect(page.locator("[data-question]").count()).resolves.toBe(TEMPLATES.length);
    await page.locator(".mock-setup").scrollIntoViewIfNeeded();
    await expect.poll(() => island().getAttribute("ssr")).toBeNull();
  });

  it("hydrates at once for saved progress and writes it into the decks: due count, each question's history, each concept's recall", async () => {
    const [a, b] = [TEMPLATES[0]!, TEMPLATES[1]!];
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    let progress = recordReview(EMPTY_PROGRESS, { template: a.id, seed: 1, score: 0.2, at: longAgo, concepts: a.concepts, hints: 0, revealed: false });
    progress = recordReview(progress, { template: b.id, seed: 1, score: 1, at: new Date().toISOString(), concepts: b.concepts, hints: 0, revealed: false });
    await page.goto(url(PRACTICE));
    await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [PROGRESS_KEY, JSON.stringify(progress)]);
    await page.reload();
    // No scrolling: saved progress is reason enough to hydrate.
    await expect.poll(() => island().getAttribute("ssr")).toBeNull();
    const due = a.concepts.length;
    await expect.poll(() => page.locator("[data-due]").textContent()).toBe(
      `${due} ${due === 1 ? "review" : "reviews"} due today, from 1 question. Practise what is due`,
    );
    await expect(page.locator("[data-due] a").getAttribute("href")).resolves.toBe("?deck=due");
    await expect(page.locator(`[data-question="${a.id}"] .question-history`).textContent()).resolves.toBe(
      "Answered once in this browser, best 20%; next review today.",
    );
    await expect(page.locator(`[data-question="${b.id}"] .question-history`).textContent()).resolves.toMatch(
      /^Answered once in this browser, best 100%; next review (tomorrow|in \d+ days)\.$/,
    );
    await expect(page.locator(".question-history").count()).resolves.toBe(2);
    await expect(page.locator(`[data-concept="${a.concepts[0]}"] .recall`).textContent()).resolves.toMatch(/^ · recall now \d+%$/);

    // Cleared from the controls below: the decks forget it too.
    const controls = page.locator(".progress-controls");
    await controls.getByRole("button", { name: "Clear progress…" }).click();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".question-history").count()).toBe(0);
    await expect(page.locator("[data-due]").textContent()).resolves.toMatch(/^Nothing is due today\./);
  });
});

describe("mock interview", () => {
  it("runs three questions to a summary with scores, concepts and links back into the labs", async () => {
    await page.goto(url(PRACTICE));
    await hydrated(page);
    const setup = page.locator(".mock-setup");
    await setup.getByLabel("Questions from").selectOption("all");
    await setup.getByLabel("Number of questions").selectOption("3");
    await setup.getByLabel("Time limit").selectOption("10");
    await setup.getByRole("button", { name: "Start the interview" }).click();
    await expect(page.locator(".timer").textContent()).resolves.toMatch(/^Time left: (10:00|9:\d\d)$/);

    const asked: string[] = [];
    for (let i = 0; i < 3; i++) {
      await expect(page.locator(".mock-bar").textContent()).resolves.toContain(`Question ${i + 1} of 3`);
      const id = (await card().getAttribute("data-template"))!;
      const seed = Number(await card().getAttribute("data-seed"));
      asked.push(id);
      const variant = variantOf(id, seed);
      if (i === 0) {
        // Right, from the computed key.
        await enter(variant, variant.key);
        await check(variant);
      } else if (i === 1) {
        await card().getByRole("button", { name: "Reveal the answer" }).click();
      }
      const next = card().getByRole("button", { name: i === 2 ? "Skip this question" : "Next question" });
      await next.click();
    }
    const summary = page.locator(".mock-summary");
    await summary.waitFor();
    await expect(focused().then((f) => f.text)).resolves.toBe("Interview summary");
    const rows = summary.locator(".summary-questions tbody tr");
    await expect(rows.count()).resolves.toBe(3);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => (td as HTMLElement).innerText.trim())));
    expect(cells.map((r) => r[1])).toEqual(asked.map((id) => findTemplate(id)!.title));
    expect(cells[0]![2]).toBe("100%");
    expect(cells[1]![2]).toBe("0% (Answer revealed)");
    expect(cells[2]![2]).toBe("— (Skipped)");
    await expect(summary.locator(".score").textContent()).resolves.toBe("Overall: 33%");
    const concepts = new Set(asked.flatMap((id) => findTemplate(id)!.concepts));
    await expect(summary.locator(".summary-concepts tbody tr").count()).resolves.toBe(concepts.size);
    // Every asked question with a lab links back into it.
    const labLinks = await rows.locator("a", { hasText: "Open the lab" }).evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    expect(labLinks.length).toBeGreaterThan(0);
    for (const href of labLinks) expect(href).toMatch(/^\/lessons\/[^/]+\/.*#lab-/);
  });
});

describe("layout and accessibility", () => {
  it.each([
    [390, "dark"],
    [390, "light"],
    [1366, "light"],
    [1366, "dark"],
  ] as const)("at %i px in the %s theme: no sideways scroll, no axe violation, with decks and with graded feedback", async (width, colorScheme) => {
    const other = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    const errors = watchErrors(other);
    await other.goto(url(PRACTICE));
    await hydrated(other);
    expect(await other.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await axeViolations(other)).toEqual([]);

    const template = TEMPLATES.find((t) => t.variant(1).misconceptions.length > 0 && t.kind !== "open") ?? TEMPLATES[0]!;
    const variant = variantOf(template.id, 1);
    await openVariant(template.id, 1, other);
    const wrong = variant.misconceptions[0]?.answer;
    if (wrong) {
      const saved = page;
      page = other;
      await enter(variant, wrong);
      await check(variant);
      page = saved;
    }
    await card(other).getByRole("button", { name: /^Hint/ }).click();
    await card(other).getByRole("button", { name: "Reveal the answer" }).click();
    expect(await other.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await axeViolations(other)).toEqual([]);
    await other.close();
    expect(errors).toEqual([]);
  });
});
