// @ts-check
import mdx from "@astrojs/mdx";
import { satteri } from "@astrojs/markdown-satteri";
import react from "@astrojs/react";
import { defineConfig } from "astro/config";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mdxWidgetCheck } from "./src/components/mdx-widgets.ts";
import { loadGlossary } from "./src/integrations/glossary/load.ts";
import { glossaryLinks } from "./src/integrations/glossary/satteri-plugin.ts";
import { glossaryModule } from "./src/integrations/glossary/vite-module.ts";
import { offlineServiceWorker } from "./src/integrations/service-worker.ts";

/**
 * Adds the hashes of the `style` attributes server-rendered into the built pages to every page's CSP <meta>.
 *
 * React renders a `style` prop into the HTML as an attribute (the journey picture places its packet with
 * `style={{ transform }}`), and the browser checks such attributes against `style-src-attr`; once hydrated,
 * React changes styles through the CSSOM, which CSP does not govern. So the only style attributes the policy
 * must admit are the ones in the built HTML, a known, finite set: each is allowed by its hash
 * (`'unsafe-hashes'` lets a hash match an attribute), and any other style attribute — one injected into the
 * page — is refused. The set is the union over all pages, so the whole site has one policy, which the server
 * sends as a header too. Without such attributes the directive is `'none'`.
 *
 * Runs before Pagefind indexes the build (`npm run build`); Pagefind does not read the policy.
 *
 * @returns {import("astro").AstroIntegration}
 */
function cspStyleAttributes() {
  const META = /<meta http-equiv="content-security-policy" content="([^"]*)"/;
  return {
    name: "packet-lab:csp-style-attributes",
    hooks: {
      "astro:build:done": async ({ dir }) => {
        const root = fileURLToPath(dir);
        const entries = await readdir(root, { recursive: true });
        const pages = await Promise.all(
          entries.filter((f) => f.endsWith(".html")).map(async (f) => ({ path: join(root, f), html: await readFile(join(root, f), "utf8") })),
        );
        /** @type {Set<string>} */
        const hashes = new Set();
        for (const { html } of pages) {
          const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
          for (const [, value = ""] of markup.matchAll(/<[a-z][^>]*?\sstyle="([^"]*)"/gi)) {
            hashes.add(`'sha256-${createHash("sha256").update(decodeAttribute(value)).digest("base64")}'`);
          }
        }
        // Astro hashes the <style> blocks it inlines, except a component's inside a lesson's MDX: hash every
        // block in the built pages, so each is allowed whatever put it there.
        /** @type {Set<string>} */
        const blocks = new Set();
        for (const { html } of pages) {
          for (const [, css = ""] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
            blocks.add(`'sha256-${createHash("sha256").update(css).digest("base64")}'`);
          }
        }
        const withBlocks = (/** @type {string} */ policy) =>
          policy.replace(/style-src ([^;]*)/, (_, list) => `style-src ${[...new Set([...list.trim().split(/\s+/), ...[...blocks].sort()])].join(" ")}`);
        const styleSrcAttr = hashes.size > 0 ? `style-src-attr 'unsafe-hashes' ${[...hashes].sort().join(" ")};` : "style-src-attr 'none';";
        for (const { path, html } of pages) {
          if (!META.test(html)) throw new Error(`${path}: no Content-Security-Policy <meta> (is security.csp on?)`);
          await writeFile(path, html.replace(META, (meta, policy) => meta.replace(policy, () => `${withBlocks(policy).trimEnd()} ${styleSrcAttr}`)));
        }
      },
    },
  };
}

/**
 * An attribute's value as the browser hashes it: after its character references are decoded.
 * @param {string} value
 */
function decodeAttribute(value) {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|quot|apos|lt|gt);/gi, (_, ref) => {
    const named = /** @type {Record<string, string>} */ ({ amp: "&", quot: '"', apos: "'", lt: "<", gt: ">" })[ref.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
  });
}

/**
 * The origin the course is published at: Open Graph and canonical URLs are absolute (Base.astro). `SITE_URL`
 * overrides it at build time (`SITE_URL=https://packetlab.example npm run build`), so a deployment gets its own.
 * @param {string | undefined} value
 */
function siteUrl(value) {
  const site = value?.trim() || "http://localhost:4321";
  let url;
  try {
    url = new URL(site);
  } catch {
    throw new Error(`SITE_URL=${JSON.stringify(value)} is not an absolute URL; expected e.g. https://packetlab.example`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`SITE_URL=${JSON.stringify(value)}: expected an http(s) origin`);
  return url.origin;
}

/**
 * `client:needed` (src/integrations/needed-directive.ts): hydrate an island at once only when the address or
 * saved progress needs it, otherwise as its interactive parts come into view.
 * @returns {import("astro").AstroIntegration}
 */
function neededDirective() {
  return {
    name: "packet-lab:client-needed",
    hooks: {
      "astro:config:setup": ({ addClientDirective }) => {
        addClientDirective({ name: "needed", entrypoint: fileURLToPath(new URL("./src/integrations/needed-directive.ts", import.meta.url)) });
      },
    },
  };
}

/** content/glossary.yaml, checked: a bad entry stops the build here, naming the term and the field. */
const glossary = loadGlossary(new URL("./", import.meta.url));

export default defineConfig({
  site: siteUrl(process.env.SITE_URL),
  trailingSlash: "ignore",
  // The service worker goes last: it precaches the built files, so every hook that rewrites them runs before it.
  integrations: [mdx(), react(), neededDirective(), cspStyleAttributes(), offlineServiceWorker()],
  markdown: {
    // Astro's Markdown processor (Sätteri), also used for MDX. Its mdast plugin links the first use of each
    // glossary term in every lesson to /glossary/.
    processor: satteri({ mdastPlugins: [glossaryLinks(glossary)] }),
  },
  // Widget props in lessons are checked against src/components/registry.ts at build time.
  // The glossary page reads the same checked glossary as a virtual module.
  vite: { plugins: [mdxWidgetCheck(), glossaryModule(glossary)] },
  build: { format: "directory" },
  devToolbar: { enabled: false },
  security: {
    // Astro writes the Content-Security-Policy into every page as a <meta http-equiv> (for static hosts), with
    // `script-src` and `style-src` computed from the hashes of every script and style it emits (island
    // hydration, the bundled <script>s it inlines, the layout's theme script); cspStyleAttributes() above adds
    // `style-src-attr`, and scripts/serve.mjs sends the same policy as a header. Astro does not apply it in
    // `astro dev`.
    csp: {
      // Everything the course loads comes from its own origin: no fonts, frames, media or plugins at all;
      // images and fetches (Pagefind's index and WebAssembly, the labs' lazy chunks) from 'self', and
      // Pagefind's search worker, /pagefind/pagefind-worker.js. `frame-ancestors` cannot be set from a <meta>:
      // the server adds it to its header.
      directives: ["default-src 'none'", "img-src 'self'", "connect-src 'self'", "worker-src 'self'", "base-uri 'none'", "form-action 'none'"],
      // 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly index; it allows no JavaScript eval.
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
    },
  },
});
