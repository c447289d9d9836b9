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
});

export const collections = {
  lessons: defineCollection({
    loader: glob({ pattern: "**/*.mdx", base: "./content/lessons" }),
    schema: LessonSchema,
  }),
};
