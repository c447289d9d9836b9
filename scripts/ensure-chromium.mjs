/**
 * The browser tests drive Debian's Chromium. On a fresh machine without it, `npm test` installs it from
 * Debian when it runs as root (as CI does), or stops with one line saying how — never a stack trace.
 * CHROMIUM_PATH names another Chromium; it is not installed over.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const runnable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

if (!runnable(path)) {
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH is ${path}, which is not an executable file: point it at a Chromium, or unset it to use Debian's /usr/bin/chromium.`);
    process.exit(1);
  }
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = runnable("/usr/bin/apt-get");
  if (!root || !apt) {
    console.error(
      apt
        ? "The browser tests need Chromium: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium), then `npm test` again."
        : "The browser tests need Chromium at /usr/bin/chromium: install it, or set CHROMIUM_PATH to a Chromium, then `npm test` again.",
    );
    process.exit(1);
  }
  console.log("Chromium is missing: installing Debian's chromium package (apt-get install -y chromium) for the browser tests.");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args) => spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env }).status === 0;
  if (!run(["update", "-qq"]) || !run(["install", "-y", "-qq", "chromium"]) || !runnable(path)) {
    console.error("Installing Chromium with apt-get failed (see above); install it by hand with `apt-get install -y chromium`, or set CHROMIUM_PATH.");
    process.exit(1);
  }
}
