import type { Root } from "mdast";
import type { MdastPluginDefinition } from "satteri";
import { compileGlossary, planTermLinks } from "./link-terms";
import type { GlossaryEntry } from "./schema";

/**
 * The glossary links as a plugin of Sätteri, the Markdown processor Astro 7 compiles `.md` and `.mdx` with
 * (`markdown.processor` in astro.config.mjs; the MDX integration uses the same processor). Its mdast plugins
 * play the part remark plugins play in unified: this one reads the whole tree once, before the processor's own
 * visitors, and splits each text node that holds a term's first use (see `planTermLinks`).
 *
 * Given as a factory, so Sätteri calls it once per document and nothing is shared between lessons.
 *
 * @example satteri({ mdastPlugins: [glossaryLinks(loadGlossary())] })
 */
export function glossaryLinks(entries: readonly GlossaryEntry[], page = "/glossary/"): () => MdastPluginDefinition {
  const matcher = compileGlossary(entries, page);
  return () => ({
    name: "packet-lab:glossary-links",
    before(root, ctx) {
      // The tree Sätteri hands over is typed as read-only mdast; planTermLinks only reads it.
      for (const { node, parts } of planTermLinks(root as Root, matcher)) ctx.replaceNode(node, parts);
    },
  });
}
