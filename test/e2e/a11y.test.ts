import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, hydrated, launch, url, watchErrors } from "./browser";

/** Every page of the built site (Pagefind's files left out). */
function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "pagefind" || name === "_astro" ? [] : pages(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

const DIST = process.env.E2E_DIST ?? "dist";
const PATHS = pages(DIST).map((p) => `/${relative(DIST, p).replace(/index\.html$/, "")}`).sort();
const WIDTHS = [1366, 390] as const;
const THEMES = ["light", "dark"] as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("every page passes axe at both widths, in both themes", () => {
  it("finds the pages", () => {
    expect(PATHS).toEqual(expect.arrayContaining(["/", "/practice/", "/lessons/life-of-a-packet/"]));
  });

  for (const path of PATHS) {
    for (const width of WIDTHS) {
      it.each(THEMES)(`${path} at ${width} px, %s`, async (colorScheme) => {
        const page = await browser.newPage({ viewport: { width, height: width === 390 ? 844 : 900 }, colorScheme });
        const errors = watchErrors(page);
        await page.goto(url(path));
        await hydrated(page);
        expect(await axeViolations(page)).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.close();
        expect(errors).toEqual([]);
      });
    }
  }
});

describe("keyboard focus", () => {
  it("is drawn in its own colour, unlike the selection, and is not clipped by the scrolling step list", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(url("/lessons/life-of-a-packet/#lab-journey"));
    await hydrated(page);
    const current = page.locator("#lab-journey .step-list [data-current]");
    await current.focus();
    await page.keyboard.press("ArrowRight");
    const style = await page.locator("#lab-journey .step-list [data-current]").evaluate((el) => {
      const s = getComputedStyle(el);
      return { outline: s.outlineColor, outlineStyle: s.outlineStyle, selection: s.borderLeftColor, offset: s.outlineOffset, focused: document.activeElement === el };
    });
    expect(style.focused).toBe(true);
    expect(style.outlineStyle).toBe("solid");
    expect(style.outline).not.toBe(style.selection);
    expect(parseFloat(style.offset)).toBeLessThan(0);
    await page.close();
  });
});
