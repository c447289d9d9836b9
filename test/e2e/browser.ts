import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from "vitest";
import { CHROMIUM, hydrateIslands, launchChromium } from "../../scripts/chromium";

export { CHROMIUM };
export const launch = (): Promise<Browser> => launchChromium();

export const url = (path: string) => new URL(path, inject("baseUrl")).toString();

/** Fails the test on any uncaught error or console error in the page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * Brings every island into view (they hydrate when visible) and waits until each has hydrated:
 * Astro drops an island's `ssr` attribute once its component is live. Then returns to the top, or
 * to the URL's anchor.
 */
export async function hydrated(page: Page): Promise<void> {
  await hydrateIslands(page);
  await page.evaluate(() => {
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
  });
}

const AXE = readFileSync("node_modules/axe-core/axe.min.js", "utf8");

/**
 * Runs axe-core (WCAG 2.x A and AA rules) and returns its violations, summarised.
 *
 * The site's Content-Security-Policy refuses an injected <script> and the `new Function` axe compiles its
 * messages with, so axe runs in an isolated world of its own, as a browser extension's content script does: it
 * reads the page's DOM and styles, while the page itself stays under its policy for the whole test (no
 * `bypassCSP`).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { frameTree } = await cdp.send("Page.getFrameTree");
    const { executionContextId: contextId } = await cdp.send("Page.createIsolatedWorld", { frameId: frameTree.frame.id, worldName: "axe" });
    const run = async (expression: string) => {
      const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression, contextId, awaitPromise: true, returnByValue: true });
      if (exceptionDetails) throw new Error(`axe-core: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value as unknown;
    };
    await run(AXE);
    return (await run(`(async () => {
      const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
      return result.violations.map((v) => \`\${v.id}: \${v.nodes.map((n) => n.target.join(" ")).join(", ")}\`);
    })()`)) as string[];
  } finally {
    await cdp.detach();
  }
}

/**
 * The usual set-up of a browser test file: one browser for the file, a fresh page per test at
 * `viewport`, and a test that fails on any error its page logged. `use` receives them each time a
 * page opens, so a file keeps plain `browser` and `page` variables (and the test's error list, for
 * errors of other pages it opens).
 *
 * @example
 * let browser: Browser;
 * let page: Page;
 * useBrowser({ width: 1366, height: 900 }, (b, p) => ((browser = b), (page = p)));
 */
export function useBrowser(viewport: { width: number; height: number }, use: (browser: Browser, page: Page, errors: string[]) => void): void {
  let browser: Browser | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await browser!.newPage({ viewport });
    errors = watchErrors(page);
    use(browser!, page, errors);
  });
  afterEach(async () => {
    await page?.close();
    expect(errors).toEqual([]);
  });
}
