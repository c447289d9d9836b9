import { useState } from "react";
import type { QuestionView } from "../../quiz/trace-the-request";
import "../../styles/quiz.css";
import { loadQuestionRuntime } from "./load-question";
import { QuestionBody } from "./QuestionBody";

export interface TraceQuestionCardProps {
  /** The variant to open with, computed when the site is built (see `TraceQuestion.astro`). */
  initial: QuestionView;
  /** Page holding the whole-journey lab (id "journey") that explanations link into. */
  labPath: string;
  /** Offer a "new variant" button. */
  variants?: boolean;
}

interface Shown {
  readonly view: QuestionView;
  readonly previous: QuestionView | null;
}

/**
 * Question 1 as an island: one variant at a time, graded against its computed key. The first
 * variant comes as a prop, so the page needs no simulator to show or grade it; the template and the
 * simulator are fetched only when the learner asks for another variant.
 */
export default function TraceQuestionCard({ initial, labPath, variants = false }: TraceQuestionCardProps) {
  const [shown, setShown] = useState<Shown>({ view: initial, previous: null });
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const go = () => {
    if (state === "loading") return;
    setState("loading");
    loadQuestionRuntime().then(
      (runtime) => {
        setShown(({ view }) => ({ view: runtime.questionView((view.seed + 1) % 1000), previous: view }));
        setState("idle");
      },
      () => setState("failed"),
    );
  };
  return (
    <QuestionBody
      key={shown.view.seed}
      view={shown.view}
      previous={shown.previous?.settings ?? null}
      labPath={labPath}
      next={variants ? { state, go } : null}
      focusHeading={shown.previous !== null}
    />
  );
}
