import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseGlossary, type GlossaryEntry } from "./schema";

/** The glossary's source, relative to the repository root (as error messages name it). */
export const GLOSSARY_FILE = "content/glossary.yaml";

/**
 * Reads and checks `content/glossary.yaml` (for astro.config.mjs, which runs in Node at build time). A bad entry
 * throws a GlossaryError naming the term and the field, which stops `astro build` and `astro dev`.
 */
export function loadGlossary(root: URL = new URL("../../../", import.meta.url)): GlossaryEntry[] {
  return parseGlossary(readFileSync(fileURLToPath(new URL(GLOSSARY_FILE, root)), "utf8"), GLOSSARY_FILE);
}
