import { readdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { loadGlossary } from "../../src/integrations/glossary/load";
import { compileGlossary } from "../../src/integrations/glossary/link-terms";
import { url, useBrowser } from "./browser";

/**
 * The glossary on the built site: /glossary/ lists every entry at its anchor, and in each lesson the first use
 * of each term in the prose — and only that one — links to it (src/integrations/glossary/). Read in the browser
 * from the DOM as built, so the check sees the lesson as a reader does.
 */
const GLOSSARY = loadGlossary();
const MATCHER = compileGlossary(GLOSSARY);
const LESSONS = readdirSync("content/lessons")
  .filter((f) => f.endsWith(".mdx"))
  .map((f) => `/lessons/${f.slice(0, -".mdx".length)}/`);

let page: Page;
useBrowser({ width: 1280, height: 900 }, (_b: Browser, p) => (page = p));

interface LessonTerms {
  /** Every glossary link on the page: its term id, its text, and what it sits inside that it must not. */
  links: { id: string; text: string; inside: string | null }[];
  /** For each term met in the lesson's prose, the first occurrence: its text and whether it is the linked one. */
  firstUses: { id: string; text: string; linked: boolean }[];
}

/**
 * Walks the lesson's Markdown output — the article's own paragraphs, lists, quotes, tables and notes between the
 * contents and the pager, not what components render — text node by text node, as the plugin walks the tree.
 */
function lessonTerms(p: Page): Promise<LessonTerms> {
  const forms = GLOSSARY.flatMap((e) => e.match.map((form) => [form, e.id] as const));
  return p.evaluate(
    ({ pattern, forms }) => {
      const idOf = new Map(forms);
      const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
      const entry = (text: string) => idOf.get(text) ?? idOf.get(lowerFirst(text));
      const FORBIDDEN = "h1, h2, h3, h4, h5, h6, code, pre, kbd, th, section.lab, astro-island, a a, .note strong:first-child";
      const links = [...document.querySelectorAll<HTMLAnchorElement>("a.glossary-term")].map((a) => ({
        id: new URL(a.href).hash.slice(1),
        text: a.textContent ?? "",
        inside: a.parentElement?.closest(FORBIDDEN)?.tagName.toLowerCase() ?? (a.parentElement?.closest("a") ? "a" : null),
      }));
      const article = document.querySelector("article.lesson")!;
      const prose = [...article.querySelectorAll(":scope > :is(p, ul, ol, blockquote, table):not([class]), :scope > div.note")];
      const seen = new Set<string>();
      const firstUses: { id: string; text: string; linked: boolean }[] = [];
      for (const root of prose) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement!;
          const link = parent.closest("a");
          if (parent.closest(FORBIDDEN.replace(", a a", "")) || (link && !link.matches("a.glossary-term"))) continue;
          for (const match of (node.textContent ?? "").matchAll(new RegExp(pattern, "gu"))) {
            const id = entry(match[0]);
            if (!id || seen.has(id)) continue;
            seen.add(id);
            firstUses.push({ id, text: match[0], linked: link?.matches("a.glossary-term") === true && link.textContent === match[0] });
          }
        }
      }
      return { links, firstUses };
    },
    { pattern: MATCHER.pattern.source, forms },
  );
}

describe("the glossary page", () => {
  it("lists every entry at its own anchor", async () => {
    await page.goto(url("/glossary/"));
    const ids = await page.locator(".glossary-entry").evaluateAll((entries) => entries.map((e) => e.id));
    expect(ids).toEqual(GLOSSARY.map((e) => e.id));
    await expect(page.locator("#maglev dfn").textContent()).resolves.toBe("Maglev");
  });

  it("is in the site's navigation", async () => {
    await page.goto(url("/"));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Glossary" }).click();
    await page.waitForURL(/\/glossary\/$/);
  });
});

describe.each(LESSONS)("%s", (lesson) => {
  it("links the first use of each term in its prose, once, and never inside code, headings, links or labs", async () => {
    await page.goto(url(lesson));
    const { links, firstUses } = await lessonTerms(page);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => l.inside !== null)).toEqual([]);
    const ids = links.map((l) => l.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), "a term linked twice").toEqual([]);
    expect(ids.filter((id) => !GLOSSARY.some((e) => e.id === id)), "a link to no entry").toEqual([]);
    // Every term the prose uses is linked at its first use, and nothing else is.
    expect(firstUses.filter((u) => !u.linked)).toEqual([]);
    expect(new Set(ids)).toEqual(new Set(firstUses.map((u) => u.id)));
  });

  it("gives each link the entry's summary as its title", async () => {
    await page.goto(url(lesson));
    const titles = await page.locator("a.glossary-term").evaluateAll((links) => links.map((a) => [new URL((a as HTMLAnchorElement).href).hash.slice(1), a.getAttribute("title")]));
    for (const [id, title] of titles) expect(title).toBe(GLOSSARY.find((e) => e.id === id)?.short);
  });
});

it("a glossary link leads to its entry", async () => {
  await page.goto(url(LESSONS[0]!));
  const link = page.locator("a.glossary-term").first();
  const id = new URL((await link.getAttribute("href"))!, "http://x").hash;
  await link.click();
  await page.waitForURL(new RegExp(`/glossary/${id}$`));
  await expect(page.locator(`${id}:target`).count()).resolves.toBe(1);
});
