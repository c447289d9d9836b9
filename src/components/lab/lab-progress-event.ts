/** The event a lab sends as the learner steps it (see `lab-progress.ts`); a module without imports, for page scripts. */
export const LAB_PROGRESS_EVENT = "packetlab:lab-progress";

export interface LabProgressDetail {
  /** The lab's id on its page (its anchor is `#lab-<labId>`). */
  readonly labId: string;
  /** Positions reached, counted from 1 (the first position is 1). */
  readonly stepped: number;
  /** Positions the lab has in all. */
  readonly steps: number;
}
