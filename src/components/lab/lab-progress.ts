import { useEffect } from "react";
import { LAB_PROGRESS_EVENT, type LabProgressDetail } from "./lab-progress-event";

/**
 * How far a learner has stepped through a lab, told to the page: the lesson's own script
 * (`LessonProgress.astro`) listens and keeps the furthest point in the saved progress, and the course
 * map shows it. An event rather than a save here, so a lab needs neither the progress module nor its
 * schema, and a page without a lesson (none today) would simply not listen.
 *
 * Tells the page how far the lab is stepped, each time the learner moves past its first position. */
export function useLabProgress(labId: string, position: number, steps: number): void {
  useEffect(() => {
    if (position <= 0 || steps <= 0) return;
    const detail: LabProgressDetail = { labId, stepped: Math.min(position + 1, steps), steps };
    document.dispatchEvent(new CustomEvent(LAB_PROGRESS_EVENT, { detail }));
  }, [labId, position, steps]);
}
