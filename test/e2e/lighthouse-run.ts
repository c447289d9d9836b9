import { createServer } from "node:net";
import lighthouse, { type Result } from "lighthouse";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM } from "./browser";

/** The four categories the course is held to (issue 11), with the score each must reach. */
export const THRESHOLDS = {
  performance: 0.95,
  accessibility: 1,
  "best-practices": 1,
  seo: 1,
} as const;

export type Category = keyof typeof THRESHOLDS;
export const CATEGORIES = Object.keys(THRESHOLDS) as Category[];

/** One Lighthouse run of one page: its category scores and, for a category below its bar, why. */
export interface PageAudit {
  readonly url: string;
  readonly scores: Readonly<Record<Category, number>>;
  /** Category id → one line per audit that cost points, with the first offending nodes. */
  readonly failures: Readonly<Record<Category, readonly string[]>>;
  /** The lab metrics behind the performance score, e.g. `TBT 120 ms (0.97)`. */
  readonly metrics: readonly string[];
  /** Every URL the page requested whose origin is not the served site's. */
  readonly foreignRequests: readonly string[];
  /**
   * Lighthouse's measure of how fast this machine ran JavaScript just before the load: a
   * desktop-class CPU scores 1000 and more; below that Lighthouse itself warns that the
   * performance score will read low, since simulated throttling multiplies observed main-thread
   * time by 4.
   */
  readonly benchmarkIndex: number;
  readonly ms: number;
}

/** A Chromium that Lighthouse drives over the DevTools protocol. */
export interface LighthouseBrowser {
  readonly port: number;
  close(): Promise<void>;
}

/** A free loopback port: the OS picks one, we release it, Chromium binds it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Launches Debian's Chromium with a remote-debugging port Lighthouse connects to (its Node API
 * attaches with puppeteer to `http://127.0.0.1:<port>`). Playwright starts and stops the process;
 * Lighthouse opens and closes its own tab for each run.
 *
 * Nothing may leave this machine, so every host name but the loopback one resolves to NXDOMAIN at
 * once (`--host-resolver-rules`) and Chromium's own background traffic (component updates, field
 * trials, the safe-browsing list) is switched off: a request to the internet fails closed in
 * microseconds instead of waiting for a timeout, and shows up in `foreignRequests`.
 */
export async function launchForLighthouse(): Promise<LighthouseBrowser> {
  const port = await freePort();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      `--remote-debugging-port=${port}`,
      "--remote-debugging-address=127.0.0.1",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-domain-reliability",
      "--disable-field-trial-config",
      "--no-first-run",
      "--no-default-browser-check",
    ],
  });
  return { port, close: () => browser.close() };
}

type AuditResult = Result["audits"][string];

/**
 * The rows of an audit's table, or of the tables inside its list (insights nest them), whatever
 * their shape. Other nested sections (a network tree, a node) are left out.
 */
function rows(details: unknown): Record<string, unknown>[] {
  if (typeof details !== "object" || details === null || !("items" in details) || !Array.isArray(details.items)) return [];
  return (details.items as unknown[]).flatMap((item): Record<string, unknown>[] => {
    if (typeof item !== "object" || item === null) return [];
    const type = (item as { type?: unknown }).type;
    if (type === "table") return rows(item);
    return typeof type === "string" ? [] : [item as Record<string, unknown>];
  });
}

/** The first few things an audit blames — nodes, resources or source locations — as short text. */
function offenders(details: AuditResult["details"], count = 3): string[] {
  return rows(details)
    .slice(0, count)
    .map((item) => {
      const node = item["node"] as { selector?: string; snippet?: string; explanation?: string } | undefined;
      const source = item["source"] as { url?: string; line?: number; value?: string } | undefined;
      const text =
        node ? `${node.selector ?? ""} ${node.snippet ?? ""}${node.explanation ? ` — ${node.explanation.split("\n").join(" ")}` : ""}` :
        typeof item["url"] === "string" ? item["url"] :
        source?.url ? `${source.url}:${source.line ?? 0}` :
        typeof item["reason"] === "string" ? item["reason"] :
        source?.value ? `${source.value} ${JSON.stringify({ ...item, source: undefined })}` :
        JSON.stringify(item);
      return text.trim().slice(0, 400);
    });
}

/** One line for an audit: `id (score): title [display value]`, or the error that stopped it. */
function auditLine(audit: AuditResult): string {
  if (audit.scoreDisplayMode === "error") return `${audit.id} (error): ${audit.title} — ${audit.errorMessage ?? "no message"}`;
  const value = audit.displayValue ? ` [${audit.displayValue}]` : "";
  return `${audit.id} (${audit.score}): ${audit.title}${value}`;
}

/** The unchecked boxes of a checklist insight ("No compression applied"), as one line. */
function checklistMisses(details: AuditResult["details"]): string[] {
  if (!details || details.type !== "checklist") return [];
  const misses = Object.values(details.items).filter((item) => !item.value).map((item) => item.label);
  return misses.length ? [misses.join("; ")] : [];
}

/**
 * Why a category lost points. For accessibility, best practices and SEO: every audit that counts
 * toward the category (weight > 0) and scored below 1 or errored, with its first offending nodes.
 * For performance the score is the weighted metrics, so: each metric below 0.9, then what the
 * trace blames — the insights and diagnostics below full marks (render-blocking CSS, an uncompressed
 * document, a long request chain, forced reflows…), the main thread's time by category and its longest tasks.
 */
function categoryFailures(lhr: Result, category: Category): string[] {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  if (category !== "performance") {
    return refs.flatMap((ref) => {
      const audit = lhr.audits[ref.id];
      if (!audit || ref.weight === 0) return [];
      if (audit.scoreDisplayMode !== "error" && (audit.score === null || audit.score >= 1)) return [];
      return [auditLine(audit), ...offenders(audit.details).map((o) => `    ${o}`)];
    });
  }
  const metrics = refs.flatMap((ref) => {
    const audit = lhr.audits[ref.id];
    return audit && ref.weight > 0 && (audit.scoreDisplayMode === "error" || (audit.score ?? 0) < 0.9) ? [auditLine(audit)] : [];
  });
  const insights = refs.flatMap((ref) => {
    const audit = lhr.audits[ref.id];
    if (!audit || ref.weight > 0 || (ref.group !== "insights" && ref.group !== "diagnostics")) return [];
    // The main-thread breakdown and long tasks are summarised below.
    if (audit.id === "mainthread-work-breakdown" || audit.id === "long-tasks") return [];
    if (audit.score === null || audit.score >= 1) return [];
    return [auditLine(audit), ...[...checklistMisses(audit.details), ...offenders(audit.details)].map((o) => `    ${o}`)];
  });
  const groups = rows(lhr.audits["mainthread-work-breakdown"]?.details)
    .slice(0, 4)
    .map((item) => `${String(item["groupLabel"])} ${Math.round(Number(item["duration"]))} ms`);
  const tasks = rows(lhr.audits["long-tasks"]?.details)
    .slice(0, 4)
    .map((item) => `${Math.round(Number(item["duration"]))} ms at ${Math.round(Number(item["startTime"]))} ms (${String(item["url"])})`);
  return [
    ...metrics,
    ...insights,
    ...(groups.length ? [`main thread (simulated): ${groups.join(", ")}`] : []),
    ...(tasks.length ? [`longest tasks (simulated): ${tasks.join("; ")}`] : []),
  ];
}

const METRICS = [
  ["first-contentful-paint", "FCP"],
  ["largest-contentful-paint", "LCP"],
  ["total-blocking-time", "TBT"],
  ["cumulative-layout-shift", "CLS"],
  ["speed-index", "SI"],
] as const;

/**
 * Runs Lighthouse once on `url` with its default configuration: a mobile form factor (Moto G
 * Power-sized screen) and simulated throttling — the page loads unthrottled and Lantern computes
 * what a slow 4G phone would see. The network half of that is computed from the page's requests
 * and bytes, the same on any machine; the CPU half is this machine's observed main-thread time
 * times 4, so a busy host reads slower than the page is (see `benchmarkIndex`).
 */
export async function auditPage(url: string, port: number): Promise<PageAudit> {
  const started = performance.now();
  const result = await lighthouse(url, {
    port,
    hostname: "127.0.0.1",
    logLevel: "error",
    output: "json",
    onlyCategories: [...CATEGORIES],
    // Neither counts toward a score, and both cost seconds per page: the full-page screenshot
    // resizes the viewport to the whole page (40,000 px for a long lesson) and lays it out again;
    // the back/forward-cache check navigates away and back, only to report that Playwright's
    // launch disables that cache.
    disableFullPageScreenshot: true,
    skipAudits: ["bf-cache"],
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? 0])) as Record<Category, number>;
  const failures = Object.fromEntries(CATEGORIES.map((c) => [c, categoryFailures(lhr, c)])) as Record<Category, string[]>;
  const metrics = METRICS.map(([id, label]) => {
    const audit = lhr.audits[id];
    return `${label} ${audit?.displayValue ?? "?"} (${audit?.score ?? "?"})`;
  });
  const origin = new URL(url).origin;
  const foreignRequests = rows(lhr.audits["network-requests"]?.details)
    .map((item) => String(item["url"] ?? ""))
    .filter((u) => /^https?:/.test(u) && new URL(u).origin !== origin);
  return { url, scores, failures, metrics, foreignRequests, benchmarkIndex: lhr.environment.benchmarkIndex, ms: performance.now() - started };
}

/** The categories of `audit` below their bar, each with the audits that cost points. */
export function shortfalls(audit: PageAudit): string[] {
  return CATEGORIES.filter((c) => audit.scores[c] < THRESHOLDS[c]).map(
    (c) =>
      `${c} ${audit.scores[c]} < ${THRESHOLDS[c]}` +
      (c === "performance" ? ` (${audit.metrics.join(", ")}; host benchmarkIndex ${Math.round(audit.benchmarkIndex)})` : "") +
      `\n  ${audit.failures[c].join("\n  ") || "(no single audit below its bar)"}`,
  );
}
