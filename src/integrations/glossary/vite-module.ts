import type { Plugin } from "vite";
import type { GlossaryEntry } from "./schema";

/** The module pages import the checked glossary from (declared in ./virtual-module.d.ts). */
export const GLOSSARY_MODULE = "virtual:packet-lab/glossary";
const RESOLVED = `\0${GLOSSARY_MODULE}`;

/**
 * Hands the glossary astro.config.mjs loaded and checked to the pages that list it (/glossary/), as a virtual
 * module: the page and the lesson links read one parse of one file, and no page reaches outside src/ for it.
 *
 * @example vite: { plugins: [glossaryModule(loadGlossary())] } // then: import entries from "virtual:packet-lab/glossary"
 */
export function glossaryModule(entries: readonly GlossaryEntry[]): Plugin {
  return {
    name: "packet-lab:glossary-module",
    resolveId: (id) => (id === GLOSSARY_MODULE ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? `export default ${JSON.stringify(entries)};` : undefined),
  };
}
