import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";

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

export const collections = {
  lessons: defineCollection({
    loader: glob({ pattern: "**/*.mdx", base: "./content/lessons" }),
    schema: LessonSchema,
  }),
};
