import { getCollection, render, type CollectionEntry } from "astro:content";
import { lessonOutline, type LessonOutline } from "./lesson-outline";

export type Lesson = CollectionEntry<"lessons">;

/** A lesson with what the course map and the lesson page show around it. */
export interface CourseLesson {
  readonly entry: Lesson;
  /** 1-based position in the course. */
  readonly number: number;
  readonly href: string;
  readonly outline: LessonOutline;
}

/** Every lesson in course order, each with its outline (sections, labs, questions) read at build time. */
export async function courseLessons(): Promise<CourseLesson[]> {
  const lessons = (await getCollection("lessons")).sort((a, b) => a.data.order - b.data.order);
  return Promise.all(
    lessons.map(async (entry, i) => {
      const { headings } = await render(entry);
      return {
        entry,
        number: i + 1,
        href: `/lessons/${entry.id}/`,
        outline: lessonOutline(entry.body ?? "", headings, entry.filePath ?? entry.id),
      };
    }),
  );
}

/** "1 lab", "3 labs". */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "About 35 minutes · 9 labs · 1 question"; a lesson without labs says only its minutes. */
export function lessonFacts(minutes: number, labs: number, questions: number): string {
  return [`About ${minutes} minutes`, labs > 0 && count(labs, "lab"), questions > 0 && count(questions, "question")].filter(Boolean).join(" · ");
}
