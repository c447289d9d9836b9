import { readdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hydrated, url, useBrowser } from "./browser";

/**
 * Print styles (src/styles/print.css): a lesson prints as a document. Checked in Chromium under print media at
 * the width of an A4 page's printable area (210 mm less 2 × 14 mm of margin: 182 mm, 688 CSS pixels), and by
 * printing to PDF.
 */
const PAPER_WIDTH = Math.floor((182 / 25.4) * 96);
const LESSONS = readdirSync("content/lessons")
  .filter((f) => f.endsWith(".mdx"))
  .map((f) => `/lessons/${f.slice(0, -".mdx".length)}/`);
const CHROME = [".skip-link", ".site-header", "site-search", ".theme-toggle", ".reading-progress", ".lesson-aside", ".toc-inline", ".lesson-pager"];

let browser: Browser;
let page: Page;
useBrowser({ width: PAPER_WIDTH, height: 1000 }, (b, p) => ((browser = b), (page = p)));

/** Opens a lesson as it would be printed: every lab hydrated (its current state), then print media. */
async function printed(p: Page, path: string): Promise<void> {
  await p.goto(url(path));
  await hydrated(p);
  await p.emulateMedia({ media: "print" });
}

interface PrintReport {
  chromeShown: string[];
  labs: { id: string; shown: boolean; contentVisibility: string; stepViews: number; tables: number; buttons: string[]; controls: string[] }[];
  sticky: string[];
  wide: string[];
  scrollWidth: number;
}

function report(p: Page, chrome: readonly string[]): Promise<PrintReport> {
  return p.evaluate((chrome) => {
    const shown = (el: Element) => {
      const box = el.getBoundingClientRect();
      return getComputedStyle(el).display !== "none" && box.width > 0 && box.height > 0;
    };
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${[...el.classList].join(".")}` : ""}`;
    const labs = [...document.querySelectorAll<HTMLElement>("section.lab")].filter((s) => !s.parentElement?.closest("section.lab"));
    const all = [...document.body.querySelectorAll("*")].filter(shown);
    return {
      chromeShown: chrome.filter((selector) => [...document.querySelectorAll(selector)].some(shown)),
      labs: labs.map((lab) => ({
        id: lab.id || lab.getAttribute("aria-labelledby") || "lab",
        shown: shown(lab),
        contentVisibility: getComputedStyle(lab).contentVisibility,
        stepViews: [...lab.querySelectorAll(".step-view")].filter(shown).length,
        tables: [...lab.querySelectorAll("table, figure.dt")].filter(shown).length,
        buttons: [...lab.querySelectorAll("button")].filter((b) => shown(b) && !b.matches(".translation")).map(name),
        controls: [...lab.querySelectorAll(".stepper, .settings, .controls, .step-list, .paste-form, form, input, select, textarea")].filter(shown).map(name),
      })),
      sticky: all.filter((el) => ["sticky", "fixed"].includes(getComputedStyle(el).position)).map(name),
      wide: all
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((el) => `${name(el)} ends at ${Math.round(el.getBoundingClientRect().right)}px`)
        .slice(0, 10),
      scrollWidth: document.documentElement.scrollWidth,
    };
  }, chrome);
}

describe.each(LESSONS)("%s printed", (lesson) => {
  it("leaves out the site's chrome and the labs' controls, keeps their current state, and fits the page", async () => {
    await printed(page, lesson);
    const r = await report(page, CHROME);
    expect(r.chromeShown).toEqual([]);
    for (const lab of r.labs) {
      expect(lab, lab.id).toMatchObject({ shown: true, contentVisibility: "visible", buttons: [], controls: [] });
    }
    // Step labs print the step they are on.
    const stepLabs = await page.locator("section.lab .step-lab-body").count();
    if (stepLabs > 0) expect(r.labs.reduce((n, l) => n + l.stepViews, 0)).toBeGreaterThanOrEqual(stepLabs);
    expect(r.sticky).toEqual([]);
    expect(r.wide).toEqual([]);
    expect(r.scrollWidth).toBeLessThanOrEqual(PAPER_WIDTH);
  });
});

describe("a printed lesson", () => {
  const LESSON = "/lessons/services-and-kube-proxy/";

  it("shows the labs' step view and decision tables", async () => {
    await printed(page, LESSON);
    const r = await report(page, CHROME);
    const nat = r.labs.find((l) => l.id === "lab-nat")!;
    expect(nat.stepViews).toBe(1);
    expect(nat.tables).toBeGreaterThan(0);
  });

  it("prints the step a learner stepped to", async () => {
    await page.goto(url(LESSON));
    await hydrated(page);
    const lab = page.locator("#lab-nat");
    await lab.locator(".step-list [data-current]").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const onScreen = (await lab.locator(".step-view").innerText()).trim();
    await page.emulateMedia({ media: "print" });
    expect((await lab.locator(".step-view").innerText()).trim()).toBe(onScreen);
  });

  it("is black on white in the dark theme", async () => {
    const dark = await browser.newPage({ viewport: { width: PAPER_WIDTH, height: 1000 }, colorScheme: "dark" });
    await dark.goto(url("/"));
    // The toggle's stored choice, as a learner who picked the dark theme has it.
    await dark.evaluate(() => localStorage.setItem("packet-lab:theme", "dark"));
    await dark.goto(url(LESSON));
    await dark.emulateMedia({ media: "print", colorScheme: "dark" });
    const colours = await dark.evaluate(() => {
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return {
        theme: document.documentElement.dataset.theme,
        background: style("body").backgroundColor,
        text: style("body").color,
        paragraph: style("article p:not([class])").color,
        lab: style("section.lab").backgroundColor,
      };
    });
    await dark.close();
    expect(colours).toEqual({ theme: "dark", background: "rgb(255, 255, 255)", text: "rgb(0, 0, 0)", paragraph: "rgb(0, 0, 0)", lab: "rgb(255, 255, 255)" });
  });

  it("writes a link's address after it only for links that leave the course", async () => {
    await printed(page, LESSON);
    const after = await page.evaluate(() => {
      const article = document.querySelector("article")!;
      const outside = Object.assign(document.createElement("a"), { href: "https://kubernetes.io/docs/reference/networking/virtual-ips/", textContent: "virtual IPs" });
      article.querySelector("p:not([class])")!.append(" See ", outside, ".");
      const inside = article.querySelector<HTMLAnchorElement>('a[href^="/"]')!;
      return { outside: getComputedStyle(outside, "::after").content, inside: getComputedStyle(inside, "::after").content };
    });
    expect(after.outside).toMatch(/attr\(href\)|kubernetes\.io\/docs/);
    expect(after.inside).toBe("none");
  });

  it("keeps headings with what follows them and prints to A4 PDF", async () => {
    await printed(page, LESSON);
    const breaks = await page.evaluate(() => [...document.querySelectorAll("article h2, article h3")].map((h) => getComputedStyle(h).breakAfter));
    expect(new Set(breaks)).toEqual(new Set(["avoid"]));
    const pdf = await page.pdf({ format: "A4", printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(3);
  });
});
