/**
 * The layering rule, enforced: `src/sim` ← `src/machines` ← `src/quiz` ← `src/components` (and pages,
 * layouts). Each layer imports only the layers before it and a short list of packages, and the
 * simulation core imports no module of its own system folders (kube/, edge/, netfilter/ …): modules
 * plug into the core, never the other way round.
 *
 * `npm run lint:layers` runs it over the tree; exits 1 listing every import that breaks the rule.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";

export interface SourceFile {
  /** Path from the project root, with forward slashes: "src/sim/kube/model.ts". */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly path: string;
  readonly line: number;
  readonly specifier: string;
  readonly reason: string;
}

type Layer = "sim" | "machines" | "quiz" | "components";

const RANK: Record<Layer, number> = { sim: 0, machines: 1, quiz: 2, components: 3 };

/** Packages each layer may use; anything else (react in sim, xstate in quiz, node: anywhere in src) is a violation. */
const PACKAGES: Record<Layer, readonly string[]> = {
  sim: ["zod", "yaml", "ipaddr.js", "lz-string", "@noble/hashes", "@peculiar/x509", "reflect-metadata"],
  machines: ["zod", "xstate"],
  quiz: ["zod", "ts-fsrs", "ipaddr.js"],
  components: ["*"],
};

/** Browser globals a pure simulation must not touch (it also runs in Node, in tests and the CLI). */
const DOM_GLOBALS = /\b(?:window|document|localStorage|sessionStorage|navigator)\s*\./;

function layerOf(path: string): Layer | null {
  const m = /^src\/(sim|machines|quiz|components|pages|layouts)\//.exec(path);
  if (!m) return null;
  const name = m[1]!;
  return name === "pages" || name === "layouts" ? "components" : (name as Layer);
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*\(?\s*["']([^"']+)["']/g;

/** Every import that breaks the layering rule, in file and line order. */
export function checkLayers(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer) continue;
    const lines = file.text.split("\n");
    lines.forEach((text, index) => {
      const line = index + 1;
      if (layer === "sim" && DOM_GLOBALS.test(text) && !/^\s*(?:\/\/|\*)/.test(text)) {
        violations.push({ path: file.path, line, specifier: text.trim(), reason: "src/sim is pure: no browser globals" });
      }
      for (const m of text.matchAll(IMPORT)) {
        const specifier = (m[1] ?? m[2])!;
        const reason = judge(file.path, layer, specifier);
        if (reason) violations.push({ path: file.path, line, specifier, reason });
      }
    });
  }
  return violations;
}

function judge(path: string, layer: Layer, specifier: string): string | null {
  if (specifier.startsWith(".")) {
    const target = posix.normalize(posix.join(posix.dirname(path), specifier));
    const targetLayer = layerOf(target.endsWith("/") ? target : `${target}/`) ?? layerOf(target);
    if (targetLayer === null) return target.startsWith("src/") ? null : `src/${layer} imports from outside src/`;
    if (RANK[targetLayer] > RANK[layer]) return `src/${layer} may not import src/${targetLayer} (layers import only the ones before them)`;
    if (layer === "quiz" && targetLayer === "machines") return "src/quiz imports only src/sim";
    if (path.startsWith("src/sim/core/") && !/^src\/sim\/(?:core|net)\//.test(target)) {
      return "the simulation core imports no system module; modules plug into the core";
    }
    return null;
  }
  if (specifier.startsWith("astro:") || specifier.startsWith("virtual:")) {
    return layer === "components" ? null : `src/${layer} may not use ${specifier}`;
  }
  if (specifier.startsWith("node:")) return `src/${layer} runs in the browser too: no ${specifier}`;
  const allowed = PACKAGES[layer];
  if (allowed.includes("*") || allowed.includes(packageName(specifier))) return null;
  return `src/${layer} may not import the package "${packageName(specifier)}"`;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.(?:ts|tsx|astro|mjs)$/.test(name) ? [path] : [];
  });
}

/** The project's own source files. */
export function projectSources(root = "."): SourceFile[] {
  return walk(join(root, "src")).map((p) => ({ path: relative(root, p).split(sep).join("/"), text: readFileSync(p, "utf8") }));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split(sep).join("/"))) {
  const violations = checkLayers(projectSources());
  for (const v of violations) console.error(`${v.path}:${v.line}: ${v.specifier}: ${v.reason}`);
  if (violations.length) {
    console.error(`${violations.length} layering violation(s)`);
    process.exitCode = 1;
  } else console.log("layers: every import respects sim ← machines ← quiz ← components");
}
