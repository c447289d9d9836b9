import { parse as parseYaml } from "yaml";
import * as z from "zod/mini";

/**
 * The course glossary's authoring format (`content/glossary.yaml`): a YAML list of entries, checked when the
 * site is built. `astro.config.mjs` loads it to link each term's first use in every lesson, and
 * `src/pages/glossary/index.astro` renders it, so a bad entry fails `astro build` with the file, the entry's
 * term and the field.
 */

/** An anchor on /glossary/: lower-case letters, digits and single hyphens. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const GlossaryEntrySchema = z.object({
  /** The term as the glossary heads it: "Maglev", "conntrack", "URL map". */
  term: z.string().check(z.minLength(2, "write the term as the glossary heads it")),
  /** What an abbreviation stands for: "Google Front End" for GFE. Omit for a word that is not one. */
  expansion: z.optional(z.string().check(z.minLength(3))),
  /**
   * The entry's anchor on /glossary/ (`/glossary/#maglev`). Lower-case letters, digits and hyphens; lessons and
   * other pages link to it, so keep it stable.
   */
  id: z.string().check(z.regex(SLUG, "lower-case letters, digits and single hyphens, e.g. url-map")),
  /**
   * The spellings linked in lessons, exactly as they appear in prose: a form with a capital letter matches only
   * as written ("NEG" never links "neg"); a form in lower case also matches with its first letter capitalised,
   * at the start of a sentence. Forms match whole words only. Plurals are forms of their own ("NEGs").
   * @example match: ["NEG", "NEGs", "network endpoint group", "network endpoint groups"]
   */
  match: z
    .array(z.string().check(z.minLength(2), z.refine((form) => form.trim() === form, "no space at either end")))
    .check(z.minLength(1, "list at least one spelling to link, usually the term itself")),
  /**
   * One sentence, plain text, at most 160 characters: the link's tooltip in lessons. It must read on its own.
   */
  short: z
    .string()
    .check(
      z.minLength(20, "one whole sentence a reader can take in from a tooltip"),
      z.maxLength(160, "at most 160 characters: it is shown as a tooltip"),
      z.refine((s) => !s.includes("`"), "plain text only: a tooltip cannot show `code`"),
      z.refine((s) => /[.?!)]$/.test(s.trim()), "end the sentence with a full stop"),
    ),
  /**
   * The definition on /glossary/: one or more paragraphs (separated by a blank line), in our own words and exact
   * where the real systems are exact. `backticks` mark code.
   */
  definition: z.string().check(z.minLength(80, "say what the thing is, what it does and where the course meets it")),
  /** Ids of related entries, shown as "See also". */
  see: z.optional(z.array(z.string().check(z.regex(SLUG, "an entry's id")))),
});

export type GlossaryEntryInput = z.input<typeof GlossaryEntrySchema>;
export type GlossaryEntry = z.output<typeof GlossaryEntrySchema>;

const GlossarySchema = z.array(z.unknown()).check(z.minLength(1, "the glossary has no entries"));

/** A glossary that cannot be used; `message` names the file, the entry's term and the field. */
export class GlossaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GlossaryError";
  }
}

function describePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
}

/**
 * Parses and checks the glossary's YAML. Throws a GlossaryError listing every problem, one line each:
 * `content/glossary.yaml: "Maglev" (entry 7): short: at most 160 characters: it is shown as a tooltip`.
 * Beyond each entry's fields it checks that ids and linked spellings are unique and that `see` names entries
 * that exist. Entries come back sorted by term, case-insensitively, as the glossary page lists them.
 *
 * @example parseGlossary("- term: GFE\n  id: gfe\n  …", "content/glossary.yaml")
 */
export function parseGlossary(text: string, file: string): GlossaryEntry[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new GlossaryError(`${file}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const list = GlossarySchema.safeParse(raw);
  if (!list.success) throw new GlossaryError(`${file}: expected a YAML list of entries ("- term: …"): ${list.error.issues[0]?.message}`);

  const problems: string[] = [];
  const entries: GlossaryEntry[] = [];
  list.data.forEach((item, index) => {
    const name = typeof item === "object" && item && "term" in item && typeof item.term === "string" ? `"${item.term}"` : "an entry";
    const where = `${file}: ${name} (entry ${index + 1})`;
    const parsed = GlossaryEntrySchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${describePath(issue.path) || "entry"}: ${issue.message}`);
      return;
    }
    entries.push(parsed.data);
  });

  const ids = new Map<string, string>();
  const forms = new Map<string, string>();
  for (const entry of entries) {
    const clash = ids.get(entry.id);
    if (clash) problems.push(`${file}: "${entry.term}": id: "${entry.id}" is already the id of "${clash}"`);
    ids.set(entry.id, entry.term);
    for (const form of entry.match) {
      const owner = forms.get(form);
      if (owner && owner !== entry.term) problems.push(`${file}: "${entry.term}": match: "${form}" already links to "${owner}"`);
      forms.set(form, entry.term);
    }
  }
  for (const entry of entries) {
    for (const id of entry.see ?? []) {
      if (id === entry.id) problems.push(`${file}: "${entry.term}": see: an entry cannot refer to itself`);
      else if (!ids.has(id)) problems.push(`${file}: "${entry.term}": see: no entry has the id "${id}"`);
    }
  }
  if (problems.length > 0) throw new GlossaryError(problems.join("\n"));
  return entries.sort((a, b) => a.term.localeCompare(b.term, "en", { sensitivity: "base" }));
}
