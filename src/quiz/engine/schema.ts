import { editDistance } from "../../sim/net/edit-distance";
import * as z from "zod/mini";
import { CONCEPTS } from "./concepts";
import { QUESTION_KINDS, type AnyTemplate, type QuestionKind } from "./types";

/**
 * The authoring format of the question bank, checked when the site is built: the `questions` content
 * collection (`src/content.config.ts`) loads one entry per template with `questionEntry` and validates
 * it with `questionEntrySchema`, and `test/quiz/bank/schema.test.ts` runs the same schema. A template
 * is TypeScript, so the compiler already checks its shape; what it cannot check is that the strings
 * point at real things — a lesson that exists, concepts in the catalogue, the file the template says
 * it lives in, an id no other template uses. Every message starts with the template's file, and the
 * issue's path is the field, so a bad question fails the build with both.
 */

/** What the schema checks against: the repository as the build sees it. */
export interface BankContext {
  /** Lesson slugs: the files of `content/lessons/` without `.mdx` ("life-of-a-packet"). */
  readonly lessons: readonly string[];
  /** Every file under `src/quiz/bank/`, relative to the repository root, with forward slashes. */
  readonly bankFiles: readonly string[];
  /** For each template id, the files of every template that declares it; more than one is a clash. */
  readonly idFiles: ReadonlyMap<string, readonly string[]>;
}

/** One question as the `questions` collection stores it: the template's metadata and a look at seed 0. */
export interface QuestionEntry {
  readonly id: string;
  readonly kind: QuestionKind;
  readonly title: string;
  readonly lesson: string;
  readonly concepts: readonly string[];
  readonly file: string;
  readonly source?: string | undefined;
  /** Seed 0's variant, summarised: enough for a bank overview page without running the simulator. */
  readonly sample: { readonly seed: number; readonly prompt: string; readonly hints: number; readonly misconceptions: number };
}

const BANK_DIR = "src/quiz/bank/";

/** The entry the collection validates for one template; a template whose seed 0 throws is reported with its file. */
export function questionEntry(template: AnyTemplate): QuestionEntry {
  let sample: QuestionEntry["sample"];
  try {
    const variant = template.variant(0);
    sample = { seed: 0, prompt: variant.prompt, hints: variant.hints.length, misconceptions: variant.misconceptions.length };
  } catch (error) {
    throw new Error(`${template.file}: variant(0) throws: ${(error as Error).message}`, { cause: error });
  }
  return {
    id: template.id,
    kind: template.kind,
    title: template.title,
    lesson: template.lesson,
    concepts: template.concepts,
    file: template.file,
    ...(template.source === undefined ? {} : { source: template.source }),
    sample,
  };
}

/** Which template ids are used by which files, for the uniqueness check. */
export function idFilesOf(templates: readonly { readonly id: string; readonly file: string }[]): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const t of templates) byId.set(t.id, [...(byId.get(t.id) ?? []), t.file]);
  return byId;
}

/** A list for a message: the first few items, and how many more. */

function some(items: readonly string[], max = 8): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/** Ids are kebab-case, like the file names they match (STYLE.md). */
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The schema of one `questions` entry. Field types are checked first; then every reference is
 * checked in one pass that knows the template's file, so each message can start with it.
 *
 * @example
 * const schema = questionEntrySchema({ lessons: ["life-of-a-packet"], bankFiles, idFiles: idFilesOf(TEMPLATES) });
 * schema.safeParse(questionEntry(template)); // issues carry path ["lesson"] and "src/quiz/bank/…: …"
 */
export function questionEntrySchema(context: BankContext) {
  const lessons = new Set(context.lessons);
  const bankFiles = new Set(context.bankFiles);
  const shape = z.object({
    /** The template's id: kebab-case, unique in the bank, and the name of its file. */
    id: z.string(),
    /** One of `QUESTION_KINDS`. */
    kind: z.string(),
    /** The question's title on the practice page. */
    title: z.string(),
    /** The slug of the lesson the question practises (a file in `content/lessons/`). */
    lesson: z.string(),
    /** Ids from `CONCEPTS`, at least one. */
    concepts: z.array(z.string()),
    /** The template's source file, relative to the repository root. */
    file: z.string(),
    /** Where the question comes from, when it is one of the source material's interview questions. */
    source: z.optional(z.string()),
    /** Seed 0's variant, summarised. */
    sample: z.object({ seed: z.number(), prompt: z.string(), hints: z.number(), misconceptions: z.number() }),
  });
  return z.pipe(
    shape.check(
      z.superRefine((entry, ctx) => {
        const fail = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message: `${entry.file}: ${message}`, input: entry });
        if (!KEBAB.test(entry.id)) fail("id", `"${entry.id}" is not a kebab-case id (lower-case words joined by hyphens)`);
        const clash = (context.idFiles.get(entry.id) ?? []).filter((f) => f !== entry.file);
        const twiceHere = (context.idFiles.get(entry.id) ?? []).filter((f) => f === entry.file).length > 1;
        if (clash.length > 0 || twiceHere) fail("id", `the id "${entry.id}" is also used by ${clash.length > 0 ? some(clash) : "another template in the same file"}; ids are unique`);
        if (!(QUESTION_KINDS as readonly string[]).includes(entry.kind)) fail("kind", `"${entry.kind}" is not a question kind; expected one of ${QUESTION_KINDS.join(", ")}`);
        if (entry.title.trim().length < 3) fail("title", "give the question a title of at least 3 characters");
        if (!lessons.has(entry.lesson)) {
          const nearest = [...lessons].sort((a, b) => editDistance(entry.lesson, a) - editDistance(entry.lesson, b) || (a < b ? -1 : 1))[0];
          fail("lesson", `"${entry.lesson}" is not a lesson (a file content/lessons/<slug>.mdx)${nearest ? `; did you mean "${nearest}"?` : ""} The lessons are ${some([...lessons].sort())}`);
        }
        if (entry.concepts.length === 0) fail("concepts", `tag the question with at least one concept from CONCEPTS (${some(Object.keys(CONCEPTS))})`);
        entry.concepts.forEach((concept, i) => {
          if (!(concept in CONCEPTS)) {
            ctx.addIssue({
              code: "custom",
              path: ["concepts", i],
              message: `${entry.file}: "${concept}" is not a concept in src/quiz/engine/concepts.ts; the concepts are ${some(Object.keys(CONCEPTS), 40)}`,
              input: entry,
            });
          } else if (entry.concepts.indexOf(concept) !== i) {
            ctx.addIssue({ code: "custom", path: ["concepts", i], message: `${entry.file}: "${concept}" is listed twice`, input: entry });
          }
        });
        if (!entry.file.startsWith(BANK_DIR) || entry.file.includes("..")) {
          fail("file", `a template lives under ${BANK_DIR} (the path is relative to the repository root)`);
        } else if (!bankFiles.has(entry.file)) {
          fail("file", `no such file under ${BANK_DIR}; set \`file\` to the path of the file that defines the template`);
        }
        const base = entry.file.slice(entry.file.lastIndexOf("/") + 1).replace(/\.tsx?$/, "");
        if (base !== entry.id) fail("file", `the file is named after the template's id: expected …/${entry.id}.ts, got …/${base}.ts`);
        if (entry.source !== undefined && entry.source.trim() === "") fail("source", "leave `source` out, or say which interview question it is");
        if (entry.sample.prompt.trim() === "") fail("sample.prompt", "seed 0's variant has an empty prompt");
      }),
    ),
    z.transform((entry) => entry as QuestionEntry),
  );
}

/** One line per issue, "file: field: message" without repeating the file: how the tests and the build report a bad question. */
export function formatQuestionIssues(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    // Messages from the reference checks start with the template's file; put the field after it.
    const file = /^(\S+\.tsx?): /.exec(issue.message);
    return file ? `${file[1]}: ${field}: ${issue.message.slice(file[0].length)}` : `${field}: ${issue.message}`;
  });
}
