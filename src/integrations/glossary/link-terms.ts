import type { Link, Nodes, PhrasingContent, Root, Text } from "mdast";
import type { GlossaryEntry } from "./schema";

/**
 * Which words of a lesson become links to the glossary: the first use of each term, in prose only. Pure: it
 * reads an mdast tree (Markdown, or MDX with its JSX nodes) and says which text nodes to split, so the same
 * code runs in the build (`./satteri-plugin.ts`) and in unit tests on hand-made trees.
 *
 * Prose is text in paragraphs, lists, block quotes, emphasis and table bodies, and inside plain HTML written in
 * MDX (`<div class="note">`, `<em>`). Never linked: headings, code, existing links, table header rows, MDX
 * components (`<JourneyLab … />`, any capitalised tag), the title that opens a note
 * (`<div class="note"><strong>Title</strong> …`), expressions and imports.
 */

/** A glossary ready for matching: one pattern for every spelling of every term. */
export interface GlossaryMatcher {
  /** All spellings, longest first so "SNAT" never wins over "SNAT rule" at the same place; whole words only. */
  readonly pattern: RegExp;
  /** The entry of a matched spelling (lower-case forms stored with their first letter in lower case). */
  readonly entryOf: (matched: string) => GlossaryEntry | undefined;
  /** Where an entry's link points: `/glossary/#maglev`. */
  readonly href: (entry: GlossaryEntry) => string;
}

/** A text node to replace by the same text with its first uses of terms turned into links. */
export interface TermLinkEdit {
  readonly node: Text;
  readonly parts: PhrasingContent[];
}

/** The class every glossary link carries (styled in course.css's reading rules, found by the tests). */
export const GLOSSARY_LINK_CLASS = "glossary-term";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isLowerCase = (form: string) => form === form.toLowerCase();
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * Compiles the glossary into one matcher. A form written in lower case ("conntrack") also matches with a
 * capital first letter ("Conntrack", opening a sentence); any other form matches exactly as written. A match
 * must not touch a letter, digit, underscore or hyphen on either side: "NEG" does not link "NEGATIVE", and
 * "kube-proxy" is not found in "kube-proxy-config".
 *
 * @example compileGlossary(entries, "/glossary/").pattern.exec("the GFE answers")?.[0] // "GFE"
 */
export function compileGlossary(entries: readonly GlossaryEntry[], page = "/glossary/"): GlossaryMatcher {
  const byForm = new Map<string, GlossaryEntry>();
  for (const entry of entries) for (const form of entry.match) byForm.set(isLowerCase(form) ? lowerFirst(form) : form, entry);
  const forms = [...byForm.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const alternatives = forms.map((form) => {
    if (!isLowerCase(form) || !/^\p{Ll}/u.test(form)) return escapeRegExp(form);
    const first = form.charAt(0);
    return `[${escapeRegExp(first)}${escapeRegExp(first.toUpperCase())}]${escapeRegExp(form.slice(1))}`;
  });
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_-])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_-])`, "gu");
  return {
    pattern,
    entryOf: (matched) => byForm.get(matched) ?? byForm.get(lowerFirst(matched)),
    href: (entry) => `${page}#${entry.id}`,
  };
}

/** HTML elements written in MDX whose text is still prose. Anything else (a, code, pre, h1…h6, components) is not. */
const PROSE_ELEMENTS = new Set([
  "div", "p", "span", "em", "i", "strong", "b", "u", "s", "small", "mark", "sub", "sup",
  "ul", "ol", "li", "dl", "dd", "blockquote", "figcaption", "aside", "section",
]);

/** Node types whose text is never linked, whatever they hold. */
const NOT_PROSE = new Set([
  "heading", "code", "inlineCode", "link", "linkReference", "definition", "html", "image", "imageReference",
  "footnoteDefinition", "mdxjsEsm", "mdxFlowExpression", "mdxTextExpression", "yaml", "toml", "math", "inlineMath",
]);

interface JsxElement {
  readonly type: "mdxJsxFlowElement" | "mdxJsxTextElement";
  readonly name: string | null;
  readonly children: readonly Nodes[];
}
type AnyNode = Nodes | JsxElement | { readonly type: string; readonly children?: readonly unknown[] };

const isJsx = (node: AnyNode): node is JsxElement => node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
const childrenOf = (node: AnyNode): readonly AnyNode[] => ("children" in node && Array.isArray(node.children) ? (node.children as AnyNode[]) : []);

/**
 * The first use of each term in the document, as edits to make: each text node holding a first use, with the
 * text split around it and the term wrapped in a link titled with the entry's one-sentence summary. A term is
 * linked once per document, whichever of its spellings comes first.
 *
 * @example
 * planTermLinks({ type: "root", children: [{ type: "paragraph", children: [{ type: "text", value: "Maglev and Maglev" }] }] }, matcher)
 * // [{ node, parts: [link("Maglev"), text(" and Maglev")] }]
 */
export function planTermLinks(root: Root, matcher: GlossaryMatcher): TermLinkEdit[] {
  const linked = new Set<string>();
  const edits: TermLinkEdit[] = [];

  const visitText = (node: Text) => {
    const parts: PhrasingContent[] = [];
    let at = 0;
    for (const match of node.value.matchAll(matcher.pattern)) {
      const entry = matcher.entryOf(match[0]);
      if (!entry || linked.has(entry.id)) continue;
      linked.add(entry.id);
      if (match.index > at) parts.push({ type: "text", value: node.value.slice(at, match.index) });
      const link: Link = {
        type: "link",
        url: matcher.href(entry),
        title: entry.short,
        children: [{ type: "text", value: match[0] }],
        data: { hProperties: { className: [GLOSSARY_LINK_CLASS] } },
      };
      parts.push(link);
      at = match.index + match[0].length;
    }
    if (parts.length === 0) return;
    if (at < node.value.length) parts.push({ type: "text", value: node.value.slice(at) });
    edits.push({ node, parts });
  };

  const visit = (node: AnyNode, parent: AnyNode | null) => {
    if (NOT_PROSE.has(node.type)) return;
    if (node.type === "text") return visitText(node as Text);
    if (isJsx(node)) {
      if (!node.name || !PROSE_ELEMENTS.has(node.name)) return;
      // A note's title: <div class="note"><strong>Title</strong> … — it reads as a heading.
      if ((node.name === "strong" || node.name === "b") && parent?.type === "paragraph" && childrenOf(parent)[0] === node) return;
    }
    const children = childrenOf(node);
    children.forEach((child, index) => {
      // A table's first row is its header (<th> cells).
      if (node.type === "table" && index === 0) return;
      visit(child, node);
    });
  };

  visit(root, null);
  return edits;
}
