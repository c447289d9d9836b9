/**
 * What a built page costs in JavaScript before the learner does anything: its scripts, its islands'
 * components and renderers, and everything those import statically (a dynamic import is fetched later,
 * on demand). Shared by `npm run bench` and the budget test, so both count the same bytes.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const gz = (text: string | Buffer) => gzipSync(text, { level: 9 }).length;

/** Every HTML page under a build directory (Pagefind's own files left out). */
export function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "pagefind" ? [] : htmlFiles(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

/** Whether a `<script>` start tag's attributes make it JavaScript (no type, a JavaScript type, or a module). */
export function isJavaScript(attributes: string): boolean {
  const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
  return type === undefined || type === "module" || /^(text|application)\/(x-)?(java|ecma)script$/.test(type);
}

/** Every JS file a page loads before any interaction, and the gzipped size of its inline scripts. */
export function pageScripts(dist: string, html: string): { files: Set<string>; inlineBytes: number } {
  const files = new Set<string>();
  const queue: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) queue.push(m[1]!);
  for (const m of html.matchAll(/(?:component-url|renderer-url|before-hydration-url)="([^"]+)"/g)) queue.push(m[1]!);
  let inlineBytes = 0;
  // Inline scripts count; data blocks (`<script type="application/json">`, a journey lab's build-time trace) are
  // never run, and count no more than island props do.
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)) if (isJavaScript(m[1]!)) inlineBytes += gz(m[2]!);
  while (queue.length) {
    const path = queue.pop()!;
    if (!path.startsWith("/") || files.has(path)) continue;
    files.add(path);
    const code = readFileSync(join(dist, path), "utf8");
    const dir = path.slice(0, path.lastIndexOf("/") + 1);
    for (const m of code.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+|\/[^"']+)["']/g)) {
      queue.push(m[1]!.startsWith("/") ? m[1]! : new URL(m[1]!, `http://x${dir}`).pathname);
    }
  }
  return { files, inlineBytes };
}

/** Gzipped JS bytes a page loads before interaction. */
export function pageJsBytes(dist: string, html: string): { bytes: number; files: Set<string> } {
  const { files, inlineBytes } = pageScripts(dist, html);
  return { bytes: [...files].reduce((sum, f) => sum + gz(readFileSync(join(dist, f))), 0) + inlineBytes, files };
}
