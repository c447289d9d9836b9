import type { Progress } from "../../quiz/progress";
import { cardKey, endOfDay } from "../../quiz/srs";

const DAY = 86_400_000;

/** "today", "tomorrow", "in 4 days" — whole local days from `now` to `due`, overdue counting as today. */
export function dueIn(due: Date, now: Date): string {
  const end = endOfDay(now).getTime();
  if (due.getTime() <= end) return "today";
  const days = Math.ceil((due.getTime() - end) / DAY);
  return days === 1 ? "tomorrow" : `in ${days} days`;
}

/** When the template's first card falls due, or null when none is scheduled. */
export function templateDue(progress: Progress, template: string, concepts: readonly string[]): Date | null {
  const dues = concepts.flatMap((c) => {
    const card = progress.cards[cardKey(template, c)];
    return card ? [Date.parse(card.due)] : [];
  });
  return dues.length ? new Date(Math.min(...dues)) : null;
}

/**
 * What this browser remembers of a question, in one line: "Answered 2 times here, best 100%; next
 * review in 4 days." Null for a question never answered.
 */
export function templateHistory(progress: Progress, template: string, concepts: readonly string[], now: Date): string | null {
  const attempts = progress.questions[template]?.attempts ?? [];
  if (attempts.length === 0) return null;
  const best = Math.round(Math.max(...attempts.map((a) => a.score)) * 100);
  const times = attempts.length === 1 ? "once" : `${attempts.length} times`;
  const due = templateDue(progress, template, concepts);
  return `Answered ${times} in this browser, best ${best}%${due ? `; next review ${dueIn(due, now)}` : ""}.`;
}

/** How many answers and questions a record holds ("5 answers to 3 questions"). */
export function progressSummary(progress: Progress): { answers: number; questions: number } {
  const lists = Object.values(progress.questions).map((q) => q.attempts.length).filter((n) => n > 0);
  return { answers: lists.reduce((a, b) => a + b, 0), questions: lists.length };
}
