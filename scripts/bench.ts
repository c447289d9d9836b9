/**
 * npm run bench — a benchmark, not a test: build time, JS shipped per page (gzip), trace and grading
 * throughput, each against the course's targets. Prints a table; exits 0 whatever the figures.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { answerKey, gradeTraceAnswer, makeQuestion, questionTrace } from "../src/quiz/trace-the-request";
import { computeTrace, getScenario, parameterSpace } from "../src/sim/index";

const DIST = "dist";
const gz = (text: string | Buffer) => gzipSync(text, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function buildTime(): number {
  const start = performance.now();
  const result = spawnSync("npm", ["run", "build"], { stdio: "ignore", env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("the build failed; run `npm run build` to see why");
  return (performance.now() - start) / 1000;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "pagefind" ? [] : htmlFiles(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

/** Every JS file a page loads before any interaction: scripts, islands, renderers, and their static imports. */
function pageScripts(html: string): { files: Set<string>; inlineBytes: number } {
  const files = new Set<string>();
  const queue: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) queue.push(m[1]!);
  for (const m of html.matchAll(/(?:component-url|renderer-url|before-hydration-url)="([^"]+)"/g)) queue.push(m[1]!);
  let inlineBytes = 0;
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) inlineBytes += gz(m[1]!);
  while (queue.length) {
    const url = queue.pop()!;
    if (!url.startsWith("/") || files.has(url)) continue;
    files.add(url);
    const code = readFileSync(join(DIST, url), "utf8");
    const dir = url.slice(0, url.lastIndexOf("/") + 1);
    for (const m of code.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+|\/[^"']+)["']/g)) {
      queue.push(m[1]!.startsWith("/") ? m[1]! : new URL(m[1]!, `http://x${dir}`).pathname);
    }
  }
  return { files, inlineBytes };
}

function throughput(work: (i: number) => void, ms = 1500): { perSecond: number; microsEach: number } {
  for (let i = 0; i < 200; i++) work(i); // warm caches and the JIT
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) work(n++);
  const elapsed = performance.now() - start;
  return { perSecond: Math.round((n / elapsed) * 1000), microsEach: (elapsed * 1000) / n };
}

const seconds = buildTime();
console.log(`Build (astro build + pagefind): ${seconds.toFixed(1)} s\n`);

console.log("JS loaded by each page before interaction (gzip -9):");
const pages = htmlFiles(DIST).sort();
for (const path of pages) {
  const html = readFileSync(path, "utf8");
  const { files, inlineBytes } = pageScripts(html);
  const bytes = [...files].reduce((sum, f) => sum + gz(readFileSync(join(DIST, f))), 0) + inlineBytes;
  const labs = (html.match(/<astro-island/g) ?? []).length;
  const target = labs ? 120 * 1024 : null;
  const verdict = target === null ? "no islands: search and theme only" : bytes <= target ? "within 120 KB" : "OVER 120 KB";
  console.log(`  /${relative(DIST, path).replace(/index\.html$/, "")}`.padEnd(34), kb(bytes).padStart(9), `${labs} island(s)`.padStart(13), ` ${verdict}`);
}
const pagefindJs = gz(readFileSync(join(DIST, "pagefind", "pagefind.js")));
console.log(`  Search, fetched on first focus of the search box: ${kb(pagefindJs)} of pagefind.js, then its WebAssembly and index\n`);

const scenario = getScenario("cloudflare-gke");
const combos = parameterSpace(scenario);
const traces = throughput((i) => computeTrace("cloudflare-gke", combos[i % combos.length], i));
console.log(`Traces: ${traces.perSecond.toLocaleString("en")} per second, ${traces.microsEach.toFixed(1)} µs each (target under 1 ms)`);

const questions = Array.from({ length: 64 }, (_, seed) => {
  const q = makeQuestion(seed);
  const trace = questionTrace(q);
  const key = answerKey(trace);
  const wrong = { hops: [...key.hops].reverse() };
  return { trace, answers: [key, wrong], known: new Set(q.options.map((o) => o.id)) };
});
const grades = throughput((i) => {
  const q = questions[i % questions.length]!;
  gradeTraceAnswer(q.answers[i % 2]!, q.trace, q.known);
});
console.log(`Grades: ${grades.perSecond.toLocaleString("en")} per second, ${grades.microsEach.toFixed(1)} µs each`);
