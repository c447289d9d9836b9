import { describe, expect, it } from "vitest";
import { describeLessonProgress, lessonProgress, markProgress, peekProgress, recordLabStepped, recordLessonRead } from "../../src/quiz/course-progress";
import { EMPTY_PROGRESS, loadProgress, recordAttempt, type Progress, type StoredCard } from "../../src/quiz/progress";
import { PROGRESS_KEY } from "../../src/quiz/progress-key";

/** A Storage holding one record, as localStorage would. */
function storage(initial: string | null) {
  const items = new Map<string, string>(initial === null ? [] : [[PROGRESS_KEY, initial]]);
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

const card = (state: number): StoredCard => ({
  due: "2026-12-20T09:00:00.000Z", stability: 12, difficulty: 5, elapsed_days: 0, scheduled_days: 12,
  learning_steps: 0, reps: 3, lapses: 0, state, last_review: "2026-12-07T09:00:00.000Z",
});
const attempt = (score: number) => ({ seed: 1, score, at: "2026-12-07T09:00:00.000Z" });
const LESSON = { slug: "anycast", labs: ["map", "path"], questions: ["q1", "q2", "q3"] };

describe("the marks a lesson page makes", () => {
  it("starts a record when there is none, and the schema accepts what it wrote", () => {
    const s = storage(null);
    markProgress(s, (p) => recordLessonRead(p, "anycast", "2026-12-07T10:00:00.000Z"));
    markProgress(s, (p) => recordLabStepped(p, "anycast#map", 4, 9));
    const loaded = loadProgress(s.items.get(PROGRESS_KEY)!);
    expect(loaded.ok).toBe(true);
    expect(loaded.progress.lessons).toEqual({ anycast: { readAt: "2026-12-07T10:00:00.000Z" } });
    expect(loaded.progress.labs).toEqual({ "anycast#map": { stepped: 4, steps: 9 } });
  });

  it("keeps every attempt and card already saved", () => {
    const saved = { ...recordAttempt(EMPTY_PROGRESS, "q1", attempt(1)), cards: { "q1::anycast": card(2) } };
    const s = storage(JSON.stringify(saved));
    markProgress(s, (p) => recordLabStepped(p, "anycast#map", 2, 9));
    const after = JSON.parse(s.items.get(PROGRESS_KEY)!) as Progress;
    expect(after.questions).toEqual(saved.questions);
    expect(after.cards).toEqual(saved.cards);
  });

  it("leaves a record it cannot read exactly as it is, for the practice page to report", () => {
    for (const text of ["{not json", JSON.stringify({ version: 3, questions: {} }), "null", JSON.stringify({ version: 2 })]) {
      const s = storage(text);
      markProgress(s, (p) => recordLessonRead(p, "anycast", "2026-12-07T10:00:00.000Z"));
      expect(s.items.get(PROGRESS_KEY)).toBe(text);
      expect(peekProgress(text)).toBeNull();
    }
  });

  it("does not write when nothing changed (an earlier step, a lesson read before)", () => {
    const s = storage(null);
    markProgress(s, (p) => recordLabStepped(p, "anycast#map", 5, 9));
    let writes = 0;
    const counting = { getItem: s.getItem, setItem: () => void writes++ };
    markProgress(counting, (p) => recordLabStepped(p, "anycast#map", 3, 9));
    expect(writes).toBe(0);
  });
});

describe("what the course map says", () => {
  it("says nothing for a lesson not touched", () => {
    expect(describeLessonProgress(lessonProgress(EMPTY_PROGRESS, LESSON), LESSON)).toBeNull();
  });

  it("counts labs stepped to the end apart from labs started, and only this lesson's", () => {
    let p = recordLabStepped(EMPTY_PROGRESS, "anycast#map", 9, 9);
    p = recordLabStepped(p, "anycast#path", 2, 7);
    p = recordLabStepped(p, "other#map", 9, 9);
    const progress = lessonProgress(p, LESSON);
    expect(progress).toMatchObject({ read: false, labsDone: 1, labsStarted: 2 });
    expect(describeLessonProgress(progress, LESSON)).toBe("Not finished reading · 1 of 2 labs stepped through (1 started) · 0 of 3 questions mastered");
  });

  it("a question is mastered when its latest attempt scored full marks and every card of it has left the learning steps", () => {
    let p: Progress = recordLessonRead(EMPTY_PROGRESS, "anycast", "2026-12-07T10:00:00.000Z");
    p = recordAttempt(recordAttempt(p, "q1", attempt(0.5)), "q1", attempt(1)); // mastered
    p = recordAttempt(recordAttempt(p, "q2", attempt(1)), "q2", attempt(0.5)); // latest attempt not full
    p = recordAttempt(p, "q3", attempt(1)); // one card still learning
    p = { ...p, cards: { "q1::anycast": card(2), "q1::bgp-best-path": card(2), "q2::anycast": card(2), "q3::anycast": card(2), "q3::peering": card(1) } };
    const progress = lessonProgress(p, LESSON);
    expect(progress).toMatchObject({ read: true, questionsTried: 3, questionsMastered: 1 });
    expect(describeLessonProgress(progress, LESSON)).toBe("Read · 0 of 2 labs stepped through · 1 of 3 questions mastered");
  });
});
