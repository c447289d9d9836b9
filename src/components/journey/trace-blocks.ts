import type { Trace } from "../../sim/core/trace";

/**
 * Build-time traces shared by a page's journey labs. A lab opens on the trace of its settings' defaults,
 * computed when the site is built; handed over as island props, each lab carried its own copy (the flagship
 * lesson carried the same 46 KB trace four times, in Astro's wordier prop encoding). Instead the page holds
 * each distinct trace once, as JSON in a `<script type="application/json">` (data, never run, so outside the
 * Content-Security-Policy's script rules), and a lab's props name it by a hash of its text. Rendering on the
 * server reads the trace from the registry `JourneyLab.astro` filled; hydrating in the browser reads the
 * page's block, parsed once for all the labs that share it.
 */

const built = new Map<string, Trace>();
const parsed = new Map<string, Trace>();

/** The trace as the text of its block: JSON with every `<` escaped, so the text can never close the element. */
export function traceBlockText(trace: Trace): string {
  return JSON.stringify(trace).replace(/</g, "\\u003c");
}

/** A short name for a block's text (FNV-1a, 32 bits): the same trace gets the same name on every page. */
export function traceBlockKey(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${hash.toString(16).padStart(8, "0")}-${text.length.toString(36)}`;
}

/** The block's element id. */
export const traceBlockId = (key: string) => `journey-trace-${key}`;

/** Called when the site is built, before the lab that uses the trace is rendered. */
export function registerTrace(key: string, trace: Trace): void {
  built.set(key, trace);
}

const written = new WeakMap<object, Set<string>>();

/** True the first time a page (its build-time request) asks for a block: that lab writes it, later ones only name it. */
export function firstOnPage(page: object, key: string): boolean {
  const keys = written.get(page) ?? new Set<string>();
  written.set(page, keys);
  if (keys.has(key)) return false;
  keys.add(key);
  return true;
}

/** The trace a lab's props name: from the registry while building, from the page's block in the browser. */
export function sharedTrace(key: string): Trace {
  if (typeof document === "undefined") {
    const trace = built.get(key);
    if (!trace) throw new Error(`No trace ${key} was registered while building this page.`);
    return trace;
  }
  const known = parsed.get(key);
  if (known) return known;
  const text = document.getElementById(traceBlockId(key))?.textContent;
  if (!text) throw new Error(`This page has no journey trace ${key}.`);
  const trace = JSON.parse(text) as Trace;
  parsed.set(key, trace);
  return trace;
}
