import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * `npm ci` refuses a lockfile that lacks a package another one lists among its optionalDependencies
 * (npm/cli#4828): npm sometimes writes only this machine's platform binaries, and CI then fails on a
 * fresh clone. Every optional dependency of every locked package must be locked too.
 */
interface Locked {
  readonly version?: string;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly os?: readonly string[];
}
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { lockfileVersion: number; packages: Record<string, Locked> };

/** Where npm would resolve `name` from the package at `from` (its own node_modules, then each ancestor's). */
function resolve(from: string, name: string): Locked | undefined {
  let base = from;
  for (;;) {
    const found = lock.packages[`${base ? `${base}/` : ""}node_modules/${name}`];
    if (found) return found;
    if (!base) return undefined;
    const cut = base.lastIndexOf("node_modules/");
    base = cut <= 0 ? "" : base.slice(0, cut - 1);
  }
}

describe("package-lock.json", () => {
  it("is a version 3 lockfile", () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it("locks every platform's optional binaries, so npm ci works on any machine", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [path, pkg] of Object.entries(lock.packages)) {
      for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
        checked++;
        if (!resolve(path, name)) missing.push(`${path || "(root)"} → ${name}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it("holds binaries for Linux, macOS and Windows for the Astro compiler and Pagefind", () => {
    const platforms = (prefix: string) =>
      new Set(Object.entries(lock.packages).filter(([p]) => p.startsWith(`node_modules/${prefix}`)).flatMap(([, v]) => v.os ?? []));
    for (const prefix of ["@astrojs/compiler-binding-", "@pagefind/"]) {
      expect([...platforms(prefix)].sort(), prefix).toEqual(expect.arrayContaining(["darwin", "linux", "win32"]));
    }
  });
});
