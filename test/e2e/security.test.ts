import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Browser, Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { hydrated, url, useBrowser } from "./browser";

/**
 * The Security gate: a strict Content-Security-Policy, written by Astro into every page as a <meta> and sent
 * by scripts/serve.mjs as a header (this suite's server), that the site keeps to — no inline handlers, every
 * inline script and style allowed by its hash, nothing from another origin — and that nothing a learner pastes
 * becomes markup. In the browser, a page fails on any CSP violation, console error or request that leaves the
 * test server's origin.
 */
const DIST = process.env.E2E_DIST ?? "dist";

/** Every page of the built site (Pagefind's files left out). */
function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "pagefind" || name === "_astro" ? [] : htmlFiles(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

const PAGES = htmlFiles(DIST)
  .map((file) => ({ path: `/${relative(DIST, file).replace(/index\.html$/, "")}`, html: readFileSync(file, "utf8") }))
  .sort((a, b) => a.path.localeCompare(b.path));

const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|quot|apos|lt|gt);/gi, (_, ref: string) => {
    const named: Record<string, string> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">" };
    return named[ref.toLowerCase()] ?? String.fromCodePoint(/^#x/i.test(ref) ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
  });
const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** The policy in a page's <meta http-equiv>, directive name → sources. */
function metaPolicy(html: string): Map<string, string[]> {
  const content = html.match(/<meta http-equiv="content-security-policy" content="([^"]*)"/)?.[1];
  if (content === undefined) throw new Error("no Content-Security-Policy <meta>");
  return parsePolicy(decode(content));
}
function parsePolicy(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

/** Inline <script>/<style> elements and every start tag's attributes, read from the HTML as served. */
function markup(html: string) {
  const inline = [...html.matchAll(/<(script|style)\b([^>]*)>([\s\S]*?)<\/\1>/gi)].map((m) => ({
    element: m[1]!.toLowerCase(),
    external: /\ssrc=/i.test(m[2]!),
    type: m[2]!.match(/\stype="([^"]*)"/i)?.[1],
    text: m[3]!,
    at: m.index,
  }));
  // Script and style contents are not markup: drop them before reading tags.
  const tagsOnly = html.replace(/<(script|style)\b([^>]*)>[\s\S]*?<\/\1>/gi, "<$1$2>");
  const attributes = [...tagsOnly.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g)].flatMap((tag) =>
    [...tag[2]!.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)].map((a) => ({
      tag: tag[1]!.toLowerCase(),
      name: a[1]!.toLowerCase(),
      value: decode(a[2] ?? a[3] ?? a[4] ?? ""),
    })),
  );
  return { inline, attributes };
}

/** Attributes that make the browser fetch or navigate. */
/**
 * The site's own origin (astro.config.mjs's `site`; SITE_URL at build time): the canonical link (Base.astro)
 * names it in full, as canonical URLs must be absolute. It is the page's own address, not another origin.
 */
const SITE_ORIGIN = new URL(process.env.SITE_URL?.trim() || "http://localhost:4321").origin;

const URL_ATTRIBUTES = new Set(["src", "href", "action", "formaction", "poster", "data", "srcset", "imagesrcset", "xlink:href", "component-url", "renderer-url", "before-hydration-url"]);

describe("the policy in the built pages", () => {
  it("finds the pages", () => {
    expect(PAGES.map((p) => p.path)).toEqual(expect.arrayContaining(["/", "/practice/", "/lessons/life-of-a-packet/", "/lessons/services-and-kube-proxy/"]));
  });

  it.each(PAGES.map((p) => [p.path, p.html] as const))("%s: strict, first in <head>, and covers every inline script and style", (_, html) => {
    const policy = metaPolicy(html);
    // Nothing by default, and no source anywhere but this origin, a hash, or a keyword that names no origin.
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'none'"]);
    for (const [name, sources] of policy) {
      for (const source of sources) expect(`${name} ${source}`).toMatch(/ ('self'|'none'|'wasm-unsafe-eval'|'unsafe-hashes'|'sha(256|384|512)-[A-Za-z0-9+/]+=*')$/);
    }
    // 'wasm-unsafe-eval' (Pagefind) compiles WebAssembly only; 'unsafe-hashes' only lets a hash match a style attribute.
    for (const [name, sources] of policy) if (sources.includes("'unsafe-hashes'")) expect(name).toBe("style-src-attr");
    for (const [name, sources] of policy) if (sources.includes("'wasm-unsafe-eval'")) expect(name).toBe("script-src");

    const { inline, attributes } = markup(html);
    const metaAt = html.search(/<meta http-equiv="content-security-policy"/);
    const scriptSrc = policy.get("script-src-elem") ?? policy.get("script-src")!;
    const styleSrc = policy.get("style-src-elem") ?? policy.get("style-src")!;
    const styleAttr = policy.get("style-src-attr") ?? [];
    const unhashed: string[] = [];
    for (const el of inline) {
      // A <meta> policy governs only what follows it.
      if (el.at < metaAt) unhashed.push(`<${el.element}> before the CSP <meta>`);
      if (el.external || (el.element === "script" && el.type && !/module|javascript/.test(el.type))) continue;
      if (!(el.element === "script" ? scriptSrc : styleSrc).includes(sha256(el.text))) unhashed.push(`<${el.element}>${el.text.slice(0, 80)}`);
    }
    for (const a of attributes.filter((a) => a.name === "style")) {
      if (!styleAttr.includes(sha256(a.value))) unhashed.push(`<${a.tag} style="${a.value}">`);
    }
    expect(unhashed).toEqual([]);
  });

  it.each(PAGES.map((p) => [p.path, p.html] as const))("%s: no inline event handlers, javascript: URLs or other origins", (_, html) => {
    const { attributes } = markup(html);
    expect(attributes.filter((a) => /^on[a-z]+$/.test(a.name)).map((a) => `<${a.tag} ${a.name}>`)).toEqual([]);
    // The regular expression the issue names, over the whole page bar script and style contents.
    expect(html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, "").match(/\son[a-z]+=/gi)).toBeNull();
    const canonical = (a: { tag: string; name: string; value: string }) => a.tag === "link" && a.name === "href" && URL.canParse(a.value) && new URL(a.value).origin === SITE_ORIGIN;
    const offsite = attributes.filter((a) => URL_ATTRIBUTES.has(a.name) && !canonical(a)).flatMap((a) =>
      a.value
        .split(/,\s*/)
        .map((candidate) => candidate.trim().split(/\s+/)[0] ?? "")
        .filter((ref) => /^\s*(javascript|data|blob|vbscript):/i.test(ref) || new URL(ref, "http://site.invalid/").origin !== "http://site.invalid")
        .map((ref) => `<${a.tag} ${a.name}="${ref}">`),
    );
    expect(offsite).toEqual([]);
  });

  it("the stylesheets load nothing from elsewhere", () => {
    const css = readdirSync(join(DIST, "_astro")).filter((f) => f.endsWith(".css"));
    expect(css.length).toBeGreaterThan(0);
    for (const file of css) {
      const text = readFileSync(join(DIST, "_astro", file), "utf8");
      expect(text.match(/@import|url\(\s*['"]?(https?:|\/\/)/gi), file).toBeNull();
    }
  });
});

describe("the server", () => {
  it.each(PAGES.map((p) => [p.path, p.html] as const))("%s: sends the page's policy as a header, with frame-ancestors and hardening headers", async (path, html) => {
    const response = await fetch(url(path));
    expect(response.status).toBe(200);
    const header = parsePolicy(response.headers.get("content-security-policy") ?? "");
    const meta = metaPolicy(html);
    expect(new Map([...header].filter(([name]) => name !== "frame-ancestors"))).toEqual(meta);
    expect(header.get("frame-ancestors")).toEqual(["'none'"]);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });

  it("sends the site's policy with everything else (Pagefind's worker runs under it), and the 404 page's with a miss", async () => {
    const home = await fetch(url("/"));
    const worker = await fetch(url("/pagefind/pagefind-worker.js"));
    expect(worker.status).toBe(200);
    expect(worker.headers.get("content-security-policy")).toBe(home.headers.get("content-security-policy"));
    expect(worker.headers.get("x-content-type-options")).toBe("nosniff");
    const missing = await fetch(url("/no-such-page/"));
    expect(missing.status).toBe(404);
    const notFound = PAGES.find((p) => p.path === "/404.html")!;
    expect(parsePolicy(missing.headers.get("content-security-policy")!).get("default-src")).toEqual(["'none'"]);
    expect(await missing.text()).toBe(notFound.html);
  });
});

describe("in the browser, under the policy", () => {
  let page: Page;
  let errors: string[];
  useBrowser({ width: 1366, height: 900 }, (_: Browser, p, e) => ((page = p), (errors = e)));

  /** Requests that left the test server's origin, CSP violations (from an init script), dialogs. */
  let offsite: string[];
  let dialogs: string[];
  let requests: string[];
  beforeEach(async () => {
    offsite = [];
    dialogs = [];
    requests = [];
    const origin = new URL(url("/")).origin;
    const watchRequest = (requestUrl: string) => {
      requests.push(requestUrl);
      if (new URL(requestUrl).origin !== origin) offsite.push(requestUrl);
    };
    page.on("request", (r) => watchRequest(r.url()));
    page.on("websocket", (ws) => offsite.push(ws.url()));
    // Pagefind searches in a worker: its console (a refused WebAssembly compile, say) counts too.
    page.on("worker", (worker) =>
      worker.on("console", (m) => {
        if (m.type() === "error") errors.push(`worker console: ${m.text()}`);
      }),
    );
    page.on("dialog", (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`));
    });
  });

  const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  const expectClean = async () => {
    // Let late work (lazy chunks, the search worker) finish before judging.
    await page.waitForLoadState("networkidle");
    expect(await violations()).toEqual([]);
    expect(offsite).toEqual([]);
    expect(dialogs).toEqual([]);
  };

  it.each(PAGES.map((p) => p.path))("%s: every island hydrates with no violation, error or request elsewhere", async (path) => {
    const response = await page.goto(url(path));
    expect(response?.headers()["content-security-policy"]).toContain("script-src");
    await hydrated(page);
    await expect(page.locator("astro-island[ssr]").count()).resolves.toBe(0);
    await expectClean();
    // The theme script (inline, allowed by its hash) ran: the toggle reads and sets the theme.
    const toggle = page.getByRole("button", { name: "Toggle dark mode" });
    await toggle.click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toMatch(/light|dark/);
    await page.reload();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toMatch(/light|dark/);
    await expectClean();
  });

  it("the journey lab loads its simulator chunk when a setting changes", async () => {
    await page.goto(url("/lessons/life-of-a-packet/#lab-journey"));
    await hydrated(page);
    const before = requests.length;
    await page.locator("#lab-journey").getByLabel("User's city").selectOption("tokyo");
    await page.waitForURL(/scenario\.city=tokyo/);
    await expect.poll(() => page.locator("#lab-journey .settings summary").textContent()).toContain("Tokyo");
    expect(requests.slice(before).some((r) => /\/_astro\/.+\.js$/.test(r)), "a lazy chunk was fetched").toBe(true);
    // The picture still moves its packet (React sets the style through the CSSOM, which CSP allows).
    await page.locator("#lab-journey .step-list [data-current]").focus();
    const where = () => page.locator("#lab-journey .journey-map .packet").evaluate((g) => getComputedStyle(g).transform);
    const first = await where();
    await page.keyboard.press("ArrowRight");
    await expect.poll(where).not.toBe(first);
    await expectClean();
  });

  it("search loads Pagefind's index and WebAssembly and finds Maglev", async () => {
    await page.goto(url("/"));
    const input = page.getByRole("searchbox", { name: "Search the course" });
    await input.focus();
    await input.fill("Maglev");
    const result = page.locator("site-search .results a").first();
    await result.waitFor();
    // The lesson about it ranks first; the flagship lesson, which meets it on the way, is among the rest.
    await expect(result.textContent()).resolves.toContain("Maglev and the GFE");
    await expect(page.locator("site-search .results").textContent()).resolves.toContain("The life of a packet");
    expect(requests.some((r) => /\/pagefind\/.*wasm/.test(r)), "Pagefind's WebAssembly was fetched").toBe(true);
    await expectClean();
  });

  it("shows pasted markup as text: no element, no handler, no dialog", async () => {
    const PAYLOAD = "<img src=x onerror=alert(1)>";
    await page.goto(url("/lessons/services-and-kube-proxy/"));
    await hydrated(page);
    const images = await page.locator("img").count();
    const lab = page.locator("#lab-paste");
    const editor = lab.getByLabel(/Kubernetes YAML/);
    // Once where YAML fails to parse (the problem quotes the line) and once as a Service's name (the API
    // server's validation names the value).
    await editor.fill(`apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: { note: ${PAYLOAD}\n`);
    const problems = lab.locator(".yaml-problems");
    await expect.poll(() => problems.textContent()).toContain(PAYLOAD);
    await expect(lab.locator("img").count()).resolves.toBe(0);
    await editor.fill(`apiVersion: v1\nkind: Service\nmetadata:\n  name: "${PAYLOAD}"\nspec:\n  ports: [{ port: 80 }]\n`);
    await expect.poll(() => problems.textContent()).toMatch(/name/);
    await expect.poll(() => problems.textContent()).toContain(`name: "${PAYLOAD}"`);
    await expect(page.locator("img").count()).resolves.toBe(images);
    await expect(page.locator('img[src="x"], [onerror]').count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.body.innerHTML.includes("<img src=\"x\""))).resolves.toBe(false);
    expect(requests.filter((r) => /\/x$/.test(new URL(r).pathname))).toEqual([]);
    await expectClean();
    expect(errors).toEqual([]);
  });
});
