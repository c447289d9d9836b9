import { defineCollection } from "astro:content";
import { glob, type Loader } from "astro/loaders";
import { z } from "astro/zod";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TEMPLATES } from "./quiz/bank/index";
import { idFilesOf, questionEntry, questionEntrySchema, type BankContext } from "./quiz/engine/schema";

/** Frontmatter every lesson carries; a bad value fails the build naming the file and field. */
export const LessonSchema = z.object({
  /** The lesson's title, shown on the course home and as the page heading. */
  title: z.string().min(3),
  /** One or two sentences for the course home and search results. */
  description: z.string().min(10).max(300),
  /** Position on the course home, lowest first. */
  order: z.number().int().nonnegative(),
  /** Minutes a careful reader needs, labs included. */
  minutes: z.number().int().positive(),
  /**
   * What a learner can answer after the lesson: 3 to 5 questions, each one the lesson really answers,
   * phrased as an interviewer would ask it. Shown at the top of the lesson and on the course map;
   * `backticks` mark code.
   * @example goals: ["Which node performs the DNAT for a ClusterIP call?", "…"]
   */
  goals: z
    .array(
      z
        .string()
        .min(15, "a goal is a whole question a learner can answer after the lesson, e.g. \"Which node performs the DNAT for a ClusterIP call?\"")
        .refine((goal) => goal.trim().endsWith("?"), {
          message: "a goal is a question (\"After this lesson you can answer: …?\"); end it with a question mark",
        }),
      {
        error: (issue) =>
          issue.input === undefined
            ? "missing: list 3 to 5 questions the lesson answers (\"After this lesson you can answer: …?\")"
            : "expected a YAML list of questions, one per line starting with \"- \"",
      },
    )
    .min(3, "list at least 3 questions the lesson answers")
    .max(5, "at most 5 questions; keep the ones an interviewer is most likely to ask"),
});

/** Files under `dir` (recursively), relative to `root`, with forward slashes. */
function filesUnder(root: string, dir: string): string[] {
  return readdirSync(`${root}${dir}`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath.slice(root.length).replaceAll("\\", "/")}/${entry.name}`.replace(/^\/+/, ""));
}

/** The repository as the question schema checks it: lesson slugs, the bank's files, who uses which id. */
function bankContext(root: string): BankContext {
  return {
    lessons: filesUnder(root, "content/lessons").filter((f) => f.endsWith(".mdx")).map((f) => f.slice("content/lessons/".length, -".mdx".length)),
    bankFiles: filesUnder(root, "src/quiz/bank"),
    idFiles: idFilesOf(TEMPLATES),
  };
}

/**
 * The question bank as a collection: one entry per template in `TEMPLATES`, validated by
 * `questionEntrySchema`. Each entry is parsed with the template's file as its location, so a bad
 * question fails the build naming that file and the field (`lesson`, `concepts.1`, `file` …).
 */
function questionBankLoader(): Loader {
  return {
    name: "packet-lab:question-bank",
    load: async ({ store, parseData }) => {
      store.clear();
      for (const template of TEMPLATES) {
        const entry = questionEntry(template);
        const data = await parseData({ id: entry.id, data: { ...entry }, filePath: entry.file });
        store.set({ id: entry.id, data, filePath: entry.file });
      }
    },
  };
}

export const collections = {
  lessons: defineCollection({
    loader: glob({ pattern: "**/*.mdx", base: "./content/lessons" }),
    schema: LessonSchema,
  }),
  questions: defineCollection({
    loader: questionBankLoader(),
    // Astro loads this file from its source (never from a bundle), so the repository root is one folder up.
    schema: questionEntrySchema(bankContext(fileURLToPath(new URL("../", import.meta.url)))),
  }),
};
