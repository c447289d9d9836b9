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
 * Scrolls to the end of every island (they hydrate when visible; a `client:needed` island, when its
 * interactive parts near the end come into view) and waits until none is still server-rendered.
 */
export async function hydrateIslands(page: Page, timeout = 15_000): Promise<void> {
  const islands = page.locator("astro-island");
  const count = await islands.count();
  // An island is `display: contents`, with no box of its own to scroll to: its last child's end it is.
  for (let i = 0; i < count; i++) await islands.nth(i).evaluate((island) => (island.lastElementChild ?? island).scrollIntoView({ block: "end" }));
  await page.waitForFunction(() => document.querySelectorAll("astro-island[ssr]").length === 0, undefined, { timeout });
}
