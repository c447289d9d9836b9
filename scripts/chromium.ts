import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Debian's Chromium as the browser tests, the screenshots and Lighthouse drive it — with the flags this
 * network needs (no background connections, no first-run fetches) and no sandbox (CI runs as root).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}

/**
 * Scrolls to the end of every island still server-rendered (they hydrate when visible; a `client:needed` island,
 * when its interactive parts near the end come into view), two frames at each so its IntersectionObserver sees
 * it, and again until none is left or `timeout` runs out.
 */
export async function hydrateIslands(page: Page, timeout = 15_000): Promise<void> {
  const pending = () => page.evaluate(() => document.querySelectorAll("astro-island[ssr]").length);
  const deadline = Date.now() + timeout;
  while ((await pending()) > 0) {
    if (Date.now() > deadline) throw new Error(`${await pending()} islands still not hydrated after ${timeout} ms of scrolling to them`);
    await page.evaluate(async () => {
      for (const island of document.querySelectorAll("astro-island[ssr]")) {
        // An island is `display: contents`, with no box of its own to scroll to: its last child's end it is.
        (island.lastElementChild ?? island).scrollIntoView({ block: "end" });
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      }
    });
    await page.waitForTimeout(100);
  }
}
