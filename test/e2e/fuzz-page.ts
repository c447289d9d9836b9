import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { CANARY, MARKER } from "./fuzz-values";

/**
 * What the browser fuzz test (`fuzz.test.ts`) needs from a page: the text fields a learner can type into,
 * found in the DOM after hydration (so a new lab is covered without a change here), how to commit a value
 * the way a learner would, and one look at the page afterwards — page errors aside, which the test's own
 * listeners collect.
 */

/** Every element a learner can type free text into. */
export const TEXT_FIELDS = [
  "input:not([type])",
  "input[type=text]",
  "input[type=search]",
  "input[type=number]",
  "input[type=email]",
  "input[type=url]",
  "input[type=tel]",
  "input[type=password]",
  "textarea",
  "[contenteditable='']",
  "[contenteditable=true]",
].join(", ");

/** Anything that reads as a message about input: alerts, error text, the YAML problem list, the practice card's notes. */
const MESSAGES = "[role=alert], .error, .field-error, .yaml-problems, p.message";

/** A text field, named by where it lives: its lab (or card, or the site search) and its label. */
export interface TextField {
  /** A selector for the field's container: `#lab-journey`, `article.practice-card`, `site-search` … */
  readonly scope: string;
  /** Its position among the scope's text fields (stable when React remounts a field). */
  readonly index: number;
  /** The field's label as a learner reads it. */
  readonly name: string;
  /** `scope name`: what the known-fields list holds. */
  readonly key: string;
  readonly tag: string;
  readonly type: string;
}

/** The text fields on the page now, with the scope each belongs to. */
export async function discoverTextFields(page: Page): Promise<TextField[]> {
  return page.evaluate((selector) => {
    const scopeOf = (el: Element): string => {
      const lab = el.parentElement?.closest("section[id^='lab-']");
      if (lab) return `#${CSS.escape(lab.id)}`;
      const section = el.closest("section.lab");
      if (section?.id) return `#${CSS.escape(section.id)}`;
      const labelled = section?.getAttribute("aria-labelledby");
      if (labelled) return `section.lab[aria-labelledby="${labelled}"]`;
      if (el.closest("article.practice-card")) return "article.practice-card";
      if (el.closest("site-search")) return "site-search";
      return "body";
    };
    const nameOf = (el: HTMLInputElement | HTMLTextAreaElement): string => {
      const label = el.labels?.[0];
      if (label) {
        const copy = label.cloneNode(true) as HTMLElement;
        copy.querySelectorAll("input, textarea, select, datalist, .error, .field-error, [role=alert]").forEach((n) => n.remove());
        const text = copy.textContent?.replace(/\s+/g, " ").trim();
        if (text) return text;
      }
      return el.getAttribute("aria-label") ?? el.getAttribute("placeholder") ?? el.id ?? el.tagName.toLowerCase();
    };
    const fields = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(selector)];
    return fields.map((el) => {
      const scope = scopeOf(el);
      const index = [...document.querySelector(scope)!.querySelectorAll(selector)].indexOf(el);
      const name = nameOf(el);
      return { scope, index, name, key: `${scope} ${name}`, tag: el.tagName.toLowerCase(), type: el.getAttribute("type") ?? "" };
    });
  }, TEXT_FIELDS);
}

/** The field itself, found afresh each time (a lab may remount it when a value is committed). */
export const fieldLocator = (page: Page, field: TextField): Locator => page.locator(field.scope).first().locator(TEXT_FIELDS).nth(field.index);

/** Two animation frames: React has committed what the last event caused. */
export const frames = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));

/**
 * Waits until the field's scope has stopped computing: the labs say "Computing …" while the simulator
 * loads or runs, the practice page "Loading …". Throws after `timeout` ms, which the test reports as the
 * value that hung the lab.
 */
export async function settle(page: Page, scope: string, timeout = 20_000): Promise<void> {
  await frames(page);
  await page.waitForFunction(
    (sel) => {
      const root = document.querySelector(sel);
      return !root || !/\b(Computing|Loading)\b[^.]*…/.test(root.textContent ?? "");
    },
    scope,
    { timeout },
  );
  await frames(page);
}

/** What the page looks like around a field after a value. */
export interface FieldReport {
  /** The field is still in the page. */
  readonly present: boolean;
  readonly invalid: boolean;
  readonly readOnly: boolean;
  /** Visible messages the field's `aria-describedby` points at. */
  readonly tied: readonly string[];
  /** Visible `role=alert` messages in the field's own label or right after it. */
  readonly adjacent: readonly string[];
  /** Visible messages in the scope tied to no field's description or label. */
  readonly loose: readonly string[];
  /** The scope's island has hydrated and still holds the scope (React did not unmount it on an error). */
  readonly hydrated: boolean;
  /** `window.__pwned`, if anything typed ran. */
  readonly canary: unknown;
  /** Elements carrying the payloads' marker attribute: markup that was parsed, run or not. */
  readonly markup: number;
}

export async function inspectField(page: Page, field: TextField): Promise<FieldReport> {
  return page.evaluate(
    ({ field, selector, messages, canary, marker }) => {
      const visible = (n: Element) => n.getClientRects().length > 0 && getComputedStyle(n).visibility !== "hidden";
      const text = (n: Element) => n.textContent?.replace(/\s+/g, " ").trim() ?? "";
      const scope = document.querySelector(field.scope);
      const el = scope?.querySelectorAll(selector)[field.index] as HTMLInputElement | HTMLTextAreaElement | undefined;
      const island = scope?.closest("astro-island") ?? null;
      const hydrated = document.querySelectorAll("astro-island[ssr]").length === 0 && (island === null || island.contains(scope!));
      const base = { canary: (window as unknown as Record<string, unknown>)[canary], markup: document.querySelectorAll(`[${marker}]`).length, hydrated };
      if (!scope || !el) return { ...base, present: false, invalid: false, readOnly: false, tied: [], adjacent: [], loose: [] };
      const isMessage = (n: Element) => n.matches(messages) || n.querySelector(messages) !== null || /error|problem/i.test(n.id);
      const describedBy = (of: Element) =>
        (of.getAttribute("aria-describedby") ?? "")
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => document.getElementById(id))
          .filter((n): n is HTMLElement => n !== null);
      const tied = describedBy(el).filter((n) => visible(n) && text(n) && isMessage(n));
      const invalid = el.getAttribute("aria-invalid") === "true";
      const box = el.closest("label, .field, .yaml-field") ?? el.parentElement!;
      const near = [...box.querySelectorAll("[role=alert], [aria-live]"), box.nextElementSibling].filter((n): n is Element => n !== null && n.matches("[role=alert], [aria-live]"));
      const adjacent = invalid ? near.filter((n) => visible(n) && text(n)) : [];
      // A message is accounted for when some field of the scope describes it (or sits beside it, marked invalid).
      const accounted = [...scope.querySelectorAll(selector)].flatMap((f) => {
        const own = describedBy(f);
        if (f.getAttribute("aria-invalid") !== "true") return own;
        const b = f.closest("label, .field, .yaml-field") ?? f.parentElement!;
        return [...own, ...b.querySelectorAll("[role=alert], [aria-live]"), ...(b.nextElementSibling?.matches("[role=alert], [aria-live]") ? [b.nextElementSibling] : [])];
      });
      const shown = [...scope.querySelectorAll(messages)].filter((n) => visible(n) && text(n));
      const outermost = shown.filter((n) => !shown.some((m) => m !== n && m.contains(n)));
      // A copy of a message a field already points at (a live region announcing it) is not loose either.
      const said = new Set(accounted.filter((a) => visible(a)).map(text));
      const loose = outermost.filter((n) => !accounted.some((a) => a.contains(n) || n.contains(a)) && !said.has(text(n)));
      return {
        ...base,
        present: true,
        invalid,
        readOnly: (el as HTMLInputElement).readOnly === true || el.getAttribute("aria-readonly") === "true",
        tied: tied.map(text),
        adjacent: adjacent.map(text),
        loose: loose.map((n) => text(n).slice(0, 200)),
      };
    },
    { field, selector: TEXT_FIELDS, messages: MESSAGES, canary: CANARY, marker: MARKER },
  );
}

/** The visible messages in a scope (for pages and labs without fields: a permalink's message). */
export async function messagesIn(page: Page, scope: string): Promise<string[]> {
  return page.locator(scope).first().evaluate(
    (root, selector) =>
      [...root.querySelectorAll(selector)].filter((n) => n.getClientRects().length > 0 && n.textContent?.trim()).map((n) => n.textContent!.replace(/\s+/g, " ").trim().slice(0, 200)),
    "[role=alert]",
  );
}

/**
 * Whether a lab's stepper still moves: forward one decision (from the start when it is at the end).
 * Returns what went wrong, or null; a lab with no stepper (or a one-step walk) has nothing to prove.
 */
export async function stepperMoves(page: Page, scope: string): Promise<string | null> {
  const stepper = page.locator(scope).first().locator(".stepper").first();
  if ((await stepper.count()) === 0) return null;
  const position = stepper.locator(".position");
  const forward = stepper.locator("button[aria-keyshortcuts=ArrowRight]");
  const back = stepper.locator("button[aria-keyshortcuts=ArrowLeft]");
  const first = stepper.locator("button[aria-keyshortcuts=Home]");
  if (await forward.isDisabled()) {
    if (await back.isDisabled()) return null;
    await first.click();
  }
  const before = await position.textContent();
  await forward.click();
  try {
    await expect.poll(() => position.textContent(), { timeout: 5000 }).not.toBe(before);
  } catch {
    return `the stepper did not move from "${before}"`;
  }
  return null;
}

/** Any `<details>` around the field opened, so it can be typed into (a lab on a phone folds its settings). */
export async function reveal(field: Locator): Promise<void> {
  await field.evaluate((el) => {
    for (let d = el.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
  });
}
